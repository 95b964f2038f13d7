#include "notifier-service/grpc/notifier_grpc_service.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/etag.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/api/tenant_id.h"
#include "common/auth/tenant_scope.h"
#include "common/error_text.h"
#include "common/grpc_status.h"
#include "common/request_text.h"
#include "notifier-service/grpc/notifier_proto_mapping.h"

namespace preflight::notifier {
namespace {

grpc::Status Invalid(absl::string_view field, absl::string_view problem) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, absl::StrCat(field, ": ", problem));
}

// The effective page size: 0 means `default_size`; negative or above `max_size` is refused.
grpc::Status PageSize(int requested, int max_size, int default_size, int& out) {
  if (requested < 0 || requested > max_size) {
    return Invalid("page_size",
                   absl::StrCat("must be between 0 and ", max_size, ", got ", requested));
  }
  out = requested == 0 ? default_size : requested;
  return grpc::Status::OK;
}

// Length-prefixed fields ("3:abc0:"): unambiguous whatever the fields hold. Used for page-token
// scopes (the request's filters) and for positions made of several keys.
std::string JoinFields(std::initializer_list<absl::string_view> fields) {
  std::string out;
  for (absl::string_view field : fields) absl::StrAppend(&out, field.size(), ":", field);
  return out;
}

std::optional<std::vector<std::string>> SplitFields(absl::string_view text) {
  std::vector<std::string> fields;
  while (!text.empty()) {
    const size_t colon = text.find(':');
    size_t size = 0;
    if (colon == absl::string_view::npos || !absl::SimpleAtoi(text.substr(0, colon), &size) ||
        size > text.size() - colon - 1) {
      return std::nullopt;
    }
    fields.emplace_back(text.substr(colon + 1, size));
    text.remove_prefix(colon + 1 + size);
  }
  return fields;
}

grpc::Status BadPageToken() { return Invalid("page_token", "invalid page token"); }

// The tenant filter (a tenant id, or empty) and the page token, checked before any work is done
// with them.
grpc::Status CheckListRequest(absl::string_view tenant, absl::string_view page_token) {
  if (!tenant.empty()) {
    if (absl::Status s = api::ValidateTenantId("tenant", tenant); !s.ok()) return ToGrpcStatus(s);
  }
  if (page_token.size() > api::kMaxPageTokenLength) {
    return Invalid("page_token", absl::StrCat("too long (", page_token.size(), " bytes, at most ",
                                              api::kMaxPageTokenLength, ")"));
  }
  return grpc::Status::OK;
}

// A numeric keyset position (a delivery or inbox id); 0 when there is no token.
grpc::Status DecodeIdPosition(const PageTokenCodec& codec, absl::string_view token,
                              absl::string_view scope, int64_t& position) {
  position = 0;
  if (token.empty()) return grpc::Status::OK;
  absl::StatusOr<std::string> decoded = codec.Decode(token, scope);
  if (!decoded.ok()) return ToGrpcStatus(decoded.status());
  if (!absl::SimpleAtoi(*decoded, &position) || position <= 0) return BadPageToken();
  return grpc::Status::OK;
}

// Where a reminder sits in the forecast's order: send time, launch, item, rung.
using ReminderKey = std::tuple<int64_t, std::string, std::string, std::string>;

ReminderKey KeyOf(const ForecastEntry& entry) {
  return ReminderKey(absl::ToUnixNanos(entry.send_time), ForecastLaunchKey(entry), entry.item.code,
                     entry.rung.id);
}

std::string EncodeReminderKey(const ReminderKey& key) {
  const std::string nanos = absl::StrCat(std::get<0>(key));
  return JoinFields({nanos, std::get<1>(key), std::get<2>(key), std::get<3>(key)});
}

std::optional<ReminderKey> DecodeReminderKey(absl::string_view text) {
  std::optional<std::vector<std::string>> fields = SplitFields(text);
  int64_t nanos = 0;
  if (!fields.has_value() || fields->size() != 4 || !absl::SimpleAtoi((*fields)[0], &nanos)) {
    return std::nullopt;
  }
  return ReminderKey(nanos, (*fields)[1], (*fields)[2], (*fields)[3]);
}

}  // namespace

const auth::CallAuthorizer NotifierGrpcService::kNoAuthentication(nullptr);

