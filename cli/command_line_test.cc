#include "cli/command_line.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "cli/testing/cli_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using testing::ParseInvocation;
using ::testing::UnorderedElementsAre;

absl::Status ParseError(const std::vector<std::string>& args, Invocation* invocation = nullptr) {
  Invocation ignored;
  return ParseCommandLine(args, invocation != nullptr ? invocation : &ignored);
}

TEST(ParseCommandLineTest, TwoWordCommandWithArgumentAndFlags) {
  const Invocation invocation = ParseInvocation(
      {"item", "update", "abc", "MP_VERIFY", "--status=submitted", "--notes", "sent today"});
  ASSERT_NE(invocation.command, nullptr);
  EXPECT_EQ(invocation.command->path, "item update");
  EXPECT_THAT(invocation.arguments, ElementsAre("abc", "MP_VERIFY"));
  EXPECT_THAT(invocation.flags,
              UnorderedElementsAre(Pair("status", "submitted"), Pair("notes", "sent today")));
}

TEST(ParseCommandLineTest, GlobalFlagsMayComeBeforeOrAfterTheCommand) {
  const Invocation invocation = ParseInvocation(
      {"--server=10.0.0.1:9000", "--json", "launch", "show", "launches/abc", "--actor=bob"});
  EXPECT_EQ(invocation.command->path, "launch show");
  EXPECT_THAT(invocation.arguments, ElementsAre("launches/abc"));
  EXPECT_EQ(invocation.Get("server"), "10.0.0.1:9000");
  EXPECT_TRUE(invocation.GetBool("json"));
  EXPECT_EQ(invocation.Get("actor"), "bob");
}

TEST(ParseCommandLineTest, BareBooleanIsTrueAndExplicitValuesAreNormalised) {
  const Invocation invocation = ParseInvocation(
      {"launch", "update", "abc", "--payments", "--mini_game=NO", "--target=2026-09-01"});
  EXPECT_EQ(invocation.Get("payments"), "true");
  EXPECT_TRUE(invocation.GetBool("payments"));
  EXPECT_EQ(invocation.Get("mini_game"), "false");
  EXPECT_FALSE(invocation.GetBool("mini_game", /*fallback=*/true));
}

TEST(ParseCommandLineTest, OnlyGivenFlagsArePresent) {
  const Invocation invocation = ParseInvocation({"launch", "update", "abc", "--categories="});
  EXPECT_TRUE(invocation.Has("categories"));
  EXPECT_EQ(invocation.Get("categories", "fallback"), "");
  EXPECT_FALSE(invocation.Has("target"));
  EXPECT_EQ(invocation.Get("target", "fallback"), "fallback");
}

TEST(ParseCommandLineTest, DoubleDashEndsFlags) {
  const Invocation invocation = ParseInvocation({"launch", "show", "--", "--odd-id"});
  EXPECT_THAT(invocation.arguments, ElementsAre("--odd-id"));
  EXPECT_THAT(invocation.flags, IsEmpty());
}

TEST(ParseCommandLineTest, HelpNeedsNoValidCommandLine) {
  Invocation invocation = ParseInvocation({"--help"});
  EXPECT_TRUE(invocation.help);
  EXPECT_EQ(invocation.command, nullptr);
  EXPECT_EQ(invocation.help_path, "");

  invocation = ParseInvocation({"help"});
  EXPECT_TRUE(invocation.help);
  EXPECT_EQ(invocation.help_path, "");

  invocation = ParseInvocation({"launch", "create", "-h"});
  EXPECT_TRUE(invocation.help);
  ASSERT_NE(invocation.command, nullptr);
  EXPECT_EQ(invocation.command->path, "launch create");

  // Help wins over what else is wrong on the line.
  invocation = ParseInvocation({"launch", "create", "--bogus", "--target", "--help"});
  EXPECT_TRUE(invocation.help);
  EXPECT_EQ(invocation.help_path, "launch create");
}

