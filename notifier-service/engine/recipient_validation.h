#pragma once

#include "absl/status/status.h"
#include "notifier-service/domain/recipient.h"

namespace preflight::notifier {

// INVALID_ARGUMENT naming the field when a recipient is malformed: the id (lowercase letters,
// digits, ".", "_", "-", "@", at most 128), the language ("", "zh", "en"), at least one and at
// most 16 channels, each with the target its type needs (an http(s) URL for webhooks and bots, an
// email address for email, nothing for log and inbox), a valid secret reference, and
// subscriptions of the form "tenants/{tenant}" or "launches/{launch}".
absl::Status ValidateRecipient(const Recipient& recipient);

}  // namespace preflight::notifier
