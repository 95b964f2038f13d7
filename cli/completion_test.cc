// The completion engine: what `preflight __complete WORDS...` offers for the last word. The
// scripts for bash, zsh and fish are run by real shells in tests/cli_conventions_test.cc.

#include "cli/completion.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "cli/config_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::cli {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

// The candidates without their descriptions.
std::vector<std::string> Candidates(const std::vector<std::string>& words,
                                    const Environment& env = Environment()) {
  std::vector<std::string> out;
  for (absl::string_view line :
       absl::StrSplit(CompletionCandidates(words, env), '\n', absl::SkipEmpty())) {
    out.emplace_back(line.substr(0, line.find('\t')));
  }
  return out;
}

TEST(CompletionTest, CommandsAndGroups) {
  const std::vector<std::string> top = Candidates({""});
  EXPECT_THAT(top, Contains("launch"));
  EXPECT_THAT(top, Contains("readiness"));
  EXPECT_THAT(top, Contains("completion"));
  EXPECT_THAT(top, Not(Contains("__complete")));
  EXPECT_THAT(Candidates({"la"}), ElementsAre("launch"));
  EXPECT_THAT(Candidates({"launch", ""}),
              ElementsAre("create", "list", "show", "timeline", "update", "what-if", "ics"));
  EXPECT_THAT(Candidates({"launch", "sh"}), ElementsAre("show"));
  EXPECT_THAT(Candidates({"config", "use"}), ElementsAre("use-context"));
}

TEST(CompletionTest, DescriptionsFollowATab) {
  const std::string lines = CompletionCandidates({"lau"}, Environment());
  EXPECT_EQ(lines, "launch\tCreate, list, show and change launches.\n");
}

TEST(CompletionTest, FlagsOfTheCommandThenGlobalOnes) {
  const std::vector<std::string> flags = Candidates({"launch", "list", "--"});
  EXPECT_THAT(flags, Contains("--tenant="));
  EXPECT_THAT(flags, Contains("--at_risk"));
  EXPECT_THAT(flags, Contains("--output="));
  EXPECT_THAT(flags, Not(Contains("--json")));
  EXPECT_THAT(Candidates({"launch", "list", "--at"}), ElementsAre("--at_risk"));
  // Global flags before the command, flags of another command left out.
  EXPECT_THAT(Candidates({"--server=x", "launch", "list", "--sta"}), IsEmpty());
}

TEST(CompletionTest, ValuesOfAFlag) {
  EXPECT_THAT(Candidates({"launch", "list", "-o", ""}),
              ElementsAre("table", "wide", "json", "yaml", "name", "jsonpath=", "custom-columns="));
  EXPECT_THAT(Candidates({"launch", "list", "--output", "y"}), ElementsAre("yaml"));
  // Written --flag=value in one word (zsh, fish): the whole word comes back.
  EXPECT_THAT(Candidates({"launch", "list", "--output=j"}),
              ElementsAre("--output=json", "--output=jsonpath="));
  // Bash splits at "=": only the value comes back, as bash replaces the text after "=".
  EXPECT_THAT(Candidates({"launch", "list", "--output", "=", "w"}), ElementsAre("wide"));
  EXPECT_THAT(Candidates({"launch", "list", "--output", "="}),
              ElementsAre("table", "wide", "json", "yaml", "name", "jsonpath=", "custom-columns="));
  // The API's enums, so the values never drift from the protos.
  EXPECT_THAT(Candidates({"item", "update", "l1", "ICP", "--status", "app"}),
              ElementsAre("approved"));
  EXPECT_THAT(Candidates({"item", "update", "l1", "ICP", "--status", ""}),
              Not(Contains("not_applicable")));
  EXPECT_THAT(Candidates({"launch", "create", "--hosting", "wechat"}), ElementsAre("wechat_cloud"));
  EXPECT_THAT(Candidates({"deliveries", "list", "--channel", "wec"}), ElementsAre("wecom"));
  // A value already given does not make the next word a value.
  EXPECT_THAT(Candidates({"launch", "list", "--output", "json", "--at"}), ElementsAre("--at_risk"));
  EXPECT_THAT(Candidates({"completion", ""}), ElementsAre("bash", "zsh", "fish"));
}

TEST(CompletionTest, ContextNamesFromTheConfigFile) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/config.yaml";
  ConfigFile config;
  config.FindOrAdd("prod");
  config.FindOrAdd("staging");
  ASSERT_TRUE(SaveConfig(path, config).ok());
  Environment env;
  env.getenv = [&](absl::string_view name) -> std::optional<std::string> {
    if (name == "PREFLIGHT_CONFIG") return path;
    return std::nullopt;
  };
  EXPECT_THAT(Candidates({"config", "use-context", ""}, env), ElementsAre("prod", "staging"));
  EXPECT_THAT(Candidates({"launch", "list", "--context", "st"}, env), ElementsAre("staging"));
  EXPECT_THAT(Candidates({"launch", "list", "--context=p"}, env), ElementsAre("--context=prod"));
}

TEST(CompletionTest, ScriptsForThreeShells) {
  for (const char* shell : {"bash", "zsh", "fish"}) {
    absl::StatusOr<std::string> script = CompletionScript(shell);
    ASSERT_TRUE(script.ok()) << shell;
    EXPECT_THAT(*script, ::testing::HasSubstr("__complete")) << shell;
  }
  EXPECT_EQ(CompletionScript("tcsh").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace preflight::cli
