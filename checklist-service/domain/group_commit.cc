#include "checklist-service/domain/group_commit.h"

#include <algorithm>
#include <utility>

namespace preflight::checklist {

GroupCommitter::GroupCommitter(ChecklistStore* store, CommittedCallback on_committed,
                               size_t max_batch)
    : store_(store),
      on_committed_(std::move(on_committed)),
      max_batch_(std::max<size_t>(1, max_batch)) {}

absl::StatusOr<std::vector<Event>> GroupCommitter::Commit(const ChangeSet& changes) {
  Pending self{&changes, std::nullopt};
  absl::MutexLock lock(&mu_);
  queue_.push_back(&self);
  // Wait until a leader has committed this change set, or nobody leads and this writer takes over.
  auto done_or_leaderless = [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return self.result.has_value() || !leading_;
  };
  mu_.Await(absl::Condition(&done_or_leaderless));
  if (!self.result.has_value()) {
    leading_ = true;
    LeadUntilDone(&self);
    leading_ = false;
  }
  return *std::move(self.result);
}

void GroupCommitter::LeadUntilDone(Pending* self) {
  while (!self->result.has_value()) {
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    std::vector<const ChangeSet*> change_sets;
    change_sets.reserve(batch.size());
    for (const Pending* pending : batch) change_sets.push_back(pending->changes);

    // Unlocked while the transaction and its fsync run, so the next batch can gather.
    mu_.Unlock();
    std::vector<absl::StatusOr<std::vector<Event>>> results = store_->CommitBatch(change_sets);
    if (results.size() != batch.size()) {
      results.assign(batch.size(), absl::InternalError("the store answered a batch commit with "
                                                       "the wrong number of results"));
    }
    if (on_committed_) {
      for (const absl::StatusOr<std::vector<Event>>& result : results) {
        if (result.ok() && !result->empty()) on_committed_(*result);
      }
    }
    mu_.Lock();

    ++stats_.batches;
    stats_.change_sets += static_cast<int64_t>(batch.size());
    stats_.largest_batch = std::max(stats_.largest_batch, batch.size());
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
  }
}

GroupCommitter::Stats GroupCommitter::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

size_t GroupCommitter::waiting() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

}  // namespace preflight::checklist
