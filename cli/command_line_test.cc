#include "cli/command_line.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

Invocation Parse(const std::vector<std::string>& args) {
  Invocation invocation;
  const absl::Status status = ParseCommandLine(args, &invocation);
  EXPECT_TRUE(status.ok()) << status;
  return invocation;
}

absl::Status ParseError(const std::vector<std::string>& args, Invocation* invocation = nullptr) {
  Invocation ignored;
  return ParseCommandLine(args, invocation != nullptr ? invocation : &ignored);
}

TEST(ParseCommandLineTest, TwoWordCommandWithArgumentAndFlags) {
  const Invocation invocation =
      Parse({"item", "update", "abc", "MP_VERIFY", "--status=submitted", "--notes", "sent today"});
  ASSERT_NE(invocation.command, nullptr);
  EXPECT_EQ(invocation.command->path, "item update");
  EXPECT_THAT(invocation.arguments, ElementsAre("abc", "MP_VERIFY"));
  EXPECT_THAT(invocation.flags,
              UnorderedElementsAre(Pair("status", "submitted"), Pair("notes", "sent today")));
}

TEST(ParseCommandLineTest, GlobalFlagsMayComeBeforeOrAfterTheCommand) {
  const Invocation invocation =
      Parse({"--server=10.0.0.1:9000", "--json", "launch", "show", "launches/abc", "--actor=bob"});
  EXPECT_EQ(invocation.command->path, "launch show");
  EXPECT_THAT(invocation.arguments, ElementsAre("launches/abc"));
  EXPECT_EQ(invocation.Get("server"), "10.0.0.1:9000");
  EXPECT_TRUE(invocation.GetBool("json"));
  EXPECT_EQ(invocation.Get("actor"), "bob");
}

TEST(ParseCommandLineTest, BareBooleanIsTrueAndExplicitValuesAreNormalised) {
  const Invocation invocation =
      Parse({"launch", "update", "abc", "--payments", "--mini_game=NO", "--target=2026-09-01"});
  EXPECT_EQ(invocation.Get("payments"), "true");
  EXPECT_TRUE(invocation.GetBool("payments"));
  EXPECT_EQ(invocation.Get("mini_game"), "false");
  EXPECT_FALSE(invocation.GetBool("mini_game", /*fallback=*/true));
}

TEST(ParseCommandLineTest, OnlyGivenFlagsArePresent) {
  const Invocation invocation = Parse({"launch", "update", "abc", "--categories="});
  EXPECT_TRUE(invocation.Has("categories"));
  EXPECT_EQ(invocation.Get("categories", "fallback"), "");
  EXPECT_FALSE(invocation.Has("target"));
  EXPECT_EQ(invocation.Get("target", "fallback"), "fallback");
}

TEST(ParseCommandLineTest, DoubleDashEndsFlags) {
  const Invocation invocation = Parse({"launch", "show", "--", "--odd-id"});
  EXPECT_THAT(invocation.arguments, ElementsAre("--odd-id"));
  EXPECT_THAT(invocation.flags, IsEmpty());
}

TEST(ParseCommandLineTest, HelpNeedsNoValidCommandLine) {
  Invocation invocation = Parse({"--help"});
  EXPECT_TRUE(invocation.help);
  EXPECT_EQ(invocation.command, nullptr);

  invocation = Parse({"help"});
  EXPECT_TRUE(invocation.help);

  invocation = Parse({"launch", "create", "-h"});
  EXPECT_TRUE(invocation.help);
  ASSERT_NE(invocation.command, nullptr);
  EXPECT_EQ(invocation.command->path, "launch create");
}

TEST(ParseCommandLineTest, UsageErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{}, "no command given"},
      {{"launch"}, "unknown command 'launch'"},
      {{"launch", "delete", "abc"}, "unknown command 'launch delete'"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"readiness"}, "'readiness' needs LAUNCH"},
      {{"item", "update", "abc"}, "'item update' needs CODE"},
      {{"readiness", "abc", "def"}, "unexpected argument 'def' for 'readiness'"},
      {{"readiness", ""}, "empty argument"},
      {{"readiness", "abc", "--bogus=1"}, "unknown flag --bogus"},
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
  EXPECT_THAT(std::string(status.message()), HasSubstr("unknown flag --bogus"));
  ASSERT_NE(invocation.command, nullptr);
  EXPECT_EQ(invocation.command->path, "launch create");
}

TEST(ReadGlobalOptionsTest, Defaults) {
  const Invocation invocation = Parse({"templates"});
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, "alice");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->server, "127.0.0.1:50051");
  EXPECT_FALSE(options->json);
  EXPECT_EQ(options->actor, "alice");
  EXPECT_EQ(options->timeout, absl::Seconds(10));
}

TEST(ReadGlobalOptionsTest, ExplicitValues) {
  const Invocation invocation =
      Parse({"templates", "--server=h:1", "--json", "--actor=bob", "--timeout=1m30s"});
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, "alice");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->server, "h:1");
  EXPECT_TRUE(options->json);
  EXPECT_EQ(options->actor, "bob");
  EXPECT_EQ(options->timeout, absl::Seconds(90));
}

TEST(ReadGlobalOptionsTest, RejectsBadValues) {
  for (const char* flag : {"--timeout=soon", "--timeout=0s", "--timeout=-1s", "--timeout=inf",
                           "--server=", "--actor=M\xC3\xBCller"}) {
    const Invocation invocation = Parse({"templates", flag});
    absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, "alice");
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument) << flag;
  }
}

TEST(UsageTest, ListsEveryCommandAndItsFlags) {
  const std::string usage = UsageText();
  for (const CommandSpec& command : Commands()) {
    EXPECT_THAT(usage, HasSubstr(std::string(command.path))) << command.path;
  }
  const Invocation invocation = Parse({"launch", "create", "--help"});
  const std::string create = CommandUsage(*invocation.command);
  EXPECT_THAT(create, HasSubstr("preflight launch create --tenant=TENANT --name=TEXT"));
  EXPECT_THAT(create, HasSubstr("[--payments]"));
  EXPECT_THAT(create, HasSubstr("--request_id=ID"));
  EXPECT_THAT(create, HasSubstr("--server=HOST:PORT"));
}

}  // namespace
}  // namespace preflight::cli
