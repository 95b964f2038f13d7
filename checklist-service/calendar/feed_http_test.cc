#include "checklist-service/calendar/feed_http.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/storage/sqlite_calendar_feed_store.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;

std::string Header(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class FeedHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(checklist_.Open(testing::ChecklistTestbed::FastStore()).ok());
    service_ = checklist_.NewService();
    store_ = std::make_unique<SqliteCalendarFeedStore>(checklist_.store()->database());
    assignees_ = std::make_unique<IndexedAssigneeItemSource>(service_.get());
    feeds_ = std::make_unique<CalendarFeeds>(store_.get(), service_.get(), assignees_.get(),
                                             checklist_.calendar(), ReminderLadder{}, &clock_);
    absl::StatusOr<CreatedCalendarFeed> created =
        feeds_->Create({"", testing::CreateShopLaunch(*service_), "", "alice"});
    ASSERT_TRUE(created.ok()) << created.status();
    feed_ = *std::move(created);
  }

  http::Response Get(const std::string& path, const std::string& if_none_match = "") {
    http::Request request;
    request.method = "GET";
    request.path = path;
    if (!if_none_match.empty()) request.headers["if-none-match"] = if_none_match;
    return ServeCalendarFeed(*feeds_, request);
  }

  std::string Path() const {
    return absl::StrCat("/feeds/", feed_.feed.id, "/", feed_.secret, ".ics");
  }

  FakeClock clock_{absl::FromUnixSeconds(1788228000)};  // 2026-09-01 10:00 in Shanghai
  testing::ChecklistTestbed checklist_{&clock_};
  std::unique_ptr<LaunchService> service_;
  std::unique_ptr<SqliteCalendarFeedStore> store_;
  std::unique_ptr<IndexedAssigneeItemSource> assignees_;
  std::unique_ptr<CalendarFeeds> feeds_;
  CreatedCalendarFeed feed_;
};

TEST_F(FeedHttpTest, ServesTheCalendarWithCachingHeaders) {
  const http::Response response = Get(Path());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/calendar; charset=utf-8");
  EXPECT_TRUE(absl::StartsWith(response.body, "BEGIN:VCALENDAR\r\n"));
  EXPECT_THAT(response.body, HasSubstr(".MP_FILING.due@preflight"));
  EXPECT_EQ(Header(response, "Cache-Control"), "private, max-age=300");
  EXPECT_THAT(Header(response, "Last-Modified"), HasSubstr(" GMT"));
  const std::string etag = Header(response, "ETag");
  ASSERT_EQ(etag.size(), 34u);
  // Unchanged: the same ETag, and a conditional request gets 304 without a body.
  EXPECT_EQ(Header(Get(Path()), "ETag"), etag);
  const http::Response not_modified = Get(Path(), etag);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(Get(Path(), "\"something else\"").status, 200);
}

TEST_F(FeedHttpTest, EverythingButALiveFeedsUrlIsTheSame404) {
  std::string wrong_secret = feed_.secret;
  wrong_secret[3] = wrong_secret[3] == '0' ? '1' : '0';
  for (const std::string& path :
       {absl::StrCat("/feeds/", feed_.feed.id, "/", wrong_secret, ".ics"),
        absl::StrCat("/feeds/00000000000000ff/", feed_.secret, ".ics"),
        absl::StrCat("/feeds/", feed_.feed.id, "/", feed_.secret),
        absl::StrCat("/feeds/", feed_.feed.id, ".ics"),
        absl::StrCat("/feeds/", feed_.feed.id, "/", feed_.secret, "/x.ics"),
        absl::StrCat("/feeds/", feed_.feed.id, "/", std::string(4000, 'a'), ".ics"),
        std::string("/feeds/../metrics.ics")}) {
    const http::Response response = Get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.body, "not found\n") << path;
  }
  ASSERT_TRUE(feeds_->Revoke(feed_.feed.id).ok());
  EXPECT_EQ(Get(Path()).status, 404);
  EXPECT_EQ(Get(Path()).body, "not found\n");
}

}  // namespace
}  // namespace preflight::checklist
