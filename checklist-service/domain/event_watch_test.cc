// The WatchEvents use case against the real LaunchService, SQLite store, template and calendar:
// events are produced by real changes, published to a real hub and read back from the store.

#include "checklist-service/domain/event_watch.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;
using testing::Iota;
using testing::kPatience;
using testing::ObservedChecklistStore;

// Runs one watch on its own thread and records what it receives.
class Watcher {
 public:
  Watcher(ChecklistStore* store, EventHub* hub, WatchRequest request, WatchOptions options)
      : store_(store), hub_(hub), request_(std::move(request)), options_(options) {}
  ~Watcher() {
    Cancel();
    Join();
  }

  // Called from the watch thread before each event is recorded; may block (a slow client).
  std::function<void(const Event&)> before_write;
  // Makes writes fail from now on (a client that broke the connection).
  std::atomic<bool> fail_writes{false};

  void Start() {
    thread_ = std::thread([this] {
      WatchCallbacks callbacks;
      callbacks.write = [this](const Event& event) {
        if (fail_writes || interrupted_) return false;
        if (before_write) before_write(event);
        absl::MutexLock lock(&mu_);
        received_.push_back(event.sequence);
        tenants_.push_back(event.tenant);
        launches_.push_back(event.launch_id);
        return true;
      };
      callbacks.is_cancelled = [this] { return cancelled_.load(); };
      callbacks.on_started = [this](int64_t last, const std::string&) {
        absl::MutexLock lock(&mu_);
        started_with_ = last;
      };
      callbacks.interrupt = [this] {
        ++interrupts_;
        interrupted_ = true;
      };
      absl::Status status = WatchEvents(*store_, *hub_, request_, callbacks, options_);
      absl::MutexLock lock(&mu_);
      result_ = status;
    });
  }

  // Waits until an event with `sequence` or later was received.
  bool WaitForSequence(int64_t sequence) {
    absl::MutexLock lock(&mu_);
    const auto reached = [&] { return !received_.empty() && received_.back() >= sequence; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), kPatience);
  }
  // Waits until the watch has ended.
  std::optional<absl::Status> WaitForResult() {
    absl::MutexLock lock(&mu_);
    const auto ended = [&] { return result_.has_value(); };
    mu_.AwaitWithTimeout(absl::Condition(&ended), kPatience);
    return result_;
  }

  void Cancel() { cancelled_ = true; }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  std::vector<int64_t> received() {
    absl::MutexLock lock(&mu_);
    return received_;
  }
  std::vector<std::string> tenants() {
    absl::MutexLock lock(&mu_);
    return tenants_;
  }
  std::vector<std::string> launches() {
    absl::MutexLock lock(&mu_);
    return launches_;
  }
  std::optional<int64_t> started_with() {
    absl::MutexLock lock(&mu_);
    return started_with_;
  }
  int interrupts() const { return interrupts_; }

 private:
  ChecklistStore* const store_;
  EventHub* const hub_;
  const WatchRequest request_;
  const WatchOptions options_;
  std::thread thread_;
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> interrupted_{false};
  std::atomic<int> interrupts_{0};
  absl::Mutex mu_;
  std::vector<int64_t> received_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> tenants_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> launches_ ABSL_GUARDED_BY(mu_);
  std::optional<int64_t> started_with_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> result_ ABSL_GUARDED_BY(mu_);
};

class EventWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open(testing::ChecklistTestbed::FastStore()));
    real_store_ = checklist_.store();
    store_ = std::make_unique<ObservedChecklistStore>(real_store_);
    service_ = checklist_.NewService(store_.get(), &hub_);
  }

  std::string CreateLaunch(const std::string& tenant = "acme") {
    return testing::CreateShopLaunch(*service_, tenant);
  }

  // One change, one event: the item's notes.
  void Touch(const std::string& launch_id, const std::string& notes) {
    testing::TouchItem(*service_, launch_id, notes);
  }

  int64_t Head() { return testing::LastSequence(*store_); }

  static WatchOptions FastOptions() {
    WatchOptions options;
    options.poll_interval = absl::Milliseconds(10);
    return options;
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 9, 1, 2, 0, 0), absl::UTCTimeZone())};
  testing::ChecklistTestbed checklist_{&clock_};
  SqliteChecklistStore* real_store_ = nullptr;
  std::unique_ptr<ObservedChecklistStore> store_;
  EventHub hub_;
  std::unique_ptr<LaunchService> service_;
};

