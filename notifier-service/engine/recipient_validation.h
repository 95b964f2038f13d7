#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "notifier-service/domain/recipient.h"

namespace preflight::notifier {

// INVALID_ARGUMENT naming the field and the limit (notifier_limits.h) when a recipient is
// malformed: the id (lowercase letters, digits, ".", "_", "-", "@"), the tenant (like the
// checklist's tenant ids), the display name, the language ("", "zh", "en"), at least one and at
// most kMaxChannelsPerRecipient channels, each with the target its type needs, a valid secret
// reference (env:NAME or file:/path, never a literal secret), and subscriptions of the form
// "tenants/{tenant}" or "launches/{launch}"; a tenant's recipient may follow only its own tenant
// ("tenants/{its tenant}"; that its launches are its tenant's is for the caller to check).
// Values are quoted at most QuoteForError's short prefix (common/error_text.h).
// Webhook and bot targets must pass CheckWebhookUrl (url_safety.h): https, or http only to a
// loopback host or one of `http_allow_hosts`; no userinfo; no internal literal address unless
// allow-listed; and no "***" placeholder left from a redacted answer. Error messages show URLs
// redacted.
absl::Status ValidateRecipient(const Recipient& recipient,
                               const std::vector<std::string>& http_allow_hosts = {});

}  // namespace preflight::notifier
