#include "notifier-service/domain/channel.h"

#include <array>
#include <utility>

namespace preflight::notifier {
namespace {

constexpr std::array<std::pair<ChannelType, absl::string_view>, 8> kNames = {{
    {ChannelType::kLog, "log"},
    {ChannelType::kInbox, "inbox"},
    {ChannelType::kWebhook, "webhook"},
    {ChannelType::kWecom, "wecom"},
    {ChannelType::kDingtalk, "dingtalk"},
    {ChannelType::kFeishu, "feishu"},
    {ChannelType::kSlack, "slack"},
    {ChannelType::kEmail, "email"},
}};

}  // namespace

absl::string_view ChannelTypeName(ChannelType type) {
  for (const auto& [value, name] : kNames) {
    if (value == type) return name;
  }
  return "unknown";
}

std::optional<ChannelType> ParseChannelType(absl::string_view name) {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

}  // namespace preflight::notifier
