#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/sqlite/reader_writer.h"

namespace preflight {

// Group commit for small independent writes (a delivery's lease, a send's outcome): writers that
// arrive at the same time share one IMMEDIATE transaction and one fsync. The first becomes the
// leader and runs everything queued (up to `max_batch` writes), each inside its own SAVEPOINT,
// while the others wait; whoever arrives during that commit goes in the next batch. A write that
// fails is rolled back to its savepoint and fails alone; every writer gets its result only after
// its batch is durable (or the commit's error, for all of them, when the commit fails).
class SqliteGroupWriter {
 public:
  using Body = std::function<absl::Status(SQLite::Database&)>;

  static constexpr size_t kDefaultMaxBatch = 64;

  explicit SqliteGroupWriter(SqliteReaderWriter* db, size_t max_batch = kDefaultMaxBatch);
  SqliteGroupWriter(const SqliteGroupWriter&) = delete;
  SqliteGroupWriter& operator=(const SqliteGroupWriter&) = delete;

  // Runs body(writer) in a shared transaction and returns its status once that is committed.
  // What the body throws comes back as a status starting with `context`. Thread-safe; must not
  // be called from inside another write on the same database.
  absl::Status Write(absl::string_view context, const Body& body);
  // Runs each of `bodies` as a write of its own (its own savepoint and status), queued together
  // in order: one caller's batch (a dispatch pass's decisions) shares transactions too.
  std::vector<absl::Status> WriteEach(absl::string_view context, const std::vector<Body>& bodies);

  // Batches committed so far and writes in them (for tests and metrics).
  struct Stats {
    int64_t batches = 0;
    int64_t writes = 0;
    size_t largest_batch = 0;
  };
  Stats stats() const;
  // Writers queued for a batch that has not started (for tests).
  size_t queued() const;

 private:
  struct Pending {
    absl::string_view context;
    const Body* body;
    std::optional<absl::Status> result;
  };
  // Queues `writes` and returns once each has its result, leading batches when nobody does.
  void Run(const std::vector<Pending*>& writes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Commits queued writes, one batch at a time, until `last` has its result (the queue is FIFO,
  // so everything before it has too). Called with mu_ held and leading_ set; returns the same way.
  void LeadUntilDone(Pending* last) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  SqliteReaderWriter* const db_;
  const size_t max_batch_;

  mutable absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool leading_ ABSL_GUARDED_BY(mu_) = false;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight
