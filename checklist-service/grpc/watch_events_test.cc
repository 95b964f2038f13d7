// WatchEvents over a real loopback gRPC server: the service, domain, hub and SQLite store, called
// through a real channel.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/testing/checklist_server_testing.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "common/api/metadata_keys.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;
using testing::Iota;
using testing::kPatience;
using testing::ObservedChecklistStore;

// One client-side watch: the call, and a reader thread that records what arrives.
class ClientWatch {
 public:
  ClientWatch(v1::ChecklistService::Stub* stub, v1::WatchEventsRequest request) {
    reader_ = stub->WatchEvents(&context_, request);
  }
  ~ClientWatch() {
    context_.TryCancel();
    Join();
  }

  // Reads on a thread until the stream ends.
  void StartReading() {
    thread_ = std::thread([this] {
      v1::Event event;
      while (reader_->Read(&event)) Record(event);
      Finish();
    });
  }
  // Reads `count` events on the calling thread, then stops reading (a stalled client).
  bool ReadSome(int count) {
    v1::Event event;
    for (int i = 0; i < count; ++i) {
      if (!reader_->Read(&event)) return false;
      Record(event);
    }
    return true;
  }
  // Reads the rest of the stream on the calling thread and returns its status.
  grpc::Status ReadToEnd() {
    v1::Event event;
    while (reader_->Read(&event)) Record(event);
    Finish();
    return status();
  }

  bool WaitForSequence(int64_t sequence) {
    absl::MutexLock lock(&mu_);
    const auto reached = [&] { return !sequences_.empty() && sequences_.back() >= sequence; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), kPatience);
  }
  // Waits for the stream's end and returns its status.
  grpc::Status WaitForEnd() {
    absl::MutexLock lock(&mu_);
    const auto ended = [&] { return finished_; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&ended), kPatience)) {
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the stream did not end in time");
    }
    return status_;
  }

  // The x-preflight-last-sequence header, once the server accepted the watch. Call before
  // reading anything.
  int64_t LastSequenceHeader() {
    reader_->WaitForInitialMetadata();
    const auto& metadata = context_.GetServerInitialMetadata();
    auto it = metadata.find(api::kLastSequenceMetadataKey);
    int64_t value = -1;
    if (it != metadata.end()) {
      EXPECT_TRUE(
          absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &value));
    }
    return value;
  }

  void Cancel() { context_.TryCancel(); }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  std::vector<int64_t> sequences() {
    absl::MutexLock lock(&mu_);
    return sequences_;
  }
  std::vector<v1::Event> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  grpc::Status status() {
    absl::MutexLock lock(&mu_);
    return status_;
  }

 private:
  void Record(const v1::Event& event) {
    absl::MutexLock lock(&mu_);
    sequences_.push_back(event.sequence());
    events_.push_back(event);
  }
  void Finish() {
    grpc::Status status = reader_->Finish();
    absl::MutexLock lock(&mu_);
    status_ = status;
    finished_ = true;
  }

  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::Event>> reader_;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<int64_t> sequences_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::Event> events_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

class WatchEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open(testing::ChecklistTestbed::FastStore()));
    real_store_ = checklist_.store();
    store_ = std::make_unique<ObservedChecklistStore>(real_store_);
    service_ = checklist_.NewService(store_.get(), &hub_);
  }

  void StartServer(WatchOptions watch_options = {},
                   absl::Duration stalled_write_grace = absl::Milliseconds(500)) {
    ASSERT_OK(server_.Start(service_.get(), {/*port=*/0, watch_options, stalled_write_grace}));
    stub_ = server_.NewStub();
  }

  void TearDown() override {
    // As the real server does: end open streams, then shut down.
    hub_.Close();
    server_.Shutdown(absl::Seconds(5));
  }

  std::string CreateLaunch(const std::string& tenant = "acme") {
    return testing::CreateShopLaunch(*service_, tenant);
  }

  void Touch(const std::string& launch_id, const std::string& notes) {
    testing::TouchItem(*service_, launch_id, notes);
  }

  int64_t Head() { return testing::LastSequence(*store_); }

  // A client that grants the server only a small flow-control window, so that the server's
  // writes block soon when it stops reading.
  std::unique_ptr<v1::ChecklistService::Stub> SmallWindowStub() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 16 * 1024);
    return v1::ChecklistService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", server_.port()), grpc::InsecureChannelCredentials(), args));
  }

  static v1::WatchEventsRequest Request(int64_t after, const std::string& tenant = "",
                                        const std::string& launch = "") {
    v1::WatchEventsRequest request;
    request.set_after_sequence(after);
    request.set_tenant(tenant);
    request.set_launch(launch);
    return request;
  }

  // The status of a watch that the server refuses at once.
  grpc::Status Refused(const v1::WatchEventsRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    std::unique_ptr<grpc::ClientReader<v1::Event>> reader = stub_->WatchEvents(&context, request);
    v1::Event event;
    while (reader->Read(&event)) {
    }
    return reader->Finish();
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 9, 1, 2, 0, 0), absl::UTCTimeZone())};
  testing::ChecklistTestbed checklist_{&clock_};
  SqliteChecklistStore* real_store_ = nullptr;
  std::unique_ptr<ObservedChecklistStore> store_;
  EventHub hub_;
  std::unique_ptr<LaunchService> service_;
  testing::ChecklistTestServer server_;
  std::unique_ptr<v1::ChecklistService::Stub> stub_;
};

