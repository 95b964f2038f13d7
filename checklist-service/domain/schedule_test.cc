#include "checklist-service/domain/schedule.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

// 2026 facts used below (data/calendar/cn_mainland.textproto):
//   Sep 20 (Sun) make-up working day; Sep 25 (Fri) - Sep 27 Mid-Autumn off;
//   Oct 1 (Thu) - Oct 7 National Day off; Oct 10 (Sat) make-up working day;
//   May 1 (Fri) - May 5 Labour Day off; May 9 (Sat) make-up; Jun 19 (Fri) - Jun 21 Dragon Boat.
// 2027 is not announced: plain Monday-Friday, unconfirmed.

absl::CivilDay D(int year, int month, int day) { return absl::CivilDay(year, month, day); }

Item MakeItem(const std::string& code, int working_days, std::vector<Dependency> depends_on = {},
              ItemStatus status = ItemStatus::kNotStarted) {
  Item item;
  item.launch_id = "l-1";
  item.code = code;
  item.status = status;
  item.depends_on = std::move(depends_on);
  item.duration = DurationSpec{v1::DAY_UNIT_WORKING_DAYS, working_days, working_days, working_days};
  return item;
}

Launch MakeLaunch(absl::CivilDay target) {
  Launch launch;
  launch.id = "l-1";
  launch.target_launch_date = target;
  return launch;
}

class ScheduleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<WorkingCalendar> calendar =
        WorkingCalendar::LoadFromFile(PREFLIGHT_SOURCE_DIR "/data/calendar/cn_mainland.textproto");
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = new WorkingCalendar(*std::move(calendar));
  }
  static void TearDownTestSuite() {
    delete calendar_;
    calendar_ = nullptr;
  }

  static ScheduleResult Compute(const Launch& launch, const std::vector<Item>& items,
                                absl::CivilDay today) {
    return ComputeSchedule(launch, items, today, *calendar_);
  }

  static WorkingCalendar* calendar_;
};

WorkingCalendar* ScheduleTest::calendar_ = nullptr;

TEST_F(ScheduleTest, ChainBackwardPassCrossesNationalDay) {
  // A (6 WD) -> B (3 WD) -> C (2 WD), target Mon Oct 12, 2026, today Tue Sep 1.
  const Launch launch = MakeLaunch(D(2026, 10, 12));
  const std::vector<Item> items = {MakeItem("A", 6), MakeItem("B", 3, {{"A", 0}}),
                                   MakeItem("C", 2, {{"B", 0}})};
  const ScheduleResult result = Compute(launch, items, D(2026, 9, 1));

  // Backward. C: latest finish Mon Oct 12; two working days back: Sat Oct 10 (make-up), Fri Oct 9.
  const ItemSchedule& c = result.items.at("C");
  EXPECT_THAT(c.latest_finish, Optional(D(2026, 10, 12)));
  EXPECT_THAT(c.latest_start, Optional(D(2026, 10, 9)));
  // B: must finish by C's latest start, Oct 9; three back: Oct 8, then over Oct 1-7 to Sep 30,
  // Sep 29.
  const ItemSchedule& b = result.items.at("B");
  EXPECT_THAT(b.latest_finish, Optional(D(2026, 10, 9)));
  EXPECT_THAT(b.latest_start, Optional(D(2026, 9, 29)));
  // A: by Sep 29; six back: Sep 28, (Mid-Autumn Sep 25-27), Sep 24, 23, 22, 21, Sun Sep 20.
  const ItemSchedule& a = result.items.at("A");
  EXPECT_THAT(a.latest_finish, Optional(D(2026, 9, 29)));
  EXPECT_THAT(a.latest_start, Optional(D(2026, 9, 20)));

  // Forward from t = Sep 1. A: Sep 2, 3, 4, 7, 8, 9 -> Sep 9. B: Sep 10, 11, 14 -> Sep 14.
  // C: Sep 15, 16 -> Sep 16.
  EXPECT_THAT(a.projected_start, Optional(D(2026, 9, 1)));
  EXPECT_THAT(a.projected_finish, Optional(D(2026, 9, 9)));
  EXPECT_THAT(b.projected_start, Optional(D(2026, 9, 9)));
  EXPECT_THAT(b.projected_finish, Optional(D(2026, 9, 14)));
  EXPECT_THAT(c.projected_start, Optional(D(2026, 9, 14)));
  EXPECT_THAT(c.projected_finish, Optional(D(2026, 9, 16)));

  // Slack of C: working days in (Sep 16, Oct 12]: Sep 17, 18, 20, 21-24, 28-30, Oct 8, 9, 10, 12
  // = 14. The chain is tight, so A and B have the same 14.
  EXPECT_EQ(c.slack_working_days, 14);
  EXPECT_EQ(b.slack_working_days, 14);
  EXPECT_EQ(a.slack_working_days, 14);
  EXPECT_FALSE(c.at_risk);
  EXPECT_FALSE(c.done);
  EXPECT_FALSE(c.unconfirmed_calendar);

  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 9, 16)));
  EXPECT_EQ(result.launch.slack_working_days, 14);
  EXPECT_FALSE(result.launch.at_risk);
  EXPECT_EQ(result.launch.as_of, D(2026, 9, 1));
  EXPECT_FALSE(result.launch.unconfirmed_calendar);
  EXPECT_THAT(result.launch.critical_path, ElementsAre("A", "B", "C"));
  EXPECT_TRUE(a.critical && b.critical && c.critical);
}

TEST_F(ScheduleTest, LateChainIsAtRiskAcrossNationalDay) {
  // Same chain, today Thu Sep 24. A: Sep 28, 29, 30, Oct 8, 9, Sat Oct 10 -> Oct 10.
  // B: Oct 12, 13, 14 -> Oct 14. C: Oct 15, 16 -> Oct 16.
  const Launch launch = MakeLaunch(D(2026, 10, 12));
  const std::vector<Item> items = {MakeItem("A", 6), MakeItem("B", 3, {{"A", 0}}),
                                   MakeItem("C", 2, {{"B", 0}})};
  const ScheduleResult result = Compute(launch, items, D(2026, 9, 24));
  EXPECT_THAT(result.items.at("A").projected_finish, Optional(D(2026, 10, 10)));
  EXPECT_THAT(result.items.at("B").projected_finish, Optional(D(2026, 10, 14)));
  EXPECT_THAT(result.items.at("C").projected_finish, Optional(D(2026, 10, 16)));
  // C: finish Oct 16 vs latest Oct 12: -(Oct 13, 14, 15, 16) = -4. A: Oct 10 vs Sep 29:
  // -(Sep 30, Oct 8, 9, 10) = -4.
  EXPECT_EQ(result.items.at("C").slack_working_days, -4);
  EXPECT_EQ(result.items.at("A").slack_working_days, -4);
  EXPECT_TRUE(result.items.at("A").at_risk);
  EXPECT_TRUE(result.items.at("C").at_risk);
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 10, 16)));
  EXPECT_EQ(result.launch.slack_working_days, -4);
  EXPECT_TRUE(result.launch.at_risk);
}

