#pragma once

// Send budgets per bot key, so a burst of reminders never trips a provider's rate limit (which
// for DingTalk blocks the bot for ten minutes). The engine asks before each send and folds what
// does not fit into one digest.

#include <map>
#include <string>
#include <tuple>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// A token bucket: `per_minute` tokens flow in evenly over each minute, at most `burst` are held.
struct RateLimit {
  // <= 0: no limit.
  int per_minute = 0;
  // <= 0: the same as per_minute.
  int burst = 0;
};

// What one budget is kept for: a bot (its webhook URL names it) of one channel type.
struct BotKey {
  ChannelType type = ChannelType::kLog;
  std::string target;

  bool operator<(const BotKey& other) const {
    return std::tie(type, target) < std::tie(other.type, other.target);
  }
};

// Token buckets keyed by bot, with the limit of the key's channel type. Time is passed in, so the
// budget follows whatever clock the caller runs on. Thread-safe.
//
// Implemented as a generic cell rate algorithm: each bucket keeps only the time at which it will
// be full again, which makes refill exact for any sequence of times (no floating point drift).
class RateBudget {
 public:
  // The providers' documented limits: WeCom 20/min, DingTalk 20/min, Feishu 100/min with at most
  // 5 at once, Slack 60/min (burst = per_minute unless said). Other types are unlimited.
  static std::map<ChannelType, RateLimit> DefaultLimits();

  RateBudget() : RateBudget(DefaultLimits()) {}
  // Types missing from `limits` are unlimited.
  explicit RateBudget(std::map<ChannelType, RateLimit> limits);

  RateBudget(const RateBudget&) = delete;
  RateBudget& operator=(const RateBudget&) = delete;

  // Takes one token from the key's bucket if it has one at `now`.
  bool TryAcquire(const BotKey& key, absl::Time now);

  // Whole tokens in the key's bucket at `now` (a large number for unlimited types).
  int Available(const BotKey& key, absl::Time now) const;

  // The earliest time, not before `now`, at which TryAcquire would succeed.
  absl::Time NextAvailableTime(const BotKey& key, absl::Time now) const;

  // The limit applied to `type` (per_minute 0 when unlimited; burst resolved).
  RateLimit LimitFor(ChannelType type) const;

 private:
  struct Resolved {
    int per_minute = 0;
    absl::Duration interval;  // between two tokens
    int burst = 0;
  };
  // Null when the type is unlimited.
  const Resolved* Find(ChannelType type) const;
  // The bucket's tokens at `now` given the time it is full again.
  static int TokensAt(const Resolved& limit, absl::Time full_at, absl::Time now);
  void PruneFullBuckets(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::map<ChannelType, Resolved> limits_;
  mutable absl::Mutex mu_;
  // When each bucket is full again; a key that is absent has a full bucket.
  std::map<BotKey, absl::Time> full_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::notifier
