#include "checklist-service/domain/written_launch_cache.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

LaunchState StateOf(const std::string& id, int64_t launch_version,
                    std::initializer_list<int64_t> item_versions) {
  LaunchState state;
  state.launch.id = id;
  state.launch.version = launch_version;
  int n = 0;
  for (int64_t version : item_versions) {
    Item item;
    item.launch_id = id;
    item.code = "ITEM_" + std::to_string(n++);
    item.version = version;
    state.items.push_back(item);
  }
  return state;
}

TEST(WrittenLaunchCacheTest, TakesOnlyTheStampedStateAndOnlyOnce) {
  WrittenLaunchCache cache;
  cache.Put(StateOf("l1", 2, {1, 3}));
  EXPECT_EQ(StateOf("l1", 2, {1, 3}).ItemsVersion(), 4);
  std::optional<LaunchState> taken = cache.Take("l1", 2, 4);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->items.size(), 2u);
  EXPECT_FALSE(cache.Take("l1", 2, 4).has_value());  // taken already
  EXPECT_FALSE(cache.Take("nope", 1, 0).has_value());
}

TEST(WrittenLaunchCacheTest, AnotherStampDropsTheEntry) {
  WrittenLaunchCache cache;
  cache.Put(StateOf("l1", 2, {1, 3}));
  EXPECT_FALSE(cache.Take("l1", 3, 4).has_value());  // the launch changed
  EXPECT_EQ(cache.size(), 0u);
  cache.Put(StateOf("l1", 2, {1, 3}));
  EXPECT_FALSE(cache.Take("l1", 2, 5).has_value());  // an item changed
  EXPECT_EQ(cache.size(), 0u);
}

TEST(WrittenLaunchCacheTest, StaysWithinItsCapacity) {
  WrittenLaunchCache cache(2);
  cache.Put(StateOf("l1", 1, {1}));
  cache.Put(StateOf("l2", 1, {1}));
  cache.Put(StateOf("l2", 2, {1}));  // replaces l2's entry
  EXPECT_EQ(cache.size(), 2u);
  cache.Put(StateOf("l3", 1, {1}));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Take("l3", 1, 1).has_value());

  WrittenLaunchCache off(0);
  off.Put(StateOf("l1", 1, {1}));
  EXPECT_EQ(off.size(), 0u);
}

}  // namespace
}  // namespace preflight::checklist
