#pragma once

// The checklist's gRPC surface for in-process tests: the real ChecklistGrpcService over a
// LaunchService, served on a free loopback port by the services' own StartServer (health,
// reflection, the RPC observer and the keepalive policy, as in production), and clients
// connected to it. Library checklist_grpc_testing.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "checklist-service/domain/event_watch.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/grpc/checklist_grpc_service.h"
#include "common/server_runner.h"
#include "grpcpp/grpcpp.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::testing {

// `tenant`'s "Acme shop" (owner zhang.wei@acme.cn, target 2026-12-15): an enterprise on its own
// mainland server, with the default template.
v1::CreateLaunchRequest ShopLaunchRequest(const std::string& tenant = "acme");

class ChecklistTestServer {
 public:
  struct Options {
    // The loopback port to listen on; 0: a free one.
    int port = 0;
    checklist::WatchOptions watch;
    // ChecklistGrpcService's `stalled_write_grace`.
    absl::Duration stalled_write_grace = absl::Milliseconds(500);
  };

  ChecklistTestServer() = default;
  ChecklistTestServer(const ChecklistTestServer&) = delete;
  ChecklistTestServer& operator=(const ChecklistTestServer&) = delete;
  ~ChecklistTestServer() { Shutdown(); }

  // Serves `service` (which must outlive the server) and connects a channel to it.
  absl::Status Start(checklist::LaunchService* service, const Options& options);
  absl::Status Start(checklist::LaunchService* service) { return Start(service, Options()); }

  // Stops serving and waits for the server to finish: in-flight calls get `grace`, then they are
  // cancelled (with no grace given, they are waited for). Does nothing when not serving.
  void Shutdown(absl::Duration grace = absl::InfiniteDuration());

  // The port served on, the channel connected to it, and a new stub on that channel.
  int port() const { return started_.port; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  std::unique_ptr<v1::ChecklistService::Stub> NewStub() const {
    return v1::ChecklistService::NewStub(channel_);
  }

 private:
  std::unique_ptr<checklist::ChecklistGrpcService> grpc_service_;
  // Declared after the service it serves, so that it goes first.
  StartedServer started_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace preflight::testing
