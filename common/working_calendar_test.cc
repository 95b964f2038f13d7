#include "common/working_calendar.h"

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

constexpr char kDataFile[] = PREFLIGHT_SOURCE_DIR "/data/calendar/cn_mainland.textproto";

absl::CivilDay D(int year, int month, int day) { return absl::CivilDay(year, month, day); }

// The real mainland calendar, loaded once.
class MainlandCalendarTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<WorkingCalendar> calendar = WorkingCalendar::LoadFromFile(kDataFile);
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = new WorkingCalendar(*std::move(calendar));
  }
  static void TearDownTestSuite() {
    delete calendar_;
    calendar_ = nullptr;
  }

  static const WorkingCalendar& cal() { return *calendar_; }

  // Day-by-day reference count of working days in (from, to], for cross-checking.
  static int BruteForceBetween(absl::CivilDay from, absl::CivilDay to) {
    int sign = 1;
    if (to < from) {
      std::swap(from, to);
      sign = -1;
    }
    int count = 0;
    for (absl::CivilDay day = from + 1; day <= to; ++day) count += cal().IsWorkingDay(day);
    return sign * count;
  }

 private:
  static WorkingCalendar* calendar_;
};

WorkingCalendar* MainlandCalendarTest::calendar_ = nullptr;

TEST_F(MainlandCalendarTest, LoadsTheAnnouncedYearsOnly) {
  EXPECT_THAT(cal().known_years(), ElementsAre(2024, 2025, 2026));
  EXPECT_TRUE(cal().IsConfirmed(D(2024, 1, 1)));
  EXPECT_TRUE(cal().IsConfirmed(D(2026, 12, 31)));
  EXPECT_FALSE(cal().IsConfirmed(D(2023, 12, 31)));
  EXPECT_FALSE(cal().IsConfirmed(D(2027, 1, 1)));
}

TEST_F(MainlandCalendarTest, LoadsTheSameThroughItsDirectory) {
  absl::StatusOr<WorkingCalendar> calendar =
      WorkingCalendar::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/calendar"});
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->known_years(), cal().known_years());
  for (absl::CivilDay day = D(2024, 1, 1); day <= D(2026, 12, 31); ++day) {
    ASSERT_EQ(calendar->IsWorkingDay(day), cal().IsWorkingDay(day)) << day;
  }
}

TEST_F(MainlandCalendarTest, CountsEachYearsWorkingDays) {
  // Weekdays - holiday days that fall on weekdays + make-up weekend days.
  // 2024: 262 - 19 (Jan 1, Feb 12-16, Apr 4-5, May 1-3, Jun 10, Sep 16-17, Oct 1-4, Oct 7) + 8.
  EXPECT_EQ(cal().WorkingDaysBetween(D(2023, 12, 31), D(2024, 12, 31)).days, 251);
  // 2025: 261 - 18 (Jan 1, Jan 28-31, Feb 3-4, Apr 4, May 1-2, May 5, Jun 2, Oct 1-3, Oct 6-8) + 5.
  EXPECT_EQ(cal().WorkingDaysBetween(D(2024, 12, 31), D(2025, 12, 31)).days, 248);
  // 2026: 261 - 19 (Jan 1-2, Feb 16-20, Feb 23, Apr 6, May 1, May 4-5, Jun 19, Sep 25, Oct 1-2,
  // Oct 5-7) + 6.
  EXPECT_EQ(cal().WorkingDaysBetween(D(2025, 12, 31), D(2026, 12, 31)).days, 248);
}

