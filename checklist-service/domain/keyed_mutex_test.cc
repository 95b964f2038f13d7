#include "checklist-service/domain/keyed_mutex.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

TEST(KeyedMutexTest, OneKeyIsExclusive) {
  KeyedMutex locks;
  int counter = 0;  // guarded by the "launch" key
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        KeyedMutex::Lock lock = locks.Acquire("launch");
        int seen = counter;
        std::this_thread::yield();
        counter = seen + 1;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter, 4000);
  EXPECT_EQ(locks.active_keys(), 0u);
}

TEST(KeyedMutexTest, DifferentKeysDoNotWaitForEachOther) {
  KeyedMutex locks;
  KeyedMutex::Lock held = locks.Acquire("a");
  absl::Notification acquired;
  std::thread other([&] {
    KeyedMutex::Lock lock = locks.Acquire("b");
    acquired.Notify();
  });
  // "a" stays held throughout: "b" must not wait for it.
  acquired.WaitForNotification();
  other.join();
  EXPECT_EQ(locks.active_keys(), 1u);
}

TEST(KeyedMutexTest, AWaiterGetsTheKeyWhenItIsReleased) {
  KeyedMutex locks;
  std::atomic<bool> entered{false};
  std::thread waiter;
  {
    KeyedMutex::Lock held = locks.Acquire("a");
    waiter = std::thread([&] {
      KeyedMutex::Lock lock = locks.Acquire("a");
      entered = true;
    });
    EXPECT_FALSE(entered.load());
  }
  waiter.join();
  EXPECT_TRUE(entered.load());
  EXPECT_EQ(locks.active_keys(), 0u);
}

}  // namespace
}  // namespace preflight::checklist
