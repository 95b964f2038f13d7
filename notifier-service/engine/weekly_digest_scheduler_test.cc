// The weekly digest on the whole engine: real SQLite store, the built-in policy and calendar, a
// fake clock moved across week boundaries (never a sleep), and channels that record what they
// were given.

#include "notifier-service/engine/weekly_digest_scheduler.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/testing/notifier_engine_testing.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ItemEvent;
using testing::ItemSpec;
using testing::LaunchEvent;
using testing::LaunchSpec;
using ::testing::Not;

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

absl::Time At(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), Shanghai());
}

std::string Local(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M", t, Shanghai()); }

// Records every message it is given, with the time it was sent.
class RecordingChannel final : public Channel {
 public:
  RecordingChannel(const Clock* clock, size_t max_text_bytes)
      : clock_(clock), max_text_bytes_(max_text_bytes) {}
  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override {
    sent.push_back({endpoint.target, message, clock_->Now()});
    SendResult result;
    result.kind = SendResult::Kind::kDelivered;
    result.http_status = 200;
    return result;
  }
  size_t MaxTextBytes() const override { return max_text_bytes_; }
  bool IdempotentResend() const override { return true; }

  struct Sent {
    std::string target;
    OutgoingMessage message;
    absl::Time time;
  };
  std::vector<Sent> sent;

 private:
  const Clock* const clock_;
  const size_t max_text_bytes_;
};

class WeeklyDigestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto webhook = std::make_unique<RecordingChannel>(&clock_, 64 * 1024);
    webhook_ = webhook.get();
    notifier_.channels()[ChannelType::kWebhook] = std::move(webhook);
    auto wecom = std::make_unique<RecordingChannel>(&clock_, 2048);
    wecom_ = wecom.get();
    notifier_.channels()[ChannelType::kWecom] = std::move(wecom);
    notifier_.AddLogChannel();
    Open();
  }

  void Open() {
    engine_ = nullptr;
    testing::NotifierTestbed::Options options;
    ASSERT_OK(notifier_.Open(options));
    engine_ = notifier_.engine();
  }

  void Apply(const v1::Event& event) {
    ASSERT_OK(notifier_.Apply(event));
    events_.push_back(event);
  }

  // A launch of acme with one overdue item and `extra` more, so the digest has content.
  void FeedLaunch(int extra = 0) {
    LaunchSpec launch;
    launch.target_launch_date = "2027-01-29";
    Apply(LaunchEvent(1, launch));
    ItemSpec item;  // latest finish 9 October 2026: overdue in December
    Apply(ItemEvent(2, "l1", item));
    for (int i = 0; i < extra; ++i) {
      ItemSpec more;
      more.code = absl::StrCat("EXTRA_ITEM_NUMBER_", i);
      more.title_en = absl::StrCat("An item with a long English title, number ", i);
      more.title_zh = absl::StrCat("一个标题很长的事项，编号 ", i);
      more.latest_start = "2026-12-09";
      more.latest_finish = "2026-12-31";
      Apply(ItemEvent(3 + i, "l1", more));
    }
  }

  void AddManager(const std::string& id = "boss") {
    Recipient boss;
    boss.tenant = "acme";
    boss.id = id;
    boss.language = "en";
    boss.roles = {RecipientRole::kManager};
    boss.channels = {
        RecipientChannel{ChannelType::kWebhook, absl::StrCat("https://hooks.example/", id), ""},
        RecipientChannel{ChannelType::kWecom, "https://qyapi.example/send?key=k", ""}};
    ASSERT_OK(engine_->CreateRecipient(boss).status());
  }

  void AddNonManager() {
    Recipient li;
    li.tenant = "acme";
    li.id = "li.na";
    li.channels = {RecipientChannel{ChannelType::kWebhook, "https://hooks.example/li", ""}};
    ASSERT_OK(engine_->CreateRecipient(li).status());
  }

  void RunUntil(absl::Time until, absl::Duration step = absl::Minutes(30)) {
    while (clock_.Now() < until) {
      clock_.AdvanceTime(step);
      absl::StatusOr<int> ran = engine_->RunOnce();
      ASSERT_TRUE(ran.ok()) << ran.status();
    }
  }

  std::vector<Delivery> DigestDeliveries() {
    absl::StatusOr<std::vector<Delivery>> all = notifier_.store()->ListDeliveries({}, 0, 10000);
    EXPECT_TRUE(all.ok()) << all.status();
    std::vector<Delivery> digests;
    if (!all.ok()) return digests;
    for (const Delivery& delivery : *all) {
      if (delivery.kind == RungKind::kWeeklyDigest) digests.push_back(delivery);
    }
    std::reverse(digests.begin(), digests.end());  // oldest first
    return digests;
  }

  // (recipient, channel, rung, local send time) of every weekly digest a channel was given.
  std::vector<std::tuple<std::string, std::string, std::string>> DigestSends(
      const RecordingChannel& channel) {
    std::vector<std::tuple<std::string, std::string, std::string>> sends;
    for (const RecordingChannel::Sent& sent : channel.sent) {
      if (!absl::StartsWith(sent.message.idempotency_key, "weekly-digest/")) continue;
      sends.emplace_back(sent.target, sent.message.idempotency_key, Local(sent.time));
    }
    return sends;
  }

  // Sunday noon: the week ending today can no longer get its digest (the next working morning is
  // next week's), so the first one is Monday's.
  FakeClock clock_{At(2026, 12, 6, 12, 0)};
  testing::NotifierTestbed notifier_{&clock_};
  RecordingChannel* webhook_ = nullptr;
  RecordingChannel* wecom_ = nullptr;
  NotifierEngine* engine_ = nullptr;
  std::vector<v1::Event> events_;
};

