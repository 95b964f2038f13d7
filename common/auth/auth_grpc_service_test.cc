// The AuthService through a real in-process gRPC server (issue 9): no tokens without
// authentication (they would stay valid once it is turned on, and any local caller could make
// them), and hostile input answered shortly, naming the field.

#include "common/auth/auth_grpc_service.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/local_auth.h"
#include "common/clock.h"
#include "common/server_runner.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/loopback_channel.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace preflight::auth {
namespace {

using ::testing::HasSubstr;
using testing::kHugeBytes;

class AuthGrpcServiceTest : public ::testing::Test {
 protected:
  void Serve(bool require_auth) {
    absl::StatusOr<LocalAuth> auth =
        SetUpLocalAuth(dir_.path(), require_auth, &clock_, PageTokenCodec("key"));
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = std::make_unique<LocalAuth>(*std::move(auth));
    absl::StatusOr<StartedServer> started =
        StartServer(ServerOptions{"127.0.0.1:0", "test"}, {auth_->grpc_service.get()});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started->server);
    stub_ = v1::AuthService::NewStub(testing::ConnectedLoopbackChannel(started->port));
    if (require_auth) {
      std::ifstream file(dir_.Join(kBootstrapTokenFile));
      std::stringstream text;
      text << file.rdbuf();
      admin_token_ = std::string(absl::StripAsciiWhitespace(text.str()));
      ASSERT_FALSE(admin_token_.empty());
    }
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!admin_token_.empty()) {
      context->AddMetadata("authorization", absl::StrCat("Bearer ", admin_token_));
    }
    return context;
  }

  grpc::Status CreateToken(const std::string& tenant, const std::string& display_name,
                           v1::CreateTokenResponse* out = nullptr) {
    v1::CreateTokenRequest request;
    request.mutable_token()->set_tenant(tenant);
    request.mutable_token()->set_role(v1::ROLE_VIEWER);
    request.mutable_token()->set_display_name(display_name);
    v1::CreateTokenResponse ignored;
    return stub_->CreateToken(Context().get(), request, out != nullptr ? out : &ignored);
  }

  grpc::Status ListTokens(const std::string& tenant, const std::string& page_token = "") {
    v1::ListTokensRequest request;
    request.set_tenant(tenant);
    request.set_page_token(page_token);
    v1::ListTokensResponse out;
    return stub_->ListTokens(Context().get(), request, &out);
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1800000000)};
  std::unique_ptr<LocalAuth> auth_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AuthService::Stub> stub_;
  std::string admin_token_;
};

TEST_F(AuthGrpcServiceTest, NoTokensAreIssuedWhileAuthenticationIsOff) {
  Serve(/*require_auth=*/false);
  const grpc::Status refused = CreateToken("acme", "alice");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  EXPECT_THAT(refused.error_message(), HasSubstr("--require_auth"));
  EXPECT_THAT(refused.error_message(), HasSubstr("admin.token"));
  // Nothing was stored.
  absl::StatusOr<std::vector<TokenRecord>> stored = auth_->store->List(TokenFilter{}, 0, 10);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(stored->empty());
}

TEST_F(AuthGrpcServiceTest, TokensIssuedWithoutAuthenticationAreNotHonoured) {
  // What an older version stored when CreateToken was called with authentication off.
  Serve(/*require_auth=*/false);
  absl::StatusOr<IssuedToken> anonymous =
      auth_->tokens->Issue(UnauthenticatedPrincipal(), NewToken{"*", Role::kAdmin, "sneaky"});
  std::string secret_text;
  if (anonymous.ok()) {
    secret_text = anonymous->secret_text;
  } else {
    // This version refuses to issue one at all; store one as an older version would have.
    absl::StatusOr<BearerToken> token = GenerateBearerToken();
    ASSERT_TRUE(token.ok());
    TokenRecord record;
    record.id = token->id;
    record.secret_hash = HashTokenSecret(token->secret);
    record.tenant = "*";
    record.role = Role::kAdmin;
    record.display_name = "sneaky";
    record.creator = UnauthenticatedPrincipal().token_name;
    record.create_time = clock_.Now();
    ASSERT_TRUE(auth_->store->Insert(record).ok());
    secret_text = token->Text();
  }
  absl::StatusOr<BearerToken> token = ParseBearerToken(secret_text);
  ASSERT_TRUE(token.ok());
  absl::StatusOr<Principal> who = auth_->tokens->Authenticate(*token);
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated) << who.status();
}

TEST_F(AuthGrpcServiceTest, WithAuthenticationTheBootstrapAdminIssuesTokens) {
  Serve(/*require_auth=*/true);
  v1::CreateTokenResponse created;
  const grpc::Status status = CreateToken("acme", "alice", &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.token().tenant(), "acme");
  absl::StatusOr<BearerToken> token = ParseBearerToken(created.secret());
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(auth_->tokens->Authenticate(*token).ok());
}

TEST_F(AuthGrpcServiceTest, HugeOrHostileValuesAreAnsweredShortly) {
  Serve(/*require_auth=*/true);
  const std::string huge(kHugeBytes, 'x');
  EXPECT_SHORT_REFUSAL(CreateToken(huge, "alice"), INVALID_ARGUMENT, "token.tenant");
  EXPECT_SHORT_REFUSAL(CreateToken("acme", huge), INVALID_ARGUMENT, "token.display_name");
  EXPECT_SHORT_REFUSAL(ListTokens(huge), INVALID_ARGUMENT, "tenant");
  EXPECT_SHORT_REFUSAL(ListTokens("", huge), INVALID_ARGUMENT, "page_token");
  {
    v1::RevokeTokenRequest request;
    request.set_name(absl::StrCat("tokens/", huge));
    v1::Token out;
    EXPECT_SHORT_REFUSAL(stub_->RevokeToken(Context().get(), request, &out), INVALID_ARGUMENT,
                         "name");
  }
  for (const std::string& tenant :
       std::vector<std::string>{"BAD TENANT", "acme'", "\"acme\"", "-acme", "Acme"}) {
    SCOPED_TRACE(tenant);
    EXPECT_STATUS(ListTokens(tenant), INVALID_ARGUMENT, "tenant");
    EXPECT_STATUS(CreateToken(tenant, "alice"), INVALID_ARGUMENT, "token.tenant");
  }
  EXPECT_STATUS(CreateToken("acme", "alice\nbob"), INVALID_ARGUMENT, "token.display_name");
  EXPECT_STATUS(CreateToken("acme", std::string("al\0ice", 6)), INVALID_ARGUMENT,
                "token.display_name");
  EXPECT_STATUS(CreateToken("acme", "alice\x7f"), INVALID_ARGUMENT, "token.display_name");
  EXPECT_STATUS(ListTokens(std::string("ac\0me", 5)), INVALID_ARGUMENT, "tenant");
  EXPECT_TRUE(ListTokens("acme").ok());
  EXPECT_TRUE(ListTokens("*").ok());
}

}  // namespace
}  // namespace preflight::auth
