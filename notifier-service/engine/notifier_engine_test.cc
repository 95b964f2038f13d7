// The engine end to end in one process: real SQLite store, real policy and calendar, a fake
// clock that jumps across weeks, and recording channels. Asserts the exact sends.

#include "notifier-service/engine/notifier_engine.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/storage/sqlite_notifier_store.h"
#include "notifier-service/testing/notifier_engine_testing.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::ItemEvent;
using testing::ItemSpec;
using testing::LaunchEvent;
using ::testing::UnorderedElementsAreArray;

const absl::TimeZone& Shanghai() {
  static const absl::TimeZone* zone = [] {
    auto* z = new absl::TimeZone;
    absl::LoadTimeZone("Asia/Shanghai", z);
    return z;
  }();
  return *zone;
}

absl::Time At(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), Shanghai());
}

// A channel that records what it was given and answers as told.
class RecordingChannel final : public Channel {
 public:
  explicit RecordingChannel(bool idempotent) : idempotent_(idempotent) {}
  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override {
    keys.push_back(message.idempotency_key);
    SendResult result;
    result.kind = fail ? SendResult::Kind::kRetryable : SendResult::Kind::kDelivered;
    result.http_status = fail ? 503 : 200;
    return result;
  }
  // Answer 503 to everything.
  bool fail = false;
  size_t MaxTextBytes() const override { return 4096; }
  bool IdempotentResend() const override { return idempotent_; }
  std::vector<std::string> keys;

 private:
  const bool idempotent_;
};

class NotifierEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto webhook = std::make_unique<RecordingChannel>(/*idempotent=*/true);
    webhook_ = webhook.get();
    notifier_.channels()[ChannelType::kWebhook] = std::move(webhook);
    auto wecom = std::make_unique<RecordingChannel>(/*idempotent=*/false);
    wecom_ = wecom.get();
    notifier_.channels()[ChannelType::kWecom] = std::move(wecom);
    notifier_.AddLogChannel();
    Open(nullptr);
  }

  // (Re)opens the store and the engine, as a process start does.
  void Open(CrashHook hook) {
    engine_ = nullptr;
    store_ = nullptr;
    testing::NotifierTestbed::Options options;
    options.crash_hook = std::move(hook);
    options.store_on_test_clock = false;
    ASSERT_OK(notifier_.Open(options));
    engine_ = notifier_.engine();
    store_ = notifier_.store();
  }

  void Apply(const v1::Event& event) { ASSERT_OK(notifier_.Apply(event)); }

  // Runs the engine every `step` from now until `until`.
  void RunUntil(absl::Time until, absl::Duration step = absl::Minutes(30)) {
    while (clock_.Now() < until) {
      clock_.AdvanceTime(step);
      absl::StatusOr<int> ran = engine_->RunOnce();
      ASSERT_TRUE(ran.ok()) << ran.status();
    }
  }

  std::vector<Delivery> Deliveries() {
    absl::StatusOr<std::vector<Delivery>> all = store_->ListDeliveries({}, 0, 10000);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? *all : std::vector<Delivery>{};
  }

  // (rung, recipient, local creation time) of every inbox delivery.
  std::set<std::tuple<std::string, std::string, std::string>> InboxSends() {
    std::set<std::tuple<std::string, std::string, std::string>> sends;
    for (const Delivery& delivery : Deliveries()) {
      if (delivery.channel != ChannelType::kInbox) continue;
      sends.emplace(delivery.rung_id, delivery.recipient_id,
                    absl::FormatTime("%Y-%m-%d %H:%M", delivery.create_time, Shanghai()));
    }
    return sends;
  }

  FakeClock clock_{At(2026, 9, 1, 0, 0)};
  testing::NotifierTestbed notifier_{&clock_};
  RecordingChannel* webhook_ = nullptr;
  RecordingChannel* wecom_ = nullptr;
  SqliteNotifierStore* store_ = nullptr;
  NotifierEngine* engine_ = nullptr;
};

