#pragma once

// How the notifier database stores the values no SQL looks into: JSON texts for an item's info
// and a recipient's channels and subscriptions, and the names its enum columns hold. The JSON is
// what databases in the field already hold: change it only with a migration.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "notifier-service/domain/delivery.h"
#include "notifier-service/domain/model.h"
#include "notifier-service/domain/recipient.h"

namespace preflight::notifier {

// The item fields that no SQL looks at (all but launch_id, code and version, which are columns),
// as one JSON object; absent dates are null.
std::string EncodeItemInfo(const ItemInfo& info);
// An ItemInfo from its columns and EncodeItemInfo text; DATA_LOSS naming the item when the text
// is not such an object (a missing key, a wrong type, a malformed date).
absl::StatusOr<ItemInfo> DecodeItemInfo(std::string launch_id, std::string code, int64_t version,
                                        const std::string& text);

// A recipient's channels as a JSON array of {"type", "target", "secret_ref"}.
std::string EncodeChannels(const std::vector<RecipientChannel>& channels);
// DATA_LOSS naming `recipient` (its resource name) when the text is not such an array.
absl::StatusOr<std::vector<RecipientChannel>> DecodeChannels(const std::string& text,
                                                             absl::string_view recipient);

// A recipient's subscriptions ("tenants/{t}", "launches/{id}") as a JSON array of strings.
std::string EncodeSubscriptions(const std::vector<std::string>& subscriptions);
absl::StatusOr<std::vector<std::string>> DecodeSubscriptions(const std::string& text,
                                                             absl::string_view recipient);

// A recipient's roles as a JSON array of names (RecipientRoleName), e.g. ["manager"]. Decoding
// skips names this version does not know (a newer version's roles).
std::string EncodeRoles(const std::vector<RecipientRole>& roles);
absl::StatusOr<std::vector<RecipientRole>> DecodeRoles(const std::string& text,
                                                       absl::string_view recipient);

// The inverses of DeliveryStateName and RungKindName, for the deliveries columns.
std::optional<DeliveryState> ParseDeliveryState(absl::string_view name);
std::optional<RungKind> ParseRungKind(absl::string_view name);

}  // namespace preflight::notifier
