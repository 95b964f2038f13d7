#pragma once

// Versioned schema migrations on PostgreSQL, the counterpart of common/sqlite/migration_runner.h.
// Each store keeps its own list of steps under a component name; the versions applied are
// recorded in <schema>.schema_migrations(component, version, applied_at).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/postgres/postgres_pool.h"

namespace preflight {

// One schema step. Versions start at 1 and increase by one.
struct PostgresMigration {
  int version = 0;
  std::vector<std::string> statements;
};

// Creates the pool's schema if needed and applies the migrations of `component` newer than those
// recorded, all in one transaction (PostgreSQL's DDL is transactional) that holds an advisory
// lock, so replicas starting together migrate once and none sees half a schema. Reapplying is a
// no-op. FAILED_PRECONDITION when the database is newer than the last migration (written by a
// newer binary); INTERNAL when `migrations` are not numbered 1, 2, 3, ...
absl::Status ApplyPostgresMigrations(PostgresPool& pool, absl::string_view component,
                                     const std::vector<PostgresMigration>& migrations);

// Highest version of `component` recorded, 0 when none (or no schema yet).
absl::StatusOr<int> PostgresSchemaVersion(PostgresPool& pool, absl::string_view component);

}  // namespace preflight
