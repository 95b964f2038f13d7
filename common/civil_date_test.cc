#include "common/civil_date.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::Optional;

TEST(ParseCivilDayTest, ParsesStrictDates) {
  EXPECT_THAT(ParseCivilDay("2026-10-01"), Optional(absl::CivilDay(2026, 10, 1)));
  EXPECT_THAT(ParseCivilDay("2024-01-01"), Optional(absl::CivilDay(2024, 1, 1)));
  EXPECT_THAT(ParseCivilDay("1999-12-31"), Optional(absl::CivilDay(1999, 12, 31)));
}

TEST(ParseCivilDayTest, AcceptsLeapDaysOnlyInLeapYears) {
  EXPECT_THAT(ParseCivilDay("2024-02-29"), Optional(absl::CivilDay(2024, 2, 29)));
  EXPECT_THAT(ParseCivilDay("2000-02-29"), Optional(absl::CivilDay(2000, 2, 29)));
  // Divisible by 4 and 100 but not 400: no leap day.
  EXPECT_EQ(ParseCivilDay("2100-02-29"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-02-29"), std::nullopt);
}

TEST(ParseCivilDayTest, RejectsImpossibleDates) {
  // absl would normalise these to a different day; the parser must not.
  EXPECT_EQ(ParseCivilDay("2026-02-30"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-04-31"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-13-01"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-00-10"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-01-00"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-01-32"), std::nullopt);
}

TEST(ParseCivilDayTest, RejectsOtherShapes) {
  EXPECT_EQ(ParseCivilDay(""), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-1-05"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-01-5"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("26-01-05"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026/01/05"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("20260105"), std::nullopt);
  EXPECT_EQ(ParseCivilDay(" 2026-01-05"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-01-05 "), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-01-05T00:00:00"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-01-05Z"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("+026-01-05"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("2026-0a-05"), std::nullopt);
  EXPECT_EQ(ParseCivilDay("２０２６-01-05"), std::nullopt);
}

TEST(FormatCivilDayTest, PadsFields) {
  EXPECT_EQ(FormatCivilDay(absl::CivilDay(2026, 1, 5)), "2026-01-05");
  EXPECT_EQ(FormatCivilDay(absl::CivilDay(2026, 12, 31)), "2026-12-31");
  EXPECT_EQ(FormatCivilDay(absl::CivilDay(987, 6, 7)), "0987-06-07");
}

TEST(FormatCivilDayTest, RoundTripsEveryDayOfALeapYear) {
  for (absl::CivilDay day(2024, 1, 1); day < absl::CivilDay(2025, 1, 1); ++day) {
    EXPECT_THAT(ParseCivilDay(FormatCivilDay(day)), Optional(day));
  }
}

TEST(IsWeekendTest, SaturdayAndSundayOnly) {
  // 2026-10-05 is a Monday.
  EXPECT_FALSE(IsWeekend(absl::CivilDay(2026, 10, 5)));
  EXPECT_FALSE(IsWeekend(absl::CivilDay(2026, 10, 6)));
  EXPECT_FALSE(IsWeekend(absl::CivilDay(2026, 10, 7)));
  EXPECT_FALSE(IsWeekend(absl::CivilDay(2026, 10, 8)));
  EXPECT_FALSE(IsWeekend(absl::CivilDay(2026, 10, 9)));
  EXPECT_TRUE(IsWeekend(absl::CivilDay(2026, 10, 10)));
  EXPECT_TRUE(IsWeekend(absl::CivilDay(2026, 10, 11)));
  EXPECT_FALSE(IsWeekend(absl::CivilDay(2026, 10, 12)));
}

TEST(AddMonthsTest, KeepsTheDayOrRunsOverIntoTheNextMonth) {
  EXPECT_EQ(AddMonths(absl::CivilDay(2026, 9, 5), 12), absl::CivilDay(2027, 9, 5));
  EXPECT_EQ(AddMonths(absl::CivilDay(2026, 6, 10), 3), absl::CivilDay(2026, 9, 10));
  EXPECT_EQ(AddMonths(absl::CivilDay(2027, 1, 31), 1), absl::CivilDay(2027, 3, 3));
}

}  // namespace
}  // namespace preflight
