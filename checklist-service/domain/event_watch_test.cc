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
#include "checklist-service/domain/event_watch_testing.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;
using watch_testing::ObservedStore;

constexpr absl::Duration kPatience = watch_testing::kPatience;

// Drives one watch on its own thread as a transport would, with a synchronous "write", and
// records what it receives.
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
    thread_ = std::thread([this] { Run(); });
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

  void Cancel() {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
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
  // How often the hub said the watch must end at once (a closed hub, a live overflow).
  int interrupts() const { return interrupts_; }

 private:
  using Kind = EventWatch::Step::Kind;

  void Run() {
    absl::StatusOr<std::unique_ptr<EventWatch>> watch =
        EventWatch::Start(*store_, *hub_, request_, options_, [this](EventWatch::Wake wake) {
          if (wake == EventWatch::Wake::kMustEnd) ++interrupts_;
          absl::MutexLock lock(&mu_);
          woken_ = true;
        });
    if (!watch.ok()) {
      absl::MutexLock lock(&mu_);
      result_ = watch.status();
      return;
    }
    {
      absl::MutexLock lock(&mu_);
      started_with_ = (*watch)->start_sequence();
    }
    while (true) {
      bool cancelled;
      {
        absl::MutexLock lock(&mu_);
        cancelled = cancelled_;
      }
      if (cancelled) (*watch)->Cancel();
      EventWatch::Step step = (*watch)->Next();
      switch (step.kind) {
        case Kind::kWrite: {
          const bool ok = !fail_writes;
          if (ok) {
            if (before_write) before_write(*step.event);
            absl::MutexLock lock(&mu_);
            received_.push_back(step.event->sequence);
            tenants_.push_back(step.event->tenant);
            launches_.push_back(step.event->launch_id);
          }
          (*watch)->WriteDone(ok);
          break;
        }
        case Kind::kRead:
          (*watch)->ReadBacklog();
          break;
        case Kind::kWait: {
          absl::MutexLock lock(&mu_);
          const auto woken = [this] { return woken_ || cancelled_; };
          mu_.Await(absl::Condition(&woken));
          woken_ = false;
          break;
        }
        case Kind::kEnd: {
          watch->reset();  // unsubscribes
          absl::MutexLock lock(&mu_);
          result_ = step.status;
          return;
        }
      }
    }
  }

  ChecklistStore* const store_;
  EventHub* const hub_;
  const WatchRequest request_;
  const WatchOptions options_;
  std::thread thread_;
  std::atomic<int> interrupts_{0};
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<int64_t> received_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> tenants_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> launches_ ABSL_GUARDED_BY(mu_);
  std::optional<int64_t> started_with_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> result_ ABSL_GUARDED_BY(mu_);
};

std::vector<int64_t> Iota(int64_t first, int64_t last) {
  std::vector<int64_t> out;
  for (int64_t s = first; s <= last; ++s) out.push_back(s);
  return out;
}

class EventWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TemplateCatalog> catalog =
        TemplateCatalog::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/templates"});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = std::make_unique<TemplateCatalog>(*std::move(catalog));
    absl::StatusOr<WorkingCalendar> calendar =
        WorkingCalendar::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/calendar"});
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = std::make_unique<WorkingCalendar>(*std::move(calendar));
    SqliteChecklistStore::Options options;
    // Durability is not under test; fsyncs would only slow the writers down.
    options.synchronous = SqliteChecklistStore::Options::Synchronous::kOff;
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
        SqliteChecklistStore::Open(dir_.Join("checklist.db"), options);
    ASSERT_TRUE(store.ok()) << store.status();
    real_store_ = *std::move(store);
    store_ = std::make_unique<ObservedStore>(real_store_.get());
    service_ = std::make_unique<LaunchService>(store_.get(), catalog_.get(), calendar_.get(),
                                               &clock_, &hub_);
  }

  std::string CreateLaunch(const std::string& tenant = "acme") {
    NewLaunch request;
    request.tenant = tenant;
    request.display_name = "Shop";
    request.owner = "zhang.wei";
    request.target_launch_date = absl::CivilDay(2026, 12, 15);
    request.profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
    request.profile.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
    absl::StatusOr<LaunchState> state = service_->CreateLaunch(request, "", Actor{"tester"});
    EXPECT_TRUE(state.ok()) << state.status();
    service_->AwaitPublished();
    return state.ok() ? state->launch.id : "";
  }

  // One change, one event: the item's notes.
  void Touch(const std::string& launch_id, const std::string& notes) {
    ItemPatch patch;
    patch.notes = notes;
    absl::Status status =
        service_->UpdateItem(launch_id, "MP_ACCOUNT", patch, std::nullopt, Actor{"tester"})
            .status();
    EXPECT_TRUE(status.ok()) << status;
    service_->AwaitPublished();
  }

  int64_t Head() {
    absl::StatusOr<int64_t> head = store_->LastSequence();
    EXPECT_TRUE(head.ok()) << head.status();
    return head.value_or(0);
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 9, 1, 2, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<TemplateCatalog> catalog_;
  std::unique_ptr<WorkingCalendar> calendar_;
  std::unique_ptr<SqliteChecklistStore> real_store_;
  std::unique_ptr<ObservedStore> store_;
  EventHub hub_;
  std::unique_ptr<LaunchService> service_;
};