TEST_F(EventWatchTest, BacklogThenLiveWithAConcurrentWriterHasNoGapOrDuplicate) {
  const std::string launch = CreateLaunch();
  for (int i = 0; i < 20; ++i) Touch(launch, absl::StrCat("before ", i));
  const int64_t after = 5;

  WatchOptions options = FastOptions();
  options.page_size = 7;  // many backlog pages, so the writer races the switch to live
  Watcher watcher(store_.get(), &hub_, WatchRequest{after, {}}, options);
  std::thread writer([&] {
    for (int i = 0; i < 300; ++i) Touch(launch, absl::StrCat("during ", i));
  });
  watcher.Start();
  writer.join();
  const int64_t head = Head();
  ASSERT_TRUE(watcher.WaitForSequence(head))
      << "received up to " << (watcher.received().empty() ? 0 : watcher.received().back());
  // Nothing more may arrive once the writer has stopped.
  watcher.Cancel();
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->code(), absl::StatusCode::kCancelled) << *result;
  EXPECT_EQ(watcher.received(), Iota(after + 1, head));
  EXPECT_GE(head, 300 + 20);
  EXPECT_GE(watcher.started_with().value_or(-1), after);
  EXPECT_EQ(watcher.interrupts(), 0);
  EXPECT_EQ(hub_.subscriber_count(), 0u);
}

TEST_F(EventWatchTest, FromZeroSendsTheWholeHistory) {
  CreateLaunch();
  const int64_t head = Head();
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {}}, FastOptions());
  watcher.Start();
  ASSERT_TRUE(watcher.WaitForSequence(head));
  EXPECT_EQ(watcher.received(), Iota(1, head));
  EXPECT_EQ(watcher.started_with(), head);
}

TEST_F(EventWatchTest, TenantFilterSendsOnlyThatTenantsEvents) {
  const std::string acme = CreateLaunch("acme");
  const std::string globex = CreateLaunch("globex");
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {"acme", ""}}, FastOptions());
  watcher.Start();
  ASSERT_TRUE(store_->WaitForShortReads(1));
  Touch(globex, "live globex");
  Touch(acme, "live acme");
  const int64_t head = Head();
  ASSERT_TRUE(watcher.WaitForSequence(head));

  std::vector<int64_t> expected;
  absl::StatusOr<std::vector<Event>> all = real_store_->ReadEvents(0, 10000);
  ASSERT_TRUE(all.ok());
  for (const Event& event : *all) {
    if (event.tenant == "acme") expected.push_back(event.sequence);
  }
  EXPECT_EQ(watcher.received(), expected);
  for (const std::string& tenant : watcher.tenants()) EXPECT_EQ(tenant, "acme");
}

TEST_F(EventWatchTest, LaunchFilterSendsOnlyThatLaunchsEvents) {
  const std::string first = CreateLaunch("acme");
  const std::string second = CreateLaunch("acme");
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {"", second}}, FastOptions());
  watcher.Start();
  ASSERT_TRUE(store_->WaitForShortReads(1));
  Touch(first, "live first");
  Touch(second, "live second");
  const int64_t head = Head();
  ASSERT_TRUE(watcher.WaitForSequence(head));

  absl::StatusOr<std::vector<Event>> expected_events =
      real_store_->ListLaunchEvents(second, 0, 10000);
  ASSERT_TRUE(expected_events.ok());
  std::vector<int64_t> expected;
  for (const Event& event : *expected_events) expected.push_back(event.sequence);
  EXPECT_EQ(watcher.received(), expected);
  for (const std::string& id : watcher.launches()) EXPECT_EQ(id, second);
}

TEST_F(EventWatchTest, OverflowDuringTheBacklogResubscribesAndCatchesUp) {
  const std::string launch = CreateLaunch();
  const int64_t backlog_head = Head();
  WatchOptions options = FastOptions();
  options.page_size = 4;
  options.queue_capacity = 3;
  // While the first backlog event is being sent, more changes commit than the queue holds.
  std::atomic<bool> committed_during_backlog{false};
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {}}, options);
  watcher.before_write = [&](const Event& event) {
    if (event.sequence == 1 && !committed_during_backlog) {
      committed_during_backlog = true;
      for (int i = 0; i < 5; ++i) Touch(launch, absl::StrCat("burst ", i));
    }
  };
  watcher.Start();
  ASSERT_TRUE(watcher.WaitForSequence(backlog_head + 5));
  ASSERT_TRUE(store_->WaitForShortReads(1));
  // Live again, within the queue's capacity.
  Touch(launch, "live 1");
  Touch(launch, "live 2");
  const int64_t head = Head();
  ASSERT_TRUE(watcher.WaitForSequence(head));
  EXPECT_EQ(watcher.received(), Iota(1, head));
  EXPECT_EQ(watcher.interrupts(), 0);
  watcher.Cancel();
  EXPECT_EQ(watcher.WaitForResult().value_or(absl::OkStatus()).code(),
            absl::StatusCode::kCancelled);
}

