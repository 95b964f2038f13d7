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
#include "common/api/resource_names.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "notifier-service/domain/delivery.h"
#include "notifier-service/domain/notifier_store.h"
#include "notifier-service/domain/recipient.h"
#include "notifier-service/engine/forecast.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::notifier {

// ---- Resource names and etags ------------------------------------------------------------------
// They are the API's (common/api/resource_names.h, common/api/etag.h). A delivery about no item
// (a test delivery) has no item name:
// "" when either part is empty, else api::ItemName.
std::string ItemNameOrEmpty(absl::string_view launch_id, absl::string_view code);

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
