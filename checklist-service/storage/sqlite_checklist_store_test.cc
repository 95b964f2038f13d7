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

std::vector<int64_t> Sequences(const std::vector<Event>& events) {
  std::vector<int64_t> sequences;
  for (const Event& event : events) sequences.push_back(event.sequence);
  return sequences;
}

std::vector<std::string> Ids(const std::vector<LaunchState>& launches) {
  std::vector<std::string> ids;
  for (const LaunchState& state : launches) ids.push_back(state.launch.id);
  return ids;
}

Event MakeEvent(EventType type, const std::string& launch_id, const std::string& item_code,
                const std::string& summary) {
  Event event;
  event.type = type;
  event.tenant = "tenant-a";
  event.launch_id = launch_id;
  event.item_code = item_code;
  event.actor = "alice@example.com";
  event.time = absl::FromUnixMicros(1767225600000000 + summary.size());
  event.summary = summary;
  return event;
}

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
    LaunchState state;
    state.launch = FullLaunch(id, tenant);
    ChangeSet changes;
    changes.launch = state.launch;
    for (const std::string& code : codes) {
      state.items.push_back(FullItem(id, code));
      changes.items.push_back(state.items.back());
    }
    Event created = MakeEvent(EventType::kLaunchCreated, id, "", "created");
    created.tenant = tenant;
    created.launch = state.launch;
    changes.events.push_back(created);
    absl::StatusOr<std::vector<Event>> committed = store.Commit(changes);
    EXPECT_TRUE(committed.ok()) << committed.status();
    return state;
  }

  ::preflight::testing::TempDir dir_;
};

TEST_F(SqliteChecklistStoreTest, CreatedLaunchLoadsBackFieldByFieldInInsertionOrder) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  // Deliberately not alphabetical: template order must survive.
  const LaunchState created =
      Create(*store, "L1", {"MP_ACCOUNT", "BIZ", "ICP_FILING", "CODE_REVIEW"});

  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ExpectLaunchEq(created.launch, loaded->launch);
  ASSERT_EQ(loaded->items.size(), 4u);
  for (size_t i = 0; i < created.items.size(); ++i)
    ExpectItemEq(created.items[i], loaded->items[i]);
}

TEST_F(SqliteChecklistStoreTest, ReadLaunchWithoutItemsHasTheSameLaunchAndItemsVersion) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const LaunchState created = Create(*store, "L1", {"MP_ACCOUNT", "BIZ", "ICP_FILING"});
  absl::StatusOr<LaunchRead> full = store->ReadLaunch("L1", /*with_items=*/true);
  absl::StatusOr<LaunchRead> bare = store->ReadLaunch("L1", /*with_items=*/false);
  ASSERT_TRUE(full.ok()) << full.status();
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(full->state.items.size(), 3u);
  EXPECT_TRUE(bare->state.items.empty());
  ExpectLaunchEq(full->state.launch, bare->state.launch);
  int64_t versions = 0;
  for (const Item& item : created.items) versions += item.version;
  EXPECT_EQ(full->items_version, versions);
  EXPECT_EQ(bare->items_version, versions);
  EXPECT_EQ(store->ReadLaunch("nope", false).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->ReadLaunch("nope", true).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteChecklistStoreTest, UnknownLaunchIsNotFound) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("nope");
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(), HasSubstr("nope"));
}

TEST_F(SqliteChecklistStoreTest, CommitReturnsEventsWithSequencesAndStoresTheirSnapshots) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {"BIZ"});

  Item item = FullItem("L1", "BIZ");
  item.version = 2;
  item.status = ItemStatus::kApproved;
  ChangeSet changes;
  changes.items.push_back(item);
  Event updated = MakeEvent(EventType::kItemUpdated, "L1", "BIZ", "approved");
  updated.item = item;
  changes.events.push_back(updated);
  changes.events.push_back(MakeEvent(EventType::kScheduleChanged, "L1", "BIZ", "moved"));
  absl::StatusOr<std::vector<Event>> committed = store->Commit(changes);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_THAT(Sequences(*committed), ElementsAre(2, 3));

  absl::StatusOr<std::vector<Event>> all = store->ReadEvents(0, 100);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].type, EventType::kLaunchCreated);
  ASSERT_TRUE((*all)[0].launch.has_value());
  ExpectLaunchEq(FullLaunch("L1"), *(*all)[0].launch);
  ExpectEventEq((*committed)[0], (*all)[1]);
  ExpectEventEq((*committed)[1], (*all)[2]);

  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ExpectItemEq(item, loaded->items[0]);
  EXPECT_EQ(store->LastSequence().value_or(-1), 3);
}

