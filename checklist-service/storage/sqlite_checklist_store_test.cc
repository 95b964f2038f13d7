#include "checklist-service/storage/sqlite_checklist_store.h"

#include <sys/stat.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/storage/migrations.h"
#include "checklist-service/testing/snapshot_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;
using testing::ExpectEventEq;
using testing::ExpectItemEq;
using testing::ExpectLaunchEq;
using testing::FullItem;
using testing::FullLaunch;
using ::testing::HasSubstr;
using testing::MakeEvent;
using testing::Sequences;

class SqliteChecklistStoreTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Join("checklist.db"); }

  std::unique_ptr<SqliteChecklistStore> OpenStore(
      SqliteChecklistStore::Options options = SqliteChecklistStore::Options{}) {
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
        SqliteChecklistStore::Open(Path(), options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // Creates launch `id` with `codes` as its items, plus one creation event.
  LaunchState Create(SqliteChecklistStore& store, const std::string& id,
                     const std::vector<std::string>& codes,
                     const std::string& tenant = "tenant-a") {
    return testing::CommitFullLaunch(store, id, codes, tenant);
  }

  ::preflight::testing::TempDir dir_;
};

// Rows as the release before the API's enum values took their prefixes wrote them: the stored
// names (event types, day units, deadline anchors) are the store's own and did not change, so such
// a database (JSON payloads, schema 2) reads as it did once migration 3 has made them binary.
TEST_F(SqliteChecklistStoreTest, RowsWrittenBeforeTheEnumValueRenameReadBack) {
  {
    SQLite::Database raw(Path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    const std::vector<SqliteMigration> schema2(ChecklistMigrations().begin(),
                                               ChecklistMigrations().begin() + 2);
    ASSERT_TRUE(ApplySqliteMigrations(raw, schema2).ok());
    raw.exec(
        "INSERT INTO launches VALUES ('L1', 'tenant-a', 'o@example.com', '2026-10-08', '', '', 1, "
        "0, 0, '{\"id\": \"L1\", \"tenant\": \"tenant-a\", \"version\": 1}')");
    const std::string item =
        R"({"launch_id": "L1", "code": "PSB_FILING", "version": 1, "status": "NOT_STARTED",)"
        R"( "duration": {"unit": "CALENDAR_DAYS", "min": 1, "typical": 2, "max": 3},)"
        R"( "deadline": {"anchor": "AFTER_GO_LIVE", "days": 30, "unit": "WORKING_DAYS"}})";
    SQLite::Statement insert_item(
        raw, "INSERT INTO items VALUES ('L1', 'PSB_FILING', 0, 1, 'NOT_STARTED', ?)");
    insert_item.bind(1, item);
    insert_item.exec();
    SQLite::Statement insert_event(
        raw,
        "INSERT INTO events VALUES (1, 'ITEM_UPDATED', 'tenant-a', 'L1', 'PSB_FILING', 'a', 0, "
        "'s', ?)");
    insert_event.bind(1, absl::StrCat(R"({"item": )", item, "}"));
    insert_event.exec();
  }
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->items.size(), 1u);
  const Item& psb = loaded->items[0];
  EXPECT_EQ(psb.duration.unit, v1::DAY_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(psb.deadline.anchor, DeadlineAnchor::kAfterGoLive);
  EXPECT_EQ(psb.deadline.unit, v1::DAY_UNIT_WORKING_DAYS);
  absl::StatusOr<std::vector<Event>> events = store->ReadEvents(0, 10);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, EventType::kItemUpdated);
  ASSERT_TRUE((*events)[0].item.has_value());
  EXPECT_EQ((*events)[0].item->duration.unit, v1::DAY_UNIT_CALENDAR_DAYS);
}

// A payload that is not a snapshot (a damaged file, a hand edit) fails the read with DATA_LOSS
// rather than yielding a half-default launch.
TEST_F(SqliteChecklistStoreTest, CorruptPayloadsAreDataLoss) {
  {
    std::unique_ptr<SqliteChecklistStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    Create(*store, "L1", {"BIZ"});
  }
  auto corrupt = [&](const char* sql) {
    SQLite::Database raw(Path(), SQLite::OPEN_READWRITE);
    raw.exec(sql);
  };
  corrupt("UPDATE items SET payload = X'ff'");
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kDataLoss) << loaded.status();
  EXPECT_THAT(loaded.status().message(), HasSubstr("item"));
  // The launch alone still reads; then its own payload goes bad too.
  EXPECT_TRUE(store->ReadLaunch("L1", /*with_items=*/false).ok());
  corrupt("UPDATE launches SET payload = X''");
  EXPECT_EQ(store->ReadLaunch("L1", false).status().code(), absl::StatusCode::kDataLoss);
  corrupt("UPDATE events SET payload = X'0aff'");
  EXPECT_EQ(store->ReadEvents(0, 10).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(SqliteChecklistStoreTest, ReopeningAppliesNoMigrationTwiceAndNewerSchemaIsRefused) {
  ASSERT_NE(OpenStore(), nullptr);
  ASSERT_NE(OpenStore(), nullptr);
  const int latest = ChecklistMigrations().back().version;
  {
    SQLite::Database raw(Path(), SQLite::OPEN_READWRITE);
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM schema_migrations").getInt(), latest);
    EXPECT_EQ(raw.execAndGet("SELECT MAX(version) FROM schema_migrations").getInt(), latest);
    EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
    // Every table is STRICT.
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM pragma_table_list "
                             "WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' AND strict = 0")
                  .getInt(),
              0);
    raw.exec(absl::StrCat("INSERT INTO schema_migrations VALUES (", latest + 1, ", 'future')"));
  }
  absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> newer =
      SqliteChecklistStore::Open(Path(), SqliteChecklistStore::Options{});
  EXPECT_EQ(newer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(newer.status().message(), HasSubstr("newer"));
}

TEST_F(SqliteChecklistStoreTest, FullDatabaseIsResourceExhaustedAndReadsGoOn) {
  {
    std::unique_ptr<SqliteChecklistStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    Create(*store, "L1", {"BIZ"});
  }
  SqliteChecklistStore::Options options;
  options.max_page_count = 1;  // SQLite raises it to the current size: no room to grow
  std::unique_ptr<SqliteChecklistStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);

  LaunchState big;
  big.launch = FullLaunch("L2");
  ChangeSet changes;
  changes.launch = big.launch;
  for (int i = 0; i < 25; ++i) {
    Item item = FullItem("L2", absl::StrCat("ITEM_", i));
    item.notes = std::string(4000, 'n');
    changes.items.push_back(item);
  }
  changes.events.push_back(MakeEvent(EventType::kLaunchCreated, "L2", "", "created"));
  absl::StatusOr<std::vector<Event>> result = store->Commit(changes);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kResourceExhausted) << result.status();

  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ExpectLaunchEq(FullLaunch("L1"), loaded->launch);
  EXPECT_EQ(store->LoadLaunch("L2").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->LastSequence().value_or(-1), 1);
  EXPECT_EQ(store->ListLaunches({}, "", 10).value_or(std::vector<LaunchState>{}).size(), 1u);
  store.reset();

  // With room again the same commit goes through, numbered right after the last good one.
  store = OpenStore();
  ASSERT_NE(store, nullptr);
  result = store->Commit(changes);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Sequences(*result), ElementsAre(2));
}

