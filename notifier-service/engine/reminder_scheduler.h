#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/working_calendar.h"
#include "notifier-service/domain/ladder.h"
#include "notifier-service/domain/model.h"
#include "notifier-service/domain/reminder_policy.h"

namespace preflight::notifier {

// The policy and the calendar bound together: everything the engine asks about time. The
// dispatcher, the forecast and the dry run all go through here, so a forecast is exactly what
// will be sent.
class ReminderScheduler {
 public:
  ReminderScheduler(const ReminderPolicy* policy, const WorkingCalendar* calendar)
      : policy_(policy), calendar_(calendar) {}

  // Rungs with send times in [from, to).
  std::vector<Rung> Plan(const LaunchInfo& launch, const ItemInfo& item, absl::Time from,
                         absl::Time to) const;
  // The first time at or after `t` a reminder may go out for this launch (quiet hours deferred).
  absl::Time NextSendable(const LaunchInfo& launch, absl::Time t, bool urgent) const;
  // When a digest reminder decided at `now` goes out: the current send slot while it is still
  // fresh, else the next working day's send time.
  absl::Time DigestTime(const LaunchInfo& launch, absl::Time now) const;
  // Of the missed rungs, the one to send (marked late if overdue for the policy) and the rest.
  struct CatchUpChoice {
    // As it goes out at `now`: a late one, or one whose deadline has passed since its planned
    // day, reads as of today (RungSentOn), so a caught-up reminder never claims more time than
    // is left and one sent after the due date is an overdue reminder; an on-time one as planned.
    // Its id is the planned rung's.
    std::optional<Rung> send;
    bool late = false;
    std::vector<Rung> skipped;
  };
  CatchUpChoice ChooseCatchUp(const LaunchInfo& launch, std::vector<Rung> missed,
                              absl::Time now) const;
  // Whether a rung id still describes the item: its deadline is still the item's, and its kind
  // still applies (not done, not started for start rungs, still approved for renewals, whose
  // offset must also be one of the item's RenewalDays and its day not before the approval).
  bool RungStillValid(const ItemInfo& item, absl::string_view rung_id) const;
  absl::Duration catch_up_window() const;
  const ReminderPolicy& policy() const { return *policy_; }
  const WorkingCalendar& calendar() const { return *calendar_; }

 private:
  absl::TimeZone ZoneOf(const LaunchInfo& launch) const;

  const ReminderPolicy* const policy_;
  const WorkingCalendar* const calendar_;
};

}  // namespace preflight::notifier