TEST(ParseCommandLineTest, HelpAtEveryLevel) {
  // A group alone, the group with --help, and `help GROUP COMMAND`.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"launch"}, {"launch", "--help"}, {"help", "launch"}}) {
    const Invocation invocation = ParseInvocation(args);
    EXPECT_TRUE(invocation.help) << args.size();
    EXPECT_EQ(invocation.help_path, "launch");
  }
  Invocation invocation = ParseInvocation({"help", "launch", "show"});
  EXPECT_TRUE(invocation.help);
  EXPECT_EQ(invocation.help_path, "launch show");
  EXPECT_EQ(invocation.command->path, "launch show");
  // Nothing at all is the program's help, as with kubectl and gh.
  invocation = ParseInvocation({});
  EXPECT_TRUE(invocation.help);
  EXPECT_EQ(invocation.help_path, "");
}

TEST(ParseCommandLineTest, TyposGetSuggestions) {
  absl::Status status = ParseError({"lanch"});
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("unknown command 'lanch' for 'preflight'\n\nDid you mean this?\n\tlaunch"));
  // Short: a line, the suggestion, where to look; not the whole usage.
  EXPECT_LE(std::count(status.message().begin(), status.message().end(), '\n'), 6);

  status = ParseError({"launch", "shwo", "l1"});
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("unknown command 'shwo' for 'preflight launch'"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("\tshow"));

  status = ParseError({"help", "reminder"});
  EXPECT_THAT(std::string(status.message()), HasSubstr("\treminders"));

  status = ParseError({"launch", "list", "--tennant=acme"});
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("unknown flag '--tennant' for 'preflight launch list'"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("\t--tenant"));

  status = ParseError({"launch", "list", "--ouput=json"});
  EXPECT_THAT(std::string(status.message()), HasSubstr("\t--output"));

  // A word nothing resembles gets no suggestion, only where to look.
  status = ParseError({"zzzzzz"});
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("Did you mean")));
  EXPECT_THAT(std::string(status.message()), HasSubstr("Run 'preflight --help'"));
}

TEST(ParseCommandLineTest, OutputFlagHasAShortForm) {
  Invocation invocation = ParseInvocation({"launch", "list", "-o", "yaml"});
  EXPECT_EQ(invocation.Get("output"), "yaml");
  invocation = ParseInvocation({"-o", "name", "launch", "list", "--no_headers", "--utc"});
  EXPECT_EQ(invocation.Get("output"), "name");
  EXPECT_TRUE(invocation.GetBool("no_headers"));
  EXPECT_TRUE(invocation.GetBool("utc"));
  invocation = ParseInvocation({"launch", "list", "--output=wide"});
  EXPECT_EQ(invocation.Get("output"), "wide");
}

TEST(ParseCommandLineTest, DashedSpellingsOfFlagsAsKubectlAndGitWriteThem) {
  // --time_zone does not apply to readiness: only known flags are respelt, and then checked.
  EXPECT_EQ(ParseError({"readiness", "l1", "--time-zone=UTC"}).message(),
            "--time_zone does not apply to 'readiness'\n\nRun 'preflight readiness --help' for "
            "its flags.");
  const Invocation ok = ParseInvocation({"readiness", "l1", "--exit-code", "--no-headers"});
  EXPECT_TRUE(ok.GetBool("exit_code"));
  EXPECT_TRUE(ok.GetBool("no_headers"));
  // After "--" nothing is a flag.
  EXPECT_THAT(ParseInvocation({"launch", "show", "--", "--no-headers"}).arguments,
              ElementsAre("--no-headers"));
  // An unknown dashed flag is reported as written.
  EXPECT_THAT(std::string(ParseError({"readiness", "l1", "--exit-codes"}).message()),
              HasSubstr("unknown flag '--exit-codes'"));
}

