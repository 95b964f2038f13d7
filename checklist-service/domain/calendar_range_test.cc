#include "checklist-service/domain/calendar_range.h"

#include "common/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::CivilDay D(int year, int month, int day) { return absl::CivilDay(year, month, day); }

WorkingCalendar Mainland() {
  absl::StatusOr<WorkingCalendar> calendar =
      WorkingCalendar::LoadFromFile(PREFLIGHT_SOURCE_DIR "/data/calendar/cn_mainland.textproto");
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return *std::move(calendar);
}

std::vector<std::string> Dates(const std::vector<DayOff>& days) {
  std::vector<std::string> out;
  for (const DayOff& d : days) out.push_back(FormatCivilDay(d.day));
  return out;
}

// 2026's Spring Festival: Feb 15-23 off, Saturdays Feb 14 and 28 worked
// (data/calendar/cn_mainland.textproto).
TEST(CalendarRangeTest, SpringFestivalDaysOffAndMakeupWorkdays) {
  const WorkingCalendar calendar = Mainland();
  absl::StatusOr<CalendarRange> range =
      DescribeCalendarRange(calendar, D(2026, 2, 9), D(2026, 3, 1));
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_THAT(range->regions, ElementsAre("CN-mainland"));
  // Feb 14 (a Saturday worked) is missing; Feb 15-23 are the holiday; Feb 28 worked, Mar 1 off.
  EXPECT_THAT(Dates(range->days_off),
              ElementsAre("2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
                          "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", "2026-03-01"));
  EXPECT_EQ(range->days_off.front().holiday.zh, "春节");
  EXPECT_EQ(range->days_off.front().holiday.en, "Spring Festival");
  // An ordinary Sunday has no holiday name.
  EXPECT_EQ(range->days_off.back().holiday.zh, "");
  EXPECT_THAT(range->makeup_workdays, ElementsAre(D(2026, 2, 14), D(2026, 2, 28)));
  EXPECT_THAT(range->unconfirmed_years, IsEmpty());
}

TEST(CalendarRangeTest, YearsWithoutANoticeAreUnconfirmedAndCountedMondayToFriday) {
  const WorkingCalendar calendar = Mainland();
  absl::StatusOr<CalendarRange> range =
      DescribeCalendarRange(calendar, D(2026, 12, 28), D(2027, 1, 10));
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_THAT(range->unconfirmed_years, ElementsAre(2027));
  EXPECT_THAT(Dates(range->days_off),
              ElementsAre("2027-01-02", "2027-01-03", "2027-01-09", "2027-01-10"));
}

TEST(CalendarRangeTest, RangeIsBoundedAndOrdered) {
  const WorkingCalendar calendar = Mainland();
  EXPECT_TRUE(DescribeCalendarRange(calendar, D(2026, 1, 1), D(2026, 1, 1)).ok());
  EXPECT_TRUE(DescribeCalendarRange(calendar, D(2026, 1, 1), D(2026, 1, 1) + 1095).ok());
  absl::StatusOr<CalendarRange> long_range =
      DescribeCalendarRange(calendar, D(2026, 1, 1), D(2026, 1, 1) + 1096);
  EXPECT_EQ(long_range.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(long_range.status().message(), HasSubstr("end_date"));
  absl::StatusOr<CalendarRange> backwards =
      DescribeCalendarRange(calendar, D(2026, 1, 2), D(2026, 1, 1));
  EXPECT_EQ(backwards.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(backwards.status().message(), HasSubstr("end_date: 2026-01-01 is before"));
}

}  // namespace
}  // namespace preflight::checklist
