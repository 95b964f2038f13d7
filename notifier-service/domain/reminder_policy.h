#pragma once

// The notifier's reminder policy as plain C++: when the rungs of an item's ladder go out, quiet
// hours, catch-up after downtime, and each channel's limits. Loaded from
// data/notifier/reminder_policy.textproto (schema: proto/preflight/v1/reminder_policy.proto).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/text_format.h"
#include "notifier-service/domain/channel.h"
#include "preflight/v1/reminder_policy.pb.h"

namespace preflight::notifier {

// A provider's budget per bot key and its largest message text.
struct ChannelLimit {
  int per_minute = 0;
  // Messages that may go out at once; the file's 0 is resolved to per_minute.
  int burst = 0;
  int max_text_bytes = 0;

  bool operator==(const ChannelLimit& other) const {
    return per_minute == other.per_minute && burst == other.burst &&
           max_text_bytes == other.max_text_bytes;
  }
  bool operator!=(const ChannelLimit& other) const { return !(*this == other); }
};

// The furthest a renewal rung may lie before its expiry, in calendar days (about two years): for
// the policy's renewal_calendar_days and an item's own renewal days alike.
inline constexpr int kMaxCalendarDayOffset = 730;
// An item's own renewal days beyond this many are ignored: no template needs more, and every one
// is a rung planned on each look at the item.
inline constexpr int kMaxItemRenewalDays = 16;

// Limits of a channel the policy does not list: generous, the receiver is our own.
inline constexpr ChannelLimit kUnlistedChannelLimit = {600, 100, 1 << 20};

struct ReminderPolicy {
  // For launches that name no zone (or an unknown one).
  std::string default_time_zone_name;
  absl::TimeZone default_time_zone;
  // Local time of day, in minutes after midnight, that every rung is planned for.
  int send_minute_of_day = 0;
  // Quiet window [start, end) in local minutes after midnight; start > end wraps midnight.
  // Absent: no quiet window.
  std::optional<int> quiet_start_minute;
  std::optional<int> quiet_end_minute;
  // Non-working days of the calendar are quiet all day.
  bool quiet_non_working_days = false;
  // Urgent rungs ignore quiet hours and non-working days.
  bool urgent_overrides = false;
  // Offsets as listed in the file (each distinct and >= 0).
  std::vector<int> before_start_working_days;
  std::vector<int> before_due_working_days;
  std::vector<int> post_launch_working_days;
  std::vector<int> renewal_calendar_days;
  // Overdue rungs on every n-th working day after the due date (>= 1).
  int overdue_every_working_days = 1;
  // Overdue rungs from this many working days on also go to the launch owner; 0: never.
  int escalate_after_working_days = 0;
  // A send later than this after its planned time is marked late.
  absl::Duration late_after = absl::ZeroDuration();
  // How far back a catch-up looks for missed rungs.
  absl::Duration catch_up_window = absl::ZeroDuration();
  // Listed channels only; see LimitFor.
  std::map<ChannelType, ChannelLimit> channel_limits;
  // Local minutes after midnight of the weekly digest on the first working day of the week;
  // absent: no weekly digests.
  std::optional<int> weekly_digest_minute_of_day;

  // The channel's limits, kUnlistedChannelLimit when the policy does not list it.
  ChannelLimit LimitFor(ChannelType channel) const;

  bool operator==(const ReminderPolicy& other) const;
  bool operator!=(const ReminderPolicy& other) const { return !(*this == other); }
};

// Where the built-in policy file lives:
// PREFLIGHT_BUILTIN_DATA_DIR/notifier/reminder_policy.textproto.
std::string BuiltinReminderPolicyPath();

// Reads and validates a policy file. Syntax errors and every semantic error come back as
// INVALID_ARGUMENT "PATH:LINE: problem" (the line of the offending field when it is present); an
// unreadable file as NOT_FOUND or PERMISSION_DENIED.
absl::StatusOr<ReminderPolicy> LoadReminderPolicy(const std::string& path);

// Validates an already parsed policy. Errors start with "source_name:" and, when `info` (the
// parser's field locations) is given, the line of the offending field.
absl::StatusOr<ReminderPolicy> ReminderPolicyFromProto(
    const v1::ReminderPolicy& proto, absl::string_view source_name,
    const google::protobuf::TextFormat::ParseInfoTree* info = nullptr);

// The defaults, identical to data/notifier/reminder_policy.textproto: 09:30 Asia/Shanghai, quiet
// 21:00-08:30 and non-working days, start [3, 0], due [7, 3, 1], overdue every working day
// escalating from 3, post-launch [10, 3, 1], renewals [90, 60, 30, 7] calendar days.
ReminderPolicy DefaultReminderPolicy();

// The renewal days an item brought (ItemInfo.renewal_days) that the ladder may use: those in
// [1, kMaxCalendarDayOffset], each once, in the given order, at most kMaxItemRenewalDays of
// them. Each value left out gets a line in `problems` (when given) saying why, e.g.
// "renewal_reminder_days[1] is 0; it must be between 1 and 730 (ignored)".
std::vector<int> CheckItemRenewalDays(absl::Span<const int32_t> days,
                                      std::vector<std::string>* problems);

// Parses a strict local "HH:MM" (00:00-23:59) into minutes after midnight.
std::optional<int> ParseMinuteOfDay(absl::string_view text);
// Formats minutes after midnight as "HH:MM".
std::string FormatMinuteOfDay(int minute_of_day);

}  // namespace preflight::notifier
