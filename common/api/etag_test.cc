#include "common/api/etag.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::api {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(EtagTest, RoundTripsAndRejectsForeignEtags) {
  const std::string etag = MakeEtag("recipients/li.na", 3);
  EXPECT_THAT(etag, StartsWith("3-"));
  EXPECT_EQ(etag.size(), 2u + 12u);
  absl::StatusOr<int64_t> version = ParseEtag(etag, "recipients/li.na");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 3);
  EXPECT_NE(MakeEtag("recipients/li.na", 4), etag);
  // The same version of another recipient, a forged version and garbage are all mismatches.
  EXPECT_EQ(ParseEtag(etag, "recipients/wang").status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ParseEtag("4" + etag.substr(1), "recipients/li.na").status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(ParseEtag("nonsense", "recipients/li.na").status().code(), absl::StatusCode::kAborted);
}

TEST(EtagTest, MismatchQuotesOnlyAShortPrefix) {
  const std::string huge(70000, 'e');
  const absl::Status status = ParseEtag(huge, "launches/shop").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_LT(status.message().size(), 200u);
  EXPECT_THAT(std::string(status.message()), HasSubstr("etag mismatch"));
}

}  // namespace
}  // namespace preflight::api
