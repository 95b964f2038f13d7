// The global options' precedence, kubectl's: a flag, else the environment variable, else the
// context (chosen by --context, else $PREFLIGHT_CONTEXT, else the file's current one), else the
// default; and each address says where it came from.

#include "cli/global_options.h"

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/testing/cli_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::cli {
namespace {

using ::testing::HasSubstr;
using testing::ParseInvocation;

class GlobalOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    variables_["PREFLIGHT_CONFIG"] = config_path_;
    ConfigFile config;
    config.current_context = "staging";
    Context& staging = *config.FindOrAdd("staging");
    staging.settings = {{"server", "staging:443"},
                        {"notifier", "staging-n:443"},
                        {"tenant", "acme"},
                        {"actor", "ci-bot"},
                        {"timeout", "30s"}};
    Context& prod = *config.FindOrAdd("prod");
    prod.settings = {{"server", "prod:443"}, {"token_file", token_path_}};
    ASSERT_TRUE(SaveConfig(config_path_, config).ok());
    std::ofstream(token_path_) << "  prod-secret\n";
  }

  Environment Env() {
    Environment env;
    env.default_actor = "alice";
    env.getenv = [this](absl::string_view name) -> std::optional<std::string> {
      auto found = variables_.find(std::string(name));
      if (found == variables_.end()) return std::nullopt;
      return found->second;
    };
    return env;
  }

  absl::StatusOr<GlobalOptions> Read(const std::vector<std::string>& args) {
    return ReadGlobalOptions(ParseInvocation(args), Env());
  }

  testing::TempDir dir_;
  const std::string config_path_ = dir_.path() + "/preflight/config.yaml";
  const std::string token_path_ = dir_.path() + "/prod.token";
  std::map<std::string, std::string> variables_;
};

