#pragma once

#include <cstdint>

#include "absl/time/time.h"

namespace preflight {

// How a service's SQLite database is opened (see connection.h).
struct SqliteOptions {
  enum class Synchronous { kOff, kNormal, kFull, kExtra };

  // FULL: a commit that returned is on disk even after power loss (WAL mode).
  Synchronous synchronous = Synchronous::kFull;
  // How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
  absl::Duration busy_timeout = absl::Seconds(5);
  // Opens the file read-only: reads work, every write fails with FAILED_PRECONDITION. The schema
  // must already be current (a read-only connection cannot migrate it).
  bool read_only = false;
  // The file system holding the database is mounted read-only (implies read_only): nothing can
  // change the file, so it is opened immutable, needing no -shm file; a leftover -wal (after a
  // crash) is read as SQLite can on read-only media.
  bool read_only_media = false;
  // When positive, caps the database at this many pages (PRAGMA max_page_count, applied after the
  // migrations; SQLite never caps below the current size). Lets tests provoke SQLITE_FULL.
  int64_t max_page_count = 0;
};

}  // namespace preflight
