#include "notifier-service/domain/reminder_policy.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::StartsWith;

constexpr char kPolicyFile[] = PREFLIGHT_SOURCE_DIR "/data/notifier/reminder_policy.textproto";

// A valid policy; each error test breaks one line of it.
constexpr char kValid[] = R"txt(default_time_zone: "Asia/Shanghai"
send_time: "09:30"
quiet_hours {
  start: "21:00"
  end: "08:30"
  non_working_days: true
}
before_start_working_days: [3, 0]
before_due_working_days: [7, 3, 1]
overdue {
  every_working_days: 1
  escalate_after_working_days: 3
}
post_launch_working_days: [10, 3, 1]
renewal_calendar_days: [90, 60, 30, 7]
late_after_minutes: 60
catch_up_window_days: 30
channel_limits {
  channel: CHANNEL_TYPE_WECOM
  per_minute: 20
  max_text_bytes: 2048
}
)txt";

class PolicyFileTest : public ::testing::Test {
 protected:
  // Writes `text` with line `line` (1-based) replaced by `replacement` and loads it.
  absl::StatusOr<ReminderPolicy> LoadWithLine(int line, const std::string& replacement) {
    std::string text;
    int number = 0;
    size_t start = 0;
    const std::string valid = kValid;
    while (start < valid.size()) {
      const size_t end = valid.find('\n', start);
      ++number;
      text += number == line ? replacement : valid.substr(start, end - start);
      text += "\n";
      start = end + 1;
    }
    return LoadText(text);
  }

  absl::StatusOr<ReminderPolicy> LoadText(const std::string& text) {
    std::ofstream(path()) << text;
    return LoadReminderPolicy(path());
  }

  std::string path() const { return dir_.Join("policy.textproto"); }

  // "PATH:LINE: " for the error assertions.
  std::string At(int line) const { return path() + ":" + std::to_string(line) + ": "; }

 private:
  testing::TempDir dir_;
};

TEST(ReminderPolicyTest, DataFileEqualsTheDefaults) {
  absl::StatusOr<ReminderPolicy> policy = LoadReminderPolicy(kPolicyFile);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(*policy == DefaultReminderPolicy());
  // And the built-in path points at it.
  absl::StatusOr<ReminderPolicy> builtin = LoadReminderPolicy(BuiltinReminderPolicyPath());
  ASSERT_TRUE(builtin.ok()) << builtin.status();
  EXPECT_TRUE(*builtin == *policy);
}

TEST(ReminderPolicyTest, DefaultsAreTheIssuesNumbers) {
  const ReminderPolicy policy = DefaultReminderPolicy();
  EXPECT_EQ(policy.default_time_zone_name, "Asia/Shanghai");
  EXPECT_EQ(policy.send_minute_of_day, 9 * 60 + 30);
  EXPECT_THAT(policy.quiet_start_minute, Optional(21 * 60));
  EXPECT_THAT(policy.quiet_end_minute, Optional(8 * 60 + 30));
  EXPECT_TRUE(policy.quiet_non_working_days);
  EXPECT_FALSE(policy.urgent_overrides);
  EXPECT_THAT(policy.before_start_working_days, ElementsAre(3, 0));
  EXPECT_THAT(policy.before_due_working_days, ElementsAre(7, 3, 1));
  EXPECT_THAT(policy.post_launch_working_days, ElementsAre(10, 3, 1));
  EXPECT_THAT(policy.renewal_calendar_days, ElementsAre(90, 60, 30, 7));
  EXPECT_EQ(policy.overdue_every_working_days, 1);
  EXPECT_EQ(policy.escalate_after_working_days, 3);
  EXPECT_EQ(policy.late_after, absl::Minutes(60));
  EXPECT_EQ(policy.catch_up_window, absl::Hours(24 * 30));
  EXPECT_EQ(policy.LimitFor(ChannelType::kWecom), (ChannelLimit{20, 20, 2048}));
  EXPECT_EQ(policy.LimitFor(ChannelType::kDingtalk), (ChannelLimit{20, 20, 20000}));
  EXPECT_EQ(policy.LimitFor(ChannelType::kFeishu), (ChannelLimit{100, 5, 20000}));
  EXPECT_EQ(policy.LimitFor(ChannelType::kSlack), (ChannelLimit{60, 60, 40000}));
  EXPECT_GE(policy.LimitFor(ChannelType::kWebhook).max_text_bytes, 1 << 20);
}

TEST(ReminderPolicyTest, EqualityNoticesEveryField) {
  const ReminderPolicy base = DefaultReminderPolicy();
  ReminderPolicy changed = base;
  changed.before_due_working_days = {7, 3};
  EXPECT_FALSE(changed == base);
  changed = base;
  changed.channel_limits[ChannelType::kFeishu].burst = 6;
  EXPECT_FALSE(changed == base);
  changed = base;
  changed.quiet_end_minute = 8 * 60;
  EXPECT_FALSE(changed == base);
  changed = base;
  changed.late_after = absl::Minutes(59);
  EXPECT_TRUE(changed != base);
}

