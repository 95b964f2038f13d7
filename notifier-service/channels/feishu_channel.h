#pragma once

#include <cstddef>
#include <string>

#include "common/clock.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/channels/http_outcome.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// A Feishu / Lark (飞书) custom bot. The target is the bot's webhook URL; when the endpoint has a
// secret, the body carries "timestamp" (Unix seconds, as a string) and "sign" = base64(
// HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)).
//
// POST {"msg_type":"interactive","card":{header: subject, one lark_md div: Markdown}} when the
// message has Markdown, else {"msg_type":"text","content":{"text": subject + "\n" + text}}. The
// whole body stays within 20 KB (Feishu's limit): the text is cut further when escaping makes the
// JSON longer. Errors arrive as a non-zero "code" (older answers: "StatusCode"): 11232 (frequency
// limited) is retryable after a minute, every other code permanent.
class FeishuChannel final : public Channel {
 public:
  static constexpr size_t kMaxTextBytes = 20000;
  static constexpr size_t kMaxBodyBytes = 20 * 1024;

  // `clock` must outlive the channel.
  FeishuChannel(HttpClientOptions options, const Clock* clock);

  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override;
  size_t MaxTextBytes() const override { return kMaxTextBytes; }
  bool IdempotentResend() const override { return false; }

  // The request Send makes at `now`.
  HttpRequest BuildRequest(const ChannelEndpoint& endpoint, const OutgoingMessage& message,
                           absl::Time now) const;

  static const BotErrorRules& ErrorRules();

 private:
  HttpClient client_;
  const Clock* const clock_;
};

// base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = "")).
std::string FeishuSignature(absl::string_view secret, absl::string_view timestamp);

}  // namespace preflight::notifier
