// Migration 4 (index columns for queries across launches) on a database at schema 3, and the
// store's cross-launch queries on what it leaves: filters, order, paging, tenants never mixed.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/storage/migrations.h"
#include "checklist-service/storage/snapshot_proto_codec.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "common/sqlite/migration_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

Item MakeItem(const std::string& launch_id, const std::string& code, ItemStatus status,
              std::optional<absl::CivilDay> latest_start, std::string assignee = "") {
  Item item;
  item.launch_id = launch_id;
  item.code = code;
  item.status = status;
  item.assignee = std::move(assignee);
  item.schedule.latest_start = latest_start;
  if (latest_start) item.schedule.latest_finish = *latest_start + 10;
  return item;
}

std::string Key(const ItemKey& key) { return absl::StrCat(key.launch_id, "/", key.code); }

std::vector<std::string> Keys(const absl::StatusOr<std::vector<ItemKey>>& keys) {
  EXPECT_TRUE(keys.ok()) << keys.status();
  std::vector<std::string> out;
  if (keys.ok()) {
    for (const ItemKey& key : *keys) out.push_back(Key(key));
  }
  return out;
}

class MigrationV4Test : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Join("checklist.db"); }

  // A database at schema 3 holding two tenants' launches, written row by row as the schema-3
  // store wrote them (payload only, no index columns).
  void WriteSchema3Database() {
    SQLite::Database db(Path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    const std::vector<SqliteMigration>& all = ChecklistMigrations();
    ASSERT_GE(all.size(), 4u);
    const std::vector<SqliteMigration> up_to_3(all.begin(), all.begin() + 3);
    ASSERT_TRUE(ApplySqliteMigrations(db, up_to_3).ok());
    ASSERT_EQ(*SqliteSchemaVersion(db), 3);
    InsertLaunch(db, "la", "acme",
                 {MakeItem("la", "A1", ItemStatus::kNotStarted, D(2026, 10, 5), "li.na"),
                  MakeItem("la", "A2", ItemStatus::kApproved, D(2026, 9, 1), "li.na"),
                  MakeItem("la", "A3", ItemStatus::kInProgress, D(2026, 11, 2), "wang.fang"),
                  MakeItem("la", "A4", ItemStatus::kNotApplicable, std::nullopt)});
    InsertLaunch(db, "lb", "acme",
                 {MakeItem("lb", "B1", ItemStatus::kNotStarted, D(2026, 10, 5), "li.na"),
                  MakeItem("lb", "B2", ItemStatus::kNotStarted, D(2026, 9, 20), "wang.fang")});
    InsertLaunch(db, "lg", "globex",
                 {MakeItem("lg", "G1", ItemStatus::kNotStarted, D(2026, 9, 2), "li.na")});
  }

  static void InsertLaunch(SQLite::Database& db, const std::string& id, const std::string& tenant,
                           const std::vector<Item>& items) {
    Launch launch;
    launch.id = id;
    launch.tenant = tenant;
    launch.target_launch_date = D(2026, 12, 15);
    const std::string payload = EncodeLaunch(launch);
    SQLite::Statement insert(db,
                             "INSERT INTO launches (id, tenant, owner, target_date, request_id, "
                             "request_fingerprint, version, create_time, update_time, payload) "
                             "VALUES (?, ?, '', '2026-12-15', '', '', 1, 0, 0, ?)");
    insert.bind(1, id);
    insert.bind(2, tenant);
    insert.bind(3, payload.data(), static_cast<int>(payload.size()));
    insert.exec();
    int ordinal = 0;
    for (const Item& item : items) {
      const std::string blob = EncodeItem(item);
      SQLite::Statement row(
          db,
          "INSERT INTO items (launch_id, code, ordinal, version, status, payload) "
          "VALUES (?, ?, ?, 1, ?, ?)");
      row.bind(1, id);
      row.bind(2, item.code);
      row.bind(3, ++ordinal);
      row.bind(4, std::string(ItemStatusName(item.status)));
      row.bind(5, blob.data(), static_cast<int>(blob.size()));
      row.exec();
    }
  }

  std::unique_ptr<SqliteChecklistStore> OpenStore() {
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
        SqliteChecklistStore::Open(Path(), SqliteChecklistStore::Options());
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  ::preflight::testing::TempDir dir_;
};

TEST_F(MigrationV4Test, FillsTheIndexColumnsFromThePayloads) {
  WriteSchema3Database();
  ASSERT_NE(OpenStore(), nullptr);
  SQLite::Database db(Path(), SQLite::OPEN_READONLY);
  // Migrated to the latest schema (4 and what came after it).
  EXPECT_EQ(*SqliteSchemaVersion(db), ChecklistMigrations().back().version);
  SQLite::Statement rows(db,
                         "SELECT launch_id || '/' || code || ' ' || tenant || ' ' || assignee || "
                         "' ' || open || ' ' || latest_start || ' ' || latest_finish || ' ' || "
                         "at_risk_from FROM items ORDER BY launch_id, code");
  std::vector<std::string> got;
  while (rows.executeStep()) got.push_back(rows.getColumn(0).getString());
  EXPECT_THAT(got, ElementsAre("la/A1 acme li.na 1 2026-10-05 2026-10-15 0001-01-01",
                               "la/A2 acme li.na 0 2026-09-01 2026-09-11 0001-01-01",
                               "la/A3 acme wang.fang 1 2026-11-02 2026-11-12 0001-01-01",
                               "la/A4 acme  0 9999-12-31 9999-12-31 0001-01-01",
                               "lb/B1 acme li.na 1 2026-10-05 2026-10-15 0001-01-01",
                               "lb/B2 acme wang.fang 1 2026-09-20 2026-09-30 0001-01-01",
                               "lg/G1 globex li.na 1 2026-09-02 2026-09-12 0001-01-01"));
  // Existing launches are candidates for "at risk" until written again: none is missed.
  EXPECT_EQ(
      db.execAndGet("SELECT COUNT(*) FROM launches WHERE at_risk_from = '0001-01-01'").getInt(), 3);
}

TEST_F(MigrationV4Test, MigratedStoreAnswersCrossLaunchQueries) {
  WriteSchema3Database();
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);

  ItemFilter acme;
  acme.tenant = "acme";
  // Open items only, by latest start, then launch, then code; never globex's.
  EXPECT_THAT(Keys(store->ListItemKeys(acme, std::nullopt, 10)),
              ElementsAre("lb/B2", "la/A1", "lb/B1", "la/A3"));
  ItemFilter li = acme;
  li.assignee = "li.na";
  EXPECT_THAT(Keys(store->ListItemKeys(li, std::nullopt, 10)), ElementsAre("la/A1", "lb/B1"));
  ItemFilter everything = acme;
  everything.open_only = false;
  EXPECT_THAT(Keys(store->ListItemKeys(everything, std::nullopt, 10)),
              ElementsAre("la/A2", "lb/B2", "la/A1", "lb/B1", "la/A3", "la/A4"));
  ItemFilter soon = acme;
  soon.start_before = D(2026, 10, 5);
  EXPECT_THAT(Keys(store->ListItemKeys(soon, std::nullopt, 10)),
              ElementsAre("lb/B2", "la/A1", "lb/B1"));
  ItemFilter due = acme;
  due.due_before = D(2026, 10, 1);
  EXPECT_THAT(Keys(store->ListItemKeys(due, std::nullopt, 10)), ElementsAre("lb/B2"));
  ItemFilter in_progress = acme;
  in_progress.statuses = {ItemStatus::kInProgress, ItemStatus::kSubmitted};
  EXPECT_THAT(Keys(store->ListItemKeys(in_progress, std::nullopt, 10)), ElementsAre("la/A3"));
  ItemFilter one_launch;
  one_launch.launch_id = "lb";
  EXPECT_THAT(Keys(store->ListItemKeys(one_launch, std::nullopt, 10)),
              ElementsAre("lb/B2", "lb/B1"));
  ItemFilter globex;
  globex.tenant = "globex";
  EXPECT_THAT(Keys(store->ListItemKeys(globex, std::nullopt, 10)), ElementsAre("lg/G1"));
  ItemFilter nobody = acme;
  nobody.tenant = "initech";
  EXPECT_THAT(Keys(store->ListItemKeys(nobody, std::nullopt, 10)), IsEmpty());

  // Paging resumes strictly after the key, through ties on the latest start.
  absl::StatusOr<std::vector<ItemKey>> first = store->ListItemKeys(acme, std::nullopt, 2);
  ASSERT_TRUE(first.ok());
  EXPECT_THAT(Keys(first), ElementsAre("lb/B2", "la/A1"));
  EXPECT_THAT(Keys(store->ListItemKeys(acme, first->back(), 2)), ElementsAre("lb/B1", "la/A3"));

  // Backfilled bounds: every open item is a candidate whatever the day.
  ItemFilter risky = acme;
  risky.at_risk_by = D(2026, 1, 1);
  EXPECT_THAT(Keys(store->ListItemKeys(risky, std::nullopt, 10)),
              ElementsAre("lb/B2", "la/A1", "lb/B1", "la/A3"));
  LaunchFilter risky_launches;
  risky_launches.tenant = "acme";
  risky_launches.at_risk_by = D(2026, 1, 1);
  absl::StatusOr<std::vector<LaunchState>> launches = store->ListLaunches(risky_launches, "", 10);
  ASSERT_TRUE(launches.ok());
  EXPECT_EQ(launches->size(), 2u);
}

