#include "common/auth/bearer_token.h"

#include <set>

#include "common/api/resource_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(BearerTokenTest, GeneratedTokensParseBackAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<BearerToken> token = GenerateBearerToken();
    ASSERT_TRUE(token.ok()) << token.status();
    EXPECT_TRUE(api::IsTokenId(token->id)) << token->id;
    absl::StatusOr<BearerToken> parsed = ParseBearerToken(token->Text());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->id, token->id);
    EXPECT_EQ(parsed->secret, token->secret);
    EXPECT_TRUE(seen.insert(token->Text()).second);
  }
}

TEST(BearerTokenTest, MalformedTextIsUnauthenticatedWithoutEchoingIt) {
  absl::StatusOr<BearerToken> good = GenerateBearerToken();
  ASSERT_TRUE(good.ok());
  const std::string text = good->Text();
  for (const std::string& bad :
       {std::string(""), std::string("pft_"), text.substr(0, text.size() - 1), text + "x",
        "xyz_" + text.substr(4), text.substr(0, 6) + "G" + text.substr(7),
        text.substr(0, text.size() - 1) + "=", text.substr(0, 16) + "-" + text.substr(17)}) {
    absl::StatusOr<BearerToken> parsed = ParseBearerToken(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kUnauthenticated) << bad;
    if (!bad.empty()) {
      EXPECT_THAT(std::string(parsed.status().message()), Not(HasSubstr(bad))) << bad;
    }
  }
}

TEST(BearerTokenTest, AuthorizationHeaderNeedsTheBearerScheme) {
  absl::StatusOr<BearerToken> good = GenerateBearerToken();
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(ParseAuthorizationHeader("Bearer " + good->Text()).ok());
  EXPECT_TRUE(ParseAuthorizationHeader("bearer  " + good->Text() + " ").ok());
  EXPECT_EQ(ParseAuthorizationHeader("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(ParseAuthorizationHeader("").status().message()),
              HasSubstr("missing bearer token"));
  EXPECT_EQ(ParseAuthorizationHeader("Basic " + good->Text()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ParseAuthorizationHeader(good->Text()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(BearerTokenTest, OnlyTheHashIsKeptAndItIsDeterministic) {
  EXPECT_EQ(HashTokenSecret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(HashTokenSecret("abc"), HashTokenSecret("abd"));
}

}  // namespace
}  // namespace preflight::auth