TEST_F(EventWatchTest, LiveOverflowEndsWithResourceExhaustedAndTheResumeSequence) {
  const std::string launch = CreateLaunch();
  WatchOptions options = FastOptions();
  options.queue_capacity = 3;
  const int64_t after = Head();
  // The client stalls on the first live event until the test lets it go.
  absl::Notification stalled;
  absl::Notification release;
  Watcher watcher(store_.get(), &hub_, WatchRequest{after, {}}, options);
  watcher.before_write = [&](const Event& event) {
    if (event.sequence == after + 1) {
      stalled.Notify();
      release.WaitForNotificationWithTimeout(kPatience);
    }
  };
  watcher.Start();
  ASSERT_TRUE(store_->WaitForShortReads(1));
  Touch(launch, "first live");
  ASSERT_TRUE(stalled.WaitForNotificationWithTimeout(kPatience));
  for (int i = 0; i < 4; ++i) Touch(launch, absl::StrCat("while stalled ", i));
  EXPECT_EQ(watcher.interrupts(), 1);
  release.Notify();

  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->code(), absl::StatusCode::kResourceExhausted) << *result;
  EXPECT_THAT(result->message(), HasSubstr(absl::StrCat("resume with after_sequence=", after + 1)));
  EXPECT_THAT(result->message(), HasSubstr("more than 3 events"));
  EXPECT_THAT(result->message(), HasSubstr("4 behind"));
  EXPECT_EQ(watcher.received(), Iota(after + 1, after + 1));
}

TEST_F(EventWatchTest, ABurstLargerThanTheQueueCutsOffAWaitingWatcher) {
  const std::string launch = CreateLaunch();
  WatchOptions options = FastOptions();
  options.queue_capacity = 2;
  const int64_t after = Head();
  Watcher watcher(store_.get(), &hub_, WatchRequest{after, {}}, options);
  watcher.Start();
  ASSERT_TRUE(store_->WaitForShortReads(1));
  // Committed after the backlog's last read, so it arrives live.
  Touch(launch, "live");
  ASSERT_TRUE(watcher.WaitForSequence(after + 1));
  // One commit with more events than the queue holds: a profile change re-evaluates items.
  LaunchPatch patch;
  patch.takes_payments = true;
  patch.service_categories = std::vector<std::string>{"ecommerce"};
  ASSERT_TRUE(service_->UpdateLaunch(launch, patch, std::nullopt, Actor{"tester"}).ok());
  ASSERT_GT(Head() - after, 3);
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->code(), absl::StatusCode::kResourceExhausted) << *result;
  EXPECT_THAT(result->message(), HasSubstr(absl::StrCat("resume with after_sequence=", after + 1)));
  EXPECT_EQ(watcher.interrupts(), 1);
  EXPECT_EQ(watcher.received(), Iota(after + 1, after + 1));
}

TEST_F(EventWatchTest, CloseEndsAWaitingWatchAtOnceWithUnavailable) {
  CreateLaunch();
  const int64_t head = Head();
  WatchOptions options;
  options.poll_interval = absl::Hours(1);  // only Close can wake it in time
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {}}, options);
  watcher.Start();
  ASSERT_TRUE(watcher.WaitForSequence(head));
  ASSERT_TRUE(store_->WaitForShortReads(1));
  const absl::Time start = absl::Now();
  hub_.Close();
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable) << *result;
  EXPECT_THAT(result->message(),
              HasSubstr(absl::StrCat("server shutting down; resume with after_sequence=", head)));
  EXPECT_EQ(watcher.interrupts(), 1);
}

TEST_F(EventWatchTest, CloseDuringTheBacklogEndsTheWatch) {
  CreateLaunch();
  WatchOptions options = FastOptions();
  options.page_size = 2;
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {}}, options);
  watcher.before_write = [&](const Event& event) {
    if (event.sequence == 3) hub_.Close();
  };
  watcher.Start();
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  // Event 3 was on its way when the hub closed; the interrupt refused event 4.
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable) << *result;
  EXPECT_THAT(result->message(), HasSubstr("resume with after_sequence=3"));
  EXPECT_EQ(watcher.received(), Iota(1, 3));
  EXPECT_EQ(watcher.interrupts(), 1);
}