TEST_F(SqliteChecklistStoreTest, LaunchVersionConflictAbortsAndWritesNothing) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {"BIZ"});

  Launch v2 = FullLaunch("L1");
  v2.version = 2;
  v2.display_name = "renamed once";
  ChangeSet first;
  first.launch = v2;
  first.events.push_back(MakeEvent(EventType::kLaunchUpdated, "L1", "", "renamed"));
  ASSERT_TRUE(store->Commit(first).ok());

  // A writer that loaded version 1 also produces "version 2".
  Launch stale = FullLaunch("L1");
  stale.version = 2;
  stale.display_name = "lost update";
  Item item = FullItem("L1", "BIZ");
  item.version = 2;
  item.notes = "must not be written";
  ChangeSet second;
  second.launch = stale;
  second.items.push_back(item);
  second.events.push_back(MakeEvent(EventType::kLaunchUpdated, "L1", "", "lost"));
  absl::StatusOr<std::vector<Event>> result = store->Commit(second);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(result.status().message(), HasSubstr("launch L1 was changed concurrently"));

  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->launch.display_name, "renamed once");
  EXPECT_EQ(loaded->launch.version, 2);
  EXPECT_EQ(loaded->items[0].version, 1);
  EXPECT_EQ(loaded->items[0].notes, FullItem("L1", "BIZ").notes);
  EXPECT_EQ(store->LastSequence().value_or(-1), 2);
  EXPECT_EQ(store->ReadEvents(0, 100)->size(), 2u);
}

TEST_F(SqliteChecklistStoreTest, ItemVersionConflictRollsBackTheLaunchUpdateToo) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {"BIZ", "DOMAIN"});

  Launch v2 = FullLaunch("L1");
  v2.version = 2;
  v2.owner = "new-owner";
  Item fresh = FullItem("L1", "BIZ");
  fresh.version = 2;
  Item stale = FullItem("L1", "DOMAIN");
  stale.version = 3;  // the store holds 1, so this expects 2
  ChangeSet changes;
  changes.launch = v2;
  changes.items = {fresh, stale};
  changes.events.push_back(MakeEvent(EventType::kItemUpdated, "L1", "DOMAIN", "x"));
  absl::StatusOr<std::vector<Event>> result = store->Commit(changes);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(result.status().message(),
              HasSubstr("item launches/L1/items/DOMAIN was changed concurrently"));

  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->launch.version, 1);
  EXPECT_EQ(loaded->launch.owner, FullLaunch("L1").owner);
  EXPECT_EQ(loaded->items[0].version, 1);
  EXPECT_EQ(store->LastSequence().value_or(-1), 1);
}

TEST_F(SqliteChecklistStoreTest, UpdatingAMissingLaunchOrItemIsNotFound) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Launch ghost = FullLaunch("ghost");
  ghost.version = 5;
  ChangeSet changes;
  changes.launch = ghost;
  EXPECT_EQ(store->Commit(changes).status().code(), absl::StatusCode::kNotFound);

  Create(*store, "L1", {});
  Item item = FullItem("L1", "NOPE");
  item.version = 2;
  ChangeSet item_changes;
  item_changes.items.push_back(item);
  EXPECT_EQ(store->Commit(item_changes).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteChecklistStoreTest, InvalidVersionsAreRejected) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Launch launch = FullLaunch("L1");
  launch.version = 0;
  ChangeSet changes;
  changes.launch = launch;
  EXPECT_EQ(store->Commit(changes).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteChecklistStoreTest, TheLogStartsWithOneEpochAndARestoreStartsAnotherAtTheHead) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<LogEpoch>> first = store->LogEpochs();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front().base_sequence, 0);
  EXPECT_EQ(first->front().id.size(), 16u);
  Create(*store, "l1", {"A", "B"});
  const int64_t head = *store->LastSequence();
  absl::StatusOr<LogEpoch> started = store->StartLogEpoch();
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->base_sequence, head);
  store.reset();
  store = OpenStore();
  absl::StatusOr<std::vector<LogEpoch>> now = store->LogEpochs();
  ASSERT_TRUE(now.ok()) << now.status();
  ASSERT_EQ(now->size(), 2u);
  EXPECT_EQ((*now)[0].id, first->front().id);
  EXPECT_EQ((*now)[1].id, started->id);
  EXPECT_NE((*now)[1].id, (*now)[0].id);
}