TEST_F(MigrationV4Test, CommitsKeepTheColumnsAndBoundsCurrent) {
  WriteSchema3Database();
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<LaunchState> state = store->LoadLaunch("lb");
  ASSERT_TRUE(state.ok());

  ChangeSet changes;
  Item b1 = *state->FindItem("B1");
  b1.version = 2;
  b1.assignee = "chen.jie";
  b1.status = ItemStatus::kApproved;
  changes.items.push_back(b1);
  RiskBounds bounds;
  bounds.launch_id = "lb";
  bounds.launch_at_risk_from = D(2026, 10, 1);
  bounds.item_at_risk_from["B1"] = std::nullopt;
  bounds.item_at_risk_from["B2"] = D(2026, 9, 25);
  changes.risk_bounds = bounds;
  ASSERT_TRUE(store->Commit(changes).ok());

  ItemFilter acme;
  acme.tenant = "acme";
  EXPECT_THAT(Keys(store->ListItemKeys(acme, std::nullopt, 10)),
              ElementsAre("lb/B2", "la/A1", "la/A3"));
  ItemFilter chen = acme;
  chen.assignee = "chen.jie";
  chen.open_only = false;
  EXPECT_THAT(Keys(store->ListItemKeys(chen, std::nullopt, 10)), ElementsAre("lb/B1"));

  ItemFilter risky = acme;
  risky.at_risk_by = D(2026, 9, 24);
  // B2's bound is later; la's items keep the backfilled bound.
  EXPECT_THAT(Keys(store->ListItemKeys(risky, std::nullopt, 10)), ElementsAre("la/A1", "la/A3"));
  risky.at_risk_by = D(2026, 9, 25);
  EXPECT_THAT(Keys(store->ListItemKeys(risky, std::nullopt, 10)),
              ElementsAre("lb/B2", "la/A1", "la/A3"));

  LaunchFilter launches;
  launches.tenant = "acme";
  launches.at_risk_by = D(2026, 9, 30);
  absl::StatusOr<std::vector<LaunchState>> listed = store->ListLaunches(launches, "", 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().launch.id, "la");
  launches.at_risk_by = D(2026, 10, 1);
  listed = store->ListLaunches(launches, "", 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);
}

