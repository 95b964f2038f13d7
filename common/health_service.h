#pragma once

#include <map>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace preflight {

// grpc.health.v1.Health, served by the process itself instead of gRPC's built-in service, so
// that reflection lists and describes it (buf curl, grpcurl) and the process decides what each
// named service reports. The overall service "" is SERVING from the start. On the callback API:
// an open Watch holds no thread.
class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  HealthService();
  ~HealthService() override;

  // Registers `service` or changes what it reports; open watches of it are told. Ignored after
  // Shutdown.
  void SetServingStatus(absl::string_view service, bool serving);
  // Every service NOT_SERVING for good; each open Watch is sent that, then finished, so the
  // server's shutdown does not wait for them.
  void Shutdown();

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  class WatchReactor;
  class RefusedWatch;

  ServingStatus StatusOf(const std::string& service) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void Forget(WatchReactor* watch);

  mutable absl::Mutex mu_;
  std::map<std::string, bool> serving_ ABSL_GUARDED_BY(mu_);
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  std::set<WatchReactor*> watches_ ABSL_GUARDED_BY(mu_);
  absl::CondVar no_watches_;
};

}  // namespace preflight