TEST_F(NotifierEngineTest, LadderAcrossMidAutumnAndNationalDaySendsExactlyTheRungs) {
  Apply(LaunchEvent(1, "l1"));
  Apply(ItemEvent(2, "l1", ItemSpec{}));
  RunUntil(At(2026, 10, 13, 12, 0));

  using Send = std::tuple<std::string, std::string, std::string>;
  EXPECT_THAT(InboxSends(),
              UnorderedElementsAreArray(std::vector<Send>{
                  // 3 working days before Mon 21 Sep: Sun 20 Sep is a make-up working day.
                  {"start:2026-09-21:-3", "li.na", "2026-09-17 09:30"},
                  {"start:2026-09-21:-0", "li.na", "2026-09-21 09:30"},
                  // Mid-Autumn (25-27 Sep) does not count.
                  {"due:2026-10-09:-7", "li.na", "2026-09-22 09:30"},
                  {"due:2026-10-09:-3", "li.na", "2026-09-29 09:30"},
                  // National Day (1-7 Oct) does not count.
                  {"due:2026-10-09:-1", "li.na", "2026-10-08 09:30"},
                  // Sat 10 Oct is a make-up working day: the first overdue day.
                  {"overdue:2026-10-09:+1", "li.na", "2026-10-10 09:30"},
                  {"overdue:2026-10-09:+2", "li.na", "2026-10-12 09:30"},
                  // From the third working day overdue the owner hears too.
                  {"overdue:2026-10-09:+3", "li.na", "2026-10-13 09:30"},
                  {"overdue:2026-10-09:+3", "boss", "2026-10-13 09:30"},
              }));
  for (const Delivery& delivery : Deliveries()) {
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered) << delivery.dedup_key;
    EXPECT_FALSE(delivery.late) << delivery.dedup_key;
  }
  absl::StatusOr<std::vector<InboxMessage>> inbox = store_->ListInbox("", "li.na", 0, 100);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->size(), 8u);
}

// Returned for more material: work has begun (no start reminders) but is not done, so the due
// and overdue rungs go out as for an item in progress.
TEST_F(NotifierEngineTest, AReturnedItemStillNeedsWork) {
  Apply(LaunchEvent(1, "l1"));
  ItemSpec returned;
  returned.status = v1::ITEM_STATUS_RETURNED;
  Apply(ItemEvent(2, "l1", returned));
  RunUntil(At(2026, 10, 12, 12, 0));

  using Send = std::tuple<std::string, std::string, std::string>;
  EXPECT_THAT(InboxSends(), UnorderedElementsAreArray(std::vector<Send>{
                                {"due:2026-10-09:-7", "li.na", "2026-09-22 09:30"},
                                {"due:2026-10-09:-3", "li.na", "2026-09-29 09:30"},
                                {"due:2026-10-09:-1", "li.na", "2026-10-08 09:30"},
                                {"overdue:2026-10-09:+1", "li.na", "2026-10-10 09:30"},
                                {"overdue:2026-10-09:+2", "li.na", "2026-10-12 09:30"},
                            }));
}

TEST_F(NotifierEngineTest, NothingIsSentForWorkApprovedWaivedOrMovedBeforeItsSendTime) {
  Apply(LaunchEvent(1, "l1"));
  Apply(ItemEvent(2, "l1", ItemSpec{}));
  RunUntil(At(2026, 9, 22, 9, 0));
  const size_t before = Deliveries().size();  // the two start rungs

  // Moved: the due date is pushed out just before the 09:30 rung.
  ItemSpec moved;
  moved.version = 2;
  moved.latest_finish = "2026-10-30";
  Apply(ItemEvent(3, "l1", moved));
  RunUntil(At(2026, 9, 22, 12, 0));
  for (const Delivery& delivery : Deliveries()) {
    EXPECT_NE(delivery.rung_id, "due:2026-10-09:-7");
  }
  EXPECT_EQ(Deliveries().size(), before);

  // Approved in the checklist, but the event has not arrived: the version fence holds the send.
  RunUntil(At(2026, 10, 21, 9, 0));
  const size_t before_fence = Deliveries().size();
  EXPECT_EQ(before_fence, before);
  notifier_.versions().Set("l1", "ICP_FILING", 3);
  RunUntil(At(2026, 10, 21, 12, 0));  // due:2026-10-30:-7 would go at 09:30
  EXPECT_EQ(Deliveries().size(), before_fence);
  ItemSpec approved = moved;
  approved.version = 3;
  approved.status = v1::ITEM_STATUS_APPROVED;
  Apply(ItemEvent(4, "l1", approved));
  RunUntil(At(2026, 11, 30, 12, 0));
  EXPECT_EQ(Deliveries().size(), before_fence);

  // Waived: nothing more either.
  ItemSpec waived = moved;
  waived.version = 4;
  waived.status = v1::ITEM_STATUS_WAIVED;
  Apply(ItemEvent(5, "l1", waived));
  RunUntil(At(2026, 12, 31, 12, 0), absl::Hours(6));
  EXPECT_EQ(Deliveries().size(), before_fence);
}

