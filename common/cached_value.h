#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace preflight {

// A value that is costly to compute (a scan of the store for a metric), recomputed at most once
// per `ttl`. Thread-safe; one caller computes while the others wait for its answer.
template <typename T>
class CachedValue {
 public:
  CachedValue(const Clock* clock, absl::Duration ttl, std::function<absl::StatusOr<T>()> compute)
      : clock_(clock), ttl_(ttl), compute_(std::move(compute)) {}

  // The value computed less than `ttl` ago, else a new one. When computing fails, the last good
  // value (nullopt if there never was one), tried again at the next call.
  std::optional<T> Get() {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_->Now();
    if (value_.has_value() && now - computed_at_ < ttl_) return value_;
    absl::StatusOr<T> fresh = compute_();
    if (fresh.ok()) {
      value_ = *std::move(fresh);
      computed_at_ = now;
    }
    return value_;
  }

 private:
  const Clock* const clock_;
  const absl::Duration ttl_;
  const std::function<absl::StatusOr<T>()> compute_;
  absl::Mutex mu_;
  std::optional<T> value_ ABSL_GUARDED_BY(mu_);
  absl::Time computed_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace preflight
