// The checklist-service binary as a process: it serves health checks and reflection, shuts down
// cleanly on SIGTERM, and refuses to start on broken data files or a taken port.

#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;
using testing::ServiceProcess;
using testing::TempDir;

absl::StatusOr<ServiceProcess> StartService(const std::string& data_dir,
                                            const std::string& listen = "127.0.0.1:0") {
  return testing::StartProcess(testing::ChecklistArgv(listen, data_dir));
}

TEST(ChecklistServiceProcessTest, ServesHealthAndReflection) {
  TempDir dir;
  absl::StatusOr<ServiceProcess> service = StartService(dir.path());
  ASSERT_TRUE(service.ok()) << service.status();
  auto channel = grpc::CreateChannel(service->address, grpc::InsecureChannelCredentials());

  for (const char* name : {"", "preflight.v1.ChecklistService"}) {
    ASSERT_EQ(testing::HealthOf(service->address, name),
              grpc::health::v1::HealthCheckResponse::SERVING)
        << name;
  }

  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  auto stream = reflection->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> services;
  for (const auto& s : response.list_services_response().service()) services.push_back(s.name());
  EXPECT_THAT(services, ::testing::Contains("preflight.v1.ChecklistService"));

  request.set_file_containing_symbol("preflight.v1.ChecklistService");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_GT(response.file_descriptor_response().file_descriptor_proto_size(), 0);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST(ChecklistServiceProcessTest, StopsCleanlyOnSigterm) {
  TempDir dir;
  absl::StatusOr<ServiceProcess> service = StartService(dir.path());
  ASSERT_TRUE(service.ok()) << service.status();
  absl::StatusOr<int> status = service->process.Stop(SIGTERM);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_THAT(service->process.output(), HasSubstr("INFO checklist-service: stopped"));
}

TEST(ChecklistServiceProcessTest, RefusesABrokenTemplateNamingFileAndLine) {
  TempDir dir;
  ASSERT_EQ(system(("mkdir -p " + dir.Join("templates")).c_str()), 0);
  const std::string path = dir.Join("templates/broken.textproto");
  std::ofstream(path)
      << "id: \"broken\"\n"
         "title_en: \"Broken\"\n"
         "title_zh: \"坏模板\"\n"
         "groups { code: \"g\" title_en: \"G\" title_zh: \"组\" }\n"
         "items {\n"
         "  code: \"A\" title_en: \"A\" title_zh: \"甲\" group: \"g\" applies_reason: \"x\"\n"
         "  duration { unit: DAY_UNIT_WORKING_DAYS min: 1 typical: 1 max: 1 }\n"
         "  depends_on { code: \"MISSING\" }\n"
         "}\n";
  absl::StatusOr<testing::CommandResult> result = testing::RunCommand(
      {CHECKLIST_SERVICE_BIN, "--listen=127.0.0.1:0", "--data_dir=" + dir.path()});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NE(result->exit_code, 0);
  // The dependency is on line 8 of the file.
  EXPECT_THAT(result->output, HasSubstr("broken.textproto:8:"));
  EXPECT_THAT(result->output, HasSubstr("unknown dependency 'MISSING'"));
}

TEST(ChecklistServiceProcessTest, RefusesATakenPort) {
  TempDir first_dir, second_dir;
  absl::StatusOr<ServiceProcess> first = StartService(first_dir.path());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<testing::CommandResult> second = testing::RunCommand(
      {CHECKLIST_SERVICE_BIN, "--listen=" + first->address, "--data_dir=" + second_dir.path()});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(second->exit_code, 0);
  EXPECT_THAT(second->output, HasSubstr("cannot listen"));
}

}  // namespace
}  // namespace preflight
