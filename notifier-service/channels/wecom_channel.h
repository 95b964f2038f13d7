#pragma once

#include <cstddef>

#include "common/clock.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/channels/http_outcome.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// A WeCom (企业微信) group bot. The target is the bot's webhook URL, whose `key` query parameter
// identifies and authorizes the bot; WeCom bots do not sign.
//
// POST {"msgtype":"markdown","markdown":{"content":...}} when the message has Markdown (at most
// 4096 bytes), else {"msgtype":"text","text":{"content":...}} (at most 2048 bytes); the content
// is the subject line followed by the body. Errors arrive in HTTP 200 as a non-zero "errcode":
// 45009 (frequency limit) and -1 (system busy) are retryable, every other code permanent.
class WecomChannel final : public Channel {
 public:
  static constexpr size_t kMaxTextBytes = 2048;
  static constexpr size_t kMaxMarkdownBytes = 4096;

  // `clock` must outlive the channel.
  WecomChannel(HttpClientOptions options, const Clock* clock);

  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override;
  // The text limit: Markdown messages may use up to kMaxMarkdownBytes.
  size_t MaxTextBytes() const override { return kMaxTextBytes; }
  bool IdempotentResend() const override { return false; }

  HttpRequest BuildRequest(const ChannelEndpoint& endpoint, const OutgoingMessage& message) const;

  static const BotErrorRules& ErrorRules();

 private:
  HttpClient client_;
  const Clock* const clock_;
};

}  // namespace preflight::notifier