TEST_F(WeeklyDigestTest, OneDigestPerManagerAndChannelEachWeekAndNoneForOthers) {
  FeedLaunch();
  AddManager();
  AddNonManager();
  // Across two week boundaries: Monday 7 and Monday 14 December, 09:00.
  RunUntil(At(2026, 12, 15, 12, 0));

  using Send = std::tuple<std::string, std::string, std::string>;
  EXPECT_THAT(DigestSends(*webhook_),
              ElementsAre(Send("https://hooks.example/boss",
                               "weekly-digest/acme/2026-12-07/tenants/acme/recipients/boss/webhook",
                               "2026-12-07 09:00"),
                          Send("https://hooks.example/boss",
                               "weekly-digest/acme/2026-12-14/tenants/acme/recipients/boss/webhook",
                               "2026-12-14 09:00")));
  EXPECT_THAT(DigestSends(*wecom_),
              ElementsAre(Send("https://qyapi.example/send?key=k",
                               "weekly-digest/acme/2026-12-07/tenants/acme/recipients/boss/wecom",
                               "2026-12-07 09:00"),
                          Send("https://qyapi.example/send?key=k",
                               "weekly-digest/acme/2026-12-14/tenants/acme/recipients/boss/wecom",
                               "2026-12-14 09:00")));
  const std::vector<Delivery> digests = DigestDeliveries();
  ASSERT_EQ(digests.size(), 4u);
  for (const Delivery& delivery : digests) {
    EXPECT_EQ(delivery.recipient_id, "boss");
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered);
    EXPECT_FALSE(delivery.late);
    EXPECT_EQ(delivery.rung_id.substr(0, 14), "weekly-digest:");
  }
  // What the manager reads: the overdue item, named.
  bool found = false;
  for (const RecordingChannel::Sent& sent : webhook_->sent) {
    if (sent.message.idempotency_key !=
        "weekly-digest/acme/2026-12-07/tenants/acme/recipients/boss/webhook") {
      continue;
    }
    found = true;
    EXPECT_THAT(sent.message.subject, HasSubstr("Weekly digest for acme, week of 2026-12-07"));
    EXPECT_THAT(sent.message.text, HasSubstr("ICP filing (ICP_FILING), Acme shop, assignee li.na"));
    EXPECT_THAT(sent.message.text, HasSubstr("Launches at risk (1)"));
  }
  EXPECT_TRUE(found);
}