TEST_F(ScheduleTest, LagDelaysSuccessorAndItsPredecessorsLatestDates) {
  // P (2 WD) -(lag 3)-> Q (1 WD), today Tue Apr 28, 2026, target Mon May 11.
  const Launch launch = MakeLaunch(D(2026, 5, 11));
  const std::vector<Item> items = {MakeItem("P", 2), MakeItem("Q", 1, {{"P", 3}})};
  const ScheduleResult result = Compute(launch, items, D(2026, 4, 28));
  const ItemSchedule& p = result.items.at("P");
  const ItemSchedule& q = result.items.at("Q");
  // P: Apr 29, 30 -> Apr 30. Q may start 3 working days later: May 6, 7, 8 (May 1-5 off) ->
  // May 8; it finishes one working day later on the make-up Saturday May 9.
  EXPECT_THAT(p.projected_finish, Optional(D(2026, 4, 30)));
  EXPECT_THAT(q.projected_start, Optional(D(2026, 5, 8)));
  EXPECT_THAT(q.projected_finish, Optional(D(2026, 5, 9)));
  // Backward: Q latest finish May 11, latest start Sat May 9. P must finish 3 working days
  // before: May 8, 7, 6 -> May 6; latest start Apr 30, Apr 29 -> Apr 29.
  EXPECT_THAT(q.latest_start, Optional(D(2026, 5, 9)));
  EXPECT_THAT(p.latest_finish, Optional(D(2026, 5, 6)));
  EXPECT_THAT(p.latest_start, Optional(D(2026, 4, 29)));
  // Slack P: (Apr 30, May 6] = May 6 -> 1. Q: (May 9, May 11] = May 11 -> 1.
  EXPECT_EQ(p.slack_working_days, 1);
  EXPECT_EQ(q.slack_working_days, 1);
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 5, 9)));
  EXPECT_EQ(result.launch.slack_working_days, 1);
  // Q's start equals P's finish + lag, so P bound it.
  EXPECT_THAT(result.launch.critical_path, ElementsAre("P", "Q"));
}

TEST_F(ScheduleTest, CalendarDayItemRollsOffHolidays) {
  // R takes 7 calendar days, today Wed Sep 30, 2026, target Mon Oct 12.
  Item r = MakeItem("R", 0);
  r.duration = DurationSpec{v1::DAY_UNIT_CALENDAR_DAYS, 7, 7, 7};
  // Z takes no time at all: it finishes the day it starts.
  const std::vector<Item> items = {r, MakeItem("Z", 0)};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 10, 12)), items, D(2026, 9, 30));
  const ItemSchedule& rs = result.items.at("R");
  // Sep 30 + 7 days = Oct 7, a holiday: rolls forward to Thu Oct 8.
  EXPECT_THAT(rs.projected_start, Optional(D(2026, 9, 30)));
  EXPECT_THAT(rs.projected_finish, Optional(D(2026, 10, 8)));
  // Latest: finish Oct 12; Oct 12 - 7 days = Oct 5, a holiday: rolls back to Wed Sep 30.
  EXPECT_THAT(rs.latest_finish, Optional(D(2026, 10, 12)));
  EXPECT_THAT(rs.latest_start, Optional(D(2026, 9, 30)));
  // (Oct 8, Oct 12] = Oct 9, 10, 12.
  EXPECT_EQ(rs.slack_working_days, 3);
  EXPECT_THAT(result.items.at("Z").projected_start, Optional(D(2026, 9, 30)));
  EXPECT_THAT(result.items.at("Z").projected_finish, Optional(D(2026, 9, 30)));
  EXPECT_THAT(result.items.at("Z").latest_start, Optional(D(2026, 10, 12)));
}

TEST_F(ScheduleTest, FanInCriticalPathFollowsTheLatestPredecessor) {
  // X (3), Y (5), W (2) all feed J (1); today Mon Jun 1, 2026; target Mon Jun 22.
  const std::vector<Item> items = {MakeItem("J", 1, {{"X", 0}, {"Y", 0}, {"W", 0}}),
                                   MakeItem("W", 2), MakeItem("X", 3), MakeItem("Y", 5)};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 6, 22)), items, D(2026, 6, 1));
  // X: Jun 4; Y: Jun 2, 3, 4, 5, 8 -> Jun 8; W: Jun 3. J starts at the latest, Jun 8, ends Jun 9.
  EXPECT_THAT(result.items.at("X").projected_finish, Optional(D(2026, 6, 4)));
  EXPECT_THAT(result.items.at("Y").projected_finish, Optional(D(2026, 6, 8)));
  EXPECT_THAT(result.items.at("W").projected_finish, Optional(D(2026, 6, 3)));
  EXPECT_THAT(result.items.at("J").projected_start, Optional(D(2026, 6, 8)));
  EXPECT_THAT(result.items.at("J").projected_finish, Optional(D(2026, 6, 9)));
  // Backward: J by Mon Jun 22, latest start Thu Jun 18 (Jun 19-21 Dragon Boat). All three
  // predecessors must finish by Jun 18.
  EXPECT_THAT(result.items.at("J").latest_start, Optional(D(2026, 6, 18)));
  EXPECT_THAT(result.items.at("X").latest_finish, Optional(D(2026, 6, 18)));
  EXPECT_THAT(result.items.at("Y").latest_start, Optional(D(2026, 6, 11)));
  // Slack: J (Jun 9, Jun 22] = 10, 11, 12, 15-18, 22 = 8; Y (Jun 8, Jun 18] = 8;
  // X (Jun 4, Jun 18] = 5, 8-12, 15-18 = 10; W (Jun 3, Jun 18] = 11.
  EXPECT_EQ(result.items.at("J").slack_working_days, 8);
  EXPECT_EQ(result.items.at("Y").slack_working_days, 8);
  EXPECT_EQ(result.items.at("X").slack_working_days, 10);
  EXPECT_EQ(result.items.at("W").slack_working_days, 11);
  EXPECT_THAT(result.launch.critical_path, ElementsAre("Y", "J"));
  EXPECT_TRUE(result.items.at("Y").critical);
  EXPECT_FALSE(result.items.at("X").critical);
  EXPECT_FALSE(result.items.at("W").critical);
}

