#include "notifier-service/domain/reminder_policy.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/data_paths.h"
#include "common/text_proto.h"
#include "notifier-service/domain/model.h"

namespace preflight::notifier {
namespace {

using ::google::protobuf::TextFormat;

// Bounds that keep a ladder meaningful and its planning cheap: about two years of working days
// (and kMaxCalendarDayOffset, two years of calendar days).
constexpr int kMaxWorkingDayOffset = 500;
constexpr int kMaxCatchUpWindowDays = 366;

// Builds "source:line: message" errors, naming the line of a field when it is known.
class ErrorReporter {
 public:
  // `text`, when given, is the parsed source: it locates fields the parser recorded no location
  // for.
  ErrorReporter(absl::string_view source, const TextFormat::ParseInfoTree* info,
                const std::string* text = nullptr)
      : source_(source), info_(info), text_(text) {}

  // The reporter for a nested message field (`index` for repeated ones); falls back to the
  // field's own line for its children when they are absent.
  ErrorReporter Nested(const google::protobuf::Message& parent, const std::string& field,
                       int index = -1) const {
    ErrorReporter nested(source_, nullptr);
    nested.fallback_line_ = Line(parent, field, index);
    if (nested.fallback_line_ == 0) nested.fallback_line_ = fallback_line_;
    if (info_ != nullptr) {
      const google::protobuf::FieldDescriptor* descriptor =
          parent.GetDescriptor()->FindFieldByName(field);
      if (descriptor != nullptr) nested.info_ = info_->GetTreeForNested(descriptor, index);
    }
    return nested;
  }

  absl::Status Error(const google::protobuf::Message& message, const std::string& field, int index,
                     absl::string_view problem) const {
    int line = Line(message, field, index);
    if (line == 0) line = fallback_line_;
    if (line > 0)
      return absl::InvalidArgumentError(absl::StrCat(source_, ":", line, ": ", problem));
    return absl::InvalidArgumentError(absl::StrCat(source_, ": ", problem));
  }

 private:
  int Line(const google::protobuf::Message& message, const std::string& field, int index) const {
    if (info_ == nullptr) return 0;
    const int line = LineOf(*info_, message, field, index);
    if (line > 0 || text_ == nullptr) return line;
    // Protobuf 3.21 records no location for the list syntax "field: [7, 3, 1]": find the line
    // that sets the field. Only top-level reporters have the text, and the schema's field names
    // are unique.
    return LineSetting(field);
  }

  // 1-based line of the first "field:" or "field [" outside comments, 0 when there is none.
  int LineSetting(const std::string& field) const {
    int number = 0;
    for (absl::string_view line : absl::StrSplit(*text_, '\n')) {
      ++number;
      line = absl::StripLeadingAsciiWhitespace(line);
      if (!absl::ConsumePrefix(&line, field)) continue;
      line = absl::StripLeadingAsciiWhitespace(line);
      if (absl::StartsWith(line, ":") || absl::StartsWith(line, "[") ||
          absl::StartsWith(line, "{")) {
        return number;
      }
    }
    return 0;
  }

