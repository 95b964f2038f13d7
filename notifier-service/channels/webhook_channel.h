#pragma once

#include <cstddef>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// A generic JSON webhook for machine receivers (see docs/channels.md).
//
// POST <target>, Content-Type: application/json, body
//   {"idempotency_key": ..., "subject": ..., "text": ..., "data": <message.data_json or {}>}
// Headers: Idempotency-Key (the message's key, stable across retries, so the receiver can
// dedup), X-Preflight-Timestamp (Unix seconds) and, when the endpoint has a secret,
// X-Preflight-Signature: "v1=" + lowercase hex HMAC-SHA256(secret, timestamp + "." + body).
// 2xx delivered; 408, 425, 429 and 5xx retryable (Retry-After honoured); other statuses
// permanent.
class WebhookChannel final : public Channel {
 public:
  static constexpr size_t kMaxTextBytes = 64 * 1024;

  // `clock` must outlive the channel.
  WebhookChannel(HttpClientOptions options, const Clock* clock);

  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override;
  size_t MaxTextBytes() const override { return kMaxTextBytes; }
  bool IdempotentResend() const override { return true; }

  // The request Send makes at `now`. INVALID_ARGUMENT when data_json is not a JSON object.
  absl::StatusOr<HttpRequest> BuildRequest(const ChannelEndpoint& endpoint,
                                           const OutgoingMessage& message, absl::Time now) const;

 private:
  HttpClient client_;
  const Clock* const clock_;
};

// "v1=" + hex HMAC-SHA256(secret, timestamp + "." + body): what a receiver recomputes.
std::string WebhookSignature(absl::string_view secret, absl::string_view timestamp,
                             absl::string_view body);

}  // namespace preflight::notifier
