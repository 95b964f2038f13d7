// Migration 3 (JSON payloads to binary) on a database the schema-2 store really wrote:
// testdata/checklist_v2.db, whose content testdata/v2_fixture.h spells out.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/storage/checklist_backup.h"
#include "checklist-service/storage/migrations.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "checklist-service/storage/testdata/v2_fixture.h"
#include "checklist-service/testing/snapshot_testing.h"
#include "common/sqlite/migration_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::preflight::testing::ExpectEventEq;
using ::preflight::testing::ExpectItemEq;
using ::preflight::testing::ExpectLaunchEq;
using ::preflight::testing::MakeV2Fixture;
using ::preflight::testing::V2Fixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kFixture[] =
    PREFLIGHT_SOURCE_DIR "/checklist-service/storage/testdata/checklist_v2.db";

std::map<std::string, std::string> IndexSql(SQLite::Database& db) {
  std::map<std::string, std::string> indexes;
  SQLite::Statement query(db,
                          "SELECT name, COALESCE(sql, '') FROM sqlite_schema WHERE type = 'index'");
  while (query.executeStep()) {
    indexes[query.getColumn(0).getString()] = query.getColumn(1).getString();
  }
  return indexes;
}

std::vector<std::string> PayloadTypes(SQLite::Database& db) {
  std::vector<std::string> types;
  for (const char* table : {"launches", "items", "events"}) {
    SQLite::Statement query(db, absl::StrCat("SELECT DISTINCT typeof(payload) FROM ", table));
    while (query.executeStep()) {
      types.push_back(absl::StrCat(table, ":", query.getColumn(0).getString()));
    }
  }
  return types;
}

std::string ColumnType(SQLite::Database& db, const std::string& table) {
  SQLite::Statement query(db, "SELECT type FROM pragma_table_info(?) WHERE name = 'payload'");
  query.bind(1, table);
  return query.executeStep() ? query.getColumn(0).getString() : "";
}

int Count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt(); }

class MigrationV3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kFixture)) << kFixture;
    std::filesystem::copy_file(kFixture, Path());
  }

  std::string Path() const { return dir_.Join("checklist.db"); }

  SQLite::Database Raw() { return SQLite::Database(Path(), SQLite::OPEN_READWRITE); }

  ::preflight::testing::TempDir dir_;
  const V2Fixture fixture_ = MakeV2Fixture();
};

// Guards the test itself: the fixture is what the schema-2 store wrote.
TEST_F(MigrationV3Test, FixtureIsASchema2DatabaseWithJsonPayloads) {
  SQLite::Database db = Raw();
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 2);
  EXPECT_THAT(PayloadTypes(db), ElementsAre("launches:text", "items:text", "events:text"));
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM launches"), 3);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM events"), static_cast<int>(fixture_.events.size()));
  EXPECT_FALSE(std::filesystem::exists(std::string(kFixture) + "-wal"));
}

