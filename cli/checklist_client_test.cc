#include "cli/checklist_client.h"

#include <chrono>
#include <memory>
#include <sstream>
#include <string>

#include "absl/time/clock.h"
#include "cli/cli.h"
#include "cli/testing/cli_testing.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ChecklistClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  std::shared_ptr<grpc::Channel> Channel() {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }

  testing::FakeChecklistService service_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(ChecklistClientTest, SendsActorAndDeadline) {
  std::unique_ptr<ChecklistClient> client =
      NewGrpcChecklistClient(Channel(), "alice", absl::Seconds(30));
  v1::GetLaunchRequest request;
  request.set_name("launches/l1");
  v1::Launch launch;
  const grpc::Status status = client->GetLaunch(request, &launch);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(launch.name(), "launches/l1");
  EXPECT_EQ(service_.actor(), "alice");
  // The deadline travels as a timeout header rounded up, so the server may see a hair over 30 s.
  EXPECT_GT(service_.time_left(), absl::Seconds(20));
  EXPECT_LT(service_.time_left(), absl::Seconds(31));
}

TEST_F(ChecklistClientTest, EmptyActorSendsNoMetadata) {
  std::unique_ptr<ChecklistClient> client = NewGrpcChecklistClient(Channel(), "", absl::Seconds(5));
  v1::Launch launch;
  v1::GetLaunchRequest request;
  request.set_name("launches/l1");
  ASSERT_TRUE(client->GetLaunch(request, &launch).ok());
  EXPECT_EQ(service_.actor(), "<none>");
}

TEST_F(ChecklistClientTest, PassesServerErrorsThrough) {
  std::unique_ptr<ChecklistClient> client =
      NewGrpcChecklistClient(Channel(), "alice", absl::Seconds(5));
  v1::Item item;
  const grpc::Status status = client->UpdateItem(v1::UpdateItemRequest(), &item);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "item BIZ: illegal transition NOT_STARTED -> REJECTED");
  EXPECT_EQ(service_.actor(), "alice");
}

TEST_F(ChecklistClientTest, UnimplementedMethodsReportUnimplemented) {
  std::unique_ptr<ChecklistClient> client =
      NewGrpcChecklistClient(Channel(), "alice", absl::Seconds(5));
  v1::Readiness readiness;
  EXPECT_EQ(client->GetReadiness(v1::GetReadinessRequest(), &readiness).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST(ConnectToServerTest, UnreachableServerIsAnRpcError) {
  // Nothing listens on port 1 of the loopback; the call fails fast rather than hanging.
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCli({"--server=127.0.0.1:1", "--timeout=5s", "templates"}, "alice",
                          DefaultConnectors(), out, err);
  EXPECT_EQ(code, kExitRpcError);
  EXPECT_THAT(err.str(), StartsWith("error: UNAVAILABLE: "));
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace preflight::cli
