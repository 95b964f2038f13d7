#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

// Filters the store can apply itself; empty fields match everything.
struct LaunchFilter {
  std::string tenant;
  std::string owner;
  std::optional<absl::CivilDay> target_from;  // inclusive
  std::optional<absl::CivilDay> target_to;    // inclusive
  // Only launches whose stored at-risk bound (RiskBounds) is on or before this day: the
  // candidates for "at risk", which the caller verifies against the real schedule.
  std::optional<absl::CivilDay> at_risk_by;
};

// The earliest day a launch and each of its items can be at risk if nothing is written in
// between: lower bounds (see risk_bounds.h). They depend on today, so the schedule in the payload
// cannot answer "at risk" for a later day; the store keeps these queryable instead. Unset means
// never (a live launch, a finished item).
struct RiskBounds {
  std::string launch_id;
  std::optional<absl::CivilDay> launch_at_risk_from;
  // Every item of the launch, by code.
  std::map<std::string, std::optional<absl::CivilDay>> item_at_risk_from;
};

// Which items ListItemKeys returns; empty fields match everything. The today-independent fields
// it filters on (tenant, assignee, status, latest dates) are kept exact with every commit.
struct ItemFilter {
  std::string tenant;
  std::string launch_id;
  std::string assignee;
  std::vector<ItemStatus> statuses;
  // Leave out approved, waived and not-applicable items.
  bool open_only = true;
  std::optional<absl::CivilDay> start_before;  // latest start <= this
  std::optional<absl::CivilDay> due_before;    // latest finish <= this
  // Only items whose at-risk bound is on or before this day (candidates to verify).
  std::optional<absl::CivilDay> at_risk_by;
};

// Where an item sorts in a cross-launch listing: latest start (items without one last), launch,
// code.
struct ItemKey {
  std::optional<absl::CivilDay> latest_start;
  std::string launch_id;
  std::string code;
  bool operator==(const ItemKey& other) const {
    return latest_start == other.latest_start && launch_id == other.launch_id && code == other.code;
  }
};

// One stretch of the event log's history. The log starts with one epoch at sequence 0; each
// restore from a backup starts a new one at the backup's last sequence, so a watcher that read
// further in an older epoch can be told that the events it saw there are gone.
struct LogEpoch {
  std::string id;
  // The last sequence the epoch inherited from the one before (0 for the first).
  int64_t base_sequence = 0;
};

// One item as a read loads it, with what names the stored state of its launch then (see
// LaunchRead), read in the same snapshot.
struct ItemRead {
  Item item;
  int64_t launch_version = 0;
  int64_t items_version = 0;
};

// A launch as a read loads it. `items_version` is the sum of its items' versions: every commit
// raises the launch's version or one item's (an added item counts 1), so (launch.version,
// items_version) names one stored state of the launch, and caches can key on it.
struct LaunchRead {
  LaunchState state;
  int64_t items_version = 0;
};

// One atomic change: the launch and items written and the events that record them. Either all
// of it is durable when Commit returns OK, or none of it is.
struct ChangeSet {
  // Inserted when its version is 1, else updated only if the stored version is version - 1.
  std::optional<Launch> launch;
  // Same rule per item, keyed by (launch_id, code).
  std::vector<Item> items;
  // Appended in order; the store assigns consecutive sequence numbers.
  std::vector<Event> events;
  // When set, the launch's and its items' at-risk bounds as of this change, written in the same
  // transaction (items not named keep theirs).
  std::optional<RiskBounds> risk_bounds;
};

// Durable storage of launches, items and the event log. Implementations are thread-safe.
class ChecklistStore {
 public:
  virtual ~ChecklistStore() = default;

  // NOT_FOUND when there is no such launch.
  virtual absl::StatusOr<LaunchState> LoadLaunch(absl::string_view launch_id) = 0;

  // The launch from one snapshot, with its items only when `with_items` (reads that do not return
  // them need not decode them). NOT_FOUND when there is no such launch. This default loads
  // everything through LoadLaunch; a store that can read less overrides it.
  virtual absl::StatusOr<LaunchRead> ReadLaunch(absl::string_view launch_id, bool with_items) {
    absl::StatusOr<LaunchState> state = LoadLaunch(launch_id);
    if (!state.ok()) return state.status();
    LaunchRead read;
    read.items_version = state->ItemsVersion();
    read.state = *std::move(state);
    if (!with_items) read.state.items.clear();
    return read;
  }

