#include "common/tls_options.h"

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "grpc/grpc_security_constants.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tls_certs.h"

namespace preflight {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::TestPki;

class TlsOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestPki> pki = testing::MakeTestPki(dir_.path());
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = *pki;
    std::ofstream(dir_.Join("not-pem.txt")) << "hello\n";
  }

  TempDir dir_;
  TestPki pki_;
};

// The value of a string channel argument, or "" when it is not set.
std::string StringArgument(const grpc::ChannelArguments& args, const char* key) {
  grpc_channel_args raw;
  args.SetChannelArgs(&raw);
  for (size_t i = 0; i < raw.num_args; ++i) {
    if (std::string(raw.args[i].key) == key && raw.args[i].type == GRPC_ARG_STRING) {
      return raw.args[i].value.string;
    }
  }
  return "";
}

TEST_F(TlsOptionsTest, ServerWithoutFilesIsPlaintext) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      LoadServerCredentials(ServerTlsOptions{});
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
}

TEST_F(TlsOptionsTest, ServerTlsAndMutualTlsLoad) {
  ServerTlsOptions options{pki_.server.cert_path, pki_.server.key_path, ""};
  EXPECT_TRUE(options.enabled());
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> tls = LoadServerCredentials(options);
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_NE(*tls, nullptr);
  options.client_ca_file = pki_.ca.cert_path;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> mtls = LoadServerCredentials(options);
  ASSERT_TRUE(mtls.ok()) << mtls.status();
}

TEST_F(TlsOptionsTest, ServerRejectsIncompleteOrWrongFiles) {
  struct Case {
    ServerTlsOptions options;
    std::string expected;
  };
  const std::string missing = dir_.Join("missing.pem");
  const std::string not_pem = dir_.Join("not-pem.txt");
  const Case cases[] = {
      {{pki_.server.cert_path, "", ""}, "--tls_cert and --tls_key must be given together"},
      {{"", pki_.server.key_path, ""}, "--tls_cert and --tls_key must be given together"},
      {{"", "", pki_.ca.cert_path}, "--tls_cert and --tls_key must be given together"},
      {{missing, pki_.server.key_path, ""}, "--tls_cert=" + missing + ": cannot read"},
      {{pki_.server.cert_path, missing, ""}, "--tls_key=" + missing + ": cannot read"},
      {{not_pem, pki_.server.key_path, ""}, "--tls_cert=" + not_pem + ": holds no PEM certificate"},
      {{pki_.server.cert_path, not_pem, ""}, "--tls_key=" + not_pem + ": holds no unencrypted"},
      // A key is no certificate.
      {{pki_.server.key_path, pki_.server.key_path, ""}, "holds no PEM certificate"},
      {{pki_.server.cert_path, pki_.client.key_path, ""},
       "--tls_key=" + pki_.client.key_path + " is not the key of the certificate in --tls_cert="},
      {{pki_.server.cert_path, pki_.server.key_path, not_pem},
       "--tls_client_ca=" + not_pem + ": holds no PEM certificate"},
      {{pki_.server.cert_path, pki_.server.key_path, missing}, "--tls_client_ca=" + missing},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
        LoadServerCredentials(c.options);
    EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument) << c.expected;
    EXPECT_THAT(credentials.status().message(), HasSubstr(c.expected));
  }
}

TEST_F(TlsOptionsTest, ClientWithoutOptionsIsPlaintext) {
  absl::StatusOr<ClientTls> tls = LoadClientTls(ClientTlsOptions{});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_FALSE(tls->tls);
  EXPECT_NE(tls->credentials, nullptr);
  // A default ClientTls is plaintext too.
  EXPECT_NE(ClientTls().credentials, nullptr);
  EXPECT_FALSE(ClientTls().tls);
}

TEST_F(TlsOptionsTest, ClientTlsLoadsAndAppliesTheServerName) {
  ClientTlsOptions options;
  options.ca_file = pki_.ca.cert_path;
  options.cert_file = pki_.client.cert_path;
  options.key_file = pki_.client.key_path;
  options.server_name = "checklist.internal";
  absl::StatusOr<ClientTls> tls = LoadClientTls(options);
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_TRUE(tls->tls);
  grpc::ChannelArguments args;
  tls->Apply(args);
  EXPECT_EQ(StringArgument(args, GRPC_SSL_TARGET_NAME_OVERRIDE_ARG), "checklist.internal");

  // Without a server name nothing is overridden.
  options.server_name.clear();
  tls = LoadClientTls(options);
  ASSERT_TRUE(tls.ok()) << tls.status();
  grpc::ChannelArguments plain_args;
  tls->Apply(plain_args);
  EXPECT_EQ(StringArgument(plain_args, GRPC_SSL_TARGET_NAME_OVERRIDE_ARG), "");
}

TEST_F(TlsOptionsTest, ServerNameAloneTurnsOnTlsWithSystemRoots) {
  ClientTlsOptions options;
  options.server_name = "checklist.example.com";
  absl::StatusOr<ClientTls> tls = LoadClientTls(options);
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_TRUE(tls->tls);
}

TEST_F(TlsOptionsTest, ClientErrorsNameTheFlagsWithTheirPrefix) {
  ClientTlsOptions options;
  options.cert_file = pki_.client.cert_path;
  absl::StatusOr<ClientTls> tls = LoadClientTls(options, "checklist_tls_");
  EXPECT_EQ(tls.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(tls.status().message(),
              HasSubstr("--checklist_tls_cert and --checklist_tls_key must be given together"));

  options = ClientTlsOptions();
  options.ca_file = dir_.Join("nope.pem");
  tls = LoadClientTls(options, "tls_");
  EXPECT_EQ(tls.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(tls.status().message(), AllOf(HasSubstr("--tls_ca="), HasSubstr("nope.pem")));

  options.ca_file = pki_.ca.cert_path;
  options.cert_file = pki_.client.cert_path;
  options.key_file = pki_.server.key_path;
  tls = LoadClientTls(options, "tls_");
  EXPECT_THAT(tls.status().message(),
              HasSubstr("is not the key of the certificate in --tls_cert="));
}

}  // namespace
}  // namespace preflight
