#include "notifier-service/engine/reminder_scheduler.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"

namespace preflight::notifier {

absl::TimeZone ReminderScheduler::ZoneOf(const LaunchInfo& launch) const {
  return LaunchTimeZone(launch, *policy_);
}

std::vector<Rung> ReminderScheduler::Plan(const LaunchInfo& launch, const ItemInfo& item,
                                          absl::Time from, absl::Time to) const {
  return PlanRungs(launch, item, *policy_, *calendar_, from, to);
}

absl::Time ReminderScheduler::NextSendable(const LaunchInfo& launch, absl::Time t,
                                           bool urgent) const {
  return NextSendableTime(t, ZoneOf(launch), *policy_, *calendar_, urgent);
}

absl::Time ReminderScheduler::DigestTime(const LaunchInfo& launch, absl::Time now) const {
  const absl::TimeZone zone = ZoneOf(launch);
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  const absl::CivilMinute slot_minute = absl::CivilMinute(today) + policy_->send_minute_of_day;
  const absl::Time slot = absl::FromCivil(slot_minute, zone);
  // Still the morning's slot: go with it.
  if (now >= slot && now - slot <= policy_->late_after && calendar_->IsWorkingDay(today)) {
    return now;
  }
  // Otherwise the next working day's send time (today's, if it is still ahead).
  absl::CivilDay day = now < slot ? today : today + 1;
  while (!calendar_->IsWorkingDay(day)) day += 1;
  return NextSendable(launch,
                      absl::FromCivil(absl::CivilMinute(day) + policy_->send_minute_of_day, zone),
                      /*urgent=*/false);
}

ReminderScheduler::CatchUpChoice ReminderScheduler::ChooseCatchUp(const LaunchInfo& launch,
                                                                  std::vector<Rung> missed,
                                                                  absl::Time now) const {
  CatchUp chosen = notifier::ChooseCatchUp(std::move(missed), now, *policy_);
  CatchUpChoice choice;
  choice.late = chosen.late;
  choice.skipped = std::move(chosen.skipped);
  if (chosen.send.has_value()) {
    const absl::CivilDay today = absl::ToCivilDay(now, ZoneOf(launch));
    // Past its deadline even when on time (a long late_after): never "finish by" a passed date.
    if (chosen.late || today > chosen.send->deadline) {
      chosen.send = RungSentOn(*std::move(chosen.send), today, *policy_, *calendar_);
    }
    choice.send = std::move(chosen.send);
  }
  return choice;
}

absl::Duration ReminderScheduler::catch_up_window() const { return policy_->catch_up_window; }

bool ReminderScheduler::RungStillValid(const ItemInfo& item, absl::string_view rung_id) const {
  // "<kind>:<date>:<offset>"
  std::vector<absl::string_view> parts = absl::StrSplit(rung_id, ':');
  if (parts.size() != 3) return false;
  absl::CivilDay date;
  if (!absl::ParseCivilTime(parts[1], &date)) return false;
  const absl::string_view kind = parts[0];
  if (kind == "start") {
    return !item.done && !item.started && item.latest_start == date;
  }
  if (kind == "due") return !item.done && !item.post_launch && item.due == date;
  if (kind == "postlaunch") return !item.done && item.post_launch && item.due == date;
  if (kind == "overdue") return !item.done && item.due == date;
  if (kind == "renewal") {
    if (item.status != "APPROVED" || item.expiry != date) return false;
    // The item's renewal days may have changed, or its approval moved past the rung's day.
    int n = 0;
    if (!absl::ConsumePrefix(&parts[2], "-") || !absl::SimpleAtoi(parts[2], &n)) return false;
    const std::vector<int>& days = RenewalDays(item, *policy_);
    if (std::find(days.begin(), days.end(), n) == days.end()) return false;
    return !item.approved || RenewalRungDay(*calendar_, date, n) >= *item.approved;
  }
  return false;
}

}  // namespace preflight::notifier
