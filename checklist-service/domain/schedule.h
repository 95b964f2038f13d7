#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "checklist-service/domain/model.h"
#include "checklist-service/domain/template_catalog.h"
#include "common/working_calendar.h"

namespace preflight::checklist {

struct ScheduleResult {
  // Keyed by item code; not-applicable items get an entry with done = true and no dates.
  std::map<std::string, ItemSchedule> items;
  LaunchSchedule launch;
};

// Computes the critical-path schedule of a launch, counted in working days on `calendar`.
// `today` is the civil date in the launch's time zone. Pure function: no I/O, no clock.
// The rules it follows are documented in docs/schedule.md.
//
// `tmpl`, the launch's template when known, says whose durations are estimates: an item's own
// `estimate` flag also covers an estimated fee, its definition's flag only the item's facts.
// Without it (or for items it lacks) the item's flag is used.
ScheduleResult ComputeSchedule(const Launch& launch, const std::vector<Item>& items,
                               absl::CivilDay today, const WorkingCalendar& calendar,
                               const CompiledTemplate* tmpl = nullptr);

}  // namespace preflight::checklist
