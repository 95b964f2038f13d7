// LaunchService::Summarize: counts across every launch, for the checklist's metrics.

#include <string>
#include <vector>

#include "checklist-service/domain/launch_service.h"

namespace preflight::checklist {

absl::StatusOr<LaunchSummary> LaunchService::Summarize() const {
  constexpr int kBatch = 500;
  LaunchSummary summary;
  std::string after_id;
  while (true) {
    absl::StatusOr<std::vector<LaunchState>> batch =
        store_->ListLaunches(LaunchFilter{}, after_id, kBatch);
    if (!batch.ok()) return batch.status();
    for (LaunchState& state : *batch) {
      Recompute(state);
      ++summary.launches;
      if (state.launch.went_live_date.has_value()) ++summary.launches_live;
      if (state.launch.schedule.at_risk) ++summary.launches_at_risk;
      for (const Item& item : state.items) ++summary.items_by_status[item.status];
    }
    if (static_cast<int>(batch->size()) < kBatch) return summary;
    after_id = batch->back().launch.id;
  }
}

}  // namespace preflight::checklist
