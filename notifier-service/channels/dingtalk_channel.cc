#include "notifier-service/channels/dingtalk_channel.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "nlohmann/json.hpp"
#include "notifier-service/channels/message_format.h"
#include "notifier-service/channels/text_limits.h"

namespace preflight::notifier {

DingtalkChannel::DingtalkChannel(HttpClientOptions options, const Clock* clock)
    : client_(std::move(options)), clock_(clock) {}

const BotErrorRules& DingtalkChannel::ErrorRules() {
  static const BotErrorRules* const kRules = new BotErrorRules{
      {"errcode"},
      {
          // "send too fast, exceed 20 times per minute": the robot is blocked for 10 minutes.
          {130101, absl::Minutes(10)},
          // The newer throttling code for the same limit.
          {410100, absl::Minutes(10)},
          // "system busy".
          {-1, std::nullopt},
      },
  };
  return *kRules;
}

std::string DingtalkSignature(absl::string_view secret, absl::string_view timestamp_ms) {
  return absl::Base64Escape(HmacSha256(secret, absl::StrCat(timestamp_ms, "\n", secret)));
}

HttpRequest DingtalkChannel::BuildRequest(const ChannelEndpoint& endpoint,
                                          const OutgoingMessage& message, absl::Time now) const {
  nlohmann::json body;
  if (!message.markdown.empty()) {
    body = {{"msgtype", "markdown"},
            {"markdown",
             {{"title", TruncateUtf8(message.subject, 256)},
              {"text",
               TruncateUtf8(ComposeMarkdown(message.subject, message.markdown), kMaxTextBytes)}}}};
  } else {
    body = {{"msgtype", "text"},
            {"text",
             {{"content",
               TruncateUtf8(ComposePlainText(message.subject, message.text), kMaxTextBytes)}}}};
  }
  HttpRequest request;
  request.url = endpoint.target;
  if (!endpoint.secret.empty()) {
    const std::string timestamp = UnixMillisText(now);
    request.url = AppendQuery(
        endpoint.target, absl::StrCat("timestamp=", timestamp, "&sign=",
                                      UrlEncode(DingtalkSignature(endpoint.secret, timestamp))));
  }
  request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  request.body = DumpJson(body);
  return request;
}

SendResult DingtalkChannel::Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) {
  const HttpResponse response = client_.Post(BuildRequest(endpoint, message, clock_->Now()));
  return ClassifyBotAnswer(response, clock_->Now(), ErrorRules());
}

}  // namespace preflight::notifier
