#include "notifier-service/domain/ladder.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/civil_date.h"
#include "common/time_zone_name.h"

namespace preflight::notifier {
namespace {

// A deferral crosses at most one quiet window per day; this many steps covers any holiday run.
constexpr int kMaxDeferralSteps = 800;
// How far an unbounded window plans overdue rungs.
constexpr int kUnboundedHorizonDays = 3660;

int SecondOfDay(const absl::CivilSecond& local) {
  return local.hour() * 3600 + local.minute() * 60 + local.second();
}

// The instant local time `local` names in `zone`, the first such instant after `not_before`
// when the local time is repeated (DST fall-back); a skipped local time maps past the gap.
absl::Time LocalAfter(absl::CivilSecond local, absl::TimeZone zone, absl::Time not_before) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  if (info.pre > not_before) return info.pre;
  if (info.post > not_before) return info.post;
  return not_before + absl::Seconds(1);
}

// The planned time of a rung on `day`: the policy's send time there.
absl::Time NominalSendTime(absl::CivilDay day, absl::TimeZone zone, const ReminderPolicy& policy) {
  const absl::CivilSecond local(day.year(), day.month(), day.day(), policy.send_minute_of_day / 60,
                                policy.send_minute_of_day % 60, 0);
  return absl::FromCivil(local, zone);
}

// The working day with exactly `n` working days in (day, deadline].
absl::CivilDay WorkingDaysBefore(const WorkingCalendar& calendar, absl::CivilDay deadline, int n) {
  return calendar.AddWorkingDays(calendar.RollBackward(deadline).day, -n).day;
}

std::string OffsetId(absl::string_view prefix, absl::CivilDay deadline, absl::string_view sign,
                     int offset) {
  return absl::StrCat(prefix, ":", FormatCivilDay(deadline), ":", sign, offset);
}

// Builds the rungs of one item for one zone, keeping those sent inside [from, to).
class Planner {
 public:
  Planner(const ReminderPolicy& policy, const WorkingCalendar& calendar, absl::TimeZone zone,
          absl::Time from, absl::Time to)
      : policy_(policy), calendar_(calendar), zone_(zone), from_(from), to_(to) {}

  // Adds the rung planned for working day `day`, named OffsetId(prefix, deadline, sign, offset);
  // returns its send time. The name is only made for a rung inside the window: most are not, and
  // formatting their names was most of a plan's cost.
  absl::Time Add(absl::string_view prefix, absl::string_view sign, int offset, RungKind kind,
                 absl::CivilDay deadline, absl::CivilDay day, int days_left, bool escalation) {
    Rung rung;
    rung.kind = kind;
    rung.deadline = deadline;
    rung.days_left = days_left;
    rung.escalation = escalation;
    rung.urgent = kind == RungKind::kOverdue || days_left <= 0;
    rung.send_time = NextSendableTime(NominalSendTime(day, zone_, policy_), zone_, policy_,
                                      calendar_, rung.urgent);
    const absl::CivilDay sent_on = absl::ToCivilDay(rung.send_time, zone_);
    if (sent_on != day) {
      // Quiet hours moved it to a later day: tell the truth about the slack left then.
      rung = RungSentOn(std::move(rung), sent_on, policy_, calendar_);
    }
    const absl::Time send_time = rung.send_time;
    if (send_time >= from_ && send_time < to_) {
      rung.id = OffsetId(prefix, deadline, sign, offset);
      rungs_.push_back(std::move(rung));
    }
    return send_time;
  }

  void AddBefore(absl::string_view prefix, RungKind kind, absl::CivilDay deadline,
                 const std::vector<int>& offsets) {
    for (int n : offsets) {
      Add(prefix, "-", n, kind, deadline, WorkingDaysBefore(calendar_, deadline, n), n, false);
    }
  }

