#include "common/sqlite/statement_cache.h"

namespace preflight {
namespace {

thread_local StatementCache* current_cache = nullptr;

}  // namespace

SQLite::Statement* StatementCache::Acquire(const std::string& sql) {
  auto found = entries_.find(sql);
  if (found == entries_.end()) {
    if (entries_.size() >= kMaxStatements) return nullptr;
    auto entry = std::make_unique<Entry>();
    entry->statement = std::make_unique<SQLite::Statement>(*db_, sql);
    by_statement_[entry->statement.get()] = entry.get();
    found = entries_.emplace(sql, std::move(entry)).first;
  }
  Entry& entry = *found->second;
  if (entry.in_use) return nullptr;
  entry.in_use = true;
  return entry.statement.get();
}

void StatementCache::Release(SQLite::Statement* statement) {
  auto found = by_statement_.find(statement);
  if (found == by_statement_.end()) return;
  // sqlite3_reset reports the last step's error again; the step already threw it.
  try {
    statement->reset();
  } catch (const SQLite::Exception&) {
  }
  try {
    statement->clearBindings();
  } catch (const SQLite::Exception&) {
  }
  found->second->in_use = false;
}

ScopedStatementCache::ScopedStatementCache(StatementCache* cache) : previous_(current_cache) {
  current_cache = cache;
}

ScopedStatementCache::~ScopedStatementCache() { current_cache = previous_; }

CachedStatement::CachedStatement(SQLite::Database& db, const std::string& sql) {
  if (current_cache != nullptr && current_cache->db() == &db) {
    statement_ = current_cache->Acquire(sql);
    if (statement_ != nullptr) cache_ = current_cache;
  }
  if (statement_ == nullptr) {
    owned_ = std::make_unique<SQLite::Statement>(db, sql);
    statement_ = owned_.get();
  }
}

CachedStatement::~CachedStatement() {
  if (cache_ != nullptr) cache_->Release(statement_);
}

}  // namespace preflight
