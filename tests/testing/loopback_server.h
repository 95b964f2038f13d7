#pragma once

// An in-process gRPC server on a free 127.0.0.1 port, plaintext: what a test serves a fake (or a
// real service it wires by hand) on. Header-only; its users link gRPC. The services under test
// that run as in production are served by StartServer instead (ChecklistTestServer).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "tests/testing/loopback_channel.h"

namespace preflight::testing {

class LoopbackServer {
 public:
  LoopbackServer() = default;
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  ~LoopbackServer() { Shutdown(); }

  // Serves `services` (which must outlive the server).
  absl::Status Start(const std::vector<grpc::Service*>& services) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    for (grpc::Service* service : services) builder.RegisterService(service);
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ <= 0) {
      server_.reset();
      return absl::UnavailableError("cannot serve on a loopback port");
    }
    return absl::OkStatus();
  }

  // Stops serving and waits for the server to finish: in-flight calls get `grace`, then they are
  // cancelled (with no grace given, they are waited for). Does nothing when not serving.
  void Shutdown(absl::Duration grace = absl::InfiniteDuration()) {
    if (server_ == nullptr) return;
    if (grace == absl::InfiniteDuration()) {
      server_->Shutdown();
    } else {
      server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    }
    server_->Wait();
    server_.reset();
  }

  int port() const { return port_; }
  // "127.0.0.1:PORT".
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  // A channel to the server, connected before it is returned (ConnectedLoopbackChannel).
  std::shared_ptr<grpc::Channel> Connect() const { return ConnectedLoopbackChannel(port_); }

 private:
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace preflight::testing
