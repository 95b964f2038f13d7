#pragma once

// What both servers record of every RPC, in one gRPC server interceptor: one log line when the
// call ends (method, status code, duration, tenant, actor, peer; never a token, a secret or a
// message body), the standard grpc_server_* Prometheus metrics, and the status of a request that
// could not be decoded, which gRPC reports as INTERNAL (or UNIMPLEMENTED on the callback API)
// although it is the client's fault: INVALID_ARGUMENT.

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/metrics/metrics.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace preflight {

struct RpcObserverOptions {
  // Null: no metrics.
  metrics::Registry* metrics = nullptr;
};

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeRpcObserver(
    const RpcObserverOptions& options);

// Records who is calling on the RPC of `context`, for its log line: the tenant scope and the
// actor as the service authenticated them. Called by auth::CallAuthorizer. No effect outside an
// observed RPC.
void NoteCaller(const grpc::ServerContextBase& context, absl::string_view tenant,
                absl::string_view actor);

}  // namespace preflight
