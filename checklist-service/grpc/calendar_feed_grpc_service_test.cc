#include "checklist-service/grpc/calendar_feed_grpc_service.h"

#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/storage/sqlite_calendar_feed_store.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "common/auth/bearer_token.h"
#include "common/server_runner.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// Vouches for an editor and a viewer of tenant acme and an editor of tenant globex.
class Tokens final : public auth::Authenticator {
 public:
  absl::StatusOr<auth::Principal> Authenticate(const auth::BearerToken& token) override {
    if (token.id == acme_editor.id) {
      return auth::Principal{"tokens/acmeeditor0", "acme", auth::Role::kEditor, "li.na"};
    }
    if (token.id == acme_viewer.id) {
      return auth::Principal{"tokens/acmeviewer0", "acme", auth::Role::kViewer, "viewer"};
    }
    if (token.id == globex_editor.id) {
      return auth::Principal{"tokens/globexedit", "globex", auth::Role::kEditor, "mallory"};
    }
    return absl::UnauthenticatedError("unknown token");
  }
  const auth::BearerToken acme_editor = *auth::GenerateBearerToken();
  const auth::BearerToken acme_viewer = *auth::GenerateBearerToken();
  const auth::BearerToken globex_editor = *auth::GenerateBearerToken();
};

class CalendarFeedGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(checklist_.Open(testing::ChecklistTestbed::FastStore()).ok());
    launches_ = checklist_.NewService();
    store_ = std::make_unique<SqliteCalendarFeedStore>(checklist_.store()->database());
    assignees_ = std::make_unique<IndexedAssigneeItemSource>(launches_.get());
    feeds_ = std::make_unique<CalendarFeeds>(store_.get(), launches_.get(), assignees_.get(),
                                             checklist_.calendar(), ReminderLadder{}, &clock_);
    service_ = std::make_unique<CalendarFeedGrpcService>(feeds_.get(), launches_.get(),
                                                         PageTokenCodec("key"),
                                                         "https://cal.example.com", &authorizer_);
    absl::StatusOr<StartedServer> started =
        StartServer(ServerOptions{"127.0.0.1:0", "test"}, {service_.get()});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
    stub_ = v1::CalendarFeedService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_.port), grpc::InsecureChannelCredentials()));
    launch_ = testing::CreateShopLaunch(*launches_, "acme");
  }
  void TearDown() override { server_.server->Shutdown(); }

  std::unique_ptr<grpc::ClientContext> As(const auth::BearerToken& token) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + token.Text());
    return context;
  }

  grpc::Status CreateForLaunch(const auth::BearerToken& token, const std::string& launch,
                               v1::CreateCalendarFeedResponse* response) {
    v1::CreateCalendarFeedRequest request;
    request.mutable_calendar_feed()->set_launch(absl::StrCat("launches/", launch));
    return stub_->CreateCalendarFeed(As(token).get(), request, response);
  }

  FakeClock clock_{absl::FromUnixSeconds(1788228000)};
  testing::ChecklistTestbed checklist_{&clock_};
  Tokens tokens_;
  auth::CallAuthorizer authorizer_{&tokens_};
  std::unique_ptr<LaunchService> launches_;
  std::unique_ptr<SqliteCalendarFeedStore> store_;
  std::unique_ptr<IndexedAssigneeItemSource> assignees_;
  std::unique_ptr<CalendarFeeds> feeds_;
  std::unique_ptr<CalendarFeedGrpcService> service_;
  StartedServer server_;
  std::unique_ptr<v1::CalendarFeedService::Stub> stub_;
  std::string launch_;
};