TEST_F(MainlandCalendarTest, NationalDay2026) {
  // Oct 1 (Thu) - Oct 7 (Wed) are off, including the weekend Oct 3-4.
  for (int day = 1; day <= 7; ++day) {
    EXPECT_FALSE(cal().IsWorkingDay(D(2026, 10, day))) << day;
    EXPECT_THAT(cal().HolidayName(D(2026, 10, day)), Optional(std::string("国庆节 National Day")));
  }
  EXPECT_TRUE(cal().IsWorkingDay(D(2026, 9, 30)));
  EXPECT_TRUE(cal().IsWorkingDay(D(2026, 10, 8)));
  EXPECT_TRUE(cal().IsWorkingDay(D(2026, 10, 9)));
  // Make-up working days: Sunday Sep 20 and Saturday Oct 10.
  EXPECT_TRUE(cal().IsWorkingDay(D(2026, 9, 20)));
  EXPECT_TRUE(cal().IsWorkingDay(D(2026, 10, 10)));
  EXPECT_EQ(cal().HolidayName(D(2026, 10, 10)), std::nullopt);
  // Their weekend neighbours stay days off.
  EXPECT_FALSE(cal().IsWorkingDay(D(2026, 9, 19)));
  EXPECT_FALSE(cal().IsWorkingDay(D(2026, 10, 11)));

  // Wed Sep 30 + 1 jumps the whole holiday to Thu Oct 8; Fri Oct 9 + 1 is the make-up Saturday.
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 9, 30), 1).day, D(2026, 10, 8));
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 10, 9), 1).day, D(2026, 10, 10));
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 10, 10), 1).day, D(2026, 10, 12));
  // Sat Sep 19 + 1 is the make-up Sunday Sep 20.
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 9, 19), 1).day, D(2026, 9, 20));
  // Working days after Sep 30 up to Oct 12: Oct 8, 9, 10, 12.
  const WorkingDayCount count = cal().WorkingDaysBetween(D(2026, 9, 30), D(2026, 10, 12));
  EXPECT_EQ(count.days, 4);
  EXPECT_FALSE(count.unconfirmed);
}

TEST_F(MainlandCalendarTest, SpringFestival2026WithBothMakeupSaturdays) {
  // Feb 15 (Sun) - Feb 23 (Mon) off; Saturdays Feb 14 and Feb 28 are working days.
  for (absl::CivilDay day = D(2026, 2, 15); day <= D(2026, 2, 23); ++day) {
    EXPECT_FALSE(cal().IsWorkingDay(day)) << day;
    EXPECT_THAT(cal().HolidayName(day), Optional(std::string("春节 Spring Festival")));
  }
  EXPECT_TRUE(cal().IsWorkingDay(D(2026, 2, 14)));
  EXPECT_TRUE(cal().IsWorkingDay(D(2026, 2, 28)));
  EXPECT_FALSE(cal().IsWorkingDay(D(2026, 3, 1)));  // ordinary Sunday
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 2, 13), 1).day, D(2026, 2, 14));
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 2, 14), 1).day, D(2026, 2, 24));
  // Fri Feb 27 + 1 = make-up Sat Feb 28; + 2 = Mon Mar 2.
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 2, 27), 1).day, D(2026, 2, 28));
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 2, 27), 2).day, D(2026, 3, 2));
  // After Fri Feb 13 up to Mon Mar 2: Feb 14, 24, 25, 26, 27, 28, Mar 2.
  EXPECT_EQ(cal().WorkingDaysBetween(D(2026, 2, 13), D(2026, 3, 2)).days, 7);
}

TEST_F(MainlandCalendarTest, NewYear2024) {
  // Mon Jan 1 off, "joined to the weekend": Dec 30-31, 2023 are an ordinary weekend of a year
  // that is not in the file.
  EXPECT_FALSE(cal().IsWorkingDay(D(2024, 1, 1)));
  EXPECT_THAT(cal().HolidayName(D(2024, 1, 1)), Optional(std::string("元旦 New Year's Day")));
  EXPECT_EQ(cal().HolidayName(D(2023, 12, 31)), std::nullopt);
  EXPECT_FALSE(cal().IsWorkingDay(D(2023, 12, 30)));
  EXPECT_TRUE(cal().IsWorkingDay(D(2024, 1, 2)));

  const CalendarDay rolled = cal().RollForward(D(2024, 1, 1));
  EXPECT_EQ(rolled.day, D(2024, 1, 2));
  EXPECT_FALSE(rolled.unconfirmed);

  // From Fri Dec 29, 2023 the next working day is Tue Jan 2; the count stepped over 2023 days,
  // so it is unconfirmed.
  const CalendarDay next = cal().AddWorkingDays(D(2023, 12, 29), 1);
  EXPECT_EQ(next.day, D(2024, 1, 2));
  EXPECT_TRUE(next.unconfirmed);
  const CalendarDay back = cal().AddWorkingDays(D(2024, 1, 2), -1);
  EXPECT_EQ(back.day, D(2023, 12, 29));
  EXPECT_TRUE(back.unconfirmed);

  // 除夕 (Fri Feb 9) was a working day in 2024.
  EXPECT_TRUE(cal().IsWorkingDay(D(2024, 2, 9)));
  EXPECT_FALSE(cal().IsWorkingDay(D(2024, 2, 10)));
  // Sunday Feb 4 and Sunday Feb 18 were make-up working days.
  EXPECT_TRUE(cal().IsWorkingDay(D(2024, 2, 4)));
  EXPECT_TRUE(cal().IsWorkingDay(D(2024, 2, 18)));
}

