#pragma once

// Opening one SQLite connection with the project's durability pragmas.

#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/status/statusor.h"
#include "common/sqlite/migration_runner.h"
#include "common/sqlite/sqlite_options.h"

namespace preflight {

// Opens (creating it unless read-only) the database at `path` with journal_mode=WAL,
// foreign_keys=ON, the chosen synchronous level and busy timeout, and brings its schema up to
// date. A read-only open fails with FAILED_PRECONDITION when the schema is not current.
absl::StatusOr<std::unique_ptr<SQLite::Database>> OpenSqliteDatabase(
    const std::string& path, const SqliteOptions& options,
    const std::vector<SqliteMigration>& migrations);

// A second connection to a database already opened by OpenSqliteDatabase, for readers: opened
// read-only with query_only=ON, so it can never write, and never migrates.
absl::StatusOr<std::unique_ptr<SQLite::Database>> OpenSqliteReader(const std::string& path,
                                                                   const SqliteOptions& options);

}  // namespace preflight
