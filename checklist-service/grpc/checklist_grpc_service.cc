#include "checklist-service/grpc/checklist_grpc_service.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "checklist-service/domain/event_watch.h"
#include "checklist-service/domain/limits.h"
#include "checklist-service/grpc/proto_mapping.h"
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
#include "grpcpp/alarm.h"

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

// The filters of a ListItems request, which its page tokens are bound to.
std::string ItemListScope(const v1::ListItemsRequest& r) {
  std::string scope = absl::StrCat("items|", r.parent().size(), ":", r.parent(), "|",
                                   r.tenant().size(), ":", r.tenant(), "|", r.assignee().size(),
                                   ":", r.assignee(), "|", r.start_before(), "|", r.due_before(),
                                   "|", r.at_risk_only(), r.critical_only(), r.include_done(), "|");
  for (int status : r.statuses()) absl::StrAppend(&scope, status, ",");
  return scope;
}

// A page token's position: "latest start|launch|code" (the date empty for none). Neither launch
// ids nor item codes hold '|'.
std::string EncodeItemKey(const ItemKey& key) {
  return absl::StrCat(key.latest_start ? FormatCivilDay(*key.latest_start) : "", "|", key.launch_id,
                      "|", key.code);
}

absl::StatusOr<ItemKey> DecodeItemKey(absl::string_view position) {
  const std::vector<std::string> parts = absl::StrSplit(position, '|');
  ItemKey key;
  if (parts.size() == 3 && !parts[1].empty() && !parts[2].empty()) {
    key.launch_id = parts[1];
    key.code = parts[2];
    if (parts[0].empty()) return key;
    if (std::optional<absl::CivilDay> day = ParseCivilDay(parts[0])) {
      key.latest_start = *day;
      return key;
    }
  }
  return absl::InvalidArgumentError("page_token: invalid page token");
}

// Parses a raw method's request; false when it is not a valid `T`.
template <typename T>
bool ParseRawRequest(const grpc::ByteBuffer& raw, T* request) {
  std::vector<grpc::Slice> slices;
  if (!raw.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return request->ParseFromString(bytes);
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
      stalled_write_grace_(stalled_write_grace) {
  // One worker per core, up to four: fan-out is CPU work, more threads than cores only switch.
  const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  for (unsigned i = 0; i < workers; ++i) {
    watch_workers_.push_back(std::make_unique<WatchWorker>(absl::StrCat("watch-worker-", i)));
  }
}

ChecklistGrpcService::WatchWorker& ChecklistGrpcService::NextWatchWorker() {
  return *watch_workers_[next_watch_worker_.fetch_add(1, std::memory_order_relaxed) %
                         watch_workers_.size()];
}

ChecklistGrpcService::~ChecklistGrpcService() {
  // A reactor's last tasks (and its stalled-write alarm) may still run after the server is gone;
  // they use this object and its worker.
  absl::MutexLock lock(&reactors_mu_);
  const auto none = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(reactors_mu_) {
    return watch_reactors_ == 0;
  };
  reactors_mu_.Await(absl::Condition(&none));
}

void ChecklistGrpcService::AddWatchReactor() {
  absl::MutexLock lock(&reactors_mu_);
  ++watch_reactors_;
}

void ChecklistGrpcService::RemoveWatchReactor() {
  absl::MutexLock lock(&reactors_mu_);
  --watch_reactors_;
}

absl::Status ChecklistGrpcService::CheckLaunchVisible(const auth::Principal& principal,
                                                      const std::string& launch_id) const {
  if (principal.AllTenants()) return absl::OkStatus();
  absl::StatusOr<LaunchState> state = service_->GetLaunch(launch_id, /*with_items=*/false);
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
      service_->CreateLaunch(*launch, request->request_id(), ActorOf(*context, *principal),
                             request->validate_only() ? LaunchService::WriteMode::kValidateOnly
                                                      : LaunchService::WriteMode::kCommit);
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response = ToProto(*created, /*with_items=*/true);
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* ChecklistGrpcService::GetLaunch(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* raw_request,
                                                          grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  v1::GetLaunchRequest request;
  if (!ParseRawRequest(*raw_request, &request)) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "the request is not a valid preflight.v1.GetLaunchRequest message "
                                 "(malformed protobuf, or a string field that is not UTF-8)"));
    return reactor;
  }
  // A store read of microseconds: short enough for a callback thread.
  reactor->Finish(GetLaunchEncoded(*context, request, response));
  return reactor;
}

