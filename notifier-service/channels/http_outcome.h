#pragma once

// Turning HTTP answers into SendResults: the rules the webhook-style channels share.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// The most bytes of provider answer a SendResult keeps.
inline constexpr size_t kMaxProviderAnswerBytes = 512;

// A Retry-After value: delay-seconds or an HTTP-date (IMF-fixdate, RFC 850 or asctime form).
// A date in the past gives zero; anything else unparseable gives nullopt.
std::optional<absl::Duration> ParseRetryAfter(absl::string_view value, absl::Time now);

// "HTTP 429: <body>" or "transport error (timeout): <message>", at most kMaxProviderAnswerBytes,
// with any URL in it redacted (RedactSecrets).
std::string DescribeHttpResponse(const HttpResponse& response);

// The result for a transport failure: retryable, except a bad URL, an unverifiable certificate
// or a forbidden destination, which no retry fixes.
SendResult TransportFailure(const HttpResponse& response);

// Plain HTTP semantics: 2xx delivered; 408, 425, 429 and 5xx retryable (Retry-After honoured);
// every other status (3xx redirects are not followed, other 4xx) permanent.
SendResult ClassifyHttpStatus(const HttpResponse& response, absl::Time now);

// Shorthand for a SendResult built from `response` with the given kind.
SendResult MakeResult(SendResult::Kind kind, const HttpResponse& response,
                      std::optional<absl::Duration> retry_after = std::nullopt);

// How a chat bot reports errors inside its answers: a numeric code in a JSON member, 0 meaning
// success.
struct BotErrorRules {
  // Members that may hold the code, first found wins (Feishu uses "code" or "StatusCode").
  std::vector<std::string> code_fields;
  // Codes worth retrying (throttling, "system busy"), each with the wait the provider
  // documents, if any.
  std::map<int64_t, std::optional<absl::Duration>> retryable_codes;
};

// Bot semantics: a retryable code is retryable whatever the HTTP status (a Retry-After header
// wins over the documented wait); otherwise non-2xx statuses follow ClassifyHttpStatus; a 2xx
// with code 0 is delivered, with another code permanent, and without a code (not the bot's
// answer at all) permanent.
SendResult ClassifyBotAnswer(const HttpResponse& response, absl::Time now,
                             const BotErrorRules& rules);

}  // namespace preflight::notifier