TEST_F(MainlandCalendarTest, CountsAcrossYearEnds) {
  // Tue Dec 31, 2024 + 1: Jan 1, 2025 (Wed) is off, so Thu Jan 2.
  CalendarDay day = cal().AddWorkingDays(D(2024, 12, 31), 1);
  EXPECT_EQ(day.day, D(2025, 1, 2));
  EXPECT_FALSE(day.unconfirmed);
  // Wed Dec 31, 2025 + 1: Jan 1-3, 2026 off, Sunday Jan 4 is a make-up working day.
  day = cal().AddWorkingDays(D(2025, 12, 31), 1);
  EXPECT_EQ(day.day, D(2026, 1, 4));
  EXPECT_FALSE(day.unconfirmed);
  // After Tue Dec 30, 2025 up to Tue Jan 6, 2026: Dec 31, Jan 4, Jan 5, Jan 6.
  const WorkingDayCount count = cal().WorkingDaysBetween(D(2025, 12, 30), D(2026, 1, 6));
  EXPECT_EQ(count.days, 4);
  EXPECT_FALSE(count.unconfirmed);
  // Spring Festival 2025 starts in January: Fri Jan 24 + 1 is the make-up Sunday Jan 26, + 2 is
  // Mon Jan 27, + 3 skips Jan 28 - Feb 4 to Wed Feb 5.
  EXPECT_EQ(cal().AddWorkingDays(D(2025, 1, 24), 1).day, D(2025, 1, 26));
  EXPECT_EQ(cal().AddWorkingDays(D(2025, 1, 24), 2).day, D(2025, 1, 27));
  EXPECT_EQ(cal().AddWorkingDays(D(2025, 1, 24), 3).day, D(2025, 2, 5));
}

TEST_F(MainlandCalendarTest, NegativeCounts) {
  // Mon Oct 12, 2026 - 1 = make-up Sat Oct 10; - 2 = Fri Oct 9.
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 10, 12), -1).day, D(2026, 10, 10));
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 10, 12), -2).day, D(2026, 10, 9));
  // Thu Oct 8 - 1 = Wed Sep 30 (across the holiday); - 3 = Mon Sep 28.
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 10, 8), -1).day, D(2026, 9, 30));
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 10, 8), -3).day, D(2026, 9, 28));
  // Mon Sep 21 - 1 = make-up Sun Sep 20; - 2 = Fri Sep 18.
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 9, 21), -1).day, D(2026, 9, 20));
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 9, 21), -2).day, D(2026, 9, 18));
  // Counting backwards gives the negated count.
  EXPECT_EQ(cal().WorkingDaysBetween(D(2026, 10, 12), D(2026, 9, 30)).days, -4);
  // n == 0 is the day itself, even on a holiday.
  EXPECT_EQ(cal().AddWorkingDays(D(2026, 10, 3), 0).day, D(2026, 10, 3));
  EXPECT_EQ(cal().WorkingDaysBetween(D(2026, 10, 3), D(2026, 10, 3)).days, 0);
}