  std::string source_;
  const TextFormat::ParseInfoTree* info_;
  const std::string* text_;
  int fallback_line_ = 0;
};

// Checks a list of day offsets: each in [0, max], none twice.
absl::Status CheckOffsets(const ErrorReporter& errors, const v1::ReminderPolicy& proto,
                          const std::string& field,
                          const google::protobuf::RepeatedField<int32_t>& offsets, int max,
                          std::vector<int>& out) {
  std::set<int> seen;
  for (int i = 0; i < offsets.size(); ++i) {
    const int offset = offsets.Get(i);
    if (offset < 0) {
      return errors.Error(proto, field, i,
                          absl::StrCat(field, "[", i, "] is ", offset, "; offsets count days ",
                                       "before the deadline and may not be negative"));
    }
    if (offset > max) {
      return errors.Error(
          proto, field, i,
          absl::StrCat(field, "[", i, "] is ", offset, "; at most ", max, " is allowed"));
    }
    if (!seen.insert(offset).second) {
      return errors.Error(proto, field, i,
                          absl::StrCat(field, "[", i, "]: offset ", offset, " is listed twice"));
    }
    out.push_back(offset);
  }
  return absl::OkStatus();
}

absl::Status CheckQuietHours(const ErrorReporter& errors, const v1::ReminderPolicy& proto,
                             ReminderPolicy& policy) {
  const v1::QuietHours& quiet = proto.quiet_hours();
  const ErrorReporter nested = errors.Nested(proto, "quiet_hours");
  policy.quiet_non_working_days = quiet.non_working_days();
  policy.urgent_overrides = quiet.urgent_overrides();
  if (quiet.start().empty() && quiet.end().empty()) return absl::OkStatus();
  if (quiet.start().empty() || quiet.end().empty()) {
    const std::string missing = quiet.start().empty() ? "start" : "end";
    const std::string present = quiet.start().empty() ? "end" : "start";
    return nested.Error(quiet, present, -1,
                        absl::StrCat("quiet_hours.", missing, " is missing; give both start and ",
                                     "end, or neither for no quiet window"));
  }
  const std::optional<int> start = ParseMinuteOfDay(quiet.start());
  if (!start) {
    return nested.Error(quiet, "start", -1,
                        absl::StrCat("quiet_hours.start '", quiet.start(),
                                     "' is not a time of day \"HH:MM\" (00:00-23:59)"));
  }
  const std::optional<int> end = ParseMinuteOfDay(quiet.end());
  if (!end) {
    return nested.Error(quiet, "end", -1,
                        absl::StrCat("quiet_hours.end '", quiet.end(),
                                     "' is not a time of day \"HH:MM\" (00:00-23:59)"));
  }
  if (*start == *end) {
    return nested.Error(quiet, "end", -1,
                        absl::StrCat("quiet_hours.start and end are both ", quiet.start(),
                                     "; an empty or all-day window is ambiguous (leave both ",
                                     "empty for no quiet window)"));
  }
  policy.quiet_start_minute = *start;
  policy.quiet_end_minute = *end;
  return absl::OkStatus();
}

absl::Status CheckOverdue(const ErrorReporter& errors, const v1::ReminderPolicy& proto,
                          ReminderPolicy& policy) {
  const v1::OverduePolicy& overdue = proto.overdue();
  const ErrorReporter nested = errors.Nested(proto, "overdue");
  if (overdue.every_working_days() < 1 || overdue.every_working_days() > kMaxWorkingDayOffset) {
    return nested.Error(overdue, "every_working_days", -1,
                        absl::StrCat("overdue.every_working_days is ", overdue.every_working_days(),
                                     "; it must be between 1 and ", kMaxWorkingDayOffset));
  }
  if (overdue.escalate_after_working_days() < 0 ||
      overdue.escalate_after_working_days() > kMaxWorkingDayOffset) {
    return nested.Error(overdue, "escalate_after_working_days", -1,
                        absl::StrCat("overdue.escalate_after_working_days is ",
                                     overdue.escalate_after_working_days(),
                                     "; it must be between 0 (never) and ", kMaxWorkingDayOffset));
  }
  policy.overdue_every_working_days = overdue.every_working_days();
  policy.escalate_after_working_days = overdue.escalate_after_working_days();
  return absl::OkStatus();
}

absl::Status CheckChannelLimits(const ErrorReporter& errors, const v1::ReminderPolicy& proto,
                                ReminderPolicy& policy) {
  for (int i = 0; i < proto.channel_limits_size(); ++i) {
    const v1::ChannelLimits& limits = proto.channel_limits(i);
    const ErrorReporter nested = errors.Nested(proto, "channel_limits", i);
    const std::string what = absl::StrCat("channel_limits[", i, "]");
    const int value = static_cast<int>(limits.channel());
    if (value < static_cast<int>(ChannelType::kLog) ||
        value > static_cast<int>(ChannelType::kEmail)) {
      return nested.Error(limits, "channel", -1,
                          absl::StrCat(what, ": channel ", value, " is missing or unknown"));
    }
    const ChannelType channel = static_cast<ChannelType>(value);
    const std::string name = v1::ChannelType_Name(limits.channel());
    if (limits.per_minute() < 1) {
      return nested.Error(limits, "per_minute", -1,
                          absl::StrCat(what, " (", name, "): per_minute is ", limits.per_minute(),
                                       "; it must be at least 1"));
    }
    if (limits.burst() < 0) {
      return nested.Error(limits, "burst", -1,
                          absl::StrCat(what, " (", name, "): burst is ", limits.burst(),
                                       "; it may not be negative (0 means per_minute)"));
    }
    if (limits.max_text_bytes() < 1) {
      return nested.Error(limits, "max_text_bytes", -1,
                          absl::StrCat(what, " (", name, "): max_text_bytes is ",
                                       limits.max_text_bytes(), "; it must be at least 1"));
    }
    const ChannelLimit limit = {limits.per_minute(),
                                limits.burst() == 0 ? limits.per_minute() : limits.burst(),
                                limits.max_text_bytes()};
    if (!policy.channel_limits.emplace(channel, limit).second) {
      return nested.Error(limits, "channel", -1,
                          absl::StrCat(what, ": ", name, " is listed twice"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ReminderPolicy> Validate(const v1::ReminderPolicy& proto,
                                        const ErrorReporter& errors) {
  ReminderPolicy policy;

  if (proto.default_time_zone().empty()) {
    return errors.Error(proto, "default_time_zone", -1,
                        "default_time_zone is missing (an IANA zone such as \"Asia/Shanghai\")");
  }
  if (!absl::LoadTimeZone(proto.default_time_zone(), &policy.default_time_zone)) {
    return errors.Error(proto, "default_time_zone", -1,
                        absl::StrCat("default_time_zone '", proto.default_time_zone(),
                                     "' is not a known IANA time zone"));
  }
  policy.default_time_zone_name = proto.default_time_zone();

  const std::optional<int> send = ParseMinuteOfDay(proto.send_time());
  if (!send) {
    return errors.Error(proto, "send_time", -1,
                        proto.send_time().empty()
                            ? std::string("send_time is missing (local \"HH:MM\", e.g. \"09:30\")")
                            : absl::StrCat("send_time '", proto.send_time(),
                                           "' is not a time of day \"HH:MM\" (00:00-23:59)"));
  }
  policy.send_minute_of_day = *send;

  if (!proto.weekly_digest_time().empty()) {
    const std::optional<int> weekly = ParseMinuteOfDay(proto.weekly_digest_time());
    if (!weekly) {
      return errors.Error(proto, "weekly_digest_time", -1,
                          absl::StrCat("weekly_digest_time '", proto.weekly_digest_time(),
                                       "' is not a time of day \"HH:MM\" (00:00-23:59)"));
    }
    policy.weekly_digest_minute_of_day = *weekly;
  }

  absl::Status status = CheckQuietHours(errors, proto, policy);
  if (!status.ok()) return status;

  status =
      CheckOffsets(errors, proto, "before_start_working_days", proto.before_start_working_days(),
                   kMaxWorkingDayOffset, policy.before_start_working_days);
  if (!status.ok()) return status;
  status = CheckOffsets(errors, proto, "before_due_working_days", proto.before_due_working_days(),
                        kMaxWorkingDayOffset, policy.before_due_working_days);
  if (!status.ok()) return status;
  status = CheckOffsets(errors, proto, "post_launch_working_days", proto.post_launch_working_days(),
                        kMaxWorkingDayOffset, policy.post_launch_working_days);
  if (!status.ok()) return status;
  status = CheckOffsets(errors, proto, "renewal_calendar_days", proto.renewal_calendar_days(),
                        kMaxCalendarDayOffset, policy.renewal_calendar_days);
  if (!status.ok()) return status;

  status = CheckOverdue(errors, proto, policy);
  if (!status.ok()) return status;

  if (proto.late_after_minutes() < 0) {
    return errors.Error(proto, "late_after_minutes", -1,
                        absl::StrCat("late_after_minutes is ", proto.late_after_minutes(),
                                     "; it may not be negative"));
  }
  policy.late_after = absl::Minutes(proto.late_after_minutes());

  if (proto.catch_up_window_days() < 1 || proto.catch_up_window_days() > kMaxCatchUpWindowDays) {
    return errors.Error(proto, "catch_up_window_days", -1,
                        absl::StrCat("catch_up_window_days is ", proto.catch_up_window_days(),
                                     "; it must be between 1 and ", kMaxCatchUpWindowDays));
  }
  policy.catch_up_window = absl::Hours(24) * proto.catch_up_window_days();

  status = CheckChannelLimits(errors, proto, policy);
  if (!status.ok()) return status;
  return policy;
}

}  // namespace

ChannelLimit ReminderPolicy::LimitFor(ChannelType channel) const {
  const auto it = channel_limits.find(channel);
  return it == channel_limits.end() ? kUnlistedChannelLimit : it->second;
}

bool ReminderPolicy::operator==(const ReminderPolicy& other) const {
  return default_time_zone_name == other.default_time_zone_name &&
         default_time_zone == other.default_time_zone &&
         send_minute_of_day == other.send_minute_of_day &&
         quiet_start_minute == other.quiet_start_minute &&
         quiet_end_minute == other.quiet_end_minute &&
         quiet_non_working_days == other.quiet_non_working_days &&
         urgent_overrides == other.urgent_overrides &&
         before_start_working_days == other.before_start_working_days &&
         before_due_working_days == other.before_due_working_days &&
         post_launch_working_days == other.post_launch_working_days &&
         renewal_calendar_days == other.renewal_calendar_days &&
         overdue_every_working_days == other.overdue_every_working_days &&
         escalate_after_working_days == other.escalate_after_working_days &&
         late_after == other.late_after && catch_up_window == other.catch_up_window &&
         channel_limits == other.channel_limits &&
         weekly_digest_minute_of_day == other.weekly_digest_minute_of_day;
}

std::vector<int> CheckItemRenewalDays(absl::Span<const int32_t> days,
                                      std::vector<std::string>* problems) {
  // The bounds of CheckOffsets, but an item's days come from the event stream: a bad value is
  // left out (and said why) rather than failing the event, which would stall the stream. 0 is
  // out too, as in the templates: a renewal reminder on the expiry day is too late to act on.
  std::vector<int> kept;
  std::set<int> seen;
  for (size_t i = 0; i < days.size(); ++i) {
    const int offset = days[i];
    std::string problem;
    if (offset < 1 || offset > kMaxCalendarDayOffset) {
      problem = absl::StrCat("renewal_reminder_days[", i, "] is ", offset,
                             "; it must be between 1 and ", kMaxCalendarDayOffset, " (ignored)");
    } else if (seen.count(offset) > 0) {
      problem =
          absl::StrCat("renewal_reminder_days[", i, "]: ", offset, " is listed twice (ignored)");
    } else if (static_cast<int>(kept.size()) >= kMaxItemRenewalDays) {
      problem = absl::StrCat("renewal_reminder_days[", i, "]: at most ", kMaxItemRenewalDays,
                             " days are used (", offset, " ignored)");
    }
    if (!problem.empty()) {
      if (problems != nullptr) problems->push_back(std::move(problem));
      continue;
    }
    seen.insert(offset);
    kept.push_back(offset);
  }
  return kept;
}

std::optional<int> ParseMinuteOfDay(absl::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

std::string FormatMinuteOfDay(int minute_of_day) {
  return absl::StrFormat("%02d:%02d", minute_of_day / 60, minute_of_day % 60);
}

std::string BuiltinReminderPolicyPath() {
  return absl::StrCat(DefaultBuiltinDataDir(), "/notifier/reminder_policy.textproto");
}

absl::StatusOr<ReminderPolicy> ReminderPolicyFromProto(const v1::ReminderPolicy& proto,
                                                       absl::string_view source_name,
                                                       const TextFormat::ParseInfoTree* info) {
  return Validate(proto, ErrorReporter(source_name, info));
}

absl::StatusOr<ReminderPolicy> LoadReminderPolicy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    const std::string why = absl::StrCat(path, ": ", std::strerror(err));
    return err == EACCES ? absl::PermissionDeniedError(why) : absl::NotFoundError(why);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  v1::ReminderPolicy proto;
  TextFormat::ParseInfoTree info;
  absl::Status status = ParseTextProto(text, path, &proto, &info);
  if (!status.ok()) return status;
  return Validate(proto, ErrorReporter(path, &info, &text));
}

ReminderPolicy DefaultReminderPolicy() {
  ReminderPolicy policy;
  policy.default_time_zone_name = std::string(kDefaultTimeZone);
  // The zone database is part of the platform; a build without it falls back to fixed UTC+8,
  // which is what Asia/Shanghai has been since 1991.
  if (!absl::LoadTimeZone(policy.default_time_zone_name, &policy.default_time_zone)) {
    policy.default_time_zone = absl::FixedTimeZone(8 * 60 * 60);
  }
  policy.send_minute_of_day = 9 * 60 + 30;
  policy.quiet_start_minute = 21 * 60;
  policy.quiet_end_minute = 8 * 60 + 30;
  policy.quiet_non_working_days = true;
  policy.urgent_overrides = false;
  policy.before_start_working_days = {3, 0};
  policy.before_due_working_days = {7, 3, 1};
  policy.post_launch_working_days = {10, 3, 1};
  policy.renewal_calendar_days = {90, 60, 30, 7};
  policy.overdue_every_working_days = 1;
  policy.escalate_after_working_days = 3;
  policy.late_after = absl::Minutes(60);
  policy.catch_up_window = absl::Hours(24 * 30);
  policy.weekly_digest_minute_of_day = 9 * 60;
  policy.channel_limits = {
      {ChannelType::kWecom, {20, 20, 2048}},        {ChannelType::kDingtalk, {20, 20, 20000}},
      {ChannelType::kFeishu, {100, 5, 20000}},      {ChannelType::kSlack, {60, 60, 40000}},
      {ChannelType::kWebhook, {600, 100, 1048576}}, {ChannelType::kEmail, {120, 30, 1048576}},
      {ChannelType::kLog, {6000, 1000, 1048576}},   {ChannelType::kInbox, {6000, 1000, 1048576}},
  };
  return policy;
}

}  // namespace preflight::notifier
