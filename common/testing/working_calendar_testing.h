#pragma once

// The built-in working calendar (data/calendar in the source tree) for tests. Library
// preflight_common_testing.

#include <memory>

#include "absl/status/statusor.h"
#include "common/working_calendar.h"

namespace preflight::testing {

// data/calendar, the folder the services load their calendar from by default.
extern const char kBuiltinCalendarDir[];

// The built-in calendar, loaded as the services load it.
absl::StatusOr<std::unique_ptr<WorkingCalendar>> LoadBuiltinCalendar();

// The built-in calendar loaded once for the whole test binary (a WorkingCalendar is immutable);
// a failure to load it aborts the binary, naming the reason.
const WorkingCalendar& SharedBuiltinCalendar();

}  // namespace preflight::testing