TEST_F(ScheduleTest, CriticalPathTiesGoToTheSmallerCode) {
  // Two predecessors both finish Mon Jun 8 (5 WD from Jun 1): the path takes "X" over "Y".
  const std::vector<Item> items = {MakeItem("J", 1, {{"Y", 0}, {"X", 0}}), MakeItem("Y", 5),
                                   MakeItem("X", 5)};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 6, 22)), items, D(2026, 6, 1));
  EXPECT_THAT(result.launch.critical_path, ElementsAre("X", "J"));
}

TEST_F(ScheduleTest, CriticalPathEndsAtTheLeastSlackAmongEqualFinishes) {
  // K1 and K2 both finish Jun 3 (2 WD from Jun 1); K2 is due Fri Jun 5 (slack 2: Jun 4, 5),
  // K1 only by the target Jun 22 (slack 12). K2 ends the path although K1 sorts first.
  Item k2 = MakeItem("K2", 2);
  k2.due_date = D(2026, 6, 5);
  const std::vector<Item> items = {MakeItem("K1", 2), k2};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 6, 22)), items, D(2026, 6, 1));
  EXPECT_EQ(result.items.at("K2").slack_working_days, 2);
  EXPECT_EQ(result.items.at("K1").slack_working_days, 12);
  EXPECT_THAT(result.launch.critical_path, ElementsAre("K2"));
}

TEST_F(ScheduleTest, CriticalPathStopsWhereAStartWasNotBound) {
  // J has been in progress since Wed May 20 (15 WD: May 21-22, 25-29, Jun 1-5, 8-10 -> Jun 10);
  // its unfinished predecessor Y (2 WD from Jun 1 -> Jun 3) did not bind that start.
  Item j = MakeItem("J", 15, {{"Y", 0}}, ItemStatus::kInProgress);
  j.started_date = D(2026, 5, 20);
  const std::vector<Item> items = {j, MakeItem("Y", 2)};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 6, 22)), items, D(2026, 6, 1));
  EXPECT_THAT(result.items.at("J").projected_finish, Optional(D(2026, 6, 10)));
  EXPECT_THAT(result.launch.critical_path, ElementsAre("J"));
  EXPECT_FALSE(result.items.at("Y").critical);
}

TEST_F(ScheduleTest, ProjectsEachStatus) {
  // Today Wed Sep 23, 2026; every item takes 5 WD; target far away (Tue Dec 1).
  Item approved = MakeItem("APPROVED", 5, {}, ItemStatus::kApproved);
  approved.started_date = D(2026, 9, 1);
  approved.approved_date = D(2026, 9, 10);
  Item approved_undated = MakeItem("APPROVED_UNDATED", 5, {}, ItemStatus::kApproved);
  Item in_progress_old = MakeItem("IN_PROGRESS_OLD", 5, {}, ItemStatus::kInProgress);
  in_progress_old.started_date = D(2026, 9, 14);
  Item in_progress = MakeItem("IN_PROGRESS", 5, {}, ItemStatus::kInProgress);
  in_progress.started_date = D(2026, 9, 22);
  Item in_progress_undated = MakeItem("IN_PROGRESS_UNDATED", 5, {}, ItemStatus::kInProgress);
  Item submitted = MakeItem("SUBMITTED", 5, {}, ItemStatus::kSubmitted);
  submitted.started_date = D(2026, 9, 10);
  submitted.submitted_date = D(2026, 9, 18);
  Item submitted_only = MakeItem("SUBMITTED_ONLY", 5, {}, ItemStatus::kSubmitted);
  submitted_only.submitted_date = D(2026, 9, 21);
  Item rejected = MakeItem("REJECTED", 5, {}, ItemStatus::kRejected);
  rejected.started_date = D(2026, 9, 1);
  rejected.submitted_date = D(2026, 9, 8);
  Item returned = MakeItem("RETURNED", 5, {}, ItemStatus::kReturned);
  returned.started_date = D(2026, 9, 1);
  returned.submitted_date = D(2026, 9, 8);
  const std::vector<Item> items = {approved,
                                   approved_undated,
                                   MakeItem("NOT_STARTED", 5),
                                   in_progress_old,
                                   in_progress,
                                   in_progress_undated,
                                   submitted,
                                   submitted_only,
                                   rejected,
                                   returned,
                                   MakeItem("WAIVED", 5, {}, ItemStatus::kWaived)};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 23));
  auto start = [&](const std::string& code) { return result.items.at(code).projected_start; };
  auto finish = [&](const std::string& code) { return result.items.at(code).projected_finish; };

  // Approved: its own dates; undated: today.
  EXPECT_THAT(start("APPROVED"), Optional(D(2026, 9, 1)));
  EXPECT_THAT(finish("APPROVED"), Optional(D(2026, 9, 10)));
  EXPECT_THAT(start("APPROVED_UNDATED"), Optional(D(2026, 9, 23)));
  EXPECT_THAT(finish("APPROVED_UNDATED"), Optional(D(2026, 9, 23)));
  EXPECT_TRUE(result.items.at("APPROVED").done);
  EXPECT_EQ(result.items.at("APPROVED").slack_working_days, 0);
  EXPECT_FALSE(result.items.at("APPROVED").at_risk);
  // Not started: from today, Sep 24, 28, 29, 30, Oct 8 -> Oct 8.
  EXPECT_THAT(start("NOT_STARTED"), Optional(D(2026, 9, 23)));
  EXPECT_THAT(finish("NOT_STARTED"), Optional(D(2026, 10, 8)));
  // In progress since Sep 14: Sep 15-18, Sun Sep 20 -> Sep 20, already past, so today.
  EXPECT_THAT(start("IN_PROGRESS_OLD"), Optional(D(2026, 9, 14)));
  EXPECT_THAT(finish("IN_PROGRESS_OLD"), Optional(D(2026, 9, 23)));
  // Since Sep 22: Sep 23, 24, 28, 29, 30 -> Sep 30.
  EXPECT_THAT(start("IN_PROGRESS"), Optional(D(2026, 9, 22)));
  EXPECT_THAT(finish("IN_PROGRESS"), Optional(D(2026, 9, 30)));
  EXPECT_THAT(start("IN_PROGRESS_UNDATED"), Optional(D(2026, 9, 23)));
  EXPECT_THAT(finish("IN_PROGRESS_UNDATED"), Optional(D(2026, 10, 8)));
  // Submitted Fri Sep 18: Sun Sep 20, 21, 22, 23, 24 -> Sep 24; started Sep 10.
  EXPECT_THAT(start("SUBMITTED"), Optional(D(2026, 9, 10)));
  EXPECT_THAT(finish("SUBMITTED"), Optional(D(2026, 9, 24)));
  // Submitted Mon Sep 21 without a start date: starts then; Sep 22, 23, 24, 28, 29 -> Sep 29.
  EXPECT_THAT(start("SUBMITTED_ONLY"), Optional(D(2026, 9, 21)));
  EXPECT_THAT(finish("SUBMITTED_ONLY"), Optional(D(2026, 9, 29)));
  // Rejected: rework from today.
  EXPECT_THAT(start("REJECTED"), Optional(D(2026, 9, 23)));
  EXPECT_THAT(finish("REJECTED"), Optional(D(2026, 10, 8)));
  // Returned for more material: reviewed again in full, from today; not done.
  EXPECT_THAT(start("RETURNED"), Optional(D(2026, 9, 23)));
  EXPECT_THAT(finish("RETURNED"), Optional(D(2026, 10, 8)));
  EXPECT_FALSE(result.items.at("RETURNED").done);
  // Waived: done, no dates at all.
  const ItemSchedule& waived = result.items.at("WAIVED");
  EXPECT_TRUE(waived.done);
  EXPECT_EQ(waived.projected_start, std::nullopt);
  EXPECT_EQ(waived.projected_finish, std::nullopt);
  EXPECT_EQ(waived.latest_finish, std::nullopt);
  EXPECT_EQ(waived.latest_start, std::nullopt);
  // The launch waits for the last not-done item: Oct 8.
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 10, 8)));
}

TEST_F(ScheduleTest, TodayOnAHolidayCountsFromTheNextWorkingDay) {
  // Thu Oct 1, 2026 rolls to Thu Oct 8; 2 WD: Fri Oct 9, Sat Oct 10.
  const ScheduleResult result =
      Compute(MakeLaunch(D(2026, 12, 1)), {MakeItem("A", 2)}, D(2026, 10, 1));
  EXPECT_THAT(result.items.at("A").projected_start, Optional(D(2026, 10, 8)));
  EXPECT_THAT(result.items.at("A").projected_finish, Optional(D(2026, 10, 10)));
  EXPECT_EQ(result.launch.as_of, D(2026, 10, 1));
}

TEST_F(ScheduleTest, ApprovedPredecessorGatesByItsApprovalDate) {
  // BIZ approved Fri Sep 18, 2026; CLOUD (1 WD, lag 2) may start 2 WD later: Sun Sep 20
  // (make-up), Mon Sep 21 -> Sep 21 even though today is Sep 16; it finishes Sep 22.
  Item biz = MakeItem("BIZ", 0, {}, ItemStatus::kApproved);
  biz.approved_date = D(2026, 9, 18);
  const std::vector<Item> items = {biz, MakeItem("CLOUD", 1, {{"BIZ", 2}})};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 16));
  EXPECT_THAT(result.items.at("CLOUD").projected_start, Optional(D(2026, 9, 21)));
  EXPECT_THAT(result.items.at("CLOUD").projected_finish, Optional(D(2026, 9, 22)));
  // The done predecessor is not on the critical path.
  EXPECT_THAT(result.launch.critical_path, ElementsAre("CLOUD"));
}

TEST_F(ScheduleTest, OverdueNotStartedItemIsAtRisk) {
  // D (10 WD) due by the target Mon Jun 1, 2026; today Mon May 25.
  const ScheduleResult result =
      Compute(MakeLaunch(D(2026, 6, 1)), {MakeItem("D", 10)}, D(2026, 5, 25));
  const ItemSchedule& d = result.items.at("D");
  // Latest start ten working days before Jun 1: May 29, 28, 27, 26, 25, 22, 21, 20, 19, 18.
  EXPECT_THAT(d.latest_start, Optional(D(2026, 5, 18)));
  // From May 25: May 26-29, Jun 1-5, Jun 8 -> Jun 8; slack -(Jun 2, 3, 4, 5, 8) = -5.
  EXPECT_THAT(d.projected_finish, Optional(D(2026, 6, 8)));
  EXPECT_EQ(d.slack_working_days, -5);
  EXPECT_TRUE(d.at_risk);
  EXPECT_TRUE(result.launch.at_risk);
  EXPECT_EQ(result.launch.slack_working_days, -5);
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 6, 8)));
}

Item PublicSecurityFiling() {
  Item psb = MakeItem("PSB_FILING", 10, {{"ICP_FILING", 0}});
  psb.deadline = Deadline{DeadlineAnchor::kAfterGoLive, 30, v1::DAY_UNIT_CALENDAR_DAYS};
  return psb;
}

TEST_F(ScheduleTest, PostLaunchItemAnchoredOnTargetBeforeGoingLive) {
  // ICP_FILING (3 WD) from Tue Sep 1, 2026 -> Fri Sep 4; target Mon Sep 14.
  const std::vector<Item> items = {MakeItem("ICP_FILING", 3), PublicSecurityFiling()};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 9, 14)), items, D(2026, 9, 1));
  const ItemSchedule& icp = result.items.at("ICP_FILING");
  const ItemSchedule& psb = result.items.at("PSB_FILING");
  // The post-launch item neither delays the launch nor tightens ICP_FILING's latest dates.
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 9, 4)));
  EXPECT_THAT(icp.latest_finish, Optional(D(2026, 9, 14)));
  // Not live: it cannot start before the target Sep 14. 10 WD: Sep 15-18, Sun 20, 21-24, 28.
  EXPECT_THAT(psb.projected_start, Optional(D(2026, 9, 14)));
  EXPECT_THAT(psb.projected_finish, Optional(D(2026, 9, 28)));
  // Deadline: 30 calendar days after the target = Wed Oct 14. Latest start 10 WD back: Oct 13,
  // 12, 10, 9, 8, Sep 30, 29, 28, 24, 23.
  EXPECT_THAT(psb.latest_finish, Optional(D(2026, 10, 14)));
  EXPECT_THAT(psb.latest_start, Optional(D(2026, 9, 23)));
  // (Sep 28, Oct 14] = Sep 29, 30, Oct 8, 9, 10, 12, 13, 14.
  EXPECT_EQ(psb.slack_working_days, 8);
  EXPECT_FALSE(psb.at_risk);
  EXPECT_FALSE(result.launch.at_risk);
  EXPECT_THAT(result.launch.critical_path, ElementsAre("ICP_FILING"));
  EXPECT_FALSE(psb.critical);
}