  // One item of a launch; NOT_FOUND when there is no such launch or item. This default loads the
  // whole launch; a store that can read less overrides it.
  virtual absl::StatusOr<ItemRead> ReadItem(absl::string_view launch_id, absl::string_view code) {
    absl::StatusOr<LaunchState> state = LoadLaunch(launch_id);
    if (!state.ok()) return state.status();
    const Item* item = state->FindItem(code);
    if (item == nullptr) return absl::NotFoundError("item not found");
    return ItemRead{*item, state->launch.version, state->ItemsVersion()};
  }

  // The launch created with this (tenant, request_id), if any.
  virtual absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(
      absl::string_view tenant, absl::string_view request_id) = 0;

  // Launches matching `filter` with id > `after_id`, ordered by id, at most `limit`.
  virtual absl::StatusOr<std::vector<LaunchState>> ListLaunches(const LaunchFilter& filter,
                                                                absl::string_view after_id,
                                                                int limit) = 0;

  // Keys of the items matching `filter` that sort after `after` (from the start when unset), in
  // ItemKey order, at most `limit`. Answered from an index: the cost follows the rows it
  // returns (and those it passes over for filters not in the index), not the store's size.
  virtual absl::StatusOr<std::vector<ItemKey>> ListItemKeys(const ItemFilter& filter,
                                                            const std::optional<ItemKey>& after,
                                                            int limit) {
    return absl::UnimplementedError("this store cannot list items across launches");
  }

  // How many launches `tenant` has, for the per-tenant limit. This default pages through
  // ListLaunches; a store that can count directly overrides it.
  virtual absl::StatusOr<int64_t> CountLaunches(absl::string_view tenant) {
    constexpr int kBatch = 500;
    LaunchFilter filter;
    filter.tenant = std::string(tenant);
    int64_t count = 0;
    std::string after_id;
    while (true) {
      absl::StatusOr<std::vector<LaunchState>> batch = ListLaunches(filter, after_id, kBatch);
      if (!batch.ok()) return batch.status();
      count += static_cast<int64_t>(batch->size());
      if (static_cast<int>(batch->size()) < kBatch) return count;
      after_id = batch->back().launch.id;
    }
  }

  // Events of one launch with sequence > `after_sequence`, oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<Event>> ListLaunchEvents(absl::string_view launch_id,
                                                              int64_t after_sequence,
                                                              int limit) = 0;

  // All events with sequence > `after_sequence`, oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<Event>> ReadEvents(int64_t after_sequence, int limit) = 0;

  // Highest committed sequence, 0 when there are none.
  virtual absl::StatusOr<int64_t> LastSequence() = 0;

  // The log's epochs, oldest first; never empty.
  virtual absl::StatusOr<std::vector<LogEpoch>> LogEpochs() = 0;

  // Commits the change set in one transaction and returns its events with their sequence
  // numbers. ABORTED when a version check fails (nothing is written), ALREADY_EXISTS when a
  // launch with the same (tenant, request_id) exists, UNAVAILABLE when the database is busy,
  // RESOURCE_EXHAUSTED when it is full.
  virtual absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes) = 0;

  // Group commit: commits independent change sets (different launches) together, as one durable
  // transaction where the store can, and returns one result per change set, in order. Each
  // change set is still all-or-nothing on its own: a failed version check fails only its own
  // result. An OK result is durable; events of the OK ones are numbered consecutively in batch
  // order. This default commits them one by one.
  virtual std::vector<absl::StatusOr<std::vector<Event>>> CommitBatch(
      const std::vector<const ChangeSet*>& batch) {
    std::vector<absl::StatusOr<std::vector<Event>>> results;
    results.reserve(batch.size());
    for (const ChangeSet* changes : batch) results.push_back(Commit(*changes));
    return results;
  }

  // A random secret kept in the database under `name`, created on first use (page-token keys).
  virtual absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) = 0;
};

}  // namespace preflight::checklist
