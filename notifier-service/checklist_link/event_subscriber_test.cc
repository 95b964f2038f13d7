// The subscriber against a real in-process checklist server (LaunchService, SQLite store, event
// hub, ChecklistGrpcService on a loopback port) and against a scripted fake where a test needs
// the server to misbehave.

#include "notifier-service/checklist_link/event_subscriber.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/testing/checklist_server_testing.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "common/clock.h"
#include "common/server_runner.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testing::Iota;
using testing::kPatience;

// Commits each event's effect with its cursor, like the engine; can be told to fail.
class RecordingSink final : public EventSink {
 public:
  explicit RecordingSink(int64_t applied = 0, std::string epoch = "")
      : applied_(applied), epoch_(std::move(epoch)) {}

  absl::StatusOr<int64_t> AppliedSequence() override {
    absl::MutexLock lock(&mu_);
    if (failing_reads_ > 0) {
      --failing_reads_;
      return absl::UnavailableError("database is locked");
    }
    return applied_;
  }

  absl::StatusOr<std::string> LogEpoch() override {
    absl::MutexLock lock(&mu_);
    return epoch_;
  }
  absl::Status SetLogEpoch(const std::string& epoch) override {
    absl::MutexLock lock(&mu_);
    epoch_ = epoch;
    return absl::OkStatus();
  }
  std::string epoch() {
    absl::MutexLock lock(&mu_);
    return epoch_;
  }

  // All or nothing, like the engine's transaction.
  absl::Status ApplyBatch(absl::Span<const ChecklistEvent> events) override {
    absl::MutexLock lock(&mu_);
    for (const ChecklistEvent& event : events) {
      if (event.sequence == fail_at_) {
        fail_at_ = -1;
        return absl::InternalError(absl::StrCat("event ", event.sequence, ": disk full"));
      }
    }
    batches_.push_back(static_cast<int>(events.size()));
    for (const ChecklistEvent& event : events) {
      if (event.sequence <= applied_) ++duplicates_;
      applied_ = event.sequence;
      sequences_.push_back(event.sequence);
    }
    return absl::OkStatus();
  }

  // The next batch holding `sequence` fails (once), committing nothing.
  void FailOnceAt(int64_t sequence) {
    absl::MutexLock lock(&mu_);
    fail_at_ = sequence;
  }
  void FailReads(int count) {
    absl::MutexLock lock(&mu_);
    failing_reads_ = count;
  }
  std::vector<int64_t> sequences() {
    absl::MutexLock lock(&mu_);
    return sequences_;
  }
  int duplicates() {
    absl::MutexLock lock(&mu_);
    return duplicates_;
  }
  // The size of each batch applied, in order.
  std::vector<int> batches() {
    absl::MutexLock lock(&mu_);
    return batches_;
  }

 private:
  absl::Mutex mu_;
  int64_t applied_ ABSL_GUARDED_BY(mu_);
  std::string epoch_ ABSL_GUARDED_BY(mu_);
  int64_t fail_at_ ABSL_GUARDED_BY(mu_) = -1;
  int failing_reads_ ABSL_GUARDED_BY(mu_) = 0;
  int duplicates_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<int64_t> sequences_ ABSL_GUARDED_BY(mu_);
  std::vector<int> batches_ ABSL_GUARDED_BY(mu_);
};

// A running checklist server: its own hub (a closed hub stays closed) over the shared store.
struct ChecklistServer {
  checklist::EventHub hub;
  std::unique_ptr<checklist::LaunchService> service;
  testing::ChecklistTestServer server;
  int port = 0;

  // As the real server shuts down: end the watches, then the server.
  void Stop() {
    hub.Close();
    server.Shutdown(absl::Seconds(5));
  }
};

class EventSubscriberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_data_.Open(testing::ChecklistTestbed::FastStore()));
    store_ = checklist_data_.store();
  }

  void TearDown() override {
    if (subscriber_) subscriber_->Stop();
    if (checklist_) checklist_->Stop();
  }

  // Starts a checklist server on `port` (0: any free one).
  std::unique_ptr<ChecklistServer> StartChecklist(int port = 0) {
    auto server = std::make_unique<ChecklistServer>();
    server->service = checklist_data_.NewService(nullptr, &server->hub);
    testing::ChecklistTestServer::Options options;
    options.port = port;
    const absl::Status started = server->server.Start(server->service.get(), options);
    EXPECT_TRUE(started.ok()) << started;
    if (!started.ok()) return nullptr;
    server->port = server->server.port();
    return server;
  }

  SubscriberOptions Options(int port) {
    SubscriberOptions options;
    options.checklist_address = absl::StrCat("127.0.0.1:", port);
    options.initial_backoff = absl::Milliseconds(5);
    options.max_backoff = absl::Milliseconds(50);
    return options;
  }

  void StartSubscriber(EventSink* sink, SubscriberOptions options) {
    subscriber_ = std::make_unique<EventSubscriber>(sink, std::move(options));
    ASSERT_TRUE(subscriber_->Start().ok());
  }

  // Commits a change through `service` (one event per call after the launch's creation).
  static std::string CreateLaunch(checklist::LaunchService& service) {
    return testing::CreateShopLaunch(service);
  }
  static void Touch(checklist::LaunchService& service, const std::string& launch_id,
                    const std::string& notes) {
    testing::TouchItem(service, launch_id, notes);
  }

  int64_t Head() { return testing::LastSequence(*store_); }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 9, 1, 2, 0, 0), absl::UTCTimeZone())};
  testing::ChecklistTestbed checklist_data_{&clock_};
  checklist::SqliteChecklistStore* store_ = nullptr;
  std::unique_ptr<ChecklistServer> checklist_;
  std::unique_ptr<EventSubscriber> subscriber_;
};

TEST_F(EventSubscriberTest, DeliversEveryEventOnceInOrder) {
  checklist_ = StartChecklist();
  ASSERT_NE(checklist_, nullptr);
  const std::string launch = CreateLaunch(*checklist_->service);
  RecordingSink sink;
  StartSubscriber(&sink, Options(checklist_->port));
  ASSERT_TRUE(subscriber_->WaitForSequence(Head(), kPatience));
  for (int i = 0; i < 50; ++i) Touch(*checklist_->service, launch, absl::StrCat("live ", i));
  const int64_t head = Head();
  ASSERT_TRUE(subscriber_->WaitForSequence(head, kPatience));

  EXPECT_EQ(sink.sequences(), Iota(1, head));
  EXPECT_EQ(sink.duplicates(), 0);
  const SubscriberStatus status = subscriber_->Status();
  EXPECT_TRUE(status.connected);
  EXPECT_EQ(status.applied_sequence, head);
  EXPECT_EQ(status.last_event_time, clock_.Now());
  EXPECT_EQ(status.reconnects, 0);
  EXPECT_EQ(status.last_error, "");
}

TEST_F(EventSubscriberTest, ASinkFailureRetriesFromTheCommittedCursorWithoutDuplicates) {
  checklist_ = StartChecklist();
  ASSERT_NE(checklist_, nullptr);
  CreateLaunch(*checklist_->service);
  const int64_t head = Head();
  ASSERT_GT(head, 5);
  RecordingSink sink;
  sink.FailOnceAt(5);
  StartSubscriber(&sink, Options(checklist_->port));
  ASSERT_TRUE(subscriber_->WaitForSequence(head, kPatience));

  EXPECT_EQ(sink.sequences(), Iota(1, head));
  EXPECT_EQ(sink.duplicates(), 0);
  const SubscriberStatus status = subscriber_->Status();
  EXPECT_EQ(status.reconnects, 1);
  // The backlog came as one batch, which failed whole and was applied whole on the next stream.
  EXPECT_THAT(status.last_error,
              HasSubstr(absl::StrCat("applying events 1 to ", head, ": event 5: disk full")));
}

