#include "checklist-service/storage/postgres_event_follower.h"

#include <memory>
#include <pqxx/nontransaction>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "checklist-service/storage/postgres_checklist_store.h"
#include "checklist-service/testing/snapshot_testing.h"
#include "common/postgres/postgres_pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/store_backends.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;

// One replica's view of the shared database: a pool and a store on it.
struct Replica {
  std::unique_ptr<PostgresPool> pool;
  std::unique_ptr<PostgresChecklistStore> store;
};

// What a watcher of the hub received, waited for through the subscription's wake-up.
class Received {
 public:
  explicit Received(EventHub& hub) {
    EventHub::SubscribeOptions options;
    options.notify = [this](EventSubscription::State) {
      absl::MutexLock lock(&mu_);
      woken_ = true;
    };
    absl::StatusOr<std::unique_ptr<EventSubscription>> subscription =
        hub.Subscribe(std::move(options));
    EXPECT_TRUE(subscription.ok()) << subscription.status();
    if (subscription.ok()) subscription_ = *std::move(subscription);
  }

  // The sequences received once there are `count` of them, or what came within the deadline.
  std::vector<int64_t> AtLeast(size_t count) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (sequences_.size() < count && absl::Now() < deadline) {
      EventSubscription::Batch batch = subscription_->Take();
      for (const auto& event : batch.events) sequences_.push_back(event->sequence);
      // Only a Take that found nothing arms the wake-up; after one that found events, look again.
      if (!batch.events.empty()) continue;
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithDeadline(absl::Condition(&woken_), deadline);
      woken_ = false;
    }
    return sequences_;
  }

 private:
  absl::Mutex mu_;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<EventSubscription> subscription_;
  std::vector<int64_t> sequences_;
};

class PostgresEventFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> url = preflight::testing::NewPostgresDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    a_ = OpenReplica();
    b_ = OpenReplica();
    ASSERT_NE(a_.store, nullptr);
    ASSERT_NE(b_.store, nullptr);
  }

  Replica OpenReplica() {
    Replica replica;
    PostgresOptions options;
    options.url = url_;
    options.schema = "checklist";
    absl::StatusOr<std::unique_ptr<PostgresPool>> pool = PostgresPool::Open(options);
    EXPECT_TRUE(pool.ok()) << pool.status();
    if (!pool.ok()) return replica;
    replica.pool = *std::move(pool);
    absl::StatusOr<std::unique_ptr<PostgresChecklistStore>> store =
        PostgresChecklistStore::Open(replica.pool.get());
    EXPECT_TRUE(store.ok()) << store.status();
    if (store.ok()) replica.store = *std::move(store);
    return replica;
  }

  std::unique_ptr<PostgresEventFollower> Follow(Replica& replica, EventHub& hub) {
    PostgresEventFollower::Options options;
    options.database = replica.pool->options();
    // A long poll: the test passes only if the notification, not the poll, wakes it promptly.
    options.poll = absl::Seconds(60);
    auto follower = std::make_unique<PostgresEventFollower>(options, replica.store.get(), &hub);
    EXPECT_OK(follower->Start());
    return follower;
  }

  // Creates launch `id` through `replica`, with one event.
  static void CreateLaunch(Replica& replica, const std::string& id) {
    ChangeSet changes;
    changes.launch = testing::FullLaunch(id);
    Event created;
    created.type = EventType::kLaunchCreated;
    created.tenant = changes.launch->tenant;
    created.launch_id = id;
    created.summary = "created";
    changes.events.push_back(created);
    EXPECT_OK(replica.store->Commit(changes).status());
  }

  std::string url_;
  Replica a_;
  Replica b_;
};

TEST_F(PostgresEventFollowerTest, AnotherReplicasCommitsReachThisHubPromptlyInOrderOnce) {
  EventHub hub;
  Received received(hub);
  std::unique_ptr<PostgresEventFollower> follower = Follow(b_, hub);
  for (int i = 1; i <= 3; ++i) CreateLaunch(a_, absl::StrCat("L", i));
  EXPECT_THAT(received.AtLeast(3), ElementsAre(1, 2, 3));
  CreateLaunch(b_, "L4");  // this replica's own commits come the same way
  EXPECT_THAT(received.AtLeast(4), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(hub.last_published_sequence(), 4);
}

TEST_F(PostgresEventFollowerTest, OnlyWhatCommitsAfterStartIsPublished) {
  CreateLaunch(a_, "old-1");
  CreateLaunch(a_, "old-2");
  EventHub hub;
  Received received(hub);
  std::unique_ptr<PostgresEventFollower> follower = Follow(b_, hub);
  EXPECT_EQ(follower->published(), 2);
  CreateLaunch(a_, "new");
  EXPECT_THAT(received.AtLeast(1), ElementsAre(3));
}

TEST_F(PostgresEventFollowerTest, ALostSessionLosesNoEventAndDoublesNone) {
  EventHub hub;
  Received received(hub);
  std::unique_ptr<PostgresEventFollower> follower = Follow(b_, hub);
  CreateLaunch(a_, "L1");
  ASSERT_THAT(received.AtLeast(1), ElementsAre(1));
  // An operator (or a failover) ends the follower's session: its notifications are gone.
  ASSERT_OK(a_.pool->Run("terminating the follower", [](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name LIKE '%(event follower)'");
    return absl::OkStatus();
  }));
  CreateLaunch(a_, "L2");
  CreateLaunch(a_, "L3");
  EXPECT_THAT(received.AtLeast(3), ElementsAre(1, 2, 3));
  CreateLaunch(a_, "L4");
  EXPECT_THAT(received.AtLeast(4), ElementsAre(1, 2, 3, 4));
}

}  // namespace
}  // namespace preflight::checklist