TEST_F(NotifierEngineTest, CatchUpSendsOnlyTheMostUrgentMissedRungLateAndOutOfQuietHours) {
  Apply(LaunchEvent(1, "l1"));
  Apply(ItemEvent(2, "l1", ItemSpec{}));
  // Down from 1 Sep until National Day: four rungs were missed.
  clock_.SetTime(At(2026, 10, 2, 15, 0));
  ASSERT_TRUE(engine_->RunOnce().ok());
  std::vector<Delivery> deliveries = Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);  // log + inbox, one rung
  for (const Delivery& delivery : deliveries) {
    EXPECT_EQ(delivery.rung_id, "due:2026-10-09:-3");
    EXPECT_TRUE(delivery.late);
    // A holiday is quiet: deferred to the end of quiet hours on the next working day.
    EXPECT_EQ(delivery.state, DeliveryState::kPending);
    EXPECT_EQ(delivery.next_attempt_time, At(2026, 10, 8, 8, 30));
  }
  absl::StatusOr<std::vector<HandledRung>> handled = store_->HandledRungs("l1", "ICP_FILING");
  ASSERT_TRUE(handled.ok());
  std::set<std::string> skipped;
  for (const HandledRung& rung : *handled) {
    if (rung.outcome == "skipped") skipped.insert(rung.rung_id);
  }
  EXPECT_EQ(skipped, (std::set<std::string>{"start:2026-09-21:-3", "start:2026-09-21:-0",
                                            "due:2026-10-09:-7"}));
  RunUntil(At(2026, 10, 8, 9, 0));
  for (const Delivery& delivery : Deliveries()) {
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered) << delivery.dedup_key;
  }
}

// An item first seen the morning after its due date, before the first overdue rung (09:30): the
// catch-up sends the last before-due rung, and it must read as what it is by then, an overdue
// reminder, everywhere the kind shows (delivery, webhook JSON, forecast), under its own rung id so
// it is sent once.
TEST_F(NotifierEngineTest, AnItemCreatedOverdueIsRemindedAsOverdue) {
  clock_.SetTime(At(2026, 11, 12, 9, 0));  // Thursday; due Wednesday
  Apply(LaunchEvent(1, "l1"));
  ItemSpec spec;
  spec.status = v1::ITEM_STATUS_IN_PROGRESS;  // no start rungs
  spec.latest_finish = "2026-11-11";
  Apply(ItemEvent(2, "l1", spec));

  ForecastQuery query;
  query.horizon = absl::Minutes(10);
  absl::StatusOr<std::vector<ForecastEntry>> forecast = engine_->ListReminders(query);
  ASSERT_OK(forecast.status());
  ASSERT_EQ(forecast->size(), 1u);
  EXPECT_EQ(forecast->front().rung.id, "due:2026-11-11:-1");
  EXPECT_EQ(forecast->front().rung.kind, RungKind::kOverdue);
  EXPECT_EQ(forecast->front().rung.days_left, -1);
  EXPECT_TRUE(forecast->front().rung.urgent);

  ASSERT_TRUE(engine_->RunOnce().ok());
  std::vector<Delivery> deliveries = Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);  // log + inbox
  for (const Delivery& delivery : deliveries) {
    EXPECT_EQ(delivery.rung_id, "due:2026-11-11:-1");
    EXPECT_EQ(delivery.kind, RungKind::kOverdue);
    EXPECT_TRUE(delivery.urgent);
    EXPECT_TRUE(delivery.late);
    EXPECT_THAT(delivery.subject,
                ::testing::HasSubstr("overdue by 1 working day (due 2026-11-11)"));
    EXPECT_THAT(delivery.text, ::testing::HasSubstr("已逾期 1 个工作日"));
    EXPECT_THAT(delivery.text, ::testing::HasSubstr("Overdue: act now"));
    EXPECT_THAT(delivery.text, ::testing::Not(::testing::HasSubstr("Finish and submit it by")));
    EXPECT_THAT(delivery.text, ::testing::Not(::testing::HasSubstr("前完成并提交")));
    EXPECT_THAT(delivery.data_json, ::testing::HasSubstr(R"("kind":"overdue")"));
    EXPECT_THAT(delivery.data_json, ::testing::HasSubstr(R"("days_left":-1)"));
    EXPECT_THAT(delivery.data_json, ::testing::HasSubstr(R"("rung":"due:2026-11-11:-1")"));
  }

  // The regular ladder goes on: the first overdue rung at 09:30, the next on Friday, and the
  // caught-up rung is never sent again.
  RunUntil(At(2026, 11, 13, 12, 0));
  std::map<std::string, int> sends;
  for (const auto& [rung, recipient, time] : InboxSends()) ++sends[rung];
  EXPECT_EQ(sends, (std::map<std::string, int>{{"due:2026-11-11:-1", 1},
                                               {"overdue:2026-11-11:+1", 1},
                                               {"overdue:2026-11-11:+2", 1}}));
  EXPECT_EQ(Deliveries().size(), 6u);
}