TEST_F(CalendarFeedGrpcServiceTest, CreatesAFeedWithItsSecretUrlOnceAndListsItWithout) {
  v1::CreateCalendarFeedResponse created;
  ASSERT_TRUE(CreateForLaunch(tokens_.acme_editor, launch_, &created).ok());
  EXPECT_THAT(created.calendar_feed().name(), MatchesRegex("calendarFeeds/[0-9a-f]{16}"));
  EXPECT_EQ(created.calendar_feed().tenant(), "acme");
  EXPECT_EQ(created.calendar_feed().launch(), absl::StrCat("launches/", launch_));
  EXPECT_EQ(created.calendar_feed().creator(), "li.na (tokens/acmeeditor0)");
  const std::string id = created.calendar_feed().name().substr(strlen("calendarFeeds/"));
  EXPECT_THAT(created.url(), MatchesRegex(absl::StrCat("https://cal.example.com/feeds/", id,
                                                       "/[0-9a-f]{48}\\.ics")));

  v1::ListCalendarFeedsResponse listed;
  ASSERT_TRUE(stub_
                  ->ListCalendarFeeds(As(tokens_.acme_viewer).get(), v1::ListCalendarFeedsRequest(),
                                      &listed)
                  .ok());
  ASSERT_EQ(listed.calendar_feeds_size(), 1);
  EXPECT_EQ(listed.calendar_feeds(0).name(), created.calendar_feed().name());
  const std::string secret = created.url().substr(created.url().rfind('/') + 1, 48);
  EXPECT_FALSE(absl::StrContains(listed.DebugString(), secret));
  // Another tenant sees none of it.
  ASSERT_TRUE(stub_
                  ->ListCalendarFeeds(As(tokens_.globex_editor).get(),
                                      v1::ListCalendarFeedsRequest(), &listed)
                  .ok());
  EXPECT_EQ(listed.calendar_feeds_size(), 0);
}

