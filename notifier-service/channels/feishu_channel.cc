#include "notifier-service/channels/feishu_channel.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "nlohmann/json.hpp"
#include "notifier-service/channels/message_format.h"
#include "notifier-service/channels/text_limits.h"

namespace preflight::notifier {
namespace {

nlohmann::json MakeBody(const OutgoingMessage& message, const std::string& content) {
  if (!message.markdown.empty()) {
    return {
        {"msg_type", "interactive"},
        {"card",
         {{"config", {{"wide_screen_mode", true}}},
          {"header",
           {{"title", {{"tag", "plain_text"}, {"content", TruncateUtf8(message.subject, 512)}}}}},
          {"elements",
           nlohmann::json::array(
               {{{"tag", "div"}, {"text", {{"tag", "lark_md"}, {"content", content}}}}})}}}};
  }
  return {{"msg_type", "text"}, {"content", {{"text", content}}}};
}

}  // namespace

FeishuChannel::FeishuChannel(HttpClientOptions options, const Clock* clock)
    : client_(std::move(options)), clock_(clock) {}

const BotErrorRules& FeishuChannel::ErrorRules() {
  static const BotErrorRules* const kRules = new BotErrorRules{
      {"code", "StatusCode"},
      {
          // "frequency limited": 100 a minute, 5 a second per bot, and system load at :00/:30.
          {11232, absl::Minutes(1)},
      },
  };
  return *kRules;
}

std::string FeishuSignature(absl::string_view secret, absl::string_view timestamp) {
  return absl::Base64Escape(HmacSha256(absl::StrCat(timestamp, "\n", secret), ""));
}

HttpRequest FeishuChannel::BuildRequest(const ChannelEndpoint& endpoint,
                                        const OutgoingMessage& message, absl::Time now) const {
  // The card's header shows the subject; a text message carries it as its first line.
  const std::string full =
      message.markdown.empty() ? ComposePlainText(message.subject, message.text) : message.markdown;
  const auto render = [&](size_t limit) {
    nlohmann::json body = MakeBody(message, TruncateUtf8(full, limit));
    if (!endpoint.secret.empty()) {
      const std::string timestamp = UnixSecondsText(now);
      body["timestamp"] = timestamp;
      body["sign"] = FeishuSignature(endpoint.secret, timestamp);
    }
    return DumpJson(body);
  };
  std::string body_text = render(kMaxTextBytes);
  if (body_text.size() > kMaxBodyBytes) {
    // JSON escaping and the envelope made the body too long: find the longest text that fits.
    size_t fits = 0;
    size_t too_long = kMaxTextBytes;
    while (too_long - fits > 1) {
      const size_t middle = fits + (too_long - fits) / 2;
      (render(middle).size() <= kMaxBodyBytes ? fits : too_long) = middle;
    }
    body_text = render(fits);
  }
  HttpRequest request;
  request.url = endpoint.target;
  request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  request.body = std::move(body_text);
  return request;
}

SendResult FeishuChannel::Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) {
  const HttpResponse response = client_.Post(BuildRequest(endpoint, message, clock_->Now()));
  return ClassifyBotAnswer(response, clock_->Now(), ErrorRules());
}

}  // namespace preflight::notifier
