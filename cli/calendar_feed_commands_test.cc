#include "cli/calendar_feed_commands.h"

#include <string>

#include "cli/testing/cli_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::cli {
namespace {

using ::testing::HasSubstr;
using testing::ParseInvocation;

TEST(CalendarFeedCommandsTest, AFeedNamesALaunchOrAnAssigneeWithItsTenant) {
  absl::StatusOr<v1::CreateCalendarFeedRequest> launch =
      BuildCreateCalendarFeedRequest(ParseInvocation({"feed", "create", "--launch=shop1"}));
  ASSERT_TRUE(launch.ok()) << launch.status();
  EXPECT_EQ(launch->calendar_feed().launch(), "launches/shop1");
  EXPECT_TRUE(launch->calendar_feed().tenant().empty());

  absl::StatusOr<v1::CreateCalendarFeedRequest> assignee = BuildCreateCalendarFeedRequest(
      ParseInvocation({"feed", "create", "--assignee=li.na", "--tenant=acme"}));
  ASSERT_TRUE(assignee.ok()) << assignee.status();
  EXPECT_EQ(assignee->calendar_feed().assignee(), "li.na");
  EXPECT_EQ(assignee->calendar_feed().tenant(), "acme");

  EXPECT_THAT(
      BuildCreateCalendarFeedRequest(ParseInvocation({"feed", "create"})).status().message(),
      HasSubstr("--launch=LAUNCH"));
  EXPECT_THAT(BuildCreateCalendarFeedRequest(
                  ParseInvocation({"feed", "create", "--launch=a", "--assignee=b"}))
                  .status()
                  .message(),
              HasSubstr("not both"));
  EXPECT_THAT(
      BuildCreateCalendarFeedRequest(ParseInvocation({"feed", "create", "--assignee=li.na"}))
          .status()
          .message(),
      HasSubstr("needs --tenant"));
}

TEST(CalendarFeedCommandsTest, NamesAndExportsTakeShortForms) {
  EXPECT_EQ(BuildDeleteCalendarFeedRequest(ParseInvocation({"feed", "delete", "0123456789abcdef"}))
                .name(),
            "calendarFeeds/0123456789abcdef");
  EXPECT_EQ(BuildExportLaunchCalendarRequest(ParseInvocation({"launch", "ics", "shop1"})).name(),
            "launches/shop1");
}

TEST(CalendarFeedCommandsTest, TheUrlIsPrintedFirstAndListsNeverShowIt) {
  v1::CreateCalendarFeedResponse created;
  created.set_url("https://cal.example.com/feeds/0123456789abcdef/secret.ics");
  created.mutable_calendar_feed()->set_name("calendarFeeds/0123456789abcdef");
  created.mutable_calendar_feed()->set_tenant("acme");
  created.mutable_calendar_feed()->set_launch("launches/shop1");
  const std::string shown = RenderCreatedCalendarFeed(created);
  EXPECT_EQ(shown.substr(0, shown.find('\n')), created.url());
  EXPECT_THAT(shown, HasSubstr("shown only now"));
  EXPECT_THAT(shown, HasSubstr("feed delete calendarFeeds/0123456789abcdef"));

  v1::ListCalendarFeedsResponse listed;
  *listed.add_calendar_feeds() = created.calendar_feed();
  listed.set_next_page_token("next");
  EXPECT_THAT(RenderCalendarFeeds(listed),
              HasSubstr("calendarFeeds/0123456789abcdef  tenant acme  launches/shop1"));
  EXPECT_THAT(RenderCalendarFeeds(listed), HasSubstr("more: --page_token=next"));
  EXPECT_EQ(RenderCalendarFeeds(v1::ListCalendarFeedsResponse()), "no calendar feeds\n");
}

}  // namespace
}  // namespace preflight::cli
