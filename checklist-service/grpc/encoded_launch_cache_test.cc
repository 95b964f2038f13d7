#include "checklist-service/grpc/encoded_launch_cache.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::checklist {
namespace {

LaunchState StateOf(int64_t launch_version, std::vector<int64_t> item_versions) {
  LaunchState state;
  state.launch.id = "l1";
  state.launch.tenant = "acme";
  state.launch.version = launch_version;
  state.launch.schedule.as_of = absl::CivilDay(2026, 12, 2);
  for (size_t i = 0; i < item_versions.size(); ++i) {
    Item item;
    item.launch_id = "l1";
    item.code = "ITEM_" + std::to_string(i);
    item.version = item_versions[i];
    state.items.push_back(item);
  }
  return state;
}

v1::Launch Decode(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  v1::Launch decoded;
  EXPECT_TRUE(decoded.ParseFromString(bytes));
  return decoded;
}

TEST(EncodedLaunchCacheTest, AnUnchangedLaunchIsEncodedOnce) {
  EncodedLaunchCache cache;
  const LaunchState state = StateOf(1, {1, 1});
  EXPECT_EQ(Decode(cache.Get(state, true)).items_size(), 2);
  EXPECT_EQ(Decode(cache.Get(state, true)).items_size(), 2);
  EXPECT_EQ(cache.encoded(), 1);
}

// A BASIC read carries no items, so an item change would not show in its key: never cached.
TEST(EncodedLaunchCacheTest, BasicAnswersAreEncodedEveryTime) {
  EncodedLaunchCache cache;
  LaunchState basic = StateOf(1, {});
  basic.launch.schedule.at_risk = false;
  EXPECT_FALSE(Decode(cache.Get(basic, false)).schedule().at_risk());
  basic.launch.schedule.at_risk = true;  // an item moved the schedule; the launch's version did not
  EXPECT_TRUE(Decode(cache.Get(basic, false)).schedule().at_risk());
  EXPECT_EQ(cache.encoded(), 0);
}

TEST(EncodedLaunchCacheTest, AnyChangeOfTheLaunchItsItemsOrTheDayEncodesAgain) {
  EncodedLaunchCache cache;
  cache.Get(StateOf(1, {1, 1}), true);
  // An item update moves no launch version, only the item's.
  EXPECT_EQ(Decode(cache.Get(StateOf(1, {2, 1}), true)).items(0).version(), 2);
  EXPECT_EQ(cache.encoded(), 2);
  EXPECT_EQ(Decode(cache.Get(StateOf(2, {2, 1}), true)).version(), 2);
  EXPECT_EQ(cache.encoded(), 3);
  LaunchState tomorrow = StateOf(2, {2, 1});
  tomorrow.launch.schedule.as_of = absl::CivilDay(2026, 12, 3);
  cache.Get(tomorrow, true);
  EXPECT_EQ(cache.encoded(), 4);
  // An added item (version 1) raises the sum.
  cache.Get(StateOf(2, {2, 1, 1}), true);
  EXPECT_EQ(cache.encoded(), 5);
}

TEST(EncodedLaunchCacheTest, FindNeedsTheSameContentKey) {
  EncodedLaunchCache cache;
  cache.Get(StateOf(2, {3, 1}), true);
  const absl::CivilDay day(2026, 12, 2);
  ASSERT_TRUE(cache.Find("l1", {2, 4, day}).has_value());
  EXPECT_EQ(Decode(*cache.Find("l1", {2, 4, day})).items(0).version(), 3);
  EXPECT_FALSE(cache.Find("l1", {2, 5, day}).has_value());      // an item changed since
  EXPECT_FALSE(cache.Find("l1", {3, 4, day}).has_value());      // the launch changed since
  EXPECT_FALSE(cache.Find("l1", {2, 4, day + 1}).has_value());  // a new day
  EXPECT_FALSE(cache.Find("l2", {2, 4, day}).has_value());
}

TEST(EncodedLaunchCacheTest, AnOlderStateNeverReplacesANewerAnswer) {
  EncodedLaunchCache cache;
  cache.Get(StateOf(3, {1}), true);
  // A slow reader that loaded the launch before its last change encodes the old state...
  EXPECT_EQ(Decode(cache.Get(StateOf(2, {1}), true)).version(), 2);
  // ...but the cache keeps the newer answer.
  const int64_t before = cache.encoded();
  EXPECT_EQ(Decode(cache.Get(StateOf(3, {1}), true)).version(), 3);
  EXPECT_EQ(cache.encoded(), before);
}

TEST(EncodedLaunchCacheTest, StaysWithinItsCapacity) {
  EncodedLaunchCache cache(/*capacity=*/2);
  for (const char* id : {"a", "b", "c"}) {
    LaunchState state = StateOf(1, {1});
    state.launch.id = id;
    cache.Get(state, true);
  }
  LaunchState first = StateOf(1, {1});
  first.launch.id = "a";
  cache.Get(first, true);  // evicted: encoded again
  EXPECT_EQ(cache.encoded(), 4);
}

}  // namespace
}  // namespace preflight::checklist
