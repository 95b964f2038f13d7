#include "common/listen_security.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(IsLoopbackListenAddressTest, LoopbackAddresses) {
  for (const char* listen :
       {"127.0.0.1:50051", "127.0.0.1:0", "127.1.2.3:80", "127.255.255.254:1", "localhost:50051",
        "LOCALHOST:1", "[::1]:50051", "[::ffff:127.0.0.1]:9", "ipv4:127.0.0.1:5", "ipv6:[::1]:5",
        "unix:/run/preflight.sock", "unix-abstract:preflight"}) {
    EXPECT_TRUE(IsLoopbackListenAddress(listen)) << listen;
  }
}

TEST(IsLoopbackListenAddressTest, EverythingElseIsNot) {
  for (const char* listen :
       {"0.0.0.0:50051", "0.0.0.0:0", "[::]:50051", "[::]:0", ":50051", "10.0.0.5:50051",
        "192.168.1.1:1", "128.0.0.1:1", "126.255.255.255:1", "[::2]:1", "[::ffff:10.0.0.1]:1",
        "example.com:443", "localhost.example.com:1", "127.0.0.1.nip.io:1", "*:50051", "",
        "[::1"}) {
    EXPECT_FALSE(IsLoopbackListenAddress(listen)) << listen;
  }
}

TEST(CheckListenSecurityTest, LoopbackNeedsNothing) {
  for (bool tls : {false, true}) {
    for (bool auth : {false, true}) {
      for (bool insecure : {false, true}) {
        absl::StatusOr<ListenSecurity> result =
            CheckListenSecurity("127.0.0.1:50051", tls, auth, insecure);
        ASSERT_TRUE(result.ok()) << result.status();
        EXPECT_THAT(result->warning, IsEmpty());
      }
    }
  }
}

TEST(CheckListenSecurityTest, BeyondLoopbackNeedsTlsAndAuthentication) {
  absl::StatusOr<ListenSecurity> secured = CheckListenSecurity("0.0.0.0:50051", true, true, false);
  ASSERT_TRUE(secured.ok()) << secured.status();
  EXPECT_THAT(secured->warning, IsEmpty());
  // Nothing to warn about when --insecure is given but everything is configured anyway.
  secured = CheckListenSecurity("0.0.0.0:50051", true, true, true);
  ASSERT_TRUE(secured.ok()) << secured.status();
  EXPECT_THAT(secured->warning, IsEmpty());
}

TEST(CheckListenSecurityTest, RefusesAndNamesWhatIsMissing) {
  absl::StatusOr<ListenSecurity> neither =
      CheckListenSecurity("0.0.0.0:50051", false, false, false);
  EXPECT_EQ(neither.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(neither.status().message(),
              AllOf(HasSubstr("0.0.0.0:50051"), HasSubstr("--tls_cert"), HasSubstr("--tls_key"),
                    HasSubstr("authentication"), HasSubstr("--insecure")));

  absl::StatusOr<ListenSecurity> no_auth = CheckListenSecurity("[::]:1", true, false, false);
  EXPECT_EQ(no_auth.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(no_auth.status().message(), HasSubstr("authentication"));
  EXPECT_THAT(no_auth.status().message(), ::testing::Not(HasSubstr("--tls_cert")));

  absl::StatusOr<ListenSecurity> no_tls = CheckListenSecurity("10.1.2.3:1", false, true, false);
  EXPECT_EQ(no_tls.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(no_tls.status().message(), HasSubstr("--tls_cert"));
  EXPECT_THAT(no_tls.status().message(), ::testing::Not(HasSubstr("authentication")));
}

TEST(CheckListenSecurityTest, InsecureAllowsWithAWarning) {
  absl::StatusOr<ListenSecurity> result = CheckListenSecurity("0.0.0.0:0", false, false, true);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->warning, AllOf(HasSubstr("WARNING"), HasSubstr("--insecure"),
                                     HasSubstr("0.0.0.0:0"), HasSubstr("TLS")));
  EXPECT_EQ(result->warning.find('\n'), std::string::npos);

  result = CheckListenSecurity("[::]:0", true, false, true);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->warning, HasSubstr("authentication"));
}

}  // namespace
}  // namespace preflight
