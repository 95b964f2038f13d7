// Backup, restore and resume, end to end with the real binaries: `preflight admin backup` while
// both services run and take writes, `--restore_from` into the stopped services' folders, and the
// notifier resuming; and a checklist restored behind its notifier, which the notifier must
// refuse to follow (it would miss or misread events) until the operator resyncs it.

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/metadata_keys.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::preflight::testing::Eventually;
using ::preflight::testing::LaunchRequest;
using ::preflight::testing::ServiceProcess;
using ::preflight::testing::SetDeadline;
using ::preflight::testing::StartProcess;
using ::testing::HasSubstr;
using ::testing::Not;

class BackupTest : public ::testing::Test {
 protected:
  std::string ChecklistDir() const { return dir_.Join("checklist"); }
  std::string NotifierDir() const { return dir_.Join("notifier"); }

  void StartChecklist(const std::string& listen = "127.0.0.1:0") {
    absl::StatusOr<ServiceProcess> started =
        StartProcess(testing::ChecklistArgv(listen, ChecklistDir()));
    ASSERT_TRUE(started.ok()) << started.status();
    checklist_ = std::make_unique<ServiceProcess>(*std::move(started));
  }
  void StartNotifier(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> flags = {"--reconnect_max_backoff=300ms",
                                      "--stream_unhealthy_after=1s", "--tick=200ms"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    absl::StatusOr<ServiceProcess> started =
        StartProcess(testing::NotifierArgv(NotifierDir(), checklist_->address, flags));
    ASSERT_TRUE(started.ok()) << started.status();
    notifier_ = std::make_unique<ServiceProcess>(*std::move(started));
  }
  void StopBoth() {
    if (notifier_ != nullptr) {
      absl::StatusOr<int> status = notifier_->process.Stop(SIGTERM);
      ASSERT_TRUE(status.ok()) << status.status();
      EXPECT_EQ(*status, 0);
    }
    if (checklist_ != nullptr) {
      absl::StatusOr<int> status = checklist_->process.Stop(SIGTERM);
      ASSERT_TRUE(status.ok()) << status.status();
      EXPECT_EQ(*status, 0);
    }
  }

  testing::CommandResult Run(const std::vector<std::string>& argv) {
    absl::StatusOr<testing::CommandResult> result = testing::RunCommand(argv, absl::Seconds(120));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::CommandResult{};
  }
  testing::CommandResult Cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {PREFLIGHT_CLI_BIN, "--server=" + checklist_->address,
                                     "--notifier=" + notifier_->address, "--actor=backup-test"};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv);
  }

  std::unique_ptr<v1::ChecklistService::Stub> Checklist() {
    return v1::ChecklistService::NewStub(
        grpc::CreateChannel(checklist_->address, grpc::InsecureChannelCredentials()));
  }
  // The checklist's last committed sequence, as an accepted WatchEvents stream announces it.
  int64_t ChecklistHead() {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(10));
    v1::WatchEventsRequest request;
    std::unique_ptr<grpc::ClientReader<v1::Event>> stream =
        Checklist()->WatchEvents(&context, request);
    stream->WaitForInitialMetadata();
    int64_t head = -1;
    const auto found = context.GetServerInitialMetadata().find(api::kLastSequenceMetadataKey);
    if (found != context.GetServerInitialMetadata().end()) {
      EXPECT_TRUE(absl::SimpleAtoi(std::string(found->second.data(), found->second.size()), &head));
    }
    context.TryCancel();
    return head;
  }
  std::string CreateLaunch(const std::string& request_id) {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(10));
    v1::Launch created;
    const grpc::Status status = Checklist()->CreateLaunch(
        &context, LaunchRequest("owner@example.com", request_id), &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created.name();
  }
  std::vector<std::string> LaunchNames() {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(10));
    v1::ListLaunchesRequest request;
    request.set_page_size(100);
    v1::ListLaunchesResponse response;
    EXPECT_TRUE(Checklist()->ListLaunches(&context, request, &response).ok());
    std::vector<std::string> names;
    for (const v1::Launch& launch : response.launches()) names.push_back(launch.name());
    return names;
  }
  v1::SubscriptionStatus Subscription() {
    auto stub = v1::NotifierService::NewStub(
        grpc::CreateChannel(notifier_->address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(10));
    v1::SubscriptionStatus status;
    EXPECT_TRUE(
        stub->GetSubscriptionStatus(&context, v1::GetSubscriptionStatusRequest(), &status).ok());
    return status;
  }
  bool NotifierCaughtUpTo(int64_t sequence) {
    const v1::SubscriptionStatus status = Subscription();
    return status.connected() && status.applied_sequence() >= sequence;
  }
  grpc::health::v1::HealthCheckResponse::ServingStatus NotifierHealth() {
    return testing::HealthOf(notifier_->address, "preflight.v1.NotifierService");
  }

  static nlohmann::json Manifest(const std::string& folder) {
    std::ifstream in(folder + "/MANIFEST.json");
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  }
  static int64_t EventSequence(const nlohmann::json& manifest) {
    // The protobuf JSON mapping writes int64 as a string.
    return std::stoll(manifest.value("event_sequence", std::string("0")));
  }

  testing::TempDir dir_;
  std::unique_ptr<ServiceProcess> checklist_;
  std::unique_ptr<ServiceProcess> notifier_;
};

