// Fuzzes the working-day calendar: text-format parsing of a calendar file, validation, and the
// date arithmetic on whatever calendar results. Checks the identities the schedulers rely on:
// AddWorkingDays(from, WorkingDaysBetween(from, to)) == to for a working day `to` (and a working
// `from` when counting back), WorkingDaysBetween is antisymmetric, and rolling lands on a working
// day on the right side.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/time/civil_time.h"
#include "common/text_proto.h"
#include "common/working_calendar.h"
#include "preflight/v1/calendar.pb.h"

namespace {

void CheckArithmetic(const preflight::WorkingCalendar& calendar, absl::CivilDay from, int span) {
  const absl::CivilDay to = from + span;
  const preflight::WorkingDayCount between = calendar.WorkingDaysBetween(from, to);
  if (calendar.WorkingDaysBetween(to, from).days != -between.days) std::abort();
  // Counting back from a day off, (to, from] holds no day to land on, so the round trip needs a
  // working `from` in that direction (as working_calendar_test.cc states).
  if (calendar.IsWorkingDay(to) && (span >= 0 || calendar.IsWorkingDay(from)) &&
      calendar.AddWorkingDays(from, between.days).day != to) {
    std::cerr << "AddWorkingDays(" << from << ", WorkingDaysBetween(" << from << ", " << to
              << ") = " << between.days << ") = " << calendar.AddWorkingDays(from, between.days).day
              << ", not " << to << "\n";
    std::abort();
  }
  if (!calendar.IsWorkingDay(calendar.RollForward(to).day)) std::abort();
  if (!calendar.IsWorkingDay(calendar.RollBackward(to).day)) std::abort();
  if (calendar.RollForward(to).day < to || calendar.RollBackward(to).day > to) std::abort();
  calendar.HolidayName(to);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  preflight::v1::CalendarFile file;
  if (!preflight::ParseTextProto(text, "fuzz.textproto", &file).ok()) return 0;
  absl::StatusOr<preflight::WorkingCalendar> calendar =
      preflight::WorkingCalendar::FromProtos({file});
  if (!calendar.ok()) return 0;
  // Walk around each known year (and the edges of the range), a few spans each way.
  for (int year : calendar->known_years()) {
    for (int span : {-40, -7, -1, 0, 1, 7, 40, 400}) {
      CheckArithmetic(*calendar, absl::CivilDay(year, 1, 1), span);
      CheckArithmetic(*calendar, absl::CivilDay(year, 12, 31), span);
    }
  }
  return 0;
}
