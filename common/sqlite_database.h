#pragma once

// Generic SQLite plumbing shared by the services that keep state in SQLite: opening a connection
// with the project's durability pragmas, versioned schema migrations, and mapping SQLite errors
// to canonical status codes. Nothing here knows about any service's tables.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Exception.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace preflight {

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

// One schema step. Versions start at 1 and increase by one; a migration's statements run in a
// single transaction together with the row recording its version.
struct SqliteMigration {
  int version = 0;
  std::vector<std::string> statements;
};

// Maps an SQLite failure to a canonical status whose message starts with `context`:
// BUSY/LOCKED -> UNAVAILABLE, FULL -> RESOURCE_EXHAUSTED, unique/primary-key constraint ->
// ALREADY_EXISTS, foreign-key constraint, READONLY and CANTOPEN -> FAILED_PRECONDITION,
// CORRUPT/NOTADB -> DATA_LOSS, anything else -> INTERNAL.
absl::Status SqliteErrorToStatus(int extended_code, absl::string_view message,
                                 absl::string_view context);
absl::Status SqliteErrorToStatus(const SQLite::Exception& e, absl::string_view context);

// Highest migration version recorded in `db`, 0 for a database never migrated.
absl::StatusOr<int> SqliteSchemaVersion(SQLite::Database& db);

// Applies the migrations newer than the database's version, each in its own IMMEDIATE
// transaction, and records them in schema_migrations(version, applied_at). Reapplying is a no-op.
// FAILED_PRECONDITION when the database is newer than the last migration (written by a newer
// binary); INTERNAL when `migrations` are not numbered 1, 2, 3, ...
absl::Status ApplySqliteMigrations(SQLite::Database& db,
                                   const std::vector<SqliteMigration>& migrations);

// Opens (creating it unless read-only) the database at `path` with journal_mode=WAL,
// foreign_keys=ON, the chosen synchronous level and busy timeout, and brings its schema up to
// date. A read-only open fails with FAILED_PRECONDITION when the schema is not current.
absl::StatusOr<std::unique_ptr<SQLite::Database>> OpenSqliteDatabase(
    const std::string& path, const SqliteOptions& options,
    const std::vector<SqliteMigration>& migrations);

// A second connection to a database already opened by OpenSqliteDatabase, for readers: opened
// read-only with query_only=ON, so it can never write, and never migrates.
absl::StatusOr<std::unique_ptr<SQLite::Database>> OpenSqliteReader(const std::string& path,
                                                                   const SqliteOptions& options);

// The value kept under `name` in the table secrets(name TEXT PRIMARY KEY, value BLOB), inserting
// `fresh` when there is none yet, in one IMMEDIATE transaction on `writer`. When two processes
// race, the first insert wins and both get its value. Throws SQLite::Exception like SQLiteCpp does.
std::string ReadOrInsertSqliteSecret(SQLite::Database& writer, const std::string& name,
                                     const std::string& fresh);

// `n` random bytes from OpenSSL; INTERNAL when OpenSSL has none.
absl::StatusOr<std::string> RandomSecretBytes(int n);

}  // namespace preflight
