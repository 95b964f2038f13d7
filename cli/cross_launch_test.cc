#include "cli/cross_launch.h"

#include <string>
#include <vector>

#include "cli/command_line.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(EndOfWeekTest, IsTheSundayOfTheWeek) {
  EXPECT_EQ(EndOfWeek(D(2026, 12, 7)), D(2026, 12, 13));   // Monday
  EXPECT_EQ(EndOfWeek(D(2026, 12, 11)), D(2026, 12, 13));  // Friday
  EXPECT_EQ(EndOfWeek(D(2026, 12, 13)), D(2026, 12, 13));  // Sunday
  EXPECT_EQ(EndOfWeek(D(2026, 12, 31)), D(2027, 1, 3));    // across the year
}

TEST(ListItemsRequestTest, MapsTheFlags) {
  Invocation invocation;
  ASSERT_TRUE(
      ParseCommandLine({"item", "list", "--tenant=acme", "--assignee=li.na", "--status=in_progress",
                        "--status=returned", "--start_before=2026-12-13", "--due_before=2026-12-31",
                        "--at_risk", "--critical", "--include_done", "--page_size=7"},
                       &invocation)
          .ok());
  absl::StatusOr<v1::ListItemsRequest> request = BuildListItemsRequest(invocation);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->parent(), "launches/-");
  EXPECT_EQ(request->tenant(), "acme");
  EXPECT_EQ(request->assignee(), "li.na");
  EXPECT_THAT(request->statuses(),
              ElementsAre(v1::ITEM_STATUS_IN_PROGRESS, v1::ITEM_STATUS_RETURNED));
  EXPECT_EQ(request->start_before(), "2026-12-13");
  EXPECT_EQ(request->due_before(), "2026-12-31");
  EXPECT_TRUE(request->at_risk_only());
  EXPECT_TRUE(request->critical_only());
  EXPECT_TRUE(request->include_done());
  EXPECT_EQ(request->page_size(), 7);

  Invocation one;
  ASSERT_TRUE(ParseCommandLine({"item", "list", "--launch=l123"}, &one).ok());
  EXPECT_EQ(BuildListItemsRequest(one)->parent(), "launches/l123");
  Invocation bad;
  ASSERT_TRUE(ParseCommandLine({"item", "list", "--status=done"}, &bad).ok());
  EXPECT_THAT(BuildListItemsRequest(bad).status().message(), HasSubstr("--status"));
}

v1::Item Item(const std::string& launch, const std::string& code, const std::string& start,
              bool at_risk = false) {
  v1::Item item;
  item.set_name(launch + "/items/" + code);
  item.set_code(code);
  item.mutable_schedule()->set_latest_start_date(start);
  item.mutable_schedule()->set_latest_finish_date(start);
  item.mutable_schedule()->set_at_risk(at_risk);
  return item;
}

TEST(MyWeekTest, AsksForThisWeekAndForRiskAndMergesTheAnswers) {
  const std::vector<v1::ListItemsRequest> requests =
      MyWeekRequests("acme", "li.na", D(2026, 12, 13));
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].start_before(), "2026-12-13");
  EXPECT_FALSE(requests[0].at_risk_only());
  EXPECT_TRUE(requests[1].at_risk_only());
  EXPECT_TRUE(requests[1].start_before().empty());
  for (const v1::ListItemsRequest& request : requests) {
    EXPECT_EQ(request.parent(), "launches/-");
    EXPECT_EQ(request.tenant(), "acme");
    EXPECT_EQ(request.assignee(), "li.na");
  }

  v1::ListItemsResponse week;
  *week.add_items() = Item("launches/b", "X", "2026-12-10", true);
  *week.add_items() = Item("launches/a", "Y", "2026-12-11");
  (*week.mutable_launches())["launches/b"].set_display_name("B");
  v1::ListItemsResponse risky;
  *risky.add_items() = Item("launches/b", "X", "2026-12-10", true);
  *risky.add_items() = Item("launches/c", "Z", "2027-01-05", true);
  (*risky.mutable_launches())["launches/c"].set_display_name("C");
  const v1::ListItemsResponse merged = MergeItemPages({week, risky});
  ASSERT_EQ(merged.items_size(), 3);
  EXPECT_EQ(merged.items(0).name(), "launches/b/items/X");
  EXPECT_EQ(merged.items(1).name(), "launches/a/items/Y");
  EXPECT_EQ(merged.items(2).name(), "launches/c/items/Z");
  EXPECT_EQ(merged.launches_size(), 2);

  v1::ListItemsResponse shown = merged;
  (*shown.mutable_launches())["launches/b"].mutable_schedule()->set_as_of_date("2026-12-11");
  (*shown.mutable_launches())["launches/c"].mutable_schedule()->set_as_of_date("2026-12-11");
  const std::string table = RenderMyWeek(shown, RenderOptions());
  EXPECT_THAT(table, HasSubstr("WHEN"));
  EXPECT_THAT(table, HasSubstr("overdue"));
  EXPECT_THAT(table, HasSubstr("at risk"));
  EXPECT_THAT(RenderMyWeek(v1::ListItemsResponse(), RenderOptions()), HasSubstr("nothing"));
}

v1::Launch Launch(const std::string& name, bool at_risk, int slack, const std::string& next) {
  v1::Launch launch;
  launch.set_name(name);
  launch.mutable_schedule()->set_at_risk(at_risk);
  launch.mutable_schedule()->set_slack_working_days(slack);
  launch.mutable_schedule()->set_next_deadline_date(next);
  return launch;
}

TEST(PortfolioTest, WorstFirst) {
  v1::ListLaunchesResponse response;
  *response.add_launches() = Launch("launches/calm", false, 40, "2027-02-01");
  *response.add_launches() = Launch("launches/late", true, -3, "2026-12-01");
  *response.add_launches() = Launch("launches/tight", false, 2, "2026-12-20");
  *response.add_launches() = Launch("launches/later", true, -9, "2026-11-20");
  *response.add_launches() = Launch("launches/done", false, 2, "");
  SortWorstFirst(&response);
  std::vector<std::string> names;
  for (const v1::Launch& launch : response.launches()) names.push_back(launch.name());
  EXPECT_THAT(names, ElementsAre("launches/later", "launches/late", "launches/tight",
                                 "launches/done", "launches/calm"));
  const std::string table = RenderPortfolio(response, RenderOptions());
  EXPECT_THAT(table, HasSubstr("AT-RISK ITEMS"));
  EXPECT_THAT(table, HasSubstr("AT RISK"));
}

}  // namespace
}  // namespace preflight::cli
