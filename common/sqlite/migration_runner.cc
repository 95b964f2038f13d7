#include "common/sqlite/migration_runner.h"

#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/error_status.h"

namespace preflight {
namespace {

constexpr char kCreateMigrationsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  version INTEGER PRIMARY KEY NOT NULL,"
    "  applied_at TEXT NOT NULL"
    ") STRICT";

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
      if (migration.transform) {
        // Returning drops `tx` uncommitted: the statements roll back with the transform.
        if (absl::Status s = migration.transform(db); !s.ok()) {
          return absl::Status(s.code(), absl::StrCat("applying schema migration ",
                                                     migration.version, ": ", s.message()));
        }
      }
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

absl::Status CheckSqliteSchemaCurrent(SQLite::Database& db,
                                      const std::vector<SqliteMigration>& migrations,
                                      absl::string_view context) {
  if (absl::Status s = ValidateNumbering(migrations); !s.ok()) return s;
  absl::StatusOr<int> version = SqliteSchemaVersion(db);
  if (!version.ok()) return version.status();
  const int latest = LatestVersion(migrations);
  if (*version > latest) return NewerThanCode(*version, latest);
  if (*version < latest) {
    return absl::FailedPreconditionError(absl::StrCat(context, ": schema version ", *version,
                                                      " needs migrating to ", latest,
                                                      ", which a read-only open cannot do"));
  }
  return absl::OkStatus();
}

}  // namespace preflight
