#pragma once

// Fixtures for the CLI's tests: command lines parsed as the CLI parses them, and a fake
// ChecklistService for the real gRPC clients to call. Library preflight_cli_testing.

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cli/command_line.h"
#include "grpcpp/grpcpp.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::testing {

// `args` parsed by ParseCommandLine (failing the test when they do not parse).
cli::Invocation ParseInvocation(const std::vector<std::string>& args);

// Knows launch launches/l1 (time zone Asia/Shanghai) and no other, refuses every UpdateItem as an
// illegal transition, and records what each call carried.
class FakeChecklistService : public v1::ChecklistService::Service {
 public:
  grpc::Status GetLaunch(grpc::ServerContext* context, const v1::GetLaunchRequest* request,
                         v1::Launch* response) override;
  grpc::Status UpdateItem(grpc::ServerContext* context, const v1::UpdateItemRequest* request,
                          v1::Item* response) override;

  // The actor metadata of the last call ("<none>" when absent), and the time it had left.
  std::string actor();
  absl::Duration time_left();
  // "NAME view VIEW" of every GetLaunch.
  std::vector<std::string> asked();

 private:
  void Record(const grpc::ServerContext& context) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::string actor_ ABSL_GUARDED_BY(mu_);
  absl::Duration time_left_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> asked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::testing