TEST_F(MainlandCalendarTest, RollForwardAndBackward) {
  EXPECT_EQ(cal().RollForward(D(2026, 10, 1)).day, D(2026, 10, 8));
  EXPECT_EQ(cal().RollForward(D(2026, 10, 9)).day, D(2026, 10, 9));    // already working
  EXPECT_EQ(cal().RollForward(D(2026, 10, 10)).day, D(2026, 10, 10));  // make-up Saturday
  EXPECT_EQ(cal().RollForward(D(2026, 10, 11)).day, D(2026, 10, 12));
  EXPECT_EQ(cal().RollBackward(D(2026, 10, 7)).day, D(2026, 9, 30));
  EXPECT_EQ(cal().RollBackward(D(2026, 10, 11)).day, D(2026, 10, 10));
  EXPECT_EQ(cal().RollBackward(D(2026, 9, 20)).day, D(2026, 9, 20));  // make-up Sunday
  EXPECT_EQ(cal().RollBackward(D(2026, 9, 19)).day, D(2026, 9, 18));
  EXPECT_EQ(cal().RollBackward(D(2026, 2, 23)).day, D(2026, 2, 14));
  EXPECT_EQ(cal().RollForward(D(2026, 2, 15)).day, D(2026, 2, 24));
  // Rolling back over New Year 2026 stays confirmed (2025 is known).
  const CalendarDay back = cal().RollBackward(D(2026, 1, 3));
  EXPECT_EQ(back.day, D(2025, 12, 31));
  EXPECT_FALSE(back.unconfirmed);
}

TEST_F(MainlandCalendarTest, Dates2027AreUnconfirmedMondayToFriday) {
  // 2027 is not announced: Jan 1, 2027 (Fri) counts as an ordinary working day, flagged.
  EXPECT_TRUE(cal().IsWorkingDay(D(2027, 1, 1)));
  EXPECT_EQ(cal().HolidayName(D(2027, 1, 1)), std::nullopt);
  CalendarDay day = cal().AddWorkingDays(D(2026, 12, 31), 1);
  EXPECT_EQ(day.day, D(2027, 1, 1));
  EXPECT_TRUE(day.unconfirmed);
  // Mon Mar 1, 2027 + 5 = Mon Mar 8.
  day = cal().AddWorkingDays(D(2027, 3, 1), 5);
  EXPECT_EQ(day.day, D(2027, 3, 8));
  EXPECT_TRUE(day.unconfirmed);
  day = cal().RollForward(D(2027, 1, 2));  // Saturday
  EXPECT_EQ(day.day, D(2027, 1, 4));
  EXPECT_TRUE(day.unconfirmed);
  day = cal().RollBackward(D(2027, 1, 3));  // Sunday
  EXPECT_EQ(day.day, D(2027, 1, 1));
  EXPECT_TRUE(day.unconfirmed);
  // Fri Dec 25, 2026 to Fri Jan 8, 2027: Dec 28-31, Jan 1, Jan 4-8 = 10, flagged.
  const WorkingDayCount count = cal().WorkingDaysBetween(D(2026, 12, 25), D(2027, 1, 8));
  EXPECT_EQ(count.days, 10);
  EXPECT_TRUE(count.unconfirmed);
  // The same kind of call inside 2026 is confirmed.
  EXPECT_FALSE(cal().AddWorkingDays(D(2026, 12, 1), 5).unconfirmed);
  EXPECT_FALSE(cal().WorkingDaysBetween(D(2026, 12, 1), D(2026, 12, 31)).unconfirmed);
}

TEST_F(MainlandCalendarTest, UnconfirmedResultsNameTheMissingYears) {
  // Only the years outside 2024-2026 that the span touches, ascending, whichever the direction.
  EXPECT_THAT(cal().AddWorkingDays(D(2026, 12, 31), 1).unconfirmed_years, ElementsAre(2027));
  EXPECT_THAT(cal().AddWorkingDays(D(2027, 1, 4), -3).unconfirmed_years, ElementsAre(2027));
  // New Year's Day 2024 is off: rolling back lands in 2023.
  EXPECT_THAT(cal().RollBackward(D(2024, 1, 1)).unconfirmed_years, ElementsAre(2023));
  EXPECT_THAT(cal().RollBackward(D(2026, 1, 3)).unconfirmed_years, IsEmpty());
  EXPECT_THAT(cal().RollForward(D(2027, 1, 2)).unconfirmed_years, ElementsAre(2027));
  EXPECT_THAT(cal().WorkingDaysBetween(D(2028, 6, 1), D(2023, 6, 1)).unconfirmed_years,
              ElementsAre(2023, 2027, 2028));
  EXPECT_THAT(cal().WorkingDaysBetween(D(2024, 1, 2), D(2026, 12, 31)).unconfirmed_years,
              IsEmpty());
  // Nothing known: every year of the span.
  const WorkingCalendar empty;
  EXPECT_THAT(empty.WorkingDaysBetween(D(2026, 12, 1), D(2027, 1, 8)).unconfirmed_years,
              ElementsAre(2026, 2027));
}

