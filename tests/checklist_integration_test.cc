// End to end through the real binaries: checklist-service on a loopback port with a temporary data
// folder, driven only by the `preflight` CLI. Covers a launch's lifecycle, the CLI's error
// contract, and durability across a clean restart and a SIGKILL right after a write.

#include <signal.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.pb.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/text.h"

namespace preflight {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ParseJson;
using testing::ServiceProcess;
using testing::TempDir;

// A checklist-service on a free loopback port with its data in `data_dir`.
absl::StatusOr<ServiceProcess> StartService(const std::string& data_dir) {
  return testing::StartProcess(
      {CHECKLIST_SERVICE_BIN, "--listen=127.0.0.1:0", "--data_dir=" + data_dir});
}

// Runs `preflight --server=ADDRESS --actor=ACTOR ARGS...`.
CommandResult Cli(const ServiceProcess& service, const std::vector<std::string>& args,
                  const std::string& actor = "alice") {
  std::vector<std::string> argv = {PREFLIGHT_CLI_BIN, "--server=" + service.address,
                                   "--actor=" + actor, "--timeout=10s"};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<CommandResult> result = testing::RunCommand(argv, absl::Seconds(20));
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : CommandResult{};
}

// Runs a CLI command that must succeed and returns its output.
std::string CliOk(const ServiceProcess& service, const std::vector<std::string>& args,
                  const std::string& actor = "alice") {
  CommandResult result = Cli(service, args, actor);
  EXPECT_EQ(result.exit_code, 0) << "preflight " << ::testing::PrintToString(args) << "\n"
                                 << result.output;
  return result.output;
}

v1::Launch ShowJson(const ServiceProcess& service, const std::string& launch) {
  return ParseJson<v1::Launch>(CliOk(service, {"launch", "show", launch, "--json"}));
}

v1::ListEventsResponse EventsJson(const ServiceProcess& service, const std::string& launch) {
  // A small page size makes --all follow several page tokens.
  return ParseJson<v1::ListEventsResponse>(
      CliOk(service, {"events", launch, "--all", "--page_size=4", "--json"}));
}

const v1::Item* FindItem(const v1::Launch& launch, const std::string& code) {
  for (const v1::Item& item : launch.items()) {
    if (item.code() == code) return &item;
  }
  ADD_FAILURE() << "no item " << code << " in " << launch.name();
  return nullptr;
}

// Schedules are computed as of "today" in the launch's time zone; when a restart crosses midnight
// they may legitimately move, so they are compared only when both reads share the same day.
void ClearScheduleIfDayChanged(const v1::Launch& before, v1::Launch* after,
                               v1::Launch* before_copy) {
  if (before.schedule().as_of_date() == after->schedule().as_of_date()) return;
  for (v1::Launch* launch : {after, before_copy}) {
    launch->clear_schedule();
    for (v1::Item& item : *launch->mutable_items()) item.clear_schedule();
  }
}

void ExpectSameLaunch(const v1::Launch& before, const v1::Launch& after_read) {
  v1::Launch expected = before;
  v1::Launch actual = after_read;
  ClearScheduleIfDayChanged(before, &actual, &expected);
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(expected, actual)) << diff;
}

void ExpectSameEvents(const v1::ListEventsResponse& before, const v1::ListEventsResponse& after) {
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(before, after)) << diff;
}

std::string DaysFromToday(int days) {
  // China has one time zone and no DST; a fixed offset avoids depending on tzdata.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 60 * 60));
  return absl::FormatCivilTime(today + days);
}

