// The preflight CLI as a user meets it, against the real services: contexts and the environment
// choosing the server (kubectl's precedence), output formats, exit codes a script can test, the
// one-line error for a service that cannot be reached, case-insensitive item codes, and shell
// completion run by real bash, zsh and fish. Unit tests in cli/ cover each piece in detail.

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/text.h"

namespace preflight {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ParseJson;
using ::testing::UnorderedElementsAreArray;

// The directory of the preflight binary, for shells that find it on $PATH.
std::string CliDirectory() {
  const std::string bin = PREFLIGHT_CLI_BIN;
  return bin.substr(0, bin.rfind('/'));
}

class CliConventionsTest : public testing::ServicePairTest {
 protected:
  // Runs `preflight ARGS...` with the test's environment: its own config file, no
  // PREFLIGHT_* variables but `variables`, and no terminal.
  CommandResult Run(const std::vector<std::string>& args,
                    const std::vector<std::string>& variables = {}) {
    std::vector<std::string> argv = {
        "/usr/bin/env",       "-u", "PREFLIGHT_SERVER",  "-u",
        "PREFLIGHT_NOTIFIER", "-u", "PREFLIGHT_CONTEXT", "-u",
        "PREFLIGHT_TOKEN",    "-u", "COLUMNS",           "PREFLIGHT_CONFIG=" + config_path_,
        "USER=tester"};
    argv.insert(argv.end(), variables.begin(), variables.end());
    argv.push_back(PREFLIGHT_CLI_BIN);
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<CommandResult> result = testing::RunCommand(argv, absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }

  std::string RunOk(const std::vector<std::string>& args,
                    const std::vector<std::string>& variables = {}) {
    CommandResult result = Run(args, variables);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.output;
    return result.output;
  }

  // A launch of tenant acme made through the CLI, by way of --server.
  std::string CreateLaunch() {
    const v1::Launch launch = ParseJson<v1::Launch>(
        RunOk({"--server=" + checklist_->address, "launch", "create", "--tenant=acme",
               "--name=Shop", "--owner=li.na", "--target=2027-03-01", "--subject=enterprise",
               "--hosting=own_mainland_server", "--payments", "-o", "json"}));
    EXPECT_FALSE(launch.name().empty());
    return launch.name();
  }

  // Runs `script` with bash -c (or another shell) with the CLI on $PATH.
  CommandResult Shell(const std::string& shell, const std::string& script) {
    absl::StatusOr<CommandResult> result = testing::RunCommand(
        {"/usr/bin/env", "PATH=" + CliDirectory() + ":/usr/bin:/bin",
         "PREFLIGHT_CONFIG=" + config_path_, "HOME=" + dir_.path(), shell, "-c", script},
        absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }

  // Whether Debian's Python reads the same document from each text (JSON, or YAML for a name
  // ending in .yaml): an independent reader, not the CLI's own code.
  ::testing::AssertionResult SameDocuments(
      const std::vector<std::pair<std::string, std::string>>& files) {
    std::string paths;
    for (const auto& [name, text] : files) {
      std::ofstream(dir_.Join(name)) << text;
      absl::StrAppend(&paths, " ", dir_.Join(name));
    }
    const CommandResult read =
        Shell("/bin/sh",
              "python3 -c 'import json, sys, yaml\n"
              "docs = [yaml.safe_load(open(p)) if p.endswith(\".yaml\") else json.load(open(p)) "
              "for p in sys.argv[1:]]\n"
              "sys.exit(0 if all(d == docs[0] for d in docs) else 1)'" +
                  paths);
    if (read.exit_code == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the documents differ" << paths << "\n" << read.output;
  }

  const std::string config_path_ = dir_.Join("config/preflight/config.yaml");
};

TEST_F(CliConventionsTest, ContextsThenEnvironmentThenFlagsChooseTheServer) {
  const std::string launch = CreateLaunch();
  EXPECT_THAT(
      RunOk({"config", "set-context", "local", "--server=" + checklist_->address, "--tenant=acme"}),
      HasSubstr("Context \"local\" created"));
  EXPECT_THAT(RunOk({"config", "set-context", "broken", "--server=127.0.0.1:1"}),
              HasSubstr("created"));
  // The first context became the current one.
  const std::string contexts = RunOk({"config", "get-contexts"});
  EXPECT_THAT(contexts, HasSubstr("*        local"));
  EXPECT_EQ(RunOk({"config", "current-context"}), "local\n");

  // No --server: the context's. Its tenant is the default --tenant of `launch list`, and of
  // `launch create`, which requires one.
  EXPECT_EQ(RunOk({"launch", "list", "-o", "name"}), launch + "\n");
  const v1::Launch second = ParseJson<v1::Launch>(
      RunOk({"launch", "create", "--name=Second", "--owner=li.na", "--target=2027-03-01",
             "--subject=enterprise", "--hosting=wechat_cloud", "-o", "json"}));
  EXPECT_EQ(second.tenant(), "acme");
  EXPECT_EQ(RunOk({"launch", "list", "-o", "name", "--tenant=globex"}), "");
  RunOk({"config", "set-context", "local", "--tenant=globex"});
  EXPECT_EQ(RunOk({"launch", "list", "-o", "name"}), "");
  RunOk({"config", "set-context", "local", "--tenant=acme"});
  // The environment beats the context; a flag beats both.
  CommandResult refused = Run({"launch", "list"}, {"PREFLIGHT_SERVER=127.0.0.1:1"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.output,
            "error: UNAVAILABLE: cannot reach the checklist service at 127.0.0.1:1 (from "
            "$PREFLIGHT_SERVER): connection refused\n");
  const std::vector<std::string> both = {launch, second.name()};
  EXPECT_THAT(
      testing::Lines(RunOk({"launch", "list", "-o", "name", "--server=" + checklist_->address},
                           {"PREFLIGHT_SERVER=127.0.0.1:1"})),
      UnorderedElementsAreArray(both));
  // $PREFLIGHT_CONTEXT and --context choose another context; the error names it and its file.
  refused = Run({"launch", "list"}, {"PREFLIGHT_CONTEXT=broken"});
  EXPECT_THAT(refused.output,
              HasSubstr("at 127.0.0.1:1 (from context 'broken' of " + config_path_ + ")"));
  EXPECT_THAT(testing::Lines(RunOk({"launch", "list", "-o", "name", "--context=local"},
                                   {"PREFLIGHT_CONTEXT=broken"})),
              UnorderedElementsAreArray(both));
  RunOk({"config", "use-context", "broken"});
  EXPECT_EQ(Run({"launch", "list"}).exit_code, 1);
  CommandResult unknown = Run({"launch", "list", "--context=qa"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.output, HasSubstr("context 'qa' (--context) is not in " + config_path_));

  // With no context at all, the default address, and how to change it.
  RunOk({"config", "delete-context", "broken"});
  RunOk({"config", "delete-context", "local"});
  refused = Run({"templates"}, {"PREFLIGHT_SERVER="});
  EXPECT_THAT(refused.output,
              HasSubstr("at 127.0.0.1:50051 (the default; --server, $PREFLIGHT_SERVER or a "
                        "context sets it)"));
}

TEST_F(CliConventionsTest, OutputFormats) {
  const std::string launch = CreateLaunch();
  const std::string server = "--server=" + checklist_->address;
  // The API's canonical JSON: lowerCamelCase, enums by name, as buf curl and grpcurl print it.
  const std::string json = RunOk({server, "launch", "show", launch, "-o", "json"});
  EXPECT_THAT(json, HasSubstr("\"displayName\": \"Shop\""));
  EXPECT_THAT(json, HasSubstr("\"subjectType\": \"SUBJECT_TYPE_ENTERPRISE\""));
  EXPECT_THAT(json, Not(HasSubstr("display_name")));
  // What gRPC itself answers, printed with protobuf's JSON mapping, is the same document.
  v1::GetLaunchRequest request;
  request.set_name(launch);
  request.set_view(v1::LAUNCH_VIEW_FULL);
  const v1::Launch answer =
      testing::CallOk(checklist_stub_.get(), &v1::ChecklistService::Stub::GetLaunch, request);
  std::string canonical;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(answer, &canonical).ok());
  EXPECT_TRUE(SameDocuments({{"grpc.json", canonical}, {"cli.json", json}}));
  EXPECT_THAT(json, ::testing::StartsWith("{\n  \""));  // two-space indentation, as buf curl

  // YAML with the same content: Debian's PyYAML reads it back equal to the JSON.
  const std::string yaml = RunOk({server, "launch", "show", launch, "-o", "yaml"});
  EXPECT_TRUE(SameDocuments({{"cli.yaml", yaml}, {"cli.json", json}})) << yaml;

  EXPECT_EQ(RunOk({server, "launch", "list", "-o", "name"}), launch + "\n");
  // Field selection, kubectl's way.
  EXPECT_EQ(RunOk({server, "launch", "list", "-o", "jsonpath={.launches[*].displayName}"}),
            "Shop\n");
  const std::string codes = RunOk({server, "launch", "show", launch, "-o",
                                   R"(jsonpath={range .items[*]}{.code}={.status}{"\n"}{end})"});
  EXPECT_THAT(codes, HasSubstr("BIZ=ITEM_STATUS_NOT_STARTED\n"));
  EXPECT_EQ(
      RunOk({server, "launch", "list", "-o", "custom-columns=NAME:.name,TARGET:.targetLaunchDate"}),
      "NAME" + std::string(launch.size() - 2, ' ') + "TARGET\n" + launch + "  2027-03-01\n");
  // Tables: headers, or none; wide has more columns and cuts nothing.
  const std::string table = RunOk({server, "launch", "list"});
  EXPECT_THAT(table, HasSubstr("NAME"));
  EXPECT_THAT(RunOk({server, "launch", "list", "--no_headers"}), Not(HasSubstr("NAME")));
  EXPECT_GT(RunOk({server, "launch", "list", "-o", "wide"}).size(), table.size());
  // A narrow terminal gets lines that fit.
  for (absl::string_view line :
       absl::StrSplit(RunOk({server, "events", launch}, {"COLUMNS=80"}), '\n')) {
    EXPECT_LE(line.size(), 80u * 3) << line;  // bytes; a CJK column is 3 bytes
  }
  // -o name where an answer names nothing is a usage error.
  EXPECT_EQ(Run({server, "readiness", launch, "-o", "name"}).exit_code, 2);
}

TEST_F(CliConventionsTest, ExitCodesAScriptCanTest) {
  const std::string launch = CreateLaunch();
  const std::string server = "--server=" + checklist_->address;
  // Not ready: 0 by default (the command worked), 3 with --exit_code.
  EXPECT_EQ(Run({server, "readiness", launch}).exit_code, 0);
  CommandResult not_ready = Run({server, "readiness", launch, "--exit_code"});
  EXPECT_EQ(not_ready.exit_code, 3);
  EXPECT_THAT(not_ready.output, HasSubstr("NOT READY"));
  // As git spells it.
  EXPECT_EQ(Run({server, "readiness", launch, "--exit-code", "-o", "json"}).exit_code, 3);
  // Usage errors are 2, a refusal of the service 1.
  EXPECT_EQ(Run({server, "readiness"}).exit_code, 2);
  EXPECT_EQ(Run({server, "readiness", "launches/nope"}).exit_code, 1);

  // `notify test`: 0 once delivered, 3 while the message waits for a retry.
  StartNotifier();
  const std::string notifier = "--notifier=" + notifier_->address;
  RunOk({notifier, "recipients", "create", "li.na", "--channel=inbox"});
  EXPECT_EQ(Run({notifier, "notify", "test", "li.na"}).exit_code, 0);
  ASSERT_TRUE(receiver_->Script("/hook", {{503}, {503}, {503}}).ok());
  RunOk({notifier, "recipients", "create", "wang.fang",
         "--channel=webhook:" + receiver_->Url("/hook")});
  CommandResult waiting = Run({notifier, "notify", "test", "wang.fang"});
  EXPECT_EQ(waiting.exit_code, 3) << waiting.output;
  EXPECT_THAT(waiting.output, HasSubstr("pending"));
}

TEST_F(CliConventionsTest, WhatIfWritesNothingAndEqualsTheChangeWhenApplied) {
  const std::string launch = CreateLaunch();
  const std::string server = "--server=" + checklist_->address;
  const auto events = [&] {
    return ParseJson<v1::ListEventsResponse>(
               RunOk({server, "events", launch, "--all", "-o", "json"}))
        .events_size();
  };
  const int before = events();
  const std::vector<std::string> change = {"--takes_payments=false", "--target=2027-04-01"};
  std::vector<std::string> what_if = {server, "launch", "what-if", launch};
  what_if.insert(what_if.end(), change.begin(), change.end());
  const std::string shown = RunOk(what_if);
  EXPECT_THAT(shown, HasSubstr("(a preview: nothing was changed)"));
  EXPECT_THAT(shown, HasSubstr("WOULD STOP APPLYING"));
  EXPECT_THAT(shown, HasSubstr("WXPAY_MCH"));
  what_if.insert(what_if.end(), {"-o", "json"});
  const v1::Launch preview = ParseJson<v1::Launch>(RunOk(what_if));
  EXPECT_EQ(events(), before) << "a preview emits no event";
  EXPECT_EQ(ParseJson<v1::Launch>(RunOk({server, "launch", "show", launch, "-o", "json"}))
                .target_launch_date(),
            "2027-03-01");

  std::vector<std::string> update = {server, "launch", "update", launch, "-o", "json"};
  update.insert(update.end(), change.begin(), change.end());
  const v1::Launch real = ParseJson<v1::Launch>(RunOk(update));
  EXPECT_GT(events(), before);
  EXPECT_EQ(preview.target_launch_date(), real.target_launch_date());
  EXPECT_EQ(preview.schedule().projected_launch_date(), real.schedule().projected_launch_date());
  EXPECT_EQ(preview.schedule().critical_path_size(), real.schedule().critical_path_size());
  ASSERT_EQ(preview.items_size(), real.items_size());
  for (int i = 0; i < real.items_size(); ++i) {
    EXPECT_EQ(preview.items(i).status(), real.items(i).status()) << real.items(i).code();
    EXPECT_EQ(preview.items(i).schedule().latest_finish_date(),
              real.items(i).schedule().latest_finish_date())
        << real.items(i).code();
  }
}

TEST_F(CliConventionsTest, ItemCodesInAnyCase) {
  const std::string launch = CreateLaunch();
  const std::string item = RunOk({"--server=" + checklist_->address, "item", "update", launch,
                                  "mp_account", "--status=in_progress", "-o", "json"});
  EXPECT_THAT(item, HasSubstr("\"code\": \"MP_ACCOUNT\""));
  EXPECT_THAT(item, HasSubstr("ITEM_STATUS_IN_PROGRESS"));
}

TEST_F(CliConventionsTest, HelpAndTyposAsKubectlAndGhDoThem) {
  EXPECT_THAT(RunOk({"launch"}), HasSubstr("preflight launch COMMAND"));
  EXPECT_THAT(RunOk({"launch", "--help"}), HasSubstr("  show LAUNCH"));
  EXPECT_THAT(RunOk({"help", "launch", "show"}), HasSubstr("preflight launch show LAUNCH"));
  CommandResult typo = Run({"lanch"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.output, HasSubstr("Did you mean this?\n\tlaunch"));
  EXPECT_LT(std::count(typo.output.begin(), typo.output.end(), '\n'), 8) << typo.output;
}

TEST_F(CliConventionsTest, BashCompletesCommandsFlagsAndValues) {
  const auto complete = [&](const std::string& words, int cword) {
    return Shell("/bin/bash", "source <(preflight completion bash) && COMP_WORDS=(" + words +
                                  ") && COMP_CWORD=" + std::to_string(cword) +
                                  " && _preflight && printf '%s\\n' \"${COMPREPLY[@]}\"")
        .output;
  };
  EXPECT_EQ(complete("preflight lau", 1), "launch\n");
  EXPECT_EQ(complete("preflight launch s", 2), "show\n");
  EXPECT_EQ(complete("preflight launch list --at", 3), "--at_risk\n");
  // Bash splits "--output=ya" at "=": the value is completed alone.
  EXPECT_EQ(complete("preflight launch list --output = ya", 5), "yaml\n");
  EXPECT_EQ(complete("preflight item update l1 X --status app", 6), "approved\n");
}

TEST_F(CliConventionsTest, FishAndZshLoadTheirScripts) {
  // fish answers `complete -C` as it would at a prompt.
  CommandResult fish = Shell("/usr/bin/fish",
                             "preflight completion fish | source; "
                             "complete -C 'preflight launch sh'");
  EXPECT_THAT(fish.output, HasSubstr("show\t"));
  fish = Shell("/usr/bin/fish",
               "preflight completion fish | source; "
               "complete -C 'preflight launch list --output='");
  EXPECT_THAT(fish.output, HasSubstr("--output=yaml"));
  // zsh: the script parses, and after compinit defines and registers its function.
  std::ofstream(dir_.Join("_preflight")) << RunOk({"completion", "zsh"});
  EXPECT_EQ(Shell("/usr/bin/zsh", "zsh -n " + dir_.Join("_preflight")).exit_code, 0);
  CommandResult zsh =
      Shell("/usr/bin/zsh", "autoload -Uz compinit && compinit -u -d " + dir_.Join("zcompdump") +
                                " && source " + dir_.Join("_preflight") +
                                " && print ${+functions[_preflight]} ${_comps[preflight]}");
  EXPECT_EQ(zsh.output, "1 _preflight\n");
}

}  // namespace
}  // namespace preflight
