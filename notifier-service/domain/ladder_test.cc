#include "notifier-service/domain/ladder.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "common/testing/working_calendar_testing.h"
#include "common/working_calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/domain/reminder_policy.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::CivilDay D(int year, int month, int day) { return absl::CivilDay(year, month, day); }

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

absl::TimeZone Shanghai() { return Zone("Asia/Shanghai"); }
absl::TimeZone NewYork() { return Zone("America/New_York"); }

absl::Time At(absl::TimeZone zone, int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), zone);
}

// "id @ local time with UTC offset": pins the exact instant and reads like a calendar.
std::string Send(const Rung& rung, absl::TimeZone zone) {
  return absl::StrCat(rung.id, " @ ", absl::FormatTime("%Y-%m-%d %H:%M%Ez", rung.send_time, zone));
}

std::vector<std::string> Sends(const std::vector<Rung>& rungs, absl::TimeZone zone) {
  std::vector<std::string> sends;
  for (const Rung& rung : rungs) sends.push_back(Send(rung, zone));
  return sends;
}

const Rung* Find(const std::vector<Rung>& rungs, const std::string& id) {
  for (const Rung& rung : rungs) {
    if (rung.id == id) return &rung;
  }
  return nullptr;
}

LaunchInfo Launch(const std::string& zone = "") {
  LaunchInfo launch;
  launch.launch_id = "mall";
  launch.tenant = "acme";
  launch.display_name = "Acme Mall";
  launch.owner = "wang.fang";
  launch.time_zone = zone;
  return launch;
}

ItemInfo Item(const std::string& code) {
  ItemInfo item;
  item.launch_id = "mall";
  item.code = code;
  item.title_en = code;
  item.status = "NOT_STARTED";
  item.assignee = "li.na";
  item.version = 1;
  return item;
}

class LadderTest : public ::testing::Test {
 protected:
  static const WorkingCalendar& cal() { return testing::SharedBuiltinCalendar(); }

  std::vector<Rung> Plan(const LaunchInfo& launch, const ItemInfo& item, absl::Time from,
                         absl::Time to) const {
    return PlanRungs(launch, item, policy_, cal(), from, to);
  }

  ReminderPolicy policy_ = DefaultReminderPolicy();
};

// National Day 2026: Oct 1-7 off, Sunday Sep 20 and Saturday Oct 10 are working days; the
// Mid-Autumn Festival (Sep 25-27) comes just before.
TEST_F(LadderTest, NationalDayAndItsMakeUpDays) {
  ItemInfo item = Item("ICP_FILING");
  item.latest_start = D(2026, 9, 23);
  item.due = D(2026, 10, 12);
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> rungs =
      Plan(Launch(), item, At(sh, 2026, 9, 1, 0, 0), At(sh, 2026, 10, 16, 0, 0));
  EXPECT_THAT(Sends(rungs, sh),
              ElementsAre(
                  // 3 working days before Wed Sep 23: Tue 22, Mon 21, Sun 20 (make-up day).
                  "start:2026-09-23:-3 @ 2026-09-20 09:30+08:00",
                  "start:2026-09-23:-0 @ 2026-09-23 09:30+08:00",
                  // 7 before Mon Oct 12: Sat 10, Fri 9, Thu 8, Sep 30, 29, 28, then Thu Sep 24.
                  "due:2026-10-12:-7 @ 2026-09-24 09:30+08:00",
                  "due:2026-10-12:-3 @ 2026-10-08 09:30+08:00",
                  // The make-up Saturday is a working day: the rung goes out on it.
                  "due:2026-10-12:-1 @ 2026-10-10 09:30+08:00",
                  "overdue:2026-10-12:+1 @ 2026-10-13 09:30+08:00",
                  "overdue:2026-10-12:+2 @ 2026-10-14 09:30+08:00",
                  "overdue:2026-10-12:+3 @ 2026-10-15 09:30+08:00"));

  const Rung* due7 = Find(rungs, "due:2026-10-12:-7");
  ASSERT_NE(due7, nullptr);
  EXPECT_EQ(due7->kind, RungKind::kBeforeDue);
  EXPECT_EQ(due7->deadline, D(2026, 10, 12));
  EXPECT_EQ(due7->days_left, 7);
  EXPECT_FALSE(due7->urgent);
  EXPECT_FALSE(due7->escalation);

  const Rung* start0 = Find(rungs, "start:2026-09-23:-0");
  ASSERT_NE(start0, nullptr);
  EXPECT_EQ(start0->kind, RungKind::kBeforeStart);
  EXPECT_EQ(start0->days_left, 0);
  EXPECT_TRUE(start0->urgent);  // due on the day

  const Rung* over2 = Find(rungs, "overdue:2026-10-12:+2");
  ASSERT_NE(over2, nullptr);
  EXPECT_EQ(over2->kind, RungKind::kOverdue);
  EXPECT_EQ(over2->days_left, -2);
  EXPECT_TRUE(over2->urgent);
  EXPECT_FALSE(over2->escalation);

  const Rung* over3 = Find(rungs, "overdue:2026-10-12:+3");
  ASSERT_NE(over3, nullptr);
  EXPECT_EQ(over3->days_left, -3);
  EXPECT_TRUE(over3->escalation);  // escalate_after_working_days: 3
}

// Spring Festival 2026: Feb 15-23 off; Saturdays Feb 14 and Feb 28 are working days.
TEST_F(LadderTest, SpringFestival) {
  ItemInfo item = Item("MP_FILING");
  item.due = D(2026, 2, 25);
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> rungs =
      Plan(Launch(), item, At(sh, 2026, 2, 1, 0, 0), At(sh, 2026, 3, 3, 0, 0));
  EXPECT_THAT(Sends(rungs, sh), ElementsAre("due:2026-02-25:-7 @ 2026-02-09 09:30+08:00",
                                            // Tue 24 (1), Sat 14 make-up (2), Fri 13 (3).
                                            "due:2026-02-25:-3 @ 2026-02-13 09:30+08:00",
                                            "due:2026-02-25:-1 @ 2026-02-24 09:30+08:00",
                                            "overdue:2026-02-25:+1 @ 2026-02-26 09:30+08:00",
                                            "overdue:2026-02-25:+2 @ 2026-02-27 09:30+08:00",
                                            "overdue:2026-02-25:+3 @ 2026-02-28 09:30+08:00",
                                            "overdue:2026-02-25:+4 @ 2026-03-02 09:30+08:00"));
}

// Month end with Qingming (Apr 4-6, Sat-Mon) right after.
TEST_F(LadderTest, MonthEndIntoQingming) {
  ItemInfo item = Item("DOMAIN_RN");
  item.due = D(2026, 4, 1);
  const absl::TimeZone sh = Shanghai();
  EXPECT_THAT(Sends(Plan(Launch(), item, At(sh, 2026, 3, 1, 0, 0), At(sh, 2026, 4, 9, 0, 0)), sh),
              ElementsAre("due:2026-04-01:-7 @ 2026-03-23 09:30+08:00",
                          "due:2026-04-01:-3 @ 2026-03-27 09:30+08:00",
                          "due:2026-04-01:-1 @ 2026-03-31 09:30+08:00",
                          "overdue:2026-04-01:+1 @ 2026-04-02 09:30+08:00",
                          "overdue:2026-04-01:+2 @ 2026-04-03 09:30+08:00",
                          "overdue:2026-04-01:+3 @ 2026-04-07 09:30+08:00",
                          "overdue:2026-04-01:+4 @ 2026-04-08 09:30+08:00"));
}

// A deadline on a non-working day (Saturday Jan 31) counts from the Friday before it.
TEST_F(LadderTest, DeadlineOnAWeekendAtMonthEnd) {
  ItemInfo item = Item("DOMAIN");
  item.due = D(2026, 1, 31);
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> rungs =
      Plan(Launch(), item, At(sh, 2026, 1, 5, 0, 0), At(sh, 2026, 2, 5, 0, 0));
  EXPECT_THAT(Sends(rungs, sh), ElementsAre("due:2026-01-31:-7 @ 2026-01-21 09:30+08:00",
                                            "due:2026-01-31:-3 @ 2026-01-27 09:30+08:00",
                                            "due:2026-01-31:-1 @ 2026-01-29 09:30+08:00",
                                            "overdue:2026-01-31:+1 @ 2026-02-02 09:30+08:00",
                                            "overdue:2026-01-31:+2 @ 2026-02-03 09:30+08:00",
                                            "overdue:2026-01-31:+3 @ 2026-02-04 09:30+08:00"));
  EXPECT_EQ(Find(rungs, "due:2026-01-31:-1")->days_left, 1);
}

// New York switches to daylight time on Sunday 2026-03-08 and back on Sunday 2026-11-01: the
// rungs stay at 09:30 local on both sides, so their UTC instants move by an hour.
TEST_F(LadderTest, DaylightSavingTimeInNewYork) {
  const LaunchInfo launch = Launch("America/New_York");
  const absl::TimeZone ny = NewYork();
  const absl::TimeZone utc = absl::UTCTimeZone();

  ItemInfo spring = Item("MP_VERIFY");
  spring.due = D(2026, 3, 12);
  const std::vector<Rung> march =
      Plan(launch, spring, At(ny, 2026, 3, 1, 0, 0), At(ny, 2026, 3, 14, 0, 0));
  EXPECT_THAT(Sends(march, ny), ElementsAre("due:2026-03-12:-7 @ 2026-03-03 09:30-05:00",
                                            "due:2026-03-12:-3 @ 2026-03-09 09:30-04:00",
                                            "due:2026-03-12:-1 @ 2026-03-11 09:30-04:00",
                                            "overdue:2026-03-12:+1 @ 2026-03-13 09:30-04:00"));
  EXPECT_THAT(Sends(march, utc), ElementsAre("due:2026-03-12:-7 @ 2026-03-03 14:30+00:00",
                                             "due:2026-03-12:-3 @ 2026-03-09 13:30+00:00",
                                             "due:2026-03-12:-1 @ 2026-03-11 13:30+00:00",
                                             "overdue:2026-03-12:+1 @ 2026-03-13 13:30+00:00"));

  ItemInfo autumn = Item("WXPAY_MCH");
  autumn.due = D(2026, 11, 3);
  const std::vector<Rung> november =
      Plan(launch, autumn, At(ny, 2026, 10, 20, 0, 0), At(ny, 2026, 11, 5, 0, 0));
  EXPECT_THAT(Sends(november, utc), ElementsAre("due:2026-11-03:-7 @ 2026-10-23 13:30+00:00",
                                                "due:2026-11-03:-3 @ 2026-10-29 13:30+00:00",
                                                "due:2026-11-03:-1 @ 2026-11-02 14:30+00:00",
                                                "overdue:2026-11-03:+1 @ 2026-11-04 14:30+00:00"));
}

// An unknown launch zone falls back to the policy's default.
TEST_F(LadderTest, UnknownLaunchZoneUsesThePolicyDefault) {
  EXPECT_EQ(LaunchTimeZone(Launch("Mars/Olympus_Mons"), policy_), policy_.default_time_zone);
  EXPECT_EQ(LaunchTimeZone(Launch(""), policy_), policy_.default_time_zone);
  EXPECT_EQ(LaunchTimeZone(Launch("America/New_York"), policy_), NewYork());
}

// Send time 22:00 inside quiet hours 21:00-08:30: each rung waits for 08:30 on the next working
// day, and its days_left says what is really left then.
TEST_F(LadderTest, SendTimeInsideWrappingQuietHours) {
  policy_.send_minute_of_day = 22 * 60;
  ItemInfo item = Item("ICP_FILING");
  item.due = D(2026, 10, 12);
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> rungs =
      Plan(Launch(), item, At(sh, 2026, 9, 1, 0, 0), At(sh, 2026, 10, 16, 0, 0));
  EXPECT_THAT(Sends(rungs, sh),
              ElementsAre(
                  // Thu Sep 24 22:00 -> Sep 25-27 are the Mid-Autumn holiday -> Mon Sep 28.
                  "due:2026-10-12:-7 @ 2026-09-28 08:30+08:00",
                  "due:2026-10-12:-3 @ 2026-10-09 08:30+08:00",
                  // Sat Oct 10 (make-up) 22:00 -> Sunday is off -> Monday Oct 12.
                  "due:2026-10-12:-1 @ 2026-10-12 08:30+08:00",
                  "overdue:2026-10-12:+1 @ 2026-10-14 08:30+08:00",
                  "overdue:2026-10-12:+2 @ 2026-10-15 08:30+08:00"));
  // Sep 29, 30, Oct 8, 9, 10, 12 are left after Sep 28.
  EXPECT_EQ(Find(rungs, "due:2026-10-12:-7")->days_left, 6);
  EXPECT_EQ(Find(rungs, "due:2026-10-12:-3")->days_left, 2);
  const Rung* last = Find(rungs, "due:2026-10-12:-1");
  EXPECT_EQ(last->days_left, 0);
  EXPECT_TRUE(last->urgent);
  EXPECT_EQ(Find(rungs, "overdue:2026-10-12:+1")->days_left, -2);

  // With urgent overrides, overdue rungs go out at 22:00; the others still wait.
  policy_.urgent_overrides = true;
  EXPECT_THAT(
      Sends(Plan(Launch(), item, At(sh, 2026, 10, 9, 0, 0), At(sh, 2026, 10, 16, 0, 0)), sh),
      ElementsAre("due:2026-10-12:-3 @ 2026-10-09 08:30+08:00",
                  "due:2026-10-12:-1 @ 2026-10-12 08:30+08:00",
                  "overdue:2026-10-12:+1 @ 2026-10-13 22:00+08:00",
                  "overdue:2026-10-12:+2 @ 2026-10-14 22:00+08:00",
                  "overdue:2026-10-12:+3 @ 2026-10-15 22:00+08:00"));
}

