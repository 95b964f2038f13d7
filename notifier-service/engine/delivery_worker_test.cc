// The delivery worker's timing (issue 9), with a fake clock that the channel itself moves
// forward, as a slow receiver would: the ledger records when each request went out, not when the
// pass began, and a Retry-After counts from the answer and holds every delivery queued for that
// endpoint, not only the one that got the 429.

#include "notifier-service/engine/delivery_worker.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/working_calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/storage/sqlite_notifier_store.h"
#include "notifier-service/testing/notifier_engine_testing.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::SizeIs;

absl::Time Shanghai(int y, int m, int d, int hh, int mm) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), zone);
}

// A webhook receiver that takes `latency` to answer (moving the fake clock), answering each
// target from its script and "200" once the script is used up.
class SlowReceiver final : public Channel {
 public:
  SlowReceiver(FakeClock* clock, absl::Duration latency) : clock_(clock), latency_(latency) {}

  struct Call {
    std::string target;
    std::string key;
    absl::Time sent;
    absl::Time answered;
  };

  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override {
    Call call{endpoint.target, message.idempotency_key, clock_->Now(), absl::InfinitePast()};
    clock_->AdvanceTime(latency_);
    call.answered = clock_->Now();
    calls.push_back(call);
    SendResult result;
    result.kind = SendResult::Kind::kDelivered;
    result.http_status = 200;
    std::deque<SendResult>& script = scripts[endpoint.target];
    if (!script.empty()) {
      result = script.front();
      script.pop_front();
    }
    return result;
  }
  size_t MaxTextBytes() const override { return 4096; }
  bool IdempotentResend() const override { return true; }

  static SendResult TooManyRequests(absl::Duration retry_after) {
    SendResult result;
    result.kind = SendResult::Kind::kRetryable;
    result.http_status = 429;
    result.provider_answer = "HTTP 429: slow down";
    result.retry_after = retry_after;
    return result;
  }

  std::map<std::string, std::deque<SendResult>> scripts;
  std::vector<Call> calls;

 private:
  FakeClock* const clock_;
  const absl::Duration latency_;
};

// What the worker reports to the metrics.
class RecordingObserver final : public DeliveryObserver {
 public:
  void OnAttempt(ChannelType channel, absl::string_view outcome, absl::Duration latency) override {
    attempts.push_back(
        absl::StrCat(ChannelTypeName(channel), " ", outcome, " ", absl::FormatDuration(latency)));
  }
  void OnBudgetWait(ChannelType channel, int deliveries) override { budget_waits += deliveries; }
  void OnOutcomeUnknown(ChannelType channel, int deliveries) override {
    outcome_unknown += deliveries;
  }
  std::vector<std::string> attempts;
  int budget_waits = 0;
  int outcome_unknown = 0;
};

constexpr char kThrottled[] = "https://hooks.example/li";
constexpr char kOther[] = "https://hooks.example/other";

class DeliveryWorkerTimingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto receiver = std::make_unique<SlowReceiver>(&clock_, absl::Milliseconds(1500));
    receiver_ = receiver.get();
    notifier_.channels()[ChannelType::kWebhook] = std::move(receiver);
    testing::NotifierTestbed::Options options;
    options.store_on_test_clock = false;
    // Retry-After, not the backoff, decides when a throttled delivery is tried again.
    options.engine.engine.retry_initial_backoff = absl::Milliseconds(1);
    options.engine.engine.retry_max_backoff = absl::Milliseconds(1);
    options.engine.observer = &observer_;
    ASSERT_OK(notifier_.Open(options));
    engine_ = notifier_.engine();
    store_ = notifier_.store();
  }

  // A recipient on one webhook, subscribed to `subscriptions`.
  void Recipient(const std::string& id, const std::string& target,
                 std::vector<std::string> subscriptions = {}) {
    notifier::Recipient recipient;
    recipient.id = id;
    recipient.channels = {RecipientChannel{ChannelType::kWebhook, target, ""}};
    recipient.subscriptions = std::move(subscriptions);
    absl::StatusOr<notifier::Recipient> created = engine_->CreateRecipient(recipient);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  void Launch() { ASSERT_OK(notifier_.Apply(testing::LaunchEvent(++sequence_, "l1"))); }

  // An item of l1 assigned to li.na whose first start reminder is due at 09:30 on 17 September.
  void Item(const std::string& code) {
    testing::ItemSpec item;
    item.code = code;
    item.title_en = code;
    item.title_zh = "";
    ASSERT_OK(notifier_.Apply(testing::ItemEvent(++sequence_, "l1", item)));
  }

  std::vector<Delivery> Deliveries() {
    absl::StatusOr<std::vector<Delivery>> all = store_->ListDeliveries({}, 0, 1000);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? *all : std::vector<Delivery>{};
  }

  FakeClock clock_{Shanghai(2026, 9, 17, 10, 0)};
  RecordingObserver observer_;
  testing::NotifierTestbed notifier_{&clock_};
  SlowReceiver* receiver_ = nullptr;
  SqliteNotifierStore* store_ = nullptr;
  NotifierEngine* engine_ = nullptr;
  int64_t sequence_ = 0;
};

