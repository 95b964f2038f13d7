#pragma once

#include <memory>
#include <utility>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/sqlite/guarded.h"
#include "common/sqlite/statement_cache.h"

namespace preflight {

// One SQLite connection behind a mutex. SQLite connections must not be used by two threads at
// once, and SQLiteCpp throws: every use here holds the mutex and runs through SqliteGuarded, so
// callers get a status and never touch the connection unlocked.
class GuardedConnection {
 public:
  explicit GuardedConnection(std::unique_ptr<SQLite::Database> db)
      : db_(std::move(db)), statements_(db_.get()) {}
  GuardedConnection(const GuardedConnection&) = delete;
  GuardedConnection& operator=(const GuardedConnection&) = delete;

  // Returns body(db) (a status, a StatusOr or a plain value, see SqliteGuarded) holding the
  // mutex; statements run in autocommit mode unless the body opens a transaction.
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> Run(absl::string_view context, Body&& body) {
    absl::MutexLock lock(&mu_);
    // CachedStatements the body makes on this connection reuse its prepared statements.
    ScopedStatementCache use(&statements_);
    return SqliteGuarded(context, std::forward<Body>(body), *db_);
  }

  // Like Run, inside one transaction of `behavior`: committed when the body's result is OK,
  // rolled back when it is not or the body throws.
  template <typename Body>
  SqliteGuardedResult<Body, SQLite::Database&> Transact(absl::string_view context,
                                                        SQLite::TransactionBehavior behavior,
                                                        Body&& body) {
    using Result = SqliteGuardedResult<Body, SQLite::Database&>;
    return Run(context, [&](SQLite::Database& db) -> Result {
      SQLite::Transaction tx(db, behavior);
      Result result = body(db);
      if (result.ok()) tx.commit();
      return result;
    });
  }

 private:
  absl::Mutex mu_;
  std::unique_ptr<SQLite::Database> db_ ABSL_GUARDED_BY(mu_);
  // After db_: its statements are finalized before the connection closes.
  StatementCache statements_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight
