#include "notifier-service/engine/recipient_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "notifier-service/engine/secret_resolver.h"

namespace preflight::notifier {
namespace {

bool IsIdChar(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' || c == '_' || c == '-' ||
         c == '@';
}

bool IsHttpUrl(absl::string_view url) {
  for (absl::string_view scheme : {"https://", "http://"}) {
    if (absl::StartsWith(url, scheme) && url.size() > scheme.size()) {
      for (char c : url) {
        if (absl::ascii_iscntrl(c) || c == ' ') return false;
      }
      return true;
    }
  }
  return false;
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

}  // namespace

absl::Status ValidateRecipient(const Recipient& recipient) {
  if (recipient.id.empty() || recipient.id.size() > 128) {
    return absl::InvalidArgumentError("recipient.name: the id must have 1 to 128 characters");
  }
  for (char c : recipient.id) {
    if (!IsIdChar(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("recipient.name: '", recipient.id,
                       "' may hold only lowercase letters, digits, '.', '_', '-' and '@'"));
    }
  }
  if (recipient.display_name.size() > 200) {
    return absl::InvalidArgumentError("recipient.display_name: at most 200 bytes");
  }
  if (!recipient.language.empty() && recipient.language != "zh" && recipient.language != "en") {
    return absl::InvalidArgumentError(absl::StrCat(
        "recipient.language: must be \"zh\", \"en\" or empty, got '", recipient.language, "'"));
  }
  if (recipient.channels.empty()) {
    return absl::InvalidArgumentError("recipient.channels: at least one channel is required");
  }
  if (recipient.channels.size() > 16) {
    return absl::InvalidArgumentError("recipient.channels: at most 16 channels");
  }
  for (size_t i = 0; i < recipient.channels.size(); ++i) {
    const RecipientChannel& channel = recipient.channels[i];
    const std::string field = absl::StrCat("recipient.channels[", i, "]");
    switch (channel.type) {
      case ChannelType::kLog:
      case ChannelType::kInbox:
        if (!channel.target.empty()) {
          return absl::InvalidArgumentError(
              absl::StrCat(field, ".target: ", ChannelTypeName(channel.type), " takes no target"));
        }
        break;
      case ChannelType::kEmail:
        if (!IsEmailAddress(channel.target)) {
          return absl::InvalidArgumentError(
              absl::StrCat(field, ".target: not an email address: '", channel.target, "'"));
        }
        break;
      case ChannelType::kWebhook:
      case ChannelType::kWecom:
      case ChannelType::kDingtalk:
      case ChannelType::kFeishu:
      case ChannelType::kSlack:
        if (!IsHttpUrl(channel.target) || channel.target.size() > 2048) {
          return absl::InvalidArgumentError(
              absl::StrCat(field, ".target: ", ChannelTypeName(channel.type),
                           " needs an http(s) URL of at most 2048 bytes"));
        }
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(field, ".type: unknown channel type"));
    }
    if (!IsValidSecretRef(channel.secret_ref)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field,
          ".secret_ref: must be env:NAME or file:/path (the secret itself is never stored)"));
    }
  }
  if (recipient.subscriptions.size() > 64) {
    return absl::InvalidArgumentError("recipient.subscriptions: at most 64");
  }
  for (const std::string& target : recipient.subscriptions) {
    const bool tenant = absl::StartsWith(target, "tenants/") && target.size() > 8;
    const bool launch = absl::StartsWith(target, "launches/") && target.size() > 9;
    const size_t prefix = tenant ? 8 : 9;
    if ((!tenant && !launch) || absl::StrContains(absl::string_view(target).substr(prefix), '/')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "recipient.subscriptions: '", target, "' must be tenants/{tenant} or launches/{launch}"));
    }
  }
  return absl::OkStatus();
}

}  // namespace preflight::notifier
