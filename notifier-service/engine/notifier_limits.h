#pragma once

// Every limit the notifier puts on what clients send, in one place (docs/security.md lists
// them). Exceeding one is INVALID_ARGUMENT naming the field and the limit.

#include <cstddef>

namespace preflight::notifier::limits {

// Recipients.
inline constexpr size_t kMaxRecipientIdLength = 128;
// Tenant ids follow the rule both services share: preflight::ValidateTenantId and
// preflight::kMaxTenantLength (common/tenant_id.h).
inline constexpr size_t kMaxDisplayNameLength = 200;
inline constexpr size_t kMaxChannelsPerRecipient = 16;
// Webhook and bot URLs.
inline constexpr size_t kMaxUrlLength = 2048;
// RFC 5321's limit on a forward path.
inline constexpr size_t kMaxEmailLength = 254;
inline constexpr size_t kMaxSecretRefLength = 1024;
inline constexpr size_t kMaxSubscriptions = 64;
// "launches/" plus a 64-byte launch id.
inline constexpr size_t kMaxSubscriptionLength = 73;
inline constexpr size_t kMaxLaunchIdLength = 64;

// Requests.
inline constexpr size_t kMaxPageTokenLength = 1024;
inline constexpr int kMaxReminderPageSize = 1000;
inline constexpr int kDefaultReminderPageSize = 100;
inline constexpr int kMaxDeliveryPageSize = 500;
inline constexpr int kDefaultDeliveryPageSize = 50;
inline constexpr int kMaxRecipientPageSize = 500;
inline constexpr int kDefaultRecipientPageSize = 100;
inline constexpr int kMaxInboxPageSize = 500;
inline constexpr int kDefaultInboxPageSize = 50;
inline constexpr int kMaxForecastDays = 366;
inline constexpr int kMaxSnoozeDays = 30;

}  // namespace preflight::notifier::limits
