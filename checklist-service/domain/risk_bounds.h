#pragma once

#include "absl/time/civil_time.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/model.h"
#include "checklist-service/domain/template_catalog.h"
#include "common/working_calendar.h"

namespace preflight::checklist {

// The earliest day the launch and each of its items can be at risk, as of `today`, if nothing
// about the launch is written in between: what the store keeps so that "at risk" can be queried
// without computing every launch's schedule.
//
// Why a bound exists: latest dates come from the backward pass, which does not read today; every
// projected date is a max/plus expression of fixed dates and t (today rolled forward to a working
// day), each term non-decreasing in t. So as days pass with no write, projected finishes never move
// earlier, slack never grows and something at risk stays at risk: "at risk" is monotone in today.
// The bound samples the schedule at today + 1, 2, 4, ... calendar days (at most ~11 schedules,
// fewer once everything is resolved or past its latest finish): not at risk on a sampled day means
// not at risk on any day before it, so the day after the last sample found safe is a lower bound.
// Callers treat "bound <= today" as a candidate and verify it with the real schedule.
//
// `state` must hold all items. Done items and live launches get no bound (never).
RiskBounds ComputeRiskBounds(const LaunchState& state, absl::CivilDay today,
                             const WorkingCalendar& calendar, const CompiledTemplate* tmpl);

}  // namespace preflight::checklist
