#include "checklist-service/domain/risk_bounds.h"

#include <map>
#include <optional>
#include <string>

#include "checklist-service/domain/schedule.h"

namespace preflight::checklist {
namespace {

// Far enough that a launch not at risk by then is planned years ahead; the bound stays a lower
// bound either way.
constexpr int kLongestSample = 1024;

// One thing whose bound is sought: still open until a sample finds it at risk.
struct Pending {
  absl::CivilDay last_safe;
};

}  // namespace

RiskBounds ComputeRiskBounds(const LaunchState& state, absl::CivilDay today,
                             const WorkingCalendar& calendar, const CompiledTemplate* tmpl) {
  RiskBounds bounds;
  bounds.launch_id = state.launch.id;
  const ScheduleResult now = ComputeSchedule(state.launch, state.items, today, calendar, tmpl);

  // Key "" is the launch; items by code.
  std::map<std::string, Pending> pending;
  if (!state.launch.went_live_date) {
    if (now.launch.at_risk) {
      bounds.launch_at_risk_from = today;
    } else {
      pending[""] = Pending{today};
    }
  }
  for (const Item& item : state.items) {
    bounds.item_at_risk_from[item.code] = std::nullopt;
    const auto it = now.items.find(item.code);
    if (it == now.items.end() || it->second.done || IsDone(item.status)) continue;
    if (it->second.at_risk) {
      bounds.item_at_risk_from[item.code] = today;
    } else {
      pending[item.code] = Pending{today};
    }
  }

  for (int offset = 1; !pending.empty(); offset *= 2) {
    const absl::CivilDay day = today + offset;
    if (offset > kLongestSample) {
      for (const auto& [code, p] : pending) {
        (code.empty() ? bounds.launch_at_risk_from : bounds.item_at_risk_from[code]) =
            p.last_safe + 1;
      }
      break;
    }
    const ScheduleResult later = ComputeSchedule(state.launch, state.items, day, calendar, tmpl);
    for (auto it = pending.begin(); it != pending.end();) {
      const std::string& code = it->first;
      bool at_risk = false;
      if (code.empty()) {
        at_risk = later.launch.at_risk;
      } else {
        const auto item = later.items.find(code);
        at_risk = item != later.items.end() && item->second.at_risk;
      }
      if (at_risk) {
        (code.empty() ? bounds.launch_at_risk_from : bounds.item_at_risk_from[code]) =
            it->second.last_safe + 1;
        it = pending.erase(it);
      } else {
        it->second.last_safe = day;
        ++it;
      }
    }
  }
  return bounds;
}

}  // namespace preflight::checklist
