#include "common/testing/working_calendar_testing.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace preflight::testing {

const char kBuiltinCalendarDir[] = PREFLIGHT_SOURCE_DIR "/data/calendar";

absl::StatusOr<std::unique_ptr<WorkingCalendar>> LoadBuiltinCalendar() {
  absl::StatusOr<WorkingCalendar> calendar =
      WorkingCalendar::LoadFromDirectories({kBuiltinCalendarDir});
  if (!calendar.ok()) return calendar.status();
  return std::make_unique<WorkingCalendar>(*std::move(calendar));
}

const WorkingCalendar& SharedBuiltinCalendar() {
  static const WorkingCalendar* const calendar = [] {
    absl::StatusOr<std::unique_ptr<WorkingCalendar>> loaded = LoadBuiltinCalendar();
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load %s: %s\n", kBuiltinCalendarDir,
                   std::string(loaded.status().message()).c_str());
      std::abort();
    }
    return loaded->release();
  }();
  return *calendar;
}

}  // namespace preflight::testing
