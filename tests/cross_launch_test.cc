// The views across launches end to end: the real checklist-service on a loopback port with a
// temporary data folder, driven by the real `preflight` CLI: `my-week`, `portfolio` and
// `item list` against what `launch show` says of each launch.

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.pb.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/text.h"

namespace preflight {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ParseJson;
using testing::ServiceProcess;
using testing::TempDir;

absl::CivilDay Today() {
  // China has one time zone and no DST; a fixed offset avoids depending on tzdata.
  return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 60 * 60));
}

std::string DaysFromToday(int days) { return absl::FormatCivilTime(Today() + days); }

class CrossLaunchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ServiceProcess> service = testing::StartProcess(
        {CHECKLIST_SERVICE_BIN, "--listen=127.0.0.1:0", "--data_dir=" + data_.path()});
    ASSERT_TRUE(service.ok()) << service.status();
    service_.emplace(*std::move(service));
  }

  CommandResult Cli(const std::vector<std::string>& args, const std::string& actor = "alice") {
    std::vector<std::string> argv = {PREFLIGHT_CLI_BIN, "--server=" + service_->address,
                                     "--actor=" + actor, "--timeout=10s"};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<CommandResult> result = testing::RunCommand(argv, absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }

  std::string CliOk(const std::vector<std::string>& args, const std::string& actor = "alice") {
    CommandResult result = Cli(args, actor);
    EXPECT_EQ(result.exit_code, 0) << "preflight " << ::testing::PrintToString(args) << "\n"
                                   << result.output;
    return result.output;
  }

  std::string CreateLaunch(const std::string& tenant, const std::string& name, int target_days) {
    std::string out =
        CliOk({"launch", "create", "--tenant=" + tenant, "--name=" + name, "--owner=zhang.wei",
               "--target=" + DaysFromToday(target_days), "--subject=enterprise",
               "--hosting=own_mainland_server", "-o", "name"});
    out.erase(std::remove(out.begin(), out.end(), '\n'), out.end());
    return out;
  }

  void Assign(const std::string& launch, const std::string& code, const std::string& who) {
    CliOk({"item", "update", launch, code, "--assignee=" + who, "-o", "name"});
  }

  v1::Launch Show(const std::string& launch) {
    return ParseJson<v1::Launch>(CliOk({"launch", "show", launch, "--json"}));
  }

  TempDir data_;
  std::optional<ServiceProcess> service_;
};

