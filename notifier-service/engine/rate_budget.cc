#include "notifier-service/engine/rate_budget.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace preflight::notifier {
namespace {

// Beyond this many keys, buckets that have refilled completely are dropped (they are equivalent
// to absent ones), so the map does not grow with every bot ever seen.
constexpr size_t kPruneThreshold = 4096;

}  // namespace

std::map<ChannelType, RateLimit> RateBudget::DefaultLimits() {
  return {
      {ChannelType::kWecom, {20, 20}},
      {ChannelType::kDingtalk, {20, 20}},
      {ChannelType::kFeishu, {100, 5}},
      {ChannelType::kSlack, {60, 60}},
  };
}

RateBudget::RateBudget(std::map<ChannelType, RateLimit> limits) {
  for (const auto& [type, limit] : limits) {
    if (limit.per_minute <= 0) continue;
    Resolved resolved;
    resolved.per_minute = limit.per_minute;
    resolved.interval = absl::Minutes(1) / limit.per_minute;
    resolved.burst = limit.burst > 0 ? limit.burst : limit.per_minute;
    limits_[type] = resolved;
  }
}

const RateBudget::Resolved* RateBudget::Find(ChannelType type) const {
  const auto it = limits_.find(type);
  return it == limits_.end() ? nullptr : &it->second;
}

RateLimit RateBudget::LimitFor(ChannelType type) const {
  const Resolved* limit = Find(type);
  if (limit == nullptr) return RateLimit{};
  return RateLimit{limit->per_minute, limit->burst};
}

int RateBudget::TokensAt(const Resolved& limit, absl::Time full_at, absl::Time now) {
  if (full_at <= now) return limit.burst;
  // Tokens missing = the debt in intervals, rounded up: a token only counts once whole.
  absl::Duration remainder;
  int64_t missing = absl::IDivDuration(full_at - now, limit.interval, &remainder);
  if (remainder > absl::ZeroDuration()) ++missing;
  return static_cast<int>(std::max<int64_t>(0, limit.burst - missing));
}

bool RateBudget::TryAcquire(const BotKey& key, absl::Time now) {
  const Resolved* limit = Find(key.type);
  if (limit == nullptr) return true;
  absl::MutexLock lock(&mu_);
  auto it = full_at_.find(key);
  const absl::Time full_at = it == full_at_.end() ? absl::InfinitePast() : it->second;
  if (TokensAt(*limit, full_at, now) < 1) return false;
  const absl::Time next = std::max(full_at, now) + limit->interval;
  if (it == full_at_.end()) {
    if (full_at_.size() >= kPruneThreshold) PruneFullBuckets(now);
    full_at_.emplace(key, next);
  } else {
    it->second = next;
  }
  return true;
}

int RateBudget::Available(const BotKey& key, absl::Time now) const {
  const Resolved* limit = Find(key.type);
  if (limit == nullptr) return std::numeric_limits<int>::max();
  absl::MutexLock lock(&mu_);
  const auto it = full_at_.find(key);
  return it == full_at_.end() ? limit->burst : TokensAt(*limit, it->second, now);
}

absl::Time RateBudget::NextAvailableTime(const BotKey& key, absl::Time now) const {
  const Resolved* limit = Find(key.type);
  if (limit == nullptr) return now;
  absl::MutexLock lock(&mu_);
  const auto it = full_at_.find(key);
  if (it == full_at_.end() || TokensAt(*limit, it->second, now) >= 1) return now;
  // One token is back once the debt is down to burst - 1 intervals.
  return it->second - (limit->burst - 1) * limit->interval;
}

void RateBudget::PruneFullBuckets(absl::Time now) {
  for (auto it = full_at_.begin(); it != full_at_.end();) {
    it = it->second <= now ? full_at_.erase(it) : std::next(it);
  }
}

}  // namespace preflight::notifier
