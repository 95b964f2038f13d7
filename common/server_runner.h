#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/health_service.h"
#include "common/metrics/metrics.h"
#include "common/tls_options.h"
#include "grpcpp/grpcpp.h"

namespace preflight {

// The largest request a server accepts; bigger ones fail with RESOURCE_EXHAUSTED before any
// handler sees them. Far above any legitimate request (a launch with every item is kilobytes).
inline constexpr int kMaxReceiveMessageBytes = 4 * 1024 * 1024;

struct ServerOptions {
  // "HOST:PORT"; port 0 picks a free one.
  std::string listen_address;
  // Names the process in log lines, e.g. "checklist-service".
  std::string process_name;
  // How long in-flight calls get to finish at shutdown.
  absl::Duration shutdown_grace = absl::Seconds(5);
  // Fully qualified service names the health service reports SERVING for, besides "".
  std::vector<std::string> health_services;
  // Null: plaintext. See PrepareListener.
  std::shared_ptr<grpc::ServerCredentials> credentials = nullptr;
  int max_receive_message_bytes = kMaxReceiveMessageBytes;
  // The health service to serve; null: one of the server's own. A process that changes what a
  // named service reports (the notifier) passes its own and keeps it past the server.
  HealthService* health = nullptr;
  // Where RPC metrics go (rpc_observer.h); null: nowhere.
  metrics::Registry* metrics = nullptr;
  // ServeUntilSignal only: "HOST:PORT" to serve `metrics` on at /metrics; empty: not served.
  std::string metrics_listen;
};

// Secure by default, before anything else starts: checks that the service may listen on `listen`
// (CheckListenSecurity in common/listen_security.h; its --insecure warning is logged) and loads
// the TLS credentials for ServerOptions::credentials.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> PrepareListener(
    absl::string_view process_name, absl::string_view listen, const ServerTlsOptions& tls,
    bool auth_enabled, bool insecure);

struct StartedServer {
  // Declared before `server`, which must go first: a service outlives its server.
  std::unique_ptr<HealthService> owned_health;
  std::unique_ptr<grpc::Server> server;
  // The port actually bound (useful with port 0).
  int port = 0;
  // The health service it serves (owned_health, or ServerOptions::health).
  HealthService* health = nullptr;
};

// Builds and starts a server for `services` with our health service, server reflection, the RPC
// observer (one log line and the metrics of each call) and the keepalive policy long-lived watch
// streams need. UNAVAILABLE when the address cannot be bound.
absl::StatusOr<StartedServer> StartServer(const ServerOptions& options,
                                          const std::vector<grpc::Service*>& services);

// Starts the server (and the metrics endpoint, if asked), logs "listening on HOST:PORT" and
// serves until SIGINT or SIGTERM. Then it shuts down gracefully: health turns NOT_SERVING and its
// watches end, `before_shutdown` runs (to end open streams), in-flight calls get
// `shutdown_grace`, and the function returns. Call BlockTerminationSignals() first, before any
// thread is started.
absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<grpc::Service*>& services,
                              const std::function<void()>& before_shutdown = nullptr);

// Blocks SIGINT and SIGTERM in the calling thread and every thread started after it, so that
// ServeUntilSignal can wait for them synchronously. Also ignores SIGPIPE: a peer that closes a
// connection must not kill the process.
void BlockTerminationSignals();

}  // namespace preflight
