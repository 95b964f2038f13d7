#pragma once

// Fixtures of the integration tests in tests/: the service binaries' command lines, calls with a
// deadline, the launches the tests create, health checks, and ServicePairTest, the checklist and
// notifier processes with an HTTP receiver for the delivery tests. Header-only: it uses the paths
// of the binaries (CHECKLIST_SERVICE_BIN, NOTIFIER_SERVICE_BIN) that tests/CMakeLists.txt defines
// for every integration test.

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/peers.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

#if !defined(CHECKLIST_SERVICE_BIN) || !defined(NOTIFIER_SERVICE_BIN)
#error "integration_testing.h is for the integration tests in tests/ (see tests/CMakeLists.txt)"
#endif

namespace preflight::testing {

// ---- Command lines ------------------------------------------------------------------------------

// checklist-service listening on `listen` with its data in `data_dir`, then `extra` (a later flag
// wins over an earlier one).
inline std::vector<std::string> ChecklistArgv(const std::string& listen,
                                              const std::string& data_dir,
                                              const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {CHECKLIST_SERVICE_BIN, "--listen=" + listen,
                                   "--data_dir=" + data_dir};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// notifier-service on a free loopback port with its data in `data_dir`, following the checklist
// service at `checklist_address`, then `extra`.
inline std::vector<std::string> NotifierArgv(const std::string& data_dir,
                                             const std::string& checklist_address,
                                             const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {NOTIFIER_SERVICE_BIN, "--listen=127.0.0.1:0",
                                   "--data_dir=" + data_dir,
                                   "--checklist_addr=" + checklist_address};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// Sends the notifier keeps in flight at once to one webhook endpoint (EngineOptions::max_in_flight
// in notifier-service/engine/engine_options.h): a SIGKILL can interrupt that many, and each is
// resent under its own Idempotency-Key.
inline constexpr int kWebhookSendLanes = 8;

// The built-in policy without quiet hours, so the tests see deliveries at any hour.
inline constexpr char kAnyHourPolicy[] = R"pb(
  default_time_zone: "Asia/Shanghai"
  send_time: "09:30"
  before_start_working_days: [ 3, 0 ]
  before_due_working_days: [ 7, 3, 1 ]
  overdue { every_working_days: 1 escalate_after_working_days: 3 }
  post_launch_working_days: [ 10, 3, 1 ]
  renewal_calendar_days: [ 90, 60, 30, 7 ]
  late_after_minutes: 60
  catch_up_window_days: 30
)pb";

// Makes kAnyHourPolicy the policy of a notifier with its data in `notifier_data_dir`.
inline void WriteAnyHourPolicy(const std::string& notifier_data_dir) {
  ASSERT_EQ(system(("mkdir -p " + notifier_data_dir + "/notifier").c_str()), 0);
  std::ofstream(notifier_data_dir + "/notifier/reminder_policy.textproto") << kAnyHourPolicy;
}

// ---- Calls --------------------------------------------------------------------------------------

// A deadline `timeout` from now, with `actor` as the caller.
inline void SetDeadline(grpc::ClientContext& context, absl::Duration timeout,
                        const std::string& actor = "integration-test") {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(absl::ToInt64Milliseconds(timeout)));
  context.AddMetadata("x-preflight-actor", actor);
}

// One unary call that must succeed, with a 10 s deadline. The services are up; it rides out a
// connection the loaded machine refused (wait_for_ready).
template <typename Request, typename Response, typename Stub>
Response CallOk(Stub* stub,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request) {
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(10));
  context.set_wait_for_ready(true);
  Response response;
  const grpc::Status status = (stub->*method)(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
  return response;
}

// `tenant`'s launch `display_name` owned by `owner`, due `due_in_days` from now: an enterprise on
// its own mainland server, taking payments unless told not to. Due in 20 days, several items are
// already past their latest start, so the notifier has reminders to send at once.
inline v1::CreateLaunchRequest LaunchRequest(const std::string& tenant,
                                             const std::string& display_name,
                                             const std::string& owner,
                                             const std::string& request_id, int due_in_days = 20,
                                             bool takes_payments = true) {
  v1::CreateLaunchRequest request;
  v1::Launch* launch = request.mutable_launch();
  launch->set_tenant(tenant);
  launch->set_display_name(display_name);
  launch->set_owner(owner);
  launch->set_target_launch_date(absl::FormatTime(
      "%Y-%m-%d", absl::Now() + absl::Hours(24 * due_in_days), absl::UTCTimeZone()));
  launch->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_ENTERPRISE);
  launch->mutable_profile()->set_hosting(v1::HOSTING_OWN_MAINLAND_SERVER);
  if (takes_payments) launch->mutable_profile()->set_takes_payments(true);
  request.set_request_id(request_id);
  return request;
}
// Tenant acme's launch "Fault REQUEST_ID" of `owner`, due in 20 days.
inline v1::CreateLaunchRequest LaunchRequest(const std::string& owner,
                                             const std::string& request_id) {
  return LaunchRequest("acme", "Fault " + request_id, owner, request_id);
}

