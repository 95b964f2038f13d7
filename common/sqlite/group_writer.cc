#include "common/sqlite/group_writer.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/sqlite/guarded.h"

namespace preflight {

SqliteGroupWriter::SqliteGroupWriter(SqliteReaderWriter* db, size_t max_batch)
    : db_(db), max_batch_(std::max<size_t>(1, max_batch)) {}

absl::Status SqliteGroupWriter::Write(absl::string_view context, const Body& body) {
  Pending self{context, &body, std::nullopt};
  absl::MutexLock lock(&mu_);
  Run({&self});
  return *std::move(self.result);
}

std::vector<absl::Status> SqliteGroupWriter::WriteEach(absl::string_view context,
                                                       const std::vector<Body>& bodies) {
  if (bodies.empty()) return {};
  std::vector<Pending> writes;
  writes.reserve(bodies.size());
  for (const Body& body : bodies) writes.push_back(Pending{context, &body, std::nullopt});
  std::vector<Pending*> queued;
  for (Pending& write : writes) queued.push_back(&write);
  {
    absl::MutexLock lock(&mu_);
    Run(queued);
  }
  std::vector<absl::Status> results;
  results.reserve(writes.size());
  for (Pending& write : writes) results.push_back(*std::move(write.result));
  return results;
}

void SqliteGroupWriter::Run(const std::vector<Pending*>& writes) {
  for (Pending* write : writes) queue_.push_back(write);
  Pending* const last = writes.back();
  // Wait until a leader has committed these writes, or nobody leads and this caller takes over.
  auto done_or_leaderless = [this, last]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return last->result.has_value() || !leading_;
  };
  mu_.Await(absl::Condition(&done_or_leaderless));
  if (!last->result.has_value()) {
    leading_ = true;
    LeadUntilDone(last);
    leading_ = false;
  }
}

void SqliteGroupWriter::LeadUntilDone(Pending* last) {
  while (!last->result.has_value()) {
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    std::vector<absl::Status> results(batch.size());

    // Unlocked while the transaction and its fsync run, so the next batch can gather.
    mu_.Unlock();
    const absl::Status committed =
        db_->WriteTransaction("a group commit", [&](SQLite::Database& db) -> absl::Status {
          for (size_t i = 0; i < batch.size(); ++i) {
            db.exec("SAVEPOINT grouped_write");
            results[i] = SqliteGuarded(batch[i]->context, *batch[i]->body, db);
            // A failed write leaves nothing behind; the others' stay.
            if (!results[i].ok()) db.exec("ROLLBACK TO grouped_write");
            db.exec("RELEASE grouped_write");
          }
          return absl::OkStatus();
        });
    mu_.Lock();

    ++stats_.batches;
    stats_.writes += static_cast<int64_t>(batch.size());
    stats_.largest_batch = std::max(stats_.largest_batch, batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      // Nothing of the batch is durable when the commit failed, whatever its bodies said.
      batch[i]->result = committed.ok() ? std::move(results[i]) : committed;
    }
  }
}

SqliteGroupWriter::Stats SqliteGroupWriter::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

size_t SqliteGroupWriter::queued() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

}  // namespace preflight