TEST_F(ScheduleTest, PostLaunchItemWaitsForProjectedLaunch) {
  // ICP_FILING (20 WD) from Tue Sep 1, 2026 finishes Tue Sep 29 (Sep 2-4, 7-11, 14-18, Sun 20,
  // 21-24, 28, 29), after the target Mon Sep 14: the post-launch item starts then, not Sep 14.
  const std::vector<Item> items = {MakeItem("ICP_FILING", 20), PublicSecurityFiling()};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 9, 14)), items, D(2026, 9, 1));
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 9, 29)));
  EXPECT_THAT(result.items.at("PSB_FILING").projected_start, Optional(D(2026, 9, 29)));
  EXPECT_TRUE(result.launch.at_risk);
}

TEST_F(ScheduleTest, PostLaunchItemAnchoredOnWentLiveDate) {
  // Went live Thu Sep 10, 2026 (target Mon Sep 14); today Tue Sep 15.
  Launch launch = MakeLaunch(D(2026, 9, 14));
  launch.went_live_date = D(2026, 9, 10);
  Item icp = MakeItem("ICP_FILING", 3, {}, ItemStatus::kApproved);
  icp.approved_date = D(2026, 9, 4);
  const std::vector<Item> items = {icp, PublicSecurityFiling()};
  const ScheduleResult result = Compute(launch, items, D(2026, 9, 15));
  const ItemSchedule& psb = result.items.at("PSB_FILING");
  // Deadline: Sep 10 + 30 days = Sat Oct 10, a make-up working day, so it stays.
  EXPECT_THAT(psb.latest_finish, Optional(D(2026, 10, 10)));
  // 10 WD back: Oct 9, 8, Sep 30, 29, 28, 24, 23, 22, 21, Sun Sep 20.
  EXPECT_THAT(psb.latest_start, Optional(D(2026, 9, 20)));
  // From today: Sep 16-18, 20, 21-24, 28, 29 -> Sep 29; slack (Sep 29, Oct 10] = 4.
  EXPECT_THAT(psb.projected_start, Optional(D(2026, 9, 15)));
  EXPECT_THAT(psb.projected_finish, Optional(D(2026, 9, 29)));
  EXPECT_EQ(psb.slack_working_days, 4);
  // The launch is live: its date is fixed, slack (Sep 10, Sep 14] = 11, 14 -> 2, no path.
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 9, 10)));
  EXPECT_EQ(result.launch.slack_working_days, 2);
  EXPECT_FALSE(result.launch.at_risk);
  EXPECT_THAT(result.launch.critical_path, IsEmpty());
}

TEST_F(ScheduleTest, PostLaunchDeadlineInWorkingDays) {
  // 5 working days after going live Fri Sep 18, 2026: Sun 20, 21, 22, 23, 24 -> Thu Sep 24.
  Launch launch = MakeLaunch(D(2026, 9, 14));
  launch.went_live_date = D(2026, 9, 18);
  Item report = MakeItem("REPORT", 1);
  report.deadline = Deadline{DeadlineAnchor::kAfterGoLive, 5, v1::DAY_UNIT_WORKING_DAYS};
  const ScheduleResult result = Compute(launch, {report}, D(2026, 9, 18));
  EXPECT_THAT(result.items.at("REPORT").latest_finish, Optional(D(2026, 9, 24)));
  EXPECT_THAT(result.items.at("REPORT").latest_start, Optional(D(2026, 9, 23)));
}

TEST_F(ScheduleTest, YearlyItemIsDueTheYearAfterItsDependencyWasApproved) {
  Launch launch = MakeLaunch(D(2026, 12, 15));
  Item licence = MakeItem("LICENCE", 40);
  Item report = MakeItem("REPORT", 2, {{"LICENCE", 0}});
  report.deadline.anchor = DeadlineAnchor::kYearly;
  report.deadline.month = 3;
  report.deadline.day = 31;
  // Not approved yet: the year after the launch's target.
  ScheduleResult result = Compute(launch, {licence, report}, D(2026, 9, 1));
  EXPECT_THAT(result.items.at("REPORT").latest_finish, Optional(D(2027, 3, 31)));
  // It is work after the launch: it does not hold the launch up.
  EXPECT_THAT(result.launch.critical_path, ElementsAre("LICENCE"));

  launch.target_launch_date = D(2027, 6, 1);
  result = Compute(launch, {licence, report}, D(2026, 9, 1));
  EXPECT_THAT(result.items.at("REPORT").latest_finish, Optional(D(2028, 3, 31)));

  // Approved: the year after the approval, whatever the target.
  licence.status = ItemStatus::kApproved;
  licence.approved_date = D(2026, 5, 20);
  result = Compute(launch, {licence, report}, D(2026, 9, 1));
  EXPECT_THAT(result.items.at("REPORT").latest_finish, Optional(D(2027, 3, 31)));
}

TEST_F(ScheduleTest, ApprovalWindowBoundsTheLatestFinish) {
  const Launch launch = MakeLaunch(D(2026, 12, 15));
  Item merchant = MakeItem("MCH", 4);
  Item release = MakeItem("RELEASE", 0, {{"MCH", 0}});
  release.deadline.anchor = DeadlineAnchor::kAfterApprovalOf;
  release.deadline.item = "MCH";
  release.deadline.months = 3;
  // The window opens with the approval; before it only the target bounds the release.
  ScheduleResult result = Compute(launch, {merchant, release}, D(2026, 6, 1));
  EXPECT_THAT(result.items.at("RELEASE").latest_finish, Optional(D(2026, 12, 15)));

  merchant.status = ItemStatus::kApproved;
  merchant.approved_date = D(2026, 6, 10);
  result = Compute(launch, {merchant, release}, D(2026, 6, 15));
  EXPECT_THAT(result.items.at("RELEASE").latest_finish, Optional(D(2026, 9, 10)));
  // The launch itself must come by then.
  EXPECT_THAT(result.items.at("MCH").latest_finish, Optional(D(2026, 9, 10)));
}

