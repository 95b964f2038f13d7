#include "notifier-service/channels/http_outcome.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "notifier-service/channels/text_limits.h"
#include "notifier-service/domain/url_safety.h"

namespace preflight::notifier {
namespace {

absl::string_view TransportErrorName(TransportError error) {
  switch (error) {
    case TransportError::kNone:
      return "none";
    case TransportError::kTimeout:
      return "timeout";
    case TransportError::kConnection:
      return "connection";
    case TransportError::kBadUrl:
      return "bad url";
    case TransportError::kTlsVerification:
      return "tls verification";
    case TransportError::kOther:
      return "other";
    case TransportError::kForbiddenDestination:
      return "forbidden destination";
  }
  return "other";
}

}  // namespace

std::optional<absl::Duration> ParseRetryAfter(absl::string_view value, absl::Time now) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (absl::ascii_isdigit(static_cast<unsigned char>(value[0]))) {
    int64_t seconds = 0;
    if (!absl::SimpleAtoi(value, &seconds) || seconds < 0) return std::nullopt;
    return absl::Seconds(seconds);
  }
  // RFC 9110 section 5.6.7: the preferred form, then the two obsolete ones.
  static constexpr const char* kFormats[] = {
      "%a, %d %b %Y %H:%M:%S GMT",
      "%A, %d-%b-%y %H:%M:%S GMT",
      "%a %b %e %H:%M:%S %Y",
  };
  for (const char* format : kFormats) {
    absl::Time when;
    std::string error;
    if (absl::ParseTime(format, std::string(value), absl::UTCTimeZone(), &when, &error)) {
      return when > now ? when - now : absl::ZeroDuration();
    }
  }
  return std::nullopt;
}

std::string DescribeHttpResponse(const HttpResponse& response) {
  const std::string text =
      response.ok() ? absl::StrCat("HTTP ", response.status, ": ", response.body)
                    : absl::StrCat("transport error (", TransportErrorName(response.error),
                                   "): ", response.error_message);
  // A provider or libcurl may echo the URL, and with it the key.
  return TruncateUtf8(RedactSecrets(text), kMaxProviderAnswerBytes);
}

SendResult MakeResult(SendResult::Kind kind, const HttpResponse& response,
                      std::optional<absl::Duration> retry_after) {
  SendResult result;
  result.kind = kind;
  result.http_status = response.status;
  result.provider_answer = DescribeHttpResponse(response);
  result.retry_after = retry_after;
  return result;
}

SendResult TransportFailure(const HttpResponse& response) {
  const bool hopeless = response.error == TransportError::kBadUrl ||
                        response.error == TransportError::kTlsVerification ||
                        response.error == TransportError::kForbiddenDestination;
  return MakeResult(hopeless ? SendResult::Kind::kPermanent : SendResult::Kind::kRetryable,
                    response);
}

SendResult ClassifyHttpStatus(const HttpResponse& response, absl::Time now) {
  if (!response.ok()) return TransportFailure(response);
  const int status = response.status;
  if (status >= 200 && status < 300) return MakeResult(SendResult::Kind::kDelivered, response);
  if (status == 408 || status == 425 || status == 429 || (status >= 500 && status < 600)) {
    std::optional<absl::Duration> retry_after;
    if (const std::optional<std::string> header = response.Header("retry-after")) {
      retry_after = ParseRetryAfter(*header, now);
    }
    return MakeResult(SendResult::Kind::kRetryable, response, retry_after);
  }
  return MakeResult(SendResult::Kind::kPermanent, response);
}

SendResult ClassifyBotAnswer(const HttpResponse& response, absl::Time now,
                             const BotErrorRules& rules) {
  if (!response.ok()) return TransportFailure(response);
  std::optional<int64_t> code;
  const nlohmann::json answer = nlohmann::json::parse(response.body, nullptr,
                                                      /*allow_exceptions=*/false);
  if (answer.is_object()) {
    for (const std::string& field : rules.code_fields) {
      const auto it = answer.find(field);
      if (it != answer.end() && it->is_number_integer()) {
        code = it->get<int64_t>();
        break;
      }
    }
  }
  if (code.has_value()) {
    const auto retryable = rules.retryable_codes.find(*code);
    if (retryable != rules.retryable_codes.end()) {
      std::optional<absl::Duration> retry_after = retryable->second;
      if (const std::optional<std::string> header = response.Header("retry-after")) {
        if (std::optional<absl::Duration> parsed = ParseRetryAfter(*header, now)) {
          retry_after = parsed;
        }
      }
      return MakeResult(SendResult::Kind::kRetryable, response, retry_after);
    }
  }
  if (response.status < 200 || response.status >= 300) {
    return ClassifyHttpStatus(response, now);
  }
  return MakeResult(code == 0 ? SendResult::Kind::kDelivered : SendResult::Kind::kPermanent,
                    response);
}

}  // namespace preflight::notifier