// Due on a Friday, first seen on the Saturday: no working day has passed since, yet the deadline
// has; the reminder goes out on Monday morning as overdue by one working day, not "due today".
TEST_F(NotifierEngineTest, AnItemSeenOnTheWeekendAfterItsDueDateIsOverdue) {
  clock_.SetTime(At(2026, 11, 14, 10, 0));
  Apply(LaunchEvent(1, "l1"));
  ItemSpec spec;
  spec.status = v1::ITEM_STATUS_IN_PROGRESS;
  spec.latest_finish = "2026-11-13";
  Apply(ItemEvent(2, "l1", spec));
  ASSERT_TRUE(engine_->RunOnce().ok());
  std::vector<Delivery> deliveries = Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  for (const Delivery& delivery : deliveries) {
    EXPECT_EQ(delivery.rung_id, "due:2026-11-13:-1");
    EXPECT_EQ(delivery.kind, RungKind::kOverdue);
    EXPECT_THAT(delivery.subject,
                ::testing::HasSubstr("overdue by 1 working day (due 2026-11-13)"));
    EXPECT_THAT(delivery.data_json, ::testing::HasSubstr(R"("days_left":-1)"));
    EXPECT_EQ(delivery.next_attempt_time, At(2026, 11, 16, 8, 30));
  }
}

// A catch-up within late_after is sent as planned, unless its deadline has passed meanwhile.
TEST_F(NotifierEngineTest, ACatchUpOnTimeButPastItsDeadlineIsOverdue) {
  notifier_.policy().late_after = absl::Hours(48);  // the engine reads it live
  clock_.SetTime(At(2026, 11, 12, 9, 0));           // due:-1 was Tuesday 09:30: not late yet
  Apply(LaunchEvent(1, "l1"));
  ItemSpec spec;
  spec.status = v1::ITEM_STATUS_IN_PROGRESS;
  spec.latest_finish = "2026-11-11";
  Apply(ItemEvent(2, "l1", spec));
  ASSERT_TRUE(engine_->RunOnce().ok());
  std::vector<Delivery> deliveries = Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  for (const Delivery& delivery : deliveries) {
    EXPECT_EQ(delivery.rung_id, "due:2026-11-11:-1");
    EXPECT_FALSE(delivery.late);
    EXPECT_EQ(delivery.kind, RungKind::kOverdue);
    EXPECT_TRUE(delivery.urgent);
    EXPECT_THAT(delivery.data_json, ::testing::HasSubstr(R"("days_left":-1)"));
  }
}

// Crash between the steps of a delivery, restart, and count what the receivers saw.
class CrashTest : public NotifierEngineTest,
                  public ::testing::WithParamInterface<absl::string_view> {};

