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

  // Read-only connections SqliteReaderWriter opens, so concurrent reads do not queue on one
  // connection's mutex (WAL lets each read its own snapshot). At least 1.
  int reader_connections = 4;
  // Page cache per connection in KiB (PRAGMA cache_size=-N): hot index and row pages stay in
  // memory across transactions. 0 keeps SQLite's default (2 MiB).
  int64_t cache_size_kib = 16 * 1024;
  // Bytes of the file read through a memory map (PRAGMA mmap_size): the OS page cache is shared
  // by every connection instead of copied into each. 0 disables it.
  int64_t mmap_size_bytes = int64_t{256} << 20;
};

}  // namespace preflight
