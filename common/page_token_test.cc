#include "common/page_token.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;

TEST(PageTokenCodecTest, RoundTripsPosition) {
  PageTokenCodec codec("secret-key");
  const std::string token = codec.Encode("launches|tenant=acme", "l-123");
  absl::StatusOr<std::string> position = codec.Decode(token, "launches|tenant=acme");
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(*position, "l-123");
}

TEST(PageTokenCodecTest, RejectsTokenForOtherScope) {
  PageTokenCodec codec("secret-key");
  const std::string token = codec.Encode("launches|tenant=acme", "l-123");
  absl::StatusOr<std::string> position = codec.Decode(token, "launches|tenant=other");
  EXPECT_EQ(position.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(position.status().message(), HasSubstr("page_token"));
}

TEST(PageTokenCodecTest, RejectsAlteredToken) {
  PageTokenCodec codec("secret-key");
  std::string token = codec.Encode("events", "41");
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(codec.Decode(token, "events").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PageTokenCodecTest, RejectsTokenFromAnotherKey) {
  const std::string token = PageTokenCodec("key-one").Encode("events", "41");
  EXPECT_EQ(PageTokenCodec("key-two").Decode(token, "events").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PageTokenCodecTest, RejectsGarbage) {
  PageTokenCodec codec("secret-key");
  for (const char* garbage : {"", "%%%", "abc", "AAAA"}) {
    EXPECT_EQ(codec.Decode(garbage, "events").status().code(), absl::StatusCode::kInvalidArgument)
        << garbage;
  }
}

}  // namespace
}  // namespace preflight
