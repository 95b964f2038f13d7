#include "cli/timeline.h"

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "cli/render.h"
#include "common/civil_date.h"
#include "common/text_proto.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "preflight/v1/calendar.pb.h"

namespace preflight::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

absl::CivilDay D(int year, int month, int day) { return absl::CivilDay(year, month, day); }

v1::Item* AddItem(v1::Launch& launch, const std::string& code, const std::string& start,
                  const std::string& finish, const std::string& group = "filing") {
  v1::Item* item = launch.add_items();
  item->set_code(code);
  item->set_title_en(code + " title");
  item->set_title_zh("事项" + code);
  item->set_group(group);
  item->set_status(v1::ITEM_STATUS_NOT_STARTED);
  item->mutable_schedule()->set_projected_start_date(start);
  item->mutable_schedule()->set_projected_finish_date(finish);
  return item;
}

// A launch planned over 2026's Spring Festival: today 2026-02-02, target 2026-03-13.
v1::Launch SpringLaunch() {
  v1::Launch launch;
  launch.set_name("launches/spring");
  launch.set_display_name("Spring shop 春季商城");
  launch.set_target_launch_date("2026-03-13");
  v1::LaunchSchedule* schedule = launch.mutable_schedule();
  schedule->set_as_of_date("2026-02-02");
  schedule->set_projected_launch_date("2026-03-10");
  schedule->set_slack_working_days(3);
  schedule->add_critical_path("MP_ACCOUNT");
  schedule->add_critical_path("ICP_FILING");
  v1::Item* account = AddItem(launch, "MP_ACCOUNT", "2026-02-02", "2026-02-06", "account");
  account->mutable_schedule()->set_critical(true);
  account->mutable_schedule()->set_latest_start_date("2026-02-04");
  v1::Item* icp = AddItem(launch, "ICP_FILING", "2026-02-09", "2026-03-10");
  icp->add_depends_on("MP_ACCOUNT");
  icp->mutable_schedule()->set_critical(true);
  icp->mutable_schedule()->set_latest_start_date("2026-02-12");
  v1::Item* done = AddItem(launch, "BUSINESS_LICENCE", "2026-02-02", "2026-02-02", "identity");
  done->set_status(v1::ITEM_STATUS_APPROVED);
  done->mutable_schedule()->set_done(true);
  v1::Item* late = AddItem(launch, "PAYMENT_MERCHANT", "2026-02-25", "2026-03-06", "payments");
  late->mutable_schedule()->set_at_risk(true);
  late->mutable_schedule()->set_slack_working_days(-2);
  late->mutable_schedule()->set_latest_start_date("2026-02-24");
  late->set_status(v1::ITEM_STATUS_IN_PROGRESS);
  v1::Item* skipped = AddItem(launch, "MINI_GAME_LICENCE", "", "");
  skipped->set_status(v1::ITEM_STATUS_NOT_APPLICABLE);
  return launch;
}

// GetWorkingCalendar's answer for [first, last], computed from the real data file: its
// holidays, weekends that are not make-up working days, and no unconfirmed years (2026 is known).
v1::WorkingCalendar RealCalendar(absl::CivilDay first, absl::CivilDay last) {
  v1::CalendarFile file;
  EXPECT_TRUE(ParseTextProtoFile(PREFLIGHT_SOURCE_DIR "/data/calendar/cn_mainland.textproto", &file,
                                 nullptr)
                  .ok());
  std::map<absl::CivilDay, const v1::Holiday*> holidays;
  std::set<absl::CivilDay> makeup;
  for (const v1::CalendarYear& year : file.years()) {
    for (const v1::Holiday& holiday : year.holidays()) {
      for (absl::CivilDay d = *ParseCivilDay(holiday.first_day());
           d <= *ParseCivilDay(holiday.last_day()); ++d) {
        holidays[d] = &holiday;
      }
      for (const std::string& m : holiday.makeup_workdays()) makeup.insert(*ParseCivilDay(m));
    }
  }
  v1::WorkingCalendar calendar;
  calendar.set_start_date(FormatCivilDay(first));
  calendar.set_end_date(FormatCivilDay(last));
  for (absl::CivilDay d = first; d <= last; ++d) {
    const auto it = holidays.find(d);
    if (it == holidays.end() && (!IsWeekend(d) || makeup.count(d) > 0)) continue;
    v1::NonWorkingDay* off = calendar.add_non_working_days();
    off->set_date(FormatCivilDay(d));
    if (it != holidays.end()) {
      off->set_holiday_name_zh(it->second->name_zh());
      off->set_holiday_name_en(it->second->name_en());
    }
  }
  return calendar;
}

