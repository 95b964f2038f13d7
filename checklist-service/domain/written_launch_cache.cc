#include "checklist-service/domain/written_launch_cache.h"

#include <utility>

namespace preflight::checklist {

std::optional<LaunchState> WrittenLaunchCache::Take(const std::string& launch_id,
                                                    int64_t launch_version, int64_t items_version) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(launch_id);
  if (it == entries_.end()) return std::nullopt;
  LaunchState state = std::move(it->second);
  entries_.erase(it);
  if (state.launch.version != launch_version || state.ItemsVersion() != items_version) {
    return std::nullopt;
  }
  return state;
}

void WrittenLaunchCache::Put(LaunchState state) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= capacity_ && entries_.count(state.launch.id) == 0) {
    entries_.erase(entries_.begin());
  }
  std::string id = state.launch.id;
  entries_.insert_or_assign(std::move(id), std::move(state));
}

size_t WrittenLaunchCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace preflight::checklist
