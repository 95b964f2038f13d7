#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sqlite/guarded_connection.h"
#include "common/sqlite/migration_runner.h"
#include "common/sqlite/sqlite_options.h"

namespace preflight {

// A database file (WAL) open twice: a writer connection, migrated at open, through which every
// write goes one at a time, and a read-only reader connection with its own mutex, so a read
// never waits for a commit's fsync. Every SQLite failure comes back as a status.
class SqliteReaderWriter {
 public:
  // Opens or creates the database at `path` (a file: both connections must share it) with
  // OpenSqliteDatabase, applying `migrations`, then its reader. INVALID_ARGUMENT naming `owner`
  // ("the notifier store") for an in-memory or empty path.
  static absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> Open(
      const std::string& path, const SqliteOptions& options,
      const std::vector<SqliteMigration>& migrations, absl::string_view owner);

  SqliteReaderWriter(std::unique_ptr<SQLite::Database> writer,
                     std::unique_ptr<SQLite::Database> reader)
      : writer_(std::move(writer)), reader_(std::move(reader)) {}
  SqliteReaderWriter(const SqliteReaderWriter&) = delete;
  SqliteReaderWriter& operator=(const SqliteReaderWriter&) = delete;

  // body(reader), each statement its own snapshot.
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> Read(absl::string_view context, Body&& body) {
    return reader_.Run(context, std::forward<Body>(body));
  }

  // body(reader) in one read transaction: every statement sees the same snapshot.
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> ReadSnapshot(absl::string_view context,
                                                            Body&& body) {
    return reader_.Transact(context, SQLite::TransactionBehavior::DEFERRED,
                            std::forward<Body>(body));
  }

  // body(writer) in autocommit mode (a single statement needs no transaction).
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> Write(absl::string_view context, Body&& body) {
    return writer_.Run(context, std::forward<Body>(body));
  }

  // body(writer) in one IMMEDIATE transaction, committed when its result is OK. IMMEDIATE takes
  // the write lock up front, so what the body reads cannot be changed by another process before
  // it commits.
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> WriteTransaction(absl::string_view context,
                                                                Body&& body) {
    return writer_.Transact(context, SQLite::TransactionBehavior::IMMEDIATE,
                            std::forward<Body>(body));
  }

 private:
  GuardedConnection writer_;
  GuardedConnection reader_;
};

}  // namespace preflight