Timeline SpringTimeline() {
  const v1::Launch launch = SpringLaunch();
  absl::StatusOr<DaySpan> span = TimelineSpan(launch);
  EXPECT_TRUE(span.ok()) << span.status();
  absl::StatusOr<Timeline> timeline = BuildTimeline(launch, RealCalendar(span->first, span->last));
  EXPECT_TRUE(timeline.ok()) << timeline.status();
  return *timeline;
}

// The chart lines of the text rendering, keyed by item code, with the label cut off: what is
// left starts at the chart's first column.
std::map<std::string, std::string> ChartCells(const std::string& text, int label_width) {
  std::map<std::string, std::string> rows;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.size() < 3) continue;
    const absl::string_view label = line.substr(2);
    const size_t space = label.find(' ');
    const std::string code(label.substr(0, space));
    if (code.empty() || !absl::StrContains(code, "_")) continue;
    rows[code] = std::string(line.substr(label_width + 1));
  }
  return rows;
}

TEST(TimelineModelTest, KeepsApplicableItemsOrderedByProjectedStart) {
  const Timeline timeline = SpringTimeline();
  ASSERT_THAT(timeline.rows, SizeIs(4));  // the item that does not apply is left out
  EXPECT_EQ(timeline.rows[0].code, "BUSINESS_LICENCE");
  EXPECT_EQ(timeline.rows[1].code, "MP_ACCOUNT");
  EXPECT_EQ(timeline.rows[2].code, "ICP_FILING");
  EXPECT_EQ(timeline.rows[3].code, "PAYMENT_MERCHANT");
  EXPECT_EQ(timeline.first, D(2026, 2, 2));
  EXPECT_EQ(timeline.last, D(2026, 3, 13));
  // Spring Festival 2026 is Feb 15-23; Saturday Feb 14 and 28 are make-up working days.
  EXPECT_EQ(timeline.days_off.at(D(2026, 2, 17)), "春节 Spring Festival");
  EXPECT_EQ(timeline.days_off.count(D(2026, 2, 14)), 0);
  EXPECT_EQ(timeline.days_off.count(D(2026, 2, 28)), 0);
  EXPECT_EQ(timeline.days_off.at(D(2026, 3, 1)), "");  // an ordinary Sunday
}

// 40 days fit one per column at 120 columns: each day is its own column.
TEST(TimelineTextTest, BarsAndMarkersSitAtTheColumnsOfTheirDates) {
  const Timeline timeline = SpringTimeline();
  const std::string text = RenderTimelineText(timeline, {120, false});
  const TextScale scale = FitScale(timeline, 1000);
  ASSERT_EQ(scale.days_per_column, 1);
  // The label: "* " + the widest code (16) + " " + the widest title (22).
  const int label_width = 2 + 16 + 1 + 22;
  const std::map<std::string, std::string> cells = ChartCells(text, label_width);
  ASSERT_EQ(cells.size(), 4u) << text;
  const auto column = [&](absl::CivilDay day) { return static_cast<size_t>(day - timeline.first); };

  // ICP_FILING: critical, Feb 9 to Mar 10, latest start Feb 12 marked inside the bar.
  const std::string& icp = cells.at("ICP_FILING");
  EXPECT_EQ(icp.find('#'), column(D(2026, 2, 9))) << icp;
  EXPECT_EQ(icp.rfind('#'), column(D(2026, 3, 10))) << icp;
  EXPECT_EQ(icp[column(D(2026, 2, 12))], '>') << icp;
  EXPECT_EQ(icp[column(D(2026, 2, 8))], '.') << icp;  // a Sunday before the bar: shaded
  // The target (Mar 13) after the bar; today is Feb 2, the bar of an earlier item hides nothing.
  EXPECT_EQ(icp[column(D(2026, 3, 13))], '|') << icp;
  EXPECT_EQ(icp[column(D(2026, 2, 2))], ':') << icp;

  // PAYMENT_MERCHANT: at risk, latest start Feb 24 just before its bar.
  const std::string& pay = cells.at("PAYMENT_MERCHANT");
  EXPECT_EQ(pay.find('!'), column(D(2026, 2, 25))) << pay;
  EXPECT_EQ(pay.rfind('!'), column(D(2026, 3, 6))) << pay;
  EXPECT_EQ(pay[column(D(2026, 2, 24))], '>') << pay;
  EXPECT_THAT(pay, HasSubstr("late 2d"));

  // The done item: '=' on its one day, no latest-start mark.
  const std::string& done = cells.at("BUSINESS_LICENCE");
  EXPECT_EQ(done[0], '=');
  EXPECT_THAT(done, HasSubstr(" done"));
  EXPECT_THAT(text, HasSubstr("* MP_ACCOUNT"));
  EXPECT_THAT(text, HasSubstr("  BUSINESS_LICENCE"));
}