TEST_P(CrashTest, ACrashLosesNothingAndResendsOnlyWhereTheKeyDeduplicates) {
  Recipient li;
  li.id = "li.na";
  li.channels = {RecipientChannel{ChannelType::kWebhook, "https://hooks.example/li", ""},
                 RecipientChannel{ChannelType::kWecom, "https://qyapi.example/send?key=k", ""}};
  ASSERT_TRUE(engine_->CreateRecipient(li).ok());
  Apply(LaunchEvent(1, "l1"));
  Apply(ItemEvent(2, "l1", ItemSpec{}));
  clock_.SetTime(At(2026, 9, 17, 9, 30));

  const absl::string_view point = GetParam();
  bool crashed = false;
  Open([&](absl::string_view at) {
    if (at != point || crashed) return false;
    crashed = true;
    return true;
  });
  EXPECT_TRUE(absl::IsAborted(engine_->RunOnce().status()));
  ASSERT_TRUE(crashed);

  Open(nullptr);  // the restart
  for (int i = 0; i < 3; ++i) {
    clock_.AdvanceTime(absl::Minutes(1));
    ASSERT_TRUE(engine_->RunOnce().ok());
  }
  // The webhook takes an idempotency key: it always ends delivered, and whatever it received
  // carries one key.
  std::set<std::string> webhook_keys(webhook_->keys.begin(), webhook_->keys.end());
  EXPECT_EQ(webhook_keys.size(), 1u);
  EXPECT_GE(webhook_->keys.size(), 1u);
  // The bot takes none: sent at most once; a send the crash interrupted is OUTCOME_UNKNOWN.
  EXPECT_LE(wecom_->keys.size(), 1u);
  for (const Delivery& delivery : Deliveries()) {
    if (delivery.channel == ChannelType::kWebhook) {
      EXPECT_EQ(delivery.state, DeliveryState::kDelivered);
    } else if (point == kAfterDecide || wecom_->keys.empty()) {
      // Not leased before the crash, or the crash hit before the bot's turn.
      EXPECT_TRUE(delivery.state == DeliveryState::kDelivered ||
                  delivery.state == DeliveryState::kOutcomeUnknown);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Points, CrashTest,
                         ::testing::Values(kAfterDecide, kAfterLease, kAfterSend),
                         [](const auto& info) { return std::string(info.param); });

TEST_F(NotifierEngineTest, AcknowledgeStopsTheLadderUntilTheItemChanges) {
  Apply(LaunchEvent(1, "l1"));
  Apply(ItemEvent(2, "l1", ItemSpec{}));
  RunUntil(At(2026, 9, 18, 0, 0));
  const size_t before = Deliveries().size();
  ASSERT_TRUE(engine_->Acknowledge("l1", "ICP_FILING").ok());
  RunUntil(At(2026, 9, 30, 0, 0));
  EXPECT_EQ(Deliveries().size(), before);
  ItemSpec started;
  started.version = 2;
  started.status = v1::ITEM_STATUS_IN_PROGRESS;
  Apply(ItemEvent(3, "l1", started));
  RunUntil(At(2026, 10, 8, 12, 0));
  EXPECT_EQ(Deliveries().size(), before + 2);  // due:-1 to log + inbox
}

TEST_F(NotifierEngineTest, SnoozeDefersNeverDrops) {
  Apply(LaunchEvent(1, "l1"));
  Apply(ItemEvent(2, "l1", ItemSpec{}));
  clock_.SetTime(At(2026, 9, 17, 9, 0));
  ASSERT_TRUE(engine_->Snooze("l1", "ICP_FILING", At(2026, 9, 18, 10, 0)).ok());
  RunUntil(At(2026, 9, 18, 9, 30));
  EXPECT_THAT(InboxSends(), IsEmpty());
  RunUntil(At(2026, 9, 18, 10, 30));
  EXPECT_THAT(InboxSends(),
              ElementsAre(std::make_tuple(std::string("start:2026-09-21:-3"), std::string("li.na"),
                                          std::string("2026-09-18 10:00"))));
}

// A recipient who asked for a digest gets one message for the morning's non-urgent reminders;
// an urgent one goes on its own, at once.
TEST_F(NotifierEngineTest, DigestGroupsTheMorningsRemindersButNotUrgentOnes) {
  Recipient li;
  li.id = "li.na";
  li.digest = true;
  li.channels = {RecipientChannel{ChannelType::kWebhook, "https://hooks.example/li", ""}};
  ASSERT_TRUE(engine_->CreateRecipient(li).ok());
  Apply(LaunchEvent(1, "l1"));
  int64_t sequence = 2;
  for (const std::string code : {"A", "B"}) {
    ItemSpec spec;
    spec.code = code;
    spec.status = v1::ITEM_STATUS_IN_PROGRESS;  // no start rungs
    Apply(ItemEvent(sequence++, "l1", spec));
  }
  // Overdue from Tue 22 Sep: its first overdue rung goes at 09:30 with the others' due:-7.
  ItemSpec late;
  late.code = "C";
  late.status = v1::ITEM_STATUS_IN_PROGRESS;
  late.latest_finish = "2026-09-21";
  Apply(ItemEvent(sequence++, "l1", late));
  clock_.SetTime(At(2026, 9, 22, 9, 0));
  ASSERT_TRUE(engine_->RunOnce().ok());  // C's missed due rungs are caught up, urgent
  const size_t before = webhook_->keys.size();
  EXPECT_EQ(before, 1u);

  RunUntil(At(2026, 9, 22, 9, 30));
  std::vector<std::string> sent(webhook_->keys.begin() + before, webhook_->keys.end());
  ASSERT_EQ(sent.size(), 2u);
  std::string digest_key;
  for (const std::string& key : sent) {
    if (absl::StartsWith(key, "digest:")) digest_key = key;
  }
  ASSERT_FALSE(digest_key.empty()) << sent[0] << " " << sent[1];
  int in_digest = 0;
  for (const Delivery& delivery : Deliveries()) {
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered) << delivery.dedup_key;
    if (delivery.unit_key == digest_key) {
      ++in_digest;
      EXPECT_EQ(delivery.rung_id.substr(0, 4), "due:");
      EXPECT_TRUE(delivery.digest);
    }
    if (delivery.item_code == "C") {
      EXPECT_TRUE(delivery.urgent);
    }
  }
  EXPECT_EQ(in_digest, 2);
}

// A bot allows 20 messages a minute: 25 reminders at once go as 19 single messages and one digest
// of the other 6, and all 25 are delivered.
TEST_F(NotifierEngineTest, BotRateBudgetFoldsTheOverflowIntoOneDigest) {
  Recipient li;
  li.id = "li.na";
  li.channels = {RecipientChannel{ChannelType::kWecom, "https://qyapi.example/send?key=k", ""}};
  ASSERT_TRUE(engine_->CreateRecipient(li).ok());
  Apply(LaunchEvent(1, "l1"));
  for (int i = 0; i < 25; ++i) {
    ItemSpec spec;
    spec.code = absl::StrCat("ITEM_", i);
    spec.status = v1::ITEM_STATUS_IN_PROGRESS;
    Apply(ItemEvent(2 + i, "l1", spec));
  }
  clock_.SetTime(At(2026, 9, 22, 9, 0));
  RunUntil(At(2026, 9, 22, 9, 30));
  ASSERT_EQ(wecom_->keys.size(), 20u);
  EXPECT_EQ(std::count_if(wecom_->keys.begin(), wecom_->keys.end(),
                          [](const std::string& key) { return absl::StartsWith(key, "digest:"); }),
            1);
  std::vector<Delivery> deliveries = Deliveries();
  ASSERT_EQ(deliveries.size(), 25u);
  for (const Delivery& delivery : deliveries) {
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered) << delivery.dedup_key;
  }
}

