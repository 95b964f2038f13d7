#include "cli/cli.h"

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/testing/text.h"

namespace preflight::cli {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using testing::FromText;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::SetArgPointee;
using ::testing::StartsWith;

class MockChecklistClient : public ChecklistClient {
 public:
  MOCK_METHOD(grpc::Status, CreateLaunch, (const v1::CreateLaunchRequest&, v1::Launch*),
              (override));
  MOCK_METHOD(grpc::Status, GetLaunch, (const v1::GetLaunchRequest&, v1::Launch*), (override));
  MOCK_METHOD(grpc::Status, ListLaunches,
              (const v1::ListLaunchesRequest&, v1::ListLaunchesResponse*), (override));
  MOCK_METHOD(grpc::Status, UpdateLaunch, (const v1::UpdateLaunchRequest&, v1::Launch*),
              (override));
  MOCK_METHOD(grpc::Status, UpdateItem, (const v1::UpdateItemRequest&, v1::Item*), (override));
  MOCK_METHOD(grpc::Status, AddItem, (const v1::AddItemRequest&, v1::Item*), (override));
  MOCK_METHOD(grpc::Status, GetReadiness, (const v1::GetReadinessRequest&, v1::Readiness*),
              (override));
  MOCK_METHOD(grpc::Status, ListEvents, (const v1::ListEventsRequest&, v1::ListEventsResponse*),
              (override));
  MOCK_METHOD(grpc::Status, ListTemplates,
              (const v1::ListTemplatesRequest&, v1::ListTemplatesResponse*), (override));
  MOCK_METHOD(grpc::Status, GetWorkingCalendar,
              (const v1::GetWorkingCalendarRequest&, v1::WorkingCalendar*), (override));
};

class RunCliTest : public ::testing::Test {
 protected:
  // Runs the CLI against `client_`; the client is handed over on the first connect.
  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    const Connectors connect{
        [this](const GlobalOptions& options) -> std::unique_ptr<ChecklistClient> {
          options_ = options;
          ++connects_;
          return std::move(client_);
        },
        [this](const GlobalOptions& options) -> std::unique_ptr<NotifierClient> {
          ADD_FAILURE() << "a checklist command connected to the notifier";
          return nullptr;
        }};
    return RunCli(args, "alice", connect, out_, err_);
  }

  std::unique_ptr<MockChecklistClient> client_ = std::make_unique<MockChecklistClient>();
  MockChecklistClient& mock_ = *client_;
  GlobalOptions options_;
  int connects_ = 0;
  std::ostringstream out_;
  std::ostringstream err_;
};

const char kLaunch[] = R"pb(
  name: "launches/l1"
  display_name: "Acme Shop"
  tenant: "acme"
  items { code: "ICP_FILING" title_en: "ICP filing" status: ITEM_STATUS_IN_PROGRESS }
)pb";

TEST_F(RunCliTest, ShowRendersTheLaunch) {
  v1::GetLaunchRequest request;
  EXPECT_CALL(mock_, GetLaunch(_, _))
      .WillOnce(DoAll(SaveArg<0>(&request), SetArgPointee<1>(FromText<v1::Launch>(kLaunch)),
                      Return(grpc::Status::OK)));
  // The table's blockers are readiness's, so both commands give one count.
  v1::GetReadinessRequest asked;
  EXPECT_CALL(mock_, GetReadiness(_, _))
      .WillOnce(DoAll(SaveArg<0>(&asked), SetArgPointee<1>(FromText<v1::Readiness>(R"pb(
                        launch: "launches/l1"
                        blockers {
                          code: "ICP_FILING"
                          message: "ICP_FILING (ICP filing) is in_progress"
                          item: "ICP_FILING"
                        }
                      )pb")),
                      Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"launch", "show", "l1"}), kExitOk);
  EXPECT_EQ(asked.name(), "launches/l1");
  EXPECT_EQ(request.name(), "launches/l1");
  EXPECT_EQ(request.view(), v1::LAUNCH_VIEW_FULL);
  EXPECT_THAT(out_.str(), StartsWith("launches/l1  Acme Shop\n"));
  EXPECT_THAT(out_.str(), HasSubstr("ICP_FILING  ICP filing  in_progress"));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(RunCliTest, GlobalOptionsReachTheConnection) {
  EXPECT_CALL(mock_, ListTemplates(_, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_EQ(Run({"--server=10.1.2.3:7000", "--timeout=3s", "templates"}), kExitOk);
  EXPECT_EQ(options_.server, "10.1.2.3:7000");
  EXPECT_EQ(options_.timeout, absl::Seconds(3));
  EXPECT_EQ(options_.actor, "alice");  // the default actor
  EXPECT_EQ(out_.str(), "no templates\n");
}

TEST_F(RunCliTest, JsonPrintsTheResponse) {
  const v1::Launch launch = FromText<v1::Launch>(kLaunch);
  EXPECT_CALL(mock_, GetLaunch(_, _))
      .WillOnce(DoAll(SetArgPointee<1>(launch), Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"launch", "show", "launches/l1", "--json", "--actor=bob"}), kExitOk);
  EXPECT_EQ(options_.actor, "bob");
  v1::Launch parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &parsed).ok()) << out_.str();
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, launch));
  // The canonical JSON mapping, as buf curl and grpcurl print it.
  EXPECT_THAT(out_.str(), HasSubstr("\"displayName\": \"Acme Shop\""));
}

