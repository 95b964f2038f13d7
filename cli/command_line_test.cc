#include "cli/command_line.h"

#include <string>
#include <vector>

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

  invocation = ParseInvocation({"help"});
  EXPECT_TRUE(invocation.help);

  invocation = ParseInvocation({"launch", "create", "-h"});
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
      {{"reminders"}, "unknown command 'reminders'"},
      {{"reminders", "forecast"}, "unknown command 'reminders forecast'"},
      {{"recipients", "remove", "x"}, "unknown command 'recipients remove'"},
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

TEST(ReadGlobalOptionsTest, Defaults) {
  const Invocation invocation = ParseInvocation({"templates"});
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, "alice");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->server, "127.0.0.1:50051");
  EXPECT_EQ(options->notifier, "127.0.0.1:50052");
  EXPECT_FALSE(options->json);
  EXPECT_EQ(options->actor, "alice");
  EXPECT_EQ(options->timeout, absl::Seconds(10));
}

TEST(ReadGlobalOptionsTest, ExplicitValues) {
  const Invocation invocation = ParseInvocation(
      {"templates", "--server=h:1", "--notifier=n:2", "--json", "--actor=bob", "--timeout=1m30s"});
  absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, "alice");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->server, "h:1");
  EXPECT_EQ(options->notifier, "n:2");
  EXPECT_TRUE(options->json);
  EXPECT_EQ(options->actor, "bob");
  EXPECT_EQ(options->timeout, absl::Seconds(90));
}

TEST(ReadGlobalOptionsTest, RejectsBadValues) {
  for (const char* flag : {"--timeout=soon", "--timeout=0s", "--timeout=-1s", "--timeout=inf",
                           "--server=", "--notifier=", "--actor=M\xC3\xBCller"}) {
    const Invocation invocation = ParseInvocation({"templates", flag});
    absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, "alice");
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument) << flag;
  }
}

TEST(UsageTest, ListsEveryCommandAndItsFlags) {
  const std::string usage = UsageText();
  for (const CommandSpec& command : Commands()) {
    EXPECT_THAT(usage, HasSubstr(std::string(command.path))) << command.path;
  }
  const Invocation invocation = ParseInvocation({"launch", "create", "--help"});
  const std::string create = CommandUsage(*invocation.command);
  EXPECT_THAT(create, HasSubstr("preflight launch create --tenant=TENANT --name=TEXT"));
  EXPECT_THAT(create, HasSubstr("[--payments]"));
  EXPECT_THAT(create, HasSubstr("--request_id=ID"));
  EXPECT_THAT(create, HasSubstr("--server=HOST:PORT"));
  EXPECT_THAT(create, HasSubstr("--notifier=HOST:PORT"));
}

TEST(UsageTest, GroupsCommandsByService) {
  const std::string usage = UsageText();
  EXPECT_THAT(usage, HasSubstr("[--notifier=HOST:PORT]"));
  const size_t checklist = usage.find("checklist service commands (--server):");
  const size_t notifier = usage.find("notifier service commands (--notifier):");
  ASSERT_NE(checklist, std::string::npos);
  ASSERT_NE(notifier, std::string::npos);
  EXPECT_LT(checklist, usage.find("launch create"));
  EXPECT_LT(usage.find("templates"), notifier);
  EXPECT_GT(usage.find("reminders snooze ITEM [CODE]"), notifier);
  EXPECT_THAT(usage, HasSubstr("ITEM is \"launches/ID/items/CODE\", or LAUNCH CODE"));
}

TEST(UsageTest, FlagsReadDifferentlyShowTheCommandsVariant) {
  const auto usage_of = [](const std::vector<std::string>& words) {
    std::vector<std::string> args = words;
    args.push_back("--help");
    const Invocation invocation = ParseInvocation(args);
    return CommandUsage(*invocation.command);
  };
  const std::string create = usage_of({"recipients", "create"});
  EXPECT_THAT(create, HasSubstr("preflight recipients create ID "
                                "--channel=TYPE[:TARGET[#SECRET_REF]]... [--tenant=TENANT]"));
  EXPECT_THAT(create, HasSubstr("[--subscribe=tenants/T|launches/L]..."));
  EXPECT_THAT(create, HasSubstr("tenant the recipient belongs to"));
  const std::string deliveries = usage_of({"deliveries", "list"});
  EXPECT_THAT(deliveries, HasSubstr("[--channel=TYPE] "));
  EXPECT_THAT(deliveries, Not(HasSubstr("[--channel=TYPE]...")));
  EXPECT_THAT(usage_of({"notify", "test"}), HasSubstr("only this of the recipient's channels"));
  EXPECT_THAT(usage_of({"reminders", "snooze"}),
              HasSubstr("preflight reminders snooze ITEM [CODE] [--for=DURATION] [--until=TIME]"));
}

}  // namespace
}  // namespace preflight::cli
