#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "notifier-service/channels/email_channel.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// What the channels need from the service's configuration.
struct ChannelSettings {
  // Per HTTP request, connecting included.
  absl::Duration timeout = absl::Seconds(10);
  absl::Duration connect_timeout = absl::Seconds(5);
  // PEM bundle of trusted CAs for HTTPS; empty: the system's.
  std::string ca_file;
  // Hosts the webhook and bot channels may reach over http or at internal addresses
  // (--http_allow_hosts); loopback always may.
  std::vector<std::string> http_allow_hosts;
  // For kEmail. Its own timeouts apply to SMTP sessions.
  SmtpSettings smtp;
  // For kLog; null: standard output. Must outlive the channel.
  std::ostream* log_stream = nullptr;
  // Timestamps and signatures; null: the real clock. Must outlive the channel.
  const Clock* clock = nullptr;
};

// The channel for `type`. INVALID_ARGUMENT for kInbox (the engine stores inbox messages itself)
// and for kEmail when the SMTP settings do not validate.
absl::StatusOr<std::unique_ptr<Channel>> MakeChannel(ChannelType type,
                                                     const ChannelSettings& settings);

}  // namespace preflight::notifier
