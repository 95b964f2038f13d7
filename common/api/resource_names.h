#pragma once

// The API's resource names (AIP-122), formatted and parsed only here, one grammar each:
//   launches/{launch}                    launch id: [a-z0-9_-]{1,64}
//   launches/{launch}/items/{code}       item code: [A-Z0-9_]{1,64}
//   tenants/{tenant}                     the tenant rule (tenant_id.h)
//   recipients/{id}                      a recipient without a tenant; id: [a-z0-9._@-]{1,128}
//   tenants/{tenant}/recipients/{id}     a tenant's recipient
//   {recipient}/inbox/{message}          message: a positive integer
//   deliveries/{id}                      a positive integer
//   tokens/{id}                          12 lowercase hex digits
// Every parser answers INVALID_ARGUMENT "<field>: required" for an empty name and
// "<field>: '<short prefix>' is not a <kind> name (<pattern>)" for a malformed one, never echoing
// more than a short prefix of what it was given.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/api/limits.h"

namespace preflight::api {

bool IsLaunchId(absl::string_view id);
bool IsItemCode(absl::string_view code);
bool IsRecipientId(absl::string_view id);
bool IsTokenId(absl::string_view id);

// An item's name taken apart.
struct ItemKey {
  std::string launch_id;
  std::string code;
};

// A recipient's name taken apart; tenant "" for "recipients/{id}".
struct RecipientKey {
  std::string tenant;
  std::string id;
};

// What a recipient subscribes to: "tenants/{tenant}" or "launches/{launch}".
struct SubscriptionTarget {
  enum class Kind { kTenant, kLaunch };
  Kind kind = Kind::kTenant;
  // The tenant id or the launch id.
  std::string id;
};

std::string LaunchName(absl::string_view launch_id);
std::string ItemName(absl::string_view launch_id, absl::string_view code);
inline std::string ItemName(const ItemKey& key) { return ItemName(key.launch_id, key.code); }
std::string TenantName(absl::string_view tenant);
// "recipients/{id}" for tenant "", else "tenants/{tenant}/recipients/{id}".
std::string RecipientName(absl::string_view tenant, absl::string_view id);
inline std::string RecipientName(const RecipientKey& key) {
  return RecipientName(key.tenant, key.id);
}
std::string InboxMessageName(absl::string_view tenant, absl::string_view recipient_id,
                             int64_t message_id);
std::string DeliveryName(int64_t id);
std::string TokenName(absl::string_view id);
// "calendarFeeds/{id}", the id 16 lowercase hex digits.
std::string CalendarFeedName(absl::string_view id);

absl::StatusOr<std::string> ParseLaunchName(absl::string_view name, absl::string_view field);
absl::StatusOr<ItemKey> ParseItemName(absl::string_view name, absl::string_view field);
absl::StatusOr<std::string> ParseTenantName(absl::string_view name, absl::string_view field);
absl::StatusOr<RecipientKey> ParseRecipientName(absl::string_view name, absl::string_view field);
absl::StatusOr<int64_t> ParseDeliveryName(absl::string_view name, absl::string_view field);
absl::StatusOr<std::string> ParseTokenName(absl::string_view name, absl::string_view field);
absl::StatusOr<std::string> ParseCalendarFeedName(absl::string_view name, absl::string_view field);
absl::StatusOr<SubscriptionTarget> ParseSubscriptionTarget(absl::string_view target,
                                                           absl::string_view field);
std::string SubscriptionTargetName(const SubscriptionTarget& target);

// Shorthands people type (the CLI), where the collection prefix may be left out: "l1" and
// "launches/l1" are both "launches/l1"; "li.na" is "recipients/li.na" while a name under
// "tenants/" stays as it is; "ab12cd34ef56" is "tokens/ab12cd34ef56". Nothing is validated: the
// service judges the name.
std::string LaunchNameFromShorthand(absl::string_view text);
std::string RecipientNameFromShorthand(absl::string_view text);
std::string TokenNameFromShorthand(absl::string_view text);
std::string CalendarFeedNameFromShorthand(absl::string_view text);
// "launches/l1/items/ICP_FILING" or "l1/items/ICP_FILING"; nullopt when `text` is not a launch
// and a code, both non-empty and without further slashes, around "/items/".
std::optional<std::string> ItemNameFromShorthand(absl::string_view text);
// The item `code` of the launch shorthand `launch`.
std::string ItemNameFromShorthand(absl::string_view launch, absl::string_view code);
// Whether `text` has the "/items/" of an item name in it (so it is not a launch).
bool MentionsItem(absl::string_view text);

// The launch an item name belongs to ("launches/l1" for "launches/l1/items/ICP_FILING"), or ""
// when `item_name` is not an item name.
std::string LaunchNameOfItem(absl::string_view item_name);

}  // namespace preflight::api
