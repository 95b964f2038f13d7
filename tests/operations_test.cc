// The pair as an operator meets it, through the real binaries: --version, one owner per data
// folder, standard gRPC tools (buf curl, a reflection client's describe), undecodable requests,
// the notifier's health while it is cut off from the checklist, and the log lines.

#include <signal.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/http_client.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/text.h"

namespace preflight {
namespace {

using grpc::health::v1::HealthCheckResponse;
using ::preflight::testing::Eventually;
using ::preflight::testing::HealthOf;
using ::preflight::testing::ServiceProcess;
using ::preflight::testing::StartProcess;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using testing::Lines;
using ::testing::Not;

constexpr char kBufBin[] = PREFLIGHT_SOURCE_DIR "/.tools/bin/buf";

class OperationsTest : public ::testing::Test {
 protected:
  absl::StatusOr<ServiceProcess> StartChecklist(const std::vector<std::string>& extra = {},
                                                const std::string& listen = "127.0.0.1:0") {
    return StartProcess(testing::ChecklistArgv(listen, dir_.Join("checklist"), extra));
  }
  absl::StatusOr<ServiceProcess> StartNotifier(const std::string& checklist,
                                               const std::vector<std::string>& extra = {}) {
    std::vector<std::string> flags = {"--reconnect_max_backoff=300ms"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    return StartProcess(testing::NotifierArgv(dir_.Join("notifier"), checklist, flags));
  }

  static testing::CommandResult Run(const std::vector<std::string>& argv) {
    absl::StatusOr<testing::CommandResult> result = testing::RunCommand(argv, absl::Seconds(60));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::CommandResult{};
  }

  // Every "service/method" buf curl lists on `address`.
  static std::vector<std::string> BufListMethods(const std::string& address) {
    const testing::CommandResult listed =
        Run({kBufBin, "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-methods",
             absl::StrCat("http://", address)});
    EXPECT_EQ(listed.exit_code, 0) << listed.output;
    std::vector<std::string> methods = absl::StrSplit(listed.output, '\n', absl::SkipWhitespace());
    return methods;
  }

  testing::TempDir dir_;
};

TEST_F(OperationsTest, EveryBinaryAnswersVersionWithoutAbslsDebugBanner) {
  for (const auto& [binary, name] : {std::make_pair(CHECKLIST_SERVICE_BIN, "checklist-service"),
                                     std::make_pair(NOTIFIER_SERVICE_BIN, "notifier-service"),
                                     std::make_pair(PREFLIGHT_CLI_BIN, "preflight")}) {
    const testing::CommandResult version = Run({binary, "--version"});
    EXPECT_EQ(version.exit_code, 0) << name;
    EXPECT_TRUE(std::regex_match(
        version.output,
        std::regex(absl::StrCat(
            name, R"( [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]+(-dirty)?|unknown), [A-Za-z]+\)\n)"))))
        << version.output;
    EXPECT_THAT(version.output, Not(HasSubstr("Debug build")));
  }
}

TEST_F(OperationsTest, ASecondServiceOnAHeldDataFolderRefusesToStartAndNamesTheHolder) {
  absl::StatusOr<ServiceProcess> first = StartChecklist();
  ASSERT_TRUE(first.ok()) << first.status();
  const testing::CommandResult second =
      Run({CHECKLIST_SERVICE_BIN, "--listen=127.0.0.1:0", "--data_dir=" + dir_.Join("checklist")});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.output,
              AllOf(HasSubstr(absl::StrCat("the data folder ", dir_.Join("checklist"),
                                           " is in use by checklist-service (pid ",
                                           first->process.pid(), ")")),
                    HasSubstr("one process per data folder"), Not(HasSubstr("listening on"))));

  // A notifier may not take the checklist's folder either.
  const testing::CommandResult notifier =
      Run({NOTIFIER_SERVICE_BIN, "--listen=127.0.0.1:0", "--data_dir=" + dir_.Join("checklist"),
           "--checklist_addr=" + first->address});
  EXPECT_EQ(notifier.exit_code, 1);
  EXPECT_THAT(notifier.output, HasSubstr("is in use by checklist-service"));

  // The kernel drops the lock with the process, however it ends: the lock file left behind by
  // a SIGKILL blocks nothing.
  ASSERT_TRUE(first->process.Stop(SIGKILL).ok());
  absl::StatusOr<ServiceProcess> after_kill = StartChecklist();
  ASSERT_TRUE(after_kill.ok()) << after_kill.status();
}

TEST_F(OperationsTest, BufCurlListsEveryServiceOfBothServersHealthIncluded) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist();
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  absl::StatusOr<ServiceProcess> notifier = StartNotifier(checklist->address);
  ASSERT_TRUE(notifier.ok()) << notifier.status();

