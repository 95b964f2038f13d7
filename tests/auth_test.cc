// Authentication, roles and tenant isolation end to end: the real checklist-service and
// notifier-service binaries with --require_auth on free loopback ports, tokens issued with the
// real `preflight` CLI, and calls made over gRPC with each token. Covers refusals without a valid
// token on every RPC, what each role may do, other tenants' resources answering exactly like
// missing ones, the actor of a change, revocation, and the notifier checking tokens with the
// checklist service and following it with its own service token.

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "preflight/v1/auth.grpc.pb.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using testing::CommandResult;
using testing::Eventually;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ServiceProcess;
using testing::StartProcess;
using testing::TempDir;

constexpr absl::Duration kCatchUpTimeout = absl::Seconds(30);
constexpr char kActorKey[] = "x-preflight-actor";
// Well-formed launch, recipient and token names that exist nowhere: what another tenant's
// resource must be indistinguishable from.
constexpr char kMissingLaunchId[] = "lmissing2345";
constexpr char kMissingRecipientId[] = "nobody.here";
constexpr char kMissingTokenId[] = "0123456789ab";

std::string Bearer(const std::string& secret) { return "Bearer " + secret; }

// One unary call with `authorization` as the metadata value (none when empty) and, optionally,
// a claimed actor.
template <typename Stub, typename Request, typename Response>
grpc::Status CallAs(Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& authorization, const Request& request, Response* response,
                    const std::string& actor = "") {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context.set_wait_for_ready(true);
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
  if (!actor.empty()) context.AddMetadata(kActorKey, actor);
  return (stub->*method)(&context, request, response);
}

// A status and message with `id` replaced, so answers about two different names compare.
std::string Shape(const grpc::Status& status, const std::string& id) {
  return absl::StrCat(status.error_code(), ": ",
                      absl::StrReplaceAll(status.error_message(), {{id, "<ID>"}}));
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

// A named call that takes only the authorization value, for sweeping every RPC.
struct Probe {
  std::string name;
  std::function<grpc::Status(const std::string& authorization)> call;
};

template <typename Stub, typename Request, typename Response>
Probe MakeProbe(std::string name, Stub* stub,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                Request request) {
  return Probe{std::move(name), [stub, method, request](const std::string& authorization) {
                 Response response;
                 return CallAs(stub, method, authorization, request, &response);
               }};
}

struct WatchOutcome {
  // OK when the stream was accepted and cancelled by the test after `enough` held.
  grpc::Status status;
  std::vector<v1::Event> events;
};

// Opens WatchEvents, runs `after_start` once the server has accepted (or refused) the stream,
// then reads until `enough` holds for the events so far (and cancels) or the stream ends.
WatchOutcome Watch(v1::ChecklistService::Stub* stub, const std::string& authorization,
                   const v1::WatchEventsRequest& request,
                   const std::function<bool(const std::vector<v1::Event>&)>& enough,
                   const std::function<void()>& after_start = nullptr) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
  std::unique_ptr<grpc::ClientReader<v1::Event>> reader = stub->WatchEvents(&context, request);
  reader->WaitForInitialMetadata();
  if (after_start) after_start();
  WatchOutcome outcome;
  v1::Event event;
  while (reader->Read(&event)) {
    outcome.events.push_back(event);
    if (enough(outcome.events)) {
      context.TryCancel();
      reader->Finish().ok();
      outcome.status = grpc::Status::OK;
      return outcome;
    }
  }
  outcome.status = reader->Finish();
  return outcome;
}

// A token issued through the CLI.
struct Issued {
  std::string secret;
  std::string name;  // "tokens/{id}"
  std::string file;  // holds the secret, mode 0600
  std::string display_name;
  CommandResult create_output;
};

