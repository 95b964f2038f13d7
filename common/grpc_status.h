#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace preflight {

// Maps an absl::Status onto the gRPC status with the same canonical code and message. Used only at
// the transport edge.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace preflight
