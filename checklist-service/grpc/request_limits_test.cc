// The checklist's input limits through the real gRPC surface: fields checked by the transport
// (filters, page tokens) and the domain's limits, with the status codes clients see.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/limits.h"
#include "checklist-service/testing/checklist_server_testing.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;

class RequestLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open());
    LaunchServiceLimits limits;
    limits.max_launches_per_tenant = 2;
    service_ = checklist_.NewService(nullptr, nullptr, limits);
    ASSERT_OK(server_.Start(service_.get()));
    stub_ = server_.NewStub();
  }

  void TearDown() override { server_.Shutdown(); }

  static v1::CreateLaunchRequest Shop() { return testing::ShopLaunchRequest(); }

  grpc::Status Create(const v1::CreateLaunchRequest& request) {
    grpc::ClientContext context;
    v1::Launch launch;
    return stub_->CreateLaunch(&context, request, &launch);
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 9, 1, 2, 0, 0), absl::UTCTimeZone())};
  testing::ChecklistTestbed checklist_{&clock_};
  std::unique_ptr<LaunchService> service_;
  testing::ChecklistTestServer server_;
  std::unique_ptr<v1::ChecklistService::Stub> stub_;
};

TEST_F(RequestLimitsTest, CreateLaunchFieldLimits) {
  v1::CreateLaunchRequest request = Shop();
  request.mutable_launch()->set_display_name(std::string(kMaxNameLength + 1, 'x'));
  EXPECT_STATUS(Create(request), INVALID_ARGUMENT,
                "launch.display_name: too long (201 bytes, at most 200)");
  request = Shop();
  request.set_request_id(std::string(api::kMaxRequestIdLength + 1, 'r'));
  EXPECT_STATUS(Create(request), INVALID_ARGUMENT, "request_id: too long (at most 64)");
  request = Shop();
  for (size_t i = 0; i <= kMaxCategories; ++i) {
    request.mutable_launch()->mutable_profile()->add_service_categories(absl::StrCat("c", i));
  }
  EXPECT_STATUS(Create(request), INVALID_ARGUMENT, "at most 32 categories");
}

TEST_F(RequestLimitsTest, LaunchesPerTenantIsResourceExhausted) {
  ASSERT_TRUE(Create(Shop()).ok());
  ASSERT_TRUE(Create(Shop()).ok());
  EXPECT_STATUS(Create(Shop()), RESOURCE_EXHAUSTED, "tenant acme has 2 launches, the limit");
}

TEST_F(RequestLimitsTest, ListFiltersAndPageTokensAreBounded) {
  {
    grpc::ClientContext context;
    v1::ListLaunchesRequest request;
    request.set_tenant(std::string(api::kMaxTenantLength + 1, 't'));
    v1::ListLaunchesResponse response;
    EXPECT_STATUS(stub_->ListLaunches(&context, request, &response), INVALID_ARGUMENT,
                  "tenant: too long (64 bytes, at most 63)");
  }
  {
    grpc::ClientContext context;
    v1::ListLaunchesRequest request;
    request.set_owner(std::string(kMaxNameLength + 1, 'o'));
    v1::ListLaunchesResponse response;
    EXPECT_STATUS(stub_->ListLaunches(&context, request, &response), INVALID_ARGUMENT,
                  "owner: too long");
  }
  {
    grpc::ClientContext context;
    v1::ListLaunchesRequest request;
    request.set_page_token(std::string(api::kMaxPageTokenLength + 1, 'p'));
    v1::ListLaunchesResponse response;
    EXPECT_STATUS(stub_->ListLaunches(&context, request, &response), INVALID_ARGUMENT,
                  "page_token: too long (1025 bytes, at most 1024)");
  }
  {
    grpc::ClientContext context;
    v1::ListLaunchesRequest request;
    request.set_page_size(kMaxLaunchPageSize + 1);
    v1::ListLaunchesResponse response;
    EXPECT_STATUS(stub_->ListLaunches(&context, request, &response), INVALID_ARGUMENT,
                  "page_size: must be between 0 and 200");
  }
  {
    grpc::ClientContext context;
    v1::ListTemplatesRequest request;
    request.set_page_token(std::string(api::kMaxPageTokenLength + 1, 'p'));
    v1::ListTemplatesResponse response;
    EXPECT_STATUS(stub_->ListTemplates(&context, request, &response), INVALID_ARGUMENT,
                  "page_token: too long");
  }
  {
    grpc::ClientContext context;
    v1::ListEventsRequest request;
    request.set_parent("launches/l123");
    request.set_page_token(std::string(api::kMaxPageTokenLength + 1, 'p'));
    v1::ListEventsResponse response;
    EXPECT_STATUS(stub_->ListEvents(&context, request, &response), INVALID_ARGUMENT,
                  "page_token: too long");
  }
  {
    grpc::ClientContext context;
    v1::WatchEventsRequest request;
    request.set_tenant(std::string(api::kMaxTenantLength + 1, 't'));
    std::unique_ptr<grpc::ClientReader<v1::Event>> reader = stub_->WatchEvents(&context, request);
    v1::Event event;
    EXPECT_FALSE(reader->Read(&event));
    EXPECT_STATUS(reader->Finish(), INVALID_ARGUMENT, "tenant: too long");
  }
}

}  // namespace
}  // namespace preflight::checklist