TEST_F(SqliteChecklistStoreTest, SequencesStayGapFreeAcrossFailedCommitsAndReopen) {
  {
    std::unique_ptr<SqliteChecklistStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    Create(*store, "L1", {"BIZ"});  // sequence 1

    ChangeSet two;
    two.events = {MakeEvent(EventType::kLaunchUpdated, "L1", "", "a"),
                  MakeEvent(EventType::kLaunchUpdated, "L1", "", "b")};
    absl::StatusOr<std::vector<Event>> committed = store->Commit(two);
    ASSERT_TRUE(committed.ok()) << committed.status();
    EXPECT_THAT(Sequences(*committed), ElementsAre(2, 3));

    // Fails on the launch id after its events were numbered in memory: nothing may stick.
    ChangeSet failing;
    failing.launch = FullLaunch("L1");
    failing.events = {MakeEvent(EventType::kLaunchCreated, "L1", "", "dup"),
                      MakeEvent(EventType::kLaunchCreated, "L1", "", "dup2")};
    EXPECT_EQ(store->Commit(failing).status().code(), absl::StatusCode::kAlreadyExists);

    committed = store->Commit(two);
    ASSERT_TRUE(committed.ok()) << committed.status();
    EXPECT_THAT(Sequences(*committed), ElementsAre(4, 5));
  }
  std::unique_ptr<SqliteChecklistStore> reopened = OpenStore();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->LastSequence().value_or(-1), 5);
  ChangeSet one;
  one.events = {MakeEvent(EventType::kLaunchUpdated, "L1", "", "c")};
  absl::StatusOr<std::vector<Event>> committed = reopened->Commit(one);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_THAT(Sequences(*committed), ElementsAre(6));
  EXPECT_THAT(Sequences(*reopened->ReadEvents(0, 100)), ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST_F(SqliteChecklistStoreTest, EverythingSurvivesCloseAndReopen) {
  LaunchState created;
  std::string secret;
  {
    std::unique_ptr<SqliteChecklistStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    created = Create(*store, "L1", {"SERVER", "DOMAIN", "ICP_FILING"});
    Create(*store, "L2", {"BIZ"}, "tenant-b");
    secret = store->GetOrCreateSecret("page_token_key").value_or("");
  }
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ExpectLaunchEq(created.launch, loaded->launch);
  ASSERT_EQ(loaded->items.size(), created.items.size());
  for (size_t i = 0; i < created.items.size(); ++i)
    ExpectItemEq(created.items[i], loaded->items[i]);
  EXPECT_EQ(store->FindLaunchByRequestId("tenant-b", "req-L2").value_or(std::nullopt), "L2");
  EXPECT_EQ(store->LastSequence().value_or(-1), 2);
  EXPECT_EQ(store->GetOrCreateSecret("page_token_key").value_or(""), secret);
}

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

TEST_F(SqliteChecklistStoreTest, DuplicateRequestIdInOneTenantIsAlreadyExists) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {});

  Launch again = FullLaunch("L2");
  again.request_id = "req-L1";
  ChangeSet changes;
  changes.launch = again;
  changes.events.push_back(MakeEvent(EventType::kLaunchCreated, "L2", "", "created"));
  absl::StatusOr<std::vector<Event>> result = store->Commit(changes);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(result.status().message(), HasSubstr("req-L1"));
  EXPECT_EQ(store->LoadLaunch("L2").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->LastSequence().value_or(-1), 1);

  // The same request id in another tenant, and launches without one, are fine.
  again.tenant = "tenant-b";
  changes.launch = again;
  EXPECT_TRUE(store->Commit(changes).ok());
  for (const char* id : {"L3", "L4"}) {
    Launch anonymous = FullLaunch(id);
    anonymous.request_id.clear();
    ChangeSet create;
    create.launch = anonymous;
    EXPECT_TRUE(store->Commit(create).ok()) << id;
  }

  EXPECT_EQ(store->FindLaunchByRequestId("tenant-a", "req-L1").value_or(std::nullopt), "L1");
  EXPECT_EQ(store->FindLaunchByRequestId("tenant-b", "req-L1").value_or(std::nullopt), "L2");
  EXPECT_EQ(store->FindLaunchByRequestId("tenant-c", "req-L1").value_or("error"), std::nullopt);
  EXPECT_EQ(store->FindLaunchByRequestId("tenant-a", "").value_or("error"), std::nullopt);
}