TEST(TimelineTextTest, ShadesTheSpringFestivalAndNotTheMakeupWorkdays) {
  const Timeline timeline = SpringTimeline();
  const std::string text = RenderTimelineText(timeline, {120, false});
  const std::map<std::string, std::string> cells = ChartCells(text, 2 + 16 + 1 + 22);
  const std::string& row = cells.at("MP_ACCOUNT");
  const auto at = [&](absl::CivilDay day) { return row[day - timeline.first]; };
  for (absl::CivilDay day = D(2026, 2, 15); day <= D(2026, 2, 23); ++day) {
    EXPECT_EQ(at(day), '.') << FormatCivilDay(day) << "\n" << row;
  }
  EXPECT_EQ(at(D(2026, 2, 14)), ' ');  // Saturday, worked
  EXPECT_EQ(at(D(2026, 2, 24)), ' ');  // Tuesday after the holiday
  EXPECT_EQ(at(D(2026, 2, 28)), ' ');  // Saturday, worked
  EXPECT_EQ(at(D(2026, 3, 1)), '.');   // Sunday
  EXPECT_THAT(text, HasSubstr("春节 Spring Festival 2026-02-15..2026-02-23"));
}

TEST(TimelineTextTest, ScalesDaysPerColumnToFitTheWidth) {
  const Timeline timeline = SpringTimeline();
  const std::string text = RenderTimelineText(timeline, {60, false});
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    EXPECT_LE(DisplayWidth(line), 60) << line;
  }
  EXPECT_THAT(text, HasSubstr("days per column"));
  const TextScale scale = FitScale(timeline, 20);
  EXPECT_EQ(scale.days_per_column, 2);
  EXPECT_EQ(scale.ColumnOf(D(2026, 2, 9)), 3);
  EXPECT_EQ(scale.columns, 20);
}

TEST(TimelineTextTest, ColourOnlyWhenAsked) {
  const Timeline timeline = SpringTimeline();
  const std::string plain = RenderTimelineText(timeline, {120, false});
  EXPECT_THAT(plain, Not(HasSubstr("\x1b")));
  EXPECT_THAT(plain, HasSubstr("Legend:"));
  const std::string colored = RenderTimelineText(timeline, {120, true});
  EXPECT_THAT(colored, HasSubstr("\x1b[31m\u2588"));  // a critical bar
  EXPECT_THAT(colored, HasSubstr("\x1b[33m\u2588"));  // an at-risk bar
  EXPECT_THAT(colored, HasSubstr("\x1b[32m\u2588"));  // a done bar
}

// x of every bar's left edge is its projected start's; its width spans through its finish.
TEST(TimelineSvgTest, BarsMatchTheProjectedDatesOnTheScale) {
  const Timeline timeline = SpringTimeline();
  const std::string svg = RenderTimelineSvg(timeline);
  const SvgScale scale = SvgScaleOf(timeline);
  const std::regex bar(
      "<rect class=\"bar[^\"]*\" data-code=\"([A-Z_]+)\" data-start=\"[0-9-]+\" "
      "data-finish=\"[0-9-]+\" x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"([0-9.]+)\"");
  std::map<std::string, std::pair<double, double>> bars;
  for (std::sregex_iterator it(svg.begin(), svg.end(), bar), end; it != end; ++it) {
    double x = 0;
    double w = 0;
    ASSERT_TRUE(absl::SimpleAtod((*it)[2].str(), &x));
    ASSERT_TRUE(absl::SimpleAtod((*it)[3].str(), &w));
    bars[(*it)[1].str()] = {x, w};
  }
  ASSERT_EQ(bars.size(), timeline.rows.size()) << svg;
  for (const TimelineRow& row : timeline.rows) {
    EXPECT_NEAR(bars[row.code].first, scale.X(*row.start), 0.06) << row.code;
    EXPECT_NEAR(bars[row.code].second, scale.X(*row.finish + 1) - scale.X(*row.start), 0.11)
        << row.code;
  }
  EXPECT_THAT(svg, HasSubstr("data-from=\"MP_ACCOUNT\" data-to=\"ICP_FILING\""));
  EXPECT_THAT(svg, HasSubstr("class=\"latest-start\" data-code=\"ICP_FILING\""));
  EXPECT_THAT(svg, HasSubstr("class=\"today\" data-date=\"2026-02-02\""));
  EXPECT_THAT(svg, HasSubstr("class=\"target\" data-date=\"2026-03-13\""));
  EXPECT_THAT(svg, HasSubstr("class=\"holiday\" data-date=\"2026-02-17\""));
  EXPECT_THAT(svg, Not(HasSubstr("data-date=\"2026-02-14\"")));  // a make-up working day
  EXPECT_THAT(svg, HasSubstr("Spring shop 春季商城"));
  EXPECT_THAT(svg, HasSubstr("事项ICP_FILING"));
  EXPECT_THAT(svg, HasSubstr("WenQuanYi Micro Hei"));
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("href")));
}

