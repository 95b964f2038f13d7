#include "checklist-service/grpc/encoded_launch_cache.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "checklist-service/grpc/proto_mapping.h"
#include "grpcpp/support/slice.h"

namespace preflight::checklist {

EncodedLaunchCache::EncodedLaunchCache(size_t capacity)
    : capacity_(std::max<size_t>(1, capacity)) {}

EncodedLaunchCache::ContentKey EncodedLaunchCache::ContentOf(const LaunchState& state) {
  int64_t item_versions = 0;
  for (const Item& item : state.items) item_versions += item.version;
  return {state.launch.version, item_versions, state.launch.schedule.as_of};
}

std::optional<grpc::ByteBuffer> EncodedLaunchCache::Find(const std::string& launch_id,
                                                         const ContentKey& content) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(absl::StrCat("F", launch_id));
  if (it == entries_.end() || it->second.content != content) return std::nullopt;
  return it->second.buffer;
}

namespace {

grpc::ByteBuffer Encode(const LaunchState& state, bool with_items) {
  const std::string bytes = ToProto(state, with_items).SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

grpc::ByteBuffer EncodedLaunchCache::Get(const LaunchState& state, bool with_items) {
  // A BASIC answer comes without items, so its state cannot tell an item change from none: it is
  // small, and encoded every time.
  if (!with_items) return Encode(state, false);
  const ContentKey content = ContentOf(state);
  const std::string key = absl::StrCat(with_items ? "F" : "B", state.launch.id);
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.content == content) return it->second.buffer;
  }
  // Encoded outside the lock: two readers of a launch that just changed may both encode it.
  grpc::ByteBuffer buffer = Encode(state, with_items);

  absl::MutexLock lock(&mu_);
  ++encoded_;
  auto [it, inserted] = entries_.try_emplace(key, Entry{content, buffer});
  if (!inserted) {
    // Never replace a newer answer with an older one a slower reader encoded.
    if (it->second.content < content) it->second = Entry{content, buffer};
    return buffer;
  }
  order_.push_back(key);
  if (entries_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  return buffer;
}

int64_t EncodedLaunchCache::encoded() const {
  absl::MutexLock lock(&mu_);
  return encoded_;
}

}  // namespace preflight::checklist