// A rung on its deadline's evening that quiet hours push to the next morning goes out after the
// deadline: a due or post-launch rung then is an overdue reminder (same id); a start rung stays
// one (its wording covers a passed start), since the item itself is not overdue.
TEST_F(LadderTest, QuietHoursPushingARungPastItsDeadlineMakeItOverdue) {
  policy_.send_minute_of_day = 22 * 60;
  policy_.before_start_working_days = {0};
  policy_.before_due_working_days = {0};
  policy_.post_launch_working_days = {0};
  const absl::TimeZone sh = Shanghai();
  const absl::Time from = At(sh, 2026, 11, 1, 0, 0);
  const absl::Time to = At(sh, 2026, 11, 14, 0, 0);

  ItemInfo item = Item("ICP_FILING");
  item.latest_start = D(2026, 11, 4);
  item.due = D(2026, 11, 11);
  std::vector<Rung> rungs = Plan(Launch(), item, from, to);
  EXPECT_THAT(Sends(rungs, sh), ElementsAre("start:2026-11-04:-0 @ 2026-11-05 08:30+08:00",
                                            "due:2026-11-11:-0 @ 2026-11-12 08:30+08:00",
                                            "overdue:2026-11-11:+1 @ 2026-11-13 08:30+08:00"));
  const Rung* start = Find(rungs, "start:2026-11-04:-0");
  EXPECT_EQ(start->kind, RungKind::kBeforeStart);
  EXPECT_EQ(start->days_left, -1);
  EXPECT_TRUE(start->urgent);
  const Rung* due = Find(rungs, "due:2026-11-11:-0");
  EXPECT_EQ(due->kind, RungKind::kOverdue);
  EXPECT_EQ(due->deadline, D(2026, 11, 11));
  EXPECT_EQ(due->days_left, -1);
  EXPECT_TRUE(due->urgent);
  EXPECT_FALSE(due->escalation);

  item.latest_start.reset();
  item.post_launch = true;
  rungs = Plan(Launch(), item, from, to);
  const Rung* post = Find(rungs, "postlaunch:2026-11-11:-0");
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->kind, RungKind::kOverdue);
  EXPECT_EQ(post->days_left, -1);
  EXPECT_TRUE(post->urgent);
}

// What a rung says depends on the day it goes out: before its deadline as planned, after it
// overdue (due and post-launch rungs), and never "due today" on the days off after a deadline.
TEST_F(LadderTest, RungSentOnAfterItsDeadline) {
  Rung due;
  due.id = "due:2026-11-13:-1";
  due.kind = RungKind::kBeforeDue;
  due.deadline = D(2026, 11, 13);  // a Friday
  due.days_left = 1;

  // On its planned day and on the deadline itself: still a before-due reminder.
  Rung sent = RungSentOn(due, D(2026, 11, 12), policy_, cal());
  EXPECT_EQ(sent.kind, RungKind::kBeforeDue);
  EXPECT_EQ(sent.days_left, 1);
  EXPECT_FALSE(sent.urgent);
  sent = RungSentOn(due, D(2026, 11, 13), policy_, cal());
  EXPECT_EQ(sent.kind, RungKind::kBeforeDue);
  EXPECT_EQ(sent.days_left, 0);
  EXPECT_TRUE(sent.urgent);

  // Saturday and Sunday: no working day has gone by, but the deadline has.
  for (const absl::CivilDay day : {D(2026, 11, 14), D(2026, 11, 15), D(2026, 11, 16)}) {
    sent = RungSentOn(due, day, policy_, cal());
    EXPECT_EQ(sent.id, "due:2026-11-13:-1") << day;
    EXPECT_EQ(sent.kind, RungKind::kOverdue) << day;
    EXPECT_EQ(sent.deadline, D(2026, 11, 13)) << day;
    EXPECT_EQ(sent.days_left, -1) << day;
    EXPECT_TRUE(sent.urgent) << day;
    EXPECT_FALSE(sent.escalation) << day;
  }
  // Escalated from the policy's third working day overdue, like the overdue rungs.
  sent = RungSentOn(due, D(2026, 11, 18), policy_, cal());
  EXPECT_EQ(sent.days_left, -3);
  EXPECT_TRUE(sent.escalation);

  Rung post = due;
  post.id = "postlaunch:2026-11-13:-1";
  post.kind = RungKind::kPostLaunch;
  sent = RungSentOn(post, D(2026, 11, 17), policy_, cal());
  EXPECT_EQ(sent.kind, RungKind::kOverdue);
  EXPECT_EQ(sent.days_left, -2);
  EXPECT_EQ(sent.id, "postlaunch:2026-11-13:-1");

  // A passed latest start is not an overdue item: the start rung says how long ago it was.
  Rung start = due;
  start.id = "start:2026-11-13:-0";
  start.kind = RungKind::kBeforeStart;
  start.days_left = 0;
  sent = RungSentOn(start, D(2026, 11, 14), policy_, cal());
  EXPECT_EQ(sent.kind, RungKind::kBeforeStart);
  EXPECT_EQ(sent.days_left, -1);
  EXPECT_TRUE(sent.urgent);

  // Renewals count calendar days and keep their kind after the expiry.
  Rung renewal = due;
  renewal.id = "renewal:2026-11-13:-7";
  renewal.kind = RungKind::kRenewal;
  renewal.days_left = 7;
  sent = RungSentOn(renewal, D(2026, 11, 15), policy_, cal());
  EXPECT_EQ(sent.kind, RungKind::kRenewal);
  EXPECT_EQ(sent.days_left, -2);
  EXPECT_TRUE(sent.urgent);
}

