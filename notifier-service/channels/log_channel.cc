#include "notifier-service/channels/log_channel.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/logging/log.h"
#include "notifier-service/channels/text_limits.h"
#include "notifier-service/domain/url_safety.h"

namespace preflight::notifier {
namespace {

std::string EscapeLineBreaks(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

LogChannel::LogChannel(std::ostream* out, const Clock* clock) : out_(out), clock_(clock) {}

std::string LogChannel::FormatLine(const ChannelEndpoint& endpoint,
                                   const OutgoingMessage& message) const {
  return absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", clock_->Now(), absl::UTCTimeZone()),
                      " notify key=", EscapeLineBreaks(message.idempotency_key),
                      " to=", EscapeLineBreaks(RedactSecrets(endpoint.target)),
                      " subject=", EscapeLineBreaks(message.subject),
                      " text=", EscapeLineBreaks(TruncateUtf8(message.text, kMaxTextBytes)));
}

SendResult LogChannel::Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) {
  if (out_ == nullptr) {
    logging::Info("log channel", "reminder",
                  {{"key", message.idempotency_key},
                   {"to", RedactSecrets(endpoint.target)},
                   {"subject", message.subject},
                   {"text", TruncateUtf8(message.text, kMaxTextBytes)}});
  } else {
    const std::string line = FormatLine(endpoint, message);
    absl::MutexLock lock(&mu_);
    *out_ << line << '\n';
    out_->flush();
  }
  SendResult result;
  result.kind = SendResult::Kind::kDelivered;
  result.provider_answer = "logged";
  return result;
}

}  // namespace preflight::notifier
