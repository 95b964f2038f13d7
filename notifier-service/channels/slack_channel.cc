#include "notifier-service/channels/slack_channel.h"

#include <utility>

#include "nlohmann/json.hpp"
#include "notifier-service/channels/http_outcome.h"
#include "notifier-service/channels/message_format.h"
#include "notifier-service/channels/text_limits.h"

namespace preflight::notifier {

SlackChannel::SlackChannel(HttpClientOptions options, const Clock* clock)
    : client_(std::move(options)), clock_(clock) {}

HttpRequest SlackChannel::BuildRequest(const ChannelEndpoint& endpoint,
                                       const OutgoingMessage& message) const {
  const std::string text = message.markdown.empty()
                               ? ComposePlainText(message.subject, message.text)
                               : ComposeMarkdown(message.subject, message.markdown, "*");
  HttpRequest request;
  request.url = endpoint.target;
  request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  request.body = DumpJson({{"text", TruncateUtf8(text, kMaxTextBytes)}});
  return request;
}

SendResult SlackChannel::Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) {
  const HttpResponse response = client_.Post(BuildRequest(endpoint, message));
  return ClassifyHttpStatus(response, clock_->Now());
}

}  // namespace preflight::notifier
