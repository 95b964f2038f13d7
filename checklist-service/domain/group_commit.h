#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

// Group commit. Writers that commit at the same time share one store transaction and one fsync:
// the first becomes the leader and commits everything queued (up to `max_batch` change sets) with
// ChecklistStore::CommitBatch while the others wait; whoever arrives during that commit goes in
// the next batch. Each writer gets its own result only after its batch is durable, and a failure
// of one change set (a version conflict) fails only that writer.
//
// Callers must not commit two change sets of one launch at once (LaunchService holds the
// launch's lock across Commit), so the change sets of a batch never conflict with each other.
class GroupCommitter {
 public:
  // Called by the leader with the events of each OK change set, in sequence order, before any
  // later batch commits: the hub sees events in the order of the log.
  using CommittedCallback = std::function<void(const std::vector<Event>&)>;

  static constexpr size_t kDefaultMaxBatch = 64;

  GroupCommitter(ChecklistStore* store, CommittedCallback on_committed,
                 size_t max_batch = kDefaultMaxBatch);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Commits `changes` (see ChecklistStore::Commit for the statuses) and returns its events with
  // their sequence numbers. Blocks until its batch is durable. Thread-safe.
  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes);

  // Batches committed so far and change sets in them (for tests and metrics).
  struct Stats {
    int64_t batches = 0;
    int64_t change_sets = 0;
    size_t largest_batch = 0;
  };
  Stats stats() const;
  // Writers queued for a batch that has not started (for tests).
  size_t waiting() const;

 private:
  struct Pending {
    const ChangeSet* changes;
    std::optional<absl::StatusOr<std::vector<Event>>> result;
  };
  // Commits queued change sets, one batch at a time, until `self` has its result. Called with
  // mu_ held and leading_ set; returns the same way.
  void LeadUntilDone(Pending* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ChecklistStore* const store_;
  const CommittedCallback on_committed_;
  const size_t max_batch_;

  mutable absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool leading_ ABSL_GUARDED_BY(mu_) = false;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::checklist