TEST_F(NotifierEngineTest, RetriesWithBackoffThenDeadLetters) {
  Recipient li;
  li.id = "li.na";
  li.channels = {RecipientChannel{ChannelType::kWebhook, "https://hooks.example/li", ""}};
  ASSERT_TRUE(engine_->CreateRecipient(li).ok());
  webhook_->fail = true;
  Apply(LaunchEvent(1, "l1"));
  Apply(ItemEvent(2, "l1", ItemSpec{}));
  clock_.SetTime(At(2026, 9, 17, 9, 0));
  RunUntil(At(2026, 9, 17, 12, 0), absl::Seconds(20));
  std::vector<Delivery> deliveries = store_->ListDeliveries({}, 0, 10).value();
  ASSERT_EQ(deliveries.size(), 1u);
  const Delivery& delivery = deliveries[0];
  EXPECT_EQ(delivery.state, DeliveryState::kDeadLettered);
  ASSERT_EQ(delivery.history.size(), 6u);
  for (size_t i = 0; i + 1 < delivery.history.size(); ++i) {
    EXPECT_EQ(delivery.history[i].outcome, "retry");
    EXPECT_EQ(delivery.history[i].http_status, 503);
    // Exponential: at least half of 30 s * 2^i between attempts (equal jitter).
    EXPECT_GE(delivery.history[i + 1].time - delivery.history[i].time,
              absl::Seconds(15) * (1 << i));
  }
  EXPECT_EQ(delivery.history.back().outcome, "failed");
  EXPECT_EQ(webhook_->keys.size(), 6u);
}

// A digest reminder waits for the morning; if the item is approved or reassigned meanwhile, the
// waiting delivery is cancelled, with the reason in the ledger.
TEST_F(NotifierEngineTest, WaitingDeliveriesAreCancelledWhenTheItemIsDoneOrReassigned) {
  Recipient li;
  li.id = "li.na";
  li.digest = true;
  li.channels = {RecipientChannel{ChannelType::kWebhook, "https://hooks.example/li", ""}};
  ASSERT_TRUE(engine_->CreateRecipient(li).ok());
  Apply(LaunchEvent(1, "l1"));
  ItemSpec a;
  a.code = "A";
  a.status = v1::ITEM_STATUS_IN_PROGRESS;
  Apply(ItemEvent(2, "l1", a));
  ItemSpec b = a;
  b.code = "B";
  Apply(ItemEvent(3, "l1", b));
  // Caught up in the afternoon: the digest waits for the next morning.
  clock_.SetTime(At(2026, 9, 22, 15, 0));
  ASSERT_TRUE(engine_->RunOnce().ok());
  std::vector<Delivery> waiting = Deliveries();
  ASSERT_EQ(waiting.size(), 2u);
  for (const Delivery& delivery : waiting) {
    EXPECT_EQ(delivery.state, DeliveryState::kPending);
    EXPECT_EQ(delivery.next_attempt_time, At(2026, 9, 23, 9, 30));
  }
  ItemSpec approved = a;
  approved.version = 2;
  approved.status = v1::ITEM_STATUS_APPROVED;
  Apply(ItemEvent(4, "l1", approved));
  ItemSpec reassigned = b;
  reassigned.version = 2;
  reassigned.assignee = "wang.fang";
  Apply(ItemEvent(5, "l1", reassigned));
  RunUntil(At(2026, 9, 23, 12, 0));
  std::map<std::string, std::string> answers;
  for (const Delivery& delivery : Deliveries()) {
    if (delivery.recipient_id != "li.na") continue;
    EXPECT_EQ(delivery.state, DeliveryState::kCancelled) << delivery.dedup_key;
    ASSERT_FALSE(delivery.history.empty());
    answers[delivery.item_code] = delivery.history.back().provider_answer;
  }
  EXPECT_THAT(answers["A"], ::testing::HasSubstr("item is APPROVED"));
  EXPECT_THAT(answers["B"], ::testing::HasSubstr("reassigned to wang.fang"));
  EXPECT_TRUE(webhook_->keys.empty());
}

