#include "common/working_calendar.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/civil_date.h"
#include "common/text_proto.h"

namespace preflight {
namespace {

using ::google::protobuf::TextFormat;

// A calendar file with where it came from, so errors can name the file and line.
struct SourceFile {
  std::string name;
  const v1::CalendarFile* file = nullptr;
  // Field locations; null when the proto did not come from text.
  const TextFormat::ParseInfoTree* info = nullptr;
};

// What the files describe, before it goes into a WorkingCalendar.
struct CalendarTables {
  std::vector<std::string> regions;
  std::set<int> years;
  std::map<absl::CivilDay, HolidayNames> holidays;
  std::set<absl::CivilDay> makeup_workdays;
};

// Years outside this range cannot be written as YYYY-MM-DD.
constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

absl::Status ErrorAt(const std::string& source, int line, const std::string& message) {
  if (line > 0) return absl::InvalidArgumentError(absl::StrCat(source, ":", line, ": ", message));
  return absl::InvalidArgumentError(absl::StrCat(source, ": ", message));
}

// Line of `field` in `message`, 0 when the tree is unknown.
int Line(const TextFormat::ParseInfoTree* info, const google::protobuf::Message& message,
         const std::string& field, int index = -1) {
  return info == nullptr ? 0 : LineOf(*info, message, field, index);
}

const TextFormat::ParseInfoTree* Nested(const TextFormat::ParseInfoTree* info,
                                        const google::protobuf::Message& parent,
                                        const std::string& field, int index) {
  if (info == nullptr) return nullptr;
  const google::protobuf::FieldDescriptor* descriptor =
      parent.GetDescriptor()->FindFieldByName(field);
  return descriptor == nullptr ? nullptr : info->GetTreeForNested(descriptor, index);
}

// Where each year was first defined, to report duplicates across files.
using YearOrigins = std::map<int, std::string>;

absl::Status AddHoliday(const std::string& source, int year, const v1::Holiday& holiday,
                        const TextFormat::ParseInfoTree* info, CalendarTables& tables) {
  // "国庆节 National Day", or whichever of the two names is given.
  std::string name = holiday.name_zh();
  if (!holiday.name_en().empty()) {
    absl::StrAppend(&name, name.empty() ? "" : " ", holiday.name_en());
  }
  const std::string what = absl::StrCat("holiday '", name, "' of ", year);
  if (name.empty()) {
    return ErrorAt(source, Line(info, holiday, "first_day"),
                   absl::StrCat("a holiday of ", year, " has no name_zh or name_en"));
  }
  const std::optional<absl::CivilDay> first = ParseCivilDay(holiday.first_day());
  if (!first) {
    return ErrorAt(
        source, Line(info, holiday, "first_day"),
        absl::StrCat(what, ": first_day '", holiday.first_day(), "' is not a date (YYYY-MM-DD)"));
  }
  const std::optional<absl::CivilDay> last = ParseCivilDay(holiday.last_day());
  if (!last) {
    return ErrorAt(
        source, Line(info, holiday, "last_day"),
        absl::StrCat(what, ": last_day '", holiday.last_day(), "' is not a date (YYYY-MM-DD)"));
  }
  if (*first > *last) {
    return ErrorAt(source, Line(info, holiday, "last_day"),
                   absl::StrCat(what, ": first_day ", holiday.first_day(), " is after last_day ",
                                holiday.last_day()));
  }
  if (first->year() != year) {
    return ErrorAt(source, Line(info, holiday, "first_day"),
                   absl::StrCat(what, ": first_day ", holiday.first_day(), " is outside ", year));
  }
  if (last->year() != year) {
    return ErrorAt(source, Line(info, holiday, "last_day"),
                   absl::StrCat(what, ": last_day ", holiday.last_day(), " is outside ", year));
  }
  for (absl::CivilDay day = *first; day <= *last; ++day) {
    if (tables.makeup_workdays.count(day) > 0) {
      return ErrorAt(source, Line(info, holiday, "first_day"),
                     absl::StrCat(what, ": ", FormatCivilDay(day),
                                  " is also listed as a make-up working day"));
    }
    const auto [it, inserted] =
        tables.holidays.emplace(day, HolidayNames{holiday.name_zh(), holiday.name_en()});
    if (!inserted) {
      return ErrorAt(source, Line(info, holiday, "first_day"),
                     absl::StrCat(what, ": ", FormatCivilDay(day), " already belongs to '",
                                  it->second.Display(), "'"));
    }
  }
  for (int i = 0; i < holiday.makeup_workdays_size(); ++i) {
    const std::string& text = holiday.makeup_workdays(i);
    const int line = Line(info, holiday, "makeup_workdays", i);
    const std::optional<absl::CivilDay> day = ParseCivilDay(text);
    if (!day) {
      return ErrorAt(
          source, line,
          absl::StrCat(what, ": make-up working day '", text, "' is not a date (YYYY-MM-DD)"));
    }
    if (day->year() != year) {
      return ErrorAt(source, line,
                     absl::StrCat(what, ": make-up working day ", text, " is outside ", year));
    }
    if (!IsWeekend(*day)) {
      return ErrorAt(
          source, line,
          absl::StrCat(what, ": make-up working day ", text,
                       " is not a Saturday or Sunday (weekdays are working days already)"));
    }
    if (const auto it = tables.holidays.find(*day); it != tables.holidays.end()) {
      return ErrorAt(source, line,
                     absl::StrCat(what, ": make-up working day ", text, " is a day off of '",
                                  it->second.Display(), "'"));
    }
    tables.makeup_workdays.insert(*day);
  }
  return absl::OkStatus();
}

absl::Status AddFile(const SourceFile& source, YearOrigins& origins, CalendarTables& tables) {
  const v1::CalendarFile& file = *source.file;
  if (!file.region().empty() && std::find(tables.regions.begin(), tables.regions.end(),
                                          file.region()) == tables.regions.end()) {
    tables.regions.push_back(file.region());
  }
  for (int y = 0; y < file.years_size(); ++y) {
    const v1::CalendarYear& year = file.years(y);
    const TextFormat::ParseInfoTree* year_info = Nested(source.info, file, "years", y);
    const int year_line = Line(year_info, year, "year");
    if (year.year() < kMinYear || year.year() > kMaxYear) {
      return ErrorAt(source.name, year_line,
                     absl::StrCat("year ", year.year(), " is missing or out of range"));
    }
    const std::string here =
        year_line > 0 ? absl::StrCat(source.name, ":", year_line) : source.name;
    const auto [it, inserted] = origins.emplace(year.year(), here);
    if (!inserted) {
      return ErrorAt(
          source.name, year_line,
          absl::StrCat("year ", year.year(), " is listed twice (first at ", it->second, ")"));
    }
    tables.years.insert(year.year());
    for (int h = 0; h < year.holidays_size(); ++h) {
      absl::Status status = AddHoliday(source.name, year.year(), year.holidays(h),
                                       Nested(year_info, year, "holidays", h), tables);
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CalendarTables> Collect(const std::vector<SourceFile>& sources) {
  CalendarTables tables;
  YearOrigins origins;
  for (const SourceFile& source : sources) {
    absl::Status status = AddFile(source, origins, tables);
    if (!status.ok()) return status;
  }
  return tables;
}

// Parses the files in order and collects their tables; errors name the file and line.
absl::StatusOr<CalendarTables> LoadTables(const std::vector<std::string>& paths) {
  std::vector<v1::CalendarFile> files(paths.size());
  std::vector<TextFormat::ParseInfoTree> infos(paths.size());
  std::vector<SourceFile> sources;
  for (size_t i = 0; i < paths.size(); ++i) {
    absl::Status status = ParseTextProtoFile(paths[i], &files[i], &infos[i]);
    if (!status.ok()) return status;
    sources.push_back({paths[i], &files[i], &infos[i]});
  }
  return Collect(sources);
}

// True when a day between `a` and `b` (inclusive, either order) lies in a year no file lists.
bool SpanUnconfirmed(const std::set<int>& known_years, absl::CivilDay a, absl::CivilDay b) {
  const int64_t first = std::min(a, b).year();
  const int64_t last = std::max(a, b).year();
  // More years than are known: at least one of them is not.
  if (last - first >= static_cast<int64_t>(known_years.size())) return true;
  for (int64_t year = first; year <= last; ++year) {
    if (known_years.count(static_cast<int>(year)) == 0) return true;
  }
  return false;
}

// The years between `a` and `b` (inclusive, either order) that no file lists, ascending. Only
// listed once SpanUnconfirmed said there are some, so confirmed spans allocate nothing.
std::vector<int> UnknownYears(const std::set<int>& known_years, absl::CivilDay a,
                              absl::CivilDay b) {
  std::vector<int> years;
  if (!SpanUnconfirmed(known_years, a, b)) return years;
  const int64_t last = std::max(a, b).year();
  for (int64_t year = std::min(a, b).year(); year <= last; ++year) {
    if (known_years.count(static_cast<int>(year)) == 0) years.push_back(static_cast<int>(year));
  }
  return years;
}

// `day`, reached from `from`, with the unknown years between them.
CalendarDay WithUnknownYears(const std::set<int>& known_years, absl::CivilDay from,
                             absl::CivilDay day) {
  std::vector<int> years = UnknownYears(known_years, from, day);
  const bool unconfirmed = !years.empty();
  return {day, unconfirmed, std::move(years)};
}

// Number of Monday-Friday days among the `n` days starting at the Monday 1970-01-05 (negative n
// counts backwards). f(n + 1) - f(n) is 1 exactly when that Monday + n is a weekday.
int64_t WeekdaysFromMonday(int64_t n) {
  int64_t weeks = n / 7;
  int64_t rest = n % 7;
  if (rest < 0) {
    rest += 7;
    --weeks;
  }
  return 5 * weeks + std::min<int64_t>(rest, 5);
}

}  // namespace

absl::StatusOr<WorkingCalendar> WorkingCalendar::FromProtos(
    const std::vector<v1::CalendarFile>& files) {
  std::vector<SourceFile> sources;
  for (size_t i = 0; i < files.size(); ++i) {
    std::string name = absl::StrCat("calendar file #", i + 1);
    if (!files[i].region().empty()) absl::StrAppend(&name, " (", files[i].region(), ")");
    sources.push_back({std::move(name), &files[i], nullptr});
  }
  absl::StatusOr<CalendarTables> tables = Collect(sources);
  if (!tables.ok()) return tables.status();
  WorkingCalendar calendar;
  calendar.regions_ = std::move(tables->regions);
  calendar.known_years_ = std::move(tables->years);
  calendar.holidays_ = std::move(tables->holidays);
  calendar.makeup_workdays_ = std::move(tables->makeup_workdays);
  return calendar;
}

absl::StatusOr<WorkingCalendar> WorkingCalendar::LoadFromDirectories(
    const std::vector<std::string>& directories) {
  std::vector<std::string> paths;
  for (const std::string& directory : directories) {
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) continue;
    std::vector<std::string> found;
    for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
      if (it->path().extension() == ".textproto" && it->is_regular_file(error)) {
        found.push_back(it->path().string());
      }
    }
    if (error) {
      return absl::InvalidArgumentError(
          absl::StrCat(directory, ": cannot list calendar files: ", error.message()));
    }
    // Directory order is arbitrary; sorted order makes "listed twice" errors reproducible.
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  absl::StatusOr<CalendarTables> tables = LoadTables(paths);
  if (!tables.ok()) return tables.status();
  WorkingCalendar calendar;
  calendar.regions_ = std::move(tables->regions);
  calendar.known_years_ = std::move(tables->years);
  calendar.holidays_ = std::move(tables->holidays);
  calendar.makeup_workdays_ = std::move(tables->makeup_workdays);
  return calendar;
}

absl::StatusOr<WorkingCalendar> WorkingCalendar::LoadFromFile(const std::string& path) {
  absl::StatusOr<CalendarTables> tables = LoadTables({path});
  if (!tables.ok()) return tables.status();
  WorkingCalendar calendar;
  calendar.regions_ = std::move(tables->regions);
  calendar.known_years_ = std::move(tables->years);
  calendar.holidays_ = std::move(tables->holidays);
  calendar.makeup_workdays_ = std::move(tables->makeup_workdays);
  return calendar;
}

bool WorkingCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (makeup_workdays_.count(day) > 0) return true;
  if (holidays_.count(day) > 0) return false;
  return !IsWeekend(day);
}

bool WorkingCalendar::IsConfirmed(absl::CivilDay day) const {
  return known_years_.count(static_cast<int>(day.year())) > 0;
}

std::optional<std::string> WorkingCalendar::HolidayName(absl::CivilDay day) const {
  const auto it = holidays_.find(day);
  if (it == holidays_.end()) return std::nullopt;
  return it->second.Display();
}

std::optional<HolidayNames> WorkingCalendar::Holiday(absl::CivilDay day) const {
  const auto it = holidays_.find(day);
  if (it == holidays_.end()) return std::nullopt;
  return it->second;
}

std::vector<absl::CivilDay> WorkingCalendar::MakeupWorkdays(absl::CivilDay first,
                                                            absl::CivilDay last) const {
  std::vector<absl::CivilDay> days;
  for (auto it = makeup_workdays_.lower_bound(first); it != makeup_workdays_.end() && *it <= last;
       ++it) {
    days.push_back(*it);
  }
  return days;
}

CalendarDay WorkingCalendar::AddWorkingDays(absl::CivilDay from, int n) const {
  absl::CivilDay day = from;
  const int step = n > 0 ? 1 : -1;
  for (int64_t remaining = n > 0 ? int64_t{n} : -int64_t{n}; remaining > 0;) {
    day += step;
    if (IsWorkingDay(day)) --remaining;
  }
  return WithUnknownYears(known_years_, from, day);
}

CalendarDay WorkingCalendar::RollForward(absl::CivilDay day) const {
  absl::CivilDay rolled = day;
  while (!IsWorkingDay(rolled)) ++rolled;
  return WithUnknownYears(known_years_, day, rolled);
}

CalendarDay WorkingCalendar::RollBackward(absl::CivilDay day) const {
  absl::CivilDay rolled = day;
  while (!IsWorkingDay(rolled)) --rolled;
  return WithUnknownYears(known_years_, day, rolled);
}

WorkingDayCount WorkingCalendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  if (to < from) {
    WorkingDayCount reversed = WorkingDaysBetween(to, from);
    reversed.days = -reversed.days;
    return reversed;
  }
  // Weekdays in (from, to], then the exceptions in that range: holidays on weekdays are days
  // off, make-up weekend days are working days. Linear in the exceptions, not in the span.
  const absl::CivilDay monday(1970, 1, 5);
  int64_t count = WeekdaysFromMonday(to - monday + 1) - WeekdaysFromMonday(from - monday + 1);
  for (auto it = holidays_.upper_bound(from); it != holidays_.end() && it->first <= to; ++it) {
    if (!IsWeekend(it->first) && makeup_workdays_.count(it->first) == 0) --count;
  }
  for (auto it = makeup_workdays_.upper_bound(from); it != makeup_workdays_.end() && *it <= to;
       ++it) {
    if (IsWeekend(*it)) ++count;
  }
  std::vector<int> years = UnknownYears(known_years_, from, to);
  const bool unconfirmed = !years.empty();
  return {static_cast<int>(count), unconfirmed, std::move(years)};
}

std::set<int> WorkingCalendar::known_years() const { return known_years_; }

std::string HolidayNames::Display() const {
  if (zh.empty()) return en;
  if (en.empty()) return zh;
  return absl::StrCat(zh, " ", en);
}

}  // namespace preflight
