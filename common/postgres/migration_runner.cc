#include "common/postgres/migration_runner.h"

#include <pqxx/transaction>

#include "absl/strings/str_cat.h"

namespace preflight {
namespace {

// pg_advisory_xact_lock key shared by every Preflight migration ("PFMIGRAT" in ASCII).
constexpr int64_t kMigrationLock = 0x50464d4947524154;

absl::Status CheckNumbering(const std::vector<PostgresMigration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InternalError(
          absl::StrCat("migration ", i + 1, " is numbered ", migrations[i].version));
    }
  }
  return absl::OkStatus();
}

int RecordedVersion(pqxx::transaction_base& tx, absl::string_view component) {
  pqxx::row row = tx.exec_params1(
      "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = $1",
      std::string(component));
  return row[0].as<int>();
}

}  // namespace

absl::Status ApplyPostgresMigrations(PostgresPool& pool, absl::string_view component,
                                     const std::vector<PostgresMigration>& migrations) {
  if (absl::Status numbered = CheckNumbering(migrations); !numbered.ok()) return numbered;
  const std::string schema = pool.options().schema;
  return pool.Transact(
      absl::StrCat("migrating ", schema, ".", component),
      [&](pqxx::transaction_base& tx) -> absl::Status {
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
        tx.exec(absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", schema));
        tx.exec(absl::StrCat("CREATE TABLE IF NOT EXISTS ", schema, R"sql(.schema_migrations (
              component TEXT NOT NULL,
              version INTEGER NOT NULL,
              applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
              PRIMARY KEY (component, version)))sql"));
        const int current = RecordedVersion(tx, component);
        const int latest = static_cast<int>(migrations.size());
        if (current > latest) {
          return absl::FailedPreconditionError(absl::StrCat(
              "the database's ", schema, ".", component, " schema is at version ", current,
              ", newer than this binary's ", latest, "; run a newer Preflight"));
        }
        for (const PostgresMigration& migration : migrations) {
          if (migration.version <= current) continue;
          for (const std::string& statement : migration.statements) tx.exec(statement);
          tx.exec_params("INSERT INTO schema_migrations (component, version) VALUES ($1, $2)",
                         std::string(component), migration.version);
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<int> PostgresSchemaVersion(PostgresPool& pool, absl::string_view component) {
  return pool.Transact(
      "reading the schema version", [&](pqxx::transaction_base& tx) -> absl::StatusOr<int> {
        pqxx::row exists = tx.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL");
        if (!exists[0].as<bool>()) return 0;
        return RecordedVersion(tx, component);
      });
}

}  // namespace preflight
