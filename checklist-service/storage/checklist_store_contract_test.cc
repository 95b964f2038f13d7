// What every ChecklistStore promises, run unchanged on SQLite and on PostgreSQL
// (tests/testing/store_backends.h). What only one backend does (SQLite's read-only files, full
// disks, migrations of old files) is tested beside that backend.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/storage/postgres_checklist_store.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "checklist-service/testing/snapshot_testing.h"
#include "common/postgres/postgres_pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/store_backends.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::preflight::testing::Backend;
using ::testing::ElementsAre;
using testing::ExpectEventEq;
using testing::ExpectItemEq;
using testing::ExpectLaunchEq;
using testing::FullItem;
using testing::FullLaunch;
using ::testing::HasSubstr;
using testing::MakeEvent;
using testing::Sequences;

std::vector<std::string> Ids(const std::vector<LaunchState>& launches) {
  std::vector<std::string> ids;
  for (const LaunchState& state : launches) ids.push_back(state.launch.id);
  return ids;
}

class ChecklistStoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      absl::StatusOr<std::string> url = preflight::testing::NewPostgresDatabase();
      ASSERT_TRUE(url.ok()) << url.status();
      url_ = *url;
    }
  }

  // A store on the test's database; opening again is a restart (or, on PostgreSQL, another
  // replica).
  std::unique_ptr<ChecklistStore> OpenStore() {
    if (GetParam() == Backend::kSqlite) {
      absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
          SqliteChecklistStore::Open(dir_.Join("checklist.db"), SqliteChecklistStore::Options{});
      EXPECT_TRUE(store.ok()) << store.status();
      return store.ok() ? *std::move(store) : nullptr;
    }
    PostgresOptions options;
    options.url = url_;
    options.schema = "checklist";
    absl::StatusOr<std::unique_ptr<PostgresPool>> pool = PostgresPool::Open(options);
    EXPECT_TRUE(pool.ok()) << pool.status();
    if (!pool.ok()) return nullptr;
    absl::StatusOr<std::unique_ptr<PostgresChecklistStore>> store =
        PostgresChecklistStore::Open(pool->get());
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return nullptr;
    pools_.push_back(*std::move(pool));
    return *std::move(store);
  }

  // What a restore from a backup does; not part of the port (each backend's restore calls it).
  static absl::StatusOr<LogEpoch> StartLogEpoch(ChecklistStore& store) {
    if (auto* sqlite = dynamic_cast<SqliteChecklistStore*>(&store)) return sqlite->StartLogEpoch();
    return dynamic_cast<PostgresChecklistStore&>(store).StartLogEpoch();
  }

  // Creates launch `id` with `codes` as its items, plus one creation event.
  LaunchState Create(ChecklistStore& store, const std::string& id,
                     const std::vector<std::string>& codes,
                     const std::string& tenant = "tenant-a") {
    return testing::CommitFullLaunch(store, id, codes, tenant);
  }

  ::preflight::testing::TempDir dir_;
  std::string url_;
  std::vector<std::unique_ptr<PostgresPool>> pools_;  // outlive the stores the tests hold
};

TEST_P(ChecklistStoreContractTest, TheLogStartsWithOneEpochAndARestoreStartsAnotherAtTheHead) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<LogEpoch>> first = store->LogEpochs();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front().base_sequence, 0);
  EXPECT_EQ(first->front().id.size(), 16u);
  Create(*store, "l1", {"A", "B"});
  const int64_t head = *store->LastSequence();
  absl::StatusOr<LogEpoch> started = StartLogEpoch(*store);
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

TEST_P(ChecklistStoreContractTest, CreatedLaunchLoadsBackFieldByFieldInInsertionOrder) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, ReadLaunchWithoutItemsHasTheSameLaunchAndItemsVersion) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, UnknownLaunchIsNotFound) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<LaunchState> loaded = store->LoadLaunch("nope");
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(), HasSubstr("nope"));
}