  void AddOverdue(absl::CivilDay due) {
    const int every = policy_.overdue_every_working_days;
    // A rung on working day D is sent by the end of quiet hours on the working day after D at
    // the latest, so rungs before two working days ahead of `from` cannot reach the window.
    absl::CivilDay low = due;
    if (from_ != absl::InfinitePast()) {
      low = std::max(low, calendar_.AddWorkingDays(absl::ToCivilDay(from_, zone_), -2).day);
    }
    absl::CivilDay last =
        to_ == absl::InfiniteFuture()
            ? std::max(due, absl::ToCivilDay(std::max(from_, absl::UnixEpoch()), zone_)) +
                  kUnboundedHorizonDays
            : absl::ToCivilDay(to_, zone_) + 1;
    const int before_low = calendar_.WorkingDaysBetween(due, low).days;
    int k = std::max(every, before_low / every * every);
    absl::CivilDay day = calendar_.AddWorkingDays(due, k).day;
    while (day <= last) {
      const bool escalation =
          policy_.escalate_after_working_days > 0 && k >= policy_.escalate_after_working_days;
      const absl::Time sent = Add("overdue", "+", k, RungKind::kOverdue, due, day, -k, escalation);
      if (sent >= to_) break;
      k += every;
      day = calendar_.AddWorkingDays(day, every).day;
    }
  }

  void AddRenewals(absl::CivilDay expiry, const std::vector<int>& days,
                   const std::optional<absl::CivilDay>& approved) {
    for (int n : days) {
      const absl::CivilDay day = RenewalRungDay(calendar_, expiry, n);
      // A 47-day certificate has no "60 days before expiry": that day came before the approval,
      // and catch-up would send it the moment the certificate is approved.
      if (approved && day < *approved) continue;
      Add("renewal", "-", n, RungKind::kRenewal, expiry, day, static_cast<int>(expiry - day),
          false);
    }
  }

  std::vector<Rung> Take() {
    std::sort(rungs_.begin(), rungs_.end(), [](const Rung& a, const Rung& b) {
      if (a.send_time != b.send_time) return a.send_time < b.send_time;
      return a.id < b.id;
    });
    return std::move(rungs_);
  }

 private:
  const ReminderPolicy& policy_;
  const WorkingCalendar& calendar_;
  absl::TimeZone zone_;
  absl::Time from_;
  absl::Time to_;
  std::vector<Rung> rungs_;
};

// Overdue first, then due-type deadlines, renewals, start.
int KindRank(RungKind kind) {
  switch (kind) {
    case RungKind::kOverdue:
      return 4;
    case RungKind::kBeforeDue:
    case RungKind::kPostLaunch:
      return 3;
    case RungKind::kRenewal:
      return 2;
    case RungKind::kBeforeStart:
      return 1;
    case RungKind::kTest:
    case RungKind::kWeeklyDigest:
      return 0;
  }
  return 0;
}

}  // namespace

absl::TimeZone LaunchTimeZone(const LaunchInfo& launch, const ReminderPolicy& policy) {
  absl::TimeZone zone;
  // The zone comes from the event stream: still only ever an IANA name, never a path.
  if (!launch.time_zone.empty() && LoadIanaTimeZone(launch.time_zone, &zone)) return zone;
  return policy.default_time_zone;
}

bool InQuietHours(absl::Time t, absl::TimeZone zone, const ReminderPolicy& policy,
                  const WorkingCalendar& calendar) {
  const absl::CivilSecond local = absl::ToCivilSecond(t, zone);
  if (policy.quiet_non_working_days && !calendar.IsWorkingDay(absl::CivilDay(local))) return true;
  if (!policy.quiet_start_minute || !policy.quiet_end_minute) return false;
  const int second = SecondOfDay(local);
  const int start = *policy.quiet_start_minute * 60;
  const int end = *policy.quiet_end_minute * 60;
  if (start < end) return second >= start && second < end;
  return second >= start || second < end;
}

absl::Time NextSendableTime(absl::Time t, absl::TimeZone zone, const ReminderPolicy& policy,
                            const WorkingCalendar& calendar, bool urgent) {
  if (urgent && policy.urgent_overrides) return t;
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return t;
  absl::Time candidate = t;
  for (int step = 0; step < kMaxDeferralSteps; ++step) {
    if (!InQuietHours(candidate, zone, policy, calendar)) return candidate;
    const absl::CivilSecond local = absl::ToCivilSecond(candidate, zone);
    const absl::CivilDay day(local);
    if (policy.quiet_non_working_days && !calendar.IsWorkingDay(day)) {
      // Quiet all day: look again at the start of the next day.
      candidate = LocalAfter(absl::CivilSecond(day + 1), zone, candidate);
      continue;
    }
    // Inside the window on a working day: it ends today, or tomorrow when it wraps midnight and
    // we are in its evening part.
    const int end_minute = *policy.quiet_end_minute;
    const bool wraps = *policy.quiet_start_minute > end_minute;
    const absl::CivilDay end_day =
        wraps && SecondOfDay(local) >= *policy.quiet_start_minute * 60 ? day + 1 : day;
    candidate = LocalAfter(absl::CivilSecond(end_day.year(), end_day.month(), end_day.day(),
                                             end_minute / 60, end_minute % 60, 0),
                           zone, candidate);
  }
  return candidate;
}