TEST_F(MainlandCalendarTest, BetweenAgreesWithDayByDayCounting) {
  // Every pair (from, to) a prime stride apart across the known years and into the unknown ones.
  for (absl::CivilDay from = D(2023, 11, 1); from <= D(2027, 2, 1); from += 11) {
    for (int span : {0, 1, 3, 7, 20, 45, 200, -1, -9, -60}) {
      const absl::CivilDay to = from + span;
      const int days = cal().WorkingDaysBetween(from, to).days;
      ASSERT_EQ(days, BruteForceBetween(from, to)) << from << " -> " << to;
      // Counting back from a day off, (to, from] holds no day to land on, so the round trip
      // needs a working `from` in that direction.
      if (cal().IsWorkingDay(to) && (span >= 0 || cal().IsWorkingDay(from))) {
        ASSERT_EQ(cal().AddWorkingDays(from, days).day, to) << from << " + " << days;
      }
    }
  }
}

TEST(WorkingCalendarTest, EmptyCalendarIsMondayToFridayAndUnconfirmed) {
  const WorkingCalendar calendar;
  EXPECT_TRUE(calendar.known_years().empty());
  EXPECT_TRUE(calendar.IsWorkingDay(D(2026, 10, 1)));  // Thursday, no holidays known
  EXPECT_FALSE(calendar.IsWorkingDay(D(2026, 10, 3)));
  const CalendarDay day = calendar.AddWorkingDays(D(2026, 10, 2), 1);
  EXPECT_EQ(day.day, D(2026, 10, 5));
  EXPECT_TRUE(day.unconfirmed);
}

TEST(WorkingCalendarTest, MissingDirectoriesAreSkipped) {
  testing::TempDir dir;
  absl::StatusOr<WorkingCalendar> calendar =
      WorkingCalendar::LoadFromDirectories({dir.Join("does-not-exist"), dir.path()});
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_TRUE(calendar->known_years().empty());
}

TEST(WorkingCalendarTest, FromProtosBuildsACalendar) {
  v1::CalendarFile file;
  v1::CalendarYear* year = file.add_years();
  year->set_year(2030);
  v1::Holiday* holiday = year->add_holidays();
  holiday->set_name_zh("测试");
  holiday->set_name_en("Test");
  holiday->set_first_day("2030-03-04");  // Monday
  holiday->set_last_day("2030-03-05");
  holiday->add_makeup_workdays("2030-03-09");  // Saturday
  absl::StatusOr<WorkingCalendar> calendar = WorkingCalendar::FromProtos({file});
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_FALSE(calendar->IsWorkingDay(D(2030, 3, 4)));
  EXPECT_TRUE(calendar->IsWorkingDay(D(2030, 3, 9)));
  EXPECT_THAT(calendar->HolidayName(D(2030, 3, 5)), Optional(std::string("测试 Test")));
  EXPECT_EQ(calendar->AddWorkingDays(D(2030, 3, 1), 1).day, D(2030, 3, 6));
  EXPECT_FALSE(calendar->AddWorkingDays(D(2030, 3, 1), 1).unconfirmed);
}

TEST(WorkingCalendarTest, FromProtosRejectsAYearListedTwice) {
  v1::CalendarFile first;
  first.add_years()->set_year(2030);
  v1::CalendarFile second;
  second.set_region("extra");
  second.add_years()->set_year(2030);
  absl::StatusOr<WorkingCalendar> calendar = WorkingCalendar::FromProtos({first, second});
  EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(calendar.status().message(), HasSubstr("calendar file #2 (extra)"));
  EXPECT_THAT(calendar.status().message(), HasSubstr("year 2030 is listed twice"));
}

