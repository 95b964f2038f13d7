#include "checklist-service/storage/sqlite_to_postgres.h"

#include <memory>
#include <string>
#include <vector>

#include "checklist-service/storage/postgres_calendar_feed_store.h"
#include "checklist-service/storage/postgres_checklist_store.h"
#include "checklist-service/storage/sqlite_calendar_feed_store.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "checklist-service/testing/snapshot_testing.h"
#include "common/auth/postgres_token_store.h"
#include "common/auth/sqlite_token_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/store_backends.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using testing::CommitFullLaunch;
using ::testing::ElementsAre;
using testing::ExpectEventEq;
using testing::ExpectItemEq;
using testing::ExpectLaunchEq;
using testing::MakeEvent;
using testing::Sequences;

class SqliteToPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> url = preflight::testing::NewPostgresDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    PostgresOptions options;
    options.url = *url;
    options.schema = "checklist";
    absl::StatusOr<std::unique_ptr<PostgresPool>> pool = PostgresPool::Open(options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    absl::StatusOr<std::unique_ptr<PostgresChecklistStore>> store =
        PostgresChecklistStore::Open(pool_.get());
    ASSERT_TRUE(store.ok()) << store.status();
    target_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<auth::PostgresTokenStore>> tokens =
        auth::PostgresTokenStore::Open(pool_.get());
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    target_tokens_ = *std::move(tokens);
  }

  std::string ChecklistDb() const { return dir_.Join("checklist.db"); }
  std::string AuthDb() const { return dir_.Join("auth.db"); }

  ::preflight::testing::TempDir dir_;
  std::unique_ptr<PostgresPool> pool_;
  std::unique_ptr<PostgresChecklistStore> target_;
  std::unique_ptr<auth::PostgresTokenStore> target_tokens_;
};

