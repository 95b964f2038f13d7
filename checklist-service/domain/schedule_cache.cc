#include "checklist-service/domain/schedule_cache.h"

namespace preflight::checklist {

std::shared_ptr<const ScheduleResult> ScheduleCache::Find(const ScheduleKey& key) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->second;
}

void ScheduleCache::Insert(ScheduleKey key, std::shared_ptr<const ScheduleResult> result) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->second = std::move(result);
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  entries_.emplace_front(key, std::move(result));
  index_.emplace(std::move(key), entries_.begin());
  while (entries_.size() > capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
}

size_t ScheduleCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace preflight::checklist