// The queries use the indexes migration 4 made, not a scan of the table.
TEST_F(MigrationV4Test, QueriesUseTheIndexes) {
  WriteSchema3Database();
  ASSERT_NE(OpenStore(), nullptr);
  SQLite::Database db(Path(), SQLite::OPEN_READONLY);
  const auto plan = [&](const std::string& sql) {
    SQLite::Statement explain(db, "EXPLAIN QUERY PLAN " + sql);
    std::string text;
    while (explain.executeStep()) absl::StrAppend(&text, explain.getColumn(3).getString(), "; ");
    return text;
  };
  const std::string by_tenant = plan(
      "SELECT latest_start, launch_id, code FROM items WHERE tenant = 'acme' AND open = 1 AND "
      "at_risk_from <= '2026-10-01' ORDER BY latest_start, launch_id, code LIMIT 51");
  EXPECT_THAT(by_tenant, ::testing::HasSubstr("items_tenant_open_start"));
  EXPECT_THAT(by_tenant, ::testing::Not(::testing::HasSubstr("TEMP B-TREE")));
  const std::string by_assignee = plan(
      "SELECT latest_start, launch_id, code FROM items WHERE tenant = 'acme' AND assignee = "
      "'li.na' AND open = 1 ORDER BY latest_start, launch_id, code LIMIT 51");
  EXPECT_THAT(by_assignee, ::testing::HasSubstr("items_tenant_assignee_open_start"));
  EXPECT_THAT(by_assignee, ::testing::Not(::testing::HasSubstr("TEMP B-TREE")));
  const std::string launches = plan(
      "SELECT id, payload FROM launches WHERE id > '' AND tenant = 'acme' AND at_risk_from <= "
      "'2026-10-01' ORDER BY id LIMIT 51");
  EXPECT_THAT(launches, ::testing::HasSubstr("launches_tenant_id_risk"));
}

}  // namespace
}  // namespace preflight::checklist
