#include "checklist-service/domain/calendar_entries.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/civil_date.h"
#include "common/text_proto.h"

namespace preflight::checklist {
namespace {

absl::Status CheckSteps(absl::string_view field, const google::protobuf::RepeatedField<int>& steps,
                        std::vector<int>* out) {
  out->clear();
  for (int step : steps) {
    if (step < 0 || step > 3660) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", step, " is not a number of days from 0 to 3660"));
    }
    out->push_back(step);
  }
  return absl::OkStatus();
}

// Calendar days before `date` of each step: working-day steps counted back on the calendar.
std::vector<int> AlarmDays(absl::CivilDay date, const std::vector<int>& steps, bool working_days,
                           const WorkingCalendar& calendar) {
  std::vector<int> days;
  for (int step : steps) {
    const absl::CivilDay at = working_days ? calendar.AddWorkingDays(date, -step).day : date - step;
    days.push_back(static_cast<int>(date - at));
  }
  std::sort(days.begin(), days.end(), std::greater<int>());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

struct KindText {
  absl::string_view en;
  absl::string_view zh;
};

KindText TextOf(CalendarEntryKind kind) {
  switch (kind) {
    case CalendarEntryKind::kLatestStart:
      return {"Start by", "最晚开始"};
    case CalendarEntryKind::kDue:
      return {"Due", "截止"};
    case CalendarEntryKind::kPostLaunchDeadline:
      return {"Due after launch", "上线后截止"};
    case CalendarEntryKind::kExpiry:
      return {"Expires", "到期"};
    case CalendarEntryKind::kRenewal:
      return {"Renew", "续期"};
  }
  return {"", ""};
}

class EntryBuilder {
 public:
  EntryBuilder(const LaunchState& state, const ReminderLadder& ladder,
               const WorkingCalendar& calendar, bool name_launch, int64_t items_version)
      : state_(state),
        ladder_(ladder),
        calendar_(calendar),
        name_launch_(name_launch),
        sequence_(state.launch.version + items_version) {}

  void AddItem(const Item& item) {
    if (item.status == ItemStatus::kNotApplicable) return;
    const ItemSchedule& schedule = item.schedule;
    const bool open = !IsDone(item.status);
    const bool post_launch = DueAfterLaunch(item.deadline);
    if (!item.external && schedule.latest_start &&
        (item.status == ItemStatus::kNotStarted || item.status == ItemStatus::kRejected)) {
      std::string why = "the latest start that keeps the target launch date";
      if (schedule.latest_finish) {
        absl::StrAppend(&why, ": ", TextOf(CalendarEntryKind::kDue).en, " ",
                        FormatCivilDay(*schedule.latest_finish));
      }
      Add(item, CalendarEntryKind::kLatestStart, *schedule.latest_start,
          AlarmDays(*schedule.latest_start, ladder_.before_start_working_days, true, calendar_),
          why);
    }
    std::optional<absl::CivilDay> finish = schedule.latest_finish;
    if (!finish && item.due_date) finish = item.due_date;
    if (open && finish && !item.external) {
      if (post_launch) {
        Add(item, CalendarEntryKind::kPostLaunchDeadline, *finish,
            AlarmDays(*finish, ladder_.post_launch_working_days, true, calendar_),
            absl::StrCat(
                "due after going live (", state_.launch.went_live_date ? "went live " : "target ",
                FormatCivilDay(
                    state_.launch.went_live_date.value_or(state_.launch.target_launch_date)),
                ")"));
      } else {
        Add(item, CalendarEntryKind::kDue, *finish,
            AlarmDays(*finish, ladder_.before_due_working_days, true, calendar_),
            item.due_date ? absl::StrCat("fixed due date ", FormatCivilDay(*item.due_date))
                          : std::string("the latest finish that keeps the target launch date"));
      }
    }
    if (item.expiry_date) {
      const std::vector<int>& renewal = item.renewal_reminder_days.empty()
                                            ? ladder_.renewal_calendar_days
                                            : item.renewal_reminder_days;
      Add(item, CalendarEntryKind::kExpiry, *item.expiry_date,
          AlarmDays(*item.expiry_date, renewal, false, calendar_), "the approval expires");
      if (!renewal.empty()) {
        const int first = *std::max_element(renewal.begin(), renewal.end());
        Add(item, CalendarEntryKind::kRenewal, *item.expiry_date - first, {0},
            absl::StrCat("renew ", first, " days before it expires on ",
                         FormatCivilDay(*item.expiry_date)));
      }
    }
  }

  std::vector<CalendarEntry> Take() { return std::move(entries_); }

 private:
  void Add(const Item& item, CalendarEntryKind kind, absl::CivilDay date,
           std::vector<int> alarm_days, absl::string_view why) {
    const KindText text = TextOf(kind);
    CalendarEntry entry;
    entry.uid = absl::StrCat(state_.launch.id, ".", item.code, ".", CalendarEntryKindToken(kind),
                             "@preflight");
    entry.launch_id = state_.launch.id;
    entry.item_code = item.code;
    entry.kind = kind;
    entry.date = date;
    const std::string prefix =
        name_launch_ ? absl::StrCat("[", state_.launch.display_name, "] ") : std::string();
    entry.summary_en = absl::StrCat(prefix, text.en, ": ", item.title_en, " (", item.code, ")");
    entry.summary_zh =
        absl::StrCat(text.zh, "：", item.title_zh.empty() ? item.title_en : item.title_zh);
    entry.description.push_back(
        absl::StrCat("Launch: ", state_.launch.display_name, " (launches/", state_.launch.id, ")"));
    entry.description.push_back(absl::StrCat("Item: ", item.code, " ", item.title_en,
                                             item.title_zh.empty() ? "" : " / ", item.title_zh));
    entry.description.push_back(absl::StrCat("Status: ", ItemStatusName(item.status)));
    entry.description.push_back(
        absl::StrCat("Assignee: ", item.assignee.empty() ? "(unassigned)" : item.assignee));
    entry.description.push_back(absl::StrCat("Why: ", why));
    if (!item.applicability_reason.empty()) {
      entry.description.push_back(absl::StrCat("Applies because: ", item.applicability_reason));
    }
    if (item.schedule.critical) entry.description.push_back("On the critical path");
    if (item.schedule.at_risk) entry.description.push_back("At risk");
    entry.sequence = sequence_;
    entry.last_modified = std::max(state_.launch.update_time, item.update_time);
    entry.alarm_days_before = std::move(alarm_days);
    entries_.push_back(std::move(entry));
  }

  const LaunchState& state_;
  const ReminderLadder& ladder_;
  const WorkingCalendar& calendar_;
  const bool name_launch_;
  const int64_t sequence_;
  std::vector<CalendarEntry> entries_;
};

void SortEntries(std::vector<CalendarEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const CalendarEntry& a, const CalendarEntry& b) {
    return a.date != b.date ? a.date < b.date : a.uid < b.uid;
  });
}

