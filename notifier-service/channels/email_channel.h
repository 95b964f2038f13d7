#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

struct SmtpSettings {
  // "smtp://host:587" (upgraded with STARTTLS) or "smtps://host:465" (TLS from the start).
  std::string url;
  // The envelope sender and From address, e.g. "preflight@example.com".
  std::string from_address;
  std::string from_display_name = "Preflight";
  // AUTH credentials; empty username: no AUTH.
  std::string username;
  std::string password;
  // PEM bundle of trusted CAs; empty: the system's.
  std::string ca_file;
  // true: the connection must be TLS (STARTTLS or smtps), else the send fails permanently;
  // false: STARTTLS when the server offers it.
  bool require_tls = true;
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration timeout = absl::Seconds(30);
};

// INVALID_ARGUMENT unless the URL is smtp:// or smtps:// and the from address is a plain ASCII
// address.
absl::Status ValidateSmtpSettings(const SmtpSettings& settings);

// Email over SMTP (libcurl): STARTTLS, AUTH (the mechanisms libcurl and the server agree on,
// e.g. PLAIN or LOGIN), one recipient: the endpoint's target. The message is text/plain UTF-8,
// base64 encoded, with Date, Message-ID (derived from the idempotency key, so a resend carries
// the same one), From, To, Subject (RFC 2047 encoded-words when not plain ASCII), MIME-Version
// and X-Preflight-Idempotency-Key headers.
//
// SMTP 4xx replies, timeouts and lost connections are retryable; 5xx replies (unknown mailbox,
// rejected AUTH, STARTTLS required), a missing STARTTLS when TLS is required, an unverifiable
// certificate and a malformed recipient are permanent.
class EmailChannel final : public Channel {
 public:
  static constexpr size_t kMaxTextBytes = 1 << 20;

  // `clock` must outlive the channel. The settings should pass ValidateSmtpSettings.
  EmailChannel(SmtpSettings settings, const Clock* clock);

  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override;
  size_t MaxTextBytes() const override { return kMaxTextBytes; }
  bool IdempotentResend() const override { return false; }

  // The RFC 5322 message Send transmits (CRLF line ends), dated `now`.
  std::string BuildMessage(const ChannelEndpoint& endpoint, const OutgoingMessage& message,
                           absl::Time now) const;

 private:
  const SmtpSettings settings_;
  const Clock* const clock_;
};

// True for "local@domain" made of printable ASCII without spaces, quotes, angle brackets, commas
// or semicolons: what we are willing to put in an SMTP envelope and an address header.
bool IsPlainEmailAddress(absl::string_view address);

// A header value as RFC 2047 "B" encoded-words (UTF-8) joined by CRLF + space (folding), never
// splitting a character, so that no line exceeds 76 characters when `used` characters of the
// first line are already taken (by "Subject: ", say). Plain printable ASCII of moderate length
// is returned unchanged. CR, LF and other control characters are dropped.
std::string EncodeHeaderText(absl::string_view text, size_t used = 0);

}  // namespace preflight::notifier