TEST_F(WeeklyDigestTest, NeverTwiceAfterARestartOrAReplayOfTheEventStream) {
  FeedLaunch();
  AddManager();
  RunUntil(At(2026, 12, 7, 10, 0));
  ASSERT_EQ(DigestSends(*webhook_).size(), 1u);

  // A restart later that week: the ledger has the digest.
  Open();
  RunUntil(At(2026, 12, 8, 10, 0));
  EXPECT_EQ(DigestSends(*webhook_).size(), 1u);

  // The event stream read again from 0 (--resync_event_log): same week, nothing new.
  ASSERT_OK(notifier_.store()->ResetStream());
  Open();
  for (const v1::Event& event : std::vector<v1::Event>(events_)) ASSERT_OK(notifier_.Apply(event));
  RunUntil(At(2026, 12, 9, 10, 0));
  EXPECT_EQ(DigestSends(*webhook_).size(), 1u);
  EXPECT_EQ(DigestSends(*wecom_).size(), 1u);
  EXPECT_EQ(DigestDeliveries().size(), 2u);
}

TEST_F(WeeklyDigestTest, AMissedMondayIsSentLateOnceThatWeek) {
  FeedLaunch();
  AddManager();
  // Down from Sunday until Wednesday 10:00.
  clock_.SetTime(At(2026, 12, 9, 10, 0));
  ASSERT_OK(engine_->RunOnce().status());
  RunUntil(At(2026, 12, 13, 23, 0));
  ASSERT_EQ(DigestSends(*webhook_).size(), 1u);
  EXPECT_EQ(std::get<2>(DigestSends(*webhook_)[0]), "2026-12-09 10:00");
  const std::vector<Delivery> digests = DigestDeliveries();
  ASSERT_EQ(digests.size(), 2u);
  EXPECT_TRUE(digests[0].late);
}

TEST_F(WeeklyDigestTest, AWeekMissedWholeIsSkipped) {
  FeedLaunch();
  AddManager();
  ASSERT_OK(engine_->RunOnce().status());
  // Down from Sunday 6 until Monday 14 December 08:00: the week of the 7th is never sent.
  clock_.SetTime(At(2026, 12, 14, 8, 0));
  RunUntil(At(2026, 12, 14, 12, 0));
  using Send = std::tuple<std::string, std::string, std::string>;
  EXPECT_THAT(DigestSends(*webhook_),
              ElementsAre(Send("https://hooks.example/boss",
                               "weekly-digest/acme/2026-12-14/tenants/acme/recipients/boss/webhook",
                               "2026-12-14 09:00")));
}

TEST_F(WeeklyDigestTest, AMissedDigestFoundInQuietHoursWaitsForMorning) {
  FeedLaunch();
  AddManager();
  // Down until Tuesday 8 December 22:00, inside quiet hours: out Wednesday at 08:30.
  clock_.SetTime(At(2026, 12, 8, 22, 0));
  RunUntil(At(2026, 12, 9, 12, 0), absl::Minutes(15));
  ASSERT_EQ(DigestSends(*webhook_).size(), 1u);
  EXPECT_EQ(std::get<2>(DigestSends(*webhook_)[0]), "2026-12-09 08:30");
}

TEST_F(WeeklyDigestTest, AHolidayMondayMovesTheDigestToTuesday) {
  // Qingming 2026: Monday 6 April is a day off.
  clock_.SetTime(At(2026, 4, 5, 12, 0));
  FeedLaunch();
  AddManager();
  RunUntil(At(2026, 4, 8, 12, 0));
  using Send = std::tuple<std::string, std::string, std::string>;
  EXPECT_THAT(DigestSends(*webhook_),
              ElementsAre(Send("https://hooks.example/boss",
                               "weekly-digest/acme/2026-04-06/tenants/acme/recipients/boss/webhook",
                               "2026-04-07 09:00")));
}

TEST_F(WeeklyDigestTest, EachChannelsMessageFitsItsLimit) {
  FeedLaunch(/*extra=*/60);
  AddManager();
  RunUntil(At(2026, 12, 7, 10, 0));
  ASSERT_EQ(DigestSends(*wecom_).size(), 1u);
  for (const RecordingChannel::Sent& sent : wecom_->sent) {
    if (!absl::StartsWith(sent.message.idempotency_key, "weekly-digest/")) continue;
    // WeCom: "subject\ntext" at most 2048 bytes; Markdown with its bold subject line too.
    EXPECT_LE(sent.message.subject.size() + 1 + sent.message.text.size(), 2048u);
    EXPECT_LE(sent.message.subject.size() + 6 + sent.message.markdown.size(), 2048u);
    EXPECT_THAT(sent.message.text, HasSubstr("… and "));
    EXPECT_THAT(sent.message.text, HasSubstr("Must start this week (60)"));
  }
  for (const RecordingChannel::Sent& sent : webhook_->sent) {
    if (!absl::StartsWith(sent.message.idempotency_key, "weekly-digest/")) continue;
    // 64 KiB: all 61 lines, nothing left out.
    EXPECT_THAT(sent.message.text, Not(HasSubstr("… and ")));
  }
}