TEST(ParseCommandLineTest, UsageErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"launch", "delete", "abc"}, "unknown command 'delete' for 'preflight launch'"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"readiness"}, "'readiness' needs LAUNCH"},
      {{"item", "update", "abc"}, "'item update' needs CODE"},
      {{"readiness", "abc", "def"}, "unexpected argument 'def' for 'readiness'"},
      {{"readiness", ""}, "empty argument"},
      {{"readiness", "abc", "--bogus=1"}, "unknown flag '--bogus'"},
      {{"readiness", "abc", "-x"}, "unknown flag '-x'"},
      {{"readiness", "abc", "--status=approved"}, "--status does not apply to 'readiness'"},
      {{"launch", "update", "abc", "--payments=maybe"}, "--payments expects true or false"},
      {{"launch", "update", "abc", "--target"}, "--target needs a value"},
      {{"launch", "update", "abc", "--owner=a", "--owner=b"}, "--owner given more than once"},
      {{"launch", "create", "--tenant=t", "--name=n", "--owner=o", "--target=2026-09-01",
        "--subject=enterprise"},
       "'launch create' needs --hosting=HOSTING"},
      {{"item", "add", "abc", "--code=X", "--title=", "--due=2026-01-01"},
       "'item add' needs --title=TEXT"},
  };
  for (const Case& c : cases) {
    const absl::Status status = ParseError(c.args);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.message));
  }
}

TEST(ParseCommandLineTest, FlagErrorStillNamesTheCommand) {
  Invocation invocation;
  const absl::Status status = ParseError({"launch", "create", "--bogus"}, &invocation);
  EXPECT_THAT(std::string(status.message()), HasSubstr("unknown flag '--bogus'"));
  ASSERT_NE(invocation.command, nullptr);
  EXPECT_EQ(invocation.command->path, "launch create");
}

TEST(ParseCommandLineTest, RepeatableFlagsKeepEveryValueInOrder) {
  const Invocation invocation = ParseInvocation(
      {"recipients", "create", "li.na", "--channel=wecom:https://bot/1", "--channel", "inbox",
       "--subscribe=tenants/acme", "--subscribe=launches/l1", "--digest"});
  EXPECT_EQ(invocation.command->path, "recipients create");
  EXPECT_THAT(invocation.GetAll("channel"), ElementsAre("wecom:https://bot/1", "inbox"));
  EXPECT_THAT(invocation.GetAll("subscribe"), ElementsAre("tenants/acme", "launches/l1"));
  // Get reads the first value; flags not given have no values.
  EXPECT_EQ(invocation.Get("channel"), "wecom:https://bot/1");
  EXPECT_THAT(invocation.GetAll("tenant"), IsEmpty());
  EXPECT_TRUE(invocation.GetBool("digest"));
}

TEST(ParseCommandLineTest, OptionalTrailingArgument) {
  Invocation invocation =
      ParseInvocation({"reminders", "snooze", "launches/l1/items/ICP_FILING", "--for=2h"});
  EXPECT_EQ(invocation.command->path, "reminders snooze");
  EXPECT_THAT(invocation.arguments, ElementsAre("launches/l1/items/ICP_FILING"));
  invocation = ParseInvocation({"reminders", "ack", "l1", "ICP_FILING"});
  EXPECT_EQ(invocation.command->path, "reminders ack");
  EXPECT_THAT(invocation.arguments, ElementsAre("l1", "ICP_FILING"));
}

TEST(ParseCommandLineTest, NotifierUsageErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"reminders", "forecast"}, "unknown command 'forecast' for 'preflight reminders'"},
      {{"recipients", "remove", "x"}, "unknown command 'remove' for 'preflight recipients'"},
      {{"reminders", "snooze"}, "'reminders snooze' needs ITEM"},
      {{"reminders", "ack", "l1", "X", "Y"}, "unexpected argument 'Y' for 'reminders ack'"},
      {{"inbox"}, "'inbox' needs RECIPIENT"},
      {{"subscription", "now"}, "unexpected argument 'now' for 'subscription'"},
      {{"recipients", "create", "li.na"}, "'recipients create' needs --channel=TYPE[:TARGET"},
      {{"recipients", "create", "li.na", "--channel="}, "'recipients create' needs --channel"},
      // Only the commands that list channels or subscriptions take them more than once.
      {{"deliveries", "list", "--channel=wecom", "--channel=slack"},
       "--channel given more than once"},
      {{"notify", "test", "li.na", "--channel=wecom", "--channel=slack"},
       "--channel given more than once"},
      {{"recipients", "create", "li.na", "--channel=inbox", "--tenant=a", "--tenant=b"},
       "--tenant given more than once"},
      {{"recipients", "update", "li.na", "--digest=sometimes"}, "--digest expects true or false"},
      {{"reminders", "list", "--for=2h"}, "--for does not apply to 'reminders list'"},
      {{"launch", "show", "l1", "--notifier"}, "--notifier needs a value"},
  };
  for (const Case& c : cases) {
    const absl::Status status = ParseError(c.args);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.message));
  }
}