TEST_F(DeliveryWorkerTimingTest, TheLedgerRecordsWhenEachRequestWasSent) {
  Recipient("li.na", kThrottled);
  Launch();
  Item("A");
  Item("B");
  Item("C");
  const absl::Time pass = clock_.Now();
  ASSERT_TRUE(engine_->RunOnce().ok());
  // One endpoint, one message at a time: each waited for the one before.
  ASSERT_THAT(receiver_->calls, SizeIs(3));
  EXPECT_EQ(receiver_->calls[0].sent, pass);
  EXPECT_EQ(receiver_->calls[2].sent, pass + absl::Seconds(3));
  std::map<std::string, absl::Time> sent_at;
  for (const SlowReceiver::Call& call : receiver_->calls) sent_at[call.key] = call.sent;
  for (const Delivery& delivery : Deliveries()) {
    ASSERT_THAT(delivery.history, SizeIs(1)) << delivery.dedup_key;
    EXPECT_EQ(delivery.history[0].outcome, "delivered");
    EXPECT_EQ(delivery.history[0].time, sent_at[delivery.dedup_key]) << delivery.dedup_key;
  }
}

TEST_F(DeliveryWorkerTimingTest, RetryAfterCountsFromTheAnswerAndHoldsTheWholeEndpoint) {
  Recipient("li.na", kThrottled);
  Recipient("ops", kOther, {"tenants/acme"});
  Launch();
  Item("A");
  Item("B");
  receiver_->scripts[kThrottled].push_back(SlowReceiver::TooManyRequests(absl::Seconds(2)));

  ASSERT_TRUE(engine_->RunOnce().ok());
  // The first request to the throttled endpoint got the 429; the other endpoint was not held up.
  ASSERT_FALSE(receiver_->calls.empty());
  const SlowReceiver::Call throttled = receiver_->calls[0];
  ASSERT_EQ(throttled.target, kThrottled);
  const absl::Time allowed = throttled.answered + absl::Seconds(2);
  int other_sends = 0;
  for (const SlowReceiver::Call& call : receiver_->calls) other_sends += call.target == kOther;
  EXPECT_EQ(other_sends, 2);

  // The 429's ledger entry: sent at its send time, retried no earlier than Retry-After after
  // the answer.
  for (const Delivery& delivery : Deliveries()) {
    if (delivery.dedup_key != throttled.key) continue;
    ASSERT_THAT(delivery.history, SizeIs(1));
    EXPECT_EQ(delivery.history[0].time, throttled.sent);
    EXPECT_EQ(delivery.history[0].http_status, 429);
    EXPECT_GE(delivery.next_attempt_time, allowed);
  }

  // A delivery decided for the same endpoint while it is throttled waits as well.
  Item("C");
  const absl::Time until = clock_.Now() + absl::Seconds(10);
  while (clock_.Now() < until) {
    ASSERT_TRUE(engine_->RunOnce().ok());
    clock_.AdvanceTime(absl::Milliseconds(100));
  }
  int throttled_sends = 0;
  for (size_t i = 1; i < receiver_->calls.size(); ++i) {
    const SlowReceiver::Call& call = receiver_->calls[i];
    if (call.target != kThrottled) continue;
    ++throttled_sends;
    EXPECT_GE(call.sent, allowed) << call.key << " went out "
                                  << absl::FormatDuration(allowed - call.sent) << " early";
  }
  // A (again), B and C all reached the throttled endpoint in the end.
  EXPECT_EQ(throttled_sends, 3);
  for (const Delivery& delivery : Deliveries()) {
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered) << delivery.dedup_key;
  }
}

TEST_F(DeliveryWorkerTimingTest, EveryAttemptIsReportedWithItsOutcomeAndChannelLatency) {
  Recipient("li.na", kThrottled);
  Launch();
  Item("A");
  receiver_->scripts[kThrottled].push_back(SlowReceiver::TooManyRequests(absl::Seconds(1)));
  ASSERT_TRUE(engine_->RunOnce().ok());
  clock_.AdvanceTime(absl::Seconds(2));
  ASSERT_TRUE(engine_->RunOnce().ok());
  EXPECT_THAT(observer_.attempts,
              ::testing::ElementsAre("webhook retry 1.5s", "webhook delivered 1.5s"));
  EXPECT_EQ(observer_.outcome_unknown, 0);
}

