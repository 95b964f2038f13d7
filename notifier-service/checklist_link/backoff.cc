#include "notifier-service/checklist_link/backoff.h"

#include <algorithm>
#include <utility>

namespace preflight::notifier {

Backoff::Backoff(BackoffOptions options, RandomSource random)
    : options_(std::move(options)), random_(std::move(random)) {
  options_.initial = std::max(options_.initial, absl::Milliseconds(1));
  options_.max = std::max(options_.max, options_.initial);
  options_.multiplier = std::max(options_.multiplier, 1.0);
  Reset();
}

void Backoff::Reset() {
  attempts_ = 0;
  current_ = options_.initial;
}

double Backoff::Random() {
  const double r = random_ ? random_() : absl::Uniform<double>(bit_gen_, 0.0, 1.0);
  // Keep a faulty source inside [0, 1).
  return std::clamp(r, 0.0, 1.0 - 1e-12);
}

absl::Duration Backoff::Next() {
  absl::Duration delay;
  if (options_.jitter == BackoffOptions::Jitter::kFull) {
    delay = current_ * Random();
    current_ = std::min(options_.max, current_ * options_.multiplier);
  } else {
    const absl::Duration upper = std::min(options_.max, current_ * options_.multiplier);
    delay = options_.initial + (upper - options_.initial) * Random();
    current_ = std::max(delay, options_.initial);
  }
  ++attempts_;
  return delay;
}

}  // namespace preflight::notifier
