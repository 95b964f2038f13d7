#include "notifier-service/channels/webhook_channel.h"

#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "nlohmann/json.hpp"
#include "notifier-service/channels/http_outcome.h"
#include "notifier-service/channels/message_format.h"
#include "notifier-service/channels/text_limits.h"

namespace preflight::notifier {

WebhookChannel::WebhookChannel(HttpClientOptions options, const Clock* clock)
    : client_(std::move(options)), clock_(clock) {}

std::string WebhookSignature(absl::string_view secret, absl::string_view timestamp,
                             absl::string_view body) {
  return absl::StrCat(
      "v1=", absl::BytesToHexString(HmacSha256(secret, absl::StrCat(timestamp, ".", body))));
}

absl::StatusOr<HttpRequest> WebhookChannel::BuildRequest(const ChannelEndpoint& endpoint,
                                                         const OutgoingMessage& message,
                                                         absl::Time now) const {
  nlohmann::json data = nlohmann::json::object();
  if (!message.data_json.empty()) {
    data = nlohmann::json::parse(message.data_json, nullptr, /*allow_exceptions=*/false);
    if (!data.is_object()) {
      return absl::InvalidArgumentError("webhook: data_json is not a JSON object");
    }
  }
  const nlohmann::json body = {
      {"idempotency_key", message.idempotency_key},
      {"subject", message.subject},
      {"text", TruncateUtf8(message.text, kMaxTextBytes)},
      {"data", std::move(data)},
  };
  HttpRequest request;
  request.url = endpoint.target;
  request.body = DumpJson(body);
  const std::string timestamp = UnixSecondsText(now);
  request.headers = {
      {"Content-Type", "application/json; charset=utf-8"},
      {"Idempotency-Key", SanitizeHeaderValue(message.idempotency_key)},
      {"X-Preflight-Timestamp", timestamp},
  };
  if (!endpoint.secret.empty()) {
    request.headers.emplace_back("X-Preflight-Signature",
                                 WebhookSignature(endpoint.secret, timestamp, request.body));
  }
  return request;
}

SendResult WebhookChannel::Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) {
  const absl::StatusOr<HttpRequest> request = BuildRequest(endpoint, message, clock_->Now());
  if (!request.ok()) {
    SendResult result;
    result.kind = SendResult::Kind::kPermanent;
    result.provider_answer = std::string(request.status().message());
    return result;
  }
  const HttpResponse response = client_.Post(*request);
  return ClassifyHttpStatus(response, clock_->Now());
}

}  // namespace preflight::notifier
