#include "checklist-service/domain/calendar_range.h"

#include "absl/strings/str_cat.h"
#include "common/civil_date.h"

namespace preflight::checklist {

absl::StatusOr<CalendarRange> DescribeCalendarRange(const WorkingCalendar& calendar,
                                                    absl::CivilDay start, absl::CivilDay end) {
  if (end < start) {
    return absl::InvalidArgumentError(absl::StrCat(
        "end_date: ", FormatCivilDay(end), " is before start_date ", FormatCivilDay(start)));
  }
  // Counted inclusive, so a range of kMaxCalendarRangeDays days ends that many days minus one on.
  if (end - start >= kMaxCalendarRangeDays) {
    return absl::InvalidArgumentError(absl::StrCat("end_date: the range may span at most ",
                                                   kMaxCalendarRangeDays, " days, got ",
                                                   end - start + 1));
  }
  CalendarRange range;
  range.regions = calendar.regions();
  range.start = start;
  range.end = end;
  for (absl::CivilDay day = start; day <= end; ++day) {
    if (calendar.IsWorkingDay(day)) continue;
    range.days_off.push_back({day, calendar.Holiday(day).value_or(HolidayNames{})});
  }
  range.makeup_workdays = calendar.MakeupWorkdays(start, end);
  for (int64_t year = start.year(); year <= end.year(); ++year) {
    if (!calendar.IsConfirmed(absl::CivilDay(year, 1, 1))) {
      range.unconfirmed_years.push_back(static_cast<int>(year));
    }
  }
  return range;
}

}  // namespace preflight::checklist
