#include "notifier-service/checklist_link/stream_health.h"

#include "gtest/gtest.h"

namespace preflight::notifier {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

SubscriberStatus Connected(int64_t applied, int64_t head) {
  SubscriberStatus status;
  status.connected = true;
  status.applied_sequence = applied;
  status.checklist_head = head;
  return status;
}

SubscriberStatus Disconnected(int64_t applied) {
  SubscriberStatus status;
  status.applied_sequence = applied;
  status.checklist_head = applied;
  return status;
}

TEST(StreamHealthTest, StaysHealthyThroughAShortOutage) {
  StreamHealth health(absl::Seconds(60), kStart);
  EXPECT_TRUE(health.Observe(Connected(10, 10), kStart + absl::Seconds(1)));
  EXPECT_TRUE(health.Observe(Disconnected(10), kStart + absl::Seconds(30)));
  EXPECT_TRUE(health.Observe(Disconnected(10), kStart + absl::Seconds(61)));
  EXPECT_TRUE(health.Observe(Connected(10, 10), kStart + absl::Seconds(62)));
}

TEST(StreamHealthTest, UnhealthyAfterTheGraceAndHealthyOnceCaughtUp) {
  StreamHealth health(absl::Seconds(60), kStart);
  EXPECT_TRUE(health.Observe(Connected(10, 10), kStart));
  EXPECT_TRUE(health.Observe(Disconnected(10), kStart + absl::Seconds(60)));
  EXPECT_FALSE(health.Observe(Disconnected(10), kStart + absl::Seconds(61)));
  // Reconnected, replaying the backlog: still behind the head it was shown.
  EXPECT_FALSE(health.Observe(Connected(500, 900), kStart + absl::Seconds(70)));
  EXPECT_TRUE(health.Observe(Connected(900, 900), kStart + absl::Seconds(71)));
}

TEST(StreamHealthTest, ANotifierThatNeverConnectsTurnsUnhealthy) {
  StreamHealth health(absl::Seconds(5), kStart);
  EXPECT_TRUE(health.Observe(SubscriberStatus{}, kStart + absl::Seconds(5)));
  EXPECT_FALSE(health.Observe(SubscriberStatus{}, kStart + absl::Seconds(6)));
}

TEST(StreamHealthTest, FallingBehindForLongIsUnhealthy) {
  StreamHealth health(absl::Seconds(10), kStart);
  EXPECT_TRUE(health.Observe(Connected(1, 2), kStart + absl::Seconds(10)));
  EXPECT_FALSE(health.Observe(Connected(5, 9), kStart + absl::Seconds(11)));
}

}  // namespace
}  // namespace preflight::notifier