// The checklist service with --require_auth, and the tokens of two tenants issued with the CLI
// from the bootstrap admin token.
class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The CLI falls back to $PREFLIGHT_TOKEN; only the tokens the test names may be used.
    unsetenv("PREFLIGHT_TOKEN");
    absl::StatusOr<ServiceProcess> checklist =
        StartProcess(testing::ChecklistArgv("127.0.0.1:0", dir_.Join("data"), {"--require_auth"}));
    ASSERT_TRUE(checklist.ok()) << checklist.status();
    checklist_ = std::make_unique<ServiceProcess>(*std::move(checklist));
    Connect();

    admin_file_ = dir_.Join("data/admin.token");
    std::ifstream in(admin_file_);
    ASSERT_TRUE(in.good()) << admin_file_;
    std::getline(in, admin_secret_);
    ASSERT_FALSE(admin_secret_.empty());
  }

  void Connect() {
    auto channel = grpc::CreateChannel(checklist_->address, grpc::InsecureChannelCredentials());
    checklist_stub_ = v1::ChecklistService::NewStub(channel);
    auth_stub_ = v1::AuthService::NewStub(channel);
    health_stub_ = grpc::health::v1::Health::NewStub(channel);
  }

  // Closes the connection, so a stopping service need not wait out its grace period for it.
  void Disconnect() {
    checklist_stub_.reset();
    auth_stub_.reset();
    health_stub_.reset();
  }

  CommandResult Cli(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {PREFLIGHT_CLI_BIN, "--server=" + checklist_->address,
                                     "--timeout=10s"};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<CommandResult> result = testing::RunCommand(argv, absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }

  // `tokens create` with the bootstrap admin token; the first output line is the secret.
  Issued IssueWithCli(const std::string& display_name, const std::string& tenant,
                      const std::string& role) {
    Issued issued;
    issued.display_name = display_name;
    issued.create_output =
        Cli({"--token_file=" + admin_file_, "tokens", "create", "--tenant=" + tenant,
             "--role=" + role, "--display_name=" + display_name});
    EXPECT_EQ(issued.create_output.exit_code, 0) << issued.create_output.output;
    issued.secret = issued.create_output.output.substr(0, issued.create_output.output.find('\n'));
    if (issued.secret.size() > 16) issued.name = "tokens/" + issued.secret.substr(4, 12);
    issued.file = dir_.Join(display_name + ".token");
    std::ofstream(issued.file) << issued.secret << "\n";
    chmod(issued.file.c_str(), 0600);
    return issued;
  }

  void IssueAll() {
    for (const auto& [display_name, tenant, role] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"acme-viewer", "acme", "viewer"},
             {"acme-editor", "acme", "editor"},
             {"acme-admin", "acme", "admin"},
             {"beta-editor", "beta", "editor"},
             {"beta-admin", "beta", "admin"},
             {"notifier", "*", "service"}}) {
      tokens_[display_name] = IssueWithCli(display_name, tenant, role);
    }
  }

  std::string As(const std::string& display_name) {
    return Bearer(tokens_.at(display_name).secret);
  }
  std::string AsAdmin() { return Bearer(admin_secret_); }

  static v1::CreateLaunchRequest LaunchRequest(const std::string& tenant,
                                               const std::string& request_id) {
    return testing::LaunchRequest(tenant, absl::StrCat(tenant, " shop ", request_id),
                                  tenant + ".owner", request_id);
  }

  // Creates a launch as `authorization`; returns its name.
  std::string CreateLaunch(const std::string& authorization, const std::string& tenant,
                           const std::string& request_id) {
    v1::Launch launch;
    const grpc::Status status =
        CallAs(checklist_stub_.get(), &v1::ChecklistService::Stub::CreateLaunch, authorization,
               LaunchRequest(tenant, request_id), &launch);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return launch.name();
  }

  static v1::UpdateItemRequest StartItem(const std::string& launch, const std::string& code) {
    v1::UpdateItemRequest request;
    request.mutable_item()->set_name(launch + "/items/" + code);
    request.mutable_item()->set_status(v1::ITEM_STATUS_IN_PROGRESS);
    request.mutable_update_mask()->add_paths("status");
    return request;
  }

  v1::Launch GetLaunch(const std::string& authorization, const std::string& name) {
    v1::GetLaunchRequest request;
    request.set_name(name);
    v1::Launch launch;
    const grpc::Status status =
        CallAs(checklist_stub_.get(), &v1::ChecklistService::Stub::GetLaunch, authorization,
               request, &launch);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return launch;
  }

  std::vector<v1::Event> Events(const std::string& launch) {
    v1::ListEventsRequest request;
    request.set_parent(launch);
    request.set_page_size(200);
    v1::ListEventsResponse response;
    const grpc::Status status =
        CallAs(checklist_stub_.get(), &v1::ChecklistService::Stub::ListEvents, AsAdmin(), request,
               &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return {response.events().begin(), response.events().end()};
  }

  int64_t LastSequence(const std::vector<std::string>& launches) {
    int64_t last = 0;
    for (const std::string& launch : launches) {
      for (const v1::Event& event : Events(launch)) last = std::max(last, event.sequence());
    }
    return last;
  }

  grpc::Status WhoAmI(const std::string& authorization, v1::Token* identity) {
    return CallAs(auth_stub_.get(), &v1::AuthService::Stub::GetCallerIdentity, authorization,
                  v1::GetCallerIdentityRequest(), identity);
  }

  // Every ChecklistService RPC (all 10) and every AuthService RPC, each with a well-formed
  // request about `launch`.
  std::vector<Probe> ChecklistAndAuthProbes(const std::string& launch) {
    using S = v1::ChecklistService::Stub;
    using A = v1::AuthService::Stub;
    S* checklist = checklist_stub_.get();
    A* auth = auth_stub_.get();
    v1::GetLaunchRequest get;
    get.set_name(launch);
    v1::UpdateLaunchRequest update;
    update.mutable_launch()->set_name(launch);
    update.mutable_launch()->set_display_name("renamed");
    update.mutable_update_mask()->add_paths("display_name");
    v1::AddItemRequest add;
    add.set_parent(launch);
    add.mutable_item()->set_code("EXTRA_AUDIT");
    add.mutable_item()->set_title_en("Extra audit");
    add.mutable_item()->set_due_date(
        absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * 10), absl::UTCTimeZone()));
    v1::GetReadinessRequest readiness;
    readiness.set_name(launch);
    v1::ListEventsRequest events;
    events.set_parent(launch);
    v1::GetWorkingCalendarRequest calendar;
    calendar.set_start_date("2026-02-01");
    calendar.set_end_date("2026-02-28");
    v1::ListItemsRequest items;
    items.set_parent(launch);
    v1::CreateTokenRequest create_token;
    create_token.mutable_token()->set_tenant("acme");
    create_token.mutable_token()->set_role(v1::ROLE_ADMIN);
    create_token.mutable_token()->set_display_name("intruder");
    v1::RevokeTokenRequest revoke;
    revoke.set_name("tokens/" + admin_secret_.substr(4, 12));

    std::vector<Probe> probes = {
        MakeProbe("CreateLaunch", checklist, &S::CreateLaunch, LaunchRequest("acme", "probe")),
        MakeProbe("GetLaunch", checklist, &S::GetLaunch, get),
        MakeProbe("ListLaunches", checklist, &S::ListLaunches, v1::ListLaunchesRequest()),
        MakeProbe("UpdateLaunch", checklist, &S::UpdateLaunch, update),
        MakeProbe("UpdateItem", checklist, &S::UpdateItem, StartItem(launch, "ICP_FILING")),
        MakeProbe("AddItem", checklist, &S::AddItem, add),
        MakeProbe("GetReadiness", checklist, &S::GetReadiness, readiness),
        MakeProbe("ListEvents", checklist, &S::ListEvents, events),
        MakeProbe("ListItems", checklist, &S::ListItems, items),
        MakeProbe("ListTemplates", checklist, &S::ListTemplates, v1::ListTemplatesRequest()),
        MakeProbe("GetWorkingCalendar", checklist, &S::GetWorkingCalendar, calendar),
        Probe{"WatchEvents",
              [this](const std::string& authorization) {
                return Watch(checklist_stub_.get(), authorization, v1::WatchEventsRequest(),
                             [](const std::vector<v1::Event>&) { return true; })
                    .status;
              }},
        MakeProbe("CreateToken", auth, &A::CreateToken, create_token),
        MakeProbe("ListTokens", auth, &A::ListTokens, v1::ListTokensRequest()),
        MakeProbe("RevokeToken", auth, &A::RevokeToken, revoke),
        MakeProbe("GetCallerIdentity", auth, &A::GetCallerIdentity, v1::GetCallerIdentityRequest()),
    };
    return probes;
  }

  TempDir dir_;
  std::unique_ptr<ServiceProcess> checklist_;
  std::unique_ptr<v1::ChecklistService::Stub> checklist_stub_;
  std::unique_ptr<v1::AuthService::Stub> auth_stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_stub_;
  std::string admin_file_;
  std::string admin_secret_;
  std::map<std::string, Issued> tokens_;
};

const std::regex& TokenPattern() {
  static const std::regex* pattern = new std::regex("^pft_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$");
  return *pattern;
}

