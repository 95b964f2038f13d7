#include "common/server_runner.h"

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tls_certs.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;
using testing::TestPki;

// A serialized grpc.health.v1.HealthCheckRequest asking about `service` (field 1, a string), made
// by hand: the common library has no health stubs, and a generic call needs only bytes.
std::string HealthCheckRequest(const std::string& service) {
  std::string bytes = "\x0a";
  for (uint64_t length = service.size(); true; length >>= 7) {
    if (length < 0x80) {
      bytes.push_back(static_cast<char>(length));
      break;
    }
    bytes.push_back(static_cast<char>((length & 0x7f) | 0x80));
  }
  return bytes + service;
}

// Calls Health.Check on `channel` with a request for `service`; the health service answers OK for
// "" and INVALID_ARGUMENT for a name longer than it accepts (200 bytes): proof that a request
// reached the handler.
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service = "") {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const std::string payload = HealthCheckRequest(service);
  grpc::Slice slice(payload);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  return status;
}

std::shared_ptr<grpc::Channel> Connect(int port, const ClientTls& tls = ClientTls(),
                                       const std::string& host = "127.0.0.1") {
  grpc::ChannelArguments args;
  tls.Apply(args);
  return grpc::CreateCustomChannel(host + ":" + std::to_string(port), tls.credentials, args);
}

ClientTls LoadedClientTls(const ClientTlsOptions& options) {
  absl::StatusOr<ClientTls> tls = LoadClientTls(options);
  EXPECT_TRUE(tls.ok()) << tls.status();
  return tls.ok() ? *tls : ClientTls();
}

StartedServer Start(const ServerOptions& options) {
  absl::StatusOr<StartedServer> started = StartServer(options, {});
  EXPECT_TRUE(started.ok()) << started.status();
  return started.ok() ? *std::move(started) : StartedServer();
}

ServerOptions Plain() {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.process_name = "test";
  options.shutdown_grace = absl::Milliseconds(100);
  return options;
}