TEST_F(ScheduleTest, DueDateOverridesDeadlines) {
  // G (2 WD) due Sat Oct 3, 2026 (a holiday): rolls back to Wed Sep 30; latest start Sep 28.
  // Its predecessor H (1 WD) must finish by Sep 28 and start by Thu Sep 24 (Sep 25-27 off).
  Item g = MakeItem("G", 2, {{"H", 0}});
  g.due_date = D(2026, 10, 3);
  // L is due after the target: the target still binds.
  Item l = MakeItem("L", 1);
  l.due_date = D(2027, 1, 15);
  // A post-launch item due before the target: its due date replaces the 30 days, and it does
  // not pull ICP_FILING's latest finish below the target.
  Item psb = PublicSecurityFiling();
  psb.due_date = D(2026, 9, 10);
  const std::vector<Item> items = {g, MakeItem("H", 1), l, MakeItem("ICP_FILING", 3), psb};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 1));
  EXPECT_THAT(result.items.at("G").latest_finish, Optional(D(2026, 9, 30)));
  EXPECT_THAT(result.items.at("G").latest_start, Optional(D(2026, 9, 28)));
  EXPECT_THAT(result.items.at("H").latest_finish, Optional(D(2026, 9, 28)));
  EXPECT_THAT(result.items.at("H").latest_start, Optional(D(2026, 9, 24)));
  EXPECT_THAT(result.items.at("L").latest_finish, Optional(D(2026, 12, 1)));
  EXPECT_THAT(result.items.at("PSB_FILING").latest_finish, Optional(D(2026, 9, 10)));
  // 10 WD before Thu Sep 10: Sep 9, 8, 7, 4, 3, 2, 1, Aug 31, 28, 27.
  EXPECT_THAT(result.items.at("PSB_FILING").latest_start, Optional(D(2026, 8, 27)));
  EXPECT_THAT(result.items.at("ICP_FILING").latest_finish, Optional(D(2026, 12, 1)));
}

TEST_F(ScheduleTest, WaivedAndNotApplicableItemsAreIgnored) {
  // A (2 WD) -> W (waived, 20 WD) -> C (1 WD); A -> N (not applicable, 20 WD) -> C; C also
  // names an unknown code. Today Tue Sep 1, 2026; target Mon Nov 2.
  Item waived = MakeItem("W", 20, {{"A", 0}}, ItemStatus::kWaived);
  Item not_applicable = MakeItem("N", 20, {{"A", 0}}, ItemStatus::kNotApplicable);
  const std::vector<Item> items = {MakeItem("A", 2), waived, not_applicable,
                                   MakeItem("C", 1, {{"W", 0}, {"N", 0}, {"UNKNOWN", 5}})};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 11, 2)), items, D(2026, 9, 1));
  // C waits for nothing: Sep 1 -> Sep 2. A: Sep 1 -> Sep 3.
  EXPECT_THAT(result.items.at("C").projected_start, Optional(D(2026, 9, 1)));
  EXPECT_THAT(result.items.at("C").projected_finish, Optional(D(2026, 9, 2)));
  EXPECT_THAT(result.items.at("A").projected_finish, Optional(D(2026, 9, 3)));
  // A's successors impose no latest dates: only the target does.
  EXPECT_THAT(result.items.at("A").latest_finish, Optional(D(2026, 11, 2)));
  for (const char* code : {"W", "N"}) {
    const ItemSchedule& schedule = result.items.at(code);
    EXPECT_TRUE(schedule.done) << code;
    EXPECT_FALSE(schedule.at_risk) << code;
    EXPECT_FALSE(schedule.critical) << code;
    EXPECT_EQ(schedule.projected_finish, std::nullopt) << code;
    EXPECT_EQ(schedule.latest_finish, std::nullopt) << code;
  }
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 9, 3)));
  EXPECT_THAT(result.launch.critical_path, ElementsAre("A"));
}

TEST_F(ScheduleTest, NothingLeftToDoMeansNoCriticalPath) {
  Item done = MakeItem("A", 2, {}, ItemStatus::kApproved);
  done.approved_date = D(2026, 9, 2);
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 9, 14)), {done}, D(2026, 9, 7));
  // Launchable today (Mon Sep 7): slack Sep 8-11, 14 = 5.
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 9, 7)));
  EXPECT_EQ(result.launch.slack_working_days, 5);
  EXPECT_THAT(result.launch.critical_path, IsEmpty());
}

TEST_F(ScheduleTest, DependencyCycleStillYieldsDates) {
  // Validation should prevent cycles; if one slips through, the schedule still terminates and
  // breaks the cycle at the smaller code: A starts today (Sep 1 -> Sep 3), B after A (Sep 4).
  const std::vector<Item> items = {MakeItem("A", 2, {{"B", 0}}), MakeItem("B", 1, {{"A", 0}})};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 1));
  EXPECT_THAT(result.items.at("A").projected_finish, Optional(D(2026, 9, 3)));
  EXPECT_THAT(result.items.at("B").projected_finish, Optional(D(2026, 9, 4)));
  EXPECT_THAT(result.launch.critical_path, ElementsAre("A", "B"));
}

struct Fees {
  Fen paid;
  Fen expected;
};

Fees FeesOf(const Item& item) {
  ScheduleResult result =
      ComputeSchedule(MakeLaunch(D(2026, 12, 1)), {item}, D(2026, 9, 1), WorkingCalendar());
  return {result.launch.fees_paid, result.launch.fees_expected};
}

Item FeeItem(ItemStatus status, Fen fee, bool per_attempt, int attempts) {
  Item item = MakeItem("FEE", 3, {}, status);
  item.fee_per_attempt = fee;
  item.fee_charged_per_attempt = per_attempt;
  item.attempts = attempts;
  return item;
}

TEST_F(ScheduleTest, PerAttemptFees) {
  constexpr Fen k300Yuan = 30000;
  // Rejected after two ¥300 submissions: ¥600 paid, the resubmission costs ¥300 more.
  Fees fees = FeesOf(FeeItem(ItemStatus::kRejected, k300Yuan, true, 2));
  EXPECT_EQ(fees.paid, 60000);
  EXPECT_EQ(fees.expected, 30000);
  // Submitted once: paid, nothing due until it is rejected.
  fees = FeesOf(FeeItem(ItemStatus::kSubmitted, k300Yuan, true, 1));
  EXPECT_EQ(fees.paid, 30000);
  EXPECT_EQ(fees.expected, 0);
  // Not started and in progress: the first submission is still to pay.
  fees = FeesOf(FeeItem(ItemStatus::kNotStarted, k300Yuan, true, 0));
  EXPECT_EQ(fees.paid, 0);
  EXPECT_EQ(fees.expected, 30000);
  fees = FeesOf(FeeItem(ItemStatus::kInProgress, k300Yuan, true, 0));
  EXPECT_EQ(fees.expected, 30000);
  // Approved on the first try.
  fees = FeesOf(FeeItem(ItemStatus::kApproved, k300Yuan, true, 1));
  EXPECT_EQ(fees.paid, 30000);
  EXPECT_EQ(fees.expected, 0);
  // Government bodies verify for free.
  fees = FeesOf(FeeItem(ItemStatus::kRejected, 0, true, 2));
  EXPECT_EQ(fees.paid, 0);
  EXPECT_EQ(fees.expected, 0);
}