TEST_F(EventWatchTest, BacklogThenLiveWithAConcurrentWriterHasNoGapOrDuplicate) {
  const std::string launch = CreateLaunch();
  for (int i = 0; i < 20; ++i) Touch(launch, absl::StrCat("before ", i));
  const int64_t after = 5;

  WatchOptions options;
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
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {}}, WatchOptions{});
  watcher.Start();
  ASSERT_TRUE(watcher.WaitForSequence(head));
  EXPECT_EQ(watcher.received(), Iota(1, head));
  EXPECT_EQ(watcher.started_with(), head);
}

TEST_F(EventWatchTest, TenantFilterSendsOnlyThatTenantsEvents) {
  const std::string acme = CreateLaunch("acme");
  const std::string globex = CreateLaunch("globex");
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {"acme", ""}}, WatchOptions{});
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
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {"", second}}, WatchOptions{});
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
  WatchOptions options;
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
  WatchOptions options;
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
  WatchOptions options;
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
  // Nothing polls: only Close's notification can end the waiting watch.
  WatchOptions options;
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
  WatchOptions options;
  options.page_size = 2;
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {}}, options);
  watcher.before_write = [&](const Event& event) {
    if (event.sequence == 3) hub_.Close();
  };
  watcher.Start();
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  // Event 3 was on its way when the hub closed; the watch ended before event 4.
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable) << *result;
  EXPECT_THAT(result->message(), HasSubstr("resume with after_sequence=3"));
  EXPECT_EQ(watcher.received(), Iota(1, 3));
  EXPECT_EQ(watcher.interrupts(), 1);
}

TEST_F(EventWatchTest, AClientThatGoesAwayEndsWithCancelled) {
  CreateLaunch();
  Watcher watcher(store_.get(), &hub_, WatchRequest{0, {}}, WatchOptions{});
  watcher.fail_writes = true;
  watcher.Start();
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->code(), absl::StatusCode::kCancelled) << *result;
  EXPECT_THAT(result->message(), HasSubstr("resume with after_sequence=0"));
}

// The transport's side of a watch that waits for live events while its last write is still
// outstanding (a client that stopped reading): one wake per wait, and an end that must come now
// does not wait for the write.
TEST_F(EventWatchTest, AWriteOutstandingDoesNotDelayAnEndThatMustComeNow) {
  using Kind = EventWatch::Step::Kind;
  using Wake = EventWatch::Wake;
  const std::string launch = CreateLaunch();
  const int64_t after = Head();
  WatchOptions options;
  options.queue_capacity = 2;
  // The hub calls back on the committing thread: this one.
  std::vector<Wake> wakes;
  absl::StatusOr<std::unique_ptr<EventWatch>> started = EventWatch::Start(
      *store_, hub_, WatchRequest{after, {}}, options, [&](Wake wake) { wakes.push_back(wake); });
  ASSERT_TRUE(started.ok()) << started.status();
  EventWatch& watch = **started;
  EXPECT_EQ(watch.start_sequence(), after);
  ASSERT_EQ(watch.Next().kind, Kind::kRead);
  watch.ReadBacklog();
  ASSERT_EQ(watch.Next().kind, Kind::kWait);  // caught up: live from here

  Touch(launch, "live 1");
  Touch(launch, "live 2");
  EXPECT_THAT(wakes, ::testing::ElementsAre(Wake::kReady));  // once, not per event
  EventWatch::Step step = watch.Next();
  ASSERT_EQ(step.kind, Kind::kWrite);
  EXPECT_EQ(step.event->sequence, after + 1);
  EXPECT_EQ(watch.Next().kind, Kind::kWait);  // one write at a time
  watch.WriteDone(true);
  step = watch.Next();
  ASSERT_EQ(step.kind, Kind::kWrite);
  EXPECT_EQ(step.event->sequence, after + 2);

  // The client reads nothing more; the queue overflows.
  for (int i = 0; i < 3; ++i) Touch(launch, absl::StrCat("unread ", i));
  EXPECT_THAT(wakes, ::testing::ElementsAre(Wake::kReady, Wake::kMustEnd));
  step = watch.Next();
  ASSERT_EQ(step.kind, Kind::kEnd);
  EXPECT_EQ(step.status.code(), absl::StatusCode::kResourceExhausted) << step.status;
  // The outstanding event counts as sent: the status can only reach the client after it.
  EXPECT_THAT(
      step.status.message(),
      HasSubstr(absl::StrCat("sent up to sequence ", after + 2, ", the stream is at ", after + 5,
                             ", 3 behind); resume with after_sequence=", after + 2)));
  watch.WriteDone(true);  // late: changes nothing
  EXPECT_EQ(watch.Next().status, step.status);
}

