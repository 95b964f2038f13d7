#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/sqlite/guarded_connection.h"
#include "common/sqlite/migration_runner.h"
#include "common/sqlite/sqlite_options.h"

namespace preflight {

// A database file (WAL) open several times: a writer connection, migrated at open, through which
// every write goes one at a time, and a small pool of read-only reader connections, each with its
// own mutex, so a read never waits for a commit's fsync nor (up to the pool's size) for another
// read. Every SQLite failure comes back as a status.
class SqliteReaderWriter {
 public:
  // Opens or creates the database at `path` (a file: all connections must share it) with
  // OpenSqliteDatabase, applying `migrations`, then options.reader_connections readers.
  // INVALID_ARGUMENT naming `owner` ("the notifier store") for an in-memory or empty path.
  static absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> Open(
      const std::string& path, const SqliteOptions& options,
      const std::vector<SqliteMigration>& migrations, absl::string_view owner);

  SqliteReaderWriter(std::unique_ptr<SQLite::Database> writer,
                     std::unique_ptr<SQLite::Database> reader)
      : writer_(std::move(writer)) {
    AddReader(std::move(reader));
  }
  SqliteReaderWriter(const SqliteReaderWriter&) = delete;
  SqliteReaderWriter& operator=(const SqliteReaderWriter&) = delete;

  // body(reader), each statement its own snapshot.
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> Read(absl::string_view context, Body&& body) {
    ReaderLease lease(*this);
    return lease.connection().Run(context, std::forward<Body>(body));
  }

  // body(reader) in one read transaction: every statement sees the same snapshot.
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> ReadSnapshot(absl::string_view context,
                                                            Body&& body) {
    ReaderLease lease(*this);
    return lease.connection().Transact(context, SQLite::TransactionBehavior::DEFERRED,
                                       std::forward<Body>(body));
  }

  size_t reader_count() const { return readers_.size(); }

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

  // WriteTransaction for a write that can be redone from its source after a power loss (the
  // notifier's copy of the checklist's event log, with its cursor): committed with
  // synchronous=NORMAL, so it survives a crash of the process but is not fsync'd on its own. The
  // next ordinary commit's fsync of the WAL makes it durable too (the WAL is written in order), so
  // nothing done after it on the strength of it can outlive it.
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> ReplayableWriteTransaction(absl::string_view context,
                                                                          Body&& body) {
    using Result = SqliteGuardedResult<Body, SQLite::Database&>;
    return writer_.Run(context, [&](SQLite::Database& db) -> Result {
      RelaxedSync relaxed(db, writer_synchronous_);
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      Result result = body(db);
      if (result.ok()) tx.commit();
      return result;
    });
  }

 private:
  // synchronous=NORMAL for its scope (only ever stricter settings are relaxed), then back.
  class RelaxedSync {
   public:
    // `configured`: the writer's own level, read from it once (-1 until then).
    RelaxedSync(SQLite::Database& db, int& configured);
    ~RelaxedSync();
    RelaxedSync(const RelaxedSync&) = delete;
    RelaxedSync& operator=(const RelaxedSync&) = delete;

   private:
    SQLite::Database& db_;
    int previous_;
  };

  // A reader taken from the pool for one call; waits while every reader is busy.
  class ReaderLease {
   public:
    explicit ReaderLease(SqliteReaderWriter& pool) : pool_(pool), index_(pool.AcquireReader()) {}
    ~ReaderLease() { pool_.ReleaseReader(index_); }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    GuardedConnection& connection() { return *pool_.readers_[index_]; }

   private:
    SqliteReaderWriter& pool_;
    const size_t index_;
  };

  // Only before the object is shared (Open).
  void AddReader(std::unique_ptr<SQLite::Database> reader);
  size_t AcquireReader();
  void ReleaseReader(size_t index);

  GuardedConnection writer_;
  // PRAGMA synchronous of the writer as opened; only touched while its mutex is held.
  int writer_synchronous_ = -1;
  // Fixed after Open; each reader's own mutex guards its use, pool_mu_ only which are lent out.
  std::vector<std::unique_ptr<GuardedConnection>> readers_;
  absl::Mutex pool_mu_;
  std::vector<size_t> free_readers_ ABSL_GUARDED_BY(pool_mu_);
};

}  // namespace preflight