TEST_F(WeeklyDigestTest, TheForecastShowsTheComingDigestsWithoutSendingThem) {
  FeedLaunch();
  AddManager();
  AddNonManager();
  ForecastQuery query;
  query.horizon = absl::Hours(24 * 14);
  absl::StatusOr<std::vector<ForecastEntry>> entries = engine_->ListReminders(query);
  ASSERT_OK(entries.status());
  std::vector<std::string> digests;
  for (const ForecastEntry& entry : *entries) {
    if (entry.rung.kind != RungKind::kWeeklyDigest) continue;
    digests.push_back(absl::StrCat(entry.rung.id, " ", Local(entry.send_time)));
    ASSERT_EQ(entry.routes.size(), 2u);
    for (const Route& route : entry.routes) {
      EXPECT_EQ(route.recipient.id, "boss");
      EXPECT_THAT(route.text, HasSubstr("Overdue (1)"));
    }
  }
  EXPECT_THAT(digests, ElementsAre("weekly-digest:2026-12-07 2026-12-07 09:00",
                                   "weekly-digest:2026-12-14 2026-12-14 09:00"));
  // Only that recipient's, and another tenant's launch sees none.
  query.recipient_tenant = "acme";
  query.recipient_id = "li.na";
  entries = engine_->ListReminders(query);
  ASSERT_OK(entries.status());
  for (const ForecastEntry& entry : *entries) EXPECT_NE(entry.rung.kind, RungKind::kWeeklyDigest);
  EXPECT_TRUE(DigestDeliveries().empty());
  EXPECT_TRUE(DigestSends(*webhook_).empty());
}

TEST_F(WeeklyDigestTest, TheForecastOfThisWeekEndsOnceItIsSent) {
  FeedLaunch();
  AddManager();
  RunUntil(At(2026, 12, 7, 10, 0));
  ForecastQuery query;
  query.horizon = absl::Hours(24 * 3);
  absl::StatusOr<std::vector<ForecastEntry>> entries = engine_->ListReminders(query);
  ASSERT_OK(entries.status());
  for (const ForecastEntry& entry : *entries) EXPECT_NE(entry.rung.kind, RungKind::kWeeklyDigest);
}

TEST_F(WeeklyDigestTest, OnlyATenantsRecipientMayBeAManager) {
  Recipient anyone;
  anyone.id = "boss";
  anyone.roles = {RecipientRole::kManager};
  anyone.channels = {RecipientChannel{ChannelType::kInbox, "", ""}};
  absl::StatusOr<Recipient> created = engine_->CreateRecipient(anyone);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(created.status().message(), HasSubstr("recipient.roles"));
}

TEST_F(WeeklyDigestTest, ManagersOfEachTenantGetTheirTenantsDigestOnly) {
  FeedLaunch();
  AddManager();
  Recipient other;
  other.tenant = "globex";
  other.id = "boss";
  other.language = "en";
  other.roles = {RecipientRole::kManager};
  other.channels = {RecipientChannel{ChannelType::kWebhook, "https://hooks.example/globex", ""}};
  ASSERT_OK(engine_->CreateRecipient(other).status());
  RunUntil(At(2026, 12, 7, 10, 0));
  for (const RecordingChannel::Sent& sent : webhook_->sent) {
    if (sent.target == "https://hooks.example/globex") {
      EXPECT_THAT(sent.message.text, HasSubstr("Nothing at risk"));
      EXPECT_THAT(sent.message.text, Not(HasSubstr("ICP_FILING")));
    }
  }
  EXPECT_EQ(DigestSends(*webhook_).size(), 2u);
}

}  // namespace
}  // namespace preflight::notifier