TEST_F(BackupTest, BackupWhileServingThenRestoreBothAndTheNotifierResumes) {
  StartChecklist();
  StartNotifier();
  const std::string kept = CreateLaunch("before-backup");
  ASSERT_FALSE(kept.empty());

  // Writes go on during the backup.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto stub = Checklist();
    for (int i = 0; !stop; ++i) {
      grpc::ClientContext context;
      SetDeadline(context, absl::Seconds(10));
      v1::UpdateItemRequest request;
      request.mutable_item()->set_name(kept + "/items/ICP_FILING");
      request.mutable_item()->set_notes(absl::StrCat("note ", i));
      request.mutable_update_mask()->add_paths("notes");
      v1::Item item;
      if (stub->UpdateItem(&context, request, &item).ok()) ++written;
    }
  });
  const bool writing = Eventually([&] { return written > 5; }, absl::Seconds(30));
  const std::string backup = dir_.Join("backup");
  const testing::CommandResult backed_up = Cli({"admin", "backup", backup});
  stop = true;
  writer.join();
  ASSERT_TRUE(writing);
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.output;
  EXPECT_THAT(backed_up.output, HasSubstr("notifier-service: " + backup + "/notifier"));
  EXPECT_THAT(backed_up.output, HasSubstr("checklist-service: " + backup + "/checklist"));
  const nlohmann::json checklist_manifest = Manifest(backup + "/checklist");
  const nlohmann::json notifier_manifest = Manifest(backup + "/notifier");
  ASSERT_FALSE(checklist_manifest.is_discarded());
  ASSERT_FALSE(notifier_manifest.is_discarded());
  const int64_t head = EventSequence(checklist_manifest);
  // The notifier was copied first: never ahead of the checklist's copy.
  EXPECT_LE(EventSequence(notifier_manifest), head);
  EXPECT_GT(head, 0);

  const std::string lost = CreateLaunch("after-backup");
  // A running service's folder cannot be restored into.
  const testing::CommandResult refused = Run({CHECKLIST_SERVICE_BIN, "--data_dir=" + ChecklistDir(),
                                              "--restore_from=" + backup + "/checklist"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.output, HasSubstr("is in use by checklist-service"));
  const std::string checklist_address = checklist_->address;
  StopBoth();

  for (const auto& [binary, folder, from] :
       {std::make_tuple(CHECKLIST_SERVICE_BIN, ChecklistDir(), backup + "/checklist"),
        std::make_tuple(NOTIFIER_SERVICE_BIN, NotifierDir(), backup + "/notifier")}) {
    const testing::CommandResult restored =
        Run({binary, "--data_dir=" + folder, "--restore_from=" + from});
    EXPECT_EQ(restored.exit_code, 0) << restored.output;
    EXPECT_THAT(restored.output, HasSubstr("restored the backup"));
  }

  StartChecklist(checklist_address);
  StartNotifier();
  // As of the backup: the later launch is gone, the earlier one is there.
  EXPECT_THAT(LaunchNames(), ::testing::Contains(kept));
  EXPECT_THAT(LaunchNames(), Not(::testing::Contains(lost)));
  EXPECT_TRUE(Eventually([&] { return NotifierCaughtUpTo(head); }, absl::Seconds(30)))
      << Subscription().DebugString();
  // And it follows what comes next, in the restored log's new epoch.
  CreateLaunch("after-restore");
  EXPECT_TRUE(Eventually([&] { return NotifierCaughtUpTo(head + 1); }, absl::Seconds(30)));
  EXPECT_TRUE(
      Eventually([&] { return NotifierHealth() == grpc::health::v1::HealthCheckResponse::SERVING; },
                 absl::Seconds(10)));
  StopBoth();
  EXPECT_THAT(notifier_->process.output(), Not(HasSubstr("no longer holds")));
}

