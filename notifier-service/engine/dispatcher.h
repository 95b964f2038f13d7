#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "notifier-service/domain/notifier_store.h"
#include "notifier-service/engine/crash_points.h"
#include "notifier-service/engine/engine_options.h"
#include "notifier-service/engine/item_version_source.h"
#include "notifier-service/engine/reminder_scheduler.h"
#include "notifier-service/engine/router.h"

namespace preflight::notifier {

// Decides which reminders are due: for each item whose next check has come, it passes the
// version fence, works out the rungs missed since they were last handled, picks the one to send
// (the most urgent, marked late after downtime), routes it to its recipients, and commits the
// deliveries with the handled rungs and the item's next check in one transaction. Sending is
// the DeliveryWorker's job.
class Dispatcher {
 public:
  Dispatcher(NotifierStore* store, const ReminderScheduler* scheduler, const Router* router,
             ItemVersionSource* versions, EngineOptions options, CrashHook crash_hook = nullptr);

  // Handles every item due at `now`, a batch at a time. Returns how many deliveries it created.
  // One item's failure (say, an unreachable checklist) does not hold up the others.
  absl::StatusOr<int> RunOnce(absl::Time now);

  // The deliveries one rung makes for one item: the routing and rendering the dispatcher uses,
  // shared with the forecast and the test message.
  absl::StatusOr<std::vector<Delivery>> MakeDeliveries(const LaunchInfo& launch,
                                                       const ItemInfo& item, const Rung& rung,
                                                       bool late, absl::Time now) const;

  // The first rung after `now` not in `handled` (the item's handled rungs), if any.
  std::optional<absl::Time> NextCheckTime(const LaunchInfo& launch, const ItemRecord& record,
                                          const std::vector<HandledRung>& handled,
                                          absl::Time now) const;

 private:
  // Versions fetched during one pass, per launch.
  using VersionCache = std::map<std::string, absl::StatusOr<std::map<std::string, int64_t>>>;

  // What is due for one item now; committed by RunOnce with the pass's other decisions.
  absl::StatusOr<Decision> DecideItem(const ItemRecord& record, absl::Time now,
                                      VersionCache& cache);

  NotifierStore* const store_;
  const ReminderScheduler* const scheduler_;
  const Router* const router_;
  ItemVersionSource* const versions_;
  const EngineOptions options_;
  const CrashHook crash_hook_;
};

// "launch/item/rung/recipient/channel", where recipient is RecipientKeyText (the id of a
// tenant-less recipient, tenants/{tenant}/recipients/{id} for a tenant's).
std::string DeliveryDedupKey(absl::string_view launch_id, absl::string_view item_code,
                             absl::string_view rung_id, absl::string_view recipient,
                             ChannelType channel);

}  // namespace preflight::notifier