NotifierGrpcService::NotifierGrpcService(
    NotifierEngine* engine, PageTokenCodec page_tokens,
    std::function<v1::SubscriptionStatus()> subscription_status,
    const auth::CallAuthorizer* authorizer)
    : authorizer_(authorizer != nullptr ? authorizer : &kNoAuthentication),
      engine_(engine),
      page_tokens_(std::move(page_tokens)),
      subscription_status_(std::move(subscription_status)) {}

absl::Status NotifierGrpcService::CheckLaunchVisible(const auth::Principal& principal,
                                                     const std::string& launch_id) const {
  if (principal.AllTenants()) return absl::OkStatus();
  absl::StatusOr<std::optional<LaunchInfo>> launch = engine_->GetLaunch(launch_id);
  if (!launch.ok()) return launch.status();
  // Unknown and another tenant's answer alike, so the other tenant's launch is not revealed.
  if (!launch->has_value() || (*launch)->tenant != principal.tenant) {
    return absl::NotFoundError(absl::StrCat("launch ", api::LaunchName(launch_id), " not found"));
  }
  return absl::OkStatus();
}

absl::Status NotifierGrpcService::CheckRecipientVisible(const auth::Principal& principal,
                                                        const api::RecipientKey& name) const {
  if (principal.AllTenants()) return absl::OkStatus();
  // Another tenant's recipient, or a tenant-less one, answers exactly as a missing one.
  if (name.tenant != principal.tenant) {
    return absl::NotFoundError(absl::StrCat(api::RecipientName(name), ": no such recipient"));
  }
  return engine_->GetRecipient(name.tenant, name.id).status();
}

absl::Status NotifierGrpcService::CheckSubscriptions(const auth::Principal& principal,
                                                     const Recipient& recipient) const {
  for (size_t i = 0; i < recipient.subscriptions.size(); ++i) {
    const std::string field = absl::StrCat("recipient.subscriptions[", i, "]");
    // A malformed target is left to the validation (INVALID_ARGUMENT).
    absl::StatusOr<api::SubscriptionTarget> target =
        api::ParseSubscriptionTarget(recipient.subscriptions[i], field);
    if (!target.ok()) continue;
    if (target->kind == api::SubscriptionTarget::Kind::kTenant) {
      // Tenant ids are not secret: naming another tenant is PERMISSION_DENIED for a scoped
      // caller.
      if (!principal.CanSeeTenant(target->id)) {
        const absl::Status denied = auth::OutOfTenantScope(principal, target->id);
        return absl::PermissionDeniedError(absl::StrCat(field, ": ", denied.message()));
      }
      continue;
    }
    // A tenant's recipient follows only its tenant's launches. An unknown launch and another
    // tenant's answer alike, so this never reveals another tenant's launch ids.
    if (recipient.tenant.empty()) continue;
    absl::StatusOr<std::optional<LaunchInfo>> launch = engine_->GetLaunch(target->id);
    if (!launch.ok()) return launch.status();
    if (!launch->has_value() || (*launch)->tenant != recipient.tenant) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", recipient.subscriptions[i], " is not a launch of tenant ",
                       recipient.tenant, " that the notifier knows of"));
    }
  }
  return absl::OkStatus();
}