TEST_F(LadderTest, NextSendableTimeDefersNeverDrops) {
  const absl::TimeZone sh = Shanghai();
  auto next = [&](absl::Time t) { return NextSendableTime(t, sh, policy_, cal(), false); };
  // Working-day daytime, and the window's exact end: unchanged.
  EXPECT_EQ(next(At(sh, 2026, 12, 8, 12, 0)), At(sh, 2026, 12, 8, 12, 0));
  EXPECT_EQ(next(At(sh, 2026, 12, 8, 8, 30)), At(sh, 2026, 12, 8, 8, 30));
  EXPECT_EQ(next(At(sh, 2026, 12, 8, 20, 59)), At(sh, 2026, 12, 8, 20, 59));
  // Morning part of the window: its end the same day.
  EXPECT_EQ(next(At(sh, 2026, 12, 8, 3, 0)), At(sh, 2026, 12, 8, 8, 30));
  // Evening part, from its exact start: the next morning.
  EXPECT_EQ(next(At(sh, 2026, 12, 8, 21, 0)), At(sh, 2026, 12, 9, 8, 30));
  // Friday night: the weekend is quiet, so Monday morning.
  EXPECT_EQ(next(At(sh, 2026, 12, 11, 23, 0)), At(sh, 2026, 12, 14, 8, 30));
  // Saturday noon: Monday morning.
  EXPECT_EQ(next(At(sh, 2026, 12, 12, 12, 0)), At(sh, 2026, 12, 14, 8, 30));
  // Eve of National Day: after the whole holiday, Oct 8.
  EXPECT_EQ(next(At(sh, 2026, 9, 30, 22, 0)), At(sh, 2026, 10, 8, 8, 30));
  // A make-up Saturday is a working day.
  EXPECT_EQ(next(At(sh, 2026, 10, 10, 12, 0)), At(sh, 2026, 10, 10, 12, 0));
  // Urgent rungs wait too unless the policy lets them through.
  EXPECT_EQ(NextSendableTime(At(sh, 2026, 12, 8, 23, 0), sh, policy_, cal(), true),
            At(sh, 2026, 12, 9, 8, 30));
  policy_.urgent_overrides = true;
  EXPECT_EQ(NextSendableTime(At(sh, 2026, 12, 8, 23, 0), sh, policy_, cal(), true),
            At(sh, 2026, 12, 8, 23, 0));
  EXPECT_EQ(NextSendableTime(At(sh, 2026, 12, 8, 23, 0), sh, policy_, cal(), false),
            At(sh, 2026, 12, 9, 8, 30));
}

TEST_F(LadderTest, NextSendableTimeOtherWindows) {
  const absl::TimeZone sh = Shanghai();
  // A window within one day.
  policy_.quiet_start_minute = 12 * 60;
  policy_.quiet_end_minute = 13 * 60 + 15;
  EXPECT_EQ(NextSendableTime(At(sh, 2026, 12, 8, 12, 40), sh, policy_, cal(), false),
            At(sh, 2026, 12, 8, 13, 15));
  EXPECT_EQ(NextSendableTime(At(sh, 2026, 12, 8, 23, 0), sh, policy_, cal(), false),
            At(sh, 2026, 12, 8, 23, 0));
  // Non-working days quiet, no window left in the morning: start of the next working day.
  EXPECT_EQ(NextSendableTime(At(sh, 2026, 12, 12, 9, 0), sh, policy_, cal(), false),
            At(sh, 2026, 12, 14, 0, 0));
  // Non-working days not quiet: a Saturday is fine.
  policy_.quiet_non_working_days = false;
  EXPECT_EQ(NextSendableTime(At(sh, 2026, 12, 12, 9, 0), sh, policy_, cal(), false),
            At(sh, 2026, 12, 12, 9, 0));
  // No quiet hours at all.
  policy_.quiet_start_minute.reset();
  policy_.quiet_end_minute.reset();
  EXPECT_EQ(NextSendableTime(At(sh, 2026, 12, 12, 23, 0), sh, policy_, cal(), false),
            At(sh, 2026, 12, 12, 23, 0));
}

// Across the night DST starts the deferral lands on 08:30 local, 9.5 real hours later, not on a
// time computed by adding a fixed day.
TEST_F(LadderTest, NextSendableTimeAcrossDaylightSavingSwitch) {
  const absl::TimeZone ny = NewYork();
  const absl::TimeZone utc = absl::UTCTimeZone();
  // Saturday Mar 7 23:00 EST: the weekend is quiet; Monday Mar 9 08:30 EDT.
  EXPECT_EQ(NextSendableTime(At(ny, 2026, 3, 7, 23, 0), ny, policy_, cal(), false),
            At(utc, 2026, 3, 9, 12, 30));
  policy_.quiet_non_working_days = false;
  const absl::Time evening = At(ny, 2026, 3, 7, 22, 0);
  const absl::Time morning = NextSendableTime(evening, ny, policy_, cal(), false);
  EXPECT_EQ(morning, At(utc, 2026, 3, 8, 12, 30));
  EXPECT_EQ(morning - evening, absl::Hours(9) + absl::Minutes(30));
  // And back: Saturday Oct 31 22:00 EDT to Sunday Nov 1 08:30 EST is 11.5 hours.
  const absl::Time fall_evening = At(ny, 2026, 10, 31, 22, 0);
  EXPECT_EQ(NextSendableTime(fall_evening, ny, policy_, cal(), false) - fall_evening,
            absl::Hours(11) + absl::Minutes(30));
}