TEST_F(BackupTest, AChecklistRestoredBehindItsNotifierIsRefusedUntilTheNotifierResyncs) {
  StartChecklist();
  StartNotifier();
  CreateLaunch("one");
  const std::string backup = dir_.Join("backup");
  const testing::CommandResult backed_up = Cli({"admin", "backup", backup, "--services=checklist"});
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.output;
  EXPECT_FALSE(std::filesystem::exists(backup + "/notifier"));
  const int64_t restored_head = EventSequence(Manifest(backup + "/checklist"));
  // The notifier goes on past the backup.
  CreateLaunch("two");
  CreateLaunch("three");
  // The checklist's own head, not the notifier's idea of it: one commit's events reach the
  // notifier one by one, so its view of the head can lag by the rest of the commit.
  const int64_t head = ChecklistHead();
  ASSERT_GT(head, restored_head + 1);
  const int64_t notifier_cursor = [&] {
    int64_t cursor = 0;
    EXPECT_TRUE(Eventually(
        [&] {
          cursor = Subscription().applied_sequence();
          return cursor == head;
        },
        absl::Seconds(30)));
    return cursor;
  }();
  const std::string checklist_address = checklist_->address;
  StopBoth();

  // Only the checklist goes back.
  const testing::CommandResult restored =
      Run({CHECKLIST_SERVICE_BIN, "--data_dir=" + ChecklistDir(),
           "--restore_from=" + backup + "/checklist"});
  ASSERT_EQ(restored.exit_code, 0) << restored.output;
  StartChecklist(checklist_address);
  // New writes reuse the sequence numbers the notifier saw, and pass its cursor: counting alone
  // cannot tell, the log epoch does.
  for (int i = 0; i < 4; ++i) CreateLaunch(absl::StrCat("new-", i));
  notifier_.reset();
  StartNotifier();
  absl::StatusOr<std::string> refusal =
      notifier_->process.WaitForLine("no longer holds the events", absl::Seconds(30));
  ASSERT_TRUE(refusal.ok()) << refusal.status();
  EXPECT_THAT(*refusal, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(*refusal,
              HasSubstr(absl::StrCat("restored from a backup taken at sequence ", restored_head)));
  EXPECT_THAT(*refusal, HasSubstr("--resync_event_log"));
  const v1::SubscriptionStatus refused = Subscription();
  EXPECT_EQ(refused.applied_sequence(), notifier_cursor);  // nothing misapplied
  EXPECT_TRUE(refused.cursor_refused());
  EXPECT_FALSE(refused.connected());
  EXPECT_TRUE(Eventually(
      [&] { return NotifierHealth() == grpc::health::v1::HealthCheckResponse::NOT_SERVING; },
      absl::Seconds(10)));

  // The operator resyncs: the whole restored log is read again and followed.
  ASSERT_TRUE(notifier_->process.Stop(SIGTERM).ok());
  notifier_.reset();
  StartNotifier({"--resync_event_log"});
  EXPECT_TRUE(Eventually(
      [&] {
        const v1::SubscriptionStatus status = Subscription();
        return status.connected() && status.applied_sequence() > restored_head + 4 &&
               status.applied_sequence() == status.checklist_sequence();
      },
      absl::Seconds(30)))
      << Subscription().DebugString();
  EXPECT_TRUE(
      Eventually([&] { return NotifierHealth() == grpc::health::v1::HealthCheckResponse::SERVING; },
                 absl::Seconds(10)));
}

}  // namespace
}  // namespace preflight
