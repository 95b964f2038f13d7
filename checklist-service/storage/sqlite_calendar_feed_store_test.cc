#include "checklist-service/storage/sqlite_calendar_feed_store.h"

#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

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

class SqliteCalendarFeedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> opened =
        SqliteChecklistStore::Open(dir_.Join("checklist.db"), {});
    ASSERT_TRUE(opened.ok()) << opened.status();
    checklist_ = *std::move(opened);
    store_ = std::make_unique<SqliteCalendarFeedStore>(checklist_->database());
  }

  ::preflight::testing::TempDir dir_;
  std::unique_ptr<SqliteChecklistStore> checklist_;
  std::unique_ptr<SqliteCalendarFeedStore> store_;
};

TEST_F(SqliteCalendarFeedStoreTest, KeepsEveryFieldOfAFeed) {
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

TEST_F(SqliteCalendarFeedStoreTest, ARowIsALaunchFeedOrAnAssigneeFeedNeverBoth) {
  CalendarFeed both = Feed("00000000000000c3", "acme");
  both.assignee = "li.na";
  EXPECT_FALSE(store_->InsertFeed(both).ok());
}

TEST_F(SqliteCalendarFeedStoreTest, ListsLiveFeedsByTenantInIdOrderAndPages) {
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

TEST_F(SqliteCalendarFeedStoreTest, ARevokedFeedIsKeptButNotListedNorCounted) {
  ASSERT_TRUE(store_->InsertFeed(Feed("0000000000000001", "acme")).ok());
  const absl::Time when = absl::FromUnixSeconds(1767300000);
  EXPECT_TRUE(*store_->RevokeFeed("0000000000000001", when));
  EXPECT_FALSE(*store_->RevokeFeed("0000000000000001", when));
  EXPECT_FALSE(*store_->RevokeFeed("00000000000000ff", when));
  EXPECT_EQ((*store_->FindFeed("0000000000000001"))->revoke_time, when);
  EXPECT_TRUE(store_->ListFeeds("acme", "", 10)->empty());
  EXPECT_EQ(*store_->CountFeeds("acme"), 0);
}

TEST_F(SqliteCalendarFeedStoreTest, FeedsSurviveReopening) {
  ASSERT_TRUE(store_->InsertFeed(Feed("0000000000000001", "acme")).ok());
  store_.reset();
  checklist_.reset();
  SetUp();
  EXPECT_TRUE(store_->FindFeed("0000000000000001")->has_value());
}

}  // namespace
}  // namespace preflight::checklist
