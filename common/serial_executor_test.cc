#include "common/serial_executor.h"

#include <pthread.h>

#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::ElementsAre;

constexpr absl::Duration kPatience = absl::Seconds(30);

TEST(SerialExecutorTest, RunsTasksInOrderOnOneNamedThreadOfItsOwn) {
  absl::Mutex mu;
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  char name[16] = {};
  absl::Notification done;
  {
    SerialExecutor executor("test-worker");
    for (int i = 0; i < 100; ++i) {
      executor.Post([&, i] {
        absl::MutexLock lock(&mu);
        order.push_back(i);
        threads.push_back(std::this_thread::get_id());
      });
    }
    executor.Post([&] {
      pthread_getname_np(pthread_self(), name, sizeof(name));
      done.Notify();
    });
    ASSERT_TRUE(done.WaitForNotificationWithTimeout(kPatience));
  }
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
  for (const std::thread::id& id : threads) {
    EXPECT_EQ(id, threads.front());
    EXPECT_NE(id, std::this_thread::get_id());
  }
  EXPECT_STREQ(name, "test-worker");
}

TEST(SerialExecutorTest, TheDestructorRunsWhatWasPostedIncludingWhatTasksPost) {
  std::vector<int> ran;  // only the executor's thread touches it until the destructor returns
  absl::Notification release;
  {
    SerialExecutor executor("test-worker");
    // The first task holds the thread until everything else is queued.
    executor.Post([&] { release.WaitForNotificationWithTimeout(kPatience); });
    executor.Post([&] {
      ran.push_back(1);
      executor.Post([&] { ran.push_back(3); });
    });
    executor.Post([&] { ran.push_back(2); });
    release.Notify();
  }
  EXPECT_THAT(ran, ElementsAre(1, 2, 3));
}

TEST(SerialExecutorTest, ManyThreadsMayPostAtOnce) {
  absl::Mutex mu;
  int count = 0;
  {
    SerialExecutor executor("test-worker");
    std::vector<std::thread> posters;
    for (int t = 0; t < 4; ++t) {
      posters.emplace_back([&] {
        for (int i = 0; i < 1000; ++i) {
          executor.Post([&] {
            absl::MutexLock lock(&mu);
            ++count;
          });
        }
      });
    }
    for (std::thread& poster : posters) poster.join();
  }
  EXPECT_EQ(count, 4000);
}

}  // namespace
}  // namespace preflight
