#include "common/sqlite_database.h"

#include <openssl/rand.h>
#include <sqlite3.h>

#include <filesystem>
#include <system_error>

#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/strings/str_cat.h"

namespace preflight {
namespace {

constexpr char kCreateMigrationsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  version INTEGER PRIMARY KEY NOT NULL,"
    "  applied_at TEXT NOT NULL"
    ") STRICT";

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

int LatestVersion(const std::vector<SqliteMigration>& migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

absl::Status NewerThanCode(int found, int latest) {
  return absl::FailedPreconditionError(absl::StrCat("database schema version ", found,
                                                    " is newer than this binary supports (", latest,
                                                    "); run a newer release"));
}

absl::Status ValidateNumbering(const std::vector<SqliteMigration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InternalError(absl::StrCat("schema migration #", i + 1, " has version ",
                                              migrations[i].version,
                                              "; versions must be 1, 2, 3, ..."));
    }
  }
  return absl::OkStatus();
}

// Reads the version inside the current connection state; throws SQLite::Exception.
int ReadSchemaVersion(SQLite::Database& db) {
  if (!db.tableExists("schema_migrations")) return 0;
  return db.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").getInt();
}

}  // namespace

absl::Status SqliteErrorToStatus(int extended_code, absl::string_view message,
                                 absl::string_view context) {
  const std::string text = absl::StrCat(context, ": ", message);
  switch (extended_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(text);
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError(text);
    case SQLITE_CONSTRAINT:
      switch (extended_code) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_ROWID:
          return absl::AlreadyExistsError(text);
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return absl::FailedPreconditionError(text);
        default:
          return absl::InternalError(text);
      }
    case SQLITE_READONLY:
      return absl::FailedPreconditionError(absl::StrCat(context, ": database is read-only"));
    case SQLITE_CANTOPEN:
      // A missing folder, a file without permission, a read-only file system: the setup.
      return absl::FailedPreconditionError(text);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(text);
    default:
      return absl::InternalError(text);
  }
}

absl::Status SqliteErrorToStatus(const SQLite::Exception& e, absl::string_view context) {
  return SqliteErrorToStatus(e.getExtendedErrorCode(), e.what(), context);
}

absl::StatusOr<int> SqliteSchemaVersion(SQLite::Database& db) {
  try {
    return ReadSchemaVersion(db);
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, "reading the schema version");
  }
}

absl::Status ApplySqliteMigrations(SQLite::Database& db,
                                   const std::vector<SqliteMigration>& migrations) {
  if (absl::Status s = ValidateNumbering(migrations); !s.ok()) return s;
  const int latest = LatestVersion(migrations);
  int current = 0;
  try {
    current = ReadSchemaVersion(db);
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, "reading the schema version");
  }
  if (current > latest) return NewerThanCode(current, latest);

  for (const SqliteMigration& migration : migrations) {
    if (migration.version <= current) continue;
    try {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      db.exec(kCreateMigrationsTable);
      // Another process may have migrated between our read and taking the write lock.
      current = ReadSchemaVersion(db);
      if (current > latest) return NewerThanCode(current, latest);
      if (migration.version <= current) continue;
      for (const std::string& sql : migration.statements) db.exec(sql);
      SQLite::Statement record(db,
                               "INSERT INTO schema_migrations (version, applied_at) "
                               "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
      record.bind(1, migration.version);
      record.exec();
      tx.commit();
      current = migration.version;
    } catch (const SQLite::Exception& e) {
      return SqliteErrorToStatus(e, absl::StrCat("applying schema migration ", migration.version));
    }
  }
  return absl::OkStatus();
}

// Opens `path` read-only; on read-only media without a WAL to replay, as an immutable URI (no
// locks, no -shm: the file cannot change under us).
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
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, context);
  }

  if (options.read_only) {
    if (absl::Status s = ValidateNumbering(migrations); !s.ok()) return s;
    absl::StatusOr<int> version = SqliteSchemaVersion(*db);
    if (!version.ok()) return version.status();
    const int latest = LatestVersion(migrations);
    if (*version > latest) return NewerThanCode(*version, latest);
    if (*version < latest) {
      return absl::FailedPreconditionError(absl::StrCat(context, ": schema version ", *version,
                                                        " needs migrating to ", latest,
                                                        ", which a read-only open cannot do"));
    }
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
    return db;
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, absl::StrCat("opening database ", path, " for reading"));
  }
}

std::string ReadOrInsertSqliteSecret(SQLite::Database& writer, const std::string& name,
                                     const std::string& fresh) {
  SQLite::Transaction tx(writer, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement insert(
      writer, "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
  insert.bind(1, name);
  insert.bind(2, fresh.data(), static_cast<int>(fresh.size()));
  insert.exec();
  SQLite::Statement query(writer, "SELECT value FROM secrets WHERE name = ?");
  query.bind(1, name);
  query.executeStep();
  std::string value = query.getColumn(0).getString();
  query.reset();
  tx.commit();
  return value;
}

absl::StatusOr<std::string> RandomSecretBytes(int n) {
  std::string bytes(static_cast<size_t>(n), '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), n) != 1) {
    return absl::InternalError("no random bytes from OpenSSL");
  }
  return bytes;
}

}  // namespace preflight