// The checklist's snapshot of an approved certificate: `spec` plus its approval day, expiry and
// its template's renewal days.
v1::Event CertificateEvent(int64_t sequence, const ItemSpec& spec, const std::string& approved,
                           const std::string& expiry, std::vector<int> renewal_days) {
  v1::Event event = ItemEvent(sequence, "l1", spec);
  v1::Item* item = event.mutable_item_snapshot();
  item->set_approved_date(approved);
  item->set_expiry_date(expiry);
  for (int days : renewal_days) item->add_renewal_reminder_days(days);
  return event;
}

// A 47-day HTTPS certificate approved Fri 6 Nov expires Wed 23 Dec. Its template reminds 30, 14
// and 7 days ahead; the policy's 90 and 60 days ahead came before the approval, and catch-up
// once sent one of them the moment the certificate was approved.
TEST_F(NotifierEngineTest, AShortLivedCertificateIsRemindedOnItsTemplatesDaysOnly) {
  clock_.SetTime(At(2026, 11, 2, 9, 0));
  Apply(LaunchEvent(1, "l1"));
  ItemSpec spec;
  spec.code = "TLS_CERT";
  spec.status = v1::ITEM_STATUS_SUBMITTED;
  spec.latest_start = "";
  spec.latest_finish = "";
  Apply(ItemEvent(2, "l1", spec));
  RunUntil(At(2026, 11, 6, 15, 0));
  EXPECT_THAT(Deliveries(), IsEmpty());

  spec.version = 2;
  spec.status = v1::ITEM_STATUS_APPROVED;
  Apply(CertificateEvent(3, spec, "2026-11-06", "2026-12-23", {30, 14, 7}));
  RunUntil(At(2026, 11, 9, 12, 0));
  EXPECT_THAT(Deliveries(), IsEmpty());

  RunUntil(At(2026, 12, 24, 12, 0));
  using Send = std::tuple<std::string, std::string, std::string>;
  EXPECT_THAT(InboxSends(), UnorderedElementsAreArray(std::vector<Send>{
                                {"renewal:2026-12-23:-30", "li.na", "2026-11-23 09:30"},
                                {"renewal:2026-12-23:-14", "li.na", "2026-12-09 09:30"},
                                {"renewal:2026-12-23:-7", "li.na", "2026-12-16 09:30"},
                            }));
  for (const Delivery& delivery : Deliveries()) {
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered) << delivery.dedup_key;
    EXPECT_EQ(delivery.kind, RungKind::kRenewal) << delivery.dedup_key;
    EXPECT_FALSE(delivery.late) << delivery.dedup_key;
  }
}

// A renewal reminder waiting for the morning's digest is cancelled when the item's renewal days
// change so that its rung is no longer on the ladder.
TEST_F(NotifierEngineTest, AWaitingRenewalIsCancelledWhenItsDayLeavesTheLadder) {
  Recipient li;
  li.id = "li.na";
  li.digest = true;
  li.channels = {RecipientChannel{ChannelType::kWebhook, "https://hooks.example/li", ""}};
  ASSERT_TRUE(engine_->CreateRecipient(li).ok());
  // First seen the afternoon of its "30 days before" rung (the policy's days): caught up late,
  // the digest waits for the next morning.
  clock_.SetTime(At(2026, 11, 23, 15, 0));
  Apply(LaunchEvent(1, "l1"));
  ItemSpec spec;
  spec.code = "TLS_CERT";
  spec.status = v1::ITEM_STATUS_APPROVED;
  spec.latest_start = "";
  spec.latest_finish = "";
  Apply(CertificateEvent(2, spec, "2026-11-06", "2026-12-23", {}));
  ASSERT_TRUE(engine_->RunOnce().ok());
  std::vector<Delivery> waiting = Deliveries();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].rung_id, "renewal:2026-12-23:-30");
  EXPECT_EQ(waiting[0].state, DeliveryState::kPending);

  spec.version = 2;
  Apply(CertificateEvent(3, spec, "2026-11-06", "2026-12-23", {14, 7}));
  RunUntil(At(2026, 11, 24, 12, 0));
  std::vector<Delivery> after = Deliveries();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].state, DeliveryState::kCancelled);
  ASSERT_FALSE(after[0].history.empty());
  EXPECT_THAT(after[0].history.back().provider_answer,
              ::testing::HasSubstr("the reminder no longer applies"));
  EXPECT_TRUE(webhook_->keys.empty());
}

