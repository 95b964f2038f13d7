#include "checklist-service/domain/keyed_mutex.h"

#include <utility>

namespace preflight::checklist {

KeyedMutex::Lock::~Lock() {
  if (owner_ != nullptr) owner_->Release(key_);
}

KeyedMutex::Lock KeyedMutex::Acquire(absl::string_view key) {
  Entry* entry;
  {
    absl::MutexLock lock(&map_mu_);
    std::unique_ptr<Entry>& slot = entries_[key];
    if (slot == nullptr) slot = std::make_unique<Entry>();
    ++slot->users;
    entry = slot.get();
  }
  // The entry outlives this wait: it is erased only when its user count drops to zero.
  entry->mu.Lock();
  return Lock(this, std::string(key));
}

void KeyedMutex::Release(const std::string& key) {
  absl::MutexLock lock(&map_mu_);
  auto it = entries_.find(key);
  it->second->mu.Unlock();
  if (--it->second->users == 0) entries_.erase(it);
}

size_t KeyedMutex::active_keys() const {
  absl::MutexLock lock(&map_mu_);
  return entries_.size();
}

}  // namespace preflight::checklist