absl::Time LastModified(const LaunchState& state) {
  absl::Time newest = state.launch.update_time;
  for (const Item& item : state.items) newest = std::max(newest, item.update_time);
  return newest;
}

}  // namespace

absl::StatusOr<ReminderLadder> ReminderLadderFromPolicy(const v1::ReminderPolicy& policy) {
  ReminderLadder ladder;
  if (absl::Status s = CheckSteps("before_start_working_days", policy.before_start_working_days(),
                                  &ladder.before_start_working_days);
      !s.ok())
    return s;
  if (absl::Status s = CheckSteps("before_due_working_days", policy.before_due_working_days(),
                                  &ladder.before_due_working_days);
      !s.ok())
    return s;
  if (absl::Status s = CheckSteps("post_launch_working_days", policy.post_launch_working_days(),
                                  &ladder.post_launch_working_days);
      !s.ok())
    return s;
  if (absl::Status s = CheckSteps("renewal_calendar_days", policy.renewal_calendar_days(),
                                  &ladder.renewal_calendar_days);
      !s.ok())
    return s;
  if (!policy.send_time().empty()) {
    const std::vector<absl::string_view> parts = absl::StrSplit(policy.send_time(), ':');
    int hour = 0;
    int minute = 0;
    if (parts.size() != 2 || parts[0].size() != 2 || parts[1].size() != 2 ||
        !absl::SimpleAtoi(parts[0], &hour) || !absl::SimpleAtoi(parts[1], &minute) || hour < 0 ||
        hour > 23 || minute < 0 || minute > 59) {
      return absl::InvalidArgumentError(
          absl::StrCat("send_time: '", policy.send_time().substr(0, 16), "' is not HH:MM"));
    }
    ladder.send_minute_of_day = hour * 60 + minute;
  }
  return ladder;
}

