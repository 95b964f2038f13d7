#include "notifier-service/checklist_link/backoff.h"

#include <cstddef>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;

// Hands out `values` in turn, repeating the last one.
Backoff::RandomSource Sequence(std::vector<double> values) {
  auto next = std::make_shared<size_t>(0);
  return [values, next] {
    const double value = values[std::min(*next, values.size() - 1)];
    ++*next;
    return value;
  };
}

std::vector<int64_t> NextMillis(Backoff& backoff, int count) {
  std::vector<int64_t> out;
  for (int i = 0; i < count; ++i) out.push_back(absl::ToInt64Milliseconds(backoff.Next()));
  return out;
}

BackoffOptions Options(BackoffOptions::Jitter jitter, double multiplier = 2.0) {
  BackoffOptions options;
  options.initial = absl::Milliseconds(100);
  options.max = absl::Seconds(1);
  options.multiplier = multiplier;
  options.jitter = jitter;
  return options;
}

TEST(BackoffTest, FullJitterDrawsBelowAGrowingCappedCeiling) {
  Backoff backoff(Options(BackoffOptions::Jitter::kFull), Sequence({0.5}));
  EXPECT_THAT(NextMillis(backoff, 7), ElementsAre(50, 100, 200, 400, 500, 500, 500));
  EXPECT_EQ(backoff.attempts(), 7);
}

TEST(BackoffTest, FullJitterSpansTheWholeRange) {
  Backoff low(Options(BackoffOptions::Jitter::kFull), Sequence({0.0}));
  EXPECT_THAT(NextMillis(low, 3), ElementsAre(0, 0, 0));
  Backoff high(Options(BackoffOptions::Jitter::kFull), Sequence({0.75}));
  EXPECT_THAT(NextMillis(high, 5), ElementsAre(75, 150, 300, 600, 750));
}

TEST(BackoffTest, ResetStartsOverFromTheInitialDelay) {
  Backoff backoff(Options(BackoffOptions::Jitter::kFull), Sequence({0.5}));
  EXPECT_THAT(NextMillis(backoff, 4), ElementsAre(50, 100, 200, 400));
  backoff.Reset();
  EXPECT_EQ(backoff.attempts(), 0);
  EXPECT_THAT(NextMillis(backoff, 2), ElementsAre(50, 100));
}

TEST(BackoffTest, DecorrelatedJitterGrowsFromThePreviousDelay) {
  Backoff backoff(Options(BackoffOptions::Jitter::kDecorrelated, 3.0),
                  Sequence({0.5, 0.5, 0.5, 0.5, 0.0, 0.5}));
  // [100, 300) -> 200; [100, 600) -> 350; [100, 1000) -> 550 (capped); again 550; a draw of 0
  // gives the initial delay, from which it grows again: [100, 300) -> 200.
  EXPECT_THAT(NextMillis(backoff, 6), ElementsAre(200, 350, 550, 550, 100, 200));
}

TEST(BackoffTest, DecorrelatedJitterNeverExceedsTheMaximum) {
  Backoff backoff(Options(BackoffOptions::Jitter::kDecorrelated, 3.0), Sequence({0.999}));
  for (int64_t millis : NextMillis(backoff, 20)) {
    EXPECT_GE(millis, 100);
    EXPECT_LE(millis, 1000);
  }
}

TEST(BackoffTest, ClampsNonsensicalOptionsAndRandomValues) {
  BackoffOptions options;
  options.initial = absl::ZeroDuration();
  options.max = absl::Milliseconds(-5);
  options.multiplier = 0.5;
  Backoff backoff(options, Sequence({7.0}));
  // initial 1 ms, max 1 ms, multiplier 1, random just below 1.
  for (absl::Duration d : {backoff.Next(), backoff.Next()}) {
    EXPECT_GE(d, absl::ZeroDuration());
    EXPECT_LE(d, absl::Milliseconds(1));
  }
  Backoff negative(Options(BackoffOptions::Jitter::kFull), Sequence({-3.0}));
  EXPECT_EQ(negative.Next(), absl::ZeroDuration());
}

TEST(BackoffTest, TheBuiltInRandomSourceStaysInRange) {
  Backoff backoff(Options(BackoffOptions::Jitter::kFull));
  absl::Duration ceiling = absl::Milliseconds(100);
  bool varied = false;
  absl::Duration previous = absl::InfiniteDuration();
  for (int i = 0; i < 200; ++i) {
    const absl::Duration d = backoff.Next();
    EXPECT_GE(d, absl::ZeroDuration());
    EXPECT_LT(d, ceiling);
    if (i > 0 && d != previous) varied = true;
    previous = d;
    ceiling = std::min(absl::Seconds(1), ceiling * 2);
  }
  EXPECT_TRUE(varied);
}

}  // namespace
}  // namespace preflight::notifier
