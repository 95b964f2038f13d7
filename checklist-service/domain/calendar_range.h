#pragma once

// The working-day calendar over a date range, as GetWorkingCalendar answers it: which days are
// not working days and why, which weekend days are, and which years are unconfirmed. Clients
// that draw a schedule (the CLI's timeline) shade the same days the schedule was counted on.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/working_calendar.h"

namespace preflight::checklist {

// The longest range answered: three years and a leap day, enough for any launch's plan.
inline constexpr int kMaxCalendarRangeDays = 1096;

struct DayOff {
  absl::CivilDay day;
  // Empty names for an ordinary weekend day.
  HolidayNames holiday;
};

struct CalendarRange {
  std::vector<std::string> regions;
  absl::CivilDay start;
  absl::CivilDay end;
  // Ascending.
  std::vector<DayOff> days_off;
  std::vector<absl::CivilDay> makeup_workdays;
  std::vector<int> unconfirmed_years;
};

// The calendar's days in [start, end]. INVALID_ARGUMENT naming end_date when end is before
// start or the range is longer than kMaxCalendarRangeDays.
absl::StatusOr<CalendarRange> DescribeCalendarRange(const WorkingCalendar& calendar,
                                                    absl::CivilDay start, absl::CivilDay end);

}  // namespace preflight::checklist