grpc::Status ChecklistGrpcService::GetLaunchEncoded(const grpc::CallbackServerContext& context,
                                                    const v1::GetLaunchRequest& request,
                                                    grpc::ByteBuffer* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = api::ParseLaunchName(request.name(), "name");
  if (!id.ok()) return ToGrpcStatus(id.status());
  if (grpc::Status s = CheckView(request.view()); !s.ok()) return s;
  // One read serves both the visibility check and the answer; BASIC reads no items.
  const bool with_items = WantsItems(request.view(), /*default_full=*/true);
  if (with_items) {
    // The launch row alone tells whether the encoded answer is still current.
    absl::StatusOr<LaunchService::LaunchStamp> stamp = service_->GetLaunchStamp(*id);
    if (!stamp.ok()) return ToGrpcStatus(stamp.status());
    if (!principal->AllTenants() && stamp->tenant != principal->tenant) {
      return ToGrpcStatus(absl::NotFoundError(absl::StrCat("launch ", *id, " not found")));
    }
    if (std::optional<grpc::ByteBuffer> cached =
            encoded_launches_.Find(*id, {stamp->version, stamp->items_version, stamp->today})) {
      *response = *std::move(cached);
      return grpc::Status::OK;
    }
  }
  absl::StatusOr<LaunchState> state = service_->GetLaunch(*id, with_items);
  if (!state.ok()) return ToGrpcStatus(state.status());
  if (!principal->AllTenants() && state->launch.tenant != principal->tenant) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat("launch ", *id, " not found")));
  }
  *response = encoded_launches_.Get(*state, with_items);
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
      service_->UpdateLaunch(*id, *patch, expected_version, ActorOf(*context, *principal),
                             request->validate_only() ? LaunchService::WriteMode::kValidateOnly
                                                      : LaunchService::WriteMode::kCommit);
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
  absl::StatusOr<api::ItemKey> name = api::ParseItemName(request->item().name(), "item.name");
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
  if (absl::Status s = CheckLaunchVisible(*principal, name->launch_id); !s.ok())
    return ToGrpcStatus(s);
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

