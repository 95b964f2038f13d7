#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <tuple>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "checklist-service/domain/model.h"
#include "grpcpp/support/byte_buffer.h"

namespace preflight::checklist {

// GetLaunch's FULL answers in wire form (a serialized v1::Launch), kept per launch while it does
// not change, so a read of an unchanged launch costs no conversion and no
// serialization: the ByteBuffer handed to gRPC shares the cached slices. A cached answer is
// reused only for a state with the same content key: the launch's version, the sum of its items'
// versions (versions only grow and an added item counts its own, so any change moves the sum;
// LaunchRead::items_version) and the day its schedule was computed for. Find looks an answer up
// by that key alone, so a current answer is found without reading or decoding the items.
// Bounded; the oldest entries go first. Thread-safe.
class EncodedLaunchCache {
 public:
  static constexpr size_t kDefaultCapacity = 2048;

  explicit EncodedLaunchCache(size_t capacity = kDefaultCapacity);
  EncodedLaunchCache(const EncodedLaunchCache&) = delete;
  EncodedLaunchCache& operator=(const EncodedLaunchCache&) = delete;

  // `state`'s answer with or without its items, encoded now unless cached (BASIC answers, without
  // items, are never cached: see Get).
  grpc::ByteBuffer Get(const LaunchState& state, bool with_items);

  // (launch version, sum of item versions, schedule day)
  using ContentKey = std::tuple<int64_t, int64_t, absl::CivilDay>;

  // The FULL answer for launch `launch_id` in state `content`, if it is cached.
  std::optional<grpc::ByteBuffer> Find(const std::string& launch_id, const ContentKey& content);

  int64_t encoded() const;

 private:
  struct Entry {
    ContentKey content;
    grpc::ByteBuffer buffer;
  };
  static ContentKey ContentOf(const LaunchState& state);

  const size_t capacity_;
  mutable absl::Mutex mu_;
  // Keyed by launch id and view ('F' full, 'B' basic) .
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);
  int64_t encoded_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace preflight::checklist
