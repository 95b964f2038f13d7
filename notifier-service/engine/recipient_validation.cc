#include "notifier-service/engine/recipient_validation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/api/tenant_id.h"
#include "common/error_text.h"
#include "notifier-service/domain/url_safety.h"
#include "notifier-service/engine/notifier_limits.h"
#include "notifier-service/engine/secret_resolver.h"

namespace preflight::notifier {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

bool IsEmailAddress(absl::string_view address) {
  const size_t at = address.find('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != absl::string_view::npos) return false;
  for (char c : address) {
    if (absl::ascii_iscntrl(c) || c == ' ' || c == '<' || c == '>' || c == ',') return false;
  }
  return address.find('.', at) != absl::string_view::npos;
}

bool HasControlCharacters(absl::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_iscntrl(static_cast<unsigned char>(c)); });
}

absl::Status ValidateUrlTarget(const std::string& field, const RecipientChannel& channel,
                               const std::vector<std::string>& http_allow_hosts) {
  const std::string& url = channel.target;
  if (url.empty()) {
    return Invalid(field, absl::StrCat(ChannelTypeName(channel.type), " needs an https URL"));
  }
  if (url.size() > limits::kMaxUrlLength) {
    return Invalid(field, absl::StrCat("too long (", url.size(), " bytes, at most ",
                                       limits::kMaxUrlLength, ")"));
  }
  if (absl::StrContains(url, kRedacted)) {
    return Invalid(field, absl::StrCat("'", RedactUrl(url),
                                       "' holds a *** placeholder that matches none of the "
                                       "recipient's stored URLs: send the full URL"));
  }
  if (absl::Status s = CheckWebhookUrl(url, http_allow_hosts); !s.ok()) {
    return Invalid(field, absl::StrCat(ChannelTypeName(channel.type), " URL ", RedactUrl(url), ": ",
                                       s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRecipient(const Recipient& recipient,
                               const std::vector<std::string>& http_allow_hosts) {
  if (recipient.id.empty() || recipient.id.size() > api::kMaxRecipientIdLength) {
    return Invalid("recipient.name", absl::StrCat("the id must have 1 to ",
                                                  api::kMaxRecipientIdLength, " characters"));
  }
  if (!api::IsRecipientId(recipient.id)) {
    return Invalid("recipient.name",
                   absl::StrCat("the id ", QuoteForError(recipient.id),
                                " may hold only lowercase letters, digits, '.', '_', '-' and '@'"));
  }
  if (!recipient.tenant.empty()) {
    if (absl::Status s = api::ValidateTenantId("recipient.tenant", recipient.tenant); !s.ok())
      return s;
  }
  if (recipient.display_name.size() > limits::kMaxDisplayNameLength) {
    return Invalid("recipient.display_name",
                   absl::StrCat("too long (", recipient.display_name.size(), " bytes, at most ",
                                limits::kMaxDisplayNameLength, ")"));
  }
  if (HasControlCharacters(recipient.display_name)) {
    return Invalid("recipient.display_name", "contains control characters");
  }
  if (!recipient.language.empty() && recipient.language != "zh" && recipient.language != "en") {
    return Invalid("recipient.language", absl::StrCat("must be \"zh\", \"en\" or empty, got ",
                                                      QuoteForError(recipient.language)));
  }
  if (recipient.channels.empty()) {
    return Invalid("recipient.channels", "at least one channel is required");
  }
  if (recipient.tenant.empty() && recipient.HasRole(RecipientRole::kManager)) {
    // A weekly digest is one tenant's: a recipient reachable from every tenant manages none.
    return Invalid("recipient.roles",
                   "a manager must be a tenant's recipient (tenants/{tenant}/recipients/{id})");
  }
  if (recipient.channels.size() > limits::kMaxChannelsPerRecipient) {
    return Invalid("recipient.channels",
                   absl::StrCat("at most ", limits::kMaxChannelsPerRecipient, " channels, got ",
                                recipient.channels.size()));
  }
  for (size_t i = 0; i < recipient.channels.size(); ++i) {
    const RecipientChannel& channel = recipient.channels[i];
    const std::string field = absl::StrCat("recipient.channels[", i, "]");
    switch (channel.type) {
      case ChannelType::kLog:
      case ChannelType::kInbox:
        if (!channel.target.empty()) {
          return Invalid(absl::StrCat(field, ".target"),
                         absl::StrCat(ChannelTypeName(channel.type), " takes no target"));
        }
        break;
      case ChannelType::kEmail:
        if (channel.target.size() > limits::kMaxEmailLength) {
          return Invalid(absl::StrCat(field, ".target"),
                         absl::StrCat("too long (at most ", limits::kMaxEmailLength, " bytes)"));
        }
        if (!IsEmailAddress(channel.target)) {
          return Invalid(absl::StrCat(field, ".target"),
                         absl::StrCat("not an email address: ", QuoteForError(channel.target)));
        }
        break;
      case ChannelType::kWebhook:
      case ChannelType::kWecom:
      case ChannelType::kDingtalk:
      case ChannelType::kFeishu:
      case ChannelType::kSlack:
        if (absl::Status s =
                ValidateUrlTarget(absl::StrCat(field, ".target"), channel, http_allow_hosts);
            !s.ok()) {
          return s;
        }
        break;
      default:
        return Invalid(absl::StrCat(field, ".type"), "unknown channel type");
    }
    if (channel.secret_ref.size() > limits::kMaxSecretRefLength) {
      return Invalid(absl::StrCat(field, ".secret_ref"),
                     absl::StrCat("too long (at most ", limits::kMaxSecretRefLength, " bytes)"));
    }
    if (!IsValidSecretRef(channel.secret_ref)) {
      // Not quoted: a literal secret pasted here must not come back in an error.
      return Invalid(absl::StrCat(field, ".secret_ref"),
                     "must be env:NAME or file:/absolute/path (the secret itself is never "
                     "stored)");
    }
  }
  if (recipient.subscriptions.size() > limits::kMaxSubscriptions) {
    return Invalid("recipient.subscriptions",
                   absl::StrCat("at most ", limits::kMaxSubscriptions, ", got ",
                                recipient.subscriptions.size()));
  }
  for (size_t i = 0; i < recipient.subscriptions.size(); ++i) {
    const std::string& target = recipient.subscriptions[i];
    const std::string field = absl::StrCat("recipient.subscriptions[", i, "]");
    if (target.size() > api::kMaxSubscriptionTargetLength) {
      return Invalid(
          field, absl::StrCat("too long (at most ", api::kMaxSubscriptionTargetLength, " bytes)"));
    }
    absl::StatusOr<api::SubscriptionTarget> parsed = api::ParseSubscriptionTarget(target, field);
    if (!parsed.ok()) return parsed.status();
    // A tenant's recipient hears only about its own tenant; its launches are checked where
    // launches are known (the gRPC layer).
    if (parsed->kind == api::SubscriptionTarget::Kind::kTenant && !recipient.tenant.empty() &&
        parsed->id != recipient.tenant) {
      return Invalid(field, absl::StrCat("a recipient of tenant ", recipient.tenant,
                                         " may follow only tenants/", recipient.tenant,
                                         " and that tenant's launches, not ", target));
    }
  }
  return absl::OkStatus();
}

}  // namespace preflight::notifier