// A webhook receiver whose Send blocks until the test opens the gate, counting how many requests
// are in flight at once.
class GatedReceiver final : public Channel {
 public:
  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    mu_.Await(absl::Condition(&open_));
    --in_flight_;
    ++answered_;
    SendResult result;
    result.kind = SendResult::Kind::kDelivered;
    result.http_status = 200;
    return result;
  }
  size_t MaxTextBytes() const override { return 4096; }
  bool IdempotentResend() const override { return true; }

  // Whether `count` requests were in flight at once within a generous real-time deadline (the
  // deadline only guards against a hang; nothing waits for time to pass).
  bool AwaitInFlight(int count) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, count]()
                       ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ >= count; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), absl::Seconds(30));
  }
  bool AwaitAnswered(int count) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, count]()
                       ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return answered_ >= count; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), absl::Seconds(30));
  }
  void Open() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }
  int max_in_flight() {
    absl::MutexLock lock(&mu_);
    return max_in_flight_;
  }

 private:
  absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int max_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int answered_ ABSL_GUARDED_BY(mu_) = 0;
};

// The engine with send threads, as in production.
class ThreadedDeliveryTest : public ::testing::Test {
 protected:
  absl::Status Open(notifier::NotifierEngineOptions engine) {
    auto receiver = std::make_unique<GatedReceiver>();
    receiver_ = receiver.get();
    notifier_.channels()[ChannelType::kWebhook] = std::move(receiver);
    testing::NotifierTestbed::Options options;
    options.engine = engine;
    absl::Status opened = notifier_.Open(options);
    if (!opened.ok()) return opened;
    notifier::Recipient recipient;
    recipient.id = "li.na";
    recipient.channels = {RecipientChannel{ChannelType::kWebhook, kThrottled, ""}};
    absl::StatusOr<notifier::Recipient> created = notifier_.engine()->CreateRecipient(recipient);
    if (!created.ok()) return created.status();
    return notifier_.Apply(testing::LaunchEvent(++sequence_, "l1"));
  }

  // An item of l1 assigned to li.na whose first start reminder is due now.
  absl::Status Item(const std::string& code) {
    testing::ItemSpec item;
    item.code = code;
    item.title_en = code;
    item.title_zh = "";
    return notifier_.Apply(testing::ItemEvent(++sequence_, "l1", item));
  }

  FakeClock clock_{Shanghai(2026, 9, 17, 10, 0)};
  testing::NotifierTestbed notifier_{&clock_};
  GatedReceiver* receiver_ = nullptr;
  int64_t sequence_ = 0;
};

TEST_F(ThreadedDeliveryTest, SeveralDeliveriesToOneEndpointAreInFlightUpToTheLimit) {
  notifier::NotifierEngineOptions options;
  options.send_threads = 8;
  options.engine.max_in_flight[ChannelType::kWebhook] = 3;
  ASSERT_OK(Open(options));
  for (const char* code : {"A", "B", "C", "D", "E"}) ASSERT_OK(Item(code));

  absl::StatusOr<int> handed = notifier_.engine()->RunOnce();
  ASSERT_TRUE(handed.ok()) << handed.status();
  EXPECT_EQ(*handed, 5);
  // Three requests to the same endpoint at once, not one after the other.
  ASSERT_TRUE(receiver_->AwaitInFlight(3));
  // A pass while every lane is busy starts nothing more (and sends nothing twice).
  handed = notifier_.engine()->RunOnce();
  ASSERT_TRUE(handed.ok()) << handed.status();
  EXPECT_EQ(*handed, 0);
  receiver_->Open();
  notifier_.engine()->WaitIdle();
  EXPECT_EQ(receiver_->max_in_flight(), 3);
  absl::StatusOr<std::vector<Delivery>> all = notifier_.store()->ListDeliveries({}, 0, 100);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_THAT(*all, SizeIs(5));
  for (const Delivery& delivery : *all) {
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered) << delivery.dedup_key;
    EXPECT_THAT(delivery.history, SizeIs(1)) << delivery.dedup_key;
  }
}

TEST_F(ThreadedDeliveryTest, TheLoopWakesOnANewEventWithoutWaitingForTheTick) {
  notifier::NotifierEngineOptions options;
  options.send_threads = 2;
  // Far longer than the test's deadline: only a wake-up can make the send happen in time.
  options.tick = absl::Hours(1);
  ASSERT_OK(Open(options));
  receiver_->Open();
  notifier_.engine()->Start();
  ASSERT_OK(Item("A"));
  EXPECT_TRUE(receiver_->AwaitAnswered(1));
  notifier_.engine()->Stop();
}

}  // namespace
}  // namespace preflight::notifier