// An item's renewal days arrive on the event stream: bad ones are left out, each with a reason,
// and the rest are used.
TEST(ReminderPolicyTest, ItemRenewalDaysKeepTheValidOnes) {
  std::vector<std::string> problems;
  EXPECT_THAT(CheckItemRenewalDays(std::vector<int32_t>{30, 14, 7}, &problems),
              ElementsAre(30, 14, 7));
  EXPECT_THAT(problems, ElementsAre());
  EXPECT_THAT(CheckItemRenewalDays(std::vector<int32_t>{}, &problems), ElementsAre());

  EXPECT_THAT(CheckItemRenewalDays(std::vector<int32_t>{0, 180, -7, 731, 180, 730, 1}, &problems),
              ElementsAre(180, 730, 1));
  EXPECT_THAT(problems,
              ElementsAre("renewal_reminder_days[0] is 0; it must be between 1 and 730 (ignored)",
                          "renewal_reminder_days[2] is -7; it must be between 1 and 730 (ignored)",
                          "renewal_reminder_days[3] is 731; it must be between 1 and 730 (ignored)",
                          "renewal_reminder_days[4]: 180 is listed twice (ignored)"));

  // A runaway list: the first kMaxItemRenewalDays are planned, the rest said to be ignored.
  std::vector<int32_t> many;
  for (int n = 1; n <= kMaxItemRenewalDays + 2; ++n) many.push_back(n);
  problems.clear();
  EXPECT_EQ(CheckItemRenewalDays(many, &problems).size(), static_cast<size_t>(kMaxItemRenewalDays));
  EXPECT_THAT(problems, ElementsAre(HasSubstr("[16]: at most 16 days are used (17 ignored)"),
                                    HasSubstr("[17]: at most 16 days are used (18 ignored)")));
  EXPECT_THAT(CheckItemRenewalDays(std::vector<int32_t>{0, 7}, nullptr), ElementsAre(7));
}

TEST(ReminderPolicyTest, HoursAndMinutes) {
  EXPECT_THAT(ParseMinuteOfDay("00:00"), Optional(0));
  EXPECT_THAT(ParseMinuteOfDay("23:59"), Optional(23 * 60 + 59));
  EXPECT_THAT(ParseMinuteOfDay("09:30"), Optional(570));
  for (const char* bad : {"9:30", "24:00", "12:60", "12-30", "12:3", "ab:cd", "", "12:30:00"}) {
    EXPECT_FALSE(ParseMinuteOfDay(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatMinuteOfDay(570), "09:30");
  EXPECT_EQ(FormatMinuteOfDay(21 * 60), "21:00");
}

TEST_F(PolicyFileTest, ValidFileResolvesBurstAndUnlistedChannels) {
  absl::StatusOr<ReminderPolicy> policy = LoadText(kValid);
  ASSERT_TRUE(policy.ok()) << policy.status();
  // Burst 0 means per_minute.
  EXPECT_EQ(policy->LimitFor(ChannelType::kWecom), (ChannelLimit{20, 20, 2048}));
  EXPECT_EQ(policy->LimitFor(ChannelType::kSlack), kUnlistedChannelLimit);
}

TEST_F(PolicyFileTest, NoQuietHoursWhenBothBoundsAreEmpty) {
  absl::StatusOr<ReminderPolicy> policy = LoadWithLine(4, "");
  ASSERT_FALSE(policy.ok());  // end alone
  EXPECT_EQ(policy.status().message(),
            At(5) +
                "quiet_hours.start is missing; give both start and end, or neither for no "
                "quiet window");
  std::string text = kValid;
  text.replace(text.find("  start: \"21:00\"\n"), 17, "");
  text.replace(text.find("  end: \"08:30\"\n"), 15, "");
  policy = LoadText(text);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_FALSE(policy->quiet_start_minute.has_value());
  EXPECT_FALSE(policy->quiet_end_minute.has_value());
  EXPECT_TRUE(policy->quiet_non_working_days);
}

TEST_F(PolicyFileTest, ErrorsNameFileAndLine) {
  struct Case {
    int line;
    std::string replacement;
    int error_line;
    std::string message;
  };
  const std::vector<Case> cases = {
      {1, "default_time_zone: \"Asia/Beijing\"", 1,
       "default_time_zone 'Asia/Beijing' is not a known IANA time zone"},
      {2, "send_time: \"9:30\"", 2,
       "send_time '9:30' is not a time of day \"HH:MM\" (00:00-23:59)"},
      {2, "send_time: \"24:00\"", 2,
       "send_time '24:00' is not a time of day \"HH:MM\" (00:00-23:59)"},
      {4, "  start: \"21h\"", 4,
       "quiet_hours.start '21h' is not a time of day \"HH:MM\" (00:00-23:59)"},
      {5, "  end: \"21:00\"", 5,
       "quiet_hours.start and end are both 21:00; an empty or all-day window is ambiguous "
       "(leave both empty for no quiet window)"},
      {8, "before_start_working_days: [3, -1]", 8,
       "before_start_working_days[1] is -1; offsets count days before the deadline and may not "
       "be negative"},
      {9, "before_due_working_days: [7, 3, 7]", 9,
       "before_due_working_days[2]: offset 7 is listed twice"},
      {9, "before_due_working_days: [7, 3, 501]", 9,
       "before_due_working_days[2] is 501; at most 500 is allowed"},
      {11, "  every_working_days: 0", 11,
       "overdue.every_working_days is 0; it must be between 1 and 500"},
      {12, "  escalate_after_working_days: -2", 12,
       "overdue.escalate_after_working_days is -2; it must be between 0 (never) and 500"},
      {14, "post_launch_working_days: [10, 3, 3]", 14,
       "post_launch_working_days[2]: offset 3 is listed twice"},
      {15, "renewal_calendar_days: [90, -60]", 15,
       "renewal_calendar_days[1] is -60; offsets count days before the deadline and may not be "
       "negative"},
      {16, "late_after_minutes: -5", 16, "late_after_minutes is -5; it may not be negative"},
      {17, "catch_up_window_days: 0", 17,
       "catch_up_window_days is 0; it must be between 1 and 366"},
      {19, "  channel: CHANNEL_TYPE_UNSPECIFIED", 19,
       "channel_limits[0]: channel 0 is missing or unknown"},
      {20, "  per_minute: 0", 20,
       "channel_limits[0] (CHANNEL_TYPE_WECOM): per_minute is 0; it must be at least 1"},
      {21, "  max_text_bytes: -1", 21,
       "channel_limits[0] (CHANNEL_TYPE_WECOM): max_text_bytes is -1; it must be at least 1"},
      {21, "  burst: -3", 21,
       "channel_limits[0] (CHANNEL_TYPE_WECOM): burst is -3; it may not be negative (0 means "
       "per_minute)"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ReminderPolicy> policy = LoadWithLine(c.line, c.replacement);
    ASSERT_FALSE(policy.ok()) << c.replacement;
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(policy.status().message()), At(c.error_line) + c.message)
        << c.replacement;
  }
}

TEST_F(PolicyFileTest, MissingFieldsPointAtTheirBlockOrTheFile) {
  // No every_working_days inside overdue: the overdue block's line.
  absl::StatusOr<ReminderPolicy> policy = LoadWithLine(11, "");
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().message(),
            At(10) + "overdue.every_working_days is 0; it must be between 1 and 500");
  // No send_time anywhere: the file.
  policy = LoadWithLine(2, "");
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().message(),
            path() + ": send_time is missing (local \"HH:MM\", e.g. \"09:30\")");
}