TEST_F(SqliteToPostgresTest, EveryRowArrivesAndTheLogGoesOnWhereItStopped) {
  LaunchState l1;
  std::vector<Event> events;
  std::vector<LogEpoch> epochs;
  std::string page_key;
  {
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> source =
        SqliteChecklistStore::Open(ChecklistDb(), {});
    ASSERT_TRUE(source.ok()) << source.status();
    l1 = CommitFullLaunch(**source, "L1", {"MP_ACCOUNT", "BIZ", "ICP_FILING"});
    CommitFullLaunch(**source, "L2", {"BIZ"}, "tenant-b");
    ChangeSet touch;
    touch.events = {MakeEvent(EventType::kLaunchUpdated, "L1", "", "touched")};
    ASSERT_OK((*source)->Commit(touch).status());
    ASSERT_OK((*source)->StartLogEpoch().status());
    page_key = (*source)->GetOrCreateSecret("page_token_key").value_or("");
    CalendarFeed feed;
    feed.id = "00000000000000a1";
    feed.tenant = "tenant-a";
    feed.launch_id = "L1";
    feed.creator = "alice";
    feed.create_time = absl::FromUnixMicros(1767225600123456);
    feed.secret_hash = std::string(64, 'a');
    ASSERT_OK(SqliteCalendarFeedStore((*source)->database()).InsertFeed(feed));
    events = *(*source)->ReadEvents(0, 100);
    epochs = *(*source)->LogEpochs();
  }
  {
    absl::StatusOr<std::unique_ptr<auth::SqliteTokenStore>> tokens =
        auth::SqliteTokenStore::Open(AuthDb());
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    for (const char* id : {"t1", "t2"}) {
      auth::TokenRecord record;
      record.id = id;
      record.secret_hash = "hash";
      record.tenant = "tenant-a";
      record.create_time = absl::FromUnixSeconds(1767225600);
      ASSERT_OK((*tokens)->Insert(record).status());
    }
    ASSERT_OK((*tokens)->Revoke("t1", absl::FromUnixSeconds(1767312000)).status());
  }

  absl::StatusOr<CopyCounts> counts = CopySqliteToPostgres(ChecklistDb(), AuthDb(), pool_.get());
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->launches, 2);
  EXPECT_EQ(counts->items, 4);
  EXPECT_EQ(counts->events, 3);
  EXPECT_EQ(counts->log_epochs, 2);
  EXPECT_EQ(counts->calendar_feeds, 1);
  EXPECT_EQ(counts->tokens, 2);

  absl::StatusOr<LaunchState> loaded = target_->LoadLaunch("L1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ExpectLaunchEq(l1.launch, loaded->launch);
  ASSERT_EQ(loaded->items.size(), 3u);
  for (size_t i = 0; i < l1.items.size(); ++i) ExpectItemEq(l1.items[i], loaded->items[i]);
  EXPECT_EQ(target_->FindLaunchByRequestId("tenant-b", "req-L2").value_or(std::nullopt), "L2");
  absl::StatusOr<std::vector<Event>> copied_events = target_->ReadEvents(0, 100);
  ASSERT_TRUE(copied_events.ok());
  ASSERT_EQ(copied_events->size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) ExpectEventEq(events[i], (*copied_events)[i]);
  absl::StatusOr<std::vector<LogEpoch>> copied_epochs = target_->LogEpochs();
  ASSERT_TRUE(copied_epochs.ok());
  ASSERT_EQ(copied_epochs->size(), epochs.size());
  EXPECT_EQ(copied_epochs->back().id, epochs.back().id);
  EXPECT_EQ(copied_epochs->back().base_sequence, epochs.back().base_sequence);
  // Page tokens handed out before the move stay valid: the key came along.
  EXPECT_EQ(target_->GetOrCreateSecret("page_token_key").value_or(""), page_key);
  PostgresCalendarFeedStore feeds(pool_.get());
  EXPECT_TRUE(feeds.FindFeed("00000000000000a1").value_or(std::nullopt).has_value());
  absl::StatusOr<std::vector<auth::TokenRecord>> tokens =
      target_tokens_->List({"", /*include_revoked=*/true}, 0, 10);
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_TRUE((*tokens)[1].revoke_time.has_value());  // t1, the older

  // The log goes on after the copied head; new tokens are numbered after the copied ones.
  ChangeSet next;
  next.events = {MakeEvent(EventType::kLaunchUpdated, "L2", "", "after the move")};
  absl::StatusOr<std::vector<Event>> committed = target_->Commit(next);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_THAT(Sequences(*committed), ElementsAre(4));
  auth::TokenRecord later;
  later.id = "t3";
  later.secret_hash = "hash";
  later.tenant = "tenant-a";
  absl::StatusOr<auth::TokenRecord> inserted = target_tokens_->Insert(later);
  ASSERT_TRUE(inserted.ok()) << inserted.status();
  EXPECT_GT(inserted->sequence, (*tokens)[0].sequence);
}

TEST_F(SqliteToPostgresTest, ATargetThatHoldsDataIsRefusedAndKeptAsItWas) {
  {
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> source =
        SqliteChecklistStore::Open(ChecklistDb(), {});
    ASSERT_TRUE(source.ok()) << source.status();
    CommitFullLaunch(**source, "L1", {"BIZ"});
  }
  CommitFullLaunch(*target_, "already-here", {"BIZ"});
  absl::StatusOr<CopyCounts> counts = CopySqliteToPostgres(ChecklistDb(), AuthDb(), pool_.get());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kFailedPrecondition) << counts.status();
  EXPECT_EQ(target_->LoadLaunch("L1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(target_->LoadLaunch("already-here").ok());
}

TEST_F(SqliteToPostgresTest, AMissingSourceFileIsAnErrorNotAnEmptyCopy) {
  absl::StatusOr<CopyCounts> counts =
      CopySqliteToPostgres(dir_.Join("nope.db"), AuthDb(), pool_.get());
  EXPECT_FALSE(counts.ok());
  EXPECT_EQ(target_->LastSequence().value_or(-1), 0);
}

}  // namespace
}  // namespace preflight::checklist