TEST_F(WatchEventsTest, BacklogThenLiveWithAConcurrentWriterArrivesInOrderOnce) {
  WatchOptions options;
  options.page_size = 16;
  StartServer(options);
  const std::string launch = CreateLaunch();
  for (int i = 0; i < 30; ++i) Touch(launch, absl::StrCat("before ", i));
  const int64_t after = 7;

  ClientWatch watch(stub_.get(), Request(after));
  std::thread writer([&] {
    for (int i = 0; i < 300; ++i) Touch(launch, absl::StrCat("during ", i));
  });
  EXPECT_GE(watch.LastSequenceHeader(), after);
  watch.StartReading();
  writer.join();
  const int64_t head = Head();
  ASSERT_TRUE(watch.WaitForSequence(head));
  EXPECT_EQ(watch.sequences(), Iota(after + 1, head));

  // The events carry the mapped fields.
  const std::vector<v1::Event> events = watch.events();
  const v1::Event& last = events.back();
  EXPECT_EQ(last.type(), v1::Event::TYPE_ITEM_UPDATED);
  EXPECT_EQ(last.tenant(), "acme");
  EXPECT_EQ(last.launch(), absl::StrCat("launches/", launch));
  EXPECT_EQ(last.item_code(), "MP_ACCOUNT");
  EXPECT_EQ(last.item_snapshot().notes(), "during 299");

  watch.Cancel();
  EXPECT_EQ(watch.WaitForEnd().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(WatchEventsTest, FiltersByTenantAndByLaunch) {
  StartServer();
  const std::string acme = CreateLaunch("acme");
  const std::string globex = CreateLaunch("globex");
  ClientWatch by_tenant(stub_.get(), Request(0, "globex"));
  ClientWatch by_launch(stub_.get(), Request(0, "", absl::StrCat("launches/", acme)));
  by_tenant.StartReading();
  by_launch.StartReading();
  Touch(acme, "acme live");
  Touch(globex, "globex live");
  const int64_t head = Head();
  ASSERT_TRUE(by_tenant.WaitForSequence(head));
  ASSERT_TRUE(by_launch.WaitForSequence(head - 1));

  absl::StatusOr<std::vector<Event>> all = real_store_->ReadEvents(0, 10000);
  ASSERT_TRUE(all.ok());
  std::vector<int64_t> globex_sequences;
  std::vector<int64_t> acme_sequences;
  for (const Event& event : *all) {
    (event.launch_id == acme ? acme_sequences : globex_sequences).push_back(event.sequence);
  }
  EXPECT_EQ(by_tenant.sequences(), globex_sequences);
  EXPECT_EQ(by_launch.sequences(), acme_sequences);
  for (const v1::Event& event : by_tenant.events()) EXPECT_EQ(event.tenant(), "globex");
  for (const v1::Event& event : by_launch.events()) {
    EXPECT_EQ(event.launch(), absl::StrCat("launches/", acme));
  }
}

TEST_F(WatchEventsTest, AWatcherThatStopsReadingIsCutOffWithWhereToResume) {
  WatchOptions options;
  options.queue_capacity = 3;
  StartServer(options);
  const std::string launch = CreateLaunch();
  const int64_t after = Head();
  ClientWatch watch(stub_.get(), Request(after));
  ASSERT_EQ(watch.LastSequenceHeader(), after);
  ASSERT_TRUE(store_->WaitForShortReads(1));
  Touch(launch, "live");
  ASSERT_TRUE(watch.ReadSome(1));
  // The client reads nothing more while a burst larger than its queue commits: a profile change
  // re-evaluates the items in one commit.
  LaunchPatch patch;
  patch.takes_payments = true;
  patch.service_categories = std::vector<std::string>{"ecommerce"};
  ASSERT_TRUE(service_->UpdateLaunch(launch, patch, std::nullopt, Actor{"tester"}).ok());
  ASSERT_GT(Head() - (after + 1), 3);

  const grpc::Status status = watch.ReadToEnd();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_THAT(status.error_message(),
              HasSubstr(absl::StrCat("resume with after_sequence=", after + 1)));
  EXPECT_THAT(status.error_message(), HasSubstr("fell too far behind"));
  EXPECT_EQ(watch.sequences(), Iota(after + 1, after + 1));

  // Resuming from there gets the rest.
  ClientWatch resumed(stub_.get(), Request(after + 1));
  resumed.StartReading();
  ASSERT_TRUE(resumed.WaitForSequence(Head()));
  EXPECT_EQ(resumed.sequences(), Iota(after + 2, Head()));
}

TEST_F(WatchEventsTest, CloseEndsOpenStreamsAtOnceWithUnavailable) {
  StartServer();
  CreateLaunch();
  const int64_t head = Head();
  ClientWatch first(stub_.get(), Request(0));
  ClientWatch second(stub_.get(), Request(head));
  ASSERT_EQ(second.LastSequenceHeader(), head);
  first.StartReading();
  second.StartReading();
  ASSERT_TRUE(first.WaitForSequence(head));

  const absl::Time start = absl::Now();
  hub_.Close();
  const grpc::Status first_status = first.WaitForEnd();
  const grpc::Status second_status = second.WaitForEnd();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(first_status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(first_status.error_message(),
              HasSubstr(absl::StrCat("server shutting down; resume with after_sequence=", head)));
  EXPECT_EQ(second_status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(second_status.error_message(),
              HasSubstr(absl::StrCat("resume with after_sequence=", head)));
  // A new watch is refused the same way.
  EXPECT_EQ(Refused(Request(0)).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(WatchEventsTest, AServerWithAnOpenWatchShutsDownWellWithinItsGrace) {
  StartServer();
  CreateLaunch();
  ClientWatch watch(stub_.get(), Request(0));
  watch.StartReading();
  ASSERT_TRUE(watch.WaitForSequence(Head()));

  const absl::Time start = absl::Now();
  hub_.Close();
  server_.Shutdown(absl::Seconds(5));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(watch.WaitForEnd().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(WatchEventsTest, AStalledClientDoesNotHoldUpShutdown) {
  StartServer();
  // More history than the client's flow-control window holds: the server's write blocks.
  for (int i = 0; i < 10; ++i) CreateLaunch();
  std::unique_ptr<v1::ChecklistService::Stub> stub = SmallWindowStub();
  ClientWatch watch(stub.get(), Request(0));
  ASSERT_TRUE(watch.ReadSome(1));  // then it reads nothing more

  const absl::Time start = absl::Now();
  hub_.Close();
  server_.Shutdown(absl::Seconds(5));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  const grpc::Status status = watch.ReadToEnd();
  EXPECT_FALSE(status.ok());
  EXPECT_LT(watch.sequences().size(), static_cast<size_t>(Head()));
}

TEST_F(WatchEventsTest, AWatcherBlockedOnAStalledClientIsCancelledWhenItOverflows) {
  WatchOptions options;
  options.queue_capacity = 32;
  StartServer(options, /*stalled_write_grace=*/absl::Milliseconds(20));
  const std::string launch = CreateLaunch();
  std::unique_ptr<v1::ChecklistService::Stub> stub = SmallWindowStub();
  ClientWatch watch(stub.get(), Request(Head()));
  ASSERT_EQ(watch.LastSequenceHeader(), Head());
  ASSERT_EQ(hub_.subscriber_count(), 1u);
  // The client reads nothing. Its window fills, the server's write stays outstanding, the queue
  // fills and overflows: the stream is finished at once, and since its write is still stuck after
  // the grace the call is cancelled, which releases the watcher's subscription.
  int touches = 0;
  for (; touches < 2000 && hub_.subscriber_count() > 0; ++touches) {
    Touch(launch, absl::StrCat("unread ", touches));
  }
  EXPECT_EQ(hub_.subscriber_count(), 0u) << "the watcher is still blocked after " << touches;
  const grpc::Status status = watch.ReadToEnd();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED) << status.error_message();
  EXPECT_LT(watch.sequences().size(), static_cast<size_t>(touches));
  EXPECT_GT(touches, 32);
}

TEST_F(WatchEventsTest, AStalledClientThatReadsAgainInTimeGetsTheStreamsOwnStatus) {
  WatchOptions options;
  options.queue_capacity = 32;
  StartServer(options, /*stalled_write_grace=*/kPatience);
  const std::string launch = CreateLaunch();
  const int64_t after = Head();
  std::unique_ptr<v1::ChecklistService::Stub> stub = SmallWindowStub();
  ClientWatch watch(stub.get(), Request(after));
  ASSERT_EQ(watch.LastSequenceHeader(), after);
  // Far more than the client's window and the queue hold: the queue overflows while the server's
  // write is stuck, and the stream is finished behind that write.
  constexpr int kTouches = 300;
  for (int i = 0; i < kTouches; ++i) Touch(launch, absl::StrCat("unread ", i));

  // The client reads again well within the grace: it gets every event that was on its way, then
  // the status, which names the last of them as where to resume.
  const grpc::Status status = watch.ReadToEnd();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  const std::vector<int64_t> received = watch.sequences();
  ASSERT_FALSE(received.empty());
  EXPECT_LT(received.size(), static_cast<size_t>(kTouches));
  EXPECT_EQ(received, Iota(after + 1, received.back()));
  EXPECT_THAT(status.error_message(),
              HasSubstr(absl::StrCat("resume with after_sequence=", received.back())));
}

TEST_F(WatchEventsTest, RejectsBadRequests) {
  StartServer();
  CreateLaunch();
  grpc::Status status = Refused(Request(-1));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("after_sequence"));

  status = Refused(Request(0, "", "projects/x"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("launch"));

  status = Refused(Request(0, "Acme Corp"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("tenant"));

  status = Refused(Request(0, "", "launches/no-such-launch"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();

  status = Refused(Request(Head() + 10));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE) << status.error_message();
}

}  // namespace
}  // namespace preflight::checklist