int WaitStatusExitCode(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

TEST(ChecklistIntegrationTest, LaunchLifecycleSurvivesRestartAndKill) {
  TempDir data;
  absl::StatusOr<ServiceProcess> service = StartService(data.path());
  ASSERT_TRUE(service.ok()) << service.status();

  // Create an enterprise launch with its own mainland server, payments and e-commerce.
  const std::string target = DaysFromToday(180);
  const v1::Launch created = ParseJson<v1::Launch>(CliOk(
      *service, {"launch", "create", "--tenant=acme", "--name=Acme Shop", "--owner=alice",
                 "--target=" + target, "--subject=enterprise", "--hosting=own_mainland_server",
                 "--payments", "--categories=ecommerce", "--request_id=create-1", "--json"}));
  const std::string launch = created.name();
  ASSERT_THAT(launch, ::testing::StartsWith("launches/"));
  EXPECT_EQ(created.target_launch_date(), target);
  EXPECT_EQ(created.profile().subject_type(), v1::SUBJECT_TYPE_ENTERPRISE);

  // The table shows the items this profile calls for; with --all also the ones it does not,
  // last.
  const std::string shown = CliOk(*service, {"launch", "show", launch});
  for (const char* code :
       {"BIZ", "ICP_FILING", "MP_ACCOUNT", "MP_VERIFY", "WXPAY_MCH", "WXPAY_BIND", "CODE_REVIEW"}) {
    EXPECT_THAT(shown, HasSubstr(code)) << shown;
  }
  EXPECT_THAT(shown, Not(HasSubstr("CAC_REVIEW")));
  EXPECT_THAT(shown, HasSubstr("not applicable (--all shows them)"));
  EXPECT_THAT(shown, HasSubstr("Acme Shop"));
  EXPECT_THAT(shown, HasSubstr("legend:"));
  const std::string every = CliOk(*service, {"launch", "show", launch, "--all"});
  EXPECT_GT(every.find("CAC_REVIEW"), every.find("WXPAY_BIND")) << "n/a items come last";

  // Drive items through their lifecycle.
  CliOk(*service, {"item", "update", launch, "BIZ", "--status=approved"});
  CliOk(*service,
        {"item", "update", launch, "MP_ACCOUNT", "--status=in_progress", "--assignee=bob"});
  CliOk(*service, {"item", "update", launch, "MP_ACCOUNT", "--status=approved"});
  CliOk(*service, {"item", "update", launch, "MP_VERIFY", "--status=submitted"}, "bob");
  CliOk(*service,
        {"item", "update", launch, "MP_VERIFY", "--status=rejected",
         "--notes=licence scan unreadable"},
        "bob");
  const v1::Item verify = ParseJson<v1::Item>(CliOk(
      *service, {"item", "update", launch, "MP_VERIFY", "--status=submitted", "--json"}, "bob"));
  EXPECT_EQ(verify.status(), v1::ITEM_STATUS_SUBMITTED);
  EXPECT_EQ(verify.attempts(), 2);
  EXPECT_EQ(verify.fees_paid().units(), 600);
  EXPECT_EQ(verify.notes(), "licence scan unreadable");

  const std::string waived =
      CliOk(*service, {"item", "update", launch, "MP_SUBJECT", "--status=waived",
                       "--waiver_reason=verified through WeChat verification"});
  EXPECT_THAT(waived, HasSubstr("waived"));
  const std::string custom_due = DaysFromToday(120);
  const v1::Item custom = ParseJson<v1::Item>(
      CliOk(*service, {"item", "add", launch, "--code=PRIVACY_POLICY", "--title=Privacy policy",
                       "--title_zh=隐私政策", "--due=" + custom_due, "--depends_on=MP_ACCOUNT",
                       "--duration_days=3", "--json"}));
  EXPECT_TRUE(custom.custom());
  EXPECT_EQ(custom.due_date(), custom_due);
  EXPECT_EQ(custom.name(), launch + "/items/PRIVACY_POLICY");

  const std::string new_target = DaysFromToday(210);
  const v1::Launch updated = ParseJson<v1::Launch>(
      CliOk(*service, {"launch", "update", launch, "--target=" + new_target, "--json"}));
  EXPECT_EQ(updated.target_launch_date(), new_target);
  EXPECT_EQ(updated.owner(), "alice") << "fields not given must not change";
  EXPECT_TRUE(updated.profile().takes_payments()) << "fields not given must not change";

  // What `launch show --json` reports now.
  const v1::Launch before = ShowJson(*service, launch);
  EXPECT_EQ(before.target_launch_date(), new_target);
  EXPECT_EQ(FindItem(before, "BIZ")->status(), v1::ITEM_STATUS_APPROVED);
  EXPECT_EQ(FindItem(before, "MP_ACCOUNT")->status(), v1::ITEM_STATUS_APPROVED);
  EXPECT_EQ(FindItem(before, "MP_ACCOUNT")->assignee(), "bob");
  EXPECT_EQ(FindItem(before, "MP_VERIFY")->attempts(), 2);
  EXPECT_EQ(FindItem(before, "MP_VERIFY")->fees_paid().units(), 600);
  EXPECT_EQ(FindItem(before, "MP_SUBJECT")->status(), v1::ITEM_STATUS_WAIVED);
  EXPECT_EQ(FindItem(before, "MP_SUBJECT")->waiver_reason(),
            "verified through WeChat verification");
  EXPECT_EQ(FindItem(before, "PRIVACY_POLICY")->title_zh(), "隐私政策");
  EXPECT_EQ(FindItem(before, "CAC_REVIEW")->status(), v1::ITEM_STATUS_NOT_APPLICABLE);
  EXPECT_EQ(before.schedule().fees_paid().units(), 600);

  // Not ready: most items are still open.
  const std::string readiness = CliOk(*service, {"readiness", launch});
  EXPECT_THAT(readiness, HasSubstr("NOT READY"));
  const v1::Readiness readiness_json =
      ParseJson<v1::Readiness>(CliOk(*service, {"readiness", launch, "--json"}));
  EXPECT_FALSE(readiness_json.ready());
  EXPECT_LT(readiness_json.items_done(), readiness_json.items_total());

  // The audit trail: gap-free ascending sequences, the acting user on each event.
  const v1::ListEventsResponse events = EventsJson(*service, launch);
  ASSERT_GE(events.events_size(), 10);
  EXPECT_EQ(events.events(0).type(), v1::Event::TYPE_LAUNCH_CREATED);
  bool saw_verify_by_bob = false;
  bool saw_custom_created = false;
  for (int i = 0; i < events.events_size(); ++i) {
    const v1::Event& event = events.events(i);
    if (i > 0) {
      EXPECT_EQ(event.sequence(), events.events(i - 1).sequence() + 1) << i;
    }
    EXPECT_EQ(event.launch(), launch);
    EXPECT_THAT(event.actor(), ::testing::AnyOf("alice", "bob"));
    if (event.item_code() == "MP_VERIFY" && event.type() == v1::Event::TYPE_ITEM_UPDATED) {
      EXPECT_EQ(event.actor(), "bob");
      saw_verify_by_bob = true;
    }
    if (event.item_code() == "PRIVACY_POLICY" && event.type() == v1::Event::TYPE_ITEM_CREATED) {
      saw_custom_created = true;
    }
  }
  EXPECT_TRUE(saw_verify_by_bob);
  EXPECT_TRUE(saw_custom_created);
  EXPECT_TRUE(events.next_page_token().empty());
  const std::string events_text = CliOk(*service, {"events", launch, "--page_size=200"});
  EXPECT_THAT(events_text, HasSubstr("SEQ"));
  EXPECT_THAT(events_text, HasSubstr("launch_created"));

  // Refused changes: exit code 1 and the server's own message; nothing is recorded.
  CommandResult illegal = Cli(*service, {"item", "update", launch, "BIZ", "--status=rejected"});
  EXPECT_EQ(illegal.exit_code, 1) << illegal.output;
  EXPECT_THAT(illegal.output, HasSubstr("error: FAILED_PRECONDITION: "));
  EXPECT_THAT(illegal.output, HasSubstr("illegal transition APPROVED -> REJECTED"));
  CommandResult bad_date = Cli(*service, {"launch", "update", launch, "--target=2026-02-30"});
  EXPECT_EQ(bad_date.exit_code, 1) << bad_date.output;
  EXPECT_THAT(bad_date.output, HasSubstr("error: INVALID_ARGUMENT: "));
  EXPECT_THAT(bad_date.output, HasSubstr("2026-02-30"));
  CommandResult missing = Cli(*service, {"launch", "show", "no-such-launch"});
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("error: NOT_FOUND: "));
  CommandResult usage = Cli(*service, {"item", "update", launch, "BIZ", "--status=done"});
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
  ExpectSameEvents(events, EventsJson(*service, launch));

  // A clean stop and restart on the same folder loses nothing.
  absl::StatusOr<int> stopped = service->process.Stop(SIGTERM);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(WaitStatusExitCode(*stopped), 0) << service->process.output();
  service = StartService(data.path());
  ASSERT_TRUE(service.ok()) << service.status();
  ExpectSameLaunch(before, ShowJson(*service, launch));
  ExpectSameEvents(events, EventsJson(*service, launch));

  // A write acknowledged to the CLI survives a SIGKILL straight after it.
  CliOk(*service, {"item", "update", launch, "WXPAY_MCH", "--status=in_progress",
                   "--assignee=carol", "--evidence=https://drive.example.com/mch.pdf"});
  stopped = service->process.Stop(SIGKILL);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  service = StartService(data.path());
  ASSERT_TRUE(service.ok()) << service.status();
  const v1::Launch after_kill = ShowJson(*service, launch);
  const v1::Item* mch = FindItem(after_kill, "WXPAY_MCH");
  ASSERT_NE(mch, nullptr);
  EXPECT_EQ(mch->status(), v1::ITEM_STATUS_IN_PROGRESS);
  EXPECT_EQ(mch->assignee(), "carol");
  ASSERT_EQ(mch->evidence_size(), 1);
  EXPECT_EQ(mch->evidence(0).uri(), "https://drive.example.com/mch.pdf");
  const v1::ListEventsResponse events_after_kill = EventsJson(*service, launch);
  ASSERT_GT(events_after_kill.events_size(), events.events_size());
  const v1::Event& last_before = events.events(events.events_size() - 1);
  const v1::Event& first_new = events_after_kill.events(events.events_size());
  EXPECT_EQ(first_new.sequence(), last_before.sequence() + 1);
  bool saw_mch = false;
  for (int i = events.events_size(); i < events_after_kill.events_size(); ++i) {
    const v1::Event& event = events_after_kill.events(i);
    if (event.item_code() == "WXPAY_MCH" && event.type() == v1::Event::TYPE_ITEM_UPDATED) {
      saw_mch = true;
      EXPECT_EQ(event.actor(), "alice");
      EXPECT_EQ(event.item_snapshot().assignee(), "carol");
    }
  }
  EXPECT_TRUE(saw_mch);

  stopped = service->process.Stop(SIGTERM);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(WaitStatusExitCode(*stopped), 0) << service->process.output();
}