TEST_F(EventSubscriberTest, AppliesABacklogInBatchesAndLiveEventsOneByOne) {
  checklist_ = StartChecklist();
  ASSERT_NE(checklist_, nullptr);
  const std::string launch = CreateLaunch(*checklist_->service);
  for (int i = 0; i < 40; ++i) Touch(*checklist_->service, launch, absl::StrCat("old ", i));
  const int64_t backlog = Head();
  ASSERT_GT(backlog, 2 * 16);
  RecordingSink sink;
  SubscriberOptions options = Options(checklist_->port);
  options.max_batch = 16;
  StartSubscriber(&sink, options);
  ASSERT_TRUE(subscriber_->WaitForSequence(backlog, kPatience));
  for (int i = 0; i < 3; ++i) {
    Touch(*checklist_->service, launch, absl::StrCat("live ", i));
    ASSERT_TRUE(subscriber_->WaitForSequence(backlog + i + 1, kPatience));
  }

  std::vector<int> expected(backlog / 16, 16);
  if (backlog % 16 != 0) expected.push_back(static_cast<int>(backlog % 16));
  expected.insert(expected.end(), {1, 1, 1});
  EXPECT_EQ(sink.batches(), expected);
  EXPECT_EQ(sink.sequences(), Iota(1, backlog + 3));
  EXPECT_EQ(sink.duplicates(), 0);
}

TEST_F(EventSubscriberTest, AFailedCursorReadIsRetried) {
  checklist_ = StartChecklist();
  ASSERT_NE(checklist_, nullptr);
  CreateLaunch(*checklist_->service);
  RecordingSink sink;
  sink.FailReads(2);
  StartSubscriber(&sink, Options(checklist_->port));
  ASSERT_TRUE(subscriber_->WaitForSequence(Head(), kPatience));
  EXPECT_EQ(sink.sequences(), Iota(1, Head()));
  EXPECT_EQ(subscriber_->Status().reconnects, 2);
  EXPECT_THAT(subscriber_->Status().last_error,
              HasSubstr("reading the applied sequence: database is locked"));
}

TEST_F(EventSubscriberTest, CatchesUpAfterTheChecklistRestartsWithNothingLostOrRepeated) {
  checklist_ = StartChecklist();
  ASSERT_NE(checklist_, nullptr);
  const int port = checklist_->port;
  const std::string launch = CreateLaunch(*checklist_->service);
  RecordingSink sink;
  StartSubscriber(&sink, Options(port));
  ASSERT_TRUE(subscriber_->WaitForSequence(Head(), kPatience));

  // The checklist goes down; the subscriber notices and keeps trying.
  checklist_->Stop();
  ASSERT_TRUE(subscriber_->WaitForStatus(
      [](const SubscriberStatus& s) { return !s.connected && s.reconnects >= 2; }, kPatience));
  EXPECT_THAT(subscriber_->Status().last_error, HasSubstr("UNAVAILABLE"));
  // Changes keep committing while it is down (another process, same database).
  {
    std::unique_ptr<checklist::LaunchService> offline = checklist_data_.NewService();
    for (int i = 0; i < 20; ++i) Touch(*offline, launch, absl::StrCat("while down ", i));
    CreateLaunch(*offline);
  }
  // It comes back on the same port.
  checklist_ = StartChecklist(port);
  ASSERT_NE(checklist_, nullptr);
  Touch(*checklist_->service, launch, "after restart");
  const int64_t head = Head();
  ASSERT_TRUE(subscriber_->WaitForSequence(head, kPatience));

  EXPECT_EQ(sink.sequences(), Iota(1, head));
  EXPECT_EQ(sink.duplicates(), 0);
  EXPECT_TRUE(subscriber_->Status().connected);
}

TEST_F(EventSubscriberTest, StopIsPromptWhileBackingOff) {
  // Nothing listens on the port of a server that has gone.
  checklist_ = StartChecklist();
  ASSERT_NE(checklist_, nullptr);
  const int port = checklist_->port;
  checklist_->Stop();
  checklist_.reset();

  RecordingSink sink;
  SubscriberOptions options = Options(port);
  options.initial_backoff = absl::Hours(1);
  options.max_backoff = absl::Hours(1);
  options.random = [] { return 0.99; };
  StartSubscriber(&sink, options);
  ASSERT_TRUE(subscriber_->WaitForStatus(
      [](const SubscriberStatus& s) { return !s.last_error.empty(); }, kPatience));
  const absl::Time start = absl::Now();
  subscriber_->Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(subscriber_->Status().reconnects, 0);
}

