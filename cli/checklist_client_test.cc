#include "cli/checklist_client.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/cli.h"
#include "cli/testing/cli_testing.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
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

// Answers UNAVAILABLE to the first GetLaunch and the first UpdateItem, then serves.
class BrieflyUnavailableService : public v1::ChecklistService::Service {
 public:
  grpc::Status GetLaunch(grpc::ServerContext*, const v1::GetLaunchRequest* request,
                         v1::Launch* response) override {
    if (reads_++ == 0) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy, try again");
    response->set_name(request->name());
    return grpc::Status::OK;
  }
  grpc::Status UpdateItem(grpc::ServerContext*, const v1::UpdateItemRequest*, v1::Item*) override {
    if (writes_++ == 0) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy, try again");
    return grpc::Status::OK;
  }
  std::atomic<int> reads_{0};
  std::atomic<int> writes_{0};
};

TEST(ConnectToServerTest, ReadsAreRetriedOnUnavailableWritesAreNot) {
  BrieflyUnavailableService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  GlobalOptions options;
  options.server = absl::StrCat("127.0.0.1:", port);
  options.timeout = absl::Seconds(10);
  std::unique_ptr<ChecklistClient> client = ConnectToServer(options);

  v1::GetLaunchRequest get;
  get.set_name("launches/l1");
  v1::Launch launch;
  const grpc::Status read = client->GetLaunch(get, &launch);
  EXPECT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(launch.name(), "launches/l1");
  EXPECT_EQ(service.reads_, 2);

  v1::UpdateItemRequest update;
  v1::Item item;
  const grpc::Status write = client->UpdateItem(update, &item);
  EXPECT_EQ(write.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service.writes_, 1);
  server->Shutdown();
}

}  // namespace
}  // namespace preflight::cli
