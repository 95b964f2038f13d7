#include "notifier-service/channels/wecom_channel.h"

#include <utility>

#include "nlohmann/json.hpp"
#include "notifier-service/channels/message_format.h"
#include "notifier-service/channels/text_limits.h"

namespace preflight::notifier {

WecomChannel::WecomChannel(HttpClientOptions options, const Clock* clock)
    : client_(std::move(options)), clock_(clock) {}

const BotErrorRules& WecomChannel::ErrorRules() {
  static const BotErrorRules* const kRules = new BotErrorRules{
      {"errcode"},
      {
          // "api freq out of limit": 20 messages a minute per bot.
          {45009, absl::Minutes(1)},
          // "system busy".
          {-1, std::nullopt},
      },
  };
  return *kRules;
}

HttpRequest WecomChannel::BuildRequest(const ChannelEndpoint& endpoint,
                                       const OutgoingMessage& message) const {
  nlohmann::json body;
  if (!message.markdown.empty()) {
    body = {{"msgtype", "markdown"},
            {"markdown",
             {{"content", TruncateUtf8(ComposeMarkdown(message.subject, message.markdown),
                                       kMaxMarkdownBytes)}}}};
  } else {
    body = {{"msgtype", "text"},
            {"text",
             {{"content",
               TruncateUtf8(ComposePlainText(message.subject, message.text), kMaxTextBytes)}}}};
  }
  HttpRequest request;
  request.url = endpoint.target;
  request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  request.body = DumpJson(body);
  return request;
}

SendResult WecomChannel::Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) {
  const HttpResponse response = client_.Post(BuildRequest(endpoint, message));
  return ClassifyBotAnswer(response, clock_->Now(), ErrorRules());
}

}  // namespace preflight::notifier