TEST(WorkingCalendarTest, FromProtosNamesTheFileWithoutALine) {
  v1::CalendarFile file;
  v1::CalendarYear* year = file.add_years();
  year->set_year(2030);
  v1::Holiday* holiday = year->add_holidays();
  holiday->set_name_en("Test");
  holiday->set_first_day("2030-03-04");
  holiday->set_last_day("March 5");
  const absl::Status status = WorkingCalendar::FromProtos({file}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("calendar file #1: holiday 'Test' of 2030: last_day"));
}

// Writes calendar files into a temporary folder and loads them.
class CalendarValidationTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.Join(name);
    std::ofstream(path) << text;
    return path;
  }

  // A one-holiday file for 2030; line 5 is first_day, line 6 last_day, line 7 the make-up day.
  std::string HolidayFile(const std::string& first, const std::string& last,
                          const std::string& makeup) {
    return absl::StrCat("years {\n  year: 2030\n  holidays {\n    name_zh: \"测试\"\n",
                        "    first_day: \"", first, "\"\n", "    last_day: \"", last, "\"\n",
                        "    makeup_workdays: \"", makeup, "\"\n  }\n}\n");
  }

  absl::Status LoadHoliday(const std::string& first, const std::string& last,
                           const std::string& makeup) {
    return WorkingCalendar::LoadFromFile(Write("test.textproto", HolidayFile(first, last, makeup)))
        .status();
  }

  testing::TempDir dir_;
};

TEST_F(CalendarValidationTest, AcceptsAValidFile) {
  // 2030-03-04 is a Monday, 2030-03-09 a Saturday.
  EXPECT_TRUE(LoadHoliday("2030-03-04", "2030-03-05", "2030-03-09").ok());
}

TEST_F(CalendarValidationTest, RejectsMalformedDate) {
  const absl::Status status = LoadHoliday("2030-3-04", "2030-03-05", "2030-03-09");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(dir_.Join("test.textproto") + ":5:"));
  EXPECT_THAT(status.message(), HasSubstr("first_day '2030-3-04' is not a date"));

  const absl::Status impossible = LoadHoliday("2030-03-04", "2030-02-30", "2030-03-09");
  EXPECT_THAT(impossible.message(), HasSubstr(":6:"));
  EXPECT_THAT(impossible.message(), HasSubstr("last_day '2030-02-30' is not a date"));

  const absl::Status makeup = LoadHoliday("2030-03-04", "2030-03-05", "Saturday");
  EXPECT_THAT(makeup.message(), HasSubstr(":7:"));
  EXPECT_THAT(makeup.message(), HasSubstr("make-up working day 'Saturday' is not a date"));
}

TEST_F(CalendarValidationTest, RejectsInvertedRange) {
  const absl::Status status = LoadHoliday("2030-03-06", "2030-03-05", "2030-03-09");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(":6:"));
  EXPECT_THAT(status.message(), HasSubstr("first_day 2030-03-06 is after last_day 2030-03-05"));
}

TEST_F(CalendarValidationTest, RejectsHolidayOutsideItsYear) {
  absl::Status status = LoadHoliday("2029-12-31", "2030-01-01", "2030-03-09");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(":5:"));
  EXPECT_THAT(status.message(), HasSubstr("first_day 2029-12-31 is outside 2030"));

  status = LoadHoliday("2030-12-31", "2031-01-01", "2030-03-09");
  EXPECT_THAT(status.message(), HasSubstr(":6:"));
  EXPECT_THAT(status.message(), HasSubstr("last_day 2031-01-01 is outside 2030"));
}

TEST_F(CalendarValidationTest, RejectsMakeupDayOutsideItsYear) {
  // 2031-01-04 is a Saturday, but of the wrong year.
  const absl::Status status = LoadHoliday("2030-03-04", "2030-03-05", "2031-01-04");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(":7:"));
  EXPECT_THAT(status.message(), HasSubstr("make-up working day 2031-01-04 is outside 2030"));
}

TEST_F(CalendarValidationTest, RejectsMakeupDayOnAWeekday) {
  // 2030-03-08 is a Friday.
  const absl::Status status = LoadHoliday("2030-03-04", "2030-03-05", "2030-03-08");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(":7:"));
  EXPECT_THAT(status.message(), HasSubstr("2030-03-08 is not a Saturday or Sunday"));
}