// WeChat verification expiring Wed 2026-11-04: 90, 60, 30 and 7 calendar days before are
// Thu Aug 6, Sat Sep 5 (-> Fri Sep 4), Mon Oct 5 (National Day -> Wed Sep 30) and Wed Oct 28.
TEST_F(LadderTest, RenewalsMoveBackToAWorkingDay) {
  ItemInfo item = Item("MP_VERIFY");
  item.status = "APPROVED";
  item.done = true;
  item.started = true;
  item.due = D(2025, 11, 1);  // done: no due or overdue rungs
  item.expiry = D(2026, 11, 4);
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> rungs =
      Plan(Launch(), item, At(sh, 2026, 1, 1, 0, 0), At(sh, 2027, 1, 1, 0, 0));
  EXPECT_THAT(Sends(rungs, sh), ElementsAre("renewal:2026-11-04:-90 @ 2026-08-06 09:30+08:00",
                                            "renewal:2026-11-04:-60 @ 2026-09-04 09:30+08:00",
                                            "renewal:2026-11-04:-30 @ 2026-09-30 09:30+08:00",
                                            "renewal:2026-11-04:-7 @ 2026-10-28 09:30+08:00"));
  const Rung* moved = Find(rungs, "renewal:2026-11-04:-30");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->kind, RungKind::kRenewal);
  EXPECT_EQ(moved->days_left, 35);  // calendar days from Sep 30
  EXPECT_EQ(Find(rungs, "renewal:2026-11-04:-60")->days_left, 61);
  EXPECT_FALSE(moved->urgent);

  // Only approved qualifications are renewed.
  item.status = "SUBMITTED";
  item.done = false;
  item.due.reset();
  EXPECT_THAT(Plan(Launch(), item, At(sh, 2026, 1, 1, 0, 0), At(sh, 2027, 1, 1, 0, 0)), IsEmpty());
}

// A 47-day HTTPS certificate approved Fri 2026-11-06 expires Wed 2026-12-23. Its template
// reminds 30, 14 and 7 days ahead: Mon Nov 23, Wed Dec 9 and Wed Dec 16.
TEST_F(LadderTest, RenewalsUseTheItemsDaysAndNeverPrecedeTheApproval) {
  ItemInfo item = Item("TLS_CERT");
  item.status = "APPROVED";
  item.done = true;
  item.started = true;
  item.expiry = D(2026, 12, 23);
  item.approved = D(2026, 11, 6);
  item.renewal_days = {30, 14, 7};
  const absl::TimeZone sh = Shanghai();
  const absl::Time from = At(sh, 2026, 1, 1, 0, 0);
  const absl::Time to = At(sh, 2027, 1, 1, 0, 0);
  std::vector<Rung> rungs = Plan(Launch(), item, from, to);
  EXPECT_THAT(Sends(rungs, sh), ElementsAre("renewal:2026-12-23:-30 @ 2026-11-23 09:30+08:00",
                                            "renewal:2026-12-23:-14 @ 2026-12-09 09:30+08:00",
                                            "renewal:2026-12-23:-7 @ 2026-12-16 09:30+08:00"));
  ASSERT_FALSE(rungs.empty());
  EXPECT_EQ(rungs[0].kind, RungKind::kRenewal);
  EXPECT_EQ(rungs[0].days_left, 30);

  // Days from the policy keep their ids; 90 (Thu Sep 24) and 60 (Sat Oct 24 -> Fri Oct 23) days
  // before come before the approval and are never planned.
  item.renewal_days.clear();
  EXPECT_THAT(Sends(Plan(Launch(), item, from, to), sh),
              ElementsAre("renewal:2026-12-23:-30 @ 2026-11-23 09:30+08:00",
                          "renewal:2026-12-23:-7 @ 2026-12-16 09:30+08:00"));

  // A rung on the approval day itself is not before it.
  item.renewal_days = {30, 14, 7};
  item.approved = D(2026, 11, 23);
  EXPECT_THAT(Sends(Plan(Launch(), item, from, to), sh),
              ElementsAre("renewal:2026-12-23:-30 @ 2026-11-23 09:30+08:00",
                          "renewal:2026-12-23:-14 @ 2026-12-09 09:30+08:00",
                          "renewal:2026-12-23:-7 @ 2026-12-16 09:30+08:00"));
  item.approved = D(2026, 11, 24);
  EXPECT_THAT(Sends(Plan(Launch(), item, from, to), sh),
              ElementsAre("renewal:2026-12-23:-14 @ 2026-12-09 09:30+08:00",
                          "renewal:2026-12-23:-7 @ 2026-12-16 09:30+08:00"));

  // No approval day known (an older checklist): the whole ladder, as before.
  item.approved.reset();
  item.renewal_days.clear();
  EXPECT_THAT(Sends(Plan(Launch(), item, from, to), sh),
              ElementsAre("renewal:2026-12-23:-90 @ 2026-09-24 09:30+08:00",
                          "renewal:2026-12-23:-60 @ 2026-10-23 09:30+08:00",
                          "renewal:2026-12-23:-30 @ 2026-11-23 09:30+08:00",
                          "renewal:2026-12-23:-7 @ 2026-12-16 09:30+08:00"));
}

// Catch-up right after the approval: nothing was missed, so nothing is sent.
TEST_F(LadderTest, CatchUpAtTheApprovalOfAShortLivedCertificateSendsNothing) {
  ItemInfo item = Item("TLS_CERT");
  item.status = "APPROVED";
  item.done = true;
  item.started = true;
  item.expiry = D(2026, 12, 23);
  item.approved = D(2026, 11, 6);
  item.renewal_days = {30, 14, 7};
  const absl::TimeZone sh = Shanghai();
  const absl::Time now = At(sh, 2026, 11, 6, 15, 0);
  const CatchUp catch_up =
      ChooseCatchUp(Plan(Launch(), item, now - policy_.catch_up_window, now), now, policy_);
  EXPECT_FALSE(catch_up.send.has_value());
  EXPECT_THAT(catch_up.skipped, IsEmpty());
}

TEST_F(LadderTest, OverdueEscalationWithEveryOtherDay) {
  policy_.overdue_every_working_days = 2;
  policy_.escalate_after_working_days = 3;
  ItemInfo item = Item("BIZ");
  item.due = D(2026, 12, 1);  // Tuesday
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> rungs =
      Plan(Launch(), item, At(sh, 2026, 12, 2, 0, 0), At(sh, 2026, 12, 12, 0, 0));
  EXPECT_THAT(Sends(rungs, sh), ElementsAre("overdue:2026-12-01:+2 @ 2026-12-03 09:30+08:00",
                                            "overdue:2026-12-01:+4 @ 2026-12-07 09:30+08:00",
                                            "overdue:2026-12-01:+6 @ 2026-12-09 09:30+08:00",
                                            "overdue:2026-12-01:+8 @ 2026-12-11 09:30+08:00"));
  EXPECT_FALSE(rungs[0].escalation);
  EXPECT_TRUE(rungs[1].escalation);
  EXPECT_TRUE(rungs[3].escalation);

  // 0 never escalates.
  policy_.escalate_after_working_days = 0;
  for (const Rung& rung :
       Plan(Launch(), item, At(sh, 2026, 12, 2, 0, 0), At(sh, 2026, 12, 31, 0, 0))) {
    EXPECT_FALSE(rung.escalation) << rung.id;
  }
}

