#include "cli/suggest.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(EditDistanceTest, CountsEditsIgnoringCase) {
  EXPECT_EQ(EditDistance("launch", "launch"), 0);
  EXPECT_EQ(EditDistance("LAUNCH", "launch"), 0);
  EXPECT_EQ(EditDistance("lanch", "launch"), 1);
  EXPECT_EQ(EditDistance("luanch", "launch"), 1);  // a swap of neighbours is one edit
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

TEST(SuggestTest, ClosestFirstAtMostThree) {
  const std::vector<std::string> commands = {"launch", "item", "readiness", "events", "inbox"};
  EXPECT_THAT(Suggest("lanch", commands), ElementsAre("launch"));
  EXPECT_THAT(Suggest("itme", commands), ElementsAre("item"));
  EXPECT_THAT(Suggest("readi", commands), ElementsAre("readiness"));  // a prefix
  EXPECT_THAT(Suggest("zzzzzz", commands), IsEmpty());
  EXPECT_THAT(Suggest("", commands), IsEmpty());
  EXPECT_THAT(Suggest("tenant", {"tenant", "tenants", "tenantz", "tenan", "other"}),
              ElementsAre("tenant", "tenants", "tenantz"));
}

TEST(SuggestTest, ShortWordsNeedACloserMatch) {
  // "ls" is two edits from "all" and from "at": too far for a word of two letters.
  EXPECT_THAT(Suggest("ls", {"all", "at_risk"}), IsEmpty());
  EXPECT_THAT(Suggest("al", {"all"}), ElementsAre("all"));
}

}  // namespace
}  // namespace preflight::cli