// The intake applies a backlog in batches, each decided event by event on the effects of the
// ones before it: a batch leaves exactly what the same events applied one by one leave. The
// batch below repeats an item's older state after a newer one and then replays the launch, which
// re-plans every item: decided on the store alone, both would undo the newer state.
TEST_F(NotifierEngineTest, ABatchLeavesWhatTheSameEventsOneByOneLeave) {
  testing::NotifierTestbed one_by_one(&clock_);
  one_by_one.channels()[ChannelType::kWebhook] = std::make_unique<RecordingChannel>(true);
  one_by_one.AddLogChannel();
  testing::NotifierTestbed::Options options;
  options.store_on_test_clock = false;
  ASSERT_OK(one_by_one.Open(options));

  Recipient li;
  li.id = "li.na";
  li.digest = true;
  li.channels = {RecipientChannel{ChannelType::kWebhook, "https://hooks.example/li", ""}};
  ItemSpec a;
  a.code = "A";
  a.status = v1::ITEM_STATUS_IN_PROGRESS;
  ItemSpec b = a;
  b.code = "B";
  clock_.SetTime(At(2026, 9, 22, 15, 0));
  for (testing::NotifierTestbed* bed : {&notifier_, &one_by_one}) {
    ASSERT_OK(bed->engine()->CreateRecipient(li).status());
    ASSERT_OK(bed->Apply(LaunchEvent(1, "l1")));
    ASSERT_OK(bed->Apply(ItemEvent(2, "l1", a)));
    ASSERT_OK(bed->Apply(ItemEvent(3, "l1", b)));
    // Digests wait for the morning: two pending deliveries the batch can cancel.
    ASSERT_OK(bed->engine()->RunOnce().status());
  }
  ItemSpec approved = a;
  approved.version = 2;
  approved.status = v1::ITEM_STATUS_APPROVED;
  ItemSpec reassigned = b;
  reassigned.version = 2;
  reassigned.assignee = "wang.fang";
  const std::vector<v1::Event> batch = {ItemEvent(4, "l1", approved),
                                        ItemEvent(5, "l1", reassigned), ItemEvent(6, "l1", b),
                                        LaunchEvent(7, "l1")};
  ASSERT_OK(notifier_.ApplyBatch(batch));
  for (const v1::Event& event : batch) ASSERT_OK(one_by_one.Apply(event));

  const auto state_of = [](testing::NotifierTestbed& bed) {
    std::string state = absl::StrCat("applied ", bed.store()->AppliedSequence().value_or(-1), "\n");
    const std::vector<ItemRecord> items = bed.store()->ListLaunchItems("l1").value();
    const std::vector<Delivery> deliveries = bed.store()->ListDeliveries({}, 0, 100).value();
    for (const ItemRecord& record : items) {
      absl::StrAppend(&state, record.info.code, " v", record.info.version, " ", record.info.status,
                      " ", record.info.assignee, " next ",
                      record.next_check_time.has_value() ? absl::FormatTime(*record.next_check_time)
                                                         : std::string("none"),
                      "\n");
    }
    for (const Delivery& delivery : deliveries) {
      absl::StrAppend(&state, delivery.dedup_key, " ", static_cast<int>(delivery.state), " ",
                      delivery.history.empty() ? "" : delivery.history.back().provider_answer,
                      "\n");
    }
    return state;
  };
  const std::string batched = state_of(notifier_);
  EXPECT_EQ(batched, state_of(one_by_one));
  EXPECT_THAT(batched, ::testing::HasSubstr("applied 7\n"));
  EXPECT_THAT(batched, ::testing::HasSubstr("A v2 APPROVED li.na next none\n"));
  EXPECT_THAT(batched, ::testing::HasSubstr("B v2 IN_PROGRESS wang.fang"));
  EXPECT_THAT(batched, ::testing::HasSubstr("item is APPROVED"));
  EXPECT_THAT(batched, ::testing::HasSubstr("reassigned to wang.fang"));
}

}  // namespace
}  // namespace preflight::notifier
