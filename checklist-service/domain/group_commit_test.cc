#include "checklist-service/domain/group_commit.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;

// A store whose CommitBatch numbers events like a real one, records every batch, can hold a
// batch inside the "transaction" until released, and fails the change sets of chosen launches.
class BatchRecordingStore final : public ChecklistStore {
 public:
  std::vector<absl::StatusOr<std::vector<Event>>> CommitBatch(
      const std::vector<const ChangeSet*>& batch) override {
    {
      absl::MutexLock lock(&mu_);
      std::vector<std::string> launches;
      for (const ChangeSet* changes : batch) launches.push_back(changes->events[0].launch_id);
      batches_.push_back(launches);
      ++inside_;
    }
    if (hold_ != nullptr) hold_->WaitForNotification();
    absl::MutexLock lock(&mu_);
    --inside_;
    std::vector<absl::StatusOr<std::vector<Event>>> results;
    for (const ChangeSet* changes : batch) {
      if (changes->events[0].launch_id == failing_launch_) {
        results.push_back(absl::AbortedError("version conflict"));
        continue;
      }
      std::vector<Event> events = changes->events;
      for (Event& event : events) event.sequence = ++last_sequence_;
      results.push_back(events);
    }
    return results;
  }
  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes) override {
    return std::move(CommitBatch({&changes}).front());
  }

  void HoldBatches(absl::Notification* hold) { hold_ = hold; }
  void FailLaunch(std::string launch_id) { failing_launch_ = std::move(launch_id); }
  std::vector<std::vector<std::string>> batches() {
    absl::MutexLock lock(&mu_);
    return batches_;
  }
  void AwaitInside() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* inside) { return *inside > 0; }, &inside_));
  }

  // The rest of the port is not used by the committer.
  absl::StatusOr<LaunchState> LoadLaunch(absl::string_view) override { return Unused(); }
  absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(absl::string_view,
                                                                   absl::string_view) override {
    return Unused();
  }
  absl::StatusOr<std::vector<LaunchState>> ListLaunches(const LaunchFilter&, absl::string_view,
                                                        int) override {
    return Unused();
  }
  absl::StatusOr<std::vector<Event>> ListLaunchEvents(absl::string_view, int64_t, int) override {
    return Unused();
  }
  absl::StatusOr<std::vector<Event>> ReadEvents(int64_t, int) override { return Unused(); }
  absl::StatusOr<int64_t> LastSequence() override { return Unused(); }
  absl::StatusOr<std::vector<LogEpoch>> LogEpochs() override { return Unused(); }
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view) override { return Unused(); }

 private:
  static absl::Status Unused() { return absl::UnimplementedError("not used"); }

  absl::Notification* hold_ = nullptr;
  std::string failing_launch_;
  absl::Mutex mu_;
  std::vector<std::vector<std::string>> batches_ ABSL_GUARDED_BY(mu_);
  int inside_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
};

ChangeSet ChangeOf(const std::string& launch_id, int events = 1) {
  ChangeSet changes;
  for (int i = 0; i < events; ++i) {
    Event event;
    event.type = EventType::kItemUpdated;
    event.launch_id = launch_id;
    changes.events.push_back(event);
  }
  return changes;
}

class Published {
 public:
  void Add(const std::vector<Event>& events) {
    absl::MutexLock lock(&mu_);
    for (const Event& event : events) sequences_.push_back(event.sequence);
  }
  std::vector<int64_t> sequences() {
    absl::MutexLock lock(&mu_);
    return sequences_;
  }

 private:
  absl::Mutex mu_;
  std::vector<int64_t> sequences_ ABSL_GUARDED_BY(mu_);
};

TEST(GroupCommitterTest, ALoneWriterCommitsAtOnceAndPublishes) {
  BatchRecordingStore store;
  Published published;
  GroupCommitter committer(&store, [&](const std::vector<Event>& e) { published.Add(e); });

  absl::StatusOr<std::vector<Event>> committed = committer.Commit(ChangeOf("a", 2));
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(committed->size(), 2u);
  EXPECT_EQ((*committed)[1].sequence, 2);
  EXPECT_THAT(published.sequences(), ElementsAre(1, 2));
  EXPECT_THAT(store.batches(), ElementsAre(ElementsAre("a")));
}

