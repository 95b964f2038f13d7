#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "checklist-service/domain/model.h"
#include "grpcpp/support/byte_buffer.h"

namespace preflight::checklist {

// The wire form of events (a serialized v1::Event), made once and shared by every WatchEvents
// stream that sends the event: a ByteBuffer copy only takes a reference to the same slices. With
// N watchers a commit costs one conversion and one serialization instead of N. Keyed by
// sequence, which names one event for the life of the process; the oldest entries go first once
// `capacity` is reached. Thread-safe: a watch worker's streams share it, and a stream may encode
// its next event on the gRPC thread that saw its last write complete.
class EncodedEventCache {
 public:
  static constexpr size_t kDefaultCapacity = 4096;

  explicit EncodedEventCache(size_t capacity = kDefaultCapacity);
  EncodedEventCache(const EncodedEventCache&) = delete;
  EncodedEventCache& operator=(const EncodedEventCache&) = delete;

  // The event's wire form, encoded now unless it is cached.
  grpc::ByteBuffer Get(const Event& event) ABSL_LOCKS_EXCLUDED(mu_);

  int64_t encoded() const ABSL_LOCKS_EXCLUDED(mu_);
  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<int64_t, grpc::ByteBuffer> buffers_ ABSL_GUARDED_BY(mu_);
  std::deque<int64_t> order_ ABSL_GUARDED_BY(mu_);  // oldest first
  int64_t encoded_ ABSL_GUARDED_BY(mu_) = 0;
};

// Serializes one event for a raw (ByteBuffer) stream.
grpc::ByteBuffer EncodeEvent(const Event& event);

}  // namespace preflight::checklist
