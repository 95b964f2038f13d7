#pragma once

// The manager's weekly digest: what a tenant's launches need this week, read from the notifier's
// picture of them, and how it reads within a channel's size limit. Plain C++: the engine decides
// when it is sent and to whom (engine/weekly_digest_scheduler.h).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/working_calendar.h"
#include "notifier-service/domain/message_renderer.h"
#include "notifier-service/domain/model.h"

namespace preflight::notifier {

// Renewals and expiries this many calendar days after the week's first working day are listed.
inline constexpr int kDigestRenewalDays = 30;

// The Monday of the Monday-to-Sunday week that holds `day`.
absl::CivilDay WeekMonday(absl::CivilDay day);

// The first working day of the week that holds `day`: Monday, or the first of Tuesday to Friday
// that is a working day when holidays take the days before it. A make-up working Saturday or
// Sunday (调休) never starts a week: it is the end of one. nullopt when Monday to Friday are all
// days off (the Spring Festival week): that week has no digest.
std::optional<absl::CivilDay> WorkingWeekStart(const WorkingCalendar& calendar, absl::CivilDay day);

// A launch with its items as the event stream last described them.
struct DigestLaunchInput {
  LaunchInfo launch;
  std::vector<ItemInfo> items;
};

// One item in a section of the digest.
struct DigestItemLine {
  std::string launch_id;
  std::string launch_name;
  std::string code;
  std::string title_en;
  std::string title_zh;
  // The section's date: latest start, due date or expiry.
  absl::CivilDay date;
  std::string assignee;
  // Must start: working days from the week's start to the latest start (negative: it should have
  // started that many working days ago). Overdue: working days overdue. Renewal: calendar days
  // to the expiry (negative: expired).
  int days = 0;
};

// A launch at risk: not live, and something already threatens its target date.
struct DigestLaunchLine {
  std::string launch_id;
  std::string launch_name;
  std::optional<absl::CivilDay> target;
  // Items past their due date, and items past their latest start that have not started.
  int overdue = 0;
  int late_to_start = 0;
  // The target date itself has passed.
  bool past_target = false;
};

struct WeeklyDigest {
  std::string tenant;
  // The week's first working day, its Sunday, and the day the digest reads the state as of (the
  // first working day, or the day a late digest goes out).
  absl::CivilDay week_start;
  absl::CivilDay week_end;
  absl::CivilDay as_of;
  // Most overdue items first, then by target date.
  std::vector<DigestLaunchLine> at_risk;
  // Not started, latest start on or before the week's Sunday (late ones too); by latest start.
  std::vector<DigestItemLine> must_start;
  // Not done, due before the week's start; by due date.
  std::vector<DigestItemLine> overdue;
  // Approved qualifications expiring within kDigestRenewalDays (or already expired); by expiry.
  std::vector<DigestItemLine> renewals;

  bool empty() const {
    return at_risk.empty() && must_start.empty() && overdue.empty() && renewals.empty();
  }
};

// The digest of `tenant` for the week whose first working day is `week_start`, as of `as_of` (that
// day, or a later day of the week for a digest sent late): overdue means due before `as_of`,
// renewals are counted from it, "must start" runs to the week's Sunday. An overdue item is listed
// as overdue only, not also as one to start.
WeeklyDigest ComposeWeeklyDigest(absl::string_view tenant, absl::CivilDay week_start,
                                 absl::CivilDay as_of,
                                 const std::vector<DigestLaunchInput>& launches,
                                 const WorkingCalendar& calendar);
inline WeeklyDigest ComposeWeeklyDigest(absl::string_view tenant, absl::CivilDay week_start,
                                        const std::vector<DigestLaunchInput>& launches,
                                        const WorkingCalendar& calendar) {
  return ComposeWeeklyDigest(tenant, week_start, week_start, launches, calendar);
}

// The digest as a message in `language` ("zh", "en", else both, Chinese first), laid out so that
// the subject with the text ("subject\ntext") and the subject with the Markdown (as a bold first
// line, a blank line and the Markdown) are each at most `max_bytes`: sections keep as many lines
// as fit, in order, and say "… and N more" for the rest. An empty digest says there is nothing
// to report.
RenderedMessage RenderWeeklyDigest(const WeeklyDigest& digest, absl::string_view language,
                                   size_t max_bytes);

}  // namespace preflight::notifier