TEST_F(LadderTest, StartedAndDoneStopRungs) {
  ItemInfo item = Item("ICP_FILING");
  item.latest_start = D(2026, 9, 23);
  item.due = D(2026, 10, 12);
  item.expiry = D(2026, 12, 1);
  const absl::TimeZone sh = Shanghai();
  const absl::Time from = At(sh, 2026, 9, 1, 0, 0);
  const absl::Time to = At(sh, 2026, 10, 14, 0, 0);

  item.started = true;
  item.status = "IN_PROGRESS";
  EXPECT_THAT(Sends(Plan(Launch(), item, from, to), sh),
              ElementsAre("due:2026-10-12:-7 @ 2026-09-24 09:30+08:00",
                          "due:2026-10-12:-3 @ 2026-10-08 09:30+08:00",
                          "due:2026-10-12:-1 @ 2026-10-10 09:30+08:00",
                          "overdue:2026-10-12:+1 @ 2026-10-13 09:30+08:00"));

  // Done but not approved (waived): nothing at all, renewals included.
  item.done = true;
  item.status = "WAIVED";
  EXPECT_THAT(Plan(Launch(), item, from, At(sh, 2027, 1, 1, 0, 0)), IsEmpty());

  // Done without started (approved straight away): still no start rungs.
  item.started = false;
  item.status = "APPROVED";
  EXPECT_THAT(Sends(Plan(Launch(), item, from, to), sh),
              ElementsAre("renewal:2026-12-01:-90 @ 2026-09-02 09:30+08:00",
                          // Oct 2 is National Day -> Sep 30.
                          "renewal:2026-12-01:-60 @ 2026-09-30 09:30+08:00"));
}

// The public-security filing is due 30 days after go-live (Fri Nov 20 for Oct 21).
TEST_F(LadderTest, PostLaunchRungs) {
  ItemInfo item = Item("PSB_FILING");
  item.due = D(2026, 11, 20);
  item.post_launch = true;
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> rungs =
      Plan(Launch(), item, At(sh, 2026, 10, 21, 0, 0), At(sh, 2026, 11, 24, 0, 0));
  EXPECT_THAT(Sends(rungs, sh), ElementsAre("postlaunch:2026-11-20:-10 @ 2026-11-06 09:30+08:00",
                                            "postlaunch:2026-11-20:-3 @ 2026-11-17 09:30+08:00",
                                            "postlaunch:2026-11-20:-1 @ 2026-11-19 09:30+08:00",
                                            "overdue:2026-11-20:+1 @ 2026-11-23 09:30+08:00"));
  EXPECT_EQ(rungs[0].kind, RungKind::kPostLaunch);
  EXPECT_EQ(rungs[0].days_left, 10);
  EXPECT_EQ(rungs[3].kind, RungKind::kOverdue);
}

TEST_F(LadderTest, WindowIsHalfOpenAndOrdered) {
  ItemInfo item = Item("ICP_FILING");
  item.due = D(2026, 10, 12);
  const absl::TimeZone sh = Shanghai();
  // [Oct 8 09:30, Oct 13 09:30): the first rung is in, the last one out.
  EXPECT_THAT(
      Sends(Plan(Launch(), item, At(sh, 2026, 10, 8, 9, 30), At(sh, 2026, 10, 13, 9, 30)), sh),
      ElementsAre("due:2026-10-12:-3 @ 2026-10-08 09:30+08:00",
                  "due:2026-10-12:-1 @ 2026-10-10 09:30+08:00"));
  EXPECT_THAT(Plan(Launch(), item, At(sh, 2026, 10, 13, 0, 0), At(sh, 2026, 10, 13, 0, 0)),
              IsEmpty());
  // Two items' rungs at the same time are ordered by id when merged by the caller; within one
  // item, two rungs on one day (start -0 and due -3 here) come out ordered by id.
  item.latest_start = D(2026, 10, 8);
  EXPECT_THAT(Sends(Plan(Launch(), item, At(sh, 2026, 10, 8, 0, 0), At(sh, 2026, 10, 9, 0, 0)), sh),
              ElementsAre("due:2026-10-12:-3 @ 2026-10-08 09:30+08:00",
                          "start:2026-10-08:-0 @ 2026-10-08 09:30+08:00"));
}

// A fake clock jumping a week (or three) at a time across holidays, make-up days and month ends
// sees exactly the rungs one long window sees, each once.
TEST_F(LadderTest, ClockJumpingWeeksSeesEveryRungOnce) {
  ItemInfo item = Item("ICP_FILING");
  item.latest_start = D(2026, 9, 23);
  item.due = D(2026, 10, 12);
  ItemInfo psb = Item("PSB_FILING");
  psb.due = D(2026, 11, 20);
  psb.post_launch = true;
  const absl::TimeZone sh = Shanghai();
  const absl::Time start = At(sh, 2026, 9, 1, 0, 0);
  const absl::Time end = At(sh, 2026, 12, 1, 0, 0);

  for (const ItemInfo& it : {item, psb}) {
    for (absl::Duration jump : {absl::Hours(24 * 7), absl::Hours(24 * 21) + absl::Minutes(7)}) {
      FakeClock clock(start);
      std::vector<std::string> seen;
      absl::Time last = clock.Now();
      while (last < end) {
        clock.AdvanceTime(jump);
        const absl::Time now = std::min(clock.Now(), end);
        for (const Rung& rung : Plan(Launch(), it, last, now)) seen.push_back(Send(rung, sh));
        last = now;
      }
      EXPECT_EQ(seen, Sends(Plan(Launch(), it, start, end), sh)) << it.code;
    }
  }
}