// WeChat verification: ¥300 per order, which covers 3 resubmissions after a return.
TEST_F(ScheduleTest, PerOrderFees) {
  constexpr Fen k300Yuan = 30000;
  const auto order_item = [](ItemStatus status, int paid_orders, int resubmissions) {
    Item item = FeeItem(status, k300Yuan, false, paid_orders + resubmissions);
    item.fee_charged_per_order = true;
    item.resubmissions_per_order = 3;
    item.paid_orders = paid_orders;
    item.resubmissions_in_order = resubmissions;
    return item;
  };
  // Returned after the first submission: paid once, the resubmission is covered.
  Fees fees = FeesOf(order_item(ItemStatus::kReturned, 1, 0));
  EXPECT_EQ(fees.paid, 30000);
  EXPECT_EQ(fees.expected, 0);
  // Returned after three covered resubmissions: the next one is a new order.
  fees = FeesOf(order_item(ItemStatus::kReturned, 1, 3));
  EXPECT_EQ(fees.paid, 30000);
  EXPECT_EQ(fees.expected, 30000);
  // Under review in the second order.
  fees = FeesOf(order_item(ItemStatus::kSubmitted, 2, 1));
  EXPECT_EQ(fees.paid, 60000);
  EXPECT_EQ(fees.expected, 0);
  // Failed: a new order; given up and in progress: the same.
  fees = FeesOf(order_item(ItemStatus::kRejected, 1, 2));
  EXPECT_EQ(fees.paid, 30000);
  EXPECT_EQ(fees.expected, 30000);
  fees = FeesOf(order_item(ItemStatus::kInProgress, 1, 0));
  EXPECT_EQ(fees.expected, 30000);
  fees = FeesOf(order_item(ItemStatus::kNotStarted, 0, 0));
  EXPECT_EQ(fees.paid, 0);
  EXPECT_EQ(fees.expected, 30000);
  fees = FeesOf(order_item(ItemStatus::kApproved, 2, 3));
  EXPECT_EQ(fees.paid, 60000);
  EXPECT_EQ(fees.expected, 0);
}

TEST_F(ScheduleTest, OneOffFees) {
  // ¥80 once: due until paid; approval counts as paid even with no recorded attempt.
  Fees fees = FeesOf(FeeItem(ItemStatus::kNotStarted, 8000, false, 0));
  EXPECT_EQ(fees.paid, 0);
  EXPECT_EQ(fees.expected, 8000);
  fees = FeesOf(FeeItem(ItemStatus::kRejected, 8000, false, 2));
  EXPECT_EQ(fees.paid, 8000);
  EXPECT_EQ(fees.expected, 0);
  fees = FeesOf(FeeItem(ItemStatus::kApproved, 8000, false, 0));
  EXPECT_EQ(fees.paid, 8000);
  EXPECT_EQ(fees.expected, 0);
  // Waived: nothing more to pay; not applicable: not counted at all.
  fees = FeesOf(FeeItem(ItemStatus::kWaived, 8000, false, 0));
  EXPECT_EQ(fees.paid, 0);
  EXPECT_EQ(fees.expected, 0);
  fees = FeesOf(FeeItem(ItemStatus::kNotApplicable, 30000, true, 3));
  EXPECT_EQ(fees.paid, 0);
  EXPECT_EQ(fees.expected, 0);
}

TEST_F(ScheduleTest, LaunchSumsFees) {
  Item verify = FeeItem(ItemStatus::kRejected, 30000, true, 2);
  verify.code = "MP_VERIFY";
  Item domain = FeeItem(ItemStatus::kNotStarted, 8000, false, 0);
  domain.code = "DOMAIN";
  Item gov = FeeItem(ItemStatus::kApproved, 0, true, 1);
  gov.code = "GOV";
  const ScheduleResult result =
      Compute(MakeLaunch(D(2026, 12, 1)), {verify, domain, gov}, D(2026, 9, 1));
  EXPECT_EQ(result.launch.fees_paid, 60000);
  EXPECT_EQ(result.launch.fees_expected, 38000);
}

TEST_F(ScheduleTest, Target2027IsUnconfirmed) {
  // Target Mon Jan 11, 2027 lies in an unannounced year: latest dates count plain Mon-Fri
  // (Jan 8, 7, 6, 5, 4 -> latest start Mon Jan 4) and are flagged.
  const std::vector<Item> items = {MakeItem("A", 5)};
  ScheduleResult result = Compute(MakeLaunch(D(2027, 1, 11)), items, D(2026, 12, 1));
  EXPECT_THAT(result.items.at("A").latest_start, Optional(D(2027, 1, 4)));
  EXPECT_TRUE(result.items.at("A").unconfirmed_calendar);
  EXPECT_TRUE(result.launch.unconfirmed_calendar);
  EXPECT_THAT(result.launch.unconfirmed_years, ElementsAre(2027));

  // The same work against a 2026 target is confirmed.
  result = Compute(MakeLaunch(D(2026, 12, 28)), items, D(2026, 12, 1));
  EXPECT_FALSE(result.items.at("A").unconfirmed_calendar);
  EXPECT_FALSE(result.launch.unconfirmed_calendar);

  // With no items at all the launch's own slack still reaches into 2027.
  result = Compute(MakeLaunch(D(2027, 1, 11)), {}, D(2026, 12, 1));
  EXPECT_TRUE(result.launch.unconfirmed_calendar);
  EXPECT_THAT(result.launch.projected_launch, Optional(D(2026, 12, 1)));
}

TEST_F(ScheduleTest, ProjectionInto2027IsUnconfirmedForSuccessorsToo) {
  // A (5 WD) from Mon Dec 28, 2026: Dec 29, 30, 31, Jan 1 (unconfirmed Friday), Jan 4, 2027.
  // B, which waits for A, inherits the flag.
  const std::vector<Item> items = {MakeItem("A", 5), MakeItem("B", 0, {{"A", 0}})};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 12, 31)), items, D(2026, 12, 28));
  EXPECT_THAT(result.items.at("A").projected_finish, Optional(D(2027, 1, 4)));
  EXPECT_TRUE(result.items.at("A").unconfirmed_calendar);
  EXPECT_TRUE(result.items.at("B").unconfirmed_calendar);
  EXPECT_TRUE(result.launch.unconfirmed_calendar);
  EXPECT_TRUE(result.launch.at_risk);
}

