#pragma once

#include <cstddef>
#include <ostream>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// Writes each message as one line to a stream (standard output by default): for development and
// as the channel of last resort. Always delivered.
//
// Line: "<RFC 3339 UTC time> notify key=<idempotency key> to=<target> subject=<subject>
// text=<text>", where backslashes, CR and LF inside the fields are escaped as \\, \r and \n.
class LogChannel final : public Channel {
 public:
  static constexpr size_t kMaxTextBytes = 64 * 1024;

  // `out` and `clock` must outlive the channel. Null `out`: the service's own log (component
  // "log channel", level info, with key, to, subject and text as fields, in its --log_format).
  LogChannel(std::ostream* out, const Clock* clock);

  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override;
  size_t MaxTextBytes() const override { return kMaxTextBytes; }
  bool IdempotentResend() const override { return false; }

  // The line Send writes, without the trailing newline.
  std::string FormatLine(const ChannelEndpoint& endpoint, const OutgoingMessage& message) const;

 private:
  std::ostream* const out_;
  const Clock* const clock_;
  // Lines from concurrent senders must not interleave.
  absl::Mutex mu_;
};

}  // namespace preflight::notifier