grpc::Status ChecklistGrpcService::ListItems(grpc::ServerContext* context,
                                             const v1::ListItemsRequest* request,
                                             v1::ListItemsResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  for (const auto& [field, value, max] :
       {std::make_tuple("assignee", &request->assignee(), kMaxNameLength),
        std::make_tuple("page_token", &request->page_token(), api::kMaxPageTokenLength)}) {
    if (grpc::Status s = CheckLength(field, *value, max); !s.ok()) return s;
  }
  if (!request->tenant().empty()) {
    if (absl::Status s = api::ValidateTenantId("tenant", request->tenant()); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  ItemListFilter filter;
  if (request->parent() == "launches/-") {
    // Every launch of one tenant: the caller's own, or the one an all-tenant caller names.
    absl::StatusOr<std::string> tenant = auth::ScopedTenantFilter(*principal, request->tenant());
    if (!tenant.ok()) return ToGrpcStatus(tenant.status());
    if (tenant->empty()) return Invalid("tenant", "required when parent is launches/-");
    filter.store_filter.tenant = *tenant;
  } else {
    absl::StatusOr<std::string> id = api::ParseLaunchName(request->parent(), "parent");
    if (!id.ok()) {
      return Invalid("parent",
                     "must be launches/- (every launch of a tenant) or launches/{launch}");
    }
    if (absl::Status s = CheckLaunchVisible(*principal, *id); !s.ok()) return ToGrpcStatus(s);
    if (!request->tenant().empty()) {
      if (absl::Status s = auth::OutOfTenantScope(*principal, request->tenant()); !s.ok()) {
        return ToGrpcStatus(s);
      }
      filter.store_filter.tenant = request->tenant();
    }
    filter.store_filter.launch_id = *id;
  }
  filter.store_filter.assignee = request->assignee();
  for (int i = 0; i < request->statuses_size(); ++i) {
    const v1::ItemStatus status = request->statuses(i);
    std::optional<ItemStatus> parsed;
    if (status != v1::ITEM_STATUS_UNSPECIFIED && v1::ItemStatus_IsValid(status)) {
      parsed = ParseItemStatus(absl::StripPrefix(v1::ItemStatus_Name(status), "ITEM_STATUS_"));
    }
    if (!parsed) {
      return Invalid(absl::StrCat("statuses[", i, "]"),
                     absl::StrCat("unknown or unspecified status ", static_cast<int>(status)));
    }
    filter.store_filter.statuses.push_back(*parsed);
  }
  absl::StatusOr<std::optional<absl::CivilDay>> start_before =
      ParseOptionalDate(request->start_before(), "start_before");
  if (!start_before.ok()) return ToGrpcStatus(start_before.status());
  absl::StatusOr<std::optional<absl::CivilDay>> due_before =
      ParseOptionalDate(request->due_before(), "due_before");
  if (!due_before.ok()) return ToGrpcStatus(due_before.status());
  filter.store_filter.start_before = *start_before;
  filter.store_filter.due_before = *due_before;
  filter.store_filter.open_only = !request->include_done();
  filter.at_risk_only = request->at_risk_only();
  filter.critical_only = request->critical_only();

  const std::string scope = ItemListScope(*request);
  std::optional<ItemKey> after;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::string> position = page_tokens_.Decode(request->page_token(), scope);
    if (!position.ok()) return ToGrpcStatus(position.status());
    absl::StatusOr<ItemKey> key = DecodeItemKey(*position);
    if (!key.ok()) return ToGrpcStatus(key.status());
    after = *std::move(key);
  }
  absl::StatusOr<ItemPage> page = service_->ListItems(filter, after, request->page_size());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const Item& item : page->items) *response->add_items() = ToProto(item);
  for (const auto& [id, launch] : page->launches) {
    (*response->mutable_launches())[api::LaunchName(id)] = ToProto(launch);
  }
  if (page->next_after) {
    response->set_next_page_token(page_tokens_.Encode(scope, EncodeItemKey(*page->next_after)));
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

grpc::Status ChecklistGrpcService::GetWorkingCalendar(grpc::ServerContext* context,
                                                      const v1::GetWorkingCalendarRequest* request,
                                                      v1::WorkingCalendar* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<CalendarDates> dates = CalendarDatesFromProto(*request);
  if (!dates.ok()) return ToGrpcStatus(dates.status());
  absl::StatusOr<CalendarRange> range =
      DescribeCalendarRange(service_->calendar(), dates->start, dates->end);
  if (!range.ok()) return ToGrpcStatus(range.status());
  *response = ToProto(*range);
  return grpc::Status::OK;
}

// One WatchEvents stream. Its EventWatch and its message are guarded by mu_; gRPC calls are made
// with no lock held (a reaction may run inline in them), in the order they were decided.
// Blocking work stays off gRPC's callback threads, which must never block, and off the hub's
// publishing thread, which holds the writer lock: the stream's watch worker (one of a few) starts
// the watch and reads the backlog, one page (one indexed query) per task so tasks of other
// streams interleave, and gRPC's reactions and the hub's wake-ups that need it only post a task.
// One thing runs in the reaction itself: when a write completes and the next event is already
// in memory (the rest of a backlog page, a burst of live events), OnWriteDone starts its write at
// once. A trip through the worker per event cost more than the write, and capped a backlog
// replay near 10,000 events/s.
// Reference-counted: the call holds a reference until the task OnDone posts has run, and each
// posted task, a running OnWriteDone and the stalled-write alarm hold one.
class ChecklistGrpcService::WatchReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  // `request` is nullopt when the request did not parse.
  WatchReactor(ChecklistGrpcService* owner, grpc::CallbackServerContext* context,
               std::optional<v1::WatchEventsRequest> request)
      : owner_(owner),
        worker_(owner->NextWatchWorker()),
        context_(context),
        request_(std::move(request)) {
    owner_->AddWatchReactor();
    Post([this] { Start(); });
  }

  void OnWriteDone(bool ok) override {
    Ref();
    Action action;
    {
      absl::MutexLock lock(&mu_);
      if (watch_ != nullptr) watch_->WriteDone(ok);
      action = ok && watch_ != nullptr && watch_->HasReadyEvent() ? Decide(/*on_worker=*/false)
                                                                  : Action(Action::kToWorker);
    }
    Perform(std::move(action));
    Unref();
  }

  void OnCancel() override {
    Post([this] {
      {
        absl::MutexLock lock(&mu_);
        if (watch_ != nullptr) watch_->Cancel();
      }
      Pump();
    });
  }

  void OnDone() override {
    bool alarm_set;
    {
      absl::MutexLock lock(&call_mu_);
      call_done_ = true;
      alarm_set = alarm_set_;
    }
    if (alarm_set) stalled_write_alarm_.Cancel();
    // The watch is released (unsubscribed) on the worker, where it may block; that task drops the
    // call's reference.
    worker_.executor.Post([this] {
      std::unique_ptr<EventWatch> watch;
      {
        absl::MutexLock lock(&mu_);
        watch = std::move(watch_);
      }
      watch.reset();
      Unref();
    });
  }

 private:
  using Kind = EventWatch::Step::Kind;

  // A gRPC call decided under mu_, made after it is released.
  struct Action {
    enum Kind { kNone, kWrite, kFinish, kToWorker };
    explicit Action(Kind kind = kNone) : kind(kind) {}
    Kind kind;
    grpc::WriteOptions options;      // kWrite
    grpc::Status status;             // kFinish
    bool cancel_if_stalled = false;  // kFinish
  };

  ~WatchReactor() override { owner_->RemoveWatchReactor(); }

  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Quick: safe from any thread, also with the hub's lock held.
  void Post(std::function<void()> task) {
    Ref();
    worker_.executor.Post([this, task = std::move(task)] {
      task();
      Unref();
    });
  }

  // Worker only.
  void Start() {
    absl::StatusOr<WatchRequest> request =
        request_.has_value()
            ? owner_->PrepareWatch(*context_, *request_)
            : absl::InvalidArgumentError(
                  "the request is not a valid preflight.v1.WatchEventsRequest message (malformed "
                  "protobuf, or a string field that is not UTF-8)");
    absl::StatusOr<std::unique_ptr<EventWatch>> watch =
        request.ok()
            ? owner_->service_->StartWatch(*request, owner_->watch_options_,
                                           [this](EventWatch::Wake) { Post([this] { Pump(); }); })
            : request.status();
    if (!watch.ok()) {
      {
        absl::MutexLock lock(&mu_);
        finished_ = true;
      }
      Finish(ToGrpcStatus(watch.status()));
      return;
    }
    int64_t start_sequence;
    std::string log_epoch;
    {
      absl::MutexLock lock(&mu_);
      watch_ = *std::move(watch);
      start_sequence = watch_->start_sequence();
      log_epoch = watch_->log_epoch();
    }
    // Headers go out now, so the client knows the watch was accepted even if nothing happens.
    context_->AddInitialMetadata(api::kLastSequenceMetadataKey, absl::StrCat(start_sequence));
    context_->AddInitialMetadata(api::kLogEpochMetadataKey, log_epoch);
    StartSendInitialMetadata();
    Pump();
  }

  // Worker only: does what the watch says until it has to wait for a write, an event or the end.
  void Pump() {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      action = Decide(/*on_worker=*/true);
    }
    Perform(std::move(action));
  }

  // The next gRPC call the stream makes, if any. Off the worker a backlog page is not read: the
  // worker is asked to.
  Action Decide(bool on_worker) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || watch_ == nullptr) return Action();
    while (true) {
      EventWatch::Step step = watch_->Next();
      switch (step.kind) {
        case Kind::kWrite: {
          // message_ stays untouched until OnWriteDone: the watch allows one write at a time.
          message_ = worker_.encoded_events.Get(*step.event);
          wrote_any_ = true;
          ++issuing_;
          Action action(Action::kWrite);
          // While more events are ready (a backlog page, a burst of live ones), let gRPC gather
          // them into one frame and one sendmsg; the last one of a run goes out at once.
          if (watch_->HasReadyEvent()) action.options.set_buffer_hint();
          return action;
        }
        case Kind::kRead:
          if (!on_worker) return Action(Action::kToWorker);
          watch_->ReadBacklog();
          continue;
        case Kind::kWait:
          return Action();
        case Kind::kEnd: {
          finished_ = true;
          Action action(Action::kFinish);
          action.status = ToGrpcStatus(step.status);
          // Even with no write outstanding here, earlier buffered writes may still sit in the
          // transport behind a client that stopped reading.
          action.cancel_if_stalled = wrote_any_;
          // A write decided elsewhere may not be started yet: the finish follows it.
          if (issuing_ > 0) {
            deferred_finish_ = std::move(action);
            return Action();
          }
          return action;
        }
      }
    }
  }

  // No lock held.
  void Perform(Action action) {
    switch (action.kind) {
      case Action::kNone:
        return;
      case Action::kToWorker:
        Post([this] { Pump(); });
        return;
      case Action::kWrite: {
        StartWrite(&message_, action.options);
        std::optional<Action> deferred;
        {
          absl::MutexLock lock(&mu_);
          if (--issuing_ == 0 && deferred_finish_.has_value()) {
            deferred = std::move(deferred_finish_);
            deferred_finish_.reset();
          }
        }
        if (deferred.has_value()) Perform(*std::move(deferred));
        return;
      }
      case Action::kFinish:
        Finish(action.status);
        if (action.cancel_if_stalled) CancelIfStillStalled();
        return;
    }
  }

  // The stream was finished after writes that may not have reached the client (an overflow or
  // shutdown with a write outstanding, or buffered writes stuck in flow control). Its status is
  // queued behind them: a client that reads gets both, but one that stopped reading would hold
  // the call (and the server's shutdown) open, so after a grace period it is cancelled.
  void CancelIfStillStalled() {
    absl::MutexLock lock(&call_mu_);
    if (call_done_) return;  // the write completed after all
    alarm_set_ = true;
    Ref();
    stalled_write_alarm_.Set(absl::ToChronoTime(absl::Now() + owner_->stalled_write_grace_),
                             [this](bool expired) {
                               {
                                 // OnDone ends the context's life: never cancel after it.
                                 absl::MutexLock lock(&call_mu_);
                                 if (expired && !call_done_) context_->TryCancel();
                               }
                               Unref();
                             });
  }

  ChecklistGrpcService* const owner_;
  WatchWorker& worker_;
  grpc::CallbackServerContext* const context_;
  const std::optional<v1::WatchEventsRequest> request_;
  std::atomic<int> refs_{1};

  absl::Mutex mu_;
  std::unique_ptr<EventWatch> watch_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer message_;  // written under mu_ only while no write is outstanding
  bool wrote_any_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // Writes decided and not yet started, and a finish decided meanwhile, made after them.
  int issuing_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<Action> deferred_finish_ ABSL_GUARDED_BY(mu_);

  absl::Mutex call_mu_;
  bool call_done_ ABSL_GUARDED_BY(call_mu_) = false;
  bool alarm_set_ ABSL_GUARDED_BY(call_mu_) = false;
  grpc::Alarm stalled_write_alarm_;
};