TEST_F(PolicyFileTest, DuplicateChannel) {
  std::string text = kValid;
  text +=
      "channel_limits {\n  channel: CHANNEL_TYPE_WECOM\n  per_minute: 5\n"
      "  max_text_bytes: 100\n}\n";
  absl::StatusOr<ReminderPolicy> policy = LoadText(text);
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().message(),
            At(24) + "channel_limits[1]: CHANNEL_TYPE_WECOM is listed twice");
}

TEST_F(PolicyFileTest, SyntaxAndSchemaErrors) {
  absl::StatusOr<ReminderPolicy> policy = LoadWithLine(2, "send_time: 09:30");
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(std::string(policy.status().message()), StartsWith(path() + ":2:"));
  policy = LoadWithLine(16, "late_after_hours: 1");
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(std::string(policy.status().message()), StartsWith(path() + ":16:"));
  EXPECT_THAT(std::string(policy.status().message()), HasSubstr("late_after_hours"));

  absl::StatusOr<ReminderPolicy> missing = LoadReminderPolicy(path() + ".nope");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr(path() + ".nope"));
}

TEST(ReminderPolicyTest, FromProtoWithoutLocationsNamesTheSource) {
  v1::ReminderPolicy proto;
  proto.set_default_time_zone("Asia/Shanghai");
  proto.set_send_time("09:30");
  proto.mutable_overdue()->set_every_working_days(1);
  proto.set_catch_up_window_days(30);
  proto.add_renewal_calendar_days(90);
  proto.add_renewal_calendar_days(90);
  absl::StatusOr<ReminderPolicy> policy = ReminderPolicyFromProto(proto, "flags");
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().message(),
            "flags: renewal_calendar_days[1]: offset 90 is listed twice");

  proto.clear_renewal_calendar_days();
  policy = ReminderPolicyFromProto(proto, "flags");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_FALSE(policy->quiet_start_minute.has_value());
  EXPECT_TRUE(policy->renewal_calendar_days.empty());

  proto.set_default_time_zone("");
  EXPECT_EQ(ReminderPolicyFromProto(proto, "flags").status().message(),
            "flags: default_time_zone is missing (an IANA zone such as \"Asia/Shanghai\")");
}

}  // namespace
}  // namespace preflight::notifier