TEST(ChecklistIntegrationTest, CreateRetryWithSameRequestIdReturnsTheSameLaunch) {
  TempDir data;
  absl::StatusOr<ServiceProcess> service = StartService(data.path());
  ASSERT_TRUE(service.ok()) << service.status();
  const std::vector<std::string> create = {"launch",
                                           "create",
                                           "--tenant=acme",
                                           "--name=Cloud app",
                                           "--owner=alice",
                                           "--target=" + DaysFromToday(90),
                                           "--subject=individual",
                                           "--hosting=wechat_cloud",
                                           "--request_id=retry-1",
                                           "--json"};
  const v1::Launch first = ParseJson<v1::Launch>(CliOk(*service, create));
  const v1::Launch second = ParseJson<v1::Launch>(CliOk(*service, create));
  EXPECT_EQ(first.name(), second.name());
  // Cloud hosting needs no ICP filing; the CLI shows it as not applicable with the reason.
  EXPECT_EQ(FindItem(first, "ICP_FILING")->status(), v1::ITEM_STATUS_NOT_APPLICABLE);
  const std::string listed = CliOk(*service, {"launch", "list", "--tenant=acme"});
  EXPECT_THAT(listed, HasSubstr(first.name()));
  EXPECT_THAT(listed, Not(HasSubstr("more:")));
  const v1::ListLaunchesResponse list =
      ParseJson<v1::ListLaunchesResponse>(CliOk(*service, {"launch", "list", "--json"}));
  ASSERT_EQ(list.launches_size(), 1) << "the retry must not create a second launch";
  ASSERT_FALSE(first.template_id().empty());
  const std::string templates = CliOk(*service, {"templates"});
  EXPECT_THAT(templates, HasSubstr(first.template_id()));
}

}  // namespace
}  // namespace preflight
