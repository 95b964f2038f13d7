// CommitBatch of the SQLite store: several change sets in one transaction, each all-or-nothing.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "checklist-service/testing/snapshot_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;
using testing::FullItem;
using testing::FullLaunch;

Event EventOf(EventType type, const std::string& launch_id, const std::string& code = "") {
  Event event;
  event.type = type;
  event.tenant = "tenant-a";
  event.launch_id = launch_id;
  event.item_code = code;
  event.actor = "alice@example.com";
  event.time = absl::FromUnixMicros(1767225600000000);
  event.summary = absl::StrCat(launch_id, " ", code);
  return event;
}

ChangeSet NewLaunch(const std::string& id) {
  ChangeSet changes;
  changes.launch = FullLaunch(id);
  changes.launch->request_id.clear();
  changes.items.push_back(FullItem(id, "BIZ"));
  changes.events.push_back(EventOf(EventType::kLaunchCreated, id));
  changes.events.push_back(EventOf(EventType::kItemCreated, id, "BIZ"));
  return changes;
}

// Moves launch `id`'s item BIZ from `from_version` to the next.
ChangeSet ItemUpdate(const std::string& id, int64_t from_version, ItemStatus status) {
  ChangeSet changes;
  Item item = FullItem(id, "BIZ");
  item.version = from_version + 1;
  item.status = status;
  changes.items.push_back(item);
  changes.events.push_back(EventOf(EventType::kItemUpdated, id, "BIZ"));
  return changes;
}

std::vector<int64_t> Sequences(const absl::StatusOr<std::vector<Event>>& events) {
  std::vector<int64_t> sequences;
  if (!events.ok()) return sequences;
  for (const Event& event : *events) sequences.push_back(event.sequence);
  return sequences;
}

class SqliteGroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
        SqliteChecklistStore::Open(dir_.Join("checklist.db"), SqliteChecklistStore::Options{});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  ::preflight::testing::TempDir dir_;
  std::unique_ptr<SqliteChecklistStore> store_;
};

TEST_F(SqliteGroupCommitTest, ABatchNumbersEventsConsecutivelyInBatchOrder) {
  const ChangeSet a = NewLaunch("LA");
  const ChangeSet b = NewLaunch("LB");
  const ChangeSet c = NewLaunch("LC");
  std::vector<absl::StatusOr<std::vector<Event>>> results = store_->CommitBatch({&a, &b, &c});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_THAT(Sequences(results[0]), ElementsAre(1, 2));
  EXPECT_THAT(Sequences(results[1]), ElementsAre(3, 4));
  EXPECT_THAT(Sequences(results[2]), ElementsAre(5, 6));
  EXPECT_EQ(*store_->LastSequence(), 6);
  for (const char* id : {"LA", "LB", "LC"}) EXPECT_TRUE(store_->LoadLaunch(id).ok()) << id;
}

// A version conflict in the middle of a batch rolls back that change set only: the others commit
// and the log stays gap-free.
TEST_F(SqliteGroupCommitTest, AConflictFailsOnlyItsOwnChangeSet) {
  const ChangeSet la = NewLaunch("LA");
  const ChangeSet lb = NewLaunch("LB");
  ASSERT_TRUE(store_->Commit(la).ok());
  ASSERT_TRUE(store_->Commit(lb).ok());

  const ChangeSet first = ItemUpdate("LA", 1, ItemStatus::kApproved);
  const ChangeSet stale = ItemUpdate("LB", 7, ItemStatus::kApproved);  // stored version is 1
  const ChangeSet duplicate = NewLaunch("LA");                         // already exists
  const ChangeSet last = ItemUpdate("LB", 1, ItemStatus::kRejected);
  std::vector<absl::StatusOr<std::vector<Event>>> results =
      store_->CommitBatch({&first, &stale, &duplicate, &last});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_THAT(Sequences(results[0]), ElementsAre(5));
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kAborted) << results[1].status();
  EXPECT_EQ(results[2].status().code(), absl::StatusCode::kAlreadyExists) << results[2].status();
  EXPECT_THAT(Sequences(results[3]), ElementsAre(6));

  absl::StatusOr<std::vector<Event>> log = store_->ReadEvents(4, 100);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].launch_id, "LA");
  EXPECT_EQ((*log)[1].launch_id, "LB");
  absl::StatusOr<LaunchState> lb_now = store_->LoadLaunch("LB");
  ASSERT_TRUE(lb_now.ok()) << lb_now.status();
  EXPECT_EQ(lb_now->items[0].version, 2);
  EXPECT_EQ(lb_now->items[0].status, ItemStatus::kRejected);
}

TEST_F(SqliteGroupCommitTest, AReadOnlyStoreFailsTheWholeBatch) {
  const ChangeSet la = NewLaunch("LA");
  ASSERT_TRUE(store_->Commit(la).ok());
  store_.reset();
  SqliteChecklistStore::Options options;
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> reader =
      SqliteChecklistStore::Open(dir_.Join("checklist.db"), options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  const ChangeSet a = ItemUpdate("LA", 1, ItemStatus::kApproved);
  const ChangeSet b = NewLaunch("LB");
  std::vector<absl::StatusOr<std::vector<Event>>> results = (*reader)->CommitBatch({&a, &b});
  ASSERT_EQ(results.size(), 2u);
  for (const auto& result : results) EXPECT_FALSE(result.ok());
  EXPECT_EQ(*(*reader)->LastSequence(), 2);
}

}  // namespace
}  // namespace preflight::checklist
