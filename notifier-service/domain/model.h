#pragma once

// Plain C++ model of what the notifier knows and decides: launches and items as the checklist's
// event stream last described them, the rungs of their reminder ladders, recipients and
// deliveries. Nothing here knows about gRPC or SQL.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace preflight::notifier {

inline constexpr absl::string_view kDefaultTimeZone = "Asia/Shanghai";

// A launch as of its last event.
struct LaunchInfo {
  std::string launch_id;  // the id part of "launches/{id}"
  std::string tenant;
  std::string display_name;
  // Receives escalations.
  std::string owner;
  // IANA zone; empty means kDefaultTimeZone.
  std::string time_zone;
  std::optional<absl::CivilDay> target_launch_date;
  std::optional<absl::CivilDay> went_live_date;
  int64_t version = 0;
};

// An item as of its last event: only what reminders need.
struct ItemInfo {
  std::string launch_id;
  std::string code;
  std::string title_en;
  std::string title_zh;
  // "NOT_STARTED", "IN_PROGRESS", "SUBMITTED", "RETURNED", "APPROVED", "REJECTED", "WAIVED",
  // "NOT_APPLICABLE". RETURNED (sent back for more material) needs work, like IN_PROGRESS.
  std::string status;
  // Approved, waived or not applicable: no reminder is ever sent about it, except renewals.
  bool done = false;
  std::string assignee;
  // The checklist's item version; every change increments it.
  int64_t version = 0;
  // The schedule's latest start date (absent once work has started or for external items).
  std::optional<absl::CivilDay> latest_start;
  // The date the item must be finished by: its fixed due date, else the schedule's latest finish.
  std::optional<absl::CivilDay> due;
  // True when `due` is counted from the go-live date (public-security filing).
  bool post_launch = false;
  // When an approved qualification expires (WeChat verification); renewals count down to it.
  std::optional<absl::CivilDay> expiry;
  // Calendar days before `expiry` of its renewal rungs, from the item's template (a 47-day
  // certificate: 30, 14, 7); empty: the policy's renewal_calendar_days.
  std::vector<int> renewal_days;
  // The day the item was last approved: no renewal rung is planned before it.
  std::optional<absl::CivilDay> approved;
  // Whether work has begun (IN_PROGRESS or later): start reminders stop then.
  bool started = false;
};

// The kinds of rung on an item's reminder ladder (values match preflight.v1.ReminderKind).
enum class RungKind {
  kBeforeStart = 1,
  kBeforeDue = 2,
  kOverdue = 3,
  kPostLaunch = 4,
  kRenewal = 5,
  kTest = 6,
  // A tenant's weekly digest to its managers: about the tenant, not one item.
  kWeeklyDigest = 7,
};

// Whether deliveries of this kind are about one item (and pass its version fence): every kind
// but the test message and the weekly digest.
inline bool IsItemReminder(RungKind kind) {
  return kind != RungKind::kTest && kind != RungKind::kWeeklyDigest;
}

// "before_start", "before_due", "overdue", "post_launch", "renewal", "test", "weekly_digest".
absl::string_view RungKindName(RungKind kind);

// One planned reminder about one item.
struct Rung {
  // Stable id within the item: "<kind>:<deadline>:<offset>", e.g. "due:2026-12-10:-3" or
  // "overdue:2026-12-10:+4". A moved deadline yields new ids, so an old rung never matches.
  std::string id;
  // What the reminder is when sent: a due or post-launch rung that goes out after its deadline
  // is kOverdue, though its id keeps the planned prefix (see RungSentOn).
  RungKind kind = RungKind::kBeforeDue;
  // The date it is about: latest start, due date or expiry.
  absl::CivilDay deadline;
  // Working days (calendar days for renewals) from the send date to the deadline; negative once
  // overdue.
  int days_left = 0;
  // When to send: the policy's send time on the chosen day, in the launch's zone, moved out of
  // quiet hours and non-working days.
  absl::Time send_time;
  // Overdue or due on the send date: goes out at once, never held for a digest.
  bool urgent = false;
  // Also goes to the launch owner.
  bool escalation = false;
};

}  // namespace preflight::notifier
