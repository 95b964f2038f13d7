#pragma once

// Test helpers for the event-stream tests.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "checklist-service/domain/checklist_store.h"

namespace preflight::checklist::watch_testing {

// How long a test waits for something that should happen at once.
inline constexpr absl::Duration kPatience = absl::Seconds(30);

// Passes reads through to the real store and counts backlog reads that found the end of the log,
// so a test knows when a watcher has switched to live events.
class ObservedStore final : public ChecklistStore {
 public:
  explicit ObservedStore(ChecklistStore* real) : real_(real) {}

  absl::StatusOr<LaunchState> LoadLaunch(absl::string_view id) override {
    return real_->LoadLaunch(id);
  }
  absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(
      absl::string_view tenant, absl::string_view request_id) override {
    return real_->FindLaunchByRequestId(tenant, request_id);
  }
  absl::StatusOr<std::vector<LaunchState>> ListLaunches(const LaunchFilter& filter,
                                                        absl::string_view after_id,
                                                        int limit) override {
    return real_->ListLaunches(filter, after_id, limit);
  }
  absl::StatusOr<std::vector<Event>> ListLaunchEvents(absl::string_view id, int64_t after,
                                                      int limit) override {
    return Observe(real_->ListLaunchEvents(id, after, limit), limit);
  }
  absl::StatusOr<std::vector<Event>> ReadEvents(int64_t after, int limit) override {
    return Observe(real_->ReadEvents(after, limit), limit);
  }
  absl::StatusOr<int64_t> LastSequence() override { return real_->LastSequence(); }
  absl::StatusOr<std::vector<LogEpoch>> LogEpochs() override { return real_->LogEpochs(); }
  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes) override {
    return real_->Commit(changes);
  }
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) override {
    return real_->GetOrCreateSecret(name);
  }

  void FailReads(absl::Status status) {
    absl::MutexLock lock(&mu_);
    read_failure_ = std::move(status);
  }
  // Waits until `count` backlog reads have come back short (the end of the log).
  bool WaitForShortReads(int count) {
    absl::MutexLock lock(&mu_);
    const auto reached = [&] { return short_reads_ >= count; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), kPatience);
  }

 private:
  absl::StatusOr<std::vector<Event>> Observe(absl::StatusOr<std::vector<Event>> page, int limit) {
    absl::MutexLock lock(&mu_);
    if (!read_failure_.ok()) return read_failure_;
    if (page.ok() && static_cast<int>(page->size()) < limit) ++short_reads_;
    return page;
  }

  ChecklistStore* const real_;
  absl::Mutex mu_;
  int short_reads_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status read_failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::checklist::watch_testing
