#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/checklist_store.h"
#include "common/postgres/postgres_pool.h"

namespace preflight::checklist {

// The channel every commit notifies (NOTIFY, delivered at COMMIT), for the replicas' event
// followers (postgres_event_follower.h).
inline constexpr char kChecklistEventsChannel[] = "checklist_events";

// ChecklistStore in PostgreSQL, shared by any number of checklist replicas (docs/scaling.md).
// The rows are SqliteChecklistStore's: the same columns, the same binary payloads.
//
// Commits: one transaction per batch at READ COMMITTED, one savepoint per change set. Version
// checks are conditional UPDATEs (`WHERE version = expected`), which wait for a concurrent
// writer of the same row and then see its commit, so two replicas updating one launch cannot
// both succeed: the second gets ABORTED, never a lost update. Event sequences come from one row,
// log_head, updated as the batch's last statement: its row lock is held until COMMIT, so batches
// take their numbers in commit order and a rolled-back batch gives its numbers back. The log is
// therefore gap-free and in commit order across replicas, and a reader that sees sequence n has
// seen every event before it.
class PostgresChecklistStore final : public ChecklistStore {
 public:
  // Applies the "checklist" migrations to the pool's schema. `pool` must outlive the store.
  static absl::StatusOr<std::unique_ptr<PostgresChecklistStore>> Open(PostgresPool* pool);

  absl::StatusOr<LaunchState> LoadLaunch(absl::string_view launch_id) override;
  absl::StatusOr<LaunchRead> ReadLaunch(absl::string_view launch_id, bool with_items) override;
  absl::StatusOr<ItemRead> ReadItem(absl::string_view launch_id, absl::string_view code) override;
  absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(
      absl::string_view tenant, absl::string_view request_id) override;
  absl::StatusOr<std::vector<LaunchState>> ListLaunches(const LaunchFilter& filter,
                                                        absl::string_view after_id,
                                                        int limit) override;
  absl::StatusOr<std::vector<ItemKey>> ListItemKeys(const ItemFilter& filter,
                                                    const std::optional<ItemKey>& after,
                                                    int limit) override;
  absl::StatusOr<int64_t> CountLaunches(absl::string_view tenant) override;
  absl::StatusOr<std::vector<Event>> ListLaunchEvents(absl::string_view launch_id,
                                                      int64_t after_sequence, int limit) override;
  absl::StatusOr<std::vector<Event>> ReadEvents(int64_t after_sequence, int limit) override;
  absl::StatusOr<int64_t> LastSequence() override;
  absl::StatusOr<std::vector<LogEpoch>> LogEpochs() override;
  // As SqliteChecklistStore::StartLogEpoch: what a restore does.
  absl::StatusOr<LogEpoch> StartLogEpoch();
  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes) override;
  std::vector<absl::StatusOr<std::vector<Event>>> CommitBatch(
      const std::vector<const ChangeSet*>& batch) override;
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) override;

  PostgresPool* pool() const { return pool_; }

 private:
  explicit PostgresChecklistStore(PostgresPool* pool) : pool_(pool) {}

  absl::StatusOr<std::vector<Event>> QueryEvents(std::optional<std::string> launch_id,
                                                 int64_t after_sequence, int limit);

  PostgresPool* const pool_;
};

}  // namespace preflight::checklist
