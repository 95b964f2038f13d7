#pragma once

// Translation between the preflight.v1 notifier protos and the notifier's domain types. Requests
// are checked here for what only the wire can get wrong (malformed names, unknown enum values,
// unknown mask paths, out-of-range times); everything else is the engine's to judge.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "notifier-service/domain/delivery.h"
#include "notifier-service/domain/recipient.h"
#include "notifier-service/engine/forecast.h"
#include "notifier-service/storage/notifier_store.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::notifier {

// ---- Resource names -----------------------------------------------------------------------------
// Each parser returns INVALID_ARGUMENT "<field>: ..." when `name` is empty or malformed, quoting
// at most a short prefix of it (QuoteForError).

// A recipient's name taken apart: a tenant's recipient is "tenants/{tenant}/recipients/{id}", a
// tenant-less one "recipients/{id}" (tenant "").
struct RecipientNameParts {
  std::string tenant;
  std::string id;
};

// "recipients/{id}" or "tenants/{tenant}/recipients/{id}" (the id: lowercase letters, digits,
// ".", "_", "-", "@"; at most 128; the tenant: a tenant id).
absl::StatusOr<RecipientNameParts> ParseRecipientName(absl::string_view name,
                                                      absl::string_view field);
// "launches/{id}" -> id.
absl::StatusOr<std::string> ParseLaunchName(absl::string_view name, absl::string_view field);
// "launches/{launch}/items/{code}" -> (launch id, code).
absl::StatusOr<std::pair<std::string, std::string>> ParseItemName(absl::string_view name,
                                                                  absl::string_view field);
// "deliveries/{id}" -> id (positive).
absl::StatusOr<int64_t> ParseDeliveryName(absl::string_view name, absl::string_view field);

// "recipients/{id}" for tenant "", else "tenants/{tenant}/recipients/{id}".
std::string RecipientName(absl::string_view tenant, absl::string_view id);
inline std::string RecipientName(const RecipientNameParts& parts) {
  return RecipientName(parts.tenant, parts.id);
}
std::string LaunchName(absl::string_view launch_id);
// Empty when either part is empty (test deliveries are about no item).
std::string ItemName(absl::string_view launch_id, absl::string_view code);
std::string DeliveryName(int64_t id);
// "<recipient name>/inbox/{id}".
std::string InboxMessageName(absl::string_view recipient_tenant, absl::string_view recipient_id,
                             int64_t id);

// ---- Etags --------------------------------------------------------------------------------------
// "<version>-<12 hex>", derived from the resource name and its version like the checklist's.
std::string MakeEtag(absl::string_view resource_name, int64_t version);
// The version an etag stands for, or ABORTED when it was not issued for this resource.
absl::StatusOr<int64_t> ParseEtag(absl::string_view etag, absl::string_view resource_name);

// ---- Times --------------------------------------------------------------------------------------
google::protobuf::Timestamp ToTimestamp(absl::Time time);
// INVALID_ARGUMENT naming `field` when outside 0001-01-01..9999-12-31 or nanos out of range.
absl::StatusOr<absl::Time> FromTimestamp(const google::protobuf::Timestamp& timestamp,
                                         absl::string_view field);
// INVALID_ARGUMENT naming `field` for an out-of-range or inconsistently signed duration.
absl::StatusOr<absl::Duration> FromDurationProto(const google::protobuf::Duration& duration,
                                                 absl::string_view field);

// ---- Enums --------------------------------------------------------------------------------------
v1::ChannelType ToProto(ChannelType type);
v1::DeliveryState ToProto(DeliveryState state);
v1::ReminderKind ToProto(RungKind kind);
// UNSPECIFIED is "required"; unknown numbers are refused.
absl::StatusOr<ChannelType> ChannelTypeFromProto(int type, absl::string_view field);
// UNSPECIFIED means "no filter".
absl::StatusOr<std::optional<ChannelType>> OptionalChannelTypeFromProto(int type,
                                                                        absl::string_view field);
absl::StatusOr<std::optional<DeliveryState>> OptionalDeliveryStateFromProto(
    int state, absl::string_view field);

// ---- Messages -----------------------------------------------------------------------------------
v1::RecipientChannel ToProto(const RecipientChannel& channel);
absl::StatusOr<RecipientChannel> RecipientChannelFromProto(const v1::RecipientChannel& channel,
                                                           absl::string_view field);
// With name, etag and times. Webhook and bot URLs are redacted (RedactUrl: "key=***", the hook
// token "***"); secret references are returned as stored: they name where the secret is, never
// the secret.
v1::Recipient ToProto(const Recipient& recipient);
// A new recipient from CreateRecipient: name is required; output-only fields are ignored. The
// tenant is the name's ("tenants/{tenant}/recipients/{id}"; a `tenant` field, if set, must say
// the same), or, for "recipients/{id}", the `tenant` field: "recipients/li.na" with tenant
// "acme" is acme's li.na, as clients from before tenants had recipients of their own send it.
absl::StatusOr<Recipient> NewRecipientFromProto(const v1::Recipient& recipient);
// Copies the fields `mask` names from `patch` onto `current`. Paths: display_name, language,
// channels, digest, subscriptions. INVALID_ARGUMENT for an empty mask, an unknown or immutable
// path, or a path named twice. A patched channel whose target is the redacted form of one of
// `current`'s targets of the same type (as ToProto returned it) keeps the stored URL; any other
// "***" placeholder is left for ValidateRecipient to refuse.
absl::Status ApplyRecipientMask(const v1::Recipient& patch, const google::protobuf::FieldMask& mask,
                                Recipient& current);

// Provider answers are passed through RedactSecrets.
v1::DeliveryAttempt ToProto(const DeliveryAttempt& attempt);
// The body is the Markdown for channels that render it, else the plain text.
v1::Delivery ToProto(const Delivery& delivery);
v1::Reminder ToProto(const ForecastEntry& entry);
v1::ItemReminderState ToProto(const ItemRecord& record);
v1::InboxMessage ToProto(const InboxMessage& message);

}  // namespace preflight::notifier