TEST_F(EventWatchTest, AClientThatGoesAwayEndsWithCancelled) {
  CreateLaunch();
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {}}, FastOptions());
  watcher.fail_writes = true;
  watcher.Start();
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->code(), absl::StatusCode::kCancelled) << *result;
  EXPECT_THAT(result->message(), HasSubstr("resume with after_sequence=0"));
}

TEST_F(EventWatchTest, AStoreFailureEndsTheWatchWithWhereToResume) {
  CreateLaunch();
  store_->FailReads(absl::UnavailableError("database is locked"));
  Watcher watcher(store_.get(), &hub_, WatchRequest{3, {}}, FastOptions());
  watcher.Start();
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable) << *result;
  EXPECT_THAT(result->message(), HasSubstr("database is locked; resume with after_sequence=3"));
}

absl::Status RunOnce(ChecklistStore& store, EventHub& hub, const WatchRequest& request) {
  WatchCallbacks callbacks;
  callbacks.write = [](const Event&) { return true; };
  callbacks.is_cancelled = [] { return true; };
  return WatchEvents(store, hub, request, callbacks);
}

TEST_F(EventWatchTest, RejectsBadRequests) {
  CreateLaunch();
  const int64_t head = Head();
  absl::Status status = RunOnce(*store_, hub_, WatchRequest{-1, {}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("after_sequence"));

  status = RunOnce(*store_, hub_, WatchRequest{0, {"Not A Tenant", ""}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("tenant"));

  status = RunOnce(*store_, hub_, WatchRequest{0, {"", "no-such-launch"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;

  status = RunOnce(*store_, hub_, WatchRequest{head + 1, {}});
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange) << status;
  EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("last committed sequence ", head)));

  // The requested position itself is fine: nothing newer yet.
  EXPECT_EQ(RunOnce(*store_, hub_, WatchRequest{head, {}}).code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(hub_.subscriber_count(), 0u);

  hub_.Close();
  status = RunOnce(*store_, hub_, WatchRequest{0, {}});
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("server shutting down"));
}

TEST_F(EventWatchTest, LaunchServiceWithoutAHubDoesNotServeTheStream) {
  LaunchService without_hub(store_.get(), checklist_.catalog(), checklist_.calendar(), &clock_);
  WatchCallbacks callbacks;
  callbacks.write = [](const Event&) { return true; };
  callbacks.is_cancelled = [] { return false; };
  EXPECT_EQ(without_hub.WatchEvents(WatchRequest{}, callbacks).code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(EventWatchTest, LaunchServicePublishesEveryCommit) {
  absl::StatusOr<std::unique_ptr<EventSubscription>> subscription = hub_.Subscribe({});
  ASSERT_TRUE(subscription.ok());
  const std::string launch = CreateLaunch();
  Touch(launch, "a note");
  EventSubscription::Batch batch = (*subscription)->Wait(absl::ZeroDuration());
  std::vector<int64_t> sequences;
  for (const auto& event : batch.events) sequences.push_back(event->sequence);
  EXPECT_EQ(sequences, Iota(1, Head()));
  EXPECT_EQ(hub_.last_published_sequence(), Head());
}

}  // namespace
}  // namespace preflight::checklist

namespace preflight::checklist {
namespace {

TEST(CheckLogEpochTest, AWatcherMayResumeUnlessARestoreCameBeforeItsCursor) {
  const std::vector<LogEpoch> once = {{"e1", 0}};
  const std::vector<LogEpoch> restored = {{"e1", 0}, {"e2", 40}};
  EXPECT_TRUE(CheckLogEpoch(once, "", 99).ok());  // no epoch given: not checked
  EXPECT_TRUE(CheckLogEpoch(once, "e1", 99).ok());
  // Read up to 40 before the restore at 40: everything it saw is still there.
  EXPECT_TRUE(CheckLogEpoch(restored, "e1", 40).ok());
  EXPECT_TRUE(CheckLogEpoch(restored, "e2", 70).ok());
  // Read up to 55 before a restore to 40: 41..55 are gone and will be reused.
  const absl::Status lost = CheckLogEpoch(restored, "e1", 55);
  EXPECT_EQ(lost.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(lost.message(),
              ::testing::HasSubstr("restored from a backup taken at sequence 40 (log epoch e2) "
                                   "after the watcher had read up to 55: events 41..55"));
  const absl::Status unknown = CheckLogEpoch(restored, "e0", 1);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(unknown.message(), ::testing::HasSubstr("is not an epoch of this event log"));
}

}  // namespace
}  // namespace preflight::checklist
