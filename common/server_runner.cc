#include "common/server_runner.h"

#include <pthread.h>
#include <signal.h>

#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/http/http_server.h"
#include "common/listen_security.h"
#include "common/logging/log.h"
#include "common/rpc_observer.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"

namespace preflight {
namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void BlockTerminationSignals() {
  signal(SIGPIPE, SIG_IGN);
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> PrepareListener(
    absl::string_view process_name, absl::string_view listen, const ServerTlsOptions& tls,
    bool auth_enabled, bool insecure) {
  absl::StatusOr<ListenSecurity> security =
      CheckListenSecurity(listen, tls.enabled(), auth_enabled, insecure);
  if (!security.ok()) return security.status();
  if (!security->warning.empty()) logging::Warning(process_name, security->warning);
  return LoadServerCredentials(tls);
}

absl::StatusOr<StartedServer> StartServer(const ServerOptions& options,
                                          const std::vector<grpc::Service*>& services) {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  StartedServer started;
  if (options.health == nullptr) started.owned_health = std::make_unique<HealthService>();
  started.health = options.health != nullptr ? options.health : started.owned_health.get();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(
      options.listen_address,
      options.credentials ? options.credentials : grpc::InsecureServerCredentials(), &started.port);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  // Let clients keep long-lived watch streams alive with pings every 30 s or more.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // And ping idle clients ourselves, so a watcher whose peer vanished without closing the
  // connection (a crashed host, a dropped NAT entry) is noticed and its stream freed.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  // gRPC sets SO_REUSEPORT by default, which lets a second instance silently share the port.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> observers;
  observers.push_back(MakeRpcObserver(RpcObserverOptions{options.metrics}));
  builder.experimental().SetInterceptorCreators(std::move(observers));
  builder.RegisterService(started.health);
  for (grpc::Service* service : services) builder.RegisterService(service);
  started.server = builder.BuildAndStart();
  if (started.server == nullptr || started.port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     " (address in use, or not an address of this machine?)"));
  }
  for (const std::string& name : options.health_services) {
    started.health->SetServingStatus(name, true);
  }
  return started;
}

absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<grpc::Service*>& services,
                              const std::function<void()>& before_shutdown) {
  const absl::string_view name = options.process_name;
  // The metrics endpoint first: a taken metrics port stops start-up before gRPC serves.
  std::unique_ptr<http::HttpServer> metrics_server;
  if (!options.metrics_listen.empty() && options.metrics != nullptr) {
    metrics::Registry* registry = options.metrics;
    absl::StatusOr<std::unique_ptr<http::HttpServer>> served = http::HttpServer::Start(
        options.metrics_listen, {{"/metrics", [registry](const http::Request&) {
                                    http::Response response;
                                    response.content_type =
                                        "text/plain; version=0.0.4; charset=utf-8";
                                    response.body = registry->Render();
                                    return response;
                                  }}});
    if (!served.ok()) {
      return absl::Status(served.status().code(),
                          absl::StrCat("--metrics_listen: ", served.status().message()));
    }
    metrics_server = *std::move(served);
  }
  absl::StatusOr<StartedServer> started = StartServer(options, services);
  if (!started.ok()) return started.status();
  grpc::Server* server = started->server.get();
  const std::string host(options.listen_address.substr(0, options.listen_address.rfind(':')));
  if (metrics_server != nullptr) {
    logging::Info(name, absl::StrCat("metrics on http://", metrics_server->address(), "/metrics"));
  }
  // Tests and scripts read the address from the end of this line.
  logging::Info(name, absl::StrCat("listening on ", host, ":", started->port));

  // Wait for the signal on this thread; the server runs on gRPC's own threads meanwhile.
  sigset_t set = TerminationSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  logging::Info(name, "shutting down", {{"signal", strsignal(signal_number)}});

  started->health->Shutdown();
  if (before_shutdown) before_shutdown();
  server->Shutdown(absl::ToChronoTime(absl::Now() + options.shutdown_grace));
  server->Wait();
  if (metrics_server != nullptr) metrics_server->Stop();
  logging::Info(name, "stopped");
  return absl::OkStatus();
}

}  // namespace preflight
