#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "notifier-service/domain/notifier_store.h"
#include "notifier-service/engine/reminder_scheduler.h"
#include "notifier-service/engine/router.h"

namespace preflight::notifier {

struct ForecastQuery {
  absl::Duration horizon = absl::Hours(24 * 14);
  // Optional filters.
  std::string tenant;
  std::string launch_id;
  // With recipient_id: only routes to that recipient, (recipient_tenant, recipient_id).
  std::string recipient_tenant;
  std::string recipient_id;
};

// One reminder the scheduler will send.
struct ForecastEntry {
  LaunchInfo launch;
  ItemInfo item;
  Rung rung;
  // After snoozes and quiet hours; "now" for a missed rung that will be caught up.
  absl::Time send_time;
  bool late = false;
  std::vector<Route> routes;
};

// The forecast's order and page key: send time, then ForecastLaunchKey, item code and rung id.
// ForecastLaunchKey is the item's launch id, or "tenants/{tenant}" for a weekly digest (which is
// about no item), so two tenants' digests at the same time never share a key.
std::string ForecastLaunchKey(const ForecastEntry& entry);
bool ForecastBefore(const ForecastEntry& a, const ForecastEntry& b);

// What will be sent in the next `horizon`, to whom: the dispatcher's own ladder, catch-up,
// snooze, acknowledgement and routing rules applied without sending anything. With a launch
// filter it is that launch's dry run. Sorted by send time.
absl::StatusOr<std::vector<ForecastEntry>> Forecast(NotifierStore* store,
                                                    const ReminderScheduler& scheduler,
                                                    const Router& router,
                                                    const ForecastQuery& query, absl::Time now);

}  // namespace preflight::notifier
