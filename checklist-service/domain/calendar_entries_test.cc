#include "checklist-service/domain/calendar_entries.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// Monday to Friday only: alarm days are easy to count by hand.
const WorkingCalendar kWeekdays;

Item MakeItem(const std::string& code, ItemStatus status) {
  Item item;
  item.launch_id = "L1";
  item.code = code;
  item.title_en = "Mini program filing";
  item.title_zh = "小程序备案";
  item.status = status;
  item.version = 2;
  item.update_time = absl::FromUnixSeconds(1700000000);
  return item;
}

LaunchState Launch(std::vector<Item> items) {
  LaunchState state;
  state.launch.id = "L1";
  state.launch.tenant = "acme";
  state.launch.display_name = "Shop";
  state.launch.target_launch_date = absl::CivilDay(2026, 12, 15);
  state.launch.time_zone = "Asia/Shanghai";
  state.launch.version = 4;
  state.launch.update_time = absl::FromUnixSeconds(1600000000);
  state.items = std::move(items);
  return state;
}

// A launch's entries, read whole: its items are all it has.
std::vector<CalendarEntry> EntriesOf(const LaunchState& state, const ReminderLadder& ladder,
                                     const WorkingCalendar& calendar) {
  return CalendarEntriesOfLaunch(state, state.ItemsVersion(), ladder, calendar);
}

LaunchRead Read(const LaunchState& state) { return {state, state.ItemsVersion()}; }

std::vector<std::string> Uids(const std::vector<CalendarEntry>& entries) {
  std::vector<std::string> uids;
  for (const CalendarEntry& entry : entries) uids.push_back(entry.uid);
  return uids;
}

TEST(CalendarEntriesTest, AnItemNotStartedHasItsLatestStartAndItsDueDate) {
  Item item = MakeItem("MP_FILING", ItemStatus::kNotStarted);
  item.assignee = "li.na";
  item.schedule.latest_start = absl::CivilDay(2026, 11, 2);    // a Monday
  item.schedule.latest_finish = absl::CivilDay(2026, 11, 20);  // a Friday
  item.schedule.critical = true;
  const std::vector<CalendarEntry> entries = EntriesOf(Launch({item}), ReminderLadder{}, kWeekdays);
  ASSERT_THAT(Uids(entries),
              ElementsAre("L1.MP_FILING.start@preflight", "L1.MP_FILING.due@preflight"));
  EXPECT_EQ(entries[0].date, absl::CivilDay(2026, 11, 2));
  EXPECT_EQ(entries[0].kind, CalendarEntryKind::kLatestStart);
  EXPECT_EQ(entries[0].summary_en, "Start by: Mini program filing (MP_FILING)");
  EXPECT_EQ(entries[0].summary_zh, "最晚开始：小程序备案");
  EXPECT_EQ(entries[1].date, absl::CivilDay(2026, 11, 20));
  EXPECT_EQ(entries[1].summary_zh, "截止：小程序备案");
  // launch.version 4 + the item's version 2.
  EXPECT_EQ(entries[0].sequence, 6);
  EXPECT_EQ(entries[1].sequence, 6);
  EXPECT_EQ(entries[0].last_modified, absl::FromUnixSeconds(1700000000));
  EXPECT_THAT(
      entries[1].description,
      ElementsAre("Launch: Shop (launches/L1)", "Item: MP_FILING Mini program filing / 小程序备案",
                  "Status: NOT_STARTED", "Assignee: li.na",
                  "Why: the latest finish that keeps the target launch date",
                  "On the critical path"));
}

TEST(CalendarEntriesTest, AlarmsFollowTheLadderInWorkingDays) {
  Item item = MakeItem("MP_FILING", ItemStatus::kNotStarted);
  item.schedule.latest_start = absl::CivilDay(2026, 11, 2);    // Monday
  item.schedule.latest_finish = absl::CivilDay(2026, 11, 20);  // Friday
  const std::vector<CalendarEntry> entries = EntriesOf(Launch({item}), ReminderLadder{}, kWeekdays);
  ASSERT_EQ(entries.size(), 2u);
  // Start: 3 working days before Monday is the Wednesday before (5 calendar days), and the day.
  EXPECT_THAT(entries[0].alarm_days_before, ElementsAre(5, 0));
  // Due: 7, 3 and 1 working days before a Friday are 9, 3 and 1 calendar days.
  EXPECT_THAT(entries[1].alarm_days_before, ElementsAre(9, 3, 1));
}

