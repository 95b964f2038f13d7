#include "checklist-service/grpc/encoded_event_cache.h"

#include <algorithm>
#include <string>

#include "checklist-service/grpc/proto_mapping.h"
#include "grpcpp/support/slice.h"

namespace preflight::checklist {

grpc::ByteBuffer EncodeEvent(const Event& event) {
  const std::string bytes = ToProto(event).SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

EncodedEventCache::EncodedEventCache(size_t capacity) : capacity_(std::max<size_t>(1, capacity)) {}

grpc::ByteBuffer EncodedEventCache::Get(const Event& event) {
  absl::MutexLock lock(&mu_);
  auto it = buffers_.find(event.sequence);
  if (it != buffers_.end()) return it->second;
  ++encoded_;
  grpc::ByteBuffer buffer = EncodeEvent(event);
  if (buffers_.size() >= capacity_) {
    buffers_.erase(order_.front());
    order_.pop_front();
  }
  buffers_.emplace(event.sequence, buffer);
  order_.push_back(event.sequence);
  return buffer;
}

int64_t EncodedEventCache::encoded() const {
  absl::MutexLock lock(&mu_);
  return encoded_;
}

size_t EncodedEventCache::size() const {
  absl::MutexLock lock(&mu_);
  return buffers_.size();
}

}  // namespace preflight::checklist
