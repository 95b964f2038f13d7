#include "checklist-service/domain/schedule_cache.h"

#include <memory>

#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

ScheduleKey Key(const char* id, int64_t version, int day = 1) {
  return ScheduleKey{id, version, 0, absl::CivilDay(2026, 9, day)};
}

std::shared_ptr<const ScheduleResult> Slack(int slack) {
  auto result = std::make_shared<ScheduleResult>();
  result->launch.slack_working_days = slack;
  return result;
}

TEST(ScheduleCacheTest, FindsOnlyTheExactKey) {
  ScheduleCache cache(8);
  cache.Insert(Key("a", 1), Slack(5));
  ASSERT_NE(cache.Find(Key("a", 1)), nullptr);
  EXPECT_EQ(cache.Find(Key("a", 1))->launch.slack_working_days, 5);
  EXPECT_EQ(cache.Find(Key("a", 2)), nullptr);
  EXPECT_EQ(cache.Find(Key("a", 1, /*day=*/2)), nullptr);
  EXPECT_EQ(cache.Find(Key("b", 1)), nullptr);
  ScheduleKey other_items = Key("a", 1);
  other_items.items_version = 1;
  EXPECT_EQ(cache.Find(other_items), nullptr);
}

TEST(ScheduleCacheTest, EvictsTheLeastRecentlyUsed) {
  ScheduleCache cache(2);
  cache.Insert(Key("a", 1), Slack(1));
  cache.Insert(Key("b", 1), Slack(2));
  ASSERT_NE(cache.Find(Key("a", 1)), nullptr);  // b is now the oldest
  cache.Insert(Key("c", 1), Slack(3));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.Find(Key("a", 1)), nullptr);
  EXPECT_EQ(cache.Find(Key("b", 1)), nullptr);
  EXPECT_NE(cache.Find(Key("c", 1)), nullptr);
}

TEST(ScheduleCacheTest, ZeroCapacityKeepsNothing) {
  ScheduleCache cache(0);
  cache.Insert(Key("a", 1), Slack(1));
  EXPECT_EQ(cache.Find(Key("a", 1)), nullptr);
}

}  // namespace
}  // namespace preflight::checklist
