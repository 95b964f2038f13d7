#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

// The launches this process wrote last, as they were committed, so the next write to one of them
// decodes nothing: loading a launch with all its items was half the CPU of an UpdateItem. A write
// takes its launch's entry out (holding the launch's lock) when the store's stamp still names the
// same state, works on it, and puts the new state back after its commit; a write that fails or
// changes nothing puts nothing back, and the next one loads from the store.
//
// The stamp is the launch's version and LaunchState::ItemsVersion(): every committed change
// raises one of them (items are never removed), so the pair never repeats for a launch, and a
// change made any other way (another writer, a restore) is never mistaken for the cached state.
// Thread-safe; bounded, dropping an arbitrary entry when full.
class WrittenLaunchCache {
 public:
  static constexpr size_t kDefaultCapacity = 256;

  explicit WrittenLaunchCache(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  WrittenLaunchCache(const WrittenLaunchCache&) = delete;
  WrittenLaunchCache& operator=(const WrittenLaunchCache&) = delete;

  // The cached state of `launch_id` if it is the one stamped (launch_version, items_version); it
  // leaves the cache either way.
  std::optional<LaunchState> Take(const std::string& launch_id, int64_t launch_version,
                                  int64_t items_version) ABSL_LOCKS_EXCLUDED(mu_);
  // `state` as just committed.
  void Put(LaunchState state) ABSL_LOCKS_EXCLUDED(mu_);

  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, LaunchState> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::checklist