TEST_F(ScheduleTest, UnconfirmedYearsNameOnlyTheYearsTouched) {
  // From Mon Dec 28, 2026: A (5 WD) runs into 2027 and B inherits it; C (1 WD) stays in 2026.
  std::vector<Item> items = {MakeItem("A", 5), MakeItem("B", 0, {{"A", 0}}), MakeItem("C", 1)};
  ScheduleResult result = Compute(MakeLaunch(D(2026, 12, 31)), items, D(2026, 12, 28));
  EXPECT_THAT(result.items.at("A").unconfirmed_years, ElementsAre(2027));
  EXPECT_THAT(result.items.at("B").unconfirmed_years, ElementsAre(2027));
  EXPECT_THAT(result.items.at("C").unconfirmed_years, IsEmpty());
  EXPECT_FALSE(result.items.at("C").unconfirmed_calendar);
  EXPECT_THAT(result.launch.unconfirmed_years, ElementsAre(2027));

  // Against a Feb 2028 target A's latest dates lie in 2028 and its slack spans 2027 too; both
  // are named, in order, and 2026 (announced) is not.
  items = {MakeItem("A", 5)};
  result = Compute(MakeLaunch(D(2028, 2, 1)), items, D(2026, 12, 1));
  EXPECT_THAT(result.items.at("A").unconfirmed_years, ElementsAre(2027, 2028));
  EXPECT_TRUE(result.items.at("A").unconfirmed_calendar);
  EXPECT_THAT(result.launch.unconfirmed_years, ElementsAre(2027, 2028));

  // All in 2026: nothing to name.
  result = Compute(MakeLaunch(D(2026, 12, 28)), items, D(2026, 12, 1));
  EXPECT_THAT(result.items.at("A").unconfirmed_years, IsEmpty());
  EXPECT_THAT(result.launch.unconfirmed_years, IsEmpty());
  EXPECT_FALSE(result.launch.unconfirmed_calendar);
}

TEST_F(ScheduleTest, EstimatedDurationsOnTheCriticalPathAreListed) {
  // A (estimate, 10 WD) -> B (3 WD) is the critical path; C (estimate, 2 WD) has slack; D
  // (estimate) is approved, so its dates are records rather than plans.
  Item a = MakeItem("A", 10);
  a.estimate = true;
  Item c = MakeItem("C", 2);
  c.estimate = true;
  Item d = MakeItem("D", 5, {}, ItemStatus::kApproved);
  d.estimate = true;
  d.approved_date = D(2026, 8, 20);
  std::vector<Item> items = {a, MakeItem("B", 3, {{"A", 0}}), c, d};
  ScheduleResult result = Compute(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 1));
  EXPECT_THAT(result.launch.critical_path, ElementsAre("A", "B"));
  EXPECT_THAT(result.launch.estimated_critical_items, ElementsAre("A"));
  EXPECT_TRUE(result.items.at("A").duration_estimated);
  EXPECT_FALSE(result.items.at("B").duration_estimated);
  EXPECT_TRUE(result.items.at("C").duration_estimated);
  EXPECT_FALSE(result.items.at("D").duration_estimated);

  // Once A is approved the path is B alone, and nothing on it is an estimate.
  items[0].status = ItemStatus::kApproved;
  items[0].approved_date = D(2026, 9, 1);
  result = Compute(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 1));
  EXPECT_THAT(result.launch.critical_path, ElementsAre("B"));
  EXPECT_THAT(result.launch.estimated_critical_items, IsEmpty());
  EXPECT_FALSE(result.items.at("A").duration_estimated);
}

TEST_F(ScheduleTest, TemplateDecidesWhoseDurationIsAnEstimate) {
  // FEE's only estimate is its fee, which sets Item::estimate too; SLOW's definition is one.
  constexpr char kTiny[] = R"txt(
    id: "tiny"
    title_en: "Tiny"
    title_zh: "小"
    groups { code: "g" title_en: "G" title_zh: "组" }
    items {
      code: "FEE" title_en: "Fee" title_zh: "费" group: "g" applies_reason: "always"
      duration { unit: DAY_UNIT_WORKING_DAYS min: 1 typical: 1 max: 1 }
      fees { amount { currency_code: "CNY" units: 80 } estimate: true }
    }
    items {
      code: "SLOW" title_en: "Slow" title_zh: "慢" group: "g" applies_reason: "always"
      duration { unit: DAY_UNIT_WORKING_DAYS min: 5 typical: 5 max: 9 }
      depends_on { code: "FEE" }
      estimate: true
    }
  )txt";
  absl::StatusOr<CompiledTemplate> tmpl = TemplateCatalog::CompileText(kTiny, "tiny.textproto");
  ASSERT_TRUE(tmpl.ok()) << tmpl.status();
  Item fee = MakeItem("FEE", 1);
  fee.estimate = true;
  Item slow = MakeItem("SLOW", 5, {{"FEE", 0}});
  slow.estimate = true;
  Item custom = MakeItem("MINE", 2);
  custom.custom = true;
  custom.estimate = true;
  const std::vector<Item> items = {fee, slow, custom};

  ScheduleResult result =
      ComputeSchedule(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 1), *calendar_, &*tmpl);
  EXPECT_THAT(result.launch.critical_path, ElementsAre("FEE", "SLOW"));
  EXPECT_FALSE(result.items.at("FEE").duration_estimated);
  EXPECT_TRUE(result.items.at("SLOW").duration_estimated);
  EXPECT_TRUE(result.items.at("MINE").duration_estimated);  // not the template's: its own flag
  EXPECT_THAT(result.launch.estimated_critical_items, ElementsAre("SLOW"));

  // Without the template only the items' flags are known.
  result = Compute(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 1));
  EXPECT_THAT(result.launch.estimated_critical_items, ElementsAre("FEE", "SLOW"));
}

TEST_F(ScheduleTest, NotApplicableItemsGetAnEmptyDoneEntry) {
  const std::vector<Item> items = {MakeItem("N", 5, {}, ItemStatus::kNotApplicable)};
  const ScheduleResult result = Compute(MakeLaunch(D(2026, 12, 1)), items, D(2026, 9, 1));
  ASSERT_EQ(result.items.count("N"), 1u);
  const ItemSchedule& n = result.items.at("N");
  EXPECT_TRUE(n.done);
  EXPECT_EQ(n.latest_start, std::nullopt);
  EXPECT_EQ(n.projected_start, std::nullopt);
  EXPECT_EQ(n.slack_working_days, 0);
  EXPECT_FALSE(n.unconfirmed_calendar);
}

}  // namespace
}  // namespace preflight::checklist