std::vector<Rung> PlanRungs(const LaunchInfo& launch, const ItemInfo& item,
                            const ReminderPolicy& policy, const WorkingCalendar& calendar,
                            absl::Time from, absl::Time to) {
  if (from >= to) return {};
  Planner planner(policy, calendar, LaunchTimeZone(launch, policy), from, to);
  if (!item.started && !item.done && item.latest_start) {
    planner.AddBefore("start", RungKind::kBeforeStart, *item.latest_start,
                      policy.before_start_working_days);
  }
  if (!item.done && item.due) {
    if (item.post_launch) {
      planner.AddBefore("postlaunch", RungKind::kPostLaunch, *item.due,
                        policy.post_launch_working_days);
    } else {
      planner.AddBefore("due", RungKind::kBeforeDue, *item.due, policy.before_due_working_days);
    }
    planner.AddOverdue(*item.due);
  }
  if (item.expiry && item.status == "APPROVED") {
    planner.AddRenewals(*item.expiry, RenewalDays(item, policy), item.approved);
  }
  return planner.Take();
}

const std::vector<int>& RenewalDays(const ItemInfo& item, const ReminderPolicy& policy) {
  return item.renewal_days.empty() ? policy.renewal_calendar_days : item.renewal_days;
}

absl::CivilDay RenewalRungDay(const WorkingCalendar& calendar, absl::CivilDay expiry, int n) {
  return calendar.RollBackward(expiry - n).day;
}

Rung RungSentOn(Rung rung, absl::CivilDay sent_on, const ReminderPolicy& policy,
                const WorkingCalendar& calendar) {
  if (rung.kind == RungKind::kRenewal) {
    rung.days_left = static_cast<int>(rung.deadline - sent_on);
  } else {
    rung.days_left = calendar.WorkingDaysBetween(sent_on, rung.deadline).days;
    // Saturday after a Friday deadline counts no working day past it, yet it is past: never
    // "due today" once the day is gone.
    if (sent_on > rung.deadline) rung.days_left = std::min(rung.days_left, -1);
  }
  if (sent_on > rung.deadline &&
      (rung.kind == RungKind::kBeforeDue || rung.kind == RungKind::kPostLaunch)) {
    // A reminder after the due date that still says "finish by" it misleads: it is an overdue
    // one, under the rung's own id so it is not sent twice.
    rung.kind = RungKind::kOverdue;
    rung.escalation = policy.escalate_after_working_days > 0 &&
                      -rung.days_left >= policy.escalate_after_working_days;
  }
  rung.urgent = rung.kind == RungKind::kOverdue || rung.days_left <= 0;
  return rung;
}

bool MoreUrgent(const Rung& a, const Rung& b) {
  if (KindRank(a.kind) != KindRank(b.kind)) return KindRank(a.kind) > KindRank(b.kind);
  if (a.deadline != b.deadline) return a.deadline < b.deadline;
  if (a.days_left != b.days_left) return a.days_left < b.days_left;
  if (a.escalation != b.escalation) return a.escalation;
  if (a.send_time != b.send_time) return a.send_time > b.send_time;
  return a.id < b.id;
}

CatchUp ChooseCatchUp(std::vector<Rung> missed, absl::Time now, const ReminderPolicy& policy) {
  CatchUp result;
  std::vector<Rung> candidates;
  for (Rung& rung : missed) {
    if (rung.send_time > now) continue;
    if (now - rung.send_time > policy.catch_up_window) {
      result.skipped.push_back(std::move(rung));
    } else {
      candidates.push_back(std::move(rung));
    }
  }
  if (!candidates.empty()) {
    auto best = std::min_element(candidates.begin(), candidates.end(), MoreUrgent);
    result.late = now - best->send_time > policy.late_after;
    result.send = std::move(*best);
    candidates.erase(best);
    for (Rung& rung : candidates) result.skipped.push_back(std::move(rung));
  }
  std::sort(result.skipped.begin(), result.skipped.end(), [](const Rung& a, const Rung& b) {
    if (a.send_time != b.send_time) return a.send_time < b.send_time;
    return a.id < b.id;
  });
  return result;
}

}  // namespace preflight::notifier
