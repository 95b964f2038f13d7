#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/storage/postgres_checklist_store.h"
#include "common/postgres/postgres_options.h"

namespace preflight::checklist {

// Feeds the hub of one checklist replica with every event of the shared log, whichever replica
// committed it, in sequence order: what makes WatchEvents on any replica live for all writes.
// The table is the truth and LISTEN/NOTIFY only the wake-up: after each notification (and at
// least every `poll` without one, and after every reconnect) it reads the events after the last
// one it published, so a notification lost with a dropped connection loses nothing, only delays.
// On PostgreSQL this is the hub's only publisher (LaunchServiceLimits::publish_commits is off):
// a replica's own commits reach its watchers the same way, so none sees the log out of order.
class PostgresEventFollower {
 public:
  struct Options {
    // The database and schema of the store (PostgresOptions; the follower opens its own
    // session for LISTEN).
    PostgresOptions database;
    // Reads the table this often even without a notification.
    absl::Duration poll = absl::Milliseconds(500);
    // Waits this long before reconnecting after the session broke.
    absl::Duration reconnect_delay = absl::Milliseconds(200);
    int page_size = 500;
  };

  // `store` and `hub` must outlive the follower.
  PostgresEventFollower(Options options, ChecklistStore* store, EventHub* hub);
  ~PostgresEventFollower();
  PostgresEventFollower(const PostgresEventFollower&) = delete;
  PostgresEventFollower& operator=(const PostgresEventFollower&) = delete;

  // Publishes what commits after the log's current head, from a thread of its own. Call before
  // the server accepts watches.
  absl::Status Start();
  // Stops the thread; idempotent.
  void Stop();

  // The last sequence handed to the hub.
  int64_t published() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run();
  // Publishes every stored event after published_; false when the store could not be read.
  bool CatchUp();

  const Options options_;
  ChecklistStore* const store_;
  EventHub* const hub_;
  absl::Notification stop_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  int64_t published_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace preflight::checklist
