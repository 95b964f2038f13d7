#pragma once

#include <functional>

#include "absl/random/random.h"
#include "absl/time/time.h"

namespace preflight::notifier {

struct BackoffOptions {
  enum class Jitter {
    // Uniform in [0, ceiling), the ceiling growing from `initial` by `multiplier` up to `max`.
    kFull,
    // Uniform in [initial, previous delay * multiplier), capped at `max`: grows like the
    // exponential but never lines clients up on the same ceiling.
    kDecorrelated,
  };

  absl::Duration initial = absl::Milliseconds(500);
  absl::Duration max = absl::Seconds(30);
  double multiplier = 2.0;
  Jitter jitter = Jitter::kFull;
};

// Jittered exponential backoff between reconnection attempts, so that many clients of a server
// that comes back do not all retry at the same instant. Not thread-safe.
class Backoff {
 public:
  // Returns a number in [0, 1). Tests inject a fixed sequence.
  using RandomSource = std::function<double()>;

  // Out-of-range options are clamped: initial at least 1 ms, max at least initial, multiplier at
  // least 1. Without `random` it draws from its own generator.
  explicit Backoff(BackoffOptions options, RandomSource random = nullptr);

  // The delay before the next attempt.
  absl::Duration Next();
  // After progress: the next delay starts from the beginning again.
  void Reset();
  // Delays handed out since construction or the last Reset.
  int attempts() const { return attempts_; }

 private:
  double Random();

  BackoffOptions options_;
  RandomSource random_;
  absl::BitGen bit_gen_;
  int attempts_ = 0;
  // kFull: the current ceiling. kDecorrelated: the previous delay.
  absl::Duration current_;
};

}  // namespace preflight::notifier
