#include "cli/json_path.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;

const Json kList = Json::parse(R"({
  "launches": [
    {"name": "launches/l1", "displayName": "Acme", "profile": {"takesPayments": true},
     "items": [{"code": "BIZ"}, {"code": "ICP_FILING"}]},
    {"name": "launches/l2", "displayName": "零售", "items": []}
  ],
  "nextPageToken": "p2"
})");

TEST(JsonPathTest, MembersIndexesAndEveryElement) {
  EXPECT_EQ(*RenderJsonPath("{.nextPageToken}", kList), "p2");
  EXPECT_EQ(*RenderJsonPath("{.launches[1].displayName}", kList), "零售");
  EXPECT_EQ(*RenderJsonPath("{.launches[*].name}", kList), "launches/l1 launches/l2");
  EXPECT_EQ(*RenderJsonPath("{.launches[0].items[*].code}", kList), "BIZ ICP_FILING");
  // Non-strings as JSON; a missing member is nothing.
  EXPECT_EQ(*RenderJsonPath("{.launches[0].profile}", kList), R"({"takesPayments":true})");
  EXPECT_EQ(*RenderJsonPath("{.launches[0].profile.takesPayments}", kList), "true");
  EXPECT_EQ(*RenderJsonPath("[{.launches[9].name}{.nope}]", kList), "[]");
}

TEST(JsonPathTest, RangeLiteralsAndTheRoot) {
  EXPECT_EQ(*RenderJsonPath(R"({range .launches[*]}{.name}{"\t"}{.displayName}{"\n"}{end})", kList),
            "launches/l1\tAcme\nlaunches/l2\t零售\n");
  // Nested ranges, and $ reaching the answer from inside a range.
  EXPECT_EQ(
      *RenderJsonPath(
          R"({range .launches[*]}{range .items[*]}{.code}@{$.nextPageToken} {end}{end})", kList),
      "BIZ@p2 ICP_FILING@p2 ");
  // A range over nothing renders nothing, and what follows its end still renders.
  EXPECT_EQ(*RenderJsonPath("{range .none[*]}x{end}done", kList), "done");
}

TEST(JsonPathTest, WhatIsNotSupportedSaysSo) {
  for (const char* bad : {"{.launches[?(@.name=='x')]}", "{..name}", "{.launches[0:1]}",
                          "{.launches", "{range .launches[*]}{.name}", "{end}", "{name}", ""}) {
    absl::StatusOr<std::string> out = RenderJsonPath(bad, kList);
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(std::string(RenderJsonPath("{..name}", kList).status().message()),
              HasSubstr("recursive descent (..) is not supported"));
}

TEST(CustomColumnsTest, ARowPerElementOfTheList) {
  absl::StatusOr<std::vector<std::vector<std::string>>> rows =
      CustomColumnRows("NAME:.name,TITLE:{.displayName},CODES:.items[*].code", kList, "launches");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_THAT(*rows, ElementsAre(ElementsAre("NAME", "TITLE", "CODES"),
                                 ElementsAre("launches/l1", "Acme", "BIZ,ICP_FILING"),
                                 ElementsAre("launches/l2", "零售", "<none>")));
  // The answer itself is one row when it is not a list; an absent list has no rows.
  EXPECT_THAT(*CustomColumnRows("TOKEN:.nextPageToken", kList, ""),
              ElementsAre(ElementsAre("TOKEN"), ElementsAre("p2")));
  EXPECT_THAT(*CustomColumnRows("NAME:.name", Json::object(), "launches"),
              ElementsAre(ElementsAre("NAME")));
  EXPECT_EQ(CustomColumnRows("NAME", kList, "launches").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CustomColumnRows("", kList, "launches").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace preflight::cli
