#include "notifier-service/channels/channel_factory.h"

#include "absl/strings/str_cat.h"
#include "notifier-service/channels/dingtalk_channel.h"
#include "notifier-service/channels/feishu_channel.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/channels/log_channel.h"
#include "notifier-service/channels/slack_channel.h"
#include "notifier-service/channels/webhook_channel.h"
#include "notifier-service/channels/wecom_channel.h"

namespace preflight::notifier {

absl::StatusOr<std::unique_ptr<Channel>> MakeChannel(ChannelType type,
                                                     const ChannelSettings& settings) {
  static const RealClock* const kRealClock = new RealClock();
  const Clock* clock = settings.clock != nullptr ? settings.clock : kRealClock;
  HttpClientOptions http;
  http.timeout = settings.timeout;
  http.connect_timeout = settings.connect_timeout;
  http.ca_file = settings.ca_file;
  http.http_allow_hosts = settings.http_allow_hosts;
  switch (type) {
    case ChannelType::kLog:
      return std::make_unique<LogChannel>(settings.log_stream, clock);
    case ChannelType::kInbox:
      return absl::InvalidArgumentError(
          "the inbox is not a delivery channel: the engine stores inbox messages itself");
    case ChannelType::kWebhook:
      return std::make_unique<WebhookChannel>(http, clock);
    case ChannelType::kWecom:
      return std::make_unique<WecomChannel>(http, clock);
    case ChannelType::kDingtalk:
      return std::make_unique<DingtalkChannel>(http, clock);
    case ChannelType::kFeishu:
      return std::make_unique<FeishuChannel>(http, clock);
    case ChannelType::kSlack:
      return std::make_unique<SlackChannel>(http, clock);
    case ChannelType::kEmail: {
      if (const absl::Status valid = ValidateSmtpSettings(settings.smtp); !valid.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("email channel: ", valid.message()));
      }
      return std::make_unique<EmailChannel>(settings.smtp, clock);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown channel type ", static_cast<int>(type)));
}

}  // namespace preflight::notifier
