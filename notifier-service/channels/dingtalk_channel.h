#pragma once

#include <cstddef>
#include <string>

#include "common/clock.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/channels/http_outcome.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// A DingTalk (钉钉) custom robot. The target is the robot's webhook URL (with its access_token);
// when the endpoint has a secret ("SEC..."), the request is signed: query parameters
// timestamp=<Unix milliseconds>&sign=<URL-encoded base64 HMAC-SHA256(key = secret,
// message = timestamp + "\n" + secret)>.
//
// POST {"msgtype":"markdown","markdown":{"title":subject,"text":...}} when the message has
// Markdown, else {"msgtype":"text","text":{"content":...}}, at most 20000 bytes of content.
// Errors arrive in HTTP 200 as a non-zero "errcode": 130101 (sending too fast: the robot is
// blocked for 10 minutes) and 410100 (throttled) are retryable after 10 minutes, -1 (system busy)
// retryable, every other code (bad token, failed signature, keyword missing, ...) permanent.
class DingtalkChannel final : public Channel {
 public:
  static constexpr size_t kMaxTextBytes = 20000;

  // `clock` must outlive the channel.
  DingtalkChannel(HttpClientOptions options, const Clock* clock);

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

// base64(HMAC-SHA256(key = secret, message = timestamp_ms + "\n" + secret)), not URL-encoded.
std::string DingtalkSignature(absl::string_view secret, absl::string_view timestamp_ms);

}  // namespace preflight::notifier
