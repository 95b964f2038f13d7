#pragma once

#include <cstddef>

#include "common/clock.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// A Slack incoming webhook. The target is the webhook URL (it is the credential; Slack does not
// sign incoming webhooks).
//
// POST {"text": ...}: the subject in bold (mrkdwn) and the Markdown body when there is one, else
// the subject line and the plain text; at most 40000 bytes. Slack answers 200 "ok"; 429 with
// Retry-After when throttled and 5xx are retryable; other 4xx (invalid_payload, no_service,
// channel_is_archived, ...) permanent.
class SlackChannel final : public Channel {
 public:
  static constexpr size_t kMaxTextBytes = 40000;

  // `clock` must outlive the channel.
  SlackChannel(HttpClientOptions options, const Clock* clock);

  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override;
  size_t MaxTextBytes() const override { return kMaxTextBytes; }
  bool IdempotentResend() const override { return false; }

  HttpRequest BuildRequest(const ChannelEndpoint& endpoint, const OutgoingMessage& message) const;

 private:
  HttpClient client_;
  const Clock* const clock_;
};

}  // namespace preflight::notifier
