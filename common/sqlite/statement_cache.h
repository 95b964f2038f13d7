#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/container/flat_hash_map.h"

namespace preflight {

// Prepared statements kept per connection. Preparing (parsing and planning the SQL) was a quarter
// of the notifier's CPU with a new SQLite::Statement per call. GuardedConnection owns one cache
// per connection and makes it current on the thread while a body runs under its mutex, so a
// cached statement is only ever used by the thread holding its connection.
class StatementCache {
 public:
  // More distinct statements than this are prepared per use instead (dynamic SQL stays bounded).
  static constexpr size_t kMaxStatements = 256;

  explicit StatementCache(SQLite::Database* db) : db_(db) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };

  // The prepared statement for `sql` on this cache's connection, marked in use; nullptr when it
  // is in use already (a nested use of the same SQL) or the cache is full. Throws as
  // SQLite::Statement's constructor does.
  Entry* Acquire(const std::string& sql);
  // Resets the entry's statement (clearing its bindings) and marks it free.
  static void Release(Entry* entry);

  SQLite::Database* db() const { return db_; }
  size_t size() const { return entries_.size(); }

 private:
  SQLite::Database* const db_;
  // Entries on the heap: CachedStatements point at them across rehashes.
  absl::flat_hash_map<std::string, std::unique_ptr<Entry>> entries_;
};

// Makes `cache` current on this thread for the scope (restoring the previous one after).
class ScopedStatementCache {
 public:
  explicit ScopedStatementCache(StatementCache* cache);
  ~ScopedStatementCache();
  ScopedStatementCache(const ScopedStatementCache&) = delete;
  ScopedStatementCache& operator=(const ScopedStatementCache&) = delete;

 private:
  StatementCache* const previous_;
};

// A statement on `db`, taken from the thread's current cache when that cache belongs to `db`,
// else prepared for this use. Use it like SQLite::Statement; it converts to SQLite::Statement&
// for functions that take one. Reset when it goes out of scope, so no cached statement keeps a
// read transaction open.
class CachedStatement {
 public:
  CachedStatement(SQLite::Database& db, const std::string& sql);
  ~CachedStatement();
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  operator SQLite::Statement&() { return *statement_; }  // NOLINT: a drop-in for Statement
  SQLite::Statement& get() { return *statement_; }

  template <typename... Args>
  void bind(Args&&... args) {
    statement_->bind(std::forward<Args>(args)...);
  }
  bool executeStep() { return statement_->executeStep(); }
  int exec() { return statement_->exec(); }
  SQLite::Column getColumn(int index) const { return statement_->getColumn(index); }
  bool isColumnNull(int index) const { return statement_->isColumnNull(index); }
  int getColumnCount() const { return statement_->getColumnCount(); }

 private:
  StatementCache::Entry* entry_ = nullptr;  // null: statement_ is owned_
  SQLite::Statement* statement_ = nullptr;
  std::unique_ptr<SQLite::Statement> owned_;
};

}  // namespace preflight
