// Transport security through the real binaries: TLS and mutual TLS on both services, the CLI's
// --tls_* flags, the notifier following a TLS checklist service, the refusal to listen beyond
// loopback without TLS and authentication (and --insecure), and the cap on request size. The
// certificates are made at test time by tests/testing/tls_certs.h.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/tls_options.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tls_certs.h"

namespace preflight {
namespace {

using testing::CommandResult;
using testing::Eventually;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ServiceProcess;
using testing::StartProcess;
using testing::TempDir;
using testing::TestPki;

constexpr absl::Duration kStartTimeout = absl::Seconds(20);

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestPki> pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
  }

  std::vector<std::string> ServerTlsFlags(bool mutual = false) const {
    std::vector<std::string> flags = {"--tls_cert=" + pki_.server.cert_path,
                                      "--tls_key=" + pki_.server.key_path};
    if (mutual) flags.push_back("--tls_client_ca=" + pki_.ca.cert_path);
    return flags;
  }

  std::vector<std::string> ClientCertFlags() const {
    return {"--tls_cert=" + pki_.client.cert_path, "--tls_key=" + pki_.client.key_path};
  }

  absl::StatusOr<ServiceProcess> StartChecklist(const std::vector<std::string>& extra) {
    return StartProcess(testing::ChecklistArgv("127.0.0.1:0", dir_.Join("data"), extra));
  }

  // `preflight ARGS...` with a short timeout: a refused connection fails fast either way.
  CommandResult Cli(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {PREFLIGHT_CLI_BIN, "--actor=tls-test", "--timeout=5s"};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<CommandResult> result = testing::RunCommand(argv, absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }

  // Runs a service binary that is expected to exit by itself.
  CommandResult RunToExit(std::vector<std::string> argv) {
    argv.push_back("--data_dir=" + dir_.Join("data"));
    absl::StatusOr<CommandResult> result = testing::RunCommand(argv, absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }

  std::shared_ptr<grpc::Channel> Channel(const std::string& address, const ClientTlsOptions& tls) {
    absl::StatusOr<ClientTls> loaded = LoadClientTls(tls);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    if (!loaded.ok()) return nullptr;
    grpc::ChannelArguments args;
    loaded->Apply(args);
    return grpc::CreateCustomChannel(address, loaded->credentials, args);
  }

  TempDir dir_;
  TestPki pki_;
};

v1::CreateLaunchRequest NewLaunch(const std::string& request_id, const std::string& name) {
  return testing::LaunchRequest("acme", name, "owner@example.com", request_id,
                                /*due_in_days=*/40, /*takes_payments=*/false);
}

TEST_F(TlsTest, ChecklistOverTlsIsReachableOnlyByClientsThatTrustIt) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist(ServerTlsFlags());
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  const std::string server = "--server=" + checklist->address;

  const CommandResult trusted = Cli({server, "--tls_ca=" + pki_.ca.cert_path, "templates"});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.output;
  EXPECT_THAT(trusted.output, HasSubstr("wechat"));
  // The certificate names localhost as well as 127.0.0.1. Checked by name without resolving it:
  // a fresh Debian root has no /etc/hosts, so "localhost" need not resolve there.
  const CommandResult by_name =
      Cli({server, "--tls_ca=" + pki_.ca.cert_path, "--tls_server_name=localhost", "templates"});
  EXPECT_EQ(by_name.exit_code, 0) << by_name.output;

  // Plaintext is refused.
  const CommandResult plaintext = Cli({server, "templates"});
  EXPECT_EQ(plaintext.exit_code, 1) << plaintext.output;
  EXPECT_THAT(plaintext.output, HasSubstr("error: "));
  EXPECT_THAT(plaintext.output, Not(HasSubstr("wechat")));

  // So is a client that trusts another CA, or expects another name.
  TempDir other_dir;
  absl::StatusOr<testing::CaFiles> other_ca = testing::MakeCa(other_dir.path(), "other-ca");
  ASSERT_TRUE(other_ca.ok()) << other_ca.status();
  const CommandResult wrong_ca = Cli({server, "--tls_ca=" + other_ca->cert_path, "templates"});
  EXPECT_EQ(wrong_ca.exit_code, 1) << wrong_ca.output;
  EXPECT_THAT(wrong_ca.output, HasSubstr("UNAVAILABLE"));
  const CommandResult wrong_name = Cli({server, "--tls_ca=" + pki_.ca.cert_path,
                                        "--tls_server_name=checklist.example.com", "templates"});
  EXPECT_EQ(wrong_name.exit_code, 1) << wrong_name.output;
  EXPECT_THAT(wrong_name.output, HasSubstr("UNAVAILABLE"));
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificate) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist(ServerTlsFlags(/*mutual=*/true));
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  const std::string server = "--server=" + checklist->address;
  const std::string ca = "--tls_ca=" + pki_.ca.cert_path;

