#include "checklist-service/grpc/encoded_event_cache.h"

#include <string>
#include <vector>

#include "checklist-service/grpc/proto_mapping.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::checklist {
namespace {

Event EventWithSequence(int64_t sequence) {
  Event event;
  event.sequence = sequence;
  event.type = EventType::kItemUpdated;
  event.tenant = "acme";
  event.launch_id = "l1";
  event.item_code = "ICP_FILING";
  event.summary = "status: APPROVED";
  return event;
}

v1::Event Decode(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  v1::Event decoded;
  EXPECT_TRUE(decoded.ParseFromString(bytes));
  return decoded;
}

TEST(EncodedEventCacheTest, EncodesTheApiFormOnceAndSharesIt) {
  EncodedEventCache cache;
  const Event event = EventWithSequence(7);
  const grpc::ByteBuffer first = cache.Get(event);
  const grpc::ByteBuffer second = cache.Get(event);
  EXPECT_EQ(cache.encoded(), 1);
  EXPECT_EQ(Decode(first).SerializeAsString(), ToProto(event).SerializeAsString());
  EXPECT_EQ(Decode(second).SerializeAsString(), ToProto(event).SerializeAsString());
}

TEST(EncodedEventCacheTest, DropsTheOldestBeyondItsCapacity) {
  EncodedEventCache cache(/*capacity=*/2);
  cache.Get(EventWithSequence(1));
  cache.Get(EventWithSequence(2));
  cache.Get(EventWithSequence(3));  // evicts 1
  EXPECT_EQ(cache.size(), 2u);
  cache.Get(EventWithSequence(3));
  cache.Get(EventWithSequence(2));
  EXPECT_EQ(cache.encoded(), 3);
  const grpc::ByteBuffer again = cache.Get(EventWithSequence(1));
  EXPECT_EQ(cache.encoded(), 4);
  EXPECT_EQ(Decode(again).sequence(), 1);
}

}  // namespace
}  // namespace preflight::checklist
