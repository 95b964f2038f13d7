#include "notifier-service/channels/email_channel.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/channels/message_format.h"
#include "notifier-service/channels/text_limits.h"
#include "notifier-service/domain/url_safety.h"

namespace preflight::notifier {
namespace {

// RFC 2047: a line holding encoded-words is at most 76 characters, and "=?UTF-8?B?" + "?="
// take 12 of them.
constexpr size_t kMaxEncodedLine = 76;
constexpr size_t kEncodedWordOverhead = 12;
// Plain ASCII subjects longer than this are encoded too, which folds them (RFC 5322 keeps lines
// under 998 characters).
constexpr size_t kMaxPlainHeaderBytes = 900;
constexpr size_t kBase64LineLength = 76;

// Text bytes whose base64 fits in `columns` characters (at least a few, whatever the prefix).
size_t EncodedWordBytes(size_t columns) {
  const size_t base64 = columns > kEncodedWordOverhead ? columns - kEncodedWordOverhead : 0;
  return std::max<size_t>(base64 / 4 * 3, 12);
}

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data->size() - upload->offset);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

long ClampMillis(absl::Duration d) {
  const int64_t ms = absl::ToInt64Milliseconds(d);
  return static_cast<long>(std::clamp<int64_t>(ms, 1, 24 * 3600 * 1000));
}

bool IsPlainPrintableAscii(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7F;
  });
}

// A display name and address for From or To; `used` as for EncodeHeaderText.
std::string FormatMailbox(absl::string_view display_name, absl::string_view address, size_t used) {
  const std::string name = SanitizeHeaderValue(display_name);
  if (name.empty()) return absl::StrCat("<", address, ">");
  if (IsPlainPrintableAscii(name) && name.size() <= kMaxPlainHeaderBytes) {
    std::string quoted = "\"";
    for (const char c : name) {
      if (c == '"' || c == '\\') quoted.push_back('\\');
      quoted.push_back(c);
    }
    return absl::StrCat(quoted, "\" <", address, ">");
  }
  // The address on a line of its own keeps the last encoded-word's line short.
  return absl::StrCat(EncodeHeaderText(name, used), "\r\n <", address, ">");
}

// Text with every line break as CRLF, as text/plain's canonical form requires.
std::string ToCrlf(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string Base64Lines(absl::string_view data) {
  const std::string encoded = absl::Base64Escape(data);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / kBase64LineLength * 2 + 2);
  for (size_t i = 0; i < encoded.size(); i += kBase64LineLength) {
    absl::StrAppend(&out, absl::string_view(encoded).substr(i, kBase64LineLength), "\r\n");
  }
  return out;
}

// SMTP reply codes go into the answer text; http_status stays 0.
SendResult Result(SendResult::Kind kind, absl::string_view answer) {
  SendResult result;
  result.kind = kind;
  result.provider_answer = TruncateUtf8(answer, 512);
  return result;
}

}  // namespace

bool IsPlainEmailAddress(absl::string_view address) {
  const size_t at = address.find('@');
  if (at == absl::string_view::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != absl::string_view::npos) return false;
  return std::all_of(address.begin(), address.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7F && std::strchr("<>()[],;:\"\\", c) == nullptr;
  });
}

absl::Status ValidateSmtpSettings(const SmtpSettings& settings) {
  const std::string url = absl::AsciiStrToLower(settings.url);
  if (!absl::StartsWith(url, "smtp://") && !absl::StartsWith(url, "smtps://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("SMTP URL must start with smtp:// or smtps://, got \"",
                     RedactValue(RedactSecrets(settings.url), settings.password), "\""));
  }
  if (!IsPlainEmailAddress(settings.from_address)) {
    return absl::InvalidArgumentError(
        absl::StrCat("SMTP from address is not a plain address: \"", settings.from_address, "\""));
  }
  return absl::OkStatus();
}

std::string EncodeHeaderText(absl::string_view text, size_t used) {
  const std::string clean = SanitizeHeaderValue(text);
  if (IsPlainPrintableAscii(clean) && clean.size() <= kMaxPlainHeaderBytes) return clean;
  std::string out;
  absl::string_view rest = clean;
  while (!rest.empty()) {
    // Later lines start with the folding space.
    const size_t budget = EncodedWordBytes(
        out.empty() ? kMaxEncodedLine - std::min(used, kMaxEncodedLine) : kMaxEncodedLine - 1);
    size_t n = Utf8PrefixLength(rest, budget);
    // Only invalid UTF-8 could leave nothing to take; take the bytes then.
    if (n == 0) n = std::min(rest.size(), budget);
    if (!out.empty()) out += "\r\n ";
    absl::StrAppend(&out, "=?UTF-8?B?", absl::Base64Escape(rest.substr(0, n)), "?=");
    rest.remove_prefix(n);
  }
  return out;
}

EmailChannel::EmailChannel(SmtpSettings settings, const Clock* clock)
    : settings_(std::move(settings)), clock_(clock) {
  EnsureCurlInitialized();
}