TEST_F(EventWatchTest, CloseEndsAWatchWhoseBacklogWriteIsOutstanding) {
  using Kind = EventWatch::Step::Kind;
  CreateLaunch();
  int must_end = 0;
  absl::StatusOr<std::unique_ptr<EventWatch>> started = EventWatch::Start(
      *store_, hub_, WatchRequest{0, {}}, WatchOptions{},
      [&](EventWatch::Wake wake) { must_end += wake == EventWatch::Wake::kMustEnd; });
  ASSERT_TRUE(started.ok()) << started.status();
  EventWatch& watch = **started;
  ASSERT_EQ(watch.Next().kind, Kind::kRead);
  watch.ReadBacklog();
  ASSERT_EQ(watch.Next().kind, Kind::kWrite);
  hub_.Close();
  EXPECT_EQ(must_end, 1);
  const EventWatch::Step step = watch.Next();
  ASSERT_EQ(step.kind, Kind::kEnd);
  EXPECT_EQ(step.status.code(), absl::StatusCode::kUnavailable) << step.status;
  EXPECT_THAT(step.status.message(),
              HasSubstr("server shutting down; resume with after_sequence=1"));
}

TEST_F(EventWatchTest, ACancelWithAWriteOutstandingResumesBeforeThatWrite) {
  using Kind = EventWatch::Step::Kind;
  CreateLaunch();
  absl::StatusOr<std::unique_ptr<EventWatch>> started =
      EventWatch::Start(*store_, hub_, WatchRequest{0, {}}, WatchOptions{}, nullptr);
  ASSERT_TRUE(started.ok()) << started.status();
  EventWatch& watch = **started;
  ASSERT_EQ(watch.Next().kind, Kind::kRead);
  watch.ReadBacklog();
  ASSERT_EQ(watch.Next().kind, Kind::kWrite);
  watch.WriteDone(true);
  ASSERT_EQ(watch.Next().kind, Kind::kWrite);
  watch.Cancel();
  const EventWatch::Step step = watch.Next();
  ASSERT_EQ(step.kind, Kind::kEnd);
  EXPECT_EQ(step.status.code(), absl::StatusCode::kCancelled) << step.status;
  // A client that went away did not get the event on its way.
  EXPECT_THAT(step.status.message(), HasSubstr("resume with after_sequence=1"));
}

TEST_F(EventWatchTest, AStoreFailureEndsTheWatchWithWhereToResume) {
  CreateLaunch();
  store_->FailReads(absl::UnavailableError("database is locked"));
  Watcher watcher(store_.get(), &hub_, WatchRequest{3, {}}, WatchOptions{});
  watcher.Start();
  std::optional<absl::Status> result = watcher.WaitForResult();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable) << *result;
  EXPECT_THAT(result->message(), HasSubstr("database is locked; resume with after_sequence=3"));
}

// Starts a watch and, if it starts, ends it as a client that leaves at once.
absl::Status RunOnce(ChecklistStore& store, EventHub& hub, const WatchRequest& request) {
  absl::StatusOr<std::unique_ptr<EventWatch>> watch =
      EventWatch::Start(store, hub, request, WatchOptions{}, nullptr);
  if (!watch.ok()) return watch.status();
  (*watch)->Cancel();
  return (*watch)->Next().status;
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
  LaunchService without_hub(store_.get(), catalog_.get(), calendar_.get(), &clock_);
  EXPECT_EQ(without_hub.StartWatch(WatchRequest{}, WatchOptions{}, nullptr).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(EventWatchTest, LaunchServicePublishesEveryCommit) {
  absl::StatusOr<std::unique_ptr<EventSubscription>> subscription = hub_.Subscribe({});
  ASSERT_TRUE(subscription.ok());
  const std::string launch = CreateLaunch();
  Touch(launch, "a note");
  EventSubscription::Batch batch = (*subscription)->Take();
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