grpc::Status NotifierGrpcService::ListReminders(grpc::ServerContext* context,
                                                const v1::ListRemindersRequest* request,
                                                v1::ListRemindersResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (request->days() < 0 || request->days() > kMaxForecastDays) {
    return Invalid("days", absl::StrCat("must be between 0 and ", kMaxForecastDays, ", got ",
                                        request->days()));
  }
  const int days = request->days() == 0 ? kDefaultForecastDays : request->days();
  if (grpc::Status s = CheckListRequest(request->tenant(), request->page_token()); !s.ok()) {
    return s;
  }
  int page_size = 0;
  if (grpc::Status s =
          PageSize(request->page_size(), kMaxReminderPageSize, kDefaultReminderPageSize, page_size);
      !s.ok()) {
    return s;
  }
  ForecastQuery query;
  query.horizon = absl::Hours(24) * days;
  absl::StatusOr<std::string> tenant = auth::ScopedTenantFilter(*principal, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  query.tenant = *tenant;
  if (!request->launch().empty()) {
    absl::StatusOr<std::string> id = api::ParseLaunchName(request->launch(), "launch");
    if (!id.ok()) return ToGrpcStatus(id.status());
    query.launch_id = *std::move(id);
  }
  std::optional<api::RecipientKey> recipient;
  if (!request->recipient().empty()) {
    absl::StatusOr<api::RecipientKey> name =
        api::ParseRecipientName(request->recipient(), "recipient");
    if (!name.ok()) return ToGrpcStatus(name.status());
    query.recipient_tenant = name->tenant;
    query.recipient_id = name->id;
    recipient = *std::move(name);
  }
  if (!query.launch_id.empty()) {
    if (absl::Status s = CheckLaunchVisible(*principal, query.launch_id); !s.ok())
      return ToGrpcStatus(s);
  }
  if (recipient.has_value()) {
    if (absl::Status s = CheckRecipientVisible(*principal, *recipient); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  const std::string days_text = absl::StrCat(days);
  const std::string scope = JoinFields(
      {"reminders", days_text, request->tenant(), request->launch(), request->recipient()});
  std::optional<ReminderKey> after;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::string> position = page_tokens_.Decode(request->page_token(), scope);
    if (!position.ok()) return ToGrpcStatus(position.status());
    after = DecodeReminderKey(*position);
    if (!after.has_value()) return BadPageToken();
  }

  absl::StatusOr<std::vector<ForecastEntry>> entries = engine_->ListReminders(query);
  if (!entries.ok()) return ToGrpcStatus(entries.status());
  // Keyset over the forecast's own order, so a page boundary survives entries coming and going
  // between two calls.
  std::optional<ReminderKey> last;
  for (const ForecastEntry& entry : *entries) {
    ReminderKey key = KeyOf(entry);
    if (after.has_value() && !(*after < key)) continue;
    if (response->reminders_size() == page_size) {
      response->set_next_page_token(page_tokens_.Encode(scope, EncodeReminderKey(*last)));
      break;
    }
    *response->add_reminders() = ToProto(entry);
    last = std::move(key);
  }
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::ListDeliveries(grpc::ServerContext* context,
                                                 const v1::ListDeliveriesRequest* request,
                                                 v1::ListDeliveriesResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  int page_size = 0;
  if (grpc::Status s =
          PageSize(request->page_size(), kMaxDeliveryPageSize, kDefaultDeliveryPageSize, page_size);
      !s.ok()) {
    return s;
  }
  if (grpc::Status s = CheckListRequest(request->tenant(), request->page_token()); !s.ok()) {
    return s;
  }
  DeliveryFilter filter;
  absl::StatusOr<std::string> tenant = auth::ScopedTenantFilter(*principal, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  filter.tenant = *tenant;
  if (!request->launch().empty()) {
    absl::StatusOr<std::string> id = api::ParseLaunchName(request->launch(), "launch");
    if (!id.ok()) return ToGrpcStatus(id.status());
    filter.launch_id = *std::move(id);
  }
  if (!request->item().empty()) {
    absl::StatusOr<api::ItemKey> item = api::ParseItemName(request->item(), "item");
    if (!item.ok()) return ToGrpcStatus(item.status());
    if (!filter.launch_id.empty() && filter.launch_id != item->launch_id) {
      return Invalid("item", absl::StrCat(QuoteForError(request->item()), " is not an item of ",
                                          QuoteForError(request->launch())));
    }
    filter.launch_id = item->launch_id;
    filter.item_code = item->code;
  }
  std::optional<api::RecipientKey> recipient;
  if (!request->recipient().empty()) {
    absl::StatusOr<api::RecipientKey> name =
        api::ParseRecipientName(request->recipient(), "recipient");
    if (!name.ok()) return ToGrpcStatus(name.status());
    filter.recipient_tenant = name->tenant;
    filter.recipient_id = name->id;
    recipient = *std::move(name);
  }
  absl::StatusOr<std::optional<DeliveryState>> state =
      OptionalDeliveryStateFromProto(request->state(), "state");
  if (!state.ok()) return ToGrpcStatus(state.status());
  filter.state = *state;
  absl::StatusOr<std::optional<ChannelType>> channel =
      OptionalChannelTypeFromProto(request->channel(), "channel");
  if (!channel.ok()) return ToGrpcStatus(channel.status());
  filter.channel = *channel;

  if (!filter.launch_id.empty()) {
    if (absl::Status s = CheckLaunchVisible(*principal, filter.launch_id); !s.ok())
      return ToGrpcStatus(s);
  }
  if (recipient.has_value()) {
    if (absl::Status s = CheckRecipientVisible(*principal, *recipient); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  const std::string state_text = absl::StrCat(request->state());
  const std::string channel_text = absl::StrCat(request->channel());
  const std::string scope =
      JoinFields({"deliveries", request->tenant(), request->launch(), request->item(),
                  request->recipient(), state_text, channel_text});
  int64_t before_id = 0;
  if (grpc::Status s = DecodeIdPosition(page_tokens_, request->page_token(), scope, before_id);
      !s.ok()) {
    return s;
  }
  // One more than the page tells whether another page follows.
  absl::StatusOr<std::vector<Delivery>> deliveries =
      engine_->ListDeliveries(filter, before_id, page_size + 1);
  if (!deliveries.ok()) return ToGrpcStatus(deliveries.status());
  const bool more = static_cast<int>(deliveries->size()) > page_size;
  if (more) deliveries->resize(page_size);
  for (const Delivery& delivery : *deliveries) *response->add_deliveries() = ToProto(delivery);
  if (more) {
    response->set_next_page_token(page_tokens_.Encode(scope, absl::StrCat(deliveries->back().id)));
  }
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::CreateRecipient(grpc::ServerContext* context,
                                                  const v1::CreateRecipientRequest* request,
                                                  v1::Recipient* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kAdmin);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->has_recipient()) return Invalid("recipient", "required");
  absl::StatusOr<Recipient> recipient = NewRecipientFromProto(request->recipient());
  if (!recipient.ok()) return ToGrpcStatus(recipient.status());
  if (!principal->CanSeeTenant(recipient->tenant)) {
    return ToGrpcStatus(auth::OutOfTenantScope(*principal, recipient->tenant));
  }
  if (absl::Status s = CheckSubscriptions(*principal, *recipient); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<Recipient> created = engine_->CreateRecipient(*std::move(recipient));
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response = ToProto(*created);
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::GetRecipient(grpc::ServerContext* context,
                                               const v1::GetRecipientRequest* request,
                                               v1::Recipient* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<api::RecipientKey> name = api::ParseRecipientName(request->name(), "name");
  if (!name.ok()) return ToGrpcStatus(name.status());
  if (absl::Status s = CheckRecipientVisible(*principal, *name); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<Recipient> recipient = engine_->GetRecipient(name->tenant, name->id);
  if (!recipient.ok()) return ToGrpcStatus(recipient.status());
  *response = ToProto(*recipient);
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::ListRecipients(grpc::ServerContext* context,
                                                 const v1::ListRecipientsRequest* request,
                                                 v1::ListRecipientsResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  int page_size = 0;
  if (grpc::Status s = PageSize(request->page_size(), kMaxRecipientPageSize,
                                kDefaultRecipientPageSize, page_size);
      !s.ok()) {
    return s;
  }
  if (grpc::Status s = CheckListRequest(request->tenant(), request->page_token()); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> tenant = auth::ScopedTenantFilter(*principal, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  const std::string scope = JoinFields({"recipients", request->tenant()});
  // The position is the last recipient's (tenant, id): recipients are ordered by both.
  std::string after_tenant;
  std::string after_id;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::string> position = page_tokens_.Decode(request->page_token(), scope);
    if (!position.ok()) return ToGrpcStatus(position.status());
    std::optional<std::vector<std::string>> fields = SplitFields(*position);
    if (!fields.has_value() || fields->size() != 2 || (*fields)[1].empty()) return BadPageToken();
    after_tenant = (*fields)[0];
    after_id = (*fields)[1];
  }
  absl::StatusOr<std::vector<Recipient>> recipients =
      engine_->ListRecipients(*tenant, after_tenant, after_id, page_size + 1);
  if (!recipients.ok()) return ToGrpcStatus(recipients.status());
  const bool more = static_cast<int>(recipients->size()) > page_size;
  if (more) recipients->resize(page_size);
  for (const Recipient& recipient : *recipients) *response->add_recipients() = ToProto(recipient);
  if (more) {
    response->set_next_page_token(
        page_tokens_.Encode(scope, JoinFields({recipients->back().tenant, recipients->back().id})));
  }
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::UpdateRecipient(grpc::ServerContext* context,
                                                  const v1::UpdateRecipientRequest* request,
                                                  v1::Recipient* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kAdmin);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->has_recipient()) return Invalid("recipient", "required");
  absl::StatusOr<api::RecipientKey> parts =
      api::ParseRecipientName(request->recipient().name(), "recipient.name");
  if (!parts.ok()) return ToGrpcStatus(parts.status());
  // The mask is checked before anything is read, so a bad request never depends on the state.
  Recipient scratch;
  if (absl::Status s = ApplyRecipientMask(request->recipient(), request->update_mask(), scratch);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = CheckRecipientVisible(*principal, *parts); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<Recipient> current = engine_->GetRecipient(parts->tenant, parts->id);
  if (!current.ok()) return ToGrpcStatus(current.status());
  const std::string name = api::RecipientName(*parts);
  if (!request->etag().empty()) {
    absl::StatusOr<int64_t> version = api::ParseEtag(request->etag(), name);
    if (!version.ok()) return ToGrpcStatus(version.status());
    if (*version != current->version) {
      return grpc::Status(
          grpc::StatusCode::ABORTED,
          absl::StrCat("etag mismatch: ", name, " has changed since ",
                       QuoteForError(request->etag()), " was read; read it again and retry"));
    }
  }
  Recipient updated = *std::move(current);
  if (absl::Status s = ApplyRecipientMask(request->recipient(), request->update_mask(), updated);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  for (const std::string& path : request->update_mask().paths()) {
    if (path != "subscriptions") continue;
    if (absl::Status s = CheckSubscriptions(*principal, updated); !s.ok()) return ToGrpcStatus(s);
  }
  // The store writes only over the version read above: a concurrent update makes this ABORTED.
  updated.version += 1;
  absl::StatusOr<Recipient> written = engine_->UpdateRecipient(std::move(updated));
  if (!written.ok()) return ToGrpcStatus(written.status());
  *response = ToProto(*written);
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::DeleteRecipient(grpc::ServerContext* context,
                                                  const v1::DeleteRecipientRequest* request,
                                                  v1::DeleteRecipientResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kAdmin);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<api::RecipientKey> name = api::ParseRecipientName(request->name(), "name");
  if (!name.ok()) return ToGrpcStatus(name.status());
  if (absl::Status s = CheckRecipientVisible(*principal, *name); !s.ok()) return ToGrpcStatus(s);
  std::optional<int64_t> expected_version;
  if (!request->etag().empty()) {
    absl::StatusOr<int64_t> version = api::ParseEtag(request->etag(), api::RecipientName(*name));
    if (!version.ok()) return ToGrpcStatus(version.status());
    expected_version = *version;
  }
  return ToGrpcStatus(engine_->DeleteRecipient(name->tenant, name->id, expected_version));
}

grpc::Status NotifierGrpcService::SnoozeReminder(grpc::ServerContext* context,
                                                 const v1::SnoozeReminderRequest* request,
                                                 v1::ItemReminderState* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWrite);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<api::ItemKey> item = api::ParseItemName(request->item(), "item");
  if (!item.ok()) return ToGrpcStatus(item.status());
  if (absl::Status s = CheckLaunchVisible(*principal, item->launch_id); !s.ok())
    return ToGrpcStatus(s);
  if (request->has_snooze_until() && request->has_snooze_for()) {
    return Invalid("snooze_for", "give either snooze_until or snooze_for, not both");
  }
  absl::Time until;
  if (request->has_snooze_until()) {
    absl::StatusOr<absl::Time> time = FromTimestamp(request->snooze_until(), "snooze_until");
    if (!time.ok()) return ToGrpcStatus(time.status());
    until = *time;
  } else if (request->has_snooze_for()) {
    absl::StatusOr<absl::Duration> duration =
        FromDurationProto(request->snooze_for(), "snooze_for");
    if (!duration.ok()) return ToGrpcStatus(duration.status());
    if (*duration <= absl::ZeroDuration()) return Invalid("snooze_for", "must be positive");
    if (*duration > absl::Hours(24) * kMaxSnoozeDays) {
      return Invalid("snooze_for", absl::StrCat("at most ", kMaxSnoozeDays, " days"));
    }
    until = engine_->clock().Now() + *duration;
  } else {
    return Invalid("snooze_until", "required: give snooze_until or snooze_for");
  }
  absl::StatusOr<ItemRecord> record = engine_->Snooze(item->launch_id, item->code, until);
  if (!record.ok()) return ToGrpcStatus(record.status());
  *response = ToProto(*record);
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::AcknowledgeReminder(grpc::ServerContext* context,
                                                      const v1::AcknowledgeReminderRequest* request,
                                                      v1::ItemReminderState* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWrite);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<api::ItemKey> item = api::ParseItemName(request->item(), "item");
  if (!item.ok()) return ToGrpcStatus(item.status());
  if (absl::Status s = CheckLaunchVisible(*principal, item->launch_id); !s.ok())
    return ToGrpcStatus(s);
  absl::StatusOr<ItemRecord> record = engine_->Acknowledge(item->launch_id, item->code);
  if (!record.ok()) return ToGrpcStatus(record.status());
  *response = ToProto(*record);
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::SendTestNotification(
    grpc::ServerContext* context, const v1::SendTestNotificationRequest* request,
    v1::SendTestNotificationResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kAdmin);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<api::RecipientKey> name =
      api::ParseRecipientName(request->recipient(), "recipient");
  if (!name.ok()) return ToGrpcStatus(name.status());
  if (absl::Status s = CheckRecipientVisible(*principal, *name); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::optional<ChannelType>> channel =
      OptionalChannelTypeFromProto(request->channel(), "channel");
  if (!channel.ok()) return ToGrpcStatus(channel.status());
  absl::StatusOr<std::vector<Delivery>> deliveries =
      engine_->SendTest(name->tenant, name->id, *channel);
  if (!deliveries.ok()) return ToGrpcStatus(deliveries.status());
  for (const Delivery& delivery : *deliveries) *response->add_deliveries() = ToProto(delivery);
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::ListInboxMessages(grpc::ServerContext* context,
                                                    const v1::ListInboxMessagesRequest* request,
                                                    v1::ListInboxMessagesResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  // A person without a recipient record still has an inbox (the router's default channels), so
  // an unknown recipient simply has no messages.
  absl::StatusOr<api::RecipientKey> name =
      api::ParseRecipientName(request->recipient(), "recipient");
  if (!name.ok()) return ToGrpcStatus(name.status());
  // A scoped token reads only the inboxes of its own tenant's recipients: a person without a
  // recipient record (recipients/{id}, the default channels) may hear from every tenant.
  if (absl::Status s = CheckRecipientVisible(*principal, *name); !s.ok()) return ToGrpcStatus(s);
  int page_size = 0;
  if (grpc::Status s =
          PageSize(request->page_size(), kMaxInboxPageSize, kDefaultInboxPageSize, page_size);
      !s.ok()) {
    return s;
  }
  if (grpc::Status s = CheckListRequest("", request->page_token()); !s.ok()) return s;
  const std::string scope = JoinFields({"inbox", api::RecipientName(*name)});
  int64_t before_id = 0;
  if (grpc::Status s = DecodeIdPosition(page_tokens_, request->page_token(), scope, before_id);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<InboxMessage>> messages =
      engine_->ListInbox(name->tenant, name->id, before_id, page_size + 1);
  if (!messages.ok()) return ToGrpcStatus(messages.status());
  const bool more = static_cast<int>(messages->size()) > page_size;
  if (more) messages->resize(page_size);
  for (const InboxMessage& message : *messages) *response->add_messages() = ToProto(message);
  if (more) {
    response->set_next_page_token(page_tokens_.Encode(scope, absl::StrCat(messages->back().id)));
  }
  return grpc::Status::OK;
}

grpc::Status NotifierGrpcService::GetSubscriptionStatus(
    grpc::ServerContext* context, const v1::GetSubscriptionStatusRequest* request,
    v1::SubscriptionStatus* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!subscription_status_) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "no event subscriber runs in this notifier process");
  }
  *response = subscription_status_();
  return grpc::Status::OK;
}

}  // namespace preflight::notifier
