// What every CalendarFeedStore promises, run unchanged on SQLite and on PostgreSQL.

#include <memory>
#include <string>
#include <vector>

#include "checklist-service/storage/postgres_calendar_feed_store.h"
#include "checklist-service/storage/postgres_checklist_store.h"
#include "checklist-service/storage/sqlite_calendar_feed_store.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/store_backends.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::preflight::testing::Backend;
using ::testing::ElementsAre;

CalendarFeed Feed(const std::string& id, const std::string& tenant) {
  CalendarFeed feed;
  feed.id = id;
  feed.tenant = tenant;
  feed.launch_id = "L1";
  feed.creator = "alice (tokens/0123456789ab)";
  feed.create_time = absl::FromUnixMicros(1767225600123456);
  feed.secret_hash = std::string(64, 'a');
  return feed;
}

std::vector<std::string> Ids(const std::vector<CalendarFeed>& feeds) {
  std::vector<std::string> ids;
  for (const CalendarFeed& feed : feeds) ids.push_back(feed.id);
  return ids;
}

class CalendarFeedStoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      absl::StatusOr<std::string> url = preflight::testing::NewPostgresDatabase();
      ASSERT_TRUE(url.ok()) << url.status();
      url_ = *url;
    }
    Open();
  }

  // (Re)opens the checklist database and the feed store on it.
  void Open() {
    store_.reset();
    sqlite_.reset();
    postgres_.reset();
    pool_.reset();
    if (GetParam() == Backend::kSqlite) {
      absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> opened =
          SqliteChecklistStore::Open(dir_.Join("checklist.db"), {});
      ASSERT_TRUE(opened.ok()) << opened.status();
      sqlite_ = *std::move(opened);
      store_ = std::make_unique<SqliteCalendarFeedStore>(sqlite_->database());
      return;
    }
    PostgresOptions options;
    options.url = url_;
    options.schema = "checklist";
    absl::StatusOr<std::unique_ptr<PostgresPool>> pool = PostgresPool::Open(options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    absl::StatusOr<std::unique_ptr<PostgresChecklistStore>> opened =
        PostgresChecklistStore::Open(pool_.get());
    ASSERT_TRUE(opened.ok()) << opened.status();
    postgres_ = *std::move(opened);
    store_ = std::make_unique<PostgresCalendarFeedStore>(pool_.get());
  }

  ::preflight::testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<PostgresPool> pool_;
  std::unique_ptr<SqliteChecklistStore> sqlite_;
  std::unique_ptr<PostgresChecklistStore> postgres_;
  std::unique_ptr<CalendarFeedStore> store_;
};

TEST_P(CalendarFeedStoreContractTest, KeepsEveryFieldOfAFeed) {
  CalendarFeed assignee = Feed("00000000000000b2", "acme");
  assignee.launch_id.clear();
  assignee.assignee = "li.na";
  ASSERT_TRUE(store_->InsertFeed(Feed("00000000000000a1", "acme")).ok());
  ASSERT_TRUE(store_->InsertFeed(assignee).ok());
  absl::StatusOr<std::optional<CalendarFeed>> found = store_->FindFeed("00000000000000b2");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->tenant, "acme");
  EXPECT_EQ((*found)->launch_id, "");
  EXPECT_EQ((*found)->assignee, "li.na");
  EXPECT_EQ((*found)->creator, "alice (tokens/0123456789ab)");
  EXPECT_EQ((*found)->create_time, absl::FromUnixMicros(1767225600123456));
  EXPECT_EQ((*found)->secret_hash, std::string(64, 'a'));
  EXPECT_FALSE((*found)->revoke_time.has_value());
  EXPECT_FALSE(store_->FindFeed("00000000000000ff")->has_value());
  EXPECT_EQ(store_->InsertFeed(Feed("00000000000000a1", "acme")).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(CalendarFeedStoreContractTest, ARowIsALaunchFeedOrAnAssigneeFeedNeverBoth) {
  CalendarFeed both = Feed("00000000000000c3", "acme");
  both.assignee = "li.na";
  EXPECT_FALSE(store_->InsertFeed(both).ok());
}

TEST_P(CalendarFeedStoreContractTest, ListsLiveFeedsByTenantInIdOrderAndPages) {
  for (const char* id : {"0000000000000003", "0000000000000001", "0000000000000002"}) {
    ASSERT_TRUE(store_->InsertFeed(Feed(id, "acme")).ok());
  }
  ASSERT_TRUE(store_->InsertFeed(Feed("0000000000000004", "globex")).ok());
  EXPECT_THAT(Ids(*store_->ListFeeds("acme", "", 10)),
              ElementsAre("0000000000000001", "0000000000000002", "0000000000000003"));
  EXPECT_THAT(Ids(*store_->ListFeeds("acme", "0000000000000001", 1)),
              ElementsAre("0000000000000002"));
  EXPECT_EQ(store_->ListFeeds("", "", 10)->size(), 4u);
  EXPECT_EQ(*store_->CountFeeds("acme"), 3);
}

TEST_P(CalendarFeedStoreContractTest, ARevokedFeedIsKeptButNotListedNorCounted) {
  ASSERT_TRUE(store_->InsertFeed(Feed("0000000000000001", "acme")).ok());
  const absl::Time when = absl::FromUnixSeconds(1767300000);
  EXPECT_TRUE(*store_->RevokeFeed("0000000000000001", when));
  EXPECT_FALSE(*store_->RevokeFeed("0000000000000001", when));
  EXPECT_FALSE(*store_->RevokeFeed("00000000000000ff", when));
  EXPECT_EQ((*store_->FindFeed("0000000000000001"))->revoke_time, when);
  EXPECT_TRUE(store_->ListFeeds("acme", "", 10)->empty());
  EXPECT_EQ(*store_->CountFeeds("acme"), 0);
}

TEST_P(CalendarFeedStoreContractTest, FeedsSurviveReopening) {
  ASSERT_TRUE(store_->InsertFeed(Feed("0000000000000001", "acme")).ok());
  Open();
  EXPECT_TRUE(store_->FindFeed("0000000000000001")->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarFeedStoreContractTest, preflight::testing::AllBackends(),
                         preflight::testing::BackendName);

}  // namespace
}  // namespace preflight::checklist
