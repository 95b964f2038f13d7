#include "checklist-service/app/checklist_storage.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/storage/postgres_calendar_feed_store.h"
#include "checklist-service/storage/postgres_checklist_store.h"
#include "checklist-service/storage/sqlite_calendar_feed_store.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "common/auth/postgres_token_store.h"

namespace preflight::checklist {

absl::StatusOr<ChecklistConfig> ResolveDatabaseUrl(ChecklistConfig config) {
  if (config.database_file.empty()) return config;
  if (!config.database.empty()) {
    return absl::InvalidArgumentError("give --database or --database_file, not both");
  }
  std::ifstream in(config.database_file);
  if (!in.is_open()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--database_file: cannot read ", config.database_file));
  }
  std::stringstream text;
  text << in.rdbuf();
  config.database = std::string(absl::StripAsciiWhitespace(text.str()));
  if (config.database.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--database_file: ", config.database_file, " is empty"));
  }
  return config;
}

SqliteOptions ChecklistSqliteOptions(const ChecklistConfig& config, bool read_only_file_system) {
  SqliteOptions options;
  options.max_page_count = config.sqlite_max_page_count;
  options.read_only = config.sqlite_read_only;
  options.read_only_media = read_only_file_system;
  options.reader_connections = std::max(1, config.sqlite_reader_connections);
  options.cache_size_kib = std::max<int64_t>(0, config.sqlite_cache_size_kib);
  options.mmap_size_bytes = std::max<int64_t>(0, config.sqlite_mmap_size_bytes);
  return options;
}

absl::StatusOr<ChecklistStorage> OpenChecklistStorage(const ChecklistConfig& config,
                                                      bool read_only_file_system) {
  ChecklistStorage storage;
  if (config.database.empty()) {
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store = SqliteChecklistStore::Open(
        config.data_dir + "/checklist.db", ChecklistSqliteOptions(config, read_only_file_system));
    if (!store.ok()) return store.status();
    // On the checklist store's connections (one file); destroyed before it (member order).
    storage.feeds = std::make_unique<SqliteCalendarFeedStore>((*store)->database());
    storage.store = *std::move(store);
    return storage;
  }
  PostgresOptions options;
  options.url = config.database;
  options.schema = kChecklistSchema;
  options.connections = std::max(1, config.database_connections);
  options.application_name = "checklist-service";
  absl::StatusOr<std::unique_ptr<PostgresPool>> pool = PostgresPool::Open(options);
  if (!pool.ok()) return pool.status();
  storage.pool = *std::move(pool);
  absl::StatusOr<std::unique_ptr<PostgresChecklistStore>> store =
      PostgresChecklistStore::Open(storage.pool.get());
  if (!store.ok()) return store.status();
  storage.store = *std::move(store);
  storage.feeds = std::make_unique<PostgresCalendarFeedStore>(storage.pool.get());
  absl::StatusOr<std::unique_ptr<auth::PostgresTokenStore>> tokens =
      auth::PostgresTokenStore::Open(storage.pool.get());
  if (!tokens.ok()) return tokens.status();
  storage.tokens = *std::move(tokens);
  return storage;
}

}  // namespace preflight::checklist