TEST_F(RunCliTest, RpcErrorExitsOneWithCodeAndServerMessage) {
  EXPECT_CALL(mock_, UpdateItem(_, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                    "item BIZ: illegal transition APPROVED -> REJECTED")));
  EXPECT_EQ(Run({"item", "update", "l1", "BIZ", "--status=rejected"}), kExitRpcError);
  EXPECT_EQ(err_.str(),
            "error: FAILED_PRECONDITION: item BIZ: illegal transition APPROVED -> REJECTED\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(RunCliTest, JsonRpcErrorAlsoGoesToStderr) {
  EXPECT_CALL(mock_, GetReadiness(_, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::NOT_FOUND, "launch l9 not found")));
  EXPECT_EQ(Run({"readiness", "l9", "--json"}), kExitRpcError);
  EXPECT_EQ(err_.str(), "error: NOT_FOUND: launch l9 not found\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(RunCliTest, UsageErrorExitsTwoWithoutConnecting) {
  EXPECT_EQ(Run({"launch", "create", "--tenant=acme"}), kExitUsage);
  EXPECT_EQ(connects_, 0);
  EXPECT_EQ(err_.str(),
            "error: 'launch create' needs --name=TEXT\n"
            "Run 'preflight launch create --help' for its usage.\n");
  EXPECT_EQ(out_.str(), "");

  EXPECT_EQ(Run({"bogus"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("Run 'preflight --help' for the commands."));

  // --tenant, which a context may supply, is still required without one.
  EXPECT_EQ(Run({"launch", "create", "--name=n", "--owner=o", "--target=2026-09-01",
                 "--subject=enterprise", "--hosting=wechat_cloud"}),
            kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("error: 'launch create' needs --tenant=TENANT\n"));

  EXPECT_EQ(Run({"templates", "--timeout=forever"}), kExitUsage);
  EXPECT_EQ(connects_, 0);
}

TEST_F(RunCliTest, RequestBuildingErrorIsAUsageError) {
  EXPECT_CALL(mock_, UpdateLaunch(_, _)).Times(0);
  EXPECT_EQ(Run({"launch", "update", "l1"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("changes nothing"));
  EXPECT_THAT(err_.str(), HasSubstr("Run 'preflight launch update --help'"));
}

TEST_F(RunCliTest, HelpGoesToStdout) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Usage:\n  preflight COMMAND"));
  EXPECT_EQ(Run({"item", "add", "--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("--duration_days=N"));
  EXPECT_EQ(connects_, 0);
}

TEST_F(RunCliTest, UpdateSendsOnlyGivenFields) {
  v1::UpdateLaunchRequest request;
  EXPECT_CALL(mock_, UpdateLaunch(_, _))
      .WillOnce(DoAll(SaveArg<0>(&request), SetArgPointee<1>(FromText<v1::Launch>(kLaunch)),
                      Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"launch", "update", "l1", "--target", "2026-12-01"}), kExitOk);
  EXPECT_THAT(request.update_mask().paths(), ElementsAre("target_launch_date"));
  EXPECT_EQ(request.launch().target_launch_date(), "2026-12-01");
  EXPECT_THAT(out_.str(), StartsWith("launches/l1  Acme Shop\n"));
}

TEST_F(RunCliTest, ItemCommandsRenderTheItem) {
  EXPECT_CALL(mock_, AddItem(_, _))
      .WillOnce(DoAll(SetArgPointee<1>(FromText<v1::Item>(
                          R"pb(name: "launches/l1/items/PRIVACY"
                               title_en: "Privacy policy"
                               status: ITEM_STATUS_NOT_STARTED
                               custom: true
                               etag: "1-a")pb")),
                      Return(grpc::Status::OK)));
  EXPECT_EQ(
      Run({"item", "add", "l1", "--code=PRIVACY", "--title=Privacy policy", "--due=2026-06-01"}),
      kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("launches/l1/items/PRIVACY  Privacy policy\n"));
  EXPECT_THAT(out_.str(), HasSubstr("status  not_started\n"));
}

TEST_F(RunCliTest, EventsAllFollowsPageTokens) {
  std::vector<std::string> tokens;
  EXPECT_CALL(mock_, ListEvents(_, _))
      .Times(3)
      .WillRepeatedly([&](const v1::ListEventsRequest& request, v1::ListEventsResponse* response) {
        EXPECT_EQ(request.parent(), "launches/l1");
        EXPECT_EQ(request.page_size(), 2);
        tokens.push_back(request.page_token());
        const int page = static_cast<int>(tokens.size());
        for (int i = 1; i <= (page < 3 ? 2 : 1); ++i) {
          v1::Event* event = response->add_events();
          event->set_sequence((page - 1) * 2 + i);
          event->set_type(v1::Event::TYPE_ITEM_UPDATED);
        }
        if (page < 3) response->set_next_page_token("p" + std::to_string(page + 1));
        return grpc::Status::OK;
      });
  EXPECT_EQ(Run({"events", "l1", "--all", "--page_size=2", "--json"}), kExitOk);
  EXPECT_THAT(tokens, ElementsAre("", "p2", "p3"));
  v1::ListEventsResponse all;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &all).ok());
  ASSERT_EQ(all.events_size(), 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(all.events(i).sequence(), i + 1);
  EXPECT_THAT(all.next_page_token(), IsEmpty());
}

TEST_F(RunCliTest, EventsWithoutAllShowsOnePage) {
  EXPECT_CALL(mock_, ListEvents(_, _))
      .WillOnce(DoAll(SetArgPointee<1>(FromText<v1::ListEventsResponse>(
                          R"pb(events { sequence: 1 type: TYPE_LAUNCH_CREATED }
                               next_page_token: "p2")pb")),
                      Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"events", "l1"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("launch_created"));
  EXPECT_THAT(out_.str(), HasSubstr("more: --page_token=p2"));
}

TEST_F(RunCliTest, EventsAllStopsAtTheFirstError) {
  EXPECT_CALL(mock_, ListEvents(_, _))
      .WillOnce(
          DoAll(SetArgPointee<1>(FromText<v1::ListEventsResponse>(R"pb(events { sequence: 1 }
                                                                       next_page_token: "p2")pb")),
                Return(grpc::Status::OK)))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection reset")));
  EXPECT_EQ(Run({"events", "l1", "--all"}), kExitRpcError);
  // One line: which service, the address tried, what chose it, and why.
  EXPECT_EQ(err_.str(),
            "error: UNAVAILABLE: cannot reach the checklist service at 127.0.0.1:50051 (the "
            "default; --server, $PREFLIGHT_SERVER or a context sets it): connection reset\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(RunCliTest, AFlagChoosingTheServerIsNamedWhenItCannotBeReached) {
  EXPECT_CALL(mock_, ListTemplates(_, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    "failed to connect to all addresses; last error: UNKNOWN: "
                                    "ipv4:127.0.0.1:1: Failed to connect to remote host: "
                                    "Connection refused")));
  EXPECT_EQ(Run({"templates", "--server=127.0.0.1:1"}), kExitRpcError);
  EXPECT_EQ(err_.str(),
            "error: UNAVAILABLE: cannot reach the checklist service at 127.0.0.1:1 (from "
            "--server): connection refused\n");
}

TEST_F(RunCliTest, AServiceThatAnswersUnavailableIsQuotedNotCalledUnreachable) {
  EXPECT_CALL(mock_, ListTemplates(_, _))
      .WillOnce(
          Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "store: database is locked; retry")));
  EXPECT_EQ(Run({"templates", "--server=10.0.0.1:50051"}), kExitRpcError);
  EXPECT_EQ(err_.str(),
            "error: UNAVAILABLE: store: database is locked; retry (the checklist service at "
            "10.0.0.1:50051)\n");
}

TEST_F(RunCliTest, ReadinessExitCodeSaysNotReady) {
  const v1::Readiness not_ready =
      FromText<v1::Readiness>(R"pb(launch: "launches/l1" ready: false)pb");
  // Each run connects once: a fresh client answers each.
  const auto answer = [&](const v1::Readiness& readiness) {
    client_ = std::make_unique<MockChecklistClient>();
    EXPECT_CALL(*client_, GetReadiness(_, _))
        .WillOnce(DoAll(SetArgPointee<1>(readiness), Return(grpc::Status::OK)));
  };
  answer(not_ready);
  EXPECT_EQ(Run({"readiness", "l1"}), kExitOk);
  answer(not_ready);
  EXPECT_EQ(Run({"readiness", "l1", "--exit_code"}), kExitNo);
  EXPECT_THAT(out_.str(), HasSubstr("NOT READY"));
  answer(not_ready);
  EXPECT_EQ(Run({"readiness", "l1", "--exit_code", "-o", "json"}), kExitNo);
  answer(FromText<v1::Readiness>(R"pb(launch: "launches/l1" ready: true)pb"));
  EXPECT_EQ(Run({"readiness", "l1", "--exit_code"}), kExitOk);
}

TEST_F(RunCliTest, OutputFormatsNameAndYaml) {
  const auto answer = [&] {
    client_ = std::make_unique<MockChecklistClient>();
    EXPECT_CALL(*client_, ListLaunches(_, _))
        .WillOnce(DoAll(SetArgPointee<1>(FromText<v1::ListLaunchesResponse>(R"pb(
                          launches { name: "launches/l1" display_name: "Acme Shop" }
                          launches { name: "launches/l2" display_name: "0123" }
                        )pb")),
                        Return(grpc::Status::OK)));
  };
  answer();
  EXPECT_EQ(Run({"launch", "list", "-o", "name"}), kExitOk);
  EXPECT_EQ(out_.str(), "launches/l1\nlaunches/l2\n");
  answer();
  EXPECT_EQ(Run({"launch", "list", "-o", "yaml"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("launches:\n"));
  EXPECT_THAT(out_.str(), HasSubstr("name: launches/l1"));
  // A string that YAML would read as a number stays a string.
  EXPECT_THAT(out_.str(), HasSubstr("displayName: '0123'"));
  EXPECT_EQ(Run({"launch", "list", "-o", "xml"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("table, wide, json, yaml, name"));
}

TEST_F(RunCliTest, AMistypedItemCodeGetsTheCodesItMayHaveMeant) {
  EXPECT_CALL(mock_, UpdateItem(_, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "item launches/l1/items/ICP_FILNG not found")));
  EXPECT_CALL(mock_, GetLaunch(_, _))
      .WillOnce(DoAll(SetArgPointee<1>(FromText<v1::Launch>(kLaunch)), Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"item", "update", "l1", "icp_filng", "--status=in_progress"}), kExitRpcError);
  EXPECT_EQ(err_.str(),
            "error: NOT_FOUND: item launches/l1/items/ICP_FILNG not found\n"
            "did you mean ICP_FILING?\n");
}

TEST_F(RunCliTest, WhatIfPreviewsTheChangeAndShowsTheDifference) {
  const v1::Launch before = FromText<v1::Launch>(R"pb(
    name: "launches/l1"
    display_name: "Acme Shop"
    target_launch_date: "2027-03-01"
    profile { takes_payments: true service_categories: "ecommerce" }
    schedule { projected_launch_date: "2027-02-01" slack_working_days: 15 }
    items {
      code: "WXPAY_MCH"
      title_en: "WeChat Pay merchant number"
      status: ITEM_STATUS_NOT_STARTED
      schedule { latest_start_date: "2027-02-01" latest_finish_date: "2027-02-20" }
    }
    items { code: "PERMIT_NEWS" title_en: "News licence" status: ITEM_STATUS_NOT_APPLICABLE }
  )pb");
  v1::Launch after = before;
  after.set_target_launch_date("2027-04-01");
  after.mutable_items(0)->set_status(v1::ITEM_STATUS_NOT_APPLICABLE);
  after.mutable_items(0)->set_applicability_reason("No payments.");
  after.mutable_items(1)->set_status(v1::ITEM_STATUS_NOT_STARTED);
  after.mutable_items(1)->set_applicability_reason("The news category needs it.");
  after.mutable_schedule()->set_projected_launch_date("2027-03-10");
  v1::UpdateLaunchRequest request;
  EXPECT_CALL(mock_, GetLaunch(_, _))
      .WillOnce(DoAll(SetArgPointee<1>(before), Return(grpc::Status::OK)));
  EXPECT_CALL(mock_, UpdateLaunch(_, _))
      .WillOnce(DoAll(SaveArg<0>(&request), SetArgPointee<1>(after), Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"launch", "what-if", "l1", "--takes_payments=false", "--add_category=news",
                 "--target=2027-04-01"}),
            kExitOk);
  // A preview of exactly the change the flags describe, categories added to the launch's own.
  EXPECT_TRUE(request.validate_only());
  EXPECT_THAT(
      request.update_mask().paths(),
      ElementsAre("target_launch_date", "profile.takes_payments", "profile.service_categories"));
  EXPECT_THAT(request.launch().profile().service_categories(), ElementsAre("ecommerce", "news"));
  const std::string out = out_.str();
  EXPECT_THAT(out, StartsWith("what if: launches/l1  Acme Shop  (a preview: nothing was changed)"));
  EXPECT_THAT(out, HasSubstr("target         2027-03-01 -> 2027-04-01\n"));
  EXPECT_THAT(out, HasSubstr("2027-02-01 on track (slack 15 working days) -> 2027-03-10"));
  EXPECT_THAT(out, HasSubstr("PERMIT_NEWS  News licence  The news category needs it."));
  EXPECT_THAT(out, HasSubstr("WXPAY_MCH            WeChat Pay merchant number  No payments."));
}

TEST_F(RunCliTest, WhatIfNeedsAChange) {
  EXPECT_CALL(mock_, GetLaunch(_, _))
      .WillOnce(DoAll(SetArgPointee<1>(FromText<v1::Launch>(kLaunch)), Return(grpc::Status::OK)));
  EXPECT_CALL(mock_, UpdateLaunch(_, _)).Times(0);
  EXPECT_EQ(Run({"launch", "what-if", "l1"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("'launch what-if' needs a change to preview"));
}

// `launch timeline`: the launch, then the calendar over the chart's span; colour decided by the
// terminal, $NO_COLOR and --color.
class TimelineCliTest : public RunCliTest {
 protected:
  // Runs with a terminal of `terminal_width` columns (0: none) and the variables `vars`.
  int RunIn(const std::vector<std::string>& args, int terminal_width,
            std::map<std::string, std::string> vars) {
    client_ = std::make_unique<MockChecklistClient>();
    MockChecklistClient& mock = *client_;
    EXPECT_CALL(mock, GetLaunch(_, _))
        .WillOnce(DoAll(SetArgPointee<1>(FromText<v1::Launch>(R"pb(
                          name: "launches/l1"
                          display_name: "Acme Shop"
                          target_launch_date: "2026-03-13"
                          schedule { as_of_date: "2026-02-09" projected_launch_date: "2026-03-02" }
                          items {
                            code: "ICP_FILING"
                            title_en: "ICP filing"
                            group: "filing"
                            status: ITEM_STATUS_IN_PROGRESS
                            schedule {
                              projected_start_date: "2026-02-09"
                              projected_finish_date: "2026-03-02"
                              critical: true
                            }
                          }
                        )pb")),
                        Return(grpc::Status::OK)));
    EXPECT_CALL(mock, GetWorkingCalendar(_, _))
        .WillOnce(DoAll(SaveArg<0>(&calendar_request_),
                        SetArgPointee<1>(FromText<v1::WorkingCalendar>(R"pb(
                          non_working_days {
                            date: "2026-02-17"
                            holiday_name_zh: "春节"
                            holiday_name_en: "Spring Festival"
                          }
                        )pb")),
                        Return(grpc::Status::OK)));
    vars["PREFLIGHT_CONFIG"] = "/nonexistent/preflight/config.yaml";
    Environment env;
    env.default_actor = "alice";
    env.terminal_width = terminal_width;
    env.getenv = [vars](absl::string_view name) -> std::optional<std::string> {
      const auto it = vars.find(std::string(name));
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
    out_.str("");
    err_.str("");
    const Connectors connect{
        [this](const GlobalOptions&) -> std::unique_ptr<ChecklistClient> {
          return std::move(client_);
        },
        [](const GlobalOptions&) -> std::unique_ptr<NotifierClient> { return nullptr; }};
    return RunCli(args, env, connect, out_, err_);
  }

  v1::GetWorkingCalendarRequest calendar_request_;
};

TEST_F(TimelineCliTest, AsksForTheCalendarOfTheChartsSpan) {
  EXPECT_EQ(RunIn({"launch", "timeline", "l1"}, 0, {}), kExitOk) << err_.str();
  EXPECT_EQ(calendar_request_.start_date(), "2026-02-09");
  EXPECT_EQ(calendar_request_.end_date(), "2026-03-13");
  EXPECT_THAT(out_.str(), HasSubstr("* ICP_FILING"));
  EXPECT_THAT(out_.str(), HasSubstr("Holidays: 春节 Spring Festival 2026-02-17"));
}

TEST_F(TimelineCliTest, ColourOnATerminalUnlessNoColorOrNever) {
  EXPECT_EQ(RunIn({"launch", "timeline", "l1"}, 100, {}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\x1b["));
  EXPECT_EQ(RunIn({"launch", "timeline", "l1"}, 100, {{"NO_COLOR", "1"}}), kExitOk);
  EXPECT_THAT(out_.str(), Not(HasSubstr("\x1b")));
  // An empty NO_COLOR does not count (no-color.org).
  EXPECT_EQ(RunIn({"launch", "timeline", "l1"}, 100, {{"NO_COLOR", ""}}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("\x1b["));
  EXPECT_EQ(RunIn({"launch", "timeline", "l1", "--color=never"}, 100, {}), kExitOk);
  EXPECT_THAT(out_.str(), Not(HasSubstr("\x1b")));
  // Not a terminal: plain, unless asked.
  EXPECT_EQ(RunIn({"launch", "timeline", "l1"}, 0, {}), kExitOk);
  EXPECT_THAT(out_.str(), Not(HasSubstr("\x1b")));
  EXPECT_EQ(RunIn({"launch", "timeline", "l1", "--color=always"}, 0, {{"NO_COLOR", "1"}}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("\x1b["));
}

TEST_F(TimelineCliTest, OtherFormats) {
  EXPECT_EQ(RunIn({"launch", "timeline", "l1", "--format=mermaid", "--fence"}, 0, {}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("```mermaid\ngantt\n"));
  EXPECT_THAT(out_.str(), HasSubstr(":crit, active, ICP_FILING, 2026-02-09, 22d\n"));
  EXPECT_EQ(RunIn({"launch", "timeline", "l1", "--format=svg"}, 0, {}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("<?xml"));
  EXPECT_EQ(RunIn({"launch", "timeline", "l1", "--format=html"}, 0, {}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("<!DOCTYPE html>"));
}

TEST_F(RunCliTest, TimelineRefusesUnknownFormatsBeforeCallingTheService) {
  EXPECT_CALL(mock_, GetLaunch(_, _)).Times(0);
  EXPECT_EQ(Run({"launch", "timeline", "l1", "--format=png"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--format: unknown format 'png' (text, svg, html or mermaid)"));
  EXPECT_EQ(Run({"launch", "timeline", "l1", "--color=sometimes"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--color: unknown value 'sometimes'"));
  EXPECT_EQ(Run({"launch", "timeline", "l1", "--fence"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--fence goes with --format=mermaid"));
}

TEST_F(RunCliTest, ItemCodesAreCaseInsensitive) {
  v1::UpdateItemRequest request;
  EXPECT_CALL(mock_, UpdateItem(_, _))
      .WillOnce(DoAll(SaveArg<0>(&request), Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"item", "update", "l1", "wxpay_bind", "--status=in_progress"}), kExitOk);
  EXPECT_EQ(request.item().name(), "launches/l1/items/WXPAY_BIND");
}

}  // namespace
}  // namespace preflight::cli