  const std::vector<std::string> standard = {
      "grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch",
      "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"};
  std::vector<std::string> checklist_methods = standard;
  for (const char* method :
       {"preflight.v1.ChecklistService/CreateLaunch", "preflight.v1.ChecklistService/GetLaunch",
        "preflight.v1.ChecklistService/WatchEvents", "preflight.v1.AuthService/CreateToken"}) {
    checklist_methods.push_back(method);
  }
  EXPECT_THAT(BufListMethods(checklist->address), IsSupersetOf(checklist_methods));
  std::vector<std::string> notifier_methods = standard;
  notifier_methods.push_back("preflight.v1.NotifierService/ListDeliveries");
  notifier_methods.push_back("preflight.v1.NotifierService/GetSubscriptionStatus");
  EXPECT_THAT(BufListMethods(notifier->address), IsSupersetOf(notifier_methods));

  // And buf curl calls the health service by its schema, learnt through reflection.
  const testing::CommandResult health =
      Run({kBufBin, "curl", "--protocol", "grpc", "--http2-prior-knowledge", "-d",
           R"({"service": "preflight.v1.NotifierService"})",
           absl::StrCat("http://", notifier->address, "/grpc.health.v1.Health/Check")});
  EXPECT_EQ(health.exit_code, 0) << health.output;
  EXPECT_THAT(health.output, HasSubstr("\"SERVING\""));
}

// What grpcurl's `describe grpc.health.v1.Health` does: ask reflection for the file that holds
// the symbol, then read the service from its descriptor.
TEST_F(OperationsTest, ReflectionDescribesTheHealthServiceAndOurOwn) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist();
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(
      grpc::CreateChannel(checklist->address, grpc::InsecureChannelCredentials()));
  for (const auto& [symbol, method] :
       {std::make_pair("grpc.health.v1.Health", "Watch"),
        std::make_pair("preflight.v1.ChecklistService", "WatchEvents")}) {
    grpc::ClientContext context;
    auto stream = reflection->ServerReflectionInfo(&context);
    grpc::reflection::v1alpha::ServerReflectionRequest request;
    request.set_file_containing_symbol(symbol);
    ASSERT_TRUE(stream->Write(request));
    grpc::reflection::v1alpha::ServerReflectionResponse response;
    ASSERT_TRUE(stream->Read(&response));
    stream->WritesDone();
    ASSERT_TRUE(response.has_file_descriptor_response()) << symbol;
    bool described = false;
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      ASSERT_TRUE(file.ParseFromString(bytes));
      for (const auto& service : file.service()) {
        if (absl::StrCat(file.package(), ".", service.name()) != symbol) continue;
        for (const auto& m : service.method()) described = described || m.name() == method;
      }
    }
    EXPECT_TRUE(described) << symbol << " has no method " << method << " in its descriptor";
    EXPECT_TRUE(stream->Finish().ok());
  }
}

// The bodies a hostile or broken client sends, for `method`'s request type.
std::vector<std::pair<std::string, std::string>> BadBodies(const std::string& full_method) {
  std::vector<std::pair<std::string, std::string>> bodies;
  // Random bytes: an unterminated varint.
  bodies.push_back(
      {"garbage", std::string(1, '\0') + std::string("\0\0\0\x05", 4) + std::string(5, '\xff')});
  // A length prefix of 100 bytes over a 2-byte body.
  bodies.push_back({"truncated", std::string("\0\0\0\0\x64\x0a\x02", 7)});
  // A string field holding invalid UTF-8, if the request has one.
  std::string name(full_method.substr(1));
  name[name.find('/')] = '.';
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  if (descriptor != nullptr) {
    const google::protobuf::Descriptor* input = descriptor->input_type();
    for (int i = 0; i < input->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = input->field(i);
      if (field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) continue;
      std::string message;
      message.push_back(static_cast<char>((field->number() << 3) | 2));
      message += std::string("\x02\xff\xfe", 3);
      std::string framed(1, '\0');
      framed += std::string("\0\0\0", 3);
      framed.push_back(static_cast<char>(message.size()));
      bodies.push_back({"invalid UTF-8 in " + field->name(), framed + message});
      break;
    }
  }
  return bodies;
}