TEST_F(GlobalOptionsTest, TheCurrentContextAppliesWithoutFlagsOrVariables) {
  absl::StatusOr<GlobalOptions> options = Read({"templates"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->context, "staging");
  EXPECT_EQ(options->server, "staging:443");
  EXPECT_EQ(options->server_origin, "context 'staging' of " + config_path_);
  EXPECT_EQ(options->notifier, "staging-n:443");
  EXPECT_EQ(options->actor, "ci-bot");
  EXPECT_EQ(options->timeout, absl::Seconds(30));
  EXPECT_EQ(options->default_tenant, "acme");
}

TEST_F(GlobalOptionsTest, AnEnvironmentVariableBeatsTheContextAndAFlagBeatsBoth) {
  variables_["PREFLIGHT_SERVER"] = "env:1";
  variables_["PREFLIGHT_NOTIFIER"] = "env:2";
  absl::StatusOr<GlobalOptions> options = Read({"templates"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->server, "env:1");
  EXPECT_EQ(options->server_origin, "$PREFLIGHT_SERVER");
  EXPECT_EQ(options->notifier, "env:2");

  options = Read({"templates", "--server=flag:1", "--actor=bob", "--timeout=5s"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->server, "flag:1");
  EXPECT_EQ(options->server_origin, "--server");
  // The notifier still comes from the variable: each setting is looked up on its own.
  EXPECT_EQ(options->notifier, "env:2");
  EXPECT_EQ(options->actor, "bob");
  EXPECT_EQ(options->timeout, absl::Seconds(5));
}

TEST_F(GlobalOptionsTest, TheContextIsChosenByFlagThenVariableThenTheFile) {
  variables_["PREFLIGHT_CONTEXT"] = "prod";
  absl::StatusOr<GlobalOptions> options = Read({"templates"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->context, "prod");
  EXPECT_EQ(options->server, "prod:443");
  // Prod sets no notifier: the default, said so.
  EXPECT_EQ(options->notifier, "127.0.0.1:50052");
  EXPECT_EQ(options->notifier_origin, "the default");
  // Its token file is read, trimmed.
  EXPECT_EQ(options->bearer_token, "prod-secret");

  options = Read({"templates", "--context=staging"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->server, "staging:443");
  EXPECT_EQ(options->bearer_token, "");
}

TEST_F(GlobalOptionsTest, TheTokenVariableBeatsTheContextsTokenFile) {
  variables_["PREFLIGHT_TOKEN"] = "from-env";
  absl::StatusOr<GlobalOptions> options = Read({"templates", "--context=prod"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->bearer_token, "from-env");
}

TEST_F(GlobalOptionsTest, AContextsUnreadableTlsFileIsNamedWithTheContext) {
  ConfigFile config = *LoadConfig(config_path_);
  config.FindOrAdd("prod")->settings["tls_ca"] = dir_.path() + "/missing-ca.pem";
  ASSERT_TRUE(SaveConfig(config_path_, config).ok());
  absl::StatusOr<GlobalOptions> options = Read({"templates", "--context=prod"});
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(options.status().message()), HasSubstr("missing-ca.pem: cannot read"));
  EXPECT_THAT(std::string(options.status().message()),
              HasSubstr("(from context 'prod' of " + config_path_ + ")"));
}

TEST_F(GlobalOptionsTest, AnUnknownContextIsAUsageErrorNamingTheFile) {
  absl::StatusOr<GlobalOptions> options = Read({"templates", "--context=qa"});
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(options.status().message()),
              HasSubstr("context 'qa' (--context) is not in " + config_path_));
  variables_["PREFLIGHT_CONTEXT"] = "qa";
  options = Read({"templates"});
  EXPECT_THAT(std::string(options.status().message()), HasSubstr("($PREFLIGHT_CONTEXT)"));
}

TEST_F(GlobalOptionsTest, WithoutAConfigFileTheDefaultsApply) {
  variables_["PREFLIGHT_CONFIG"] = dir_.path() + "/none.yaml";
  absl::StatusOr<GlobalOptions> options = Read({"templates"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->context, "");
  EXPECT_EQ(options->server, "127.0.0.1:50051");
  EXPECT_EQ(options->server_origin, "the default");
  EXPECT_EQ(options->actor, "alice");
  EXPECT_EQ(options->timeout, absl::Seconds(10));
}

TEST_F(GlobalOptionsTest, TheContextsTenantIsTheDefaultTenant) {
  Invocation invocation = ParseInvocation({"launch", "list"});
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, Env());
  ASSERT_TRUE(options.ok()) << options.status();
  ApplyContextDefaults(*options, &invocation);
  EXPECT_EQ(invocation.Get("tenant"), "acme");
  // A flag given wins, even empty (every tenant).
  invocation = ParseInvocation({"launch", "list", "--tenant="});
  ApplyContextDefaults(*options, &invocation);
  EXPECT_EQ(invocation.Get("tenant", "unset"), "");
  // Commands without --tenant are left alone.
  invocation = ParseInvocation({"launch", "show", "l1"});
  ApplyContextDefaults(*options, &invocation);
  EXPECT_FALSE(invocation.Has("tenant"));
}

TEST_F(GlobalOptionsTest, OutputFormatAndWidth) {
  absl::StatusOr<GlobalOptions> options = Read({"templates", "-o", "yaml", "--no_headers"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->output, OutputFormat::kYaml);
  EXPECT_TRUE(options->no_headers);
  EXPECT_EQ(Read({"templates", "--json"})->output, OutputFormat::kJson);
  EXPECT_EQ(Read({"templates", "--json", "-o", "yaml"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(Read({"templates", "-o", "xml"}).status().message()),
              HasSubstr("table, wide, json, yaml, name"));
  variables_["COLUMNS"] = "93";
  EXPECT_EQ(Read({"templates"})->width, 93);
  variables_["COLUMNS"] = "wide";
  Environment env = Env();
  env.terminal_width = 120;
  EXPECT_EQ(ReadGlobalOptions(ParseInvocation({"templates"}), env)->width, 120);
}

TEST_F(GlobalOptionsTest, RejectsBadValues) {
  for (const char* flag : {"--timeout=soon", "--timeout=0s", "--timeout=-1s", "--timeout=inf",
                           "--server=", "--notifier=", "--actor=M\xC3\xBCller"}) {
    EXPECT_EQ(Read({"templates", flag}).status().code(), absl::StatusCode::kInvalidArgument)
        << flag;
  }
}

TEST(GlobalOptionsWithoutEnvironmentTest, Defaults) {
  Environment env;
  env.default_actor = "alice";
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(ParseInvocation({"templates"}), env);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->server, "127.0.0.1:50051");
  EXPECT_EQ(options->notifier, "127.0.0.1:50052");
  EXPECT_EQ(options->output, OutputFormat::kTable);
  EXPECT_EQ(options->actor, "alice");
  EXPECT_EQ(options->config_path, "");
}

}  // namespace
}  // namespace preflight::cli