// The whole mix at once: a New York launch on the mainland calendar, a send time inside quiet
// hours, Spring Festival with its make-up Saturday, the February month end, the DST switch on
// March 8, and overdue rungs every 5 working days. A fake clock jumps a week at a time.
TEST_F(LadderTest, SimulatedWeeksAcrossHolidaysQuietHoursAndDaylightSaving) {
  policy_.send_minute_of_day = 22 * 60;
  policy_.overdue_every_working_days = 5;
  policy_.escalate_after_working_days = 10;
  const LaunchInfo launch = Launch("America/New_York");
  ItemInfo item = Item("MP_VERIFY");
  item.latest_start = D(2026, 2, 25);
  item.due = D(2026, 3, 12);
  const absl::TimeZone ny = NewYork();
  const absl::Time end = At(ny, 2026, 4, 1, 0, 0);

  FakeClock clock(At(ny, 2026, 2, 1, 0, 0));
  std::vector<Rung> sent;
  while (clock.Now() < end) {
    const absl::Time last = clock.Now();
    clock.AdvanceTime(absl::Hours(24 * 7));
    for (Rung& rung : Plan(launch, item, last, std::min(clock.Now(), end))) {
      sent.push_back(std::move(rung));
    }
  }
  EXPECT_THAT(Sends(sent, ny),
              ElementsAre(
                  // Fri Feb 13 22:00 is quiet; Saturday Feb 14 is a make-up working day.
                  "start:2026-02-25:-3 @ 2026-02-14 08:30-05:00",
                  "start:2026-02-25:-0 @ 2026-02-26 08:30-05:00",
                  "due:2026-03-12:-7 @ 2026-03-04 08:30-05:00",
                  // After the switch to daylight time: still 08:30 local.
                  "due:2026-03-12:-3 @ 2026-03-10 08:30-04:00",
                  "due:2026-03-12:-1 @ 2026-03-12 08:30-04:00",
                  "overdue:2026-03-12:+5 @ 2026-03-20 08:30-04:00",
                  "overdue:2026-03-12:+10 @ 2026-03-27 08:30-04:00"));
  EXPECT_EQ(sent[0].days_left, 2);  // Feb 24 and 25 remain after Feb 14
  EXPECT_FALSE(sent[0].urgent);
  EXPECT_EQ(sent[1].days_left, -1);  // pushed past the latest start
  EXPECT_TRUE(sent[1].urgent);
  EXPECT_EQ(sent[4].days_left, 0);
  EXPECT_TRUE(sent[4].urgent);
  EXPECT_FALSE(sent[5].escalation);
  EXPECT_TRUE(sent[6].escalation);
}

// Overdue is unbounded: a year of daily rungs for an item due long ago, computed quickly.
TEST_F(LadderTest, AYearOfOverdueRungsIsQuick) {
  ItemInfo item = Item("CLOUD_RN");
  item.due = D(2024, 1, 10);
  const absl::TimeZone sh = Shanghai();
  const absl::Time started = absl::Now();
  const std::vector<Rung> rungs =
      Plan(Launch(), item, At(sh, 2026, 1, 1, 0, 0), At(sh, 2027, 1, 1, 0, 0));
  const absl::Duration took = absl::Now() - started;
  EXPECT_LT(took, absl::Seconds(2));

  // One rung per working day of 2026 (Jan 1-3 are off, Sunday Jan 4 is a make-up day).
  ASSERT_EQ(rungs.size(),
            static_cast<size_t>(cal().WorkingDaysBetween(D(2025, 12, 31), D(2026, 12, 31)).days));
  const int first_k = cal().WorkingDaysBetween(D(2024, 1, 10), D(2026, 1, 4)).days;
  EXPECT_EQ(Send(rungs.front(), sh),
            absl::StrCat("overdue:2024-01-10:+", first_k, " @ 2026-01-04 09:30+08:00"));
  EXPECT_EQ(Send(rungs.back(), sh),
            absl::StrCat("overdue:2024-01-10:+", first_k + static_cast<int>(rungs.size()) - 1,
                         " @ 2026-12-31 09:30+08:00"));
  for (size_t i = 1; i < rungs.size(); ++i) {
    ASSERT_LT(rungs[i - 1].send_time, rungs[i].send_time);
    ASSERT_EQ(rungs[i].days_left, rungs[i - 1].days_left - 1);
    ASSERT_TRUE(cal().IsWorkingDay(absl::ToCivilDay(rungs[i].send_time, sh)));
  }

  // An open-ended window ends at the ten-year horizon instead of running forever.
  const std::vector<Rung> open =
      Plan(Launch(), item, At(sh, 2026, 1, 1, 0, 0), absl::InfiniteFuture());
  EXPECT_GT(open.size(), 2000u);
  EXPECT_LE(absl::ToCivilDay(open.back().send_time, sh), D(2026, 1, 1) + 3660);
  EXPECT_GT(absl::ToCivilDay(open.back().send_time, sh), D(2035, 12, 31));
}

std::vector<Rung> RungsById(const std::vector<Rung>& all, const std::vector<std::string>& ids) {
  std::vector<Rung> picked;
  for (const std::string& id : ids) {
    const Rung* rung = Find(all, id);
    EXPECT_NE(rung, nullptr) << id;
    if (rung != nullptr) picked.push_back(*rung);
  }
  return picked;
}

std::vector<std::string> Ids(const std::vector<Rung>& rungs) {
  std::vector<std::string> ids;
  for (const Rung& rung : rungs) ids.push_back(rung.id);
  return ids;
}

