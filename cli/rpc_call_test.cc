#include "cli/rpc_call.h"

#include <atomic>
#include <memory>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "tests/testing/loopback_server.h"
#include "tests/testing/status_matchers.h"

namespace preflight::cli {
namespace {

// Answers every GetLaunch with UNAVAILABLE from the server itself, counting the calls.
class BusyChecklist final : public v1::ChecklistService::Service {
 public:
  grpc::Status GetLaunch(grpc::ServerContext* context, const v1::GetLaunchRequest* request,
                         v1::Launch* response) override {
    ++calls;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy");
  }
  std::atomic<int> calls{0};
};

TEST(CallUnaryTest, AnAnswerFromTheServerIsNeverRetried) {
  BusyChecklist service;
  testing::LoopbackServer server;
  ASSERT_OK(server.Start({&service}));
  auto stub = v1::ChecklistService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  v1::Launch launch;
  const grpc::Status status = CallUnary(stub.get(), &v1::ChecklistService::Stub::GetLaunch,
                                        v1::GetLaunchRequest(), &launch, "alice", absl::Seconds(5));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "busy");
  EXPECT_EQ(service.calls.load(), 1);
  server.Shutdown();
}

TEST(CallUnaryTest, AFailedConnectionIsTriedAgainBeforeGivingUp) {
  // Nothing listens on port 1.
  auto stub = v1::ChecklistService::NewStub(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
  v1::Launch launch;
  const absl::Time start = absl::Now();
  const grpc::Status status = CallUnary(stub.get(), &v1::ChecklistService::Stub::GetLaunch,
                                        v1::GetLaunchRequest(), &launch, "", absl::Seconds(5));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  // Three pauses of 100, 200 and 400 ms came first.
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(700));
}

}  // namespace
}  // namespace preflight::cli