// While one batch is in its transaction, the writers that arrive share the next one.
TEST(GroupCommitterTest, WritersArrivingDuringACommitShareTheNextBatch) {
  BatchRecordingStore store;
  Published published;
  GroupCommitter committer(&store, [&](const std::vector<Event>& e) { published.Add(e); });
  absl::Notification hold;
  store.HoldBatches(&hold);

  std::vector<std::thread> writers;
  std::vector<absl::StatusOr<std::vector<Event>>> results(4, absl::UnknownError("not run"));
  writers.emplace_back([&] { results[0] = committer.Commit(ChangeOf("first")); });
  store.AwaitInside();  // the first batch holds the store
  for (int i = 1; i < 4; ++i) {
    writers.emplace_back([&, i] { results[i] = committer.Commit(ChangeOf(absl::StrCat("w", i))); });
  }
  while (committer.waiting() < 3) std::this_thread::yield();
  hold.Notify();
  for (std::thread& writer : writers) writer.join();

  for (const auto& result : results) ASSERT_TRUE(result.ok()) << result.status();
  const std::vector<std::vector<std::string>> batches = store.batches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_THAT(batches[0], ElementsAre("first"));
  EXPECT_THAT(batches[1], ::testing::UnorderedElementsAre("w1", "w2", "w3"));
  EXPECT_EQ(committer.stats().largest_batch, 3u);
  // Published in log order, across batches.
  EXPECT_THAT(published.sequences(), ElementsAre(1, 2, 3, 4));
}

TEST(GroupCommitterTest, AFailedChangeSetFailsOnlyItsWriter) {
  BatchRecordingStore store;
  Published published;
  GroupCommitter committer(&store, [&](const std::vector<Event>& e) { published.Add(e); });
  absl::Notification hold;
  store.HoldBatches(&hold);
  store.FailLaunch("conflicted");

  std::vector<std::thread> writers;
  absl::StatusOr<std::vector<Event>> first = absl::UnknownError("not run");
  absl::StatusOr<std::vector<Event>> good = absl::UnknownError("not run");
  absl::StatusOr<std::vector<Event>> bad = absl::UnknownError("not run");
  writers.emplace_back([&] { first = committer.Commit(ChangeOf("first")); });
  store.AwaitInside();
  writers.emplace_back([&] { bad = committer.Commit(ChangeOf("conflicted")); });
  writers.emplace_back([&] { good = committer.Commit(ChangeOf("good")); });
  while (committer.waiting() < 2) std::this_thread::yield();
  hold.Notify();
  for (std::thread& writer : writers) writer.join();

  EXPECT_TRUE(first.ok());
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(published.sequences(), ElementsAre(1, 2));
}

TEST(GroupCommitterTest, BatchesAreCappedAtMaxBatch) {
  BatchRecordingStore store;
  GroupCommitter committer(&store, nullptr, /*max_batch=*/2);
  absl::Notification hold;
  store.HoldBatches(&hold);

  std::vector<std::thread> writers;
  writers.emplace_back([&] { ASSERT_TRUE(committer.Commit(ChangeOf("first")).ok()); });
  store.AwaitInside();
  for (int i = 0; i < 5; ++i) {
    writers.emplace_back(
        [&, i] { ASSERT_TRUE(committer.Commit(ChangeOf(absl::StrCat("w", i))).ok()); });
  }
  while (committer.waiting() < 5) std::this_thread::yield();
  hold.Notify();
  for (std::thread& writer : writers) writer.join();

  EXPECT_EQ(committer.stats().change_sets, 6);
  EXPECT_EQ(committer.stats().largest_batch, 2u);
  EXPECT_EQ(committer.stats().batches, 4);  // 1, then 2 + 2 + 1
}

}  // namespace
}  // namespace preflight::checklist