TEST_F(SqliteChecklistStoreTest, UpdateOntoAnotherLaunchsRequestIdIsAlreadyExists) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {});
  Create(*store, "L2", {});
  // Caught by the unique index itself (no pre-check on updates).
  Launch update = FullLaunch("L2");
  update.version = 2;
  update.request_id = "req-L1";
  ChangeSet changes;
  changes.launch = update;
  EXPECT_EQ(store->Commit(changes).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(SqliteChecklistStoreTest, DuplicateLaunchAndItemInsertsAreAlreadyExists) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {"BIZ"});

  Launch duplicate = FullLaunch("L1");
  duplicate.request_id = "other";
  ChangeSet launch_again;
  launch_again.launch = duplicate;
  absl::StatusOr<std::vector<Event>> result = store->Commit(launch_again);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(result.status().message(), HasSubstr("launch L1 already exists"));

  ChangeSet item_again;
  item_again.items.push_back(FullItem("L1", "BIZ"));
  result = store->Commit(item_again);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(result.status().message(), HasSubstr("launches/L1/items/BIZ"));
}

TEST_F(SqliteChecklistStoreTest, ItemOfUnknownLaunchIsFailedPrecondition) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  ChangeSet changes;
  changes.items.push_back(FullItem("ghost", "BIZ"));
  EXPECT_EQ(store->Commit(changes).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteChecklistStoreTest, AddedItemsKeepTheirOrderAfterUpdates) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {"C", "A"});
  Item a = FullItem("L1", "A");
  a.version = 2;
  ChangeSet changes;
  changes.items = {a, FullItem("L1", "B")};
  ASSERT_TRUE(store->Commit(changes).ok());
  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok());
  std::vector<std::string> codes;
  for (const Item& item : loaded->items) codes.push_back(item.code);
  EXPECT_THAT(codes, ElementsAre("C", "A", "B"));
}

