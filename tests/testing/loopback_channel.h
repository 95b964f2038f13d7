#pragma once

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace preflight::testing {

// An insecure channel to an in-process server on 127.0.0.1:`port`, connected before it is
// returned. On a loaded machine a first connect now and then fails; an RPC would then fail fast
// with UNAVAILABLE, while waiting here retries the connection.
inline std::shared_ptr<grpc::Channel> ConnectedLoopbackChannel(int port) {
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  return channel;
}

}  // namespace preflight::testing