TEST_F(SqliteChecklistStoreTest, ReadOnlyDatabaseServesReadsAndRefusesWrites) {
  std::string secret;
  {
    std::unique_ptr<SqliteChecklistStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    Create(*store, "L1", {"BIZ"});
    secret = store->GetOrCreateSecret("page_token_key").value_or("");
  }
  ASSERT_EQ(chmod(Path().c_str(), 0444), 0);
  SqliteChecklistStore::Options options;
  options.read_only = true;
  std::unique_ptr<SqliteChecklistStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);

  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ExpectLaunchEq(FullLaunch("L1"), loaded->launch);
  EXPECT_EQ(store->ReadEvents(0, 10).value_or(std::vector<Event>{}).size(), 1u);
  EXPECT_EQ(store->GetOrCreateSecret("page_token_key").value_or(""), secret);

  Launch update = FullLaunch("L1");
  update.version = 2;
  ChangeSet changes;
  changes.launch = update;
  changes.events.push_back(MakeEvent(EventType::kLaunchUpdated, "L1", "", "x"));
  absl::StatusOr<std::vector<Event>> result = store->Commit(changes);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition) << result.status();
  EXPECT_THAT(result.status().message(), HasSubstr("database is read-only"));
  absl::StatusOr<std::string> fresh = store->GetOrCreateSecret("new_key");
  EXPECT_EQ(fresh.status().code(), absl::StatusCode::kFailedPrecondition) << fresh.status();
  EXPECT_EQ(store->LoadLaunch("L1").value_or(LaunchState{}).launch.version, 1);
}

TEST_F(SqliteChecklistStoreTest, ReadOnlyOpenOfAnUnmigratedFileFails) {
  { SQLite::Database raw(Path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
  SqliteChecklistStore::Options options;
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
      SqliteChecklistStore::Open(Path(), options);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteChecklistStoreTest, InMemoryPathIsRejected) {
  EXPECT_EQ(SqliteChecklistStore::Open(":memory:", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteChecklistStoreTest, BusyDatabaseIsUnavailableAndLeavesNoGap) {
  SqliteChecklistStore::Options options;
  options.busy_timeout = absl::ZeroDuration();
  std::unique_ptr<SqliteChecklistStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {});
  ChangeSet changes;
  changes.events = {MakeEvent(EventType::kLaunchUpdated, "L1", "", "x")};
  {
    // Another process holds the write lock.
    SQLite::Database other(Path(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");
    absl::StatusOr<std::vector<Event>> result = store->Commit(changes);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
    other.exec("ROLLBACK");
  }
  absl::StatusOr<std::vector<Event>> result = store->Commit(changes);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Sequences(*result), ElementsAre(2));
}

}  // namespace
}  // namespace preflight::checklist