TEST_F(SqliteChecklistStoreTest, ListLaunchesFiltersInSqlAndPagesById) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  struct Row {
    const char* id;
    const char* tenant;
    const char* owner;
    absl::CivilDay target;
  };
  for (const Row& row : {Row{"a1", "t1", "ann", absl::CivilDay(2026, 1, 10)},
                         Row{"a2", "t1", "bob", absl::CivilDay(2026, 2, 10)},
                         Row{"a3", "t1", "ann", absl::CivilDay(2026, 3, 10)},
                         Row{"b1", "t2", "ann", absl::CivilDay(2026, 2, 10)},
                         Row{"a4", "t1", "ann", absl::CivilDay(2026, 4, 10)},
                         Row{"a0", "t1", "ann", absl::CivilDay(2025, 12, 31)}}) {
    Launch launch = FullLaunch(row.id, row.tenant);
    launch.owner = row.owner;
    launch.target_launch_date = row.target;
    ChangeSet changes;
    changes.launch = launch;
    changes.items = {FullItem(row.id, "X"), FullItem(row.id, "Y")};
    ASSERT_TRUE(store->Commit(changes).ok()) << row.id;
  }

  auto list = [&](const LaunchFilter& filter, const std::string& after, int limit) {
    absl::StatusOr<std::vector<LaunchState>> page = store->ListLaunches(filter, after, limit);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? Ids(*page) : std::vector<std::string>{"error"};
  };
  EXPECT_THAT(list({}, "", 100), ElementsAre("a0", "a1", "a2", "a3", "a4", "b1"));
  EXPECT_THAT(list({"t2", "", {}, {}}, "", 100), ElementsAre("b1"));
  EXPECT_THAT(list({"t1", "ann", {}, {}}, "", 100), ElementsAre("a0", "a1", "a3", "a4"));
  EXPECT_THAT(list({"", "ann", {}, {}}, "", 100), ElementsAre("a0", "a1", "a3", "a4", "b1"));
  // Both ends inclusive.
  EXPECT_THAT(list({"", "", absl::CivilDay(2026, 1, 10), absl::CivilDay(2026, 3, 10)}, "", 100),
              ElementsAre("a1", "a2", "a3", "b1"));
  EXPECT_THAT(list({"t1", "", absl::CivilDay(2026, 2, 11), {}}, "", 100), ElementsAre("a3", "a4"));
  EXPECT_THAT(list({"t1", "", {}, absl::CivilDay(2026, 1, 9)}, "", 100), ElementsAre("a0"));

  // Keyset pagination: each page starts after the last id of the previous one.
  const LaunchFilter ann{"t1", "ann", {}, {}};
  EXPECT_THAT(list(ann, "", 2), ElementsAre("a0", "a1"));
  EXPECT_THAT(list(ann, "a1", 2), ElementsAre("a3", "a4"));
  EXPECT_THAT(list(ann, "a4", 2), ElementsAre());

  absl::StatusOr<std::vector<LaunchState>> page = store->ListLaunches({"t2", "", {}, {}}, "", 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  ASSERT_EQ((*page)[0].items.size(), 2u);
  ExpectItemEq(FullItem("b1", "Y"), (*page)[0].items[1]);

  EXPECT_EQ(store->ListLaunches({}, "", 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteChecklistStoreTest, EventsArePagedBySequencePerLaunchAndOverall) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Create(*store, "L1", {});  // 1
  Create(*store, "L2", {});  // 2
  for (int i = 0; i < 3; ++i) {
    ChangeSet changes;
    changes.events = {MakeEvent(EventType::kLaunchUpdated, "L1", "", "one"),
                      MakeEvent(EventType::kLaunchUpdated, "L2", "", "two")};
    ASSERT_TRUE(store->Commit(changes).ok());
  }
  // L1: 1, 3, 5, 7; L2: 2, 4, 6, 8.
  EXPECT_THAT(Sequences(*store->ListLaunchEvents("L1", 0, 10)), ElementsAre(1, 3, 5, 7));
  EXPECT_THAT(Sequences(*store->ListLaunchEvents("L1", 3, 2)), ElementsAre(5, 7));
  EXPECT_THAT(Sequences(*store->ListLaunchEvents("L2", 7, 10)), ElementsAre(8));
  EXPECT_THAT(Sequences(*store->ListLaunchEvents("nope", 0, 10)), ElementsAre());
  EXPECT_THAT(Sequences(*store->ReadEvents(2, 3)), ElementsAre(3, 4, 5));
  EXPECT_THAT(Sequences(*store->ReadEvents(8, 3)), ElementsAre());
  EXPECT_EQ(store->ReadEvents(0, -1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->ListLaunchEvents("L1", 0, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteChecklistStoreTest, SecretsAreRandomPerNameAndStableAcrossReopen) {
  std::string first;
  std::string second;
  {
    std::unique_ptr<SqliteChecklistStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    first = store->GetOrCreateSecret("page_token_key").value_or("");
    second = store->GetOrCreateSecret("other").value_or("");
    EXPECT_EQ(first.size(), 32u);
    EXPECT_EQ(second.size(), 32u);
    EXPECT_NE(first, second);
    EXPECT_EQ(store->GetOrCreateSecret("page_token_key").value_or(""), first);
  }
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetOrCreateSecret("page_token_key").value_or(""), first);
  EXPECT_EQ(store->GetOrCreateSecret("other").value_or(""), second);
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

TEST_F(SqliteChecklistStoreTest, ConcurrentWritersGetUniqueGapFreeSequences) {
  std::unique_ptr<SqliteChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 4;
  constexpr int kCommitsPerThread = 15;
  std::vector<std::string> codes;
  for (int t = 0; t < kThreads; ++t) codes.push_back(absl::StrCat("ITEM_", t));
  Create(*store, "L1", codes);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Item item = FullItem("L1", codes[t]);
      for (int i = 0; i < kCommitsPerThread; ++i) {
        ++item.version;
        ChangeSet changes;
        changes.items.push_back(item);
        changes.events.push_back(MakeEvent(EventType::kItemUpdated, "L1", codes[t], "u"));
        EXPECT_TRUE(store->Commit(changes).ok());
        // Reads run alongside the writes on their own connection.
        EXPECT_TRUE(store->LoadLaunch("L1").ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  absl::StatusOr<std::vector<Event>> events = store->ReadEvents(0, 1000);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u + kThreads * kCommitsPerThread);
  for (size_t i = 0; i < events->size(); ++i) EXPECT_EQ((*events)[i].sequence, int64_t(i) + 1);
  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok());
  for (const Item& item : loaded->items) EXPECT_EQ(item.version, 1 + kCommitsPerThread);
}

}  // namespace
}  // namespace preflight::checklist