TEST_F(OperationsTest, UndecodableRequestsAreInvalidArgumentOnEveryMethodOfBothServers) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist();
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  absl::StatusOr<ServiceProcess> notifier = StartNotifier(checklist->address);
  ASSERT_TRUE(notifier.ok()) << notifier.status();
  int checked = 0;
  for (const ServiceProcess* server : {&*checklist, &*notifier}) {
    for (const std::string& method : BufListMethods(server->address)) {
      // Reflection's own handler is gRPC's; it answers its stream's errors itself.
      if (absl::StartsWith(method, "grpc.reflection.")) continue;
      const std::string path = "/" + method;
      for (const auto& [what, body] : BadBodies(path)) {
        absl::StatusOr<testing::HttpAnswer> answer =
            testing::RawGrpcCall(server->address, path, body, /*raw_body=*/true);
        ASSERT_TRUE(answer.ok()) << answer.status();
        EXPECT_EQ(answer->Header("grpc-status"), "3")
            << method << " with " << what << ": " << answer->Header("grpc-message");
        EXPECT_THAT(answer->Header("grpc-message"), HasSubstr("is not a valid")) << method;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 60);
  // Both services kept serving.
  EXPECT_EQ(HealthOf(checklist->address, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(HealthOf(notifier->address, ""), HealthCheckResponse::SERVING);
}

TEST_F(OperationsTest, NotifierHealthDropsWhileCutOffFromTheChecklistAndRecovers) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist();
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  const std::string checklist_address = checklist->address;
  absl::StatusOr<ServiceProcess> notifier =
      StartNotifier(checklist_address, {"--stream_unhealthy_after=1s"});
  ASSERT_TRUE(notifier.ok()) << notifier.status();
  const std::string name = "preflight.v1.NotifierService";
  EXPECT_TRUE(
      Eventually([&] { return HealthOf(notifier->address, name) == HealthCheckResponse::SERVING; },
                 absl::Seconds(20)));

  ASSERT_TRUE(checklist->process.Stop(SIGKILL).ok());
  EXPECT_TRUE(Eventually(
      [&] { return HealthOf(notifier->address, name) == HealthCheckResponse::NOT_SERVING; },
      absl::Seconds(20)));
  // The process itself still answers: only the named service is down.
  EXPECT_EQ(HealthOf(notifier->address, ""), HealthCheckResponse::SERVING);

  absl::StatusOr<ServiceProcess> back = StartChecklist({}, checklist_address);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(
      Eventually([&] { return HealthOf(notifier->address, name) == HealthCheckResponse::SERVING; },
                 absl::Seconds(30)));
  // Each change is logged once.
  EXPECT_TRUE(notifier->process.WaitForLine(": NOT_SERVING", absl::Seconds(5)).ok());
  EXPECT_TRUE(
      notifier->process
          .WaitForLine("following the checklist's event stream again: SERVING", absl::Seconds(5))
          .ok());
}

// A data folder on a read-only file system (a snapshot mounted for inspection, a full disk
// remounted read-only by the kernel): reads are served, writes refused with a clear status.
TEST_F(OperationsTest, OnAReadOnlyFileSystemTheChecklistServesReadsAndRefusesWrites) {
  {
    absl::StatusOr<ServiceProcess> writable = StartChecklist();
    ASSERT_TRUE(writable.ok()) << writable.status();
    {
      auto stub = v1::ChecklistService::NewStub(
          grpc::CreateChannel(writable->address, grpc::InsecureChannelCredentials()));
      grpc::ClientContext context;
      testing::SetDeadline(context, absl::Seconds(10));
      v1::Launch created;
      ASSERT_TRUE(stub->CreateLaunch(&context, testing::LaunchRequest("owner@example.com", "ro-1"),
                                     &created)
                      .ok());
    }
    // (With the channel gone: a server waits out its shutdown grace for connected clients.)
    ASSERT_TRUE(writable->process.Stop(SIGTERM).ok());
  }
  const testing::CommandResult probe = Run({"/usr/bin/unshare", "--mount", "/bin/true"});
  if (probe.exit_code != 0) GTEST_SKIP() << "no mount namespace here: " << probe.output;

  const std::string folder = dir_.Join("checklist");
  absl::StatusOr<ServiceProcess> read_only = StartProcess(
      {"/usr/bin/unshare", "--mount", "/bin/sh", "-c",
       absl::StrCat("mount --bind -o ro ", folder, " ", folder, " && exec ", CHECKLIST_SERVICE_BIN,
                    " --listen=127.0.0.1:0 --data_dir=", folder)});
  ASSERT_TRUE(read_only.ok()) << read_only.status();
  EXPECT_THAT(read_only->process.output(), HasSubstr("read-only file system"));
  auto stub = v1::ChecklistService::NewStub(
      grpc::CreateChannel(read_only->address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext list_context;
  testing::SetDeadline(list_context, absl::Seconds(10));
  v1::ListLaunchesRequest list;
  v1::ListLaunchesResponse listed;
  ASSERT_TRUE(stub->ListLaunches(&list_context, list, &listed).ok());
  EXPECT_EQ(listed.launches_size(), 1);
  grpc::ClientContext create_context;
  testing::SetDeadline(create_context, absl::Seconds(10));
  v1::Launch created;
  const grpc::Status refused = stub->CreateLaunch(
      &create_context, testing::LaunchRequest("owner@example.com", "ro-2"), &created);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("read-only"));
}

TEST_F(OperationsTest, JsonLogLinesCarryTimeLevelComponentAndOneLinePerRpcWithoutSecrets) {
  absl::StatusOr<ServiceProcess> checklist =
      StartChecklist({"--log_format=json", "--require_auth"});
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  std::ifstream token_file(dir_.Join("checklist/admin.token"));
  std::string token;
  std::getline(token_file, token);
  ASSERT_THAT(token, HasSubstr("pft_"));
  // pft_<12-char id>_<secret>; the secret is base64url and may hold "_" itself.
  const std::string secret = token.substr(token.find('_', 4) + 1);
  ASSERT_GT(secret.size(), 20u);
  const std::vector<std::string> cli = {PREFLIGHT_CLI_BIN, "--server=" + checklist->address,
                                        "--token_file=" + dir_.Join("checklist/admin.token")};
  std::vector<std::string> list = cli;
  list.insert(list.end(), {"launch", "list", "--tenant=acme"});
  EXPECT_EQ(Run(list).exit_code, 0);
  std::vector<std::string> missing = cli;
  missing.insert(missing.end(), {"launch", "show", "launches/nope"});
  EXPECT_NE(Run(missing).exit_code, 0);
  ASSERT_TRUE(checklist->process.Stop(SIGTERM).ok());

  const std::regex rfc3339(R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z)");
  int rpc_lines = 0;
  for (const std::string& line : Lines(checklist->process.output())) {
    const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(parsed.is_discarded()) << "not JSON: " << line;
    EXPECT_TRUE(std::regex_match(parsed.value("time", ""), rfc3339)) << line;
    EXPECT_THAT(std::vector<std::string>({"debug", "info", "warning", "error"}),
                Contains(parsed.value("level", "")))
        << line;
    EXPECT_FALSE(parsed.value("component", "").empty()) << line;
    EXPECT_THAT(line, AllOf(Not(HasSubstr(secret)), Not(HasSubstr("Bearer"))));
    if (parsed.value("component", "") != "rpc") continue;
    ++rpc_lines;
    EXPECT_TRUE(parsed.contains("code") && parsed.contains("duration_ms") &&
                parsed.contains("tenant") && parsed.contains("actor"))
        << line;
    EXPECT_TRUE(parsed["duration_ms"].is_number()) << line;
    if (parsed.value("msg", "") == "/preflight.v1.ChecklistService/GetLaunch") {
      EXPECT_EQ(parsed.value("code", ""), "NOT_FOUND");
      EXPECT_EQ(parsed.value("tenant", ""), "*");
      EXPECT_THAT(parsed.value("actor", ""), HasSubstr("(tokens/"));
    }
  }
  // ListLaunches and GetLaunch, each once.
  EXPECT_EQ(rpc_lines, 2) << checklist->process.output();
}

TEST_F(OperationsTest, TextLogLinesStartWithTimeAndLevel) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist();
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  absl::StatusOr<ServiceProcess> notifier = StartNotifier(checklist->address);
  ASSERT_TRUE(notifier.ok()) << notifier.status();
  EXPECT_TRUE(notifier->process.WaitForLine("event subscriber: connected", absl::Seconds(20)).ok());
  ASSERT_TRUE(notifier->process.Stop(SIGTERM).ok());
  ASSERT_TRUE(checklist->process.Stop(SIGTERM).ok());
  const std::regex line_start(
      R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z (DEBUG|INFO|WARNING|ERROR) [a-z][a-z -]*: .*)");
  for (const ServiceProcess* process : {&*checklist, &*notifier}) {
    for (const std::string& line : Lines(process->process.output())) {
      EXPECT_TRUE(std::regex_match(line, line_start)) << line;
    }
  }
}

}  // namespace
}  // namespace preflight
