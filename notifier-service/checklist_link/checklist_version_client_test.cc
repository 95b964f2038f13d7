// The version client against an in-process fake ChecklistService on a loopback port.

#include "notifier-service/checklist_link/checklist_version_client.h"

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/loopback_server.h"
#include "tests/testing/process.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// Answers GetLaunch from a table; records what it was asked. With `hold` set it answers only
// once the call is cancelled (its deadline passed), to exercise the client's deadline.
class FakeChecklist final : public v1::ChecklistService::Service {
 public:
  grpc::Status GetLaunch(grpc::ServerContext* context, const v1::GetLaunchRequest* request,
                         v1::Launch* response) override {
    absl::MutexLock lock(&mu_);
    last_request_ = *request;
    auto token = context->client_metadata().find("x-preflight-token");
    last_token_ = token == context->client_metadata().end()
                      ? "(none)"
                      : std::string(token->second.data(), token->second.size());
    if (hold_) {
      // Waits for the client's deadline to cancel the call; the timeout only bounds each look.
      while (!context->IsCancelled())
        mu_.AwaitWithTimeout(absl::Condition(&never_), absl::Milliseconds(5));
      return grpc::Status(grpc::StatusCode::CANCELLED, "gave up");
    }
    auto found = launches_.find(request->name());
    if (found == launches_.end()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat(request->name(), " not found"));
    }
    if (!error_.ok()) return error_;
    *response = found->second;
    return grpc::Status::OK;
  }

  void AddLaunch(const v1::Launch& launch) {
    absl::MutexLock lock(&mu_);
    launches_[launch.name()] = launch;
  }
  void set_hold(bool hold) {
    absl::MutexLock lock(&mu_);
    hold_ = hold;
  }
  void set_error(grpc::Status error) {
    absl::MutexLock lock(&mu_);
    error_ = std::move(error);
  }
  v1::GetLaunchRequest last_request() {
    absl::MutexLock lock(&mu_);
    return last_request_;
  }
  std::string last_token() {
    absl::MutexLock lock(&mu_);
    return last_token_;
  }

 private:
  absl::Mutex mu_;
  bool never_ = false;
  std::map<std::string, v1::Launch> launches_ ABSL_GUARDED_BY(mu_);
  bool hold_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status error_ ABSL_GUARDED_BY(mu_);
  v1::GetLaunchRequest last_request_ ABSL_GUARDED_BY(mu_);
  std::string last_token_ ABSL_GUARDED_BY(mu_);
};

v1::Launch ShopLaunch() {
  v1::Launch launch;
  launch.set_name("launches/shop");
  launch.set_etag("7-0123456789ab");
  launch.set_version(7);
  v1::Item* icp = launch.add_items();
  icp->set_name("launches/shop/items/ICP_FILING");
  icp->set_code("ICP_FILING");
  icp->set_etag("3-abcdefabcdef");
  icp->set_version(3);
  v1::Item* verify = launch.add_items();
  verify->set_name("launches/shop/items/WECHAT_VERIFICATION");
  verify->set_code("WECHAT_VERIFICATION");
  verify->set_etag("12-fedcbafedcba");
  verify->set_version(12);
  return launch;
}

class ChecklistVersionClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(server_.Start({&fake_}));
    channel_ = grpc::CreateChannel(server_.address(), grpc::InsecureChannelCredentials());
    fake_.AddLaunch(ShopLaunch());
  }

  void TearDown() override { server_.Shutdown(absl::ZeroDuration()); }

  FakeChecklist fake_;
  testing::LoopbackServer server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ChecklistVersionClientTest, ReadsVersionsFromItemEtags) {
  ChecklistVersionClient client(channel_);
  absl::StatusOr<std::map<std::string, int64_t>> versions = client.ItemVersions("shop");
  ASSERT_TRUE(versions.ok()) << versions.status();
  EXPECT_THAT(*versions,
              UnorderedElementsAre(Pair("ICP_FILING", 3), Pair("WECHAT_VERIFICATION", 12)));
  const v1::GetLaunchRequest request = fake_.last_request();
  EXPECT_EQ(request.name(), "launches/shop");
  EXPECT_EQ(request.view(), v1::LAUNCH_VIEW_FULL);
  EXPECT_EQ(fake_.last_token(), "(none)");
}

TEST_F(ChecklistVersionClientTest, SendsConfiguredMetadata) {
  ChecklistVersionClient::Options options;
  options.metadata = {{"x-preflight-token", "secret-value"}};
  ChecklistVersionClient client(channel_, options);
  ASSERT_TRUE(client.ItemVersions("shop").ok());
  EXPECT_EQ(fake_.last_token(), "secret-value");
}

TEST_F(ChecklistVersionClientTest, UnknownLaunchIsNotFound) {
  ChecklistVersionClient client(channel_);
  absl::StatusOr<std::map<std::string, int64_t>> versions = client.ItemVersions("gone");
  EXPECT_EQ(versions.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(versions.status().message(), HasSubstr("launches/gone"));
}

TEST_F(ChecklistVersionClientTest, OtherFailuresAreUnavailableWithTheReason) {
  fake_.set_error(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no token"));
  ChecklistVersionClient client(channel_);
  absl::StatusOr<std::map<std::string, int64_t>> versions = client.ItemVersions("shop");
  EXPECT_EQ(versions.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(versions.status().message(), HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(versions.status().message(), HasSubstr("no token"));
}

TEST_F(ChecklistVersionClientTest, ItemWithoutVersionIsUnavailable) {
  v1::Launch launch = ShopLaunch();
  launch.set_name("launches/odd");
  launch.mutable_items(1)->clear_version();
  fake_.AddLaunch(launch);
  ChecklistVersionClient client(channel_);
  absl::StatusOr<std::map<std::string, int64_t>> versions = client.ItemVersions("odd");
  EXPECT_EQ(versions.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(versions.status().message(), HasSubstr("WECHAT_VERIFICATION"));
}

TEST_F(ChecklistVersionClientTest, SlowChecklistHitsTheDeadline) {
  fake_.set_hold(true);
  ChecklistVersionClient::Options options;
  options.deadline = absl::Milliseconds(200);
  ChecklistVersionClient client(channel_, options);
  absl::StatusOr<std::map<std::string, int64_t>> versions = client.ItemVersions("shop");
  EXPECT_EQ(versions.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(versions.status().message(), HasSubstr("DEADLINE_EXCEEDED"));
}

TEST_F(ChecklistVersionClientTest, UnreachableChecklistIsUnavailable) {
  // A port that was just bound and released: nothing listens there any more.
  const int dead_port = testing::UnusedLoopbackPort();
  ChecklistVersionClient client(grpc::CreateChannel(absl::StrCat("127.0.0.1:", dead_port),
                                                    grpc::InsecureChannelCredentials()));
  absl::StatusOr<std::map<std::string, int64_t>> versions = client.ItemVersions("shop");
  EXPECT_EQ(versions.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(versions.status().message(), HasSubstr("launches/shop"));
}

}  // namespace
}  // namespace preflight::notifier