TEST(HelpTest, TheProgramsHelpListsEveryCommandByService) {
  const std::string help = HelpText("");
  for (const CommandSpec& command : Commands()) {
    if (command.hidden) {
      EXPECT_THAT(help, Not(HasSubstr(std::string(command.path))));
    } else {
      EXPECT_THAT(help, HasSubstr(std::string(command.path))) << command.path;
    }
  }
  const size_t checklist = help.find("Checklist service commands (--server):");
  const size_t notifier = help.find("Notifier service commands (--notifier):");
  ASSERT_NE(checklist, std::string::npos);
  ASSERT_NE(notifier, std::string::npos);
  EXPECT_LT(checklist, help.find("launch create"));
  EXPECT_LT(help.find("templates"), notifier);
  EXPECT_GT(help.find("reminders snooze ITEM [CODE]"), notifier);
  EXPECT_THAT(help, HasSubstr("-o, --output=FORMAT"));
  EXPECT_THAT(help, HasSubstr("Exit codes: 0 success"));
  EXPECT_THAT(help, HasSubstr("3 the answer is no"));
  // The kept alias is not advertised.
  EXPECT_THAT(help, Not(HasSubstr("--json")));
}

TEST(HelpTest, LinesFitAHundredColumns) {
  for (const std::string& path : {std::string(""), std::string("launch"),
                                  std::string("recipients create"), std::string("launch create")}) {
    for (absl::string_view line : absl::StrSplit(HelpText(path), '\n')) {
      EXPECT_LE(line.size(), 100u) << path << ": " << line;
    }
  }
}

TEST(HelpTest, AGroupListsItsCommands) {
  const std::string help = HelpText("launch");
  EXPECT_THAT(help, HasSubstr("Usage:\n  preflight launch COMMAND"));
  EXPECT_THAT(help, HasSubstr("  create "));
  EXPECT_THAT(help, HasSubstr("  show LAUNCH "));
  EXPECT_THAT(help, Not(HasSubstr("recipients")));
}

TEST(HelpTest, ACommandShowsItsFlagsThenTheGlobalOnes) {
  const std::string create = HelpText("launch create");
  EXPECT_THAT(create, HasSubstr("preflight launch create --tenant=TENANT --name=TEXT"));
  EXPECT_THAT(create, HasSubstr("--payments "));
  EXPECT_THAT(create, HasSubstr("--request_id=ID"));
  EXPECT_THAT(create, HasSubstr("required: organisation"));
  const size_t flags = create.find("\nFlags:\n");
  const size_t globals = create.find("\nGlobal flags:\n");
  ASSERT_NE(flags, std::string::npos);
  ASSERT_NE(globals, std::string::npos);
  EXPECT_LT(flags, create.find("  --request_id=ID"));
  EXPECT_GT(create.find("--server=HOST:PORT"), globals);
}

TEST(HelpTest, FlagsReadDifferentlyShowTheCommandsVariant) {
  const std::string create = HelpText("recipients create");
  EXPECT_THAT(create, HasSubstr("preflight recipients create ID "
                                "--channel=TYPE[:TARGET[#SECRET_REF]] [flags]"));
  EXPECT_THAT(create, HasSubstr("--subscribe=tenants/T|launches/L"));
  EXPECT_THAT(create, HasSubstr("also receive every reminder of this tenant or launch\n"));
  EXPECT_THAT(create, HasSubstr("(repeatable; empty to clear)"));
  EXPECT_THAT(create, HasSubstr("tenant the recipient belongs to"));
  EXPECT_THAT(HelpText("deliveries list"), Not(HasSubstr("(repeatable)")));
  EXPECT_THAT(HelpText("notify test"), HasSubstr("only this of the recipient's channels"));
  EXPECT_THAT(HelpText("launch show"), HasSubstr("also show the items that do not apply"));
  EXPECT_THAT(HelpText("events"), HasSubstr("follow page tokens"));
}

}  // namespace
}  // namespace preflight::cli
