#include "notifier-service/engine/secret_resolver.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::notifier {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(SecretResolverTest, AcceptedForms) {
  EXPECT_TRUE(IsValidSecretRef(""));
  EXPECT_TRUE(IsValidSecretRef("env:WECOM_SECRET"));
  EXPECT_TRUE(IsValidSecretRef("env:_x1"));
  EXPECT_TRUE(IsValidSecretRef("file:/run/secrets/dingtalk"));
  // A literal secret, or anything that is not clearly a reference, is refused.
  for (const char* ref : {"SECa1b2c3", "env:", "env:1ABC", "env:BAD-NAME", "env:A B", "file:",
                          "file:relative/path", "file:/", "file:/x\ny", "ENV:X", "vault:x"}) {
    EXPECT_FALSE(IsValidSecretRef(ref)) << ref;
  }
  EXPECT_FALSE(IsValidSecretRef("file:/" + std::string(2000, 'a')));
}

TEST(SecretResolverTest, FromTheEnvironment) {
  ::setenv("PREFLIGHT_RESOLVER_TEST", "s3cret-value", 1);
  absl::StatusOr<std::string> secret = ResolveSecret("env:PREFLIGHT_RESOLVER_TEST");
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, "s3cret-value");

  ::setenv("PREFLIGHT_RESOLVER_TEST", "", 1);
  secret = ResolveSecret("env:PREFLIGHT_RESOLVER_TEST");
  EXPECT_TRUE(absl::IsFailedPrecondition(secret.status()));
  EXPECT_THAT(secret.status().message(), HasSubstr("is empty"));

  ::unsetenv("PREFLIGHT_RESOLVER_TEST");
  secret = ResolveSecret("env:PREFLIGHT_RESOLVER_TEST");
  EXPECT_TRUE(absl::IsFailedPrecondition(secret.status()));
  EXPECT_THAT(secret.status().message(),
              HasSubstr("env:PREFLIGHT_RESOLVER_TEST: environment variable "
                        "PREFLIGHT_RESOLVER_TEST is not set"));
}

TEST(SecretResolverTest, FromAFile) {
  preflight::testing::TempDir dir;
  const std::string path = dir.Join("secret");
  std::ofstream(path) << "file-secret\r\n";
  absl::StatusOr<std::string> secret = ResolveSecret("file:" + path);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, "file-secret");

  std::ofstream(dir.Join("empty")) << "\n";
  secret = ResolveSecret("file:" + dir.Join("empty"));
  EXPECT_TRUE(absl::IsFailedPrecondition(secret.status()));
  EXPECT_THAT(secret.status().message(), HasSubstr("the file is empty"));

  secret = ResolveSecret("file:" + dir.Join("missing"));
  EXPECT_TRUE(absl::IsFailedPrecondition(secret.status()));
  EXPECT_THAT(secret.status().message(), HasSubstr("cannot read the file"));
}

TEST(SecretResolverTest, ErrorsNeverShowAValue) {
  // A secret pasted where the reference belongs is not repeated back.
  absl::StatusOr<std::string> literal = ResolveSecret("SECdeadbeefcafe");
  EXPECT_TRUE(absl::IsInvalidArgument(literal.status()));
  EXPECT_THAT(literal.status().message(), Not(HasSubstr("SECdeadbeefcafe")));

  preflight::testing::TempDir dir;
  std::ofstream(dir.Join("empty"));
  ::setenv("PREFLIGHT_RESOLVER_VALUE", "visible-value", 1);
  EXPECT_THAT(ResolveSecret("env:PREFLIGHT_RESOLVER_MISSING").status().message(),
              Not(HasSubstr("visible-value")));
  ::unsetenv("PREFLIGHT_RESOLVER_VALUE");
}

}  // namespace
}  // namespace preflight::notifier