TEST(TimelineSvgTest, EscapesText) {
  v1::Launch launch = SpringLaunch();
  launch.set_display_name("<b>&\"shop\"");
  const std::string svg = RenderTimelineSvg(*BuildTimeline(launch, v1::WorkingCalendar()));
  EXPECT_THAT(svg, HasSubstr("&lt;b&gt;&amp;&quot;shop&quot;"));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
}

TEST(TimelineHtmlTest, WrapsTheSvgInAPageWithATable) {
  const std::string html = RenderTimelineHtml(SpringTimeline());
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<svg xmlns="));
  EXPECT_THAT(html, Not(HasSubstr("<?xml")));
  EXPECT_THAT(html, HasSubstr("<td>ICP_FILING</td><td>事项ICP_FILING</td>"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
}

TEST(TimelineMermaidTest, OneTaskPerApplicableItemWithItsDates) {
  v1::Launch launch = SpringLaunch();
  launch.mutable_items(1)->set_title_en("ICP: filing #1; now");
  const std::string mermaid = RenderTimelineMermaid(*BuildTimeline(launch, v1::WorkingCalendar()),
                                                    /*fenced=*/false);
  EXPECT_TRUE(absl::StartsWith(mermaid, "gantt\n"));
  EXPECT_THAT(mermaid, HasSubstr("    dateFormat YYYY-MM-DD\n"));
  std::vector<std::string> tasks;
  for (absl::string_view line : absl::StrSplit(mermaid, '\n')) {
    if (absl::StrContains(line, " :") && !absl::StrContains(line, "milestone")) {
      tasks.emplace_back(line);
    }
  }
  EXPECT_THAT(tasks,
              ::testing::UnorderedElementsAre(
                  "    BUSINESS_LICENCE title 事项BUSINESS_LICENCE :done, BUSINESS_LICENCE, "
                  "2026-02-02, 1d",
                  "    MP_ACCOUNT title 事项MP_ACCOUNT :crit, MP_ACCOUNT, 2026-02-02, 5d",
                  // ':' '#' ';' of the title are gone: they would end the name early.
                  "    ICP  filing  1  now 事项ICP_FILING :crit, ICP_FILING, 2026-02-09, 30d",
                  "    PAYMENT_MERCHANT title 事项PAYMENT_MERCHANT :active, PAYMENT_MERCHANT, "
                  "2026-02-25, 10d"));
  EXPECT_THAT(mermaid, HasSubstr("    section filing\n"));
  EXPECT_THAT(mermaid, HasSubstr("    section payments\n"));
  EXPECT_THAT(mermaid, HasSubstr(":milestone, target, 2026-03-13, 0d"));
  EXPECT_THAT(mermaid, Not(HasSubstr("MINI_GAME_LICENCE")));
  const std::string fenced =
      RenderTimelineMermaid(*BuildTimeline(launch, v1::WorkingCalendar()), /*fenced=*/true);
  EXPECT_TRUE(absl::StartsWith(fenced, "```mermaid\ngantt\n"));
  EXPECT_TRUE(absl::EndsWith(fenced, "\n```\n"));
}

TEST(TimelineModelTest, ALaunchWithoutDatesCannotBeDrawn) {
  v1::Launch launch;
  launch.set_name("launches/empty");
  EXPECT_EQ(TimelineSpan(launch).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace preflight::cli