absl::StatusOr<WatchRequest> ChecklistGrpcService::PrepareWatch(
    const grpc::CallbackServerContext& context, const v1::WatchEventsRequest& request) const {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(context, auth::Permission::kWatch);
  if (!principal.ok()) return principal.status();
  if (absl::Status s = CheckRequestText(request); !s.ok()) return s;
  if (!request.tenant().empty()) {
    if (absl::Status s = api::ValidateTenantId("tenant", request.tenant()); !s.ok()) return s;
  }
  WatchRequest watch;
  watch.after_sequence = request.after_sequence();
  watch.log_epoch = request.log_epoch();
  absl::StatusOr<std::string> tenant = auth::ScopedTenantFilter(*principal, request.tenant());
  if (!tenant.ok()) return tenant.status();
  watch.filter.tenant = *tenant;
  if (!request.launch().empty()) {
    absl::StatusOr<std::string> id = api::ParseLaunchName(request.launch(), "launch");
    if (!id.ok()) return id.status();
    watch.filter.launch_id = *std::move(id);
  }
  if (!watch.filter.launch_id.empty()) {
    if (absl::Status s = CheckLaunchVisible(*principal, watch.filter.launch_id); !s.ok()) {
      return s;
    }
  }
  return watch;
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* ChecklistGrpcService::WatchEvents(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request) {
  std::optional<v1::WatchEventsRequest> request(std::in_place);
  if (!ParseRawRequest(*raw_request, &*request)) request.reset();
  // Everything else, even the authorization, runs on the worker: this is a gRPC callback thread.
  return new WatchReactor(this, context, std::move(request));
}

}  // namespace preflight::checklist
