// The CLI's --tls_* global flags: parsed anywhere on the line, loaded once by ReadGlobalOptions,
// and usage errors (exit code 2) when incomplete or unreadable.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cli/command_line.h"
#include "cli/global_options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tls_certs.h"

namespace preflight::cli {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;
using testing::TestPki;

class TlsFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestPki> pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
  }

  absl::StatusOr<GlobalOptions> Read(const std::vector<std::string>& args) {
    Invocation invocation;
    const absl::Status parsed = ParseCommandLine(args, &invocation);
    if (!parsed.ok()) return parsed;
    Environment env;
    env.default_actor = "alice";
    return ReadGlobalOptions(invocation, env);
  }

  TempDir dir_;
  TestPki pki_;
};

TEST_F(TlsFlagsTest, PlaintextWithoutFlags) {
  absl::StatusOr<GlobalOptions> options = Read({"templates"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_FALSE(options->tls.tls);
  EXPECT_NE(options->tls.credentials, nullptr);
}

TEST_F(TlsFlagsTest, TlsFlagsAreGlobalAndLoaded) {
  absl::StatusOr<GlobalOptions> options = Read(
      {"--tls_ca=" + pki_.ca.cert_path, "reminders", "list", "--tls_cert=" + pki_.client.cert_path,
       "--tls_key", pki_.client.key_path, "--tls_server_name=preflight.internal"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_TRUE(options->tls.tls);
  EXPECT_EQ(options->tls.server_name, "preflight.internal");
}

TEST_F(TlsFlagsTest, IncompleteOrBadFilesAreUsageErrors) {
  absl::StatusOr<GlobalOptions> options = Read({"templates", "--tls_key=" + pki_.client.key_path});
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(options.status().message(),
              HasSubstr("--tls_cert and --tls_key must be given together"));

  options = Read({"templates", "--tls_ca=" + dir_.Join("missing.pem")});
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(options.status().message(), HasSubstr("--tls_ca="));

  options = Read({"templates", "--tls_ca=" + pki_.client.key_path});
  EXPECT_THAT(options.status().message(), HasSubstr("holds no PEM certificate"));
}

TEST_F(TlsFlagsTest, UsageNamesTheFlags) {
  EXPECT_THAT(HelpText(""), HasSubstr("--tls_ca=PEM"));
  const std::string usage = HelpText(Commands().front().path);
  for (const char* flag :
       {"--tls_ca=PEM", "--tls_cert=PEM", "--tls_key=PEM", "--tls_server_name=NAME"}) {
    EXPECT_THAT(usage, HasSubstr(flag));
  }
}

}  // namespace
}  // namespace preflight::cli
