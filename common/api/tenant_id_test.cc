#include "common/api/tenant_id.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::api {
namespace {

using ::testing::HasSubstr;

TEST(TenantIdTest, AcceptsTheGrammar) {
  for (const char* tenant : {"acme", "a", "9", "a-b_c.d9", "acme.cn", "x-"}) {
    EXPECT_TRUE(IsValidTenantId(tenant)) << tenant;
    EXPECT_TRUE(ValidateTenantId("tenant", tenant).ok()) << tenant;
  }
  EXPECT_TRUE(IsValidTenantId(std::string(kMaxTenantLength, 'a')));
}

TEST(TenantIdTest, RefusesEverythingElse) {
  for (const std::string& tenant :
       std::vector<std::string>{"", "BAD TENANT", "Acme", "acme'", "\"acme\"", "-acme", ".acme",
                                "_acme", "ac/me", "ac me", "*", "acme\n", std::string("ac\0me", 5),
                                "ãcme", std::string(kMaxTenantLength + 1, 'a')}) {
    EXPECT_FALSE(IsValidTenantId(tenant)) << tenant;
    const absl::Status status = ValidateTenantId("launch.tenant", tenant);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << tenant;
    EXPECT_THAT(status.message(), HasSubstr("launch.tenant: ")) << tenant;
  }
  EXPECT_EQ(ValidateTenantId("tenant", "").message(), "tenant: required");
  EXPECT_EQ(ValidateTenantId("tenant", std::string(70'000, 'a')).message(),
            "tenant: too long (70000 bytes, at most 63)");
  EXPECT_THAT(ValidateTenantId("tenant", "BAD TENANT").message(), HasSubstr("'BAD TENANT'"));
}

}  // namespace
}  // namespace preflight::api
