#pragma once

// The one way the notifier opens a gRPC channel to the checklist service, for the event stream
// and for the version fence and token checks alike, so keepalive and TLS are set in one place.

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"

namespace preflight::notifier {

struct ChecklistChannelOptions {
  // The checklist service, HOST:PORT.
  std::string address;
  // Null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // With TLS credentials: the name the checklist's certificate is checked against instead of the
  // host of `address`; empty: that host.
  std::string tls_server_name;
  // Client keepalive pings, so an idle stream survives NATs and proxies for hours and a dead
  // connection is noticed. The checklist server accepts pings every 20 s or more.
  absl::Duration keepalive_time = absl::Seconds(30);
  absl::Duration keepalive_timeout = absl::Seconds(10);
  // A subchannel of its own, connecting now: for a caller whose own backoff decides when to
  // retry (the subscriber), not the reconnect backoff of a subchannel shared with others.
  bool own_subchannel = false;
};

std::shared_ptr<grpc::Channel> MakeChecklistChannel(const ChecklistChannelOptions& options);

}  // namespace preflight::notifier
