#pragma once

// Reminder ladders: which rungs an item has, when each goes out (in the launch's zone, on the
// working-day calendar, out of quiet hours), and which one a catch-up after downtime sends.
// Pure functions of their inputs: the engine, the forecast and the tests all call the same code.

#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/working_calendar.h"
#include "notifier-service/domain/model.h"
#include "notifier-service/domain/reminder_policy.h"

namespace preflight::notifier {

// The launch's zone: LaunchInfo.time_zone, or the policy's default when it is empty or not a
// known IANA zone.
absl::TimeZone LaunchTimeZone(const LaunchInfo& launch, const ReminderPolicy& policy);

// True when `t` falls inside the policy's quiet window in `zone`, or on a non-working day when the
// policy makes those quiet.
bool InQuietHours(absl::Time t, absl::TimeZone zone, const ReminderPolicy& policy,
                  const WorkingCalendar& calendar);

// The earliest moment at or after `t` that is not quiet: `t` itself when it is sendable (or when
// `urgent` and the policy lets urgent rungs override quiet hours); otherwise the end of the quiet
// window, on the next working day when non-working days are quiet. Civil times are converted
// with `zone`, so DST days are handled; a deferred reminder is never dropped.
absl::Time NextSendableTime(absl::Time t, absl::TimeZone zone, const ReminderPolicy& policy,
                            const WorkingCalendar& calendar, bool urgent);

// Every rung of the item's ladder whose send time lies in [from, to), ordered by send time then
// id:
// - start rungs "start:<latest_start>:-n" while !started && !done && latest_start is set;
// - due rungs "due:<due>:-n" while !done && due is set && !post_launch;
// - post-launch rungs "postlaunch:<due>:-n" (kPostLaunch) while post_launch && due && !done;
// - overdue rungs "overdue:<due>:+k" while !done && due is set, on the k-th working day after the
//   due date for k = every, 2*every, ...; escalation from k >= escalate_after (when not 0);
// - renewal rungs "renewal:<expiry>:-n" when expiry is set and the status is APPROVED, for each n
//   of RenewalDays, on RenewalRungDay; none dated before the item's approval day.
// "n working days before D" is the working day W with exactly n working days in (W, D], so a
// deadline on a non-working day counts from the working day before it.
// days_left is counted from the local day the rung is actually sent (working days; calendar days
// for renewals): it equals -n / +k unless quiet hours pushed the send to a later day, and then
// the rung is as RungSentOn makes it (a due rung pushed past its deadline is overdue). A rung is
// urgent when overdue or when days_left <= 0. Cost grows with the rungs in the window, not with
// how long ago the item fell due; an infinite `to` stops overdue rungs ten years after the later
// of `from` and the due date.
std::vector<Rung> PlanRungs(const LaunchInfo& launch, const ItemInfo& item,
                            const ReminderPolicy& policy, const WorkingCalendar& calendar,
                            absl::Time from, absl::Time to);

// The calendar days before expiry of the item's renewal rungs: its own (from its template) when
// it has any, else the policy's. Either way rung ids read "renewal:<expiry>:-n".
const std::vector<int>& RenewalDays(const ItemInfo& item, const ReminderPolicy& policy);

// The day of the renewal rung n calendar days before `expiry`: that day, or the working day
// before it when it is not one (a "30 days before" reminder never comes with less left).
absl::CivilDay RenewalRungDay(const WorkingCalendar& calendar, absl::CivilDay expiry, int n);

// `rung` as it reads when it goes out on local day `sent_on` (its planned day or later): days
// left counted from that day (calendar days for renewals), urgent when none are left. Once the
// deadline is behind `sent_on` the rung says so: at least one working day past it (the days right
// after a deadline may all be days off), and a before-due or post-launch rung becomes kOverdue,
// escalated as the overdue rung of that day would be. Start and renewal rungs keep their kind:
// a passed latest start or expiry is not an overdue item, and their wording covers it. The id is
// kept, so the rung is still handled, and deduplicated, exactly once.
Rung RungSentOn(Rung rung, absl::CivilDay sent_on, const ReminderPolicy& policy,
                const WorkingCalendar& calendar);

// True when `a` deserves sending before `b`: overdue beats due and post-launch, which beat
// renewals, which beat start; then the nearer deadline, fewer days left, escalation, the later
// send time, and finally the smaller id (a strict weak order).
bool MoreUrgent(const Rung& a, const Rung& b);

// What to do with the rungs missed while the notifier was down.
struct CatchUp {
  // The single rung to send now, if any.
  std::optional<Rung> send;
  // `send` goes out more than policy.late_after after its send time.
  bool late = false;
  // Missed rungs never to be sent (record them as handled), ordered by send time then id.
  std::vector<Rung> skipped;
};

// Of `missed` (rungs due by `now` and not yet handled), sends only the most urgent (MoreUrgent)
// within the policy's catch-up window and skips the rest; rungs older than the window are skipped
// too. Rungs not yet due (send_time > now) are ignored: neither sent nor skipped.
CatchUp ChooseCatchUp(std::vector<Rung> missed, absl::Time now, const ReminderPolicy& policy);

}  // namespace preflight::notifier