TEST(CalendarEntriesTest, StartedWorkHasNoStartEntryAndDoneWorkNoDueEntry) {
  Item started = MakeItem("ICP_FILING", ItemStatus::kInProgress);
  started.schedule.latest_start = absl::CivilDay(2026, 10, 1);
  started.schedule.latest_finish = absl::CivilDay(2026, 11, 2);
  Item approved = MakeItem("DOMAIN", ItemStatus::kApproved);
  approved.schedule.latest_start = absl::CivilDay(2026, 10, 1);
  approved.schedule.latest_finish = absl::CivilDay(2026, 10, 2);
  Item not_applicable = MakeItem("WXPAY_MCH", ItemStatus::kNotApplicable);
  not_applicable.expiry_date = absl::CivilDay(2027, 1, 1);
  not_applicable.schedule.latest_finish = absl::CivilDay(2026, 10, 2);
  EXPECT_THAT(
      Uids(EntriesOf(Launch({started, approved, not_applicable}), ReminderLadder{}, kWeekdays)),
      ElementsAre("L1.ICP_FILING.due@preflight"));
}

TEST(CalendarEntriesTest, AnExpiryComesWithItsRenewalAndTheirAlarms) {
  Item verified = MakeItem("MP_VERIFY", ItemStatus::kApproved);
  verified.expiry_date = absl::CivilDay(2027, 11, 20);
  ReminderLadder ladder;
  ladder.renewal_calendar_days = {90, 60, 30, 7};
  std::vector<CalendarEntry> entries = EntriesOf(Launch({verified}), ladder, kWeekdays);
  ASSERT_THAT(Uids(entries),
              ElementsAre("L1.MP_VERIFY.renewal@preflight", "L1.MP_VERIFY.expiry@preflight"));
  EXPECT_EQ(entries[0].date, absl::CivilDay(2027, 11, 20) - 90);
  EXPECT_THAT(entries[0].alarm_days_before, ElementsAre(0));
  EXPECT_THAT(entries[0].description, testing::Contains(HasSubstr("renew 90 days before")));
  EXPECT_EQ(entries[1].date, absl::CivilDay(2027, 11, 20));
  EXPECT_THAT(entries[1].alarm_days_before, ElementsAre(90, 60, 30, 7));

  // The item's own reminder days win over the policy's.
  verified.renewal_reminder_days = {30, 14};
  entries = EntriesOf(Launch({verified}), ladder, kWeekdays);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].date, absl::CivilDay(2027, 11, 20) - 30);
  EXPECT_THAT(entries[1].alarm_days_before, ElementsAre(30, 14));
}

TEST(CalendarEntriesTest, WorkDueAfterGoingLiveIsAPostLaunchDeadline) {
  Item psb = MakeItem("PSB_FILING", ItemStatus::kNotStarted);
  psb.deadline.anchor = DeadlineAnchor::kAfterGoLive;
  psb.deadline.days = 30;
  psb.schedule.latest_finish = absl::CivilDay(2027, 1, 14);  // Thursday
  const std::vector<CalendarEntry> entries = EntriesOf(Launch({psb}), ReminderLadder{}, kWeekdays);
  ASSERT_THAT(Uids(entries), ElementsAre("L1.PSB_FILING.deadline@preflight"));
  EXPECT_EQ(entries[0].kind, CalendarEntryKind::kPostLaunchDeadline);
  // 10, 3, 1 working days before a Thursday: 14, 3 and 1 calendar days.
  EXPECT_THAT(entries[0].alarm_days_before, ElementsAre(14, 3, 1));
  EXPECT_THAT(entries[0].description,
              testing::Contains("Why: due after going live (target 2026-12-15)"));
}

TEST(CalendarEntriesTest, AMovedDateKeepsItsUidAndRaisesTheSequence) {
  Item item = MakeItem("MP_FILING", ItemStatus::kNotStarted);
  item.schedule.latest_finish = absl::CivilDay(2026, 11, 20);
  const std::vector<CalendarEntry> before = EntriesOf(Launch({item}), ReminderLadder{}, kWeekdays);
  LaunchState moved = Launch({item});
  moved.launch.version += 1;  // the target date changed
  moved.items[0].schedule.latest_finish = absl::CivilDay(2026, 12, 4);
  const std::vector<CalendarEntry> after = EntriesOf(moved, ReminderLadder{}, kWeekdays);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(before[0].uid, after[0].uid);
  EXPECT_GT(after[0].sequence, before[0].sequence);
  EXPECT_EQ(after[0].date, absl::CivilDay(2026, 12, 4));
}