// The health `service` ("": the whole server) at `address` reports; UNKNOWN when the check
// fails.
inline grpc::health::v1::HealthCheckResponse::ServingStatus HealthOf(
    const std::string& address, const std::string& service,
    absl::Duration timeout = absl::Seconds(5)) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  SetDeadline(context, timeout);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  if (!stub->Check(&context, request, &response).ok()) {
    return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

// ---- The pair -----------------------------------------------------------------------------------

// Both services on free loopback ports with their data in a temporary folder, the notifier on
// kAnyHourPolicy and quick to retry, and an HTTP receiver standing in for webhooks and bots.
class ServicePairTest : public ::testing::Test {
 protected:
  // What StartNotifier passes before the test's own flags: a fast tick, quick retries and
  // reconnects, short HTTP timeouts.
  static std::vector<std::string> QuickNotifierFlags() {
    return {"--tick=100ms", "--retry_initial_backoff=200ms", "--retry_max_backoff=1s",
            "--reconnect_max_backoff=500ms", "--http_timeout=1s"};
  }

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<HttpReceiver>> receiver = HttpReceiver::Start();
    ASSERT_TRUE(receiver.ok()) << receiver.status();
    receiver_ = *std::move(receiver);
    WriteAnyHourPolicy(dir_.Join("notifier-data"));
    StartChecklist("127.0.0.1:0");
  }

  void StartChecklist(const std::string& listen) {
    absl::StatusOr<ServiceProcess> checklist =
        StartProcess(ChecklistArgv(listen, dir_.Join("data")));
    ASSERT_TRUE(checklist.ok()) << checklist.status();
    checklist_ = std::make_unique<ServiceProcess>(*std::move(checklist));
    checklist_stub_ = v1::ChecklistService::NewStub(
        grpc::CreateChannel(checklist_->address, grpc::InsecureChannelCredentials()));
  }

  // Later flags win: the test's `extra` override QuickNotifierFlags().
  void StartNotifier(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> flags = QuickNotifierFlags();
    flags.insert(flags.end(), extra.begin(), extra.end());
    absl::StatusOr<ServiceProcess> notifier =
        StartProcess(NotifierArgv(dir_.Join("notifier-data"), checklist_->address, flags));
    ASSERT_TRUE(notifier.ok()) << notifier.status();
    notifier_ = std::make_unique<ServiceProcess>(*std::move(notifier));
    notifier_stub_ = v1::NotifierService::NewStub(
        grpc::CreateChannel(notifier_->address, grpc::InsecureChannelCredentials()));
  }

  template <typename Request, typename Response, typename Stub>
  Response Call(Stub* stub,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request) {
    return CallOk(stub, method, request);
  }

  v1::SubscriptionStatus Subscription() {
    return CallOk(notifier_stub_.get(), &v1::NotifierService::Stub::GetSubscriptionStatus,
                  v1::GetSubscriptionStatusRequest());
  }

  // Every delivery (of `launch`, on `channel`), through every page.
  std::vector<v1::Delivery> Deliveries(const std::string& launch = "",
                                       v1::ChannelType channel = v1::CHANNEL_TYPE_UNSPECIFIED) {
    std::vector<v1::Delivery> all;
    v1::ListDeliveriesRequest request;
    request.set_launch(launch);
    request.set_channel(channel);
    request.set_page_size(500);
    while (true) {
      v1::ListDeliveriesResponse page =
          CallOk(notifier_stub_.get(), &v1::NotifierService::Stub::ListDeliveries, request);
      all.insert(all.end(), page.deliveries().begin(), page.deliveries().end());
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    return all;
  }

  TempDir dir_;
  std::unique_ptr<HttpReceiver> receiver_;
  std::unique_ptr<ServiceProcess> checklist_;
  std::unique_ptr<ServiceProcess> notifier_;
  std::unique_ptr<v1::ChecklistService::Stub> checklist_stub_;
  std::unique_ptr<v1::NotifierService::Stub> notifier_stub_;
};

}  // namespace preflight::testing