TEST_F(EventSubscriberTest, StopIsPromptOnAnIdleStream) {
  checklist_ = StartChecklist();
  ASSERT_NE(checklist_, nullptr);
  RecordingSink sink;
  StartSubscriber(&sink, Options(checklist_->port));
  ASSERT_TRUE(
      subscriber_->WaitForStatus([](const SubscriberStatus& s) { return s.connected; }, kPatience));
  const absl::Time start = absl::Now();
  subscriber_->Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_FALSE(subscriber_->Status().connected);
  subscriber_->Stop();  // idempotent
}

TEST_F(EventSubscriberTest, StartChecksItsArguments) {
  RecordingSink sink;
  EventSubscriber no_address(&sink, SubscriberOptions{});
  EXPECT_EQ(no_address.Start().code(), absl::StatusCode::kInvalidArgument);
  EventSubscriber no_sink(nullptr, Options(1));
  EXPECT_EQ(no_sink.Start().code(), absl::StatusCode::kInvalidArgument);
  SubscriberOptions no_batch = Options(1);
  no_batch.max_batch = 0;
  EXPECT_EQ(EventSubscriber(&sink, no_batch).Start().code(), absl::StatusCode::kInvalidArgument);

  SubscriberOptions options = Options(1);
  options.initial_backoff = absl::Hours(1);
  EventSubscriber twice(&sink, options);
  EXPECT_TRUE(twice.Start().ok());
  EXPECT_EQ(twice.Start().code(), absl::StatusCode::kFailedPrecondition);
  twice.Stop();
}

// Replays history regardless of after_sequence and then ends the stream, recording requests.
class ReplayingChecklist final : public v1::ChecklistService::Service {
 public:
  grpc::Status WatchEvents(grpc::ServerContext* context, const v1::WatchEventsRequest* request,
                           grpc::ServerWriter<v1::Event>* writer) override {
    {
      absl::MutexLock lock(&mu_);
      after_sequences_.push_back(request->after_sequence());
      auto it = context->client_metadata().find("authorization");
      tokens_.push_back(it == context->client_metadata().end()
                            ? ""
                            : std::string(it->second.data(), it->second.size()));
    }
    context->AddInitialMetadata("x-preflight-last-sequence", "3");
    for (int64_t sequence = 1; sequence <= 3; ++sequence) {
      v1::Event event;
      event.set_sequence(sequence);
      writer->Write(event);
    }
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "replayed everything");
  }

  bool WaitForCalls(size_t count) {
    absl::MutexLock lock(&mu_);
    const auto reached = [&] { return after_sequences_.size() >= count; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), kPatience);
  }
  std::vector<int64_t> after_sequences() {
    absl::MutexLock lock(&mu_);
    return after_sequences_;
  }
  std::vector<std::string> tokens() {
    absl::MutexLock lock(&mu_);
    return tokens_;
  }

 private:
  absl::Mutex mu_;
  std::vector<int64_t> after_sequences_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> tokens_ ABSL_GUARDED_BY(mu_);
};

TEST_F(EventSubscriberTest, SkipsWhatTheSinkAlreadyHasAndSendsItsMetadata) {
  ReplayingChecklist fake;
  absl::StatusOr<StartedServer> started =
      StartServer(ServerOptions{"127.0.0.1:0", "fake", absl::Seconds(5), {}}, {&fake});
  ASSERT_TRUE(started.ok()) << started.status();

  RecordingSink sink(/*applied=*/2);
  SubscriberOptions options = Options(started->port);
  options.metadata = {{"authorization", "Bearer test-token"}};
  StartSubscriber(&sink, options);
  ASSERT_TRUE(fake.WaitForCalls(3));
  subscriber_->Stop();
  started->server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));

  EXPECT_EQ(sink.sequences(), std::vector<int64_t>{3});
  EXPECT_EQ(sink.duplicates(), 0);
  const std::vector<int64_t> after = fake.after_sequences();
  ASSERT_GE(after.size(), 3u);
  EXPECT_EQ(after[0], 2);
  EXPECT_EQ(after[1], 3);
  EXPECT_EQ(after[2], 3);
  for (const std::string& token : fake.tokens()) EXPECT_EQ(token, "Bearer test-token");
  EXPECT_THAT(subscriber_->Status().last_error, HasSubstr("replayed everything"));
}

}  // namespace
}  // namespace preflight::notifier
