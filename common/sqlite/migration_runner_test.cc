#include "common/sqlite/migration_runner.h"

#include <sqlite3.h>

#include <cstdio>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;

const std::vector<SqliteMigration> kV1 = {
    {1, {"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE) STRICT"}},
};
const std::vector<SqliteMigration> kV2 = {
    kV1[0],
    {2,
     {"CREATE TABLE tags (name TEXT PRIMARY KEY) STRICT",
      "ALTER TABLE notes ADD COLUMN tag TEXT REFERENCES tags (name)"}},
};

int Count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt(); }

class MigrationRunnerTest : public ::testing::Test {
 protected:
  SQLite::Database Connect() {
    return SQLite::Database(dir_.Join("m.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  }

  testing::TempDir dir_;
};

TEST_F(MigrationRunnerTest, NewDatabaseIsAtVersionZero) {
  SQLite::Database db = Connect();
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 0);
  EXPECT_TRUE(ApplySqliteMigrations(db, {}).ok());
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 0);
}

TEST_F(MigrationRunnerTest, MigrationsApplyOnceAndOnlyNewOnesLater) {
  SQLite::Database db = Connect();
  ASSERT_TRUE(ApplySqliteMigrations(db, kV1).ok());
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 1);
  db.exec("INSERT INTO notes (body) VALUES ('kept')");
  // Reapplying runs nothing (CREATE TABLE again would fail).
  ASSERT_TRUE(ApplySqliteMigrations(db, kV1).ok());
  ASSERT_TRUE(ApplySqliteMigrations(db, kV2).ok());
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 2);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM schema_migrations"), 2);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM schema_migrations WHERE applied_at LIKE '20%Z'"), 2);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM notes WHERE body = 'kept' AND tag IS NULL"), 1);
}

TEST_F(MigrationRunnerTest, DatabaseNewerThanTheCodeIsRefused) {
  SQLite::Database db = Connect();
  ASSERT_TRUE(ApplySqliteMigrations(db, kV2).ok());
  absl::Status old = ApplySqliteMigrations(db, kV1);
  EXPECT_EQ(old.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(old.message(), HasSubstr("version 2 is newer than this binary supports (1)"));
}

TEST_F(MigrationRunnerTest, FailedMigrationLeavesNoTrace) {
  SQLite::Database db = Connect();
  ASSERT_TRUE(ApplySqliteMigrations(db, kV1).ok());
  std::vector<SqliteMigration> broken = kV1;
  broken.push_back({2, {"CREATE TABLE half (x INTEGER) STRICT", "THIS IS NOT SQL"}});
  absl::Status failed = ApplySqliteMigrations(db, broken);
  EXPECT_EQ(failed.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(failed.message(), HasSubstr("applying schema migration 2"));
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 1);
  EXPECT_FALSE(db.tableExists("half"));
}

TEST_F(MigrationRunnerTest, TransformRunsAfterTheStatementsInTheSameTransaction) {
  SQLite::Database db = Connect();
  ASSERT_TRUE(ApplySqliteMigrations(db, kV1).ok());
  db.exec("INSERT INTO notes (body) VALUES ('a'), ('b')");
  std::vector<SqliteMigration> migrations = kV1;
  bool in_transaction = false;
  migrations.push_back({2,
                        {"ALTER TABLE notes ADD COLUMN length INTEGER"},
                        [&](SQLite::Database& tx_db) -> absl::Status {
                          // The column the statements added is there; autocommit is off.
                          in_transaction = sqlite3_get_autocommit(tx_db.getHandle()) == 0;
                          tx_db.exec("UPDATE notes SET length = length(body) + 10");
                          return absl::OkStatus();
                        }});
  ASSERT_TRUE(ApplySqliteMigrations(db, migrations).ok());
  EXPECT_TRUE(in_transaction);
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 2);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM notes WHERE length = 11"), 2);
  // Applied once: a second run calls no transform.
  migrations.back().transform = [](SQLite::Database&) {
    return absl::InternalError("must not run again");
  };
  EXPECT_TRUE(ApplySqliteMigrations(db, migrations).ok());
}

TEST_F(MigrationRunnerTest, FailedTransformRollsBackTheWholeMigration) {
  SQLite::Database db = Connect();
  ASSERT_TRUE(ApplySqliteMigrations(db, kV1).ok());
  db.exec("INSERT INTO notes (body) VALUES ('kept')");
  std::vector<SqliteMigration> migrations = kV1;
  migrations.push_back(
      {2, {"CREATE TABLE half (x INTEGER) STRICT"}, [](SQLite::Database& tx_db) -> absl::Status {
         tx_db.exec("DELETE FROM notes");
         return absl::DataLossError("note 1 is unreadable");
       }});
  absl::Status failed = ApplySqliteMigrations(db, migrations);
  EXPECT_EQ(failed.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(failed.message(), "applying schema migration 2: note 1 is unreadable");
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 1);
  EXPECT_FALSE(db.tableExists("half"));
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM notes"), 1);

  // A transform that throws is reported like a failed statement, and rolled back too.
  migrations.back().transform = [](SQLite::Database& tx_db) -> absl::Status {
    tx_db.exec("DELETE FROM notes");
    tx_db.exec("THIS IS NOT SQL");
    return absl::OkStatus();
  };
  failed = ApplySqliteMigrations(db, migrations);
  EXPECT_EQ(failed.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(failed.message(), HasSubstr("applying schema migration 2"));
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 1);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM notes"), 1);
}

TEST_F(MigrationRunnerTest, MisnumberedMigrationsAreAProgrammingError) {
  SQLite::Database db = Connect();
  const std::vector<SqliteMigration> gap = {{1, {"SELECT 1"}}, {3, {"SELECT 1"}}};
  absl::Status status = ApplySqliteMigrations(db, gap);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("migration #2 has version 3"));
  EXPECT_EQ(CheckSqliteSchemaCurrent(db, gap, "ctx").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 0);
}

TEST_F(MigrationRunnerTest, SchemaCurrentOnlyAtTheLastMigration) {
  SQLite::Database db = Connect();
  absl::Status fresh = CheckSqliteSchemaCurrent(db, kV1, "opening x");
  EXPECT_EQ(fresh.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(fresh.message(), HasSubstr("opening x: schema version 0 needs migrating to 1"));
  ASSERT_TRUE(ApplySqliteMigrations(db, kV1).ok());
  EXPECT_TRUE(CheckSqliteSchemaCurrent(db, kV1, "opening x").ok());
  EXPECT_EQ(CheckSqliteSchemaCurrent(db, kV2, "opening x").code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ApplySqliteMigrations(db, kV2).ok());
  absl::Status newer = CheckSqliteSchemaCurrent(db, kV1, "opening x");
  EXPECT_EQ(newer.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(newer.message(), HasSubstr("is newer"));
}

TEST_F(MigrationRunnerTest, UnreadableFileIsDataLoss) {
  const std::string path = dir_.Join("junk.db");
  { SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs("this is no SQLite database, not even close to one; just text padding it out", file);
  std::fclose(file);
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  absl::StatusOr<int> version = SqliteSchemaVersion(db);
  EXPECT_EQ(version.status().code(), absl::StatusCode::kDataLoss) << version.status();
  EXPECT_EQ(ApplySqliteMigrations(db, kV1).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace preflight
