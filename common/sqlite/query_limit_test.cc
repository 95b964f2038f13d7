#include "common/sqlite/query_limit.h"

#include "gtest/gtest.h"

namespace preflight {
namespace {

TEST(CheckQueryLimitTest, OnlyPositiveLimitsPass) {
  EXPECT_TRUE(CheckQueryLimit(1).ok());
  EXPECT_TRUE(CheckQueryLimit(1000).ok());
  EXPECT_EQ(CheckQueryLimit(0), absl::InvalidArgumentError("limit must be positive, got 0"));
  EXPECT_EQ(CheckQueryLimit(-5), absl::InvalidArgumentError("limit must be positive, got -5"));
}

}  // namespace
}  // namespace preflight