TEST_F(CrossLaunchTest, MyWeekAndPortfolioAnswerFromEveryLaunchOfTheTenant) {
  // Late: its target leaves no room for the template's durations. Comfortable: far ahead.
  const std::string late = CreateLaunch("acme", "Late shop", 15);
  const std::string comfortable = CreateLaunch("acme", "Calm shop", 300);
  const std::string middle = CreateLaunch("acme", "Middle shop", 120);
  const std::string other_tenant = CreateLaunch("globex", "Globex shop", 15);
  for (const std::string& launch : {late, comfortable, middle, other_tenant}) {
    ASSERT_THAT(launch, ::testing::StartsWith("launches/"));
  }
  for (const char* code : {"BIZ", "DOMAIN", "ICP_FILING"}) Assign(late, code, "alice");
  for (const char* code : {"BIZ", "MP_ACCOUNT"}) Assign(comfortable, code, "alice");
  Assign(middle, "DOMAIN", "bob");
  Assign(other_tenant, "BIZ", "alice");

  // ---- my-week: alice is the actor, so "me".
  const v1::ListItemsResponse week =
      ParseJson<v1::ListItemsResponse>(CliOk({"my-week", "--tenant=acme", "-o", "json"}));
  const absl::CivilDay today = Today();
  const absl::CivilDay sunday = today + (6 - static_cast<int>(absl::GetWeekday(today)));
  std::vector<std::string> names;
  for (const v1::Item& item : week.items()) {
    names.push_back(item.name());
    EXPECT_EQ(item.assignee(), "alice") << item.name();
    EXPECT_FALSE(item.schedule().done()) << item.name();
    EXPECT_TRUE(item.schedule().at_risk() ||
                item.schedule().latest_start_date() <= absl::FormatCivilTime(sunday))
        << item.name();
    EXPECT_THAT(item.name(), Not(HasSubstr(other_tenant)));
    EXPECT_EQ(week.launches().count(item.name().substr(0, item.name().find("/items/"))), 1u);
  }
  // Everything of alice's late launch is overdue or at risk; the calm launch's items are not due.
  const v1::Launch late_now = Show(late);
  int expected_late = 0;
  for (const v1::Item& item : late_now.items()) {
    if (item.assignee() != "alice") continue;
    if (item.schedule().at_risk() ||
        item.schedule().latest_start_date() <= absl::FormatCivilTime(sunday)) {
      EXPECT_THAT(names, ::testing::Contains(item.name()));
      ++expected_late;
    }
  }
  EXPECT_GT(expected_late, 0);
  // Sorted by latest start.
  for (int i = 1; i < week.items_size(); ++i) {
    EXPECT_LE(week.items(i - 1).schedule().latest_start_date(),
              week.items(i).schedule().latest_start_date());
  }
  const std::string table = CliOk({"my-week", "--tenant=acme"});
  EXPECT_THAT(table, HasSubstr("WHEN"));
  EXPECT_THAT(table, HasSubstr("Late shop"));
  EXPECT_THAT(table, HasSubstr("AT RISK"));
  EXPECT_THAT(table, Not(HasSubstr("Globex")));
  // Someone else's week, by name.
  const v1::ListItemsResponse bobs = ParseJson<v1::ListItemsResponse>(
      CliOk({"my-week", "--tenant=acme", "--assignee=bob", "-o", "json"}));
  for (const v1::Item& item : bobs.items()) EXPECT_EQ(item.assignee(), "bob");

  // ---- portfolio: every acme launch, the late one first, figures as launch show has them.
  const v1::ListLaunchesResponse portfolio =
      ParseJson<v1::ListLaunchesResponse>(CliOk({"portfolio", "--tenant=acme", "-o", "json"}));
  ASSERT_EQ(portfolio.launches_size(), 3);
  EXPECT_EQ(portfolio.launches(0).name(), late);
  EXPECT_TRUE(portfolio.launches(0).schedule().at_risk());
  EXPECT_EQ(portfolio.launches(2).name(), comfortable);
  for (int i = 1; i < portfolio.launches_size(); ++i) {
    const v1::LaunchSchedule& a = portfolio.launches(i - 1).schedule();
    const v1::LaunchSchedule& b = portfolio.launches(i).schedule();
    EXPECT_TRUE(a.at_risk() > b.at_risk() ||
                (a.at_risk() == b.at_risk() && a.slack_working_days() <= b.slack_working_days()));
  }
  for (const v1::Launch& launch : portfolio.launches()) {
    const v1::Launch full = Show(launch.name());
    int at_risk = 0;
    std::string next;
    for (const v1::Item& item : full.items()) {
      if (item.schedule().done()) continue;
      if (item.schedule().at_risk()) ++at_risk;
      if (!item.schedule().latest_start_date().empty() &&
          (next.empty() || item.schedule().latest_start_date() < next)) {
        next = item.schedule().latest_start_date();
      }
    }
    EXPECT_EQ(launch.schedule().at_risk_items(), at_risk) << launch.name();
    EXPECT_EQ(launch.schedule().next_deadline_date(), next) << launch.name();
    EXPECT_EQ(launch.items_size(), 0);
  }
  EXPECT_GT(portfolio.launches(0).schedule().at_risk_items(), 0);
  const std::string portfolio_table = CliOk({"portfolio", "--tenant=acme"});
  EXPECT_THAT(portfolio_table, HasSubstr("AT-RISK ITEMS"));
  EXPECT_THAT(portfolio_table, HasSubstr("NEXT DEADLINE"));
  EXPECT_LT(portfolio_table.find("Late shop"), portfolio_table.find("Calm shop"));

  // ---- item list: the filters straight, across pages.
  const v1::ListItemsResponse at_risk = ParseJson<v1::ListItemsResponse>(CliOk(
      {"item", "list", "--tenant=acme", "--at_risk", "--all", "--page_size=3", "-o", "json"}));
  EXPECT_GT(at_risk.items_size(), 3);
  for (const v1::Item& item : at_risk.items()) {
    EXPECT_TRUE(item.schedule().at_risk()) << item.name();
    EXPECT_THAT(item.name(), Not(HasSubstr(other_tenant)));
  }
  const v1::ListItemsResponse started = ParseJson<v1::ListItemsResponse>(
      CliOk({"item", "list", "--tenant=acme", "--status=not_started", "--status=in_progress",
             "--start_before=" + DaysFromToday(30), "--all", "-o", "json"}));
  for (const v1::Item& item : started.items()) {
    EXPECT_LE(item.schedule().latest_start_date(), DaysFromToday(30));
  }
  // Bad filters are the server's INVALID_ARGUMENT, naming the field.
  const CommandResult bad = Cli({"item", "list", "--tenant=acme", "--due_before=soon"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.output, HasSubstr("due_before"));
}

}  // namespace
}  // namespace preflight