std::string EmailChannel::BuildMessage(const ChannelEndpoint& endpoint,
                                       const OutgoingMessage& message, absl::Time now) const {
  const size_t at = settings_.from_address.find('@');
  const absl::string_view domain = at == std::string::npos
                                       ? absl::string_view("preflight.invalid")
                                       : absl::string_view(settings_.from_address).substr(at + 1);
  // Stable across resends of the same delivery, unique across deliveries.
  const std::string id_seed = message.idempotency_key.empty()
                                  ? absl::StrCat(message.subject, "|", absl::ToUnixNanos(now))
                                  : message.idempotency_key;
  const std::string message_id =
      absl::StrCat("<", Sha256Hex(id_seed).substr(0, 32), "@", domain, ">");

  std::string out;
  absl::StrAppend(
      &out, "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()),
      "\r\n");
  absl::StrAppend(&out, "Message-ID: ", message_id, "\r\n");
  absl::StrAppend(&out,
                  "From: ", FormatMailbox(settings_.from_display_name, settings_.from_address, 6),
                  "\r\n");
  absl::StrAppend(&out, "To: ", FormatMailbox(endpoint.recipient_display_name, endpoint.target, 4),
                  "\r\n");
  absl::StrAppend(&out, "Subject: ", EncodeHeaderText(message.subject, 9), "\r\n");
  absl::StrAppend(&out, "MIME-Version: 1.0\r\n");
  absl::StrAppend(&out, "Content-Type: text/plain; charset=UTF-8\r\n");
  absl::StrAppend(&out, "Content-Transfer-Encoding: base64\r\n");
  if (!message.idempotency_key.empty()) {
    absl::StrAppend(&out,
                    "X-Preflight-Idempotency-Key: ", EncodeHeaderText(message.idempotency_key, 29),
                    "\r\n");
  }
  absl::StrAppend(&out, "\r\n", Base64Lines(ToCrlf(TruncateUtf8(message.text, kMaxTextBytes))));
  return out;
}

SendResult EmailChannel::Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) {
  if (!IsPlainEmailAddress(endpoint.target)) {
    return Result(SendResult::Kind::kPermanent,
                  absl::StrCat("not a plain email address: \"", endpoint.target, "\""));
  }
  if (const absl::Status valid = ValidateSmtpSettings(settings_); !valid.ok()) {
    return Result(SendResult::Kind::kPermanent, valid.message());
  }
  const std::string payload = BuildMessage(endpoint, message, clock_->Now());

  std::unique_ptr<CURL, CurlEasyDeleter> curl(curl_easy_init());
  if (curl == nullptr) return Result(SendResult::Kind::kRetryable, "curl_easy_init failed");
  std::unique_ptr<curl_slist, CurlSlistDeleter> recipients(
      curl_slist_append(nullptr, absl::StrCat("<", endpoint.target, ">").c_str()));
  const std::string mail_from = absl::StrCat("<", settings_.from_address, ">");
  Upload upload{&payload};
  char error_buffer[CURL_ERROR_SIZE] = {0};

  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   settings_.require_tls ? static_cast<long>(CURLUSESSL_ALL)
                                         : static_cast<long>(CURLUSESSL_TRY));
  if (!settings_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ClampMillis(settings_.connect_timeout));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ClampMillis(settings_.timeout));
  // libcurl waits for the reply to the end of DATA with the per-reply timeout only (120 s by
  // default), ignoring CURLOPT_TIMEOUT until the reply comes: bound it too.
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                   static_cast<long>((ClampMillis(settings_.timeout) + 999) / 1000));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode code = curl_easy_perform(h);
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  const int smtp_code = static_cast<int>(reply);
  if (code == CURLE_OK) {
    return Result(SendResult::Kind::kDelivered, absl::StrCat("SMTP ", smtp_code));
  }
  // The server's reply may echo what it was sent; the password never leaves in an answer.
  const std::string answer =
      RedactValue(RedactSecrets(absl::StrCat(
                      "SMTP ", smtp_code, ": ",
                      error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code))),
                  settings_.password);
  // The server's last reply decides when it refused something.
  if (smtp_code >= 500 && smtp_code < 600) {
    return Result(SendResult::Kind::kPermanent, answer);
  }
  if (smtp_code >= 400 && smtp_code < 500) {
    return Result(SendResult::Kind::kRetryable, answer);
  }
  switch (code) {
    case CURLE_LOGIN_DENIED:
    case CURLE_USE_SSL_FAILED:
      return Result(SendResult::Kind::kPermanent, answer);
    default:
      break;
  }
  switch (TransportErrorFromCurlCode(code)) {
    case TransportError::kBadUrl:
    case TransportError::kTlsVerification:
      return Result(SendResult::Kind::kPermanent, answer);
    default:
      return Result(SendResult::Kind::kRetryable, answer);
  }
}

}  // namespace preflight::notifier
