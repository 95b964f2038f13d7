#include "common/server_runner.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/listen_security.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

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
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> PrepareListener(
    absl::string_view process_name, absl::string_view listen, const ServerTlsOptions& tls,
    bool auth_enabled, bool insecure) {
  absl::StatusOr<ListenSecurity> security =
      CheckListenSecurity(listen, tls.enabled(), auth_enabled, insecure);
  if (!security.ok()) return security.status();
  if (!security->warning.empty()) {
    const std::string line = absl::StrCat(process_name, ": ", security->warning, "\n");
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }
  return LoadServerCredentials(tls);
}

absl::StatusOr<StartedServer> StartServer(const ServerOptions& options,
                                          const std::vector<grpc::Service*>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  StartedServer started;
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
  for (grpc::Service* service : services) builder.RegisterService(service);
  started.server = builder.BuildAndStart();
  if (started.server == nullptr || started.port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     " (address in use, or not an address of this machine?)"));
  }
  for (const std::string& name : options.health_services) {
    started.server->GetHealthCheckService()->SetServingStatus(name, true);
  }
  return started;
}

absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<grpc::Service*>& services,
                              const std::function<void()>& before_shutdown) {
  absl::StatusOr<StartedServer> started = StartServer(options, services);
  if (!started.ok()) return started.status();
  grpc::Server* server = started->server.get();
  const int bound_port = started->port;
  const std::string host(options.listen_address.substr(0, options.listen_address.rfind(':')));
  std::printf("%s listening on %s:%d\n", options.process_name.c_str(), host.c_str(), bound_port);
  std::fflush(stdout);

  // Wait for the signal on this thread; the server runs on gRPC's own threads meanwhile.
  sigset_t set = TerminationSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  std::printf("%s: received signal %d, shutting down\n", options.process_name.c_str(),
              signal_number);
  std::fflush(stdout);

  server->GetHealthCheckService()->SetServingStatus(false);
  if (before_shutdown) before_shutdown();
  server->Shutdown(absl::ToChronoTime(absl::Now() + options.shutdown_grace));
  server->Wait();
  std::printf("%s stopped\n", options.process_name.c_str());
  std::fflush(stdout);
  return absl::OkStatus();
}

}  // namespace preflight
