#pragma once

// The delivery channels' common interface. A channel turns one rendered message into one request
// to a provider and classifies the answer; it keeps no state of its own about deliveries.

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace preflight::notifier {

// Values match preflight.v1.ChannelType.
enum class ChannelType {
  kLog = 1,
  kInbox = 2,
  kWebhook = 3,
  kWecom = 4,
  kDingtalk = 5,
  kFeishu = 6,
  kSlack = 7,
  kEmail = 8,
};

// "log", "inbox", "webhook", "wecom", "dingtalk", "feishu", "slack", "email".
absl::string_view ChannelTypeName(ChannelType type);
std::optional<ChannelType> ParseChannelType(absl::string_view name);

// Where one delivery goes.
struct ChannelEndpoint {
  ChannelType type = ChannelType::kLog;
  // Webhook or bot URL; email address for kEmail; empty for kLog and kInbox.
  std::string target;
  // The resolved signing secret (webhook HMAC key, DingTalk or Feishu signing secret); may be
  // empty when the bot does not sign.
  std::string secret;
  // Display name for the email To header.
  std::string recipient_display_name;
};

// A rendered message, ready for any channel.
struct OutgoingMessage {
  // One line, e.g. "【Preflight】ICP 备案 ICP filing: due in 3 working days".
  std::string subject;
  // Plain text body (UTF-8); may hold both languages.
  std::string text;
  // The same content in Markdown, for bots that render it (WeCom, DingTalk, Feishu, Slack
  // mrkdwn). Empty: use `text`.
  std::string markdown;
  // Stable across retries and restarts: the delivery's (or digest's) dedup key.
  std::string idempotency_key;
  // A JSON object (text) describing the reminder for machine receivers: sent by the generic
  // webhook as the body's "data" member. Empty: {}.
  std::string data_json;
};

struct SendResult {
  enum class Kind {
    kDelivered,
    // Worth trying again: timeouts, connection errors, 5xx, 429, the bots' throttle codes.
    kRetryable,
    // Trying again cannot help: other 4xx, bad URL, the bots' permanent error codes.
    kPermanent,
  };
  Kind kind = Kind::kPermanent;
  int http_status = 0;
  // The provider's answer: status and body (or the transport error), at most 512 bytes.
  std::string provider_answer;
  // From Retry-After (seconds or HTTP date) or the bot's documented block period.
  std::optional<absl::Duration> retry_after;
};

class Channel {
 public:
  virtual ~Channel() = default;
  // Sends and classifies the answer. Blocks for at most the channel's timeout.
  virtual SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) = 0;
  // The most bytes of message text the provider accepts; longer texts are cut at a UTF-8
  // boundary with a marker by the channel itself, and digests are split by the caller.
  virtual size_t MaxTextBytes() const = 0;
  // True when the receiver deduplicates a resend with the same idempotency key, so a delivery
  // whose outcome was lost in a crash may be sent again safely.
  virtual bool IdempotentResend() const = 0;
};

}  // namespace preflight::notifier
