#include "common/sqlite/connection.h"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <system_error>

#include "SQLiteCpp/Exception.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/sqlite/error_status.h"

namespace preflight {
namespace {

absl::string_view SynchronousName(SqliteOptions::Synchronous synchronous) {
  switch (synchronous) {
    case SqliteOptions::Synchronous::kOff:
      return "OFF";
    case SqliteOptions::Synchronous::kNormal:
      return "NORMAL";
    case SqliteOptions::Synchronous::kFull:
      return "FULL";
    case SqliteOptions::Synchronous::kExtra:
      return "EXTRA";
  }
  return "FULL";
}

int BusyTimeoutMillis(const SqliteOptions& options) {
  const int64_t ms = absl::ToInt64Milliseconds(options.busy_timeout);
  if (ms < 0) return 0;
  if (ms > INT32_MAX) return INT32_MAX;
  return static_cast<int>(ms);
}

// Opens `path` read-only; on read-only media without a WAL to replay, as an immutable URI (no
// locks, no -shm: the file cannot change under us). Throws SQLite::Exception.
std::unique_ptr<SQLite::Database> OpenReadOnly(const std::string& path,
                                               const SqliteOptions& options) {
  std::error_code error;
  const bool wal_left = std::filesystem::file_size(path + "-wal", error) > 0 && !error;
  if (options.read_only_media && !wal_left) {
    if (!std::filesystem::exists(path, error)) {
      throw SQLite::Exception(absl::StrCat(path, " does not exist on a read-only file system"),
                              SQLITE_CANTOPEN);
    }
    return std::make_unique<SQLite::Database>(absl::StrCat("file:", path, "?immutable=1"),
                                              SQLite::OPEN_READONLY | SQLite::OPEN_URI,
                                              BusyTimeoutMillis(options));
  }
  return std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY,
                                            BusyTimeoutMillis(options));
}

// The working-set pragmas (see SqliteOptions); throws SQLite::Exception.
void ApplyCachePragmas(SQLite::Database& db, const SqliteOptions& options) {
  if (options.cache_size_kib > 0) {
    db.exec(absl::StrCat("PRAGMA cache_size=-", options.cache_size_kib));
  }
  if (options.mmap_size_bytes > 0) {
    db.execAndGet(absl::StrCat("PRAGMA mmap_size=", options.mmap_size_bytes));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<SQLite::Database>> OpenSqliteDatabase(
    const std::string& path, const SqliteOptions& given_options,
    const std::vector<SqliteMigration>& migrations) {
  SqliteOptions options = given_options;
  options.read_only = options.read_only || options.read_only_media;
  std::unique_ptr<SQLite::Database> db;
  const std::string context = absl::StrCat("opening database ", path);
  try {
    if (options.read_only) {
      db = OpenReadOnly(path, options);
    } else {
      db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                              BusyTimeoutMillis(options));
    }
    if (options.read_only) {
      db->exec("PRAGMA query_only=ON");
    } else {
      // Persistent in the file; readers then never block the writer and vice versa.
      db->execAndGet("PRAGMA journal_mode=WAL");
    }
    db->exec(absl::StrCat("PRAGMA synchronous=", SynchronousName(options.synchronous)));
    db->exec("PRAGMA foreign_keys=ON");
    ApplyCachePragmas(*db, options);
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, context);
  }

  if (options.read_only) {
    if (absl::Status s = CheckSqliteSchemaCurrent(*db, migrations, context); !s.ok()) return s;
  } else if (absl::Status s = ApplySqliteMigrations(*db, migrations); !s.ok()) {
    return s;
  }

  if (options.max_page_count > 0) {
    try {
      db->execAndGet(absl::StrCat("PRAGMA max_page_count=", options.max_page_count));
    } catch (const SQLite::Exception& e) {
      return SqliteErrorToStatus(e, context);
    }
  }
  return db;
}

absl::StatusOr<std::unique_ptr<SQLite::Database>> OpenSqliteReader(const std::string& path,
                                                                   const SqliteOptions& options) {
  try {
    std::unique_ptr<SQLite::Database> db = OpenReadOnly(path, options);
    db->exec("PRAGMA query_only=ON");
    ApplyCachePragmas(*db, options);
    return db;
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, absl::StrCat("opening database ", path, " for reading"));
  }
}

}  // namespace preflight
