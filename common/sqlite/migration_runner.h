#pragma once

// Versioned schema migrations. Each service keeps its own list of steps (the SQL); this applies
// them and records the schema version in the table schema_migrations(version, applied_at).

#include <functional>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight {

// One schema step. Versions start at 1 and increase by one; a migration's statements, then its
// transform, run in a single transaction together with the row recording its version.
struct SqliteMigration {
  int version = 0;
  std::vector<std::string> statements;
  // Optional: a step SQL cannot express (rewriting rows through C++ code), run after the
  // statements in the same transaction. A non-OK status (or a thrown SQLite::Exception) rolls
  // the whole migration back and comes back from ApplySqliteMigrations with its code kept.
  // Initialized, so that {version, statements} initializers need not name it.
  std::function<absl::Status(SQLite::Database&)> transform = nullptr;
};

// Highest migration version recorded in `db`, 0 for a database never migrated.
absl::StatusOr<int> SqliteSchemaVersion(SQLite::Database& db);

// Applies the migrations newer than the database's version, each in its own IMMEDIATE
// transaction, and records them in schema_migrations(version, applied_at). Reapplying is a no-op.
// FAILED_PRECONDITION when the database is newer than the last migration (written by a newer
// binary); INTERNAL when `migrations` are not numbered 1, 2, 3, ...
absl::Status ApplySqliteMigrations(SQLite::Database& db,
                                   const std::vector<SqliteMigration>& migrations);

// OK when `db` is exactly at the last migration, for a connection that cannot migrate (read-only):
// FAILED_PRECONDITION, starting with `context`, when it is older; as ApplySqliteMigrations when it
// is newer or `migrations` are misnumbered.
absl::Status CheckSqliteSchemaCurrent(SQLite::Database& db,
                                      const std::vector<SqliteMigration>& migrations,
                                      absl::string_view context);

}  // namespace preflight
