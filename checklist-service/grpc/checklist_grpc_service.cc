#include "checklist-service/grpc/checklist_grpc_service.h"

#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/domain/limits.h"
#include "checklist-service/grpc/proto_mapping.h"
#include "checklist-service/grpc/write_gate.h"
#include "common/api/etag.h"
#include "common/api/limits.h"
#include "common/api/metadata_keys.h"
#include "common/api/resource_names.h"
#include "common/api/tenant_id.h"
#include "common/auth/principal.h"
#include "common/auth/tenant_scope.h"
#include "common/civil_date.h"
#include "common/grpc_status.h"
#include "common/request_text.h"

namespace preflight::checklist {
namespace {

grpc::Status Invalid(absl::string_view field, absl::string_view problem) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, absl::StrCat(field, ": ", problem));
}

// Request strings that reach no validator of their own (filters, page tokens), bounded before
// any work is done with them.
grpc::Status CheckLength(absl::string_view field, absl::string_view value, size_t max) {
  if (value.size() <= max) return grpc::Status::OK;
  return Invalid(field, absl::StrCat("too long (", value.size(), " bytes, at most ", max, ")"));
}

// With authentication the actor is the token's holder, which the caller cannot forge; without
// it, whatever the caller says it is.
Actor ActorOf(const grpc::ServerContext& context, const auth::Principal& principal) {
  if (principal.token_name != auth::UnauthenticatedPrincipal().token_name) {
    return Actor{absl::StrCat(principal.display_name, " (", principal.token_name, ")")};
  }
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(api::kActorMetadataKey);
  if (it == metadata.end() || it->second.empty()) return Actor{"anonymous"};
  std::string name(it->second.data(), std::min(it->second.size(), kMaxActorLength));
  return Actor{std::move(name)};
}

bool WantsItems(v1::LaunchView view, bool default_full) {
  return view == v1::LAUNCH_VIEW_UNSPECIFIED ? default_full : view == v1::LAUNCH_VIEW_FULL;
}

grpc::Status CheckView(v1::LaunchView view) {
  if (!v1::LaunchView_IsValid(view)) {
    return Invalid("view", absl::StrCat("unknown value ", static_cast<int>(view)));
  }
  return grpc::Status::OK;
}

// Everything that narrows a launch listing, so a page token only resumes the listing it came from.
std::string LaunchListScope(const v1::ListLaunchesRequest& r) {
  return absl::StrCat("launches|", r.tenant().size(), ":", r.tenant(), "|", r.owner().size(), ":",
                      r.owner(), "|", r.at_risk_only(), "|", r.target_date_from(), "|",
                      r.target_date_to());
}

}  // namespace

const auth::CallAuthorizer ChecklistGrpcService::kNoAuthentication(nullptr);

ChecklistGrpcService::ChecklistGrpcService(LaunchService* service, PageTokenCodec page_tokens,
                                           WatchOptions watch_options,
                                           absl::Duration stalled_write_grace,
                                           const auth::CallAuthorizer* authorizer)
    : authorizer_(authorizer != nullptr ? authorizer : &kNoAuthentication),
      service_(service),
      page_tokens_(std::move(page_tokens)),
      watch_options_(std::move(watch_options)),
      stalled_writes_(stalled_write_grace) {}

absl::Status ChecklistGrpcService::CheckLaunchVisible(const auth::Principal& principal,
                                                      const std::string& launch_id) const {
  if (principal.AllTenants()) return absl::OkStatus();
  absl::StatusOr<LaunchState> state = service_->GetLaunch(launch_id);
  if (!state.ok()) return state.status();
  // The same answer as for a launch that does not exist: another tenant's is not revealed.
  if (state->launch.tenant != principal.tenant) {
    return absl::NotFoundError(absl::StrCat("launch ", launch_id, " not found"));
  }
  return absl::OkStatus();
}