absl::StatusOr<ReminderLadder> LoadReminderLadder(const std::string& data_dir,
                                                  const std::string& builtin_dir) {
  std::string path = data_dir + "/notifier/reminder_policy.textproto";
  std::error_code error;
  if (data_dir.empty() || !std::filesystem::exists(path, error)) {
    path = builtin_dir + "/notifier/reminder_policy.textproto";
  }
  v1::ReminderPolicy policy;
  if (absl::Status s = ParseTextProtoFile(path, &policy); !s.ok()) return s;
  absl::StatusOr<ReminderLadder> ladder = ReminderLadderFromPolicy(policy);
  if (!ladder.ok()) {
    return absl::Status(ladder.status().code(),
                        absl::StrCat(path, ": ", ladder.status().message()));
  }
  return ladder;
}

absl::string_view CalendarEntryKindToken(CalendarEntryKind kind) {
  switch (kind) {
    case CalendarEntryKind::kLatestStart:
      return "start";
    case CalendarEntryKind::kDue:
      return "due";
    case CalendarEntryKind::kPostLaunchDeadline:
      return "deadline";
    case CalendarEntryKind::kExpiry:
      return "expiry";
    case CalendarEntryKind::kRenewal:
      return "renewal";
  }
  return "";
}

std::vector<CalendarEntry> CalendarEntriesOfLaunch(const LaunchState& state, int64_t items_version,
                                                   const ReminderLadder& ladder,
                                                   const WorkingCalendar& calendar,
                                                   absl::string_view only_assignee) {
  EntryBuilder builder(state, ladder, calendar, /*name_launch=*/!only_assignee.empty(),
                       items_version);
  for (const Item& item : state.items) {
    if (!only_assignee.empty() && item.assignee != only_assignee) continue;
    builder.AddItem(item);
  }
  std::vector<CalendarEntry> entries = builder.Take();
  SortEntries(entries);
  return entries;
}

CalendarView LaunchCalendarView(const LaunchState& state, const ReminderLadder& ladder,
                                const WorkingCalendar& calendar) {
  CalendarView view;
  view.name = absl::StrCat(state.launch.display_name, " · Preflight");
  view.time_zone = state.launch.time_zone;
  view.last_modified = LastModified(state);
  view.send_minute_of_day = ladder.send_minute_of_day;
  view.entries = CalendarEntriesOfLaunch(state, state.ItemsVersion(), ladder, calendar);
  return view;
}

CalendarView AssigneeCalendarView(absl::string_view tenant, absl::string_view assignee,
                                  const std::vector<LaunchRead>& launches,
                                  const ReminderLadder& ladder, const WorkingCalendar& calendar) {
  CalendarView view;
  view.name = absl::StrCat(assignee, " · ", tenant, " · Preflight");
  view.time_zone =
      launches.empty() ? std::string(kDefaultTimeZone) : launches[0].state.launch.time_zone;
  view.send_minute_of_day = ladder.send_minute_of_day;
  for (const LaunchRead& read : launches) {
    const LaunchState& state = read.state;
    std::vector<CalendarEntry> entries =
        CalendarEntriesOfLaunch(state, read.items_version, ladder, calendar, assignee);
    if (entries.empty()) continue;
    view.last_modified = std::max(view.last_modified, LastModified(state));
    for (CalendarEntry& entry : entries) view.entries.push_back(std::move(entry));
  }
  SortEntries(view.entries);
  return view;
}

}  // namespace preflight::checklist
