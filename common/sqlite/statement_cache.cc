#include "common/sqlite/statement_cache.h"

namespace preflight {
namespace {

thread_local StatementCache* current_cache = nullptr;

}  // namespace

StatementCache::Entry* StatementCache::Acquire(const std::string& sql) {
  auto found = entries_.find(sql);
  if (found == entries_.end()) {
    if (entries_.size() >= kMaxStatements) return nullptr;
    auto entry = std::make_unique<Entry>();
    entry->statement = std::make_unique<SQLite::Statement>(*db_, sql);
    found = entries_.emplace(sql, std::move(entry)).first;
  }
  Entry* entry = found->second.get();
  if (entry->in_use) return nullptr;
  entry->in_use = true;
  return entry;
}

void StatementCache::Release(Entry* entry) {
  // sqlite3_reset reports the last step's error again; the step already threw it.
  try {
    entry->statement->reset();
  } catch (const SQLite::Exception&) {
  }
  try {
    entry->statement->clearBindings();
  } catch (const SQLite::Exception&) {
  }
  entry->in_use = false;
}

ScopedStatementCache::ScopedStatementCache(StatementCache* cache) : previous_(current_cache) {
  current_cache = cache;
}

ScopedStatementCache::~ScopedStatementCache() { current_cache = previous_; }

CachedStatement::CachedStatement(SQLite::Database& db, const std::string& sql) {
  if (current_cache != nullptr && current_cache->db() == &db) {
    entry_ = current_cache->Acquire(sql);
  }
  if (entry_ != nullptr) {
    statement_ = entry_->statement.get();
  } else {
    owned_ = std::make_unique<SQLite::Statement>(db, sql);
    statement_ = owned_.get();
  }
}

CachedStatement::~CachedStatement() {
  if (entry_ != nullptr) StatementCache::Release(entry_);
}

}  // namespace preflight