TEST_P(ChecklistStoreContractTest, CommitReturnsEventsWithSequencesAndStoresTheirSnapshots) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, LaunchVersionConflictAbortsAndWritesNothing) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, ItemVersionConflictRollsBackTheLaunchUpdateToo) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, UpdatingAMissingLaunchOrItemIsNotFound) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, InvalidVersionsAreRejected) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Launch launch = FullLaunch("L1");
  launch.version = 0;
  ChangeSet changes;
  changes.launch = launch;
  EXPECT_EQ(store->Commit(changes).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(ChecklistStoreContractTest, SequencesStayGapFreeAcrossFailedCommitsAndReopen) {
  {
    std::unique_ptr<ChecklistStore> store = OpenStore();
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
  std::unique_ptr<ChecklistStore> reopened = OpenStore();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->LastSequence().value_or(-1), 5);
  ChangeSet one;
  one.events = {MakeEvent(EventType::kLaunchUpdated, "L1", "", "c")};
  absl::StatusOr<std::vector<Event>> committed = reopened->Commit(one);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_THAT(Sequences(*committed), ElementsAre(6));
  EXPECT_THAT(Sequences(*reopened->ReadEvents(0, 100)), ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST_P(ChecklistStoreContractTest, EverythingSurvivesCloseAndReopen) {
  LaunchState created;
  std::string secret;
  {
    std::unique_ptr<ChecklistStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    created = Create(*store, "L1", {"SERVER", "DOMAIN", "ICP_FILING"});
    Create(*store, "L2", {"BIZ"}, "tenant-b");
    secret = store->GetOrCreateSecret("page_token_key").value_or("");
  }
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, DuplicateRequestIdInOneTenantIsAlreadyExists) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, UpdateOntoAnotherLaunchsRequestIdIsAlreadyExists) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, DuplicateLaunchAndItemInsertsAreAlreadyExists) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, ItemOfUnknownLaunchIsFailedPrecondition) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  ChangeSet changes;
  changes.items.push_back(FullItem("ghost", "BIZ"));
  EXPECT_EQ(store->Commit(changes).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(ChecklistStoreContractTest, AddedItemsKeepTheirOrderAfterUpdates) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, ListLaunchesFiltersInSqlAndPagesById) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, EventsArePagedBySequencePerLaunchAndOverall) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

TEST_P(ChecklistStoreContractTest, SecretsAreRandomPerNameAndStableAcrossReopen) {
  std::string first;
  std::string second;
  {
    std::unique_ptr<ChecklistStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    first = store->GetOrCreateSecret("page_token_key").value_or("");
    second = store->GetOrCreateSecret("other").value_or("");
    EXPECT_EQ(first.size(), 32u);
    EXPECT_EQ(second.size(), 32u);
    EXPECT_NE(first, second);
    EXPECT_EQ(store->GetOrCreateSecret("page_token_key").value_or(""), first);
  }
  std::unique_ptr<ChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetOrCreateSecret("page_token_key").value_or(""), first);
  EXPECT_EQ(store->GetOrCreateSecret("other").value_or(""), second);
}

TEST_P(ChecklistStoreContractTest, ConcurrentWritersGetUniqueGapFreeSequences) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
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

// ---- Across launches: the index columns written with every commit ----

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

Item IndexedItem(const std::string& launch_id, const std::string& code, ItemStatus status,
                 std::optional<absl::CivilDay> latest_start, std::string assignee = "") {
  Item item = FullItem(launch_id, code);
  item.status = status;
  item.assignee = std::move(assignee);
  item.schedule.latest_start = latest_start;
  item.schedule.latest_finish.reset();
  if (latest_start) item.schedule.latest_finish = *latest_start + 10;
  return item;
}

std::vector<std::string> Keys(const absl::StatusOr<std::vector<ItemKey>>& keys) {
  EXPECT_TRUE(keys.ok()) << keys.status();
  std::vector<std::string> out;
  if (keys.ok()) {
    for (const ItemKey& key : *keys) out.push_back(absl::StrCat(key.launch_id, "/", key.code));
  }
  return out;
}

