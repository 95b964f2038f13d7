#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "preflight/v1/calendar.pb.h"

namespace preflight {

// A civil day together with whether every day consulted to reach it lay within the calendar's
// known (announced) years. Days outside them are counted Monday-Friday and flagged unconfirmed.
struct CalendarDay {
  absl::CivilDay day;
  bool unconfirmed = false;
  // The years consulted that the calendar does not know, ascending; non-empty exactly when
  // `unconfirmed`, so a message can say which year's holidays are missing.
  std::vector<int> unconfirmed_years;
};

struct WorkingDayCount {
  int days = 0;
  bool unconfirmed = false;
  // As in CalendarDay.
  std::vector<int> unconfirmed_years;
};

// A public holiday's names, as its calendar file gives them (either may be empty).
struct HolidayNames {
  std::string zh;
  std::string en;
  // "国庆节 National Day", or whichever of the two is given.
  std::string Display() const;
};

// Mainland China working days: Monday-Friday minus public holidays, plus make-up working days
// (调休). Immutable once built, so it can be shared across threads.
class WorkingCalendar {
 public:
  // Builds a calendar from parsed calendar files. Fails with INVALID_ARGUMENT when a date is
  // malformed, a holiday range is inverted or lies outside its year, a make-up day is not a
  // weekend day, or a year appears twice.
  static absl::StatusOr<WorkingCalendar> FromProtos(const std::vector<v1::CalendarFile>& files);

  // Parses every "*.textproto" file in each directory (missing directories are skipped) and
  // builds the calendar. Errors name the file and line.
  static absl::StatusOr<WorkingCalendar> LoadFromDirectories(
      const std::vector<std::string>& directories);

  // Loads a single file.
  static absl::StatusOr<WorkingCalendar> LoadFromFile(const std::string& path);

  // A calendar that knows no years: plain Monday-Friday, everything unconfirmed.
  WorkingCalendar() = default;

  bool IsWorkingDay(absl::CivilDay day) const;
  // True when the day's year was announced (listed in a calendar file).
  bool IsConfirmed(absl::CivilDay day) const;
  // Name of the holiday `day` falls in, e.g. "国庆节 National Day".
  std::optional<std::string> HolidayName(absl::CivilDay day) const;
  // The same names apart.
  std::optional<HolidayNames> Holiday(absl::CivilDay day) const;
  // The make-up working days (weekend days that are working days) in [first, last], ascending.
  std::vector<absl::CivilDay> MakeupWorkdays(absl::CivilDay first, absl::CivilDay last) const;

  // n > 0: the n-th working day strictly after `from`; n < 0: the |n|-th working day strictly
  // before `from`; n == 0: `from` itself.
  CalendarDay AddWorkingDays(absl::CivilDay from, int n) const;
  // `day` if it is a working day, else the next (or previous) one.
  CalendarDay RollForward(absl::CivilDay day) const;
  CalendarDay RollBackward(absl::CivilDay day) const;
  // Number of working days d with from < d <= to; negative (counting to < d <= from) when
  // to < from. AddWorkingDays(from, WorkingDaysBetween(from, to).days) == to whenever `to` is a
  // working day. Linear in the holidays and make-up days of the range, and, when it is
  // unconfirmed, in its years.
  WorkingDayCount WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  std::set<int> known_years() const;
  // The regions the calendar files name, e.g. {"CN-mainland"}, in load order.
  const std::vector<std::string>& regions() const { return regions_; }

 private:
  std::vector<std::string> regions_;
  std::set<int> known_years_;
  std::map<absl::CivilDay, HolidayNames> holidays_;
  std::set<absl::CivilDay> makeup_workdays_;
};

}  // namespace preflight
