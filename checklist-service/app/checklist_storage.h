#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "checklist-service/app/checklist_config.h"
#include "checklist-service/domain/calendar_feed_store.h"
#include "checklist-service/domain/checklist_store.h"
#include "common/auth/token_store.h"
#include "common/postgres/postgres_pool.h"
#include "common/sqlite/sqlite_options.h"

namespace preflight::checklist {

// The checklist service's stores on the backend `--database` chose: SQLite files in the data
// folder (checklist.db; auth.db opens with the token service), or the schema `checklist` of a
// PostgreSQL database shared with the other replicas (docs/scaling.md).
struct ChecklistStorage {
  // PostgreSQL only; declared first so that it outlives the stores on it.
  std::unique_ptr<PostgresPool> pool;
  std::unique_ptr<ChecklistStore> store;
  std::unique_ptr<CalendarFeedStore> feeds;
  // PostgreSQL only: SQLite's token store is auth.db, which SetUpLocalAuth opens.
  std::unique_ptr<auth::TokenStore> tokens;

  bool on_postgres() const { return pool != nullptr; }
};

// The PostgreSQL schema the checklist service keeps its tables in.
inline constexpr char kChecklistSchema[] = "checklist";

// `config` with `database` read from `database_file` when that is set (surrounding whitespace
// dropped). INVALID_ARGUMENT naming the flag when both are set, or the file is empty;
// FAILED_PRECONDITION when it cannot be read.
absl::StatusOr<ChecklistConfig> ResolveDatabaseUrl(ChecklistConfig config);

// How the SQLite files (checklist.db, auth.db) are opened.
SqliteOptions ChecklistSqliteOptions(const ChecklistConfig& config, bool read_only_file_system);

// Opens (and migrates) the stores. `read_only_file_system`: the data folder's file system is
// mounted read-only (SQLite only).
absl::StatusOr<ChecklistStorage> OpenChecklistStorage(const ChecklistConfig& config,
                                                      bool read_only_file_system);

}  // namespace preflight::checklist