  const CommandResult without_cert = Cli({server, ca, "templates"});
  EXPECT_EQ(without_cert.exit_code, 1) << without_cert.output;
  EXPECT_THAT(without_cert.output, HasSubstr("UNAVAILABLE"));

  std::vector<std::string> with_cert = {server, ca};
  for (const std::string& flag : ClientCertFlags()) with_cert.push_back(flag);
  with_cert.push_back("templates");
  const CommandResult accepted = Cli(with_cert);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.output;
  EXPECT_THAT(accepted.output, HasSubstr("wechat"));
}

TEST_F(TlsTest, CliRejectsIncompleteOrUnreadableTlsFlags) {
  const CommandResult cert_only =
      Cli({"--tls_cert=" + pki_.client.cert_path, "--server=127.0.0.1:1", "templates"});
  EXPECT_EQ(cert_only.exit_code, 2) << cert_only.output;
  EXPECT_THAT(cert_only.output, HasSubstr("--tls_cert and --tls_key must be given together"));

  const CommandResult missing = Cli({"--tls_ca=" + dir_.Join("nope.pem"), "templates"});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("--tls_ca=" + dir_.Join("nope.pem") + ": cannot read"));

  const CommandResult mismatched =
      Cli({"--tls_ca=" + pki_.ca.cert_path, "--tls_cert=" + pki_.client.cert_path,
           "--tls_key=" + pki_.server.key_path, "templates"});
  EXPECT_EQ(mismatched.exit_code, 2) << mismatched.output;
  EXPECT_THAT(mismatched.output, HasSubstr("is not the key of the certificate"));
}

TEST_F(TlsTest, NotifierFollowsAChecklistOverMutualTls) {
  // The checklist's certificate names only checklist.internal, so the notifier must be told to
  // expect that name while it connects by IP.
  absl::StatusOr<testing::CertFiles> named = testing::MakeSignedCert(
      dir_.path(), "checklist", pki_.ca, "checklist.internal", {"DNS:checklist.internal"});
  ASSERT_TRUE(named.ok()) << named.status();
  absl::StatusOr<ServiceProcess> checklist =
      StartChecklist({"--tls_cert=" + named->cert_path, "--tls_key=" + named->key_path,
                      "--tls_client_ca=" + pki_.ca.cert_path});
  ASSERT_TRUE(checklist.ok()) << checklist.status();

  std::vector<std::string> notifier_argv = testing::NotifierArgv(
      dir_.Join("notifier-data"), checklist->address,
      {"--checklist_tls_ca=" + pki_.ca.cert_path, "--checklist_tls_cert=" + pki_.client.cert_path,
       "--checklist_tls_key=" + pki_.client.key_path,
       "--checklist_tls_server_name=checklist.internal", "--reconnect_max_backoff=500ms",
       "--tick=100ms"});
  for (const std::string& flag : ServerTlsFlags()) notifier_argv.push_back(flag);
  absl::StatusOr<ServiceProcess> notifier = StartProcess(notifier_argv);
  ASSERT_TRUE(notifier.ok()) << notifier.status();

  ClientTlsOptions client;
  client.ca_file = pki_.ca.cert_path;
  client.cert_file = pki_.client.cert_path;
  client.key_file = pki_.client.key_path;
  client.server_name = "checklist.internal";
  std::unique_ptr<v1::ChecklistService::Stub> checklist_stub =
      v1::ChecklistService::NewStub(Channel(checklist->address, client));
  grpc::ClientContext create_context;
  create_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  create_context.AddMetadata("x-preflight-actor", "tls-test");
  v1::Launch launch;
  const grpc::Status created =
      checklist_stub->CreateLaunch(&create_context, NewLaunch("tls-1", "Acme over TLS"), &launch);
  ASSERT_TRUE(created.ok()) << created.error_message();

  ClientTlsOptions notifier_client;
  notifier_client.ca_file = pki_.ca.cert_path;
  std::unique_ptr<v1::NotifierService::Stub> notifier_stub =
      v1::NotifierService::NewStub(Channel(notifier->address, notifier_client));
  v1::SubscriptionStatus status;
  EXPECT_TRUE(Eventually(
      [&] {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        return notifier_stub
                   ->GetSubscriptionStatus(&context, v1::GetSubscriptionStatusRequest(), &status)
                   .ok() &&
               status.connected() && status.applied_sequence() >= 1;
      },
      absl::Seconds(30)))
      << status.DebugString() << "\nnotifier output:\n"
      << notifier->process.output();

  // The CLI reaches the TLS notifier with the same flags.
  const CommandResult subscription =
      Cli({"--notifier=" + notifier->address, "--tls_ca=" + pki_.ca.cert_path, "--json",
           "subscription"});
  EXPECT_EQ(subscription.exit_code, 0) << subscription.output;
  EXPECT_THAT(subscription.output, HasSubstr("\"connected\": true"));
}

