#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "checklist-service/domain/schedule.h"

namespace preflight::checklist {

// What a schedule is a function of, besides the calendar (fixed for a process): the stored launch
// state, named by its version and the sum of its items' versions (every commit raises one of
// them, so the pair never repeats for a launch), and today's date in the launch's zone.
struct ScheduleKey {
  std::string launch_id;
  int64_t launch_version = 0;
  int64_t items_version = 0;
  absl::CivilDay today;

  bool operator==(const ScheduleKey& other) const {
    return launch_id == other.launch_id && launch_version == other.launch_version &&
           items_version == other.items_version && today == other.today;
  }
  template <typename H>
  friend H AbslHashValue(H h, const ScheduleKey& key) {
    return H::combine(std::move(h), key.launch_id, key.launch_version, key.items_version,
                      key.today.year(), key.today.month(), key.today.day());
  }
};

// A bounded, thread-safe LRU of computed schedules, so reads compute a launch's schedule once per
// (state, day) instead of on every call. A stale entry is never returned: a change or a new day
// makes a new key, and the old one ages out.
class ScheduleCache {
 public:
  // `capacity` 0 disables the cache.
  explicit ScheduleCache(size_t capacity) : capacity_(capacity) {}
  ScheduleCache(const ScheduleCache&) = delete;
  ScheduleCache& operator=(const ScheduleCache&) = delete;

  std::shared_ptr<const ScheduleResult> Find(const ScheduleKey& key);
  void Insert(ScheduleKey key, std::shared_ptr<const ScheduleResult> result);

  size_t size() const;

 private:
  using Entry = std::pair<ScheduleKey, std::shared_ptr<const ScheduleResult>>;

  const size_t capacity_;
  mutable absl::Mutex mu_;
  // Most recently used first.
  std::list<Entry> entries_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<ScheduleKey, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::checklist