TEST(CalendarEntriesTest, AnAssigneesCalendarMixesLaunchesAndNamesThem) {
  Item mine = MakeItem("MP_FILING", ItemStatus::kNotStarted);
  mine.assignee = "li.na";
  mine.schedule.latest_finish = absl::CivilDay(2026, 11, 20);
  Item theirs = MakeItem("ICP_FILING", ItemStatus::kNotStarted);
  theirs.assignee = "wang.fang";
  theirs.schedule.latest_finish = absl::CivilDay(2026, 11, 2);
  LaunchState shop = Launch({mine, theirs});
  LaunchState game = Launch({mine});
  game.launch.id = "L2";
  game.launch.display_name = "Game";
  game.launch.time_zone = "Asia/Urumqi";
  game.items[0].launch_id = "L2";
  game.items[0].schedule.latest_finish = absl::CivilDay(2026, 10, 30);
  const CalendarView view =
      AssigneeCalendarView("acme", "li.na", {Read(shop), Read(game)}, ReminderLadder{}, kWeekdays);
  EXPECT_EQ(view.name, "li.na · acme · Preflight");
  EXPECT_EQ(view.time_zone, "Asia/Shanghai");
  ASSERT_THAT(Uids(view.entries),
              ElementsAre("L2.MP_FILING.due@preflight", "L1.MP_FILING.due@preflight"));
  EXPECT_EQ(view.entries[0].summary_en, "[Game] Due: Mini program filing (MP_FILING)");
  EXPECT_THAT(
      AssigneeCalendarView("acme", "nobody", {Read(shop)}, ReminderLadder{}, kWeekdays).entries,
      IsEmpty());
}

TEST(CalendarEntriesTest, TheLadderIsReadFromTheNotifiersPolicyFile) {
  absl::StatusOr<ReminderLadder> ladder =
      LoadReminderLadder("/nonexistent", PREFLIGHT_SOURCE_DIR "/data");
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  EXPECT_THAT(ladder->before_start_working_days, ElementsAre(3, 0));
  EXPECT_THAT(ladder->before_due_working_days, ElementsAre(7, 3, 1));
  EXPECT_THAT(ladder->post_launch_working_days, ElementsAre(10, 3, 1));
  EXPECT_THAT(ladder->renewal_calendar_days, ElementsAre(90, 60, 30, 7));
  EXPECT_EQ(ladder->send_minute_of_day, 9 * 60 + 30);
}

TEST(CalendarEntriesTest, ABadPolicyIsRefusedNamingTheField) {
  v1::ReminderPolicy policy;
  policy.set_send_time("9.30");
  EXPECT_THAT(ReminderLadderFromPolicy(policy).status().message(), HasSubstr("send_time"));
  policy.set_send_time("07:05");
  policy.add_before_due_working_days(-1);
  EXPECT_THAT(ReminderLadderFromPolicy(policy).status().message(),
              HasSubstr("before_due_working_days"));
  policy.clear_before_due_working_days();
  absl::StatusOr<ReminderLadder> ladder = ReminderLadderFromPolicy(policy);
  ASSERT_TRUE(ladder.ok());
  EXPECT_EQ(ladder->send_minute_of_day, 7 * 60 + 5);
}

TEST(CalendarEntriesTest, AnAssigneesEntriesCountEveryItemOfTheLaunchInTheirSequence) {
  // Another person's item changing can move this one's dates: SEQUENCE must rise with it.
  Item mine = MakeItem("MP_FILING", ItemStatus::kNotStarted);
  mine.assignee = "li.na";
  mine.schedule.latest_finish = absl::CivilDay(2026, 11, 2);
  LaunchState only_mine = Launch({mine});
  const int64_t all_items_version = only_mine.ItemsVersion() + 7;
  const CalendarView view = AssigneeCalendarView(
      "acme", "li.na", {LaunchRead{only_mine, all_items_version}}, ReminderLadder{}, kWeekdays);
  ASSERT_THAT(view.entries, SizeIs(1));
  EXPECT_EQ(view.entries[0].sequence, only_mine.launch.version + all_items_version);
}

}  // namespace
}  // namespace preflight::checklist