TEST_F(TlsTest, NotifierWithoutTheChecklistsCaDoesNotConnect) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist(ServerTlsFlags());
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  absl::StatusOr<ServiceProcess> notifier = StartProcess(testing::NotifierArgv(
      dir_.Join("notifier-data"), checklist->address, {"--reconnect_max_backoff=500ms"}));
  ASSERT_TRUE(notifier.ok()) << notifier.status();
  // A plaintext subscriber keeps failing and says so; it never counts as connected.
  EXPECT_TRUE(notifier->process.WaitForLine("event subscriber", kStartTimeout).ok())
      << notifier->process.output();
  const CommandResult subscription = Cli({"--notifier=" + notifier->address, "subscription"});
  EXPECT_EQ(subscription.exit_code, 0) << subscription.output;
  EXPECT_THAT(subscription.output, HasSubstr("NOT CONNECTED"));
}

TEST_F(TlsTest, NotifierRejectsBadChecklistTlsFlags) {
  const CommandResult result = RunToExit({NOTIFIER_SERVICE_BIN, "--listen=127.0.0.1:0",
                                          "--checklist_tls_cert=" + pki_.client.cert_path});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output,
              HasSubstr("--checklist_tls_cert and --checklist_tls_key must be given together"));
}

TEST_F(TlsTest, ServicesRefuseToListenBeyondLoopbackWithoutTlsAndAuthentication) {
  for (const char* binary : {CHECKLIST_SERVICE_BIN, NOTIFIER_SERVICE_BIN}) {
    for (const char* listen : {"0.0.0.0:0", "[::]:0"}) {
      const CommandResult result = RunToExit({binary, std::string("--listen=") + listen});
      EXPECT_EQ(result.exit_code, 1) << binary << " " << listen << ": " << result.output;
      EXPECT_THAT(result.output, HasSubstr(absl::StrCat("refusing to listen on ", listen)));
      EXPECT_THAT(result.output, HasSubstr("--tls_cert"));
      EXPECT_THAT(result.output, HasSubstr("--insecure"));
      EXPECT_THAT(result.output, Not(HasSubstr("listening on")));
    }
    // TLS alone is not enough: callers must be authenticated too.
    std::vector<std::string> argv = {binary, "--listen=0.0.0.0:0"};
    for (const std::string& flag : ServerTlsFlags()) argv.push_back(flag);
    const CommandResult tls_only = RunToExit(argv);
    EXPECT_EQ(tls_only.exit_code, 1) << tls_only.output;
    EXPECT_THAT(tls_only.output, HasSubstr("authentication"));
  }
}

TEST_F(TlsTest, ChecklistWithTlsAndRequiredAuthenticationListensBeyondLoopback) {
  std::vector<std::string> flags = ServerTlsFlags();
  flags.push_back("--require_auth");
  flags.push_back("--listen=0.0.0.0:0");
  absl::StatusOr<ServiceProcess> checklist = StartChecklist(flags);
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  EXPECT_THAT(checklist->process.output(), Not(HasSubstr("WARNING")));
}

TEST_F(TlsTest, InsecureListensBeyondLoopbackWithAWarning) {
  for (const char* binary : {CHECKLIST_SERVICE_BIN, NOTIFIER_SERVICE_BIN}) {
    absl::StatusOr<ServiceProcess> running = StartProcess(
        {binary, "--listen=0.0.0.0:0", "--insecure",
         "--data_dir=" + dir_.Join(absl::StrCat("insecure-", absl::ToUnixNanos(absl::Now())))});
    ASSERT_TRUE(running.ok()) << binary << ": " << running.status();
    EXPECT_THAT(running->process.output(),
                HasSubstr("WARNING: --insecure: accepting connections on 0.0.0.0:0 without TLS"));
    const bool checklist = absl::StrContains(binary, "checklist");
    const CommandResult reached = checklist
                                      ? Cli({"--server=" + running->address, "templates"})
                                      : Cli({"--notifier=" + running->address, "subscription"});
    EXPECT_EQ(reached.exit_code, 0) << reached.output;
  }
}

TEST_F(TlsTest, OversizedRequestsAreRejected) {
  absl::StatusOr<ServiceProcess> checklist = StartChecklist({});
  ASSERT_TRUE(checklist.ok()) << checklist.status();
  std::unique_ptr<v1::ChecklistService::Stub> stub =
      v1::ChecklistService::NewStub(Channel(checklist->address, ClientTlsOptions{}));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context.AddMetadata("x-preflight-actor", "tls-test");
  v1::Launch launch;
  const grpc::Status status =
      stub->CreateLaunch(&context, NewLaunch("huge-1", std::string(5 * 1024 * 1024, 'x')), &launch);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();

  // The service is unharmed and still takes ordinary requests.
  grpc::ClientContext again;
  again.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  again.AddMetadata("x-preflight-actor", "tls-test");
  const grpc::Status ordinary =
      stub->CreateLaunch(&again, NewLaunch("small-1", "Acme small"), &launch);
  EXPECT_TRUE(ordinary.ok()) << ordinary.error_message();
}

}  // namespace
}  // namespace preflight