TEST_F(AuthTest, WithoutAValidTokenEveryRpcIsUnauthenticatedButHealthServes) {
  // The first start wrote the all-tenant admin token, readable by its owner only.
  EXPECT_THAT(checklist_->process.output(), HasSubstr("wrote the first admin token to"));
  struct stat info;
  ASSERT_EQ(stat(admin_file_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_TRUE(std::regex_match(admin_secret_, TokenPattern())) << admin_secret_.size();
  v1::Token admin;
  ASSERT_TRUE(WhoAmI(AsAdmin(), &admin).ok());
  EXPECT_EQ(admin.tenant(), "*");
  EXPECT_EQ(admin.role(), v1::ROLE_ADMIN);
  const std::string launch = CreateLaunch(AsAdmin(), "acme", "real");
  ASSERT_FALSE(launch.empty());
  const size_t events_before = Events(launch).size();

  // The right id with a wrong secret, a well-formed unknown token, malformed ones, and another
  // scheme carrying the valid admin token.
  const std::string wrong_secret = admin_secret_.substr(0, 17) + std::string(43, 'A');
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"no token", ""},
      {"empty bearer", "Bearer "},
      {"malformed", "Bearer not-a-token"},
      {"unknown", Bearer("pft_" + std::string(kMissingTokenId) + "_" + std::string(43, 'x'))},
      {"wrong secret", Bearer(wrong_secret)},
      {"basic scheme", "Basic " + admin_secret_},
  };
  const std::vector<Probe> probes = ChecklistAndAuthProbes(launch);
  ASSERT_EQ(probes.size(), 16u);
  for (const auto& [what, authorization] : refused) {
    for (const Probe& probe : probes) {
      const grpc::Status status = probe.call(authorization);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << probe.name << " with " << what << ": " << Describe(status);
      EXPECT_THAT(status.error_message(), Not(HasSubstr(admin_secret_.substr(17))))
          << probe.name << " with " << what;
      EXPECT_THAT(status.error_message(), Not(HasSubstr("not-a-token")));
    }
  }
  // Nothing was changed by the refused writes.
  const v1::Launch after = GetLaunch(AsAdmin(), launch);
  EXPECT_NE(after.display_name(), "renamed");
  EXPECT_EQ(Events(launch).size(), events_before);
  v1::ListLaunchesRequest all;
  v1::ListLaunchesResponse listed;
  ASSERT_TRUE(CallAs(checklist_stub_.get(), &v1::ChecklistService::Stub::ListLaunches, AsAdmin(),
                     all, &listed)
                  .ok());
  EXPECT_EQ(listed.launches_size(), 1);

  // Health is not guarded: load balancers and the demo check it without a token.
  for (const std::string service :
       {"", "preflight.v1.ChecklistService", "preflight.v1.AuthService"}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health_stub_->Check(&context, request, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << Describe(status);
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }

  // A restart keeps the token: admin.token is written on the first start only.
  Disconnect();
  ASSERT_TRUE(checklist_->process.Stop(SIGTERM).ok());
  absl::StatusOr<ServiceProcess> again = StartProcess(
      testing::ChecklistArgv(checklist_->address, dir_.Join("data"), {"--require_auth"}));
  ASSERT_TRUE(again.ok()) << again.status();
  checklist_ = std::make_unique<ServiceProcess>(*std::move(again));
  Connect();
  EXPECT_THAT(checklist_->process.output(), Not(HasSubstr("wrote the first admin token")));
  std::string reread;
  std::getline(std::ifstream(admin_file_), reread);
  EXPECT_EQ(reread, admin_secret_);
  ASSERT_TRUE(WhoAmI(AsAdmin(), &admin).ok());
}

// Without --require_auth every caller is an all-tenant admin, so no token is issued at all: it
// would stay valid once authentication is turned on. The bootstrap admin token is the way in.
TEST_F(AuthTest, WithoutAuthenticationNoTokenIsIssued) {
  Disconnect();
  ASSERT_TRUE(checklist_->process.Stop(SIGTERM).ok());
  absl::StatusOr<ServiceProcess> open =
      StartProcess(testing::ChecklistArgv("127.0.0.1:0", dir_.Join("data")));
  ASSERT_TRUE(open.ok()) << open.status();
  checklist_ = std::make_unique<ServiceProcess>(*std::move(open));
  Connect();
  CommandResult refused =
      Cli({"tokens", "create", "--tenant=*", "--role=admin", "--display_name=sneaky"});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_THAT(refused.output, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(refused.output, HasSubstr("--require_auth"));
  EXPECT_THAT(refused.output, HasSubstr("DATA_DIR/admin.token"));
  EXPECT_THAT(refused.output, Not(HasSubstr("pft_")));

  // Back with authentication: the bootstrap admin token still works and issues tokens.
  Disconnect();
  ASSERT_TRUE(checklist_->process.Stop(SIGTERM).ok());
  absl::StatusOr<ServiceProcess> closed =
      StartProcess(testing::ChecklistArgv("127.0.0.1:0", dir_.Join("data"), {"--require_auth"}));
  ASSERT_TRUE(closed.ok()) << closed.status();
  checklist_ = std::make_unique<ServiceProcess>(*std::move(closed));
  Connect();
  const Issued issued = IssueWithCli("acme-admin", "acme", "admin");
  EXPECT_TRUE(std::regex_match(issued.secret, TokenPattern())) << issued.create_output.output;
}

TEST_F(AuthTest, CliIssuesTokensShowsEachSecretOnceAndNeverListsThem) {
  IssueAll();
  std::set<std::string> ids;
  for (const auto& [display_name, issued] : tokens_) {
    const std::string& output = issued.create_output.output;
    EXPECT_TRUE(std::regex_match(issued.secret, TokenPattern())) << output;
    // The secret once, on the first line; the record after it.
    size_t occurrences = 0;
    for (size_t at = output.find(issued.secret); at != std::string::npos;
         at = output.find(issued.secret, at + 1)) {
      ++occurrences;
    }
    EXPECT_EQ(occurrences, 1u) << output;
    EXPECT_THAT(output, HasSubstr(issued.name + "  " + display_name));
    ids.insert(issued.name);
  }
  EXPECT_EQ(ids.size(), tokens_.size());
  EXPECT_THAT(tokens_.at("acme-viewer").create_output.output, HasSubstr("viewer"));
  EXPECT_THAT(tokens_.at("notifier").create_output.output, HasSubstr("* (every tenant)"));

  // Listing shows every token by name, never a secret.
  CommandResult listed = Cli({"--token_file=" + admin_file_, "tokens", "list", "--revoked"});
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  for (const auto& [display_name, issued] : tokens_) {
    EXPECT_THAT(listed.output, HasSubstr(issued.name)) << display_name;
    EXPECT_THAT(listed.output, Not(HasSubstr(issued.secret.substr(17)))) << display_name;
  }
  EXPECT_THAT(listed.output, Not(HasSubstr(admin_secret_.substr(17))));
  EXPECT_THAT(listed.output, HasSubstr("bootstrap-admin"));

  // A tenant admin lists only its own tenant's tokens, and may not ask for another's.
  CommandResult acme_list =
      Cli({"--token_file=" + tokens_.at("acme-admin").file, "tokens", "list"});
  ASSERT_EQ(acme_list.exit_code, 0) << acme_list.output;
  EXPECT_THAT(acme_list.output, HasSubstr(tokens_.at("acme-viewer").name));
  EXPECT_THAT(acme_list.output, Not(HasSubstr(tokens_.at("beta-admin").name)));
  EXPECT_THAT(acme_list.output, Not(HasSubstr(tokens_.at("notifier").name)));
  CommandResult acme_beta =
      Cli({"--token_file=" + tokens_.at("acme-admin").file, "tokens", "list", "--tenant=beta"});
  EXPECT_EQ(acme_beta.exit_code, 1) << acme_beta.output;
  EXPECT_THAT(acme_beta.output, HasSubstr("PERMISSION_DENIED"));

  // whoami, from --token_file or $PREFLIGHT_TOKEN.
  CommandResult viewer = Cli({"--token_file=" + tokens_.at("acme-viewer").file, "whoami"});
  ASSERT_EQ(viewer.exit_code, 0) << viewer.output;
  EXPECT_THAT(viewer.output, HasSubstr(tokens_.at("acme-viewer").name + "  acme-viewer"));
  EXPECT_THAT(viewer.output, HasSubstr("acme"));
  EXPECT_THAT(viewer.output, HasSubstr("viewer"));
  EXPECT_THAT(viewer.output, Not(HasSubstr(tokens_.at("acme-viewer").secret)));
  setenv("PREFLIGHT_TOKEN", tokens_.at("beta-editor").secret.c_str(), 1);
  CommandResult beta = Cli({"whoami"});
  unsetenv("PREFLIGHT_TOKEN");
  ASSERT_EQ(beta.exit_code, 0) << beta.output;
  EXPECT_THAT(beta.output, HasSubstr(tokens_.at("beta-editor").name + "  beta-editor"));
  EXPECT_THAT(beta.output, HasSubstr("beta"));
  EXPECT_THAT(beta.output, HasSubstr("editor"));
  // And without any token, the CLI's call is refused.
  CommandResult anonymous = Cli({"whoami"});
  EXPECT_EQ(anonymous.exit_code, 1) << anonymous.output;
  EXPECT_THAT(anonymous.output, HasSubstr("UNAUTHENTICATED"));

  // The identity over gRPC matches what was asked for.
  for (const auto& [display_name, tenant, role] :
       std::vector<std::tuple<std::string, std::string, v1::Role>>{
           {"acme-viewer", "acme", v1::ROLE_VIEWER},
           {"acme-editor", "acme", v1::ROLE_EDITOR},
           {"acme-admin", "acme", v1::ROLE_ADMIN},
           {"beta-editor", "beta", v1::ROLE_EDITOR},
           {"beta-admin", "beta", v1::ROLE_ADMIN},
           {"notifier", "*", v1::ROLE_SERVICE}}) {
    v1::Token identity;
    const grpc::Status status = WhoAmI(As(display_name), &identity);
    ASSERT_TRUE(status.ok()) << display_name << ": " << Describe(status);
    EXPECT_EQ(identity.name(), tokens_.at(display_name).name);
    EXPECT_EQ(identity.tenant(), tenant);
    EXPECT_EQ(identity.role(), role);
    EXPECT_EQ(identity.display_name(), display_name);
    EXPECT_EQ(identity.creator(), "tokens/" + admin_secret_.substr(4, 12));
  }
}

TEST_F(AuthTest, EachRoleMayDoOnlyWhatItGrants) {
  IssueAll();
  using S = v1::ChecklistService::Stub;
  const auto code = [](const grpc::Status& status) { return status.error_code(); };

  // Editors write in their tenant; viewers and the service only read.
  const std::string launch = CreateLaunch(As("acme-editor"), "acme", "roles-1");
  ASSERT_FALSE(launch.empty());
  v1::Launch created;
  EXPECT_EQ(code(CallAs(checklist_stub_.get(), &S::CreateLaunch, As("acme-viewer"),
                        LaunchRequest("acme", "roles-2"), &created)),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code(CallAs(checklist_stub_.get(), &S::CreateLaunch, As("notifier"),
                        LaunchRequest("acme", "roles-3"), &created)),
            grpc::StatusCode::PERMISSION_DENIED);
  // An editor of acme may not create a launch of beta.
  const grpc::Status other_tenant =
      CallAs(checklist_stub_.get(), &S::CreateLaunch, As("acme-editor"),
             LaunchRequest("beta", "roles-4"), &created);
  EXPECT_EQ(code(other_tenant), grpc::StatusCode::PERMISSION_DENIED) << Describe(other_tenant);
  v1::Item item;
  for (const std::string who : {"acme-viewer", "notifier"}) {
    const grpc::Status status = CallAs(checklist_stub_.get(), &S::UpdateItem, As(who),
                                       StartItem(launch, "ICP_FILING"), &item);
    EXPECT_EQ(code(status), grpc::StatusCode::PERMISSION_DENIED) << who << Describe(status);
  }
  EXPECT_EQ(GetLaunch(As("acme-viewer"), launch).display_name(), "acme shop roles-1");
  const grpc::Status edited = CallAs(checklist_stub_.get(), &S::UpdateItem, As("acme-editor"),
                                     StartItem(launch, "ICP_FILING"), &item);
  ASSERT_TRUE(edited.ok()) << Describe(edited);
  EXPECT_EQ(item.status(), v1::ITEM_STATUS_IN_PROGRESS);
  // The service token reads every tenant.
  EXPECT_EQ(GetLaunch(As("notifier"), launch).name(), launch);
  // The working calendar holds no tenant's data: every role of every tenant reads it.
  v1::GetWorkingCalendarRequest february;
  february.set_start_date("2026-02-01");
  february.set_end_date("2026-02-28");
  for (const std::string who : {"acme-viewer", "acme-editor", "notifier"}) {
    v1::WorkingCalendar calendar;
    const grpc::Status read =
        CallAs(checklist_stub_.get(), &S::GetWorkingCalendar, As(who), february, &calendar);
    ASSERT_TRUE(read.ok()) << who << Describe(read);
    EXPECT_GT(calendar.non_working_days_size(), 8) << who;  // weekends and the Spring Festival
  }
  v1::ListLaunchesResponse launches;
  ASSERT_TRUE(CallAs(checklist_stub_.get(), &S::ListLaunches, As("acme-viewer"),
                     v1::ListLaunchesRequest(), &launches)
                  .ok());
  EXPECT_EQ(launches.launches_size(), 1);
  // Only the launch created by the editor exists: the refused creations left nothing behind.
  ASSERT_TRUE(CallAs(checklist_stub_.get(), &S::ListLaunches, AsAdmin(), v1::ListLaunchesRequest(),
                     &launches)
                  .ok());
  EXPECT_EQ(launches.launches_size(), 1);

  // The event stream is for the service (and admins), not for people's viewer/editor tokens.
  const auto any = [](const std::vector<v1::Event>& events) { return !events.empty(); };
  for (const std::string who : {"acme-viewer", "acme-editor"}) {
    const WatchOutcome watch = Watch(checklist_stub_.get(), As(who), v1::WatchEventsRequest(), any);
    EXPECT_EQ(code(watch.status), grpc::StatusCode::PERMISSION_DENIED) << who;
    EXPECT_TRUE(watch.events.empty()) << who;
  }
  const WatchOutcome service =
      Watch(checklist_stub_.get(), As("notifier"), v1::WatchEventsRequest(), any);
  ASSERT_TRUE(service.status.ok()) << Describe(service.status);
  EXPECT_EQ(service.events.front().launch(), launch);

  // Tokens: admins only, and a tenant admin only for its own tenant.
  using A = v1::AuthService::Stub;
  const auto token_request = [](const std::string& tenant, v1::Role role) {
    v1::CreateTokenRequest request;
    request.mutable_token()->set_tenant(tenant);
    request.mutable_token()->set_role(role);
    request.mutable_token()->set_display_name("made-in-test");
    return request;
  };
  v1::CreateTokenResponse made;
  EXPECT_EQ(code(CallAs(auth_stub_.get(), &A::CreateToken, As("acme-editor"),
                        token_request("acme", v1::ROLE_VIEWER), &made)),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code(CallAs(auth_stub_.get(), &A::CreateToken, As("notifier"),
                        token_request("acme", v1::ROLE_VIEWER), &made)),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListTokensResponse listed;
  EXPECT_EQ(code(CallAs(auth_stub_.get(), &A::ListTokens, As("acme-editor"),
                        v1::ListTokensRequest(), &listed)),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::RevokeTokenRequest revoke;
  revoke.set_name(tokens_.at("acme-viewer").name);
  v1::Token revoked;
  EXPECT_EQ(code(CallAs(auth_stub_.get(), &A::RevokeToken, As("acme-editor"), revoke, &revoked)),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code(CallAs(auth_stub_.get(), &A::CreateToken, As("acme-admin"),
                        token_request("beta", v1::ROLE_VIEWER), &made)),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code(CallAs(auth_stub_.get(), &A::CreateToken, As("acme-admin"),
                        token_request("*", v1::ROLE_SERVICE), &made)),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code(CallAs(auth_stub_.get(), &A::CreateToken, As("acme-admin"),
                        token_request("*", v1::ROLE_VIEWER), &made)),
            grpc::StatusCode::PERMISSION_DENIED);
  // Its own tenant's is fine, and the new token works at once.
  const grpc::Status own = CallAs(auth_stub_.get(), &A::CreateToken, As("acme-admin"),
                                  token_request("acme", v1::ROLE_VIEWER), &made);
  ASSERT_TRUE(own.ok()) << Describe(own);
  EXPECT_EQ(made.token().creator(), tokens_.at("acme-admin").name);
  v1::Token identity;
  ASSERT_TRUE(WhoAmI(Bearer(made.secret()), &identity).ok());
  EXPECT_EQ(identity.tenant(), "acme");
  EXPECT_EQ(identity.role(), v1::ROLE_VIEWER);
  // The denied requests issued nothing: beta has only its two tokens.
  ASSERT_TRUE(CallAs(
                  auth_stub_.get(), &A::ListTokens, AsAdmin(),
                  [] {
                    v1::ListTokensRequest request;
                    request.set_tenant("beta");
                    return request;
                  }(),
                  &listed)
                  .ok());
  EXPECT_EQ(listed.tokens_size(), 2);
}

TEST_F(AuthTest, AnotherTenantsLaunchAnswersLikeAMissingOneOnEveryRpc) {
  IssueAll();
  using S = v1::ChecklistService::Stub;
  const std::string acme = CreateLaunch(As("acme-editor"), "acme", "iso-acme");
  const std::string beta = CreateLaunch(As("beta-editor"), "beta", "iso-beta");
  ASSERT_FALSE(acme.empty());
  ASSERT_FALSE(beta.empty());
  const std::string acme_id = acme.substr(std::string("launches/").size());
  const std::string missing = absl::StrCat("launches/", kMissingLaunchId);
  const v1::Launch acme_before = GetLaunch(As("acme-viewer"), acme);
  const size_t acme_events_before = Events(acme).size();

  // Each named-launch RPC: another tenant's launch and a launch that does not exist get the
  // same answer, word for word (ids aside). Writes use the beta editor, so the role allows them.
  const std::vector<Probe> acme_probes = ChecklistAndAuthProbes(acme);
  const std::vector<Probe> missing_probes = ChecklistAndAuthProbes(missing);
  const std::set<std::string> named = {"GetLaunch",    "UpdateLaunch", "UpdateItem", "AddItem",
                                       "GetReadiness", "ListEvents",   "ListItems"};
  int checked = 0;
  for (size_t i = 0; i < acme_probes.size(); ++i) {
    if (!named.count(acme_probes[i].name)) continue;
    ++checked;
    const grpc::Status other = acme_probes[i].call(As("beta-editor"));
    const grpc::Status absent = missing_probes[i].call(As("beta-editor"));
    EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND)
        << acme_probes[i].name << ": " << Describe(other);
    EXPECT_EQ(Shape(other, acme_id), Shape(absent, kMissingLaunchId)) << acme_probes[i].name;
    EXPECT_THAT(other.error_message(), Not(HasSubstr("acme"))) << acme_probes[i].name;
  }
  EXPECT_EQ(checked, 7);
  // None of the refused writes reached acme's launch.
  const v1::Launch acme_after = GetLaunch(As("acme-viewer"), acme);
  EXPECT_EQ(acme_after.display_name(), acme_before.display_name());
  EXPECT_EQ(acme_after.etag(), acme_before.etag());
  EXPECT_EQ(acme_after.items_size(), acme_before.items_size());
  EXPECT_EQ(Events(acme).size(), acme_events_before);

  // Listing: narrowed to the token's tenant; naming another tenant is refused.
  v1::ListLaunchesResponse listed;
  ASSERT_TRUE(CallAs(checklist_stub_.get(), &S::ListLaunches, As("beta-editor"),
                     v1::ListLaunchesRequest(), &listed)
                  .ok());
  ASSERT_EQ(listed.launches_size(), 1);
  EXPECT_EQ(listed.launches(0).name(), beta);
  ASSERT_TRUE(CallAs(checklist_stub_.get(), &S::ListLaunches, As("acme-viewer"),
                     v1::ListLaunchesRequest(), &listed)
                  .ok());
  ASSERT_EQ(listed.launches_size(), 1);
  EXPECT_EQ(listed.launches(0).name(), acme);
  v1::ListLaunchesRequest of_acme;
  of_acme.set_tenant("acme");
  const grpc::Status filtered =
      CallAs(checklist_stub_.get(), &S::ListLaunches, As("beta-editor"), of_acme, &listed);
  EXPECT_EQ(filtered.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(filtered);
  ASSERT_TRUE(CallAs(
                  checklist_stub_.get(), &S::ListLaunches, As("beta-editor"),
                  [] {
                    v1::ListLaunchesRequest request;
                    request.set_tenant("beta");
                    return request;
                  }(),
                  &listed)
                  .ok());
  EXPECT_EQ(listed.launches_size(), 1);

  // Items across launches: the token's tenant only; naming another tenant is refused.
  v1::ListItemsRequest all_items;
  all_items.set_parent("launches/-");
  all_items.set_include_done(true);
  v1::ListItemsResponse items;
  ASSERT_TRUE(
      CallAs(checklist_stub_.get(), &S::ListItems, As("beta-editor"), all_items, &items).ok());
  EXPECT_GT(items.items_size(), 0);
  for (const v1::Item& item : items.items()) {
    EXPECT_THAT(item.name(), ::testing::StartsWith(beta + "/items/"));
  }
  EXPECT_EQ(items.launches_size(), 1);
  EXPECT_EQ(items.launches().count(beta), 1u);
  v1::ListItemsRequest acme_items = all_items;
  acme_items.set_tenant("acme");
  const grpc::Status items_refused =
      CallAs(checklist_stub_.get(), &S::ListItems, As("beta-editor"), acme_items, &items);
  EXPECT_EQ(items_refused.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << Describe(items_refused);
  // The all-tenant service token must name the tenant, and then sees it.
  const grpc::Status unnamed =
      CallAs(checklist_stub_.get(), &S::ListItems, As("notifier"), all_items, &items);
  EXPECT_EQ(unnamed.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(unnamed);
  EXPECT_THAT(unnamed.error_message(), HasSubstr("tenant"));
  ASSERT_TRUE(
      CallAs(checklist_stub_.get(), &S::ListItems, As("notifier"), acme_items, &items).ok());
  ASSERT_GT(items.items_size(), 0);
  EXPECT_THAT(items.items(0).name(), ::testing::StartsWith(acme + "/items/"));

  // Watching: another tenant's launch is NOT_FOUND like a missing one, another tenant
  // PERMISSION_DENIED.
  const auto any = [](const std::vector<v1::Event>& events) { return !events.empty(); };
  v1::WatchEventsRequest watch_acme;
  watch_acme.set_launch(acme);
  v1::WatchEventsRequest watch_missing;
  watch_missing.set_launch(missing);
  const WatchOutcome other_launch = Watch(checklist_stub_.get(), As("beta-admin"), watch_acme, any);
  const WatchOutcome absent_launch =
      Watch(checklist_stub_.get(), As("beta-admin"), watch_missing, any);
  EXPECT_EQ(other_launch.status.error_code(), grpc::StatusCode::NOT_FOUND)
      << Describe(other_launch.status);
  EXPECT_EQ(Shape(other_launch.status, acme_id), Shape(absent_launch.status, kMissingLaunchId));
  EXPECT_TRUE(other_launch.events.empty());
  v1::WatchEventsRequest watch_tenant;
  watch_tenant.set_tenant("acme");
  const WatchOutcome other_tenant =
      Watch(checklist_stub_.get(), As("beta-admin"), watch_tenant, any);
  EXPECT_EQ(other_tenant.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << Describe(other_tenant.status);

  // A beta admin's unfiltered watch from the start: acme changes made while it is open never
  // arrive; the beta change made after them does.
  const auto beta_item_started = [&](const std::vector<v1::Event>& events) {
    for (const v1::Event& event : events) {
      if (event.launch() == beta && event.type() == v1::Event::TYPE_ITEM_UPDATED) return true;
    }
    return false;
  };
  v1::Item item;
  const WatchOutcome beta_watch = Watch(
      checklist_stub_.get(), As("beta-admin"), v1::WatchEventsRequest(), beta_item_started, [&] {
        EXPECT_TRUE(CallAs(checklist_stub_.get(), &S::UpdateItem, As("acme-editor"),
                           StartItem(acme, "ICP_FILING"), &item)
                        .ok());
        EXPECT_TRUE(CallAs(checklist_stub_.get(), &S::UpdateItem, As("beta-editor"),
                           StartItem(beta, "ICP_FILING"), &item)
                        .ok());
      });
  ASSERT_TRUE(beta_watch.status.ok()) << Describe(beta_watch.status);
  for (const v1::Event& event : beta_watch.events) {
    EXPECT_EQ(event.tenant(), "beta") << event.sequence();
    EXPECT_NE(event.launch(), acme) << event.sequence();
  }
  // The same stream for an all-tenant token carries acme's events, so there were some to leak.
  const WatchOutcome all_watch =
      Watch(checklist_stub_.get(), As("notifier"), v1::WatchEventsRequest(), beta_item_started);
  ASSERT_TRUE(all_watch.status.ok()) << Describe(all_watch.status);
  int acme_events = 0;
  for (const v1::Event& event : all_watch.events) acme_events += event.launch() == acme ? 1 : 0;
  EXPECT_GT(acme_events, 0);

  // Tokens: the beta admin cannot see or revoke acme's, which keeps working.
  using A = v1::AuthService::Stub;
  v1::RevokeTokenRequest revoke;
  revoke.set_name(tokens_.at("acme-viewer").name);
  v1::RevokeTokenRequest revoke_missing;
  revoke_missing.set_name(absl::StrCat("tokens/", kMissingTokenId));
  v1::Token revoked;
  const grpc::Status other_token =
      CallAs(auth_stub_.get(), &A::RevokeToken, As("beta-admin"), revoke, &revoked);
  const grpc::Status absent_token =
      CallAs(auth_stub_.get(), &A::RevokeToken, As("beta-admin"), revoke_missing, &revoked);
  EXPECT_EQ(other_token.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(other_token);
  EXPECT_EQ(Shape(other_token, tokens_.at("acme-viewer").name.substr(7)),
            Shape(absent_token, kMissingTokenId));
  v1::Token identity;
  ASSERT_TRUE(WhoAmI(As("acme-viewer"), &identity).ok());
  EXPECT_FALSE(identity.has_revoke_time());
  v1::ListTokensResponse listed_tokens;
  ASSERT_TRUE(CallAs(auth_stub_.get(), &A::ListTokens, As("beta-admin"), v1::ListTokensRequest(),
                     &listed_tokens)
                  .ok());
  std::set<std::string> tenants;
  for (const v1::Token& token : listed_tokens.tokens()) tenants.insert(token.tenant());
  EXPECT_EQ(tenants, std::set<std::string>{"beta"});
  EXPECT_EQ(listed_tokens.tokens_size(), 2);
  v1::ListTokensRequest acme_tokens;
  acme_tokens.set_tenant("acme");
  EXPECT_EQ(CallAs(auth_stub_.get(), &A::ListTokens, As("beta-admin"), acme_tokens, &listed_tokens)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthTest, TheActorOfAChangeIsTheTokensHolderWhateverTheCallerClaims) {
  IssueAll();
  using S = v1::ChecklistService::Stub;
  v1::Launch launch;
  const grpc::Status created =
      CallAs(checklist_stub_.get(), &S::CreateLaunch, As("acme-editor"),
             LaunchRequest("acme", "actor-1"), &launch, /*actor=*/"mallory");
  ASSERT_TRUE(created.ok()) << Describe(created);
  v1::Item item;
  ASSERT_TRUE(CallAs(checklist_stub_.get(), &S::UpdateItem, As("acme-admin"),
                     StartItem(launch.name(), "ICP_FILING"), &item, /*actor=*/"ceo")
                  .ok());
  const std::vector<v1::Event> events = Events(launch.name());
  ASSERT_FALSE(events.empty());
  int by_editor = 0;
  int by_admin = 0;
  for (const v1::Event& event : events) {
    EXPECT_THAT(event.actor(), Not(HasSubstr("mallory"))) << event.sequence();
    EXPECT_THAT(event.actor(), Not(HasSubstr("ceo"))) << event.sequence();
    if (event.type() == v1::Event::TYPE_ITEM_UPDATED && event.item_code() == "ICP_FILING") {
      EXPECT_THAT(event.actor(), HasSubstr("acme-admin"));
      EXPECT_THAT(event.actor(), HasSubstr(tokens_.at("acme-admin").name));
      ++by_admin;
    } else if (event.type() == v1::Event::TYPE_LAUNCH_CREATED) {
      EXPECT_THAT(event.actor(), HasSubstr("acme-editor"));
      EXPECT_THAT(event.actor(), HasSubstr(tokens_.at("acme-editor").name));
      ++by_editor;
    }
  }
  EXPECT_EQ(by_editor, 1);
  EXPECT_EQ(by_admin, 1);
}

TEST_F(AuthTest, ARevokedTokenIsRefusedAtOnce) {
  IssueAll();
  const std::string launch = CreateLaunch(As("acme-editor"), "acme", "revoke-1");
  ASSERT_FALSE(launch.empty());
  const Issued& editor = tokens_.at("acme-editor");
  CommandResult revoked =
      Cli({"--token_file=" + admin_file_, "tokens", "revoke", editor.name.substr(7)});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
  EXPECT_THAT(revoked.output, HasSubstr("revoked"));
  EXPECT_THAT(revoked.output, Not(HasSubstr(editor.secret.substr(17))));

  v1::GetLaunchRequest get;
  get.set_name(launch);
  v1::Launch got;
  const grpc::Status read = CallAs(checklist_stub_.get(), &v1::ChecklistService::Stub::GetLaunch,
                                   Bearer(editor.secret), get, &got);
  EXPECT_EQ(read.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(read);
  v1::Token identity;
  EXPECT_EQ(WhoAmI(Bearer(editor.secret), &identity).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  CommandResult whoami = Cli({"--token_file=" + editor.file, "whoami"});
  EXPECT_EQ(whoami.exit_code, 1) << whoami.output;
  EXPECT_THAT(whoami.output, HasSubstr("UNAUTHENTICATED"));
  // Others are untouched.
  EXPECT_EQ(GetLaunch(As("acme-viewer"), launch).name(), launch);

  // Listed as revoked only on request; revoking again is a no-op.
  CommandResult active = Cli({"--token_file=" + admin_file_, "tokens", "list"});
  ASSERT_EQ(active.exit_code, 0) << active.output;
  EXPECT_THAT(active.output, Not(HasSubstr(editor.name)));
  CommandResult all = Cli({"--token_file=" + admin_file_, "tokens", "list", "--revoked"});
  ASSERT_EQ(all.exit_code, 0) << all.output;
  EXPECT_THAT(all.output, HasSubstr(editor.name));
  EXPECT_THAT(all.output, HasSubstr("(revoked)"));
  CommandResult again = Cli({"--token_file=" + admin_file_, "tokens", "revoke", editor.name});
  EXPECT_EQ(again.exit_code, 0) << again.output;
}

// The pair: the notifier with --require_auth checks every caller's token with the checklist
// service (no cache, --auth_cache_ttl=0s) and follows the event stream with its own token.
class PairAuthTest : public AuthTest {
 protected:
  void StartNotifier(const std::vector<std::string>& extra) {
    std::vector<std::string> flags = {"--require_auth", "--auth_cache_ttl=0s", "--tick=100ms",
                                      "--reconnect_max_backoff=200ms", "--http_timeout=1s"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    absl::StatusOr<ServiceProcess> notifier =
        StartProcess(testing::NotifierArgv(dir_.Join("notifier-data"), checklist_->address, flags));
    ASSERT_TRUE(notifier.ok()) << notifier.status();
    notifier_ = std::make_unique<ServiceProcess>(*std::move(notifier));
    notifier_stub_ = v1::NotifierService::NewStub(
        grpc::CreateChannel(notifier_->address, grpc::InsecureChannelCredentials()));
  }

  v1::SubscriptionStatus Subscription() {
    v1::SubscriptionStatus status;
    const grpc::Status called =
        CallAs(notifier_stub_.get(), &v1::NotifierService::Stub::GetSubscriptionStatus,
               As("acme-viewer"), v1::GetSubscriptionStatusRequest(), &status);
    EXPECT_TRUE(called.ok()) << Describe(called);
    return status;
  }

  static v1::CreateRecipientRequest RecipientRequest(const std::string& id,
                                                     const std::string& tenant) {
    v1::CreateRecipientRequest request;
    request.mutable_recipient()->set_name("recipients/" + id);
    request.mutable_recipient()->set_tenant(tenant);
    request.mutable_recipient()->add_channels()->set_type(v1::CHANNEL_TYPE_INBOX);
    return request;
  }

  // Every NotifierService RPC (all 12), each with a well-formed request about `launch` and
  // `recipient` ("recipients/{id}" or "tenants/{tenant}/recipients/{id}").
  std::vector<Probe> NotifierProbes(const std::string& launch, const std::string& recipient) {
    using N = v1::NotifierService::Stub;
    N* stub = notifier_stub_.get();
    const std::string item = launch + "/items/ICP_FILING";
    v1::ListRemindersRequest reminders;
    reminders.set_launch(launch);
    v1::ListRemindersRequest reminders_to;
    reminders_to.set_recipient(recipient);
    v1::ListDeliveriesRequest deliveries;
    deliveries.set_launch(launch);
    v1::ListDeliveriesRequest deliveries_to;
    deliveries_to.set_recipient(recipient);
    v1::ListDeliveriesRequest deliveries_of_item;
    deliveries_of_item.set_item(item);
    v1::GetRecipientRequest get;
    get.set_name(recipient);
    v1::UpdateRecipientRequest update;
    update.mutable_recipient()->set_name(recipient);
    update.mutable_recipient()->set_display_name("hijacked");
    update.mutable_update_mask()->add_paths("display_name");
    v1::DeleteRecipientRequest remove;
    remove.set_name(recipient);
    v1::SnoozeReminderRequest snooze;
    snooze.set_item(item);
    snooze.mutable_snooze_for()->set_seconds(3600);
    v1::AcknowledgeReminderRequest acknowledge;
    acknowledge.set_item(item);
    v1::SendTestNotificationRequest test;
    test.set_recipient(recipient);
    v1::ListInboxMessagesRequest inbox;
    inbox.set_recipient(recipient);
    return {
        MakeProbe("ListReminders(launch)", stub, &N::ListReminders, reminders),
        MakeProbe("ListReminders(recipient)", stub, &N::ListReminders, reminders_to),
        MakeProbe("ListDeliveries(launch)", stub, &N::ListDeliveries, deliveries),
        MakeProbe("ListDeliveries(recipient)", stub, &N::ListDeliveries, deliveries_to),
        MakeProbe("ListDeliveries(item)", stub, &N::ListDeliveries, deliveries_of_item),
        MakeProbe("CreateRecipient", stub, &N::CreateRecipient, RecipientRequest("probe", "acme")),
        MakeProbe("GetRecipient", stub, &N::GetRecipient, get),
        MakeProbe("ListRecipients", stub, &N::ListRecipients, v1::ListRecipientsRequest()),
        MakeProbe("UpdateRecipient", stub, &N::UpdateRecipient, update),
        MakeProbe("DeleteRecipient", stub, &N::DeleteRecipient, remove),
        MakeProbe("SnoozeReminder", stub, &N::SnoozeReminder, snooze),
        MakeProbe("AcknowledgeReminder", stub, &N::AcknowledgeReminder, acknowledge),
        MakeProbe("SendTestNotification", stub, &N::SendTestNotification, test),
        MakeProbe("ListInboxMessages", stub, &N::ListInboxMessages, inbox),
        MakeProbe("GetSubscriptionStatus", stub, &N::GetSubscriptionStatus,
                  v1::GetSubscriptionStatusRequest()),
    };
  }

  std::unique_ptr<ServiceProcess> notifier_;
  std::unique_ptr<v1::NotifierService::Stub> notifier_stub_;
};

TEST_F(PairAuthTest, NotifierFollowsWithItsServiceTokenAndGuardsEveryRpcByTenant) {
  IssueAll();
  StartNotifier({"--checklist_token_ref=file:" + tokens_.at("notifier").file});
  using N = v1::NotifierService::Stub;
  N* stub = notifier_stub_.get();
  const std::string acme = CreateLaunch(As("acme-editor"), "acme", "pair-acme");
  const std::string beta = CreateLaunch(As("beta-editor"), "beta", "pair-beta");
  ASSERT_FALSE(acme.empty());
  ASSERT_FALSE(beta.empty());
  const std::string acme_id = acme.substr(std::string("launches/").size());
  const int64_t last = LastSequence({acme, beta});
  v1::SubscriptionStatus subscription;
  ASSERT_TRUE(Eventually(
      [&] {
        subscription = Subscription();
        return subscription.applied_sequence() >= last;
      },
      kCatchUpTimeout))
      << "applied " << subscription.applied_sequence() << " of " << last << "; "
      << subscription.last_error();
  EXPECT_TRUE(subscription.connected());

  // Recipients of each tenant, and one of no tenant (only all-tenant tokens see it).
  v1::Recipient recipient;
  ASSERT_TRUE(CallAs(stub, &N::CreateRecipient, As("acme-admin"),
                     RecipientRequest("acme.owner", "acme"), &recipient)
                  .ok());
  ASSERT_TRUE(CallAs(stub, &N::CreateRecipient, As("beta-admin"),
                     RecipientRequest("beta.owner", "beta"), &recipient)
                  .ok());
  ASSERT_TRUE(
      CallAs(stub, &N::CreateRecipient, AsAdmin(), RecipientRequest("shared", ""), &recipient)
          .ok());
  // Recipients are per tenant: acme's is tenants/acme/recipients/acme.owner, and an id acme does
  // not use is missing in the same way.
  const std::string acme_recipient = "tenants/acme/recipients/acme.owner";
  const std::string missing_recipient =
      absl::StrCat("tenants/acme/recipients/", kMissingRecipientId);
  // beta may use the same id: it is beta's own recipient, and creating it reveals nothing.
  ASSERT_TRUE(CallAs(stub, &N::CreateRecipient, As("beta-admin"),
                     RecipientRequest("acme.owner", "beta"), &recipient)
                  .ok());
  EXPECT_EQ(recipient.name(), "tenants/beta/recipients/acme.owner");
  v1::DeleteRecipientRequest remove_beta_copy;
  remove_beta_copy.set_name(recipient.name());
  v1::DeleteRecipientResponse removed;
  ASSERT_TRUE(CallAs(stub, &N::DeleteRecipient, As("beta-admin"), remove_beta_copy, &removed).ok());

  // No token, a malformed one or an unknown one: every RPC is UNAUTHENTICATED.
  const std::vector<Probe> probes = NotifierProbes(acme, acme_recipient);
  std::set<std::string> rpcs;
  for (const Probe& probe : probes) rpcs.insert(probe.name.substr(0, probe.name.find('(')));
  ASSERT_EQ(rpcs.size(), 12u);
  for (const std::string& authorization :
       {std::string(), std::string("Bearer nope"),
        Bearer(absl::StrCat("pft_", kMissingTokenId, "_", std::string(43, 'x')))}) {
    for (const Probe& probe : probes) {
      const grpc::Status status = probe.call(authorization);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << probe.name << " with '" << authorization << "': " << Describe(status);
    }
  }

  // Roles: a viewer neither manages recipients nor snoozes; an editor snoozes and acknowledges
  // in its tenant.
  const std::string acme_item = acme + "/items/ICP_FILING";
  v1::ItemReminderState state;
  EXPECT_EQ(CallAs(stub, &N::CreateRecipient, As("acme-viewer"),
                   RecipientRequest("viewer.made", "acme"), &recipient)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::SnoozeReminderRequest snooze;
  snooze.set_item(acme_item);
  snooze.mutable_snooze_for()->set_seconds(3600);
  EXPECT_EQ(CallAs(stub, &N::SnoozeReminder, As("acme-viewer"), snooze, &state).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CallAs(stub, &N::CreateRecipient, As("acme-editor"),
                   RecipientRequest("editor.made", "acme"), &recipient)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status snoozed = CallAs(stub, &N::SnoozeReminder, As("acme-editor"), snooze, &state);
  ASSERT_TRUE(snoozed.ok()) << Describe(snoozed);
  EXPECT_EQ(state.item(), acme_item);
  EXPECT_TRUE(state.has_snoozed_until());
  v1::AcknowledgeReminderRequest acknowledge;
  acknowledge.set_item(acme_item);
  const grpc::Status acknowledged =
      CallAs(stub, &N::AcknowledgeReminder, As("acme-editor"), acknowledge, &state);
  ASSERT_TRUE(acknowledged.ok()) << Describe(acknowledged);
  // An acme admin may not make a recipient of beta.
  EXPECT_EQ(CallAs(stub, &N::CreateRecipient, As("acme-admin"),
                   RecipientRequest("beta.made", "beta"), &recipient)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Cross-tenant: acme's launch, item and recipient answer a beta admin exactly like missing
  // ones, on every RPC that names one.
  const std::vector<Probe> missing_probes =
      NotifierProbes(absl::StrCat("launches/", kMissingLaunchId), missing_recipient);
  const std::set<std::string> named = {
      "ListReminders(launch)",     "ListReminders(recipient)", "ListDeliveries(launch)",
      "ListDeliveries(recipient)", "ListDeliveries(item)",     "GetRecipient",
      "UpdateRecipient",           "DeleteRecipient",          "SnoozeReminder",
      "AcknowledgeReminder",       "SendTestNotification",     "ListInboxMessages"};
  int checked = 0;
  for (size_t i = 0; i < probes.size(); ++i) {
    if (!named.count(probes[i].name)) continue;
    ++checked;
    for (const std::string who : {"beta-admin", "beta-editor"}) {
      const grpc::Status other = probes[i].call(As(who));
      const grpc::Status absent = missing_probes[i].call(As(who));
      if (other.error_code() == grpc::StatusCode::PERMISSION_DENIED &&
          absent.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
        continue;  // the editor may not manage recipients at all
      }
      EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND)
          << probes[i].name << " as " << who << ": " << Describe(other);
      const std::string other_shape =
          absl::StrReplaceAll(Describe(other), {{acme_id, "<ID>"}, {"acme.owner", "<ID>"}});
      const std::string absent_shape = absl::StrReplaceAll(
          Describe(absent), {{kMissingLaunchId, "<ID>"}, {kMissingRecipientId, "<ID>"}});
      EXPECT_EQ(other_shape, absent_shape) << probes[i].name << " as " << who;
    }
  }
  EXPECT_EQ(checked, 12);
  // Filters naming another tenant are refused outright.
  v1::ListRemindersRequest reminders_of_acme;
  reminders_of_acme.set_tenant("acme");
  v1::ListRemindersResponse reminders;
  EXPECT_EQ(
      CallAs(stub, &N::ListReminders, As("beta-admin"), reminders_of_acme, &reminders).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::ListDeliveriesRequest deliveries_of_acme;
  deliveries_of_acme.set_tenant("acme");
  v1::ListDeliveriesResponse deliveries;
  EXPECT_EQ(CallAs(stub, &N::ListDeliveries, As("beta-admin"), deliveries_of_acme, &deliveries)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListRecipientsRequest recipients_of_acme;
  recipients_of_acme.set_tenant("acme");
  v1::ListRecipientsResponse recipients;
  EXPECT_EQ(CallAs(stub, &N::ListRecipients, As("beta-admin"), recipients_of_acme, &recipients)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Unfiltered listings hold only the caller's tenant.
  ASSERT_TRUE(
      CallAs(stub, &N::ListRecipients, As("beta-editor"), v1::ListRecipientsRequest(), &recipients)
          .ok());
  ASSERT_EQ(recipients.recipients_size(), 1);
  EXPECT_EQ(recipients.recipients(0).name(), "tenants/beta/recipients/beta.owner");
  ASSERT_TRUE(
      CallAs(stub, &N::ListRecipients, AsAdmin(), v1::ListRecipientsRequest(), &recipients).ok());
  EXPECT_EQ(recipients.recipients_size(), 3);
  v1::ListRemindersRequest all_reminders;
  all_reminders.set_days(60);
  all_reminders.set_page_size(1000);
  ASSERT_TRUE(CallAs(stub, &N::ListReminders, As("beta-editor"), all_reminders, &reminders).ok());
  EXPECT_GT(reminders.reminders_size(), 0);
  for (const v1::Reminder& reminder : reminders.reminders()) {
    EXPECT_EQ(reminder.tenant(), "beta") << reminder.item();
  }
  // An all-tenant token's forecast holds acme's too, so there was something to leave out.
  ASSERT_TRUE(CallAs(stub, &N::ListReminders, AsAdmin(), all_reminders, &reminders).ok());
  std::set<std::string> forecast_tenants;
  for (const v1::Reminder& reminder : reminders.reminders()) {
    forecast_tenants.insert(reminder.tenant());
  }
  EXPECT_EQ(forecast_tenants, (std::set<std::string>{"acme", "beta"}));
  ASSERT_TRUE(
      CallAs(stub, &N::ListDeliveries, As("beta-editor"), v1::ListDeliveriesRequest(), &deliveries)
          .ok());
  for (const v1::Delivery& delivery : deliveries.deliveries()) {
    EXPECT_EQ(delivery.tenant(), "beta") << delivery.name();
    EXPECT_THAT(delivery.item(), Not(HasSubstr(acme_id)));
  }
  // The refused writes changed nothing of acme's.
  v1::GetRecipientRequest get_acme;
  get_acme.set_name(acme_recipient);
  ASSERT_TRUE(CallAs(stub, &N::GetRecipient, As("acme-viewer"), get_acme, &recipient).ok());
  EXPECT_NE(recipient.display_name(), "hijacked");

  // Revocation reaches the notifier at once (no cache).
  v1::GetRecipientRequest get_beta;
  get_beta.set_name("tenants/beta/recipients/beta.owner");
  ASSERT_TRUE(CallAs(stub, &N::GetRecipient, As("beta-editor"), get_beta, &recipient).ok());
  CommandResult revoked =
      Cli({"--token_file=" + admin_file_, "tokens", "revoke", tokens_.at("beta-editor").name});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
  const grpc::Status refused =
      CallAs(stub, &N::GetRecipient, As("beta-editor"), get_beta, &recipient);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(refused);
  // The notifier's own token still follows the stream: new changes keep arriving.
  v1::Item item;
  ASSERT_TRUE(CallAs(checklist_stub_.get(), &v1::ChecklistService::Stub::UpdateItem,
                     As("acme-editor"), StartItem(acme, "ICP_FILING"), &item)
                  .ok());
  const int64_t later = LastSequence({acme, beta});
  EXPECT_TRUE(
      Eventually([&] { return Subscription().applied_sequence() >= later; }, kCatchUpTimeout));
}

TEST_F(PairAuthTest, WithoutItsOwnTokenTheNotifiersSubscriptionIsRefused) {
  IssueAll();
  StartNotifier({});
  const std::string launch = CreateLaunch(As("acme-editor"), "acme", "no-token");
  ASSERT_FALSE(launch.empty());
  v1::SubscriptionStatus subscription;
  ASSERT_TRUE(Eventually(
      [&] {
        subscription = Subscription();
        return subscription.reconnects() >= 2 &&
               absl::StrContains(subscription.last_error(), "UNAUTHENTICATED");
      },
      kCatchUpTimeout))
      << subscription.last_error();
  EXPECT_EQ(subscription.applied_sequence(), 0);
  EXPECT_FALSE(subscription.connected());
  // Callers' tokens are still checked with the checklist service.
  v1::ListRecipientsResponse recipients;
  EXPECT_TRUE(CallAs(notifier_stub_.get(), &v1::NotifierService::Stub::ListRecipients,
                     As("acme-viewer"), v1::ListRecipientsRequest(), &recipients)
                  .ok());
  EXPECT_EQ(CallAs(notifier_stub_.get(), &v1::NotifierService::Stub::ListRecipients, "",
                   v1::ListRecipientsRequest(), &recipients)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace preflight
