#include "notifier-service/engine/rate_budget.h"

#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace preflight::notifier {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z
const BotKey kWecomBot{ChannelType::kWecom,
                       "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a"};
const BotKey kOtherWecomBot{ChannelType::kWecom,
                            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b"};

TEST(RateBudgetTest, DefaultsFollowTheProviders) {
  const RateBudget budget;
  EXPECT_EQ(budget.LimitFor(ChannelType::kWecom).per_minute, 20);
  EXPECT_EQ(budget.LimitFor(ChannelType::kWecom).burst, 20);
  EXPECT_EQ(budget.LimitFor(ChannelType::kDingtalk).per_minute, 20);
  EXPECT_EQ(budget.LimitFor(ChannelType::kFeishu).per_minute, 100);
  EXPECT_EQ(budget.LimitFor(ChannelType::kFeishu).burst, 5);
  EXPECT_EQ(budget.LimitFor(ChannelType::kSlack).per_minute, 60);
  EXPECT_EQ(budget.LimitFor(ChannelType::kWebhook).per_minute, 0);
}

TEST(RateBudgetTest, BurstThenRefillOneTokenPerInterval) {
  RateBudget budget;  // WeCom: 20 a minute, one token every 3 seconds
  EXPECT_EQ(budget.Available(kWecomBot, kStart), 20);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(budget.TryAcquire(kWecomBot, kStart)) << i;
  EXPECT_FALSE(budget.TryAcquire(kWecomBot, kStart));
  EXPECT_EQ(budget.Available(kWecomBot, kStart), 0);
  EXPECT_EQ(budget.NextAvailableTime(kWecomBot, kStart), kStart + absl::Seconds(3));

  // Not yet at 2.999 s; exactly one at 3 s.
  EXPECT_EQ(budget.Available(kWecomBot, kStart + absl::Milliseconds(2999)), 0);
  EXPECT_FALSE(budget.TryAcquire(kWecomBot, kStart + absl::Milliseconds(2999)));
  EXPECT_EQ(budget.Available(kWecomBot, kStart + absl::Seconds(3)), 1);
  EXPECT_TRUE(budget.TryAcquire(kWecomBot, kStart + absl::Seconds(3)));
  EXPECT_FALSE(budget.TryAcquire(kWecomBot, kStart + absl::Seconds(3)));
  EXPECT_EQ(budget.NextAvailableTime(kWecomBot, kStart + absl::Seconds(4)),
            kStart + absl::Seconds(6));

  // Half a minute later, 10 tokens are back; a full minute refills the bucket but not beyond.
  EXPECT_EQ(budget.Available(kWecomBot, kStart + absl::Seconds(33)), 10);
  EXPECT_EQ(budget.Available(kWecomBot, kStart + absl::Seconds(63)), 20);
  EXPECT_EQ(budget.Available(kWecomBot, kStart + absl::Hours(5)), 20);
}

TEST(RateBudgetTest, KeysAreIndependent) {
  RateBudget budget;
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(budget.TryAcquire(kWecomBot, kStart));
  EXPECT_FALSE(budget.TryAcquire(kWecomBot, kStart));
  EXPECT_EQ(budget.Available(kOtherWecomBot, kStart), 20);
  EXPECT_TRUE(budget.TryAcquire(kOtherWecomBot, kStart));
  // Same URL, other channel type: another bucket with that type's limit.
  const BotKey as_slack{ChannelType::kSlack, kWecomBot.target};
  EXPECT_EQ(budget.Available(as_slack, kStart), 60);
}

TEST(RateBudgetTest, FeishuBurstOfFiveRefillsEvery600Milliseconds) {
  RateBudget budget;
  const BotKey bot{ChannelType::kFeishu, "https://open.feishu.cn/open-apis/bot/v2/hook/x"};
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(budget.TryAcquire(bot, kStart));
  EXPECT_FALSE(budget.TryAcquire(bot, kStart));
  EXPECT_EQ(budget.NextAvailableTime(bot, kStart), kStart + absl::Milliseconds(600));
  EXPECT_FALSE(budget.TryAcquire(bot, kStart + absl::Milliseconds(599)));
  EXPECT_TRUE(budget.TryAcquire(bot, kStart + absl::Milliseconds(600)));
  // Exact refill over many intervals: 100 more in the next minute, paced at 600 ms.
  int sent = 0;
  for (int ms = 601; ms <= 60600; ++ms) {
    if (budget.TryAcquire(bot, kStart + absl::Milliseconds(ms))) ++sent;
  }
  EXPECT_EQ(sent, 100);
}

TEST(RateBudgetTest, DingtalkTwentyAMinuteSustained) {
  RateBudget budget;
  const BotKey bot{ChannelType::kDingtalk, "https://oapi.dingtalk.com/robot/send?access_token=t"};
  int sent = 0;
  // Try every 100 ms for ten minutes: the first minute allows the burst plus refill, after that
  // exactly 20 a minute.
  for (int step = 0; step < 6000; ++step) {
    if (budget.TryAcquire(bot, kStart + absl::Milliseconds(100) * step)) ++sent;
  }
  EXPECT_EQ(sent, 20 + 200 - 1);  // burst, then one per 3 s in [3 s, 599.9 s]
}

TEST(RateBudgetTest, UnlimitedTypesAlwaysAcquire) {
  RateBudget budget;
  const BotKey hook{ChannelType::kWebhook, "http://127.0.0.1/hook"};
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(budget.TryAcquire(hook, kStart));
  EXPECT_EQ(budget.Available(hook, kStart), std::numeric_limits<int>::max());
  EXPECT_EQ(budget.NextAvailableTime(hook, kStart), kStart);
}

TEST(RateBudgetTest, CustomLimitsAndZeroBurstMeansPerMinute) {
  RateBudget budget({{ChannelType::kWebhook, {2, 0}}, {ChannelType::kSlack, {0, 5}}});
  EXPECT_EQ(budget.LimitFor(ChannelType::kWebhook).burst, 2);
  const BotKey hook{ChannelType::kWebhook, "http://127.0.0.1/hook"};
  EXPECT_TRUE(budget.TryAcquire(hook, kStart));
  EXPECT_TRUE(budget.TryAcquire(hook, kStart));
  EXPECT_FALSE(budget.TryAcquire(hook, kStart));
  EXPECT_EQ(budget.NextAvailableTime(hook, kStart), kStart + absl::Seconds(30));
  // per_minute 0: unlimited; types not listed: unlimited.
  EXPECT_TRUE(budget.TryAcquire({ChannelType::kSlack, "s"}, kStart));
  EXPECT_EQ(budget.LimitFor(ChannelType::kWecom).per_minute, 0);
}

TEST(RateBudgetTest, TimeGoingBackwardsGrantsNothingExtra) {
  RateBudget budget({{ChannelType::kWecom, {1, 1}}});
  EXPECT_TRUE(budget.TryAcquire(kWecomBot, kStart));
  EXPECT_FALSE(budget.TryAcquire(kWecomBot, kStart - absl::Minutes(5)));
  EXPECT_EQ(budget.Available(kWecomBot, kStart - absl::Minutes(5)), 0);
  EXPECT_TRUE(budget.TryAcquire(kWecomBot, kStart + absl::Minutes(1)));
}

TEST(RateBudgetTest, ConcurrentAcquiresNeverOverspend) {
  RateBudget budget;
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (budget.TryAcquire(kWecomBot, kStart)) ++granted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), 20);
}

TEST(RateBudgetTest, ManyKeysStayCorrectAcrossPruning) {
  RateBudget budget;
  // More keys than the prune threshold, each spent once; later, each has refilled.
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(budget.TryAcquire({ChannelType::kWecom, absl::StrCat("bot", i)},
                                  kStart + absl::Seconds(i)));
  }
  EXPECT_EQ(budget.Available({ChannelType::kWecom, "bot4999"}, kStart + absl::Seconds(4999)), 19);
  EXPECT_EQ(budget.Available({ChannelType::kWecom, "bot0"}, kStart + absl::Seconds(4999)), 20);
}

}  // namespace
}  // namespace preflight::notifier
