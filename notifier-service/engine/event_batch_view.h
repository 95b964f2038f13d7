#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "notifier-service/domain/notifier_store.h"

namespace preflight::notifier {

// The store as the events of a batch leave it before the batch commits: the store's reads,
// overlaid with the effects recorded so far. The applier decides each event of a batch on this
// view, so event k+1 sees what event k did although nothing is committed until the whole batch
// is (one transaction, one cursor). Only the state the applier reads is overlaid: launches,
// items, handled rungs, and the pending deliveries it cancels (it never creates deliveries, and
// the dispatcher, which does, is kept out while a batch is decided). Not thread-safe.
class EventBatchView {
 public:
  explicit EventBatchView(NotifierStore* store) : store_(store) {}
  EventBatchView(const EventBatchView&) = delete;
  EventBatchView& operator=(const EventBatchView&) = delete;

  absl::StatusOr<std::optional<LaunchInfo>> GetLaunch(const std::string& launch_id) const;
  absl::StatusOr<std::optional<ItemRecord>> GetItem(const std::string& launch_id,
                                                    const std::string& code) const;
  // By code, as the store lists them.
  absl::StatusOr<std::vector<ItemRecord>> ListLaunchItems(const std::string& launch_id) const;
  absl::StatusOr<std::vector<HandledRung>> HandledRungs(const std::string& launch_id,
                                                        const std::string& code) const;
  absl::StatusOr<std::vector<Delivery>> PendingDeliveriesOfItem(const std::string& launch_id,
                                                                const std::string& code) const;

  // What one event of the batch will commit: later reads see it.
  void Record(const EventEffects& effects);

 private:
  using ItemKey = std::pair<std::string, std::string>;  // (launch_id, code)

  NotifierStore* const store_;
  std::map<std::string, LaunchInfo> launches_;
  std::map<ItemKey, ItemRecord> items_;
  std::map<ItemKey, std::vector<HandledRung>> handled_;
  std::set<int64_t> cancelled_;
};

}  // namespace preflight::notifier
