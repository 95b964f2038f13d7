#pragma once

// Every limit the notifier puts on what clients send, in one place (docs/security.md lists
// them). Exceeding one is INVALID_ARGUMENT naming the field and the limit.

#include <cstddef>

namespace preflight::notifier::limits {

// Recipients.
// Ids, tenants, subscription targets and page tokens follow the limits both services share
// (common/api/limits.h).
inline constexpr size_t kMaxDisplayNameLength = 200;
inline constexpr size_t kMaxChannelsPerRecipient = 16;
// Webhook and bot URLs.
inline constexpr size_t kMaxUrlLength = 2048;
// RFC 5321's limit on a forward path.
inline constexpr size_t kMaxEmailLength = 254;
inline constexpr size_t kMaxSecretRefLength = 1024;
inline constexpr size_t kMaxSubscriptions = 64;

// Requests.
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