grpc::Status ChecklistGrpcService::CreateLaunch(grpc::ServerContext* context,
                                                const v1::CreateLaunchRequest* request,
                                                v1::Launch* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWrite);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->has_launch()) return Invalid("launch", "required");
  absl::StatusOr<NewLaunch> launch = NewLaunchFromProto(request->launch());
  if (!launch.ok()) return ToGrpcStatus(launch.status());
  if (!principal->CanSeeTenant(launch->tenant)) {
    return ToGrpcStatus(auth::OutOfTenantScope(*principal, launch->tenant));
  }
  absl::StatusOr<LaunchState> created =
      service_->CreateLaunch(*launch, request->request_id(), ActorOf(*context, *principal));
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response = ToProto(*created, /*with_items=*/true);
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::GetLaunch(grpc::ServerContext* context,
                                             const v1::GetLaunchRequest* request,
                                             v1::Launch* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = api::ParseLaunchName(request->name(), "name");
  if (!id.ok()) return ToGrpcStatus(id.status());
  if (grpc::Status s = CheckView(request->view()); !s.ok()) return s;
  if (absl::Status s = CheckLaunchVisible(*principal, *id); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<LaunchState> state = service_->GetLaunch(*id);
  if (!state.ok()) return ToGrpcStatus(state.status());
  *response = ToProto(*state, WantsItems(request->view(), /*default_full=*/true));
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::ListLaunches(grpc::ServerContext* context,
                                                const v1::ListLaunchesRequest* request,
                                                v1::ListLaunchesResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (grpc::Status s = CheckView(request->view()); !s.ok()) return s;
  if (!request->tenant().empty()) {
    if (absl::Status s = api::ValidateTenantId("tenant", request->tenant()); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  for (const auto& [field, value, max] :
       {std::make_tuple("owner", &request->owner(), kMaxNameLength),
        std::make_tuple("page_token", &request->page_token(), api::kMaxPageTokenLength)}) {
    if (grpc::Status s = CheckLength(field, *value, max); !s.ok()) return s;
  }
  LaunchListFilter filter;
  absl::StatusOr<std::string> tenant = auth::ScopedTenantFilter(*principal, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  filter.store_filter.tenant = *tenant;
  filter.store_filter.owner = request->owner();
  filter.at_risk_only = request->at_risk_only();
  absl::StatusOr<std::optional<absl::CivilDay>> from =
      ParseOptionalDate(request->target_date_from(), "target_date_from");
  if (!from.ok()) return ToGrpcStatus(from.status());
  absl::StatusOr<std::optional<absl::CivilDay>> to =
      ParseOptionalDate(request->target_date_to(), "target_date_to");
  if (!to.ok()) return ToGrpcStatus(to.status());
  filter.store_filter.target_from = *from;
  filter.store_filter.target_to = *to;

  const std::string scope = LaunchListScope(*request);
  std::string after_id;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::string> position = page_tokens_.Decode(request->page_token(), scope);
    if (!position.ok()) return ToGrpcStatus(position.status());
    after_id = *position;
  }
  absl::StatusOr<LaunchPage> page = service_->ListLaunches(filter, after_id, request->page_size());
  if (!page.ok()) return ToGrpcStatus(page.status());
  const bool with_items = WantsItems(request->view(), /*default_full=*/false);
  for (const LaunchState& state : page->launches) {
    *response->add_launches() = ToProto(state, with_items);
  }
  if (!page->next_after_id.empty()) {
    response->set_next_page_token(page_tokens_.Encode(scope, page->next_after_id));
  }
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::UpdateLaunch(grpc::ServerContext* context,
                                                const v1::UpdateLaunchRequest* request,
                                                v1::Launch* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWrite);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->has_launch()) return Invalid("launch", "required");
  absl::StatusOr<std::string> id = api::ParseLaunchName(request->launch().name(), "launch.name");
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<LaunchPatch> patch =
      LaunchPatchFromProto(request->launch(), request->update_mask());
  if (!patch.ok()) return ToGrpcStatus(patch.status());
  std::optional<int64_t> expected_version;
  if (!request->etag().empty()) {
    absl::StatusOr<int64_t> version = api::ParseEtag(request->etag(), api::LaunchName(*id));
    if (!version.ok()) return ToGrpcStatus(version.status());
    expected_version = *version;
  }
  if (absl::Status s = CheckLaunchVisible(*principal, *id); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<LaunchState> updated =
      service_->UpdateLaunch(*id, *patch, expected_version, ActorOf(*context, *principal));
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  *response = ToProto(*updated, /*with_items=*/true);
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::UpdateItem(grpc::ServerContext* context,
                                              const v1::UpdateItemRequest* request,
                                              v1::Item* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWrite);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->has_item()) return Invalid("item", "required");
  absl::StatusOr<api::ItemKey> name =
      api::ParseItemName(request->item().name(), "item.name");
  if (!name.ok()) return ToGrpcStatus(name.status());
  absl::StatusOr<ItemPatch> patch = ItemPatchFromProto(request->item(), request->update_mask());
  if (!patch.ok()) return ToGrpcStatus(patch.status());
  std::optional<int64_t> expected_version;
  if (!request->etag().empty()) {
    absl::StatusOr<int64_t> version =
        api::ParseEtag(request->etag(), api::ItemName(name->launch_id, name->code));
    if (!version.ok()) return ToGrpcStatus(version.status());
    expected_version = *version;
  }
  if (absl::Status s = CheckLaunchVisible(*principal, name->launch_id); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<Item> updated = service_->UpdateItem(
      name->launch_id, name->code, *patch, expected_version, ActorOf(*context, *principal));
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  *response = ToProto(*updated);
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::AddItem(grpc::ServerContext* context,
                                           const v1::AddItemRequest* request, v1::Item* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWrite);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = api::ParseLaunchName(request->parent(), "parent");
  if (!id.ok()) return ToGrpcStatus(id.status());
  if (!request->has_item()) return Invalid("item", "required");
  absl::StatusOr<NewItem> item = NewItemFromProto(request->item());
  if (!item.ok()) return ToGrpcStatus(item.status());
  if (absl::Status s = CheckLaunchVisible(*principal, *id); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<Item> added = service_->AddItem(*id, *item, ActorOf(*context, *principal));
  if (!added.ok()) return ToGrpcStatus(added.status());
  *response = ToProto(*added);
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::GetReadiness(grpc::ServerContext* context,
                                                const v1::GetReadinessRequest* request,
                                                v1::Readiness* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = api::ParseLaunchName(request->name(), "name");
  if (!id.ok()) return ToGrpcStatus(id.status());
  if (absl::Status s = CheckLaunchVisible(*principal, *id); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<Readiness> readiness = service_->GetReadiness(*id);
  if (!readiness.ok()) return ToGrpcStatus(readiness.status());
  *response = ToProto(*readiness, *id);
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::ListEvents(grpc::ServerContext* context,
                                              const v1::ListEventsRequest* request,
                                              v1::ListEventsResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = api::ParseLaunchName(request->parent(), "parent");
  if (!id.ok()) return ToGrpcStatus(id.status());
  if (grpc::Status s = CheckLength("page_token", request->page_token(), api::kMaxPageTokenLength);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLaunchVisible(*principal, *id); !s.ok()) return ToGrpcStatus(s);
  const std::string scope = absl::StrCat("events|", *id);
  int64_t after_sequence = 0;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::string> position = page_tokens_.Decode(request->page_token(), scope);
    if (!position.ok()) return ToGrpcStatus(position.status());
    if (!absl::SimpleAtoi(*position, &after_sequence) || after_sequence < 0) {
      return Invalid("page_token", "invalid page token");
    }
  }
  absl::StatusOr<EventPage> page = service_->ListEvents(*id, after_sequence, request->page_size());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const Event& event : page->events) *response->add_events() = ToProto(event);
  if (page->next_after_sequence > 0) {
    response->set_next_page_token(
        page_tokens_.Encode(scope, absl::StrCat(page->next_after_sequence)));
  }
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::ListTemplates(grpc::ServerContext* context,
                                                 const v1::ListTemplatesRequest* request,
                                                 v1::ListTemplatesResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (request->page_size() < 0 || request->page_size() > kMaxTemplatePageSize) {
    return Invalid("page_size", absl::StrCat("must be between 0 and ", kMaxTemplatePageSize,
                                             ", got ", request->page_size()));
  }
  const int page_size = request->page_size() == 0 ? kMaxTemplatePageSize : request->page_size();
  if (grpc::Status s = CheckLength("page_token", request->page_token(), api::kMaxPageTokenLength);
      !s.ok()) {
    return s;
  }
  std::string after_id;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::string> position = page_tokens_.Decode(request->page_token(), "templates");
    if (!position.ok()) return ToGrpcStatus(position.status());
    after_id = *position;
  }
  for (const CompiledTemplate* tmpl : service_->catalog().templates()) {
    if (!after_id.empty() && tmpl->id() <= after_id) continue;
    if (response->templates_size() == page_size) {
      response->set_next_page_token(
          page_tokens_.Encode("templates", response->templates().rbegin()->id()));
      break;
    }
    *response->add_templates() = tmpl->proto();
  }
  return grpc::Status::OK;
}

grpc::Status ChecklistGrpcService::WatchEvents(grpc::ServerContext* context,
                                               const v1::WatchEventsRequest* request,
                                               grpc::ServerWriter<v1::Event>* writer) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWatch);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->tenant().empty()) {
    if (absl::Status s = api::ValidateTenantId("tenant", request->tenant()); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  WatchRequest watch;
  watch.after_sequence = request->after_sequence();
  watch.log_epoch = request->log_epoch();
  absl::StatusOr<std::string> tenant = auth::ScopedTenantFilter(*principal, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  watch.filter.tenant = *tenant;
  if (!request->launch().empty()) {
    absl::StatusOr<std::string> id = api::ParseLaunchName(request->launch(), "launch");
    if (!id.ok()) return ToGrpcStatus(id.status());
    watch.filter.launch_id = *std::move(id);
  }
  if (!watch.filter.launch_id.empty()) {
    if (absl::Status s = CheckLaunchVisible(*principal, watch.filter.launch_id); !s.ok())
      return ToGrpcStatus(s);
  }
  // Shared with the canceller, which may still hold it after this handler has returned.
  auto gate = std::make_shared<WriteGate>([context] { context->TryCancel(); });
  WatchCallbacks callbacks;
  callbacks.write = [&](const Event& event) {
    const v1::Event proto = ToProto(event);
    if (!gate->BeginWrite()) return false;
    const bool written = writer->Write(proto);
    gate->EndWrite();
    return written;
  };
  callbacks.is_cancelled = [context] { return context->IsCancelled(); };
  callbacks.on_started = [&](int64_t last_sequence, const std::string& log_epoch) {
    // Headers go out now, so the client knows the watch was accepted even if nothing happens.
    context->AddInitialMetadata(api::kLastSequenceMetadataKey, absl::StrCat(last_sequence));
    context->AddInitialMetadata(api::kLogEpochMetadataKey, log_epoch);
    if (gate->BeginWrite()) {
      writer->SendInitialMetadata();
      gate->EndWrite();
    }
  };
  // A write in flight gets a grace period to finish, so the stream can still end with the
  // watch's own status; only a write stuck on a stalled client is cancelled.
  callbacks.interrupt = [this, gate] {
    if (gate->Interrupt()) stalled_writes_.Schedule(gate);
  };
  const absl::Status status = service_->WatchEvents(watch, callbacks, watch_options_);
  gate->Detach();
  return ToGrpcStatus(status);
}

}  // namespace preflight::checklist
