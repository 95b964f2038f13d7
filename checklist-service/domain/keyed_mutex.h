#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace preflight::checklist {

// One mutex per key (a launch id, a tenant), made on first use and dropped when nobody holds or
// waits for it, so writes to one launch are serialized while writes to different launches run
// side by side (and meet in one group commit). Thread-safe.
class KeyedMutex {
 public:
  // Holds the key's mutex until destroyed.
  class Lock {
   public:
    Lock(Lock&& other) noexcept : owner_(other.owner_), key_(std::move(other.key_)) {
      other.owner_ = nullptr;
    }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;
    Lock& operator=(Lock&&) = delete;
    ~Lock();

   private:
    friend class KeyedMutex;
    Lock(KeyedMutex* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    KeyedMutex* owner_;
    std::string key_;
  };

  KeyedMutex() = default;
  KeyedMutex(const KeyedMutex&) = delete;
  KeyedMutex& operator=(const KeyedMutex&) = delete;

  // Blocks until this thread holds `key`'s mutex. Not reentrant.
  [[nodiscard]] Lock Acquire(absl::string_view key);

  // Keys with a holder or waiter (for tests: released keys leave nothing behind).
  size_t active_keys() const;

 private:
  struct Entry {
    absl::Mutex mu;
    int users = 0;  // holders and waiters, under map_mu_
  };
  void Release(const std::string& key);

  mutable absl::Mutex map_mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Entry>> entries_ ABSL_GUARDED_BY(map_mu_);
};

}  // namespace preflight::checklist