TEST_F(CalendarValidationTest, RejectsMakeupDayThatIsAlsoADayOff) {
  // Sat 2030-03-09 is inside the holiday it claims to make up for.
  const absl::Status status = LoadHoliday("2030-03-08", "2030-03-10", "2030-03-09");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(":7:"));
  EXPECT_THAT(status.message(), HasSubstr("is a day off"));
}

TEST_F(CalendarValidationTest, RejectsOverlappingHolidays) {
  const std::string path = Write("overlap.textproto",
                                 "years {\n"
                                 "  year: 2030\n"
                                 "  holidays { name_en: \"A\" first_day: \"2030-03-04\" "
                                 "last_day: \"2030-03-06\" }\n"
                                 "  holidays {\n"
                                 "    name_en: \"B\"\n"
                                 "    first_day: \"2030-03-06\"\n"
                                 "    last_day: \"2030-03-07\"\n"
                                 "  }\n"
                                 "}\n");
  const absl::Status status = WorkingCalendar::LoadFromFile(path).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr(path + ":6:"));
  EXPECT_THAT(status.message(), HasSubstr("2030-03-06 already belongs to 'A'"));
}

TEST_F(CalendarValidationTest, RejectsYearListedTwiceInOneFile) {
  const std::string path =
      Write("twice.textproto", "region: \"x\"\nyears { year: 2030 }\nyears {\n  year: 2030\n}\n");
  const absl::Status status = WorkingCalendar::LoadFromFile(path).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(path + ":4:"));
  EXPECT_THAT(status.message(), HasSubstr("year 2030 is listed twice (first at " + path + ":2)"));
}

TEST_F(CalendarValidationTest, RejectsYearListedTwiceAcrossFiles) {
  const std::string first = Write("a.textproto", "years { year: 2030 }\n");
  const std::string second = Write("b.textproto", "years { year: 2031 }\n\nyears { year: 2030 }\n");
  Write("ignored.txt", "not a calendar file");
  const absl::Status status = WorkingCalendar::LoadFromDirectories({dir_.path()}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(second + ":3:"));
  EXPECT_THAT(status.message(), HasSubstr("first at " + first + ":1"));
}

TEST_F(CalendarValidationTest, LoadsSeveralFiles) {
  Write("a.textproto", HolidayFile("2030-03-04", "2030-03-05", "2030-03-09"));
  Write("b.textproto", "years { year: 2031 }\n");
  absl::StatusOr<WorkingCalendar> calendar = WorkingCalendar::LoadFromDirectories({dir_.path()});
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_THAT(calendar->known_years(), ElementsAre(2030, 2031));
  EXPECT_FALSE(calendar->IsWorkingDay(D(2030, 3, 4)));
}

TEST_F(CalendarValidationTest, RejectsHolidayWithoutName) {
  const std::string path =
      Write("noname.textproto",
            "years {\n  year: 2030\n  holidays {\n    first_day: \"2030-03-04\"\n"
            "    last_day: \"2030-03-04\"\n  }\n}\n");
  const absl::Status status = WorkingCalendar::LoadFromFile(path).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(path + ":4:"));
  EXPECT_THAT(status.message(), HasSubstr("has no name_zh or name_en"));
}

TEST_F(CalendarValidationTest, RejectsMissingYear) {
  const std::string path = Write("noyear.textproto", "years {\n  source: \"x\"\n}\n");
  const absl::Status status = WorkingCalendar::LoadFromFile(path).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(path));
  EXPECT_THAT(status.message(), HasSubstr("year 0 is missing or out of range"));
}

TEST_F(CalendarValidationTest, SyntaxErrorsNameFileAndLine) {
  const std::string path = Write("broken.textproto", "years {\n  year: 2030\n  holyday {}\n}\n");
  const absl::Status status = WorkingCalendar::LoadFromFile(path).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(path + ":3:"));
}

TEST_F(CalendarValidationTest, MissingFileIsNotFound) {
  const absl::Status status = WorkingCalendar::LoadFromFile(dir_.Join("nope.textproto")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("nope.textproto"));
}

}  // namespace
}  // namespace preflight