// Two tenants' launches: acme's la and lb, globex's lg.
void CommitTwoTenants(ChecklistStore& store) {
  auto launch = [&](const std::string& id, const std::string& tenant,
                    const std::vector<Item>& items) {
    ChangeSet changes;
    changes.launch = FullLaunch(id, tenant);
    changes.items = items;
    absl::StatusOr<std::vector<Event>> committed = store.Commit(changes);
    ASSERT_TRUE(committed.ok()) << committed.status();
  };
  launch("la", "acme",
         {IndexedItem("la", "A1", ItemStatus::kNotStarted, D(2026, 10, 5), "li.na"),
          IndexedItem("la", "A2", ItemStatus::kApproved, D(2026, 9, 1), "li.na"),
          IndexedItem("la", "A3", ItemStatus::kInProgress, D(2026, 11, 2), "wang.fang"),
          IndexedItem("la", "A4", ItemStatus::kNotApplicable, std::nullopt)});
  launch("lb", "acme",
         {IndexedItem("lb", "B1", ItemStatus::kNotStarted, D(2026, 10, 5), "li.na"),
          IndexedItem("lb", "B2", ItemStatus::kNotStarted, D(2026, 9, 20), "wang.fang")});
  launch("lg", "globex",
         {IndexedItem("lg", "G1", ItemStatus::kNotStarted, D(2026, 9, 2), "li.na")});
}

TEST_P(ChecklistStoreContractTest, ItemsAcrossLaunchesListInKeyOrderWithEachFilter) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitTwoTenants(*store);

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
  // An item without a latest start lists last.
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
  ItemFilter nobody = acme;
  nobody.tenant = "initech";
  EXPECT_THAT(Keys(store->ListItemKeys(nobody, std::nullopt, 10)), ElementsAre());

  // Paging resumes strictly after the key, through ties on the latest start.
  absl::StatusOr<std::vector<ItemKey>> first = store->ListItemKeys(acme, std::nullopt, 2);
  ASSERT_TRUE(first.ok());
  EXPECT_THAT(Keys(first), ElementsAre("lb/B2", "la/A1"));
  EXPECT_THAT(Keys(store->ListItemKeys(acme, first->back(), 2)), ElementsAre("lb/B1", "la/A3"));
  EXPECT_EQ(store->ListItemKeys(acme, std::nullopt, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(ChecklistStoreContractTest, CommitsKeepTheIndexAndRiskBoundsCurrent) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitTwoTenants(*store);
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
  // B2's bound is later; la's items, never bounded, are candidates from the start.
  EXPECT_THAT(Keys(store->ListItemKeys(risky, std::nullopt, 10)), ElementsAre("la/A1", "la/A3"));
  risky.at_risk_by = D(2026, 9, 25);
  EXPECT_THAT(Keys(store->ListItemKeys(risky, std::nullopt, 10)),
              ElementsAre("lb/B2", "la/A1", "la/A3"));

  LaunchFilter launches;
  launches.tenant = "acme";
  launches.at_risk_by = D(2026, 9, 30);
  absl::StatusOr<std::vector<LaunchState>> listed = store->ListLaunches(launches, "", 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(Ids(*listed), ElementsAre("la"));
  launches.at_risk_by = D(2026, 10, 1);
  listed = store->ListLaunches(launches, "", 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(Ids(*listed), ElementsAre("la", "lb"));
}

// One item with the versions that name its launch's state, from one snapshot.
TEST_P(ChecklistStoreContractTest, ReadItemNamesTheLaunchState) {
  std::unique_ptr<ChecklistStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitTwoTenants(*store);
  absl::StatusOr<LaunchState> state = store->LoadLaunch("la");
  ASSERT_TRUE(state.ok());
  absl::StatusOr<ItemRead> read = store->ReadItem("la", "A3");
  ASSERT_TRUE(read.ok()) << read.status();
  ExpectItemEq(*state->FindItem("A3"), read->item);
  EXPECT_EQ(read->launch_version, state->launch.version);
  EXPECT_EQ(read->items_version, state->ItemsVersion());
  EXPECT_EQ(store->ReadItem("la", "NOPE").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->ReadItem("nope", "A3").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->CountLaunches("acme").value_or(-1), 2);
  EXPECT_EQ(store->CountLaunches("initech").value_or(-1), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ChecklistStoreContractTest, preflight::testing::AllBackends(),
                         preflight::testing::BackendName);

}  // namespace
}  // namespace preflight::checklist