TEST_F(MigrationV3Test, Schema2StoreOpensAndReadsIdentically) {
  std::map<std::string, std::string> indexes_before;
  std::string epoch_before;
  {
    SQLite::Database db = Raw();
    indexes_before = IndexSql(db);
    epoch_before = db.execAndGet("SELECT id FROM log_epochs").getString();
  }
  absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> opened =
      SqliteChecklistStore::Open(Path(), SqliteChecklistStore::Options{});
  ASSERT_TRUE(opened.ok()) << opened.status();
  SqliteChecklistStore& store = **opened;

  for (const LaunchState& want : fixture_.launches) {
    absl::StatusOr<LaunchState> got = store.LoadLaunch(want.launch.id);
    ASSERT_TRUE(got.ok()) << got.status();
    ExpectLaunchEq(want.launch, got->launch);
    ASSERT_EQ(got->items.size(), want.items.size()) << want.launch.id;
    for (size_t i = 0; i < want.items.size(); ++i) ExpectItemEq(want.items[i], got->items[i]);
  }
  absl::StatusOr<std::vector<LaunchState>> listed = store.ListLaunches(LaunchFilter{}, "", 100);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), fixture_.launches.size());
  for (size_t i = 0; i < listed->size(); ++i) {
    ExpectLaunchEq(fixture_.launches[i].launch, (*listed)[i].launch);
  }
  absl::StatusOr<std::vector<Event>> events = store.ReadEvents(0, 1000);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), fixture_.events.size());
  for (size_t i = 0; i < events->size(); ++i) ExpectEventEq(fixture_.events[i], (*events)[i]);
  EXPECT_EQ(store.LastSequence().value_or(-1), static_cast<int64_t>(fixture_.events.size()));
  absl::StatusOr<std::vector<LogEpoch>> epochs = store.LogEpochs();
  ASSERT_TRUE(epochs.ok()) << epochs.status();
  ASSERT_EQ(epochs->size(), 1u);
  EXPECT_EQ(epochs->front().id, epoch_before);
  // The rebuilt indexes serve their queries: the request-id lookup and its uniqueness.
  EXPECT_EQ(store.FindLaunchByRequestId("tenant-a", "req-L-alpha").value_or(std::nullopt),
            "L-alpha");
  ChangeSet duplicate;
  duplicate.launch = ::preflight::testing::Schema2FullLaunch("L-other", "tenant-a");
  duplicate.launch->request_id = "req-L-alpha";
  EXPECT_EQ(store.Commit(duplicate).status().code(), absl::StatusCode::kAlreadyExists);

  // Writes go on where the fixture left off.
  Item item = fixture_.launches[1].items[0];
  item.version = 2;
  item.status = ItemStatus::kApproved;
  ChangeSet update;
  update.items.push_back(item);
  Event event = fixture_.events.back();
  event.item = item;
  update.events.push_back(event);
  absl::StatusOr<std::vector<Event>> committed = store.Commit(update);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(committed->front().sequence, static_cast<int64_t>(fixture_.events.size()) + 1);
  absl::StatusOr<LaunchState> beta = store.LoadLaunch("L-beta");
  ASSERT_TRUE(beta.ok()) << beta.status();
  ExpectItemEq(item, beta->items[0]);
  opened->reset();

  SQLite::Database db = Raw();
  // Migrated to the latest schema (3 and what came after it).
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), ChecklistMigrations().back().version);
  for (const char* table : {"launches", "items", "events"}) {
    EXPECT_EQ(ColumnType(db, table), "BLOB") << table;
    EXPECT_FALSE(db.tableExists(absl::StrCat(table, "_v3"))) << table;
  }
  EXPECT_THAT(PayloadTypes(db), ElementsAre("launches:blob", "items:blob", "events:blob"));
  // Every index of schema 2, with the same definition (later migrations add their own).
  const std::map<std::string, std::string> indexes_after = IndexSql(db);
  for (const auto& [name, sql] : indexes_before) {
    ASSERT_EQ(indexes_after.count(name), 1u) << name;
    EXPECT_EQ(indexes_after.at(name), sql) << name;
  }
  EXPECT_EQ(db.execAndGet("SELECT \"table\" FROM pragma_foreign_key_list('items')").getString(),
            "launches");
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  SQLite::Statement fk_check(db, "PRAGMA foreign_key_check");
  EXPECT_FALSE(fk_check.executeStep());
}

TEST_F(MigrationV3Test, RestoringASchema2BackupMigratesIt) {
  absl::StatusOr<LogEpoch> epoch = StartLogEpochAfterRestore(Path());
  ASSERT_TRUE(epoch.ok()) << epoch.status();
  EXPECT_EQ(epoch->base_sequence, static_cast<int64_t>(fixture_.events.size()));
  SQLite::Database db = Raw();
  // Migrated to the latest schema (3 and what came after it).
  EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), ChecklistMigrations().back().version);
}

// A row the legacy codec refuses stops the migration, which leaves the database exactly at
// schema 2, JSON and all: the next start of a fixed binary can try again.
TEST_F(MigrationV3Test, RowThatDoesNotConvertRollsTheWholeMigrationBack) {
  struct Corruption {
    const char* sql;
    const char* names;
  };
  for (const Corruption& corruption : {
           Corruption{"UPDATE items SET payload = '{\"status\": \"HALF_DONE\"}' "
                      "WHERE code = 'ICP_FILING'",
                      "items row L-alpha/ICP_FILING"},
           Corruption{"UPDATE launches SET payload = '{\"profile\": {\"hosting\": \"MARS\"}}' "
                      "WHERE id = 'L-gamma'",
                      "launches row L-gamma"},
           Corruption{"UPDATE events SET payload = '{\"item\": {\"due_date\": \"2026-02-30\"}}' "
                      "WHERE sequence = 9",
                      "events row 9"},
       }) {
    SCOPED_TRACE(corruption.names);
    std::filesystem::remove(Path());
    std::filesystem::copy_file(kFixture, Path());
    std::map<std::string, std::string> indexes_before;
    {
      SQLite::Database db = Raw();
      db.exec(corruption.sql);
      indexes_before = IndexSql(db);
    }
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> opened =
        SqliteChecklistStore::Open(Path(), SqliteChecklistStore::Options{});
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << opened.status();
    EXPECT_THAT(opened.status().message(), HasSubstr("applying schema migration 3"));
    EXPECT_THAT(opened.status().message(), HasSubstr(corruption.names));

    SQLite::Database db = Raw();
    EXPECT_EQ(SqliteSchemaVersion(db).value_or(-1), 2);
    for (const char* table : {"launches", "items", "events"}) {
      EXPECT_EQ(ColumnType(db, table), "TEXT") << table;
      EXPECT_FALSE(db.tableExists(absl::StrCat(table, "_v3"))) << table;
    }
    EXPECT_THAT(PayloadTypes(db), ElementsAre("launches:text", "items:text", "events:text"));
    EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM items"), 8);
    EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM events"), static_cast<int>(fixture_.events.size()));
    EXPECT_EQ(IndexSql(db), indexes_before);
  }
}

}  // namespace
}  // namespace preflight::checklist
