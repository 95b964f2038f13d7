#include "checklist-service/grpc/write_gate.h"

#include <atomic>
#include <memory>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(30);

TEST(WriteGateTest, InterruptRefusesLaterWritesAndTellsWhetherOneIsInFlight) {
  int cancels = 0;
  WriteGate idle([&] { ++cancels; });
  EXPECT_TRUE(idle.BeginWrite());
  idle.EndWrite();
  EXPECT_FALSE(idle.Interrupt());
  EXPECT_FALSE(idle.BeginWrite());
  idle.CancelIfStillWriting();
  EXPECT_EQ(cancels, 0);

  WriteGate busy([&] { ++cancels; });
  ASSERT_TRUE(busy.BeginWrite());
  EXPECT_TRUE(busy.Interrupt());
  busy.CancelIfStillWriting();
  EXPECT_EQ(cancels, 1);
}

TEST(WriteGateTest, AWriteThatFinishedInTimeIsNotCancelled) {
  int cancels = 0;
  WriteGate gate([&] { ++cancels; });
  ASSERT_TRUE(gate.BeginWrite());
  ASSERT_TRUE(gate.Interrupt());
  gate.EndWrite();
  gate.CancelIfStillWriting();
  EXPECT_EQ(cancels, 0);
}

TEST(WriteGateTest, ADetachedGateNeverCancels) {
  int cancels = 0;
  WriteGate gate([&] { ++cancels; });
  ASSERT_TRUE(gate.BeginWrite());
  ASSERT_TRUE(gate.Interrupt());
  gate.Detach();
  gate.CancelIfStillWriting();
  EXPECT_EQ(cancels, 0);
}

TEST(StalledWriteCancellerTest, CancelsOnlyWritesStillBlockedAfterTheGrace) {
  StalledWriteCanceller canceller(absl::Milliseconds(1));
  std::atomic<int> finished_cancels{0};
  auto finished = std::make_shared<WriteGate>([&] { ++finished_cancels; });
  absl::Notification stuck_cancelled;
  auto stuck = std::make_shared<WriteGate>([&] { stuck_cancelled.Notify(); });

  ASSERT_TRUE(finished->BeginWrite());
  ASSERT_TRUE(finished->Interrupt());
  finished->EndWrite();  // returns before the grace is over
  canceller.Schedule(finished);
  ASSERT_TRUE(stuck->BeginWrite());
  ASSERT_TRUE(stuck->Interrupt());
  canceller.Schedule(stuck);

  // Gates fall due in the order they were scheduled, so `finished` has been handled by now.
  EXPECT_TRUE(stuck_cancelled.WaitForNotificationWithTimeout(kPatience));
  EXPECT_EQ(finished_cancels, 0);
}

TEST(StalledWriteCancellerTest, StopsPromptlyWithGatesPending) {
  int cancels = 0;
  {
    StalledWriteCanceller canceller(absl::Hours(1));
    auto gate = std::make_shared<WriteGate>([&] { ++cancels; });
    ASSERT_TRUE(gate->BeginWrite());
    ASSERT_TRUE(gate->Interrupt());
    canceller.Schedule(gate);
  }
  EXPECT_EQ(cancels, 0);
}

}  // namespace
}  // namespace preflight::checklist
