// The services' Prometheus metrics as an operator checks them: Debian's promtool lints what
// both serve, and a real Prometheus scrapes both and answers queries over what they report.

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
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

namespace preflight {
namespace {

using ::preflight::testing::Eventually;
using ::preflight::testing::ServiceProcess;
using ::preflight::testing::StartProcess;
using ::testing::HasSubstr;

// The URL the service logged for its metrics endpoint.
std::string MetricsUrl(const ServiceProcess& service) {
  std::smatch match;
  const std::string& output = service.process.output();
  if (!std::regex_search(output, match, std::regex(R"(metrics on (http://[0-9.:]+/metrics))"))) {
    return "";
  }
  return match[1];
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ServiceProcess> checklist = StartProcess(testing::ChecklistArgv(
        "127.0.0.1:0", dir_.Join("checklist"), {"--metrics_listen=127.0.0.1:0"}));
    ASSERT_TRUE(checklist.ok()) << checklist.status();
    checklist_ = std::make_unique<ServiceProcess>(*std::move(checklist));
    absl::StatusOr<ServiceProcess> notifier =
        StartProcess(testing::NotifierArgv(dir_.Join("notifier"), checklist_->address,
                                           {"--metrics_listen=127.0.0.1:0", "--tick=200ms"}));
    ASSERT_TRUE(notifier.ok()) << notifier.status();
    notifier_ = std::make_unique<ServiceProcess>(*std::move(notifier));
    ASSERT_FALSE(MetricsUrl(*checklist_).empty()) << checklist_->process.output();
    ASSERT_FALSE(MetricsUrl(*notifier_).empty()) << notifier_->process.output();

    // Something to count: two launches, so there are events, items and reminders.
    auto stub = v1::ChecklistService::NewStub(
        grpc::CreateChannel(checklist_->address, grpc::InsecureChannelCredentials()));
    for (const char* id : {"metrics-1", "metrics-2"}) {
      grpc::ClientContext context;
      testing::SetDeadline(context, absl::Seconds(10));
      v1::Launch created;
      const grpc::Status status =
          stub->CreateLaunch(&context, testing::LaunchRequest("owner@example.com", id), &created);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    grpc::ClientContext context;
    testing::SetDeadline(context, absl::Seconds(10));
    v1::GetLaunchRequest missing;
    missing.set_name("launches/none");
    v1::Launch ignored;
    ASSERT_EQ(stub->GetLaunch(&context, missing, &ignored).error_code(),
              grpc::StatusCode::NOT_FOUND);
    auto notifier_stub = v1::NotifierService::NewStub(
        grpc::CreateChannel(notifier_->address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext status_context;
    testing::SetDeadline(status_context, absl::Seconds(10));
    v1::SubscriptionStatus subscription;
    ASSERT_TRUE(notifier_stub
                    ->GetSubscriptionStatus(&status_context, v1::GetSubscriptionStatusRequest(),
                                            &subscription)
                    .ok());
  }

  testing::CommandResult Run(const std::vector<std::string>& argv) {
    absl::StatusOr<testing::CommandResult> result = testing::RunCommand(argv, absl::Seconds(60));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::CommandResult{};
  }

  testing::TempDir dir_;
  std::unique_ptr<ServiceProcess> checklist_;
  std::unique_ptr<ServiceProcess> notifier_;
};

TEST_F(MetricsTest, PromtoolAcceptsWhatBothServicesServe) {
  for (const ServiceProcess* service : {checklist_.get(), notifier_.get()}) {
    absl::StatusOr<std::string> text = testing::HttpGet(MetricsUrl(*service));
    ASSERT_TRUE(text.ok()) << text.status();
    const std::string path = dir_.Join("metrics.txt");
    std::ofstream(path) << *text;
    const testing::CommandResult lint =
        Run({"/bin/sh", "-c", absl::StrCat("promtool check metrics < ", path)});
    EXPECT_EQ(lint.exit_code, 0) << lint.output << "\n" << *text;
    EXPECT_THAT(*text, HasSubstr("grpc_server_handled_total{"));
    EXPECT_THAT(*text, HasSubstr("grpc_server_handling_seconds_bucket{"));
    EXPECT_THAT(*text, HasSubstr("process_resident_memory_bytes "));
    EXPECT_THAT(*text, HasSubstr("preflight_build_info{"));
  }
}

// The value of an instant query with exactly one series, or nullopt.
std::optional<double> QueryOne(int port, const std::string& promql) {
  testing::HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = absl::StrCat("http://127.0.0.1:", port, "/api/v1/query");
  exchange.headers = {"Content-Type: application/x-www-form-urlencoded"};
  std::string encoded;
  for (const char c : promql) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      encoded.push_back(c);
    } else {
      absl::StrAppend(&encoded, "%", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
    }
  }
  exchange.body = "query=" + encoded;
  absl::StatusOr<testing::HttpAnswer> answer = testing::HttpCall(exchange);
  if (!answer.ok() || answer->status != 200) return std::nullopt;
  const nlohmann::json parsed = nlohmann::json::parse(answer->body, nullptr, false);
  if (parsed.is_discarded() || parsed["status"] != "success") return std::nullopt;
  const nlohmann::json& result = parsed["data"]["result"];
  if (!result.is_array() || result.size() != 1) return std::nullopt;
  double value = 0;
  if (!absl::SimpleAtod(result[0]["value"][1].get<std::string>(), &value)) return std::nullopt;
  return value;
}

TEST_F(MetricsTest, ARealPrometheusScrapesBothServices) {
  const auto target = [](const ServiceProcess& service) {
    const std::string url = MetricsUrl(service);
    return url.substr(strlen("http://"), url.size() - strlen("http://") - strlen("/metrics"));
  };
  const std::string config = dir_.Join("prometheus.yml");
  std::ofstream(config) << "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                        << "scrape_configs:\n"
                        << "  - job_name: checklist\n    static_configs:\n      - targets: ['"
                        << target(*checklist_) << "']\n"
                        << "  - job_name: notifier\n    static_configs:\n      - targets: ['"
                        << target(*notifier_) << "']\n";
  const int port = ::preflight::testing::UnusedLoopbackPort();
  absl::StatusOr<testing::Subprocess> prometheus = testing::Subprocess::Start(
      {"/usr/bin/prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir_.Join("tsdb"),
       absl::StrCat("--web.listen-address=127.0.0.1:", port), "--log.level=warn"});
  ASSERT_TRUE(prometheus.ok()) << prometheus.status();

  // Both targets up, as Prometheus itself reports after scraping them.
  for (const char* job : {"checklist", "notifier"}) {
    EXPECT_TRUE(
        Eventually([&] { return QueryOne(port, absl::StrCat("up{job=\"", job, "\"}")) == 1.0; },
                   absl::Seconds(60), absl::Milliseconds(250)))
        << job << " was never scraped successfully; prometheus said:\n"
        << prometheus->output();
  }
  // What they report: two launches' events at the head of the log, the notifier caught up with
  // it, the calls counted by method and code.
  EXPECT_TRUE(Eventually(
      [&] {
        const std::optional<double> head =
            QueryOne(port, "preflight_checklist_event_sequence{job=\"checklist\"}");
        const std::optional<double> applied =
            QueryOne(port, "preflight_notifier_stream_applied_sequence{job=\"notifier\"}");
        const std::optional<double> lag =
            QueryOne(port, "preflight_notifier_stream_lag_events{job=\"notifier\"}");
        return head.has_value() && *head > 2 && applied == head && lag == 0.0;
      },
      absl::Seconds(30), absl::Milliseconds(250)));
  EXPECT_EQ(QueryOne(port, "sum(preflight_checklist_launches{job=\"checklist\"})"), 2.0);
  EXPECT_EQ(QueryOne(port,
                     "grpc_server_handled_total{job=\"checklist\",grpc_method=\"CreateLaunch\","
                     "grpc_code=\"OK\"}"),
            2.0);
  EXPECT_EQ(QueryOne(port,
                     "grpc_server_handled_total{job=\"checklist\",grpc_method=\"GetLaunch\","
                     "grpc_code=\"NOT_FOUND\"}"),
            1.0);
  EXPECT_EQ(QueryOne(port, "preflight_notifier_stream_connected{job=\"notifier\"}"), 1.0);
  EXPECT_EQ(QueryOne(port, "preflight_checklist_watchers{job=\"checklist\"}"), 1.0);
}

}  // namespace
}  // namespace preflight
