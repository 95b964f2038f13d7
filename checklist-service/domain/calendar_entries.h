#pragma once

// Which entries a launch's calendar has: every dated item as one all-day entry per kind of date,
// with a stable id, a sequence that only grows, and alarms from the notifier's reminder ladder.
// Plain C++; checklist-service/calendar/ical_writer.h turns it into iCalendar text.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/model.h"
#include "common/working_calendar.h"
#include "preflight/v1/reminder_policy.pb.h"

namespace preflight::checklist {

// The "before" steps of the notifier's reminder policy (data/notifier/reminder_policy.textproto),
// which the calendar's alarms follow so that a calendar and the notifier remind on the same days.
struct ReminderLadder {
  std::vector<int> before_start_working_days = {3, 0};
  std::vector<int> before_due_working_days = {7, 3, 1};
  std::vector<int> post_launch_working_days = {10, 3, 1};
  std::vector<int> renewal_calendar_days = {90, 60, 30, 7};
  // The policy's send_time, in minutes after midnight of the launch's zone.
  int send_minute_of_day = 9 * 60 + 30;
};

// INVALID_ARGUMENT naming the field when send_time is not HH:MM or a step is negative.
absl::StatusOr<ReminderLadder> ReminderLadderFromPolicy(const v1::ReminderPolicy& policy);
// The policy file the notifier reads: DATA_DIR/notifier/reminder_policy.textproto when it exists,
// else BUILTIN_DIR/notifier/reminder_policy.textproto.
absl::StatusOr<ReminderLadder> LoadReminderLadder(const std::string& data_dir,
                                                  const std::string& builtin_dir);

enum class CalendarEntryKind {
  // The schedule's latest start (ItemSchedule.latest_start): "start X by".
  kLatestStart,
  // The latest finish that keeps the target date, or the item's fixed due date.
  kDue,
  // Work due after going live (deadline anchored on went-live, or yearly).
  kPostLaunchDeadline,
  // Item.expiry_date.
  kExpiry,
  // The first renewal reminder before the expiry (Item.renewal_reminder_days, else the ladder's).
  kRenewal,
};

// "start", "due", "deadline", "expiry", "renewal": the last part of an entry's UID.
absl::string_view CalendarEntryKindToken(CalendarEntryKind kind);

struct CalendarEntry {
  // "<launch-id>.<CODE>.<kind>@preflight": the same for the same date however it moves.
  std::string uid;
  std::string launch_id;
  std::string item_code;
  CalendarEntryKind kind = CalendarEntryKind::kDue;
  // All day, in the launch's zone.
  absl::CivilDay date;
  std::string summary_en;
  std::string summary_zh;
  // Status, assignee, why the date is what it is; one line each.
  std::vector<std::string> description;
  // launch.version + the sum of its items' versions: both only ever increase, and every change
  // of the launch or an item raises one, so a moved date comes with a higher SEQUENCE.
  int64_t sequence = 0;
  // The last change of the launch or of the item.
  absl::Time last_modified = absl::UnixEpoch();
  // Calendar days before `date` each alarm rings (at send_minute_of_day), largest first; 0 is
  // the day itself.
  std::vector<int> alarm_days_before;
};

struct CalendarView {
  // X-WR-CALNAME.
  std::string name;
  // The IANA zone the dates are in (X-WR-TIMEZONE).
  std::string time_zone;
  // The newest last_modified of the launches shown (DTSTAMP, Last-Modified).
  absl::Time last_modified = absl::UnixEpoch();
  int send_minute_of_day = 9 * 60 + 30;
  // By date, then UID.
  std::vector<CalendarEntry> entries;
};

// The entries of one launch, read with its items and schedules as of today. With a non-empty
// `only_assignee`, only items assigned to exactly that person, and summaries name the launch
// (the assignee's calendar mixes launches). SEQUENCE is the launch's version plus
// `items_version`, the sum of ALL its items' versions (LaunchRead::items_version): a state that
// holds only some items must pass it, since another item's change can move theirs.
std::vector<CalendarEntry> CalendarEntriesOfLaunch(const LaunchState& state, int64_t items_version,
                                                   const ReminderLadder& ladder,
                                                   const WorkingCalendar& calendar,
                                                   absl::string_view only_assignee = "");

// A launch's whole calendar.
CalendarView LaunchCalendarView(const LaunchState& state, const ReminderLadder& ladder,
                                const WorkingCalendar& calendar);

// One assignee's items across `launches` (a tenant's, each with the assignee's items and the
// items_version of all of them); the zone is the first launch's, or Asia/Shanghai when there is
// none.
CalendarView AssigneeCalendarView(absl::string_view tenant, absl::string_view assignee,
                                  const std::vector<LaunchRead>& launches,
                                  const ReminderLadder& ladder, const WorkingCalendar& calendar);

}  // namespace preflight::checklist
