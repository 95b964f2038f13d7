#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace preflight {

struct ServerOptions {
  // "HOST:PORT"; port 0 picks a free one.
  std::string listen_address;
  // Names the process in log lines, e.g. "checklist-service".
  std::string process_name;
  // How long in-flight calls get to finish at shutdown.
  absl::Duration shutdown_grace = absl::Seconds(5);
  // Fully qualified service names the health service reports SERVING for, besides "".
  std::vector<std::string> health_services;
};

struct StartedServer {
  std::unique_ptr<grpc::Server> server;
  // The port actually bound (useful with port 0).
  int port = 0;
};

// Builds and starts a server for `services` with health checking and server reflection, and the
// keepalive policy long-lived watch streams need. UNAVAILABLE when the address cannot be bound.
absl::StatusOr<StartedServer> StartServer(const ServerOptions& options,
                                          const std::vector<grpc::Service*>& services);

// Starts the server, prints "<process_name> listening on HOST:PORT" on stdout, and serves until
// SIGINT or SIGTERM. Then it shuts down gracefully: health turns NOT_SERVING, `before_shutdown`
// runs (to end open streams), in-flight calls get `shutdown_grace`, and the function returns.
// Call BlockTerminationSignals() first, before any thread is started.
absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<grpc::Service*>& services,
                              const std::function<void()>& before_shutdown = nullptr);

// Blocks SIGINT and SIGTERM in the calling thread and every thread started after it, so that
// ServeUntilSignal can wait for them synchronously.
void BlockTerminationSignals();

}  // namespace preflight
