#include "checklist-service/storage/migrations.h"

#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/connection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

std::vector<std::string> Columns(SQLite::Database& db, const std::string& table) {
  SQLite::Statement query(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  query.bind(1, table);
  std::vector<std::string> columns;
  while (query.executeStep()) columns.push_back(query.getColumn(0).getString());
  return columns;
}

std::string ColumnType(SQLite::Database& db, const std::string& table, const std::string& column) {
  SQLite::Statement query(db, "SELECT type FROM pragma_table_info(?) WHERE name = ?");
  query.bind(1, table);
  query.bind(2, column);
  return query.executeStep() ? query.getColumn(0).getString() : "";
}

std::string ForeignKeyTarget(SQLite::Database& db, const std::string& table) {
  SQLite::Statement query(db, "SELECT \"table\" FROM pragma_foreign_key_list(?)");
  query.bind(1, table);
  return query.executeStep() ? query.getColumn(0).getString() : "";
}

std::vector<std::string> Indexes(SQLite::Database& db) {
  std::vector<std::string> indexes;
  SQLite::Statement query(db, "SELECT name FROM sqlite_schema WHERE type = 'index'");
  while (query.executeStep()) indexes.push_back(query.getColumn(0).getString());
  return indexes;
}

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
        OpenSqliteDatabase(dir_.Join("m.db"), SqliteOptions{}, ChecklistMigrations());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }

  ::preflight::testing::TempDir dir_;
  std::unique_ptr<SQLite::Database> db_;
};

TEST_F(MigrationsTest, VersionsAreConsecutiveFromOne) {
  const std::vector<SqliteMigration>& migrations = ChecklistMigrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(migrations[i].statements.empty());
  }
}

TEST_F(MigrationsTest, CreatesTheDocumentedTables) {
  EXPECT_THAT(
      Columns(*db_, "launches"),
      ElementsAre("id", "tenant", "owner", "target_date", "request_id", "request_fingerprint",
                  "version", "create_time", "update_time", "payload", "at_risk_from"));
  EXPECT_THAT(Columns(*db_, "items"),
              ElementsAre("launch_id", "code", "ordinal", "version", "status", "payload", "tenant",
                          "assignee", "open", "latest_start", "latest_finish", "at_risk_from"));
  EXPECT_THAT(Columns(*db_, "events"),
              ElementsAre("sequence", "type", "tenant", "launch_id", "item_code", "actor",
                          "time_micros", "summary", "payload"));
  EXPECT_THAT(Columns(*db_, "secrets"), ElementsAre("name", "value"));
  for (const char* table : {"launches", "items", "events"}) {
    EXPECT_EQ(ColumnType(*db_, table, "payload"), "BLOB") << table;
  }
  EXPECT_EQ(ForeignKeyTarget(*db_, "items"), "launches");
  EXPECT_THAT(
      Indexes(*db_),
      IsSupersetOf({"launches_tenant_request_id", "launches_tenant_id", "launches_owner_id",
                    "launches_target_date", "events_launch_sequence", "items_tenant_open_start",
                    "items_tenant_assignee_open_start", "launches_tenant_id_risk"}));
  // Migration 3's temporary names are gone.
  for (const char* table : {"launches_v3", "items_v3", "events_v3"}) {
    EXPECT_FALSE(db_->tableExists(table)) << table;
  }
}

TEST_F(MigrationsTest, RequestIdIsUniquePerTenantOnlyWhenSet) {
  auto insert = [&](const char* id, const char* tenant, const char* request_id) {
    SQLite::Statement stmt(*db_,
                           "INSERT INTO launches (id, tenant, owner, target_date, request_id, "
                           "request_fingerprint, version, create_time, update_time, payload) "
                           "VALUES (?, ?, 'o', '2026-01-01', ?, '', 1, 0, 0, "
                           "X'')");
    stmt.bind(1, id);
    stmt.bind(2, tenant);
    stmt.bind(3, request_id);
    stmt.exec();
  };
  insert("a", "t1", "");
  insert("b", "t1", "");  // empty request ids never collide
  insert("c", "t1", "r1");
  insert("d", "t2", "r1");
  EXPECT_THROW(insert("e", "t1", "r1"), SQLite::Exception);
}

TEST_F(MigrationsTest, TablesAreStrictAndPayloadsMustBeBlobs) {
  EXPECT_THROW(db_->exec("INSERT INTO launches (id, tenant, owner, target_date, request_id, "
                         "request_fingerprint, version, create_time, update_time, payload) VALUES "
                         "('a', 't', 'o', '2026-01-01', '', '', "
                         "'not a number', 0, 0, X'')"),
               SQLite::Exception);
  // A payload bound as text (as schema 2 had it) is refused.
  for (const char* payload : {"'{}'", "NULL"}) {
    EXPECT_THROW(
        db_->exec(absl::StrCat("INSERT INTO launches (id, tenant, owner, target_date, request_id, "
                               "request_fingerprint, version, create_time, update_time, payload) "
                               "VALUES ('a', 't', 'o', '2026-01-01', "
                               "'', '', 1, 0, 0, ",
                               payload, ")")),
        SQLite::Exception)
        << payload;
  }
  db_->exec(
      "INSERT INTO launches (id, tenant, owner, target_date, request_id, request_fingerprint, "
      "version, create_time, update_time, payload) VALUES ('a', 't', 'o', '2026-01-01', '', '', 1, "
      "0, 0, X'0a01')");
}

TEST_F(MigrationsTest, ItemsNeedAnExistingLaunch) {
  EXPECT_THROW(db_->exec("INSERT INTO items VALUES ('ghost', 'BIZ', 1, 1, 'NOT_STARTED', X'')"),
               SQLite::Exception);
}

TEST_F(MigrationsTest, ReapplyingIsANoOp) {
  ASSERT_TRUE(ApplySqliteMigrations(*db_, ChecklistMigrations()).ok());
  ASSERT_TRUE(ApplySqliteMigrations(*db_, ChecklistMigrations()).ok());
  EXPECT_EQ(db_->execAndGet("SELECT COUNT(*) FROM schema_migrations").getInt(),
            static_cast<int>(ChecklistMigrations().size()));
}

}  // namespace
}  // namespace preflight::checklist