TEST_F(CalendarFeedGrpcServiceTest, AnotherTenantCannotCreateReadOrDeleteThisTenantsFeeds) {
  v1::CreateCalendarFeedResponse created;
  const grpc::Status foreign = CreateForLaunch(tokens_.globex_editor, launch_, &created);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(foreign.error_message(), absl::StrCat("launch ", launch_, " not found"));

  v1::CreateCalendarFeedRequest assignee;
  assignee.mutable_calendar_feed()->set_tenant("acme");
  assignee.mutable_calendar_feed()->set_assignee("li.na");
  EXPECT_EQ(
      stub_->CreateCalendarFeed(As(tokens_.globex_editor).get(), assignee, &created).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  // A viewer may read but not create.
  EXPECT_EQ(CreateForLaunch(tokens_.acme_viewer, launch_, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  ASSERT_TRUE(CreateForLaunch(tokens_.acme_editor, launch_, &created).ok());
  v1::DeleteCalendarFeedRequest remove;
  remove.set_name(created.calendar_feed().name());
  google::protobuf::Empty empty;
  EXPECT_EQ(stub_->DeleteCalendarFeed(As(tokens_.globex_editor).get(), remove, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ExportLaunchCalendarRequest export_request;
  export_request.set_name(absl::StrCat("launches/", launch_));
  v1::ExportLaunchCalendarResponse exported;
  EXPECT_EQ(stub_->ExportLaunchCalendar(As(tokens_.globex_editor).get(), export_request, &exported)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  ASSERT_TRUE(stub_->DeleteCalendarFeed(As(tokens_.acme_editor).get(), remove, &empty).ok());
  EXPECT_EQ(stub_->DeleteCalendarFeed(As(tokens_.acme_editor).get(), remove, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(CalendarFeedGrpcServiceTest, BadRequestsNameTheirField) {
  v1::CreateCalendarFeedResponse created;
  v1::CreateCalendarFeedRequest request;
  auto expect_invalid = [&](const v1::CreateCalendarFeedRequest& r, const std::string& field) {
    const grpc::Status status =
        stub_->CreateCalendarFeed(As(tokens_.acme_editor).get(), r, &created);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_TRUE(absl::StartsWith(status.error_message(), field)) << status.error_message();
  };
  expect_invalid(request, "calendar_feed");
  request.mutable_calendar_feed()->set_launch("shop");
  expect_invalid(request, "calendar_feed.launch");
  request.mutable_calendar_feed()->set_assignee("li.na");
  expect_invalid(request, "calendar_feed.tenant");
  request.mutable_calendar_feed()->set_assignee(std::string(300, 'x'));
  request.mutable_calendar_feed()->set_tenant("acme");
  expect_invalid(request, "calendar_feed.assignee");
  request.mutable_calendar_feed()->set_tenant("Not A Tenant");
  expect_invalid(request, "calendar_feed.tenant");

  v1::DeleteCalendarFeedRequest remove;
  remove.set_name("calendarFeeds/xyz");
  google::protobuf::Empty empty;
  const grpc::Status bad_name =
      stub_->DeleteCalendarFeed(As(tokens_.acme_editor).get(), remove, &empty);
  EXPECT_EQ(bad_name.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_name.error_message(), HasSubstr("name"));

  v1::ListCalendarFeedsRequest list;
  list.set_page_token("garbage");
  v1::ListCalendarFeedsResponse listed;
  EXPECT_EQ(stub_->ListCalendarFeeds(As(tokens_.acme_editor).get(), list, &listed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  list.clear_page_token();
  list.set_tenant("globex");
  EXPECT_EQ(stub_->ListCalendarFeeds(As(tokens_.acme_editor).get(), list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CalendarFeedGrpcServiceTest, ListsPageByPage) {
  v1::CreateCalendarFeedResponse created;
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(CreateForLaunch(tokens_.acme_editor, launch_, &created).ok());
  v1::ListCalendarFeedsRequest request;
  request.set_page_size(2);
  std::set<std::string> names;
  for (int page = 0; page < 3; ++page) {
    v1::ListCalendarFeedsResponse listed;
    ASSERT_TRUE(stub_->ListCalendarFeeds(As(tokens_.acme_viewer).get(), request, &listed).ok());
    for (const v1::CalendarFeed& feed : listed.calendar_feeds()) names.insert(feed.name());
    if (listed.next_page_token().empty()) break;
    request.set_page_token(listed.next_page_token());
  }
  EXPECT_EQ(names.size(), 3u);
}

TEST_F(CalendarFeedGrpcServiceTest, ExportsTheLaunchsCalendar) {
  v1::ExportLaunchCalendarRequest request;
  request.set_name(absl::StrCat("launches/", launch_));
  v1::ExportLaunchCalendarResponse exported;
  ASSERT_TRUE(stub_->ExportLaunchCalendar(As(tokens_.acme_viewer).get(), request, &exported).ok());
  EXPECT_EQ(exported.content_type(), "text/calendar; charset=utf-8");
  EXPECT_TRUE(absl::StartsWith(exported.data(), "BEGIN:VCALENDAR\r\n"));
  EXPECT_THAT(exported.data(),
              HasSubstr(absl::StrCat("UID:", launch_, ".MP_FILING.due@preflight")));
}

TEST(CalendarFeedGrpcServiceWithoutFeedsTest, CreatingAFeedSaysHowToServeThem) {
  FakeClock clock(absl::FromUnixSeconds(1788228000));
  testing::ChecklistTestbed checklist(&clock);
  ASSERT_TRUE(checklist.Open(testing::ChecklistTestbed::FastStore()).ok());
  std::unique_ptr<LaunchService> launches = checklist.NewService();
  SqliteCalendarFeedStore store(checklist.store()->database());
  IndexedAssigneeItemSource assignees(launches.get());
  CalendarFeeds feeds(&store, launches.get(), &assignees, checklist.calendar(), ReminderLadder{},
                      &clock);
  CalendarFeedGrpcService service(&feeds, launches.get(), PageTokenCodec("key"), "");
  grpc::ServerContext context;
  v1::CreateCalendarFeedRequest request;
  request.mutable_calendar_feed()->set_launch(
      absl::StrCat("launches/", testing::CreateShopLaunch(*launches)));
  v1::CreateCalendarFeedResponse response;
  const grpc::Status status = service.CreateCalendarFeed(&context, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("--feeds_listen"));
}

}  // namespace
}  // namespace preflight::checklist
