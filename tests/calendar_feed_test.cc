// Calendar feeds end to end: the real checklist-service with --require_auth and --feeds_listen on
// free loopback ports, feeds created and revoked with the real `preflight` CLI, fetched over HTTP
// by Python's urllib and parsed by python3-icalendar (tests/tools/ics_summary.py), an iCalendar
// parser independent of the libical that wrote them. Covers UIDs, all-day dates, alarms from the
// reminder ladder, the launch's zone, a moved target keeping UIDs with a higher SEQUENCE, the
// assignee's feed, revocation answering 404, and another tenant's token refused.

#include <stdlib.h>

#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "preflight/v1/auth.grpc.pb.h"
#include "preflight/v1/calendar_feed.grpc.pb.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using testing::CommandResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using testing::ServiceProcess;
using testing::StartProcess;

// 09:30, the policy's send time, in seconds after the start of the day.
constexpr int kSendTime = 9 * 3600 + 30 * 60;

struct ParsedEvent {
  int sequence = 0;
  std::string start;
  std::string end;
  std::string value_type;
  std::vector<int> triggers;
  std::string summary;
};

// What tests/tools/ics_summary.py printed.
struct ParsedFeed {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::map<std::string, std::string> calendar;
  std::map<std::string, ParsedEvent> events;
};

ParsedFeed ParseSummary(const std::string& output) {
  ParsedFeed feed;
  for (absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    std::vector<std::string> words = absl::StrSplit(line, absl::MaxSplits(' ', 2));
    if (words[0] == "STATUS") {
      EXPECT_TRUE(absl::SimpleAtoi(words[1], &feed.status)) << line;
    } else if (words[0] == "HEADER" && words.size() == 3) {
      feed.headers[words[1]] = words[2];
    } else if (words[0] == "CALENDAR" && words.size() == 3) {
      feed.calendar[words[1]] = words[2];
    } else if (words[0] == "SUMMARY" && words.size() == 3) {
      feed.events[words[1]].summary = words[2];
    } else if (words[0] == "EVENT") {
      const std::vector<std::string> fields = absl::StrSplit(line, ' ');
      EXPECT_GE(fields.size(), 6u) << line;
      if (fields.size() < 6) continue;
      ParsedEvent& event = feed.events[fields[1]];
      EXPECT_TRUE(absl::SimpleAtoi(fields[2], &event.sequence)) << line;
      event.start = fields[3];
      event.end = fields[4];
      event.value_type = fields[5];
      if (fields.size() > 6) {
        for (absl::string_view trigger : absl::StrSplit(fields[6], ',', absl::SkipEmpty())) {
          int seconds = 0;
          EXPECT_TRUE(absl::SimpleAtoi(trigger, &seconds)) << line;
          event.triggers.push_back(seconds);
        }
      }
    } else {
      ADD_FAILURE() << "unexpected line from ics_summary.py: " << line;
    }
  }
  return feed;
}

class CalendarFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("PREFLIGHT_TOKEN");
    absl::StatusOr<ServiceProcess> checklist = StartProcess(testing::ChecklistArgv(
        "127.0.0.1:0", dir_.Join("data"), {"--require_auth", "--feeds_listen=127.0.0.1:0"}));
    ASSERT_TRUE(checklist.ok()) << checklist.status();
    checklist_ = std::make_unique<ServiceProcess>(*std::move(checklist));
    auto channel = grpc::CreateChannel(checklist_->address, grpc::InsecureChannelCredentials());
    checklist_stub_ = v1::ChecklistService::NewStub(channel);
    auth_stub_ = v1::AuthService::NewStub(channel);
    feed_stub_ = v1::CalendarFeedService::NewStub(channel);
    std::ifstream in(dir_.Join("data/admin.token"));
    std::getline(in, admin_secret_);
    ASSERT_FALSE(admin_secret_.empty());
    acme_file_ = Issue("acme", "li.na");
    globex_file_ = Issue("globex", "mallory");
  }

  // An editor token of `tenant`, written to a file for the CLI's --token_file.
  std::string Issue(const std::string& tenant, const std::string& holder) {
    v1::CreateTokenRequest request;
    request.mutable_token()->set_tenant(tenant);
    request.mutable_token()->set_role(v1::ROLE_EDITOR);
    request.mutable_token()->set_display_name(holder);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + admin_secret_);
    v1::CreateTokenResponse response;
    const grpc::Status status = auth_stub_->CreateToken(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    const std::string file = dir_.Join(holder + ".token");
    std::ofstream(file) << response.secret() << "\n";
    secrets_[file] = response.secret();
    return file;
  }

  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token_file, const Request& request, Response* response) {
    grpc::ClientContext context;
    testing::SetDeadline(context, absl::Seconds(10));
    context.AddMetadata("authorization", "Bearer " + secrets_[token_file]);
    return (stub->*method)(&context, request, response);
  }

  CommandResult Cli(const std::string& token_file, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {PREFLIGHT_CLI_BIN, "--server=" + checklist_->address,
                                     "--timeout=10s", "--token_file=" + token_file};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<CommandResult> result = testing::RunCommand(argv, absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }

  // The feed at `url` as python3-icalendar read it.
  ParsedFeed Fetch(const std::string& url) {
    absl::StatusOr<CommandResult> result = testing::RunCommand(
        {"/usr/bin/python3", PREFLIGHT_SOURCE_DIR "/tests/tools/ics_summary.py", url},
        absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return {};
    EXPECT_EQ(result->exit_code, 0) << result->output;
    return ParseSummary(result->output);
  }

  std::string CreateLaunch(int due_in_days) {
    v1::Launch launch;
    EXPECT_TRUE(Call(checklist_stub_.get(), &v1::ChecklistService::Stub::CreateLaunch, acme_file_,
                     testing::LaunchRequest("acme", "Acme shop", "zhang.wei", "ics-1", due_in_days),
                     &launch)
                    .ok());
    return launch.name().substr(strlen("launches/"));
  }

  void UpdateItem(const std::string& launch, const std::string& code, const std::string& assignee,
                  const std::string& expiry) {
    v1::UpdateItemRequest request;
    request.mutable_item()->set_name(absl::StrCat("launches/", launch, "/items/", code));
    request.mutable_item()->set_assignee(assignee);
    request.mutable_update_mask()->add_paths("assignee");
    if (!expiry.empty()) {
      request.mutable_item()->set_expiry_date(expiry);
      request.mutable_update_mask()->add_paths("expiry_date");
    }
    v1::Item item;
    const grpc::Status status = Call(checklist_stub_.get(), &v1::ChecklistService::Stub::UpdateItem,
                                     acme_file_, request, &item);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  // `feed create ARGS` with `token_file`; the URL is the first line of its output.
  std::string CreateFeed(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"feed", "create"};
    all.insert(all.end(), args.begin(), args.end());
    const CommandResult created = Cli(acme_file_, all);
    EXPECT_EQ(created.exit_code, 0) << created.output;
    return created.output.substr(0, created.output.find('\n'));
  }

  testing::TempDir dir_;
  std::unique_ptr<ServiceProcess> checklist_;
  std::unique_ptr<v1::ChecklistService::Stub> checklist_stub_;
  std::unique_ptr<v1::AuthService::Stub> auth_stub_;
  std::unique_ptr<v1::CalendarFeedService::Stub> feed_stub_;
  std::string admin_secret_;
  std::string acme_file_;
  std::string globex_file_;
  std::map<std::string, std::string> secrets_;
};

TEST_F(CalendarFeedTest, ALaunchFeedParsesKeepsItsUidsWhenTheTargetMovesAndIsRevoked) {
  const std::string launch = CreateLaunch(/*due_in_days=*/120);
  UpdateItem(launch, "MP_FILING", "li.na", "");
  UpdateItem(launch, "MP_VERIFY", "li.na", "2028-03-20");
  const std::string url = CreateFeed({"--launch=" + launch});
  ASSERT_THAT(url, ::testing::MatchesRegex("http://127\\.0\\.0\\.1:[0-9]+/feeds/[0-9a-f]{16}/"
                                           "[0-9a-f]{48}\\.ics"));

  const ParsedFeed before = Fetch(url);
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.headers.at("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(before.headers.at("Cache-Control"), "private, max-age=300");
  EXPECT_FALSE(before.headers.at("ETag").empty());
  EXPECT_EQ(before.calendar.at("VERSION"), "2.0");
  EXPECT_EQ(before.calendar.at("X-WR-TIMEZONE"), "Asia/Shanghai");
  EXPECT_EQ(before.calendar.at("X-WR-CALNAME"), "Acme shop · Preflight");
  const std::string due = absl::StrCat(launch, ".MP_FILING.due@preflight");
  const std::string start = absl::StrCat(launch, ".MP_FILING.start@preflight");
  const std::string expiry = absl::StrCat(launch, ".MP_VERIFY.expiry@preflight");
  const std::string renewal = absl::StrCat(launch, ".MP_VERIFY.renewal@preflight");
  std::set<std::string> uids;
  for (const auto& [uid, event] : before.events) {
    uids.insert(uid);
    // Every entry is all day: a DATE, ending the next day.
    EXPECT_EQ(event.value_type, "DATE") << uid;
    EXPECT_TRUE(absl::EndsWith(uid, "@preflight")) << uid;
  }
  EXPECT_THAT(uids, IsSupersetOf({due, start, expiry, renewal}));
  EXPECT_EQ(before.events.at(expiry).start, "2028-03-20");
  EXPECT_EQ(before.events.at(expiry).end, "2028-03-21");
  // The renewal ladder in calendar days (90, 60, 30, 7 before expiry), at 09:30.
  EXPECT_THAT(before.events.at(expiry).triggers,
              ElementsAre(-90 * 86400 + kSendTime, -60 * 86400 + kSendTime, -30 * 86400 + kSendTime,
                          -7 * 86400 + kSendTime));
  EXPECT_EQ(before.events.at(renewal).start, "2027-12-21");  // 90 days before
  // Before the due date: 7, 3 and 1 working days, each at least as many calendar days.
  const std::vector<int>& due_alarms = before.events.at(due).triggers;
  ASSERT_EQ(due_alarms.size(), 3u);
  EXPECT_LE(due_alarms[0], -7 * 86400 + kSendTime);
  EXPECT_LE(due_alarms[1], -3 * 86400 + kSendTime);
  EXPECT_LE(due_alarms[2], -1 * 86400 + kSendTime);
  // Before the latest start: 3 working days, and the day itself at 09:30.
  EXPECT_EQ(before.events.at(start).triggers.back(), kSendTime);
  EXPECT_THAT(before.events.at(due).summary, HasSubstr("截止：小程序备案"));
  EXPECT_THAT(before.events.at(due).summary, HasSubstr("Due: "));

  // `launch ics` prints the very calendar the feed serves.
  const CommandResult ics = Cli(acme_file_, {"launch", "ics", launch});
  ASSERT_EQ(ics.exit_code, 0) << ics.output;
  const std::string file = dir_.Join("plan.ics");
  std::ofstream(file) << ics.output;
  absl::StatusOr<CommandResult> from_file = testing::RunCommand(
      {"/usr/bin/python3", PREFLIGHT_SOURCE_DIR "/tests/tools/ics_summary.py", "--file", file});
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(ParseSummary(from_file->output).events.size(), before.events.size());

  // The target moves out by four weeks: the same UIDs, a higher SEQUENCE, later dates.
  v1::UpdateLaunchRequest move;
  move.mutable_launch()->set_name(absl::StrCat("launches/", launch));
  move.mutable_launch()->set_target_launch_date(
      absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * 148), absl::UTCTimeZone()));
  move.mutable_update_mask()->add_paths("target_launch_date");
  v1::Launch moved;
  ASSERT_TRUE(Call(checklist_stub_.get(), &v1::ChecklistService::Stub::UpdateLaunch, acme_file_,
                   move, &moved)
                  .ok());
  const ParsedFeed after = Fetch(url);
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.headers.at("ETag"), before.headers.at("ETag"));
  int later = 0;
  for (const auto& [uid, event] : before.events) {
    auto it = after.events.find(uid);
    if (it == after.events.end()) continue;
    EXPECT_GT(it->second.sequence, event.sequence) << uid;
    if (it->second.start > event.start) ++later;
  }
  EXPECT_GT(after.events.at(due).start, before.events.at(due).start);
  EXPECT_EQ(after.events.at(expiry).start, "2028-03-20");  // a fixed date does not move
  EXPECT_GT(later, 5);

  // Revoked: the URL answers 404, like a URL that never was.
  const std::string feed_id = url.substr(url.find("/feeds/") + 7, 16);
  const CommandResult deleted = Cli(acme_file_, {"feed", "delete", feed_id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.output;
  EXPECT_EQ(Fetch(url).status, 404);
  std::string never = url;
  never[never.size() - 5] = never[never.size() - 5] == 'a' ? 'b' : 'a';
  EXPECT_EQ(Fetch(never).status, 404);
  const CommandResult listed = Cli(acme_file_, {"feed", "list"});
  EXPECT_EQ(listed.output, "no calendar feeds\n");
}

TEST_F(CalendarFeedTest, AnAssigneesFeedShowsOnlyTheirItems) {
  const std::string launch = CreateLaunch(/*due_in_days=*/120);
  UpdateItem(launch, "MP_FILING", "li.na", "");
  UpdateItem(launch, "ICP_FILING", "wang.fang", "");
  const ParsedFeed feed = Fetch(CreateFeed({"--assignee=li.na", "--tenant=acme"}));
  ASSERT_EQ(feed.status, 200);
  std::set<std::string> items;
  for (const auto& [uid, event] : feed.events) {
    items.insert(uid.substr(0, uid.rfind('.')));
    EXPECT_THAT(event.summary, HasSubstr("[Acme shop] ")) << uid;
  }
  EXPECT_EQ(items, (std::set<std::string>{absl::StrCat(launch, ".MP_FILING")}));
}

TEST_F(CalendarFeedTest, AnotherTenantsTokenCannotCreateAFeedOfThisTenant) {
  const std::string launch = CreateLaunch(/*due_in_days=*/120);
  const CommandResult launch_feed = Cli(globex_file_, {"feed", "create", "--launch=" + launch});
  EXPECT_NE(launch_feed.exit_code, 0);
  EXPECT_THAT(launch_feed.output,
              HasSubstr(absl::StrCat("NOT_FOUND: launch ", launch, " not found")));
  const CommandResult assignee_feed =
      Cli(globex_file_, {"feed", "create", "--assignee=li.na", "--tenant=acme"});
  EXPECT_NE(assignee_feed.exit_code, 0);
  EXPECT_THAT(assignee_feed.output, HasSubstr("PERMISSION_DENIED"));
  // Nor export its calendar, nor see or delete its feeds.
  const std::string url = CreateFeed({"--launch=" + launch});
  EXPECT_THAT(Cli(globex_file_, {"launch", "ics", launch}).output, HasSubstr("NOT_FOUND"));
  EXPECT_EQ(Cli(globex_file_, {"feed", "list"}).output, "no calendar feeds\n");
  const std::string feed_id = url.substr(url.find("/feeds/") + 7, 16);
  EXPECT_THAT(Cli(globex_file_, {"feed", "delete", feed_id}).output, HasSubstr("NOT_FOUND"));
  EXPECT_EQ(Fetch(url).status, 200);
}

}  // namespace
}  // namespace preflight