TEST(ServerRunnerTest, RejectsRequestsAboveTheCap) {
  ServerOptions options = Plain();
  options.max_receive_message_bytes = 1024;
  StartedServer server = Start(options);
  ASSERT_NE(server.server, nullptr);
  std::shared_ptr<grpc::Channel> channel = Connect(server.port);
  // Under the cap the request reaches the health service, which finds the name too long.
  EXPECT_EQ(CheckHealth(channel, std::string(900, 'a')).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  const grpc::Status too_big = CheckHealth(channel, std::string(2000, 'a'));
  EXPECT_EQ(too_big.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << too_big.error_message();
  server.server->Shutdown();
}

TEST(ServerRunnerTest, DefaultCapIsFourMebibytes) {
  EXPECT_EQ(ServerOptions().max_receive_message_bytes, 4 * 1024 * 1024);
  StartedServer server = Start(Plain());
  ASSERT_NE(server.server, nullptr);
  std::shared_ptr<grpc::Channel> channel = Connect(server.port);
  EXPECT_EQ(CheckHealth(channel, std::string(3 << 20, 'a')).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CheckHealth(channel, std::string(5 << 20, 'a')).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  server.server->Shutdown();
}

class ServerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestPki> pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
  }

  StartedServer StartTls(const std::string& client_ca = "") {
    ServerOptions options = Plain();
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = PrepareListener(
        "test", options.listen_address,
        ServerTlsOptions{pki_.server.cert_path, pki_.server.key_path, client_ca}, false, false);
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    if (!credentials.ok()) return StartedServer();
    options.credentials = *credentials;
    return Start(options);
  }

  ClientTls TrustingCa(bool with_client_cert = false) {
    ClientTlsOptions options;
    options.ca_file = pki_.ca.cert_path;
    if (with_client_cert) {
      options.cert_file = pki_.client.cert_path;
      options.key_file = pki_.client.key_path;
    }
    return LoadedClientTls(options);
  }

  TempDir dir_;
  TestPki pki_;
};

TEST_F(ServerTlsTest, TlsServerServesClientsThatTrustItsCa) {
  StartedServer server = StartTls();
  ASSERT_NE(server.server, nullptr);
  EXPECT_TRUE(CheckHealth(Connect(server.port, TrustingCa())).ok());
  // The certificate names localhost too; checked on 127.0.0.1 with the name overridden, since a
  // fresh Debian root has no /etc/hosts and "localhost" need not resolve there.
  ClientTlsOptions by_name;
  by_name.ca_file = pki_.ca.cert_path;
  by_name.server_name = "localhost";
  EXPECT_TRUE(CheckHealth(Connect(server.port, LoadedClientTls(by_name))).ok());
  // Plaintext does not get through to a TLS listener.
  EXPECT_EQ(CheckHealth(Connect(server.port)).error_code(), grpc::StatusCode::UNAVAILABLE);
  server.server->Shutdown();
}

TEST_F(ServerTlsTest, ClientsRefuseAServerTheirCaDidNotIssue) {
  StartedServer server = StartTls();
  ASSERT_NE(server.server, nullptr);
  TempDir other_dir;
  absl::StatusOr<testing::CaFiles> other_ca = testing::MakeCa(other_dir.path(), "other-ca");
  ASSERT_TRUE(other_ca.ok()) << other_ca.status();
  ClientTlsOptions options;
  options.ca_file = other_ca->cert_path;
  EXPECT_EQ(CheckHealth(Connect(server.port, LoadedClientTls(options))).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  server.server->Shutdown();
}

TEST_F(ServerTlsTest, ServerNameOverrideMatchesACertificateForAnotherName) {
  absl::StatusOr<testing::CertFiles> named = testing::MakeSignedCert(
      dir_.path(), "named", pki_.ca, "checklist.internal", {"DNS:checklist.internal"});
  ASSERT_TRUE(named.ok()) << named.status();
  ServerOptions options = Plain();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      LoadServerCredentials(ServerTlsOptions{named->cert_path, named->key_path, ""});
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  options.credentials = *credentials;
  StartedServer server = Start(options);
  ASSERT_NE(server.server, nullptr);

  // Connecting by IP, the certificate does not match...
  EXPECT_EQ(CheckHealth(Connect(server.port, TrustingCa())).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // ...unless the client is told which name to expect.
  ClientTlsOptions client;
  client.ca_file = pki_.ca.cert_path;
  client.server_name = "checklist.internal";
  EXPECT_TRUE(CheckHealth(Connect(server.port, LoadedClientTls(client))).ok());
  client.server_name = "other.internal";
  EXPECT_EQ(CheckHealth(Connect(server.port, LoadedClientTls(client))).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  server.server->Shutdown();
}

TEST_F(ServerTlsTest, MutualTlsRequiresAClientCertificateFromTheClientCa) {
  StartedServer server = StartTls(pki_.ca.cert_path);
  ASSERT_NE(server.server, nullptr);
  EXPECT_TRUE(CheckHealth(Connect(server.port, TrustingCa(/*with_client_cert=*/true))).ok());
  EXPECT_EQ(CheckHealth(Connect(server.port, TrustingCa())).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // A client certificate from another CA is refused too.
  TempDir other_dir;
  absl::StatusOr<testing::CaFiles> other_ca = testing::MakeCa(other_dir.path(), "other-ca");
  ASSERT_TRUE(other_ca.ok()) << other_ca.status();
  absl::StatusOr<testing::CertFiles> stranger =
      testing::MakeSignedCert(other_dir.path(), "stranger", *other_ca, "stranger", {});
  ASSERT_TRUE(stranger.ok()) << stranger.status();
  ClientTlsOptions options;
  options.ca_file = pki_.ca.cert_path;
  options.cert_file = stranger->cert_path;
  options.key_file = stranger->key_path;
  EXPECT_EQ(CheckHealth(Connect(server.port, LoadedClientTls(options))).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  server.server->Shutdown();
}

TEST(PrepareListenerTest, RefusesNonLoopbackWithoutTlsAndAuthentication) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      PrepareListener("test", "0.0.0.0:0", ServerTlsOptions{}, false, false);
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(credentials.status().message(), HasSubstr("--insecure"));
}

TEST(PrepareListenerTest, InsecureWarnsOnStderr) {
  ::testing::internal::CaptureStderr();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      PrepareListener("test-service", "0.0.0.0:0", ServerTlsOptions{}, false, true);
  const std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
  EXPECT_THAT(err,
              HasSubstr("test-service: WARNING: --insecure: accepting connections on 0.0.0.0:0"));

  ::testing::internal::CaptureStderr();
  credentials = PrepareListener("test-service", "127.0.0.1:0", ServerTlsOptions{}, false, true);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
}

TEST(PrepareListenerTest, ReportsBadTlsFiles) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = PrepareListener(
      "test", "127.0.0.1:0", ServerTlsOptions{"/nonexistent/cert.pem", "/nonexistent/key.pem", ""},
      false, false);
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(credentials.status().message(), HasSubstr("--tls_cert=/nonexistent/cert.pem"));
}

}  // namespace
}  // namespace preflight