// Down from Oct 7 to Oct 16 09:45: the due rungs and four overdue rungs were missed; only the
// most overdue (escalated) one is sent, marked late.
TEST_F(LadderTest, CatchUpSendsOnlyTheMostUrgent) {
  ItemInfo item = Item("ICP_FILING");
  item.due = D(2026, 10, 12);
  const absl::TimeZone sh = Shanghai();
  const absl::Time now = At(sh, 2026, 10, 16, 9, 45);
  std::vector<Rung> missed = Plan(Launch(), item, At(sh, 2026, 10, 7, 0, 0), now);
  ASSERT_EQ(Ids(missed),
            (std::vector<std::string>{"due:2026-10-12:-3", "due:2026-10-12:-1",
                                      "overdue:2026-10-12:+1", "overdue:2026-10-12:+2",
                                      "overdue:2026-10-12:+3", "overdue:2026-10-12:+4"}));
  CatchUp catch_up = ChooseCatchUp(missed, now, policy_);
  ASSERT_TRUE(catch_up.send.has_value());
  EXPECT_EQ(catch_up.send->id, "overdue:2026-10-12:+4");
  EXPECT_TRUE(catch_up.send->escalation);
  // Planned 09:30, sent 09:45: within late_after (60 min).
  EXPECT_FALSE(catch_up.late);
  EXPECT_THAT(Ids(catch_up.skipped),
              ElementsAre("due:2026-10-12:-3", "due:2026-10-12:-1", "overdue:2026-10-12:+1",
                          "overdue:2026-10-12:+2", "overdue:2026-10-12:+3"));

  // Back only at 11:00: the same choice, now late.
  catch_up = ChooseCatchUp(missed, At(sh, 2026, 10, 16, 11, 0), policy_);
  EXPECT_EQ(catch_up.send->id, "overdue:2026-10-12:+4");
  EXPECT_TRUE(catch_up.late);
  // Exactly late_after is not late yet.
  EXPECT_FALSE(ChooseCatchUp(missed, At(sh, 2026, 10, 16, 10, 30), policy_).late);
}

TEST_F(LadderTest, CatchUpRanksKindsThenDeadlines) {
  ItemInfo item = Item("ICP_FILING");
  item.latest_start = D(2026, 9, 23);
  item.due = D(2026, 10, 12);
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> all =
      Plan(Launch(), item, At(sh, 2026, 9, 1, 0, 0), At(sh, 2026, 10, 16, 0, 0));
  const absl::Time now = At(sh, 2026, 10, 16, 9, 0);

  // Due beats start even when the start rung is more recent.
  CatchUp catch_up = ChooseCatchUp(RungsById(all, {"start:2026-09-23:-0", "due:2026-10-12:-7"}),
                                   At(sh, 2026, 9, 25, 9, 0), policy_);
  EXPECT_EQ(catch_up.send->id, "due:2026-10-12:-7");
  EXPECT_TRUE(catch_up.late);
  EXPECT_THAT(Ids(catch_up.skipped), ElementsAre("start:2026-09-23:-0"));

  // Among due rungs, the fewest days left wins.
  catch_up =
      ChooseCatchUp(RungsById(all, {"due:2026-10-12:-1", "due:2026-10-12:-7", "due:2026-10-12:-3"}),
                    now, policy_);
  EXPECT_EQ(catch_up.send->id, "due:2026-10-12:-1");

  // Overdue beats everything.
  catch_up =
      ChooseCatchUp(RungsById(all, {"due:2026-10-12:-1", "overdue:2026-10-12:+1"}), now, policy_);
  EXPECT_EQ(catch_up.send->id, "overdue:2026-10-12:+1");

  // Of two items' due rungs, the nearer deadline wins.
  Rung other = *Find(all, "due:2026-10-12:-3");
  other.id = "due:2026-10-09:-1";
  other.deadline = D(2026, 10, 9);
  other.days_left = 1;
  catch_up = ChooseCatchUp({*Find(all, "due:2026-10-12:-1"), other}, now, policy_);
  EXPECT_EQ(catch_up.send->id, "due:2026-10-09:-1");
}

TEST_F(LadderTest, CatchUpWindowAndFutureRungs) {
  ItemInfo item = Item("ICP_FILING");
  item.latest_start = D(2026, 9, 23);
  item.due = D(2026, 10, 12);
  const absl::TimeZone sh = Shanghai();
  const std::vector<Rung> all =
      Plan(Launch(), item, At(sh, 2026, 9, 1, 0, 0), At(sh, 2026, 10, 16, 0, 0));
  policy_.catch_up_window = absl::Hours(24 * 10);
  // Now Oct 9 12:00: start rungs (Sep 20, 23) are older than 10 days: skipped; due -7 (Sep 24)
  // is 15 days old: skipped; due -3 (Oct 8) is the one; due -1 (Oct 10) is not due yet.
  const CatchUp catch_up = ChooseCatchUp(all, At(sh, 2026, 10, 9, 12, 0), policy_);
  ASSERT_TRUE(catch_up.send.has_value());
  EXPECT_EQ(catch_up.send->id, "due:2026-10-12:-3");
  EXPECT_TRUE(catch_up.late);
  EXPECT_THAT(Ids(catch_up.skipped),
              ElementsAre("start:2026-09-23:-3", "start:2026-09-23:-0", "due:2026-10-12:-7"));

  // Everything older than the window: nothing to send, all skipped.
  const CatchUp stale =
      ChooseCatchUp(RungsById(all, {"start:2026-09-23:-3"}), At(sh, 2026, 10, 30, 9, 0), policy_);
  EXPECT_FALSE(stale.send.has_value());
  EXPECT_THAT(Ids(stale.skipped), ElementsAre("start:2026-09-23:-3"));
  EXPECT_FALSE(ChooseCatchUp({}, At(sh, 2026, 10, 30, 9, 0), policy_).send.has_value());
}

// The catch-up for an item first seen the morning after its due date, before the first overdue
// rung: the last before-due rung is chosen and, sent on that day, is an overdue reminder.
TEST_F(LadderTest, CatchUpOfAnItemCreatedOverdue) {
  ItemInfo item = Item("ICP_FILING");
  item.due = D(2026, 11, 11);
  const absl::TimeZone sh = Shanghai();
  const absl::Time now = At(sh, 2026, 11, 12, 9, 0);
  const std::vector<Rung> missed = Plan(Launch(), item, now - policy_.catch_up_window, now);
  ASSERT_EQ(Ids(missed), (std::vector<std::string>{"due:2026-11-11:-7", "due:2026-11-11:-3",
                                                   "due:2026-11-11:-1"}));
  const CatchUp catch_up = ChooseCatchUp(missed, now, policy_);
  ASSERT_TRUE(catch_up.send.has_value());
  EXPECT_EQ(catch_up.send->id, "due:2026-11-11:-1");
  EXPECT_TRUE(catch_up.late);
  const Rung sent = RungSentOn(*catch_up.send, absl::ToCivilDay(now, sh), policy_, cal());
  EXPECT_EQ(sent.id, "due:2026-11-11:-1");
  EXPECT_EQ(sent.kind, RungKind::kOverdue);
  EXPECT_EQ(sent.days_left, -1);
  EXPECT_TRUE(sent.urgent);
}

}  // namespace
}  // namespace preflight::notifier
