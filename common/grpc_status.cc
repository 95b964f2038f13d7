#include "common/grpc_status.h"

#include <string>

namespace preflight {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // The canonical codes are numbered identically in Abseil and gRPC.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace preflight
