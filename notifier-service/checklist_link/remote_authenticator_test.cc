// RemoteAuthenticator against a real AuthService (TokenService over SQLite) served in-process.

#include "notifier-service/checklist_link/remote_authenticator.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/auth/auth_grpc_service.h"
#include "common/auth/sqlite_token_store.h"
#include "common/auth/token_service.h"
#include "common/server_runner.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/loopback_channel.h"
#include "tests/testing/temp_dir.h"

namespace preflight::notifier {
namespace {

class RemoteAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override { Serve(/*require_auth=*/true); }

  void Serve(bool require_auth) {
    if (server_ != nullptr) server_->Shutdown();
    absl::StatusOr<std::unique_ptr<auth::SqliteTokenStore>> store =
        auth::SqliteTokenStore::Open(dir_.Join("auth.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    tokens_ = std::make_unique<auth::TokenService>(store_.get(), &clock_);
    authorizer_ = std::make_unique<auth::CallAuthorizer>(require_auth ? tokens_.get() : nullptr);
    grpc_service_ = std::make_unique<auth::AuthGrpcService>(tokens_.get(), authorizer_.get(),
                                                            PageTokenCodec("key"));
    absl::StatusOr<StartedServer> started =
        StartServer(ServerOptions{"127.0.0.1:0", "test"}, {grpc_service_.get()});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started->server);
    channel_ = testing::ConnectedLoopbackChannel(started->port);
    absl::StatusOr<std::optional<auth::IssuedToken>> root = tokens_->IssueBootstrapAdminIfNone();
    ASSERT_TRUE(root.ok());
    if (root->has_value()) root_ = auth::PrincipalOf((*root)->record);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  auth::BearerToken Issue(const std::string& tenant, auth::Role role) {
    absl::StatusOr<auth::IssuedToken> issued =
        tokens_->Issue(root_, auth::NewToken{tenant, role, "someone"});
    EXPECT_TRUE(issued.ok()) << issued.status();
    return *auth::ParseBearerToken(issued->secret_text);
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1800000000)};
  std::unique_ptr<auth::SqliteTokenStore> store_;
  std::unique_ptr<auth::TokenService> tokens_;
  std::unique_ptr<auth::CallAuthorizer> authorizer_;
  std::unique_ptr<auth::AuthGrpcService> grpc_service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  auth::Principal root_;
};

TEST_F(RemoteAuthenticatorTest, AcceptsAValidTokenAsItsTenantAndRole) {
  RemoteAuthenticator remote(channel_, &clock_, {});
  absl::StatusOr<auth::Principal> who = remote.Authenticate(Issue("acme", auth::Role::kEditor));
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->tenant, "acme");
  EXPECT_EQ(who->role, auth::Role::kEditor);
  EXPECT_EQ(who->display_name, "someone");
}

TEST_F(RemoteAuthenticatorTest, RefusesAnUnknownToken) {
  RemoteAuthenticator remote(channel_, &clock_, {});
  auth::BearerToken forged = Issue("acme", auth::Role::kViewer);
  forged.secret[0] = forged.secret[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(remote.Authenticate(forged).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(RemoteAuthenticatorTest, ARevocationIsSeenOnceTheCachedAnswerExpires) {
  RemoteAuthenticator::Options options;
  options.ttl = absl::Seconds(30);
  RemoteAuthenticator remote(channel_, &clock_, options);
  const auth::BearerToken token = Issue("acme", auth::Role::kViewer);
  ASSERT_TRUE(remote.Authenticate(token).ok());
  ASSERT_TRUE(tokens_->Revoke(root_, token.id).ok());
  clock_.AdvanceTime(absl::Seconds(29));
  EXPECT_TRUE(remote.Authenticate(token).ok()) << "still within the cache's ttl";
  clock_.AdvanceTime(absl::Seconds(2));
  EXPECT_EQ(remote.Authenticate(token).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(RemoteAuthenticatorTest, WithoutACacheEveryCallAsks) {
  RemoteAuthenticator::Options options;
  options.ttl = absl::ZeroDuration();
  options.negative_ttl = absl::ZeroDuration();
  RemoteAuthenticator remote(channel_, &clock_, options);
  const auth::BearerToken token = Issue("acme", auth::Role::kViewer);
  ASSERT_TRUE(remote.Authenticate(token).ok());
  ASSERT_TRUE(tokens_->Revoke(root_, token.id).ok());
  EXPECT_EQ(remote.Authenticate(token).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(RemoteAuthenticatorTest, AnUnreachableChecklistIsUnavailableAndNotCached) {
  const auth::BearerToken token = Issue("acme", auth::Role::kViewer);
  RemoteAuthenticator::Options options;
  options.timeout = absl::Seconds(2);
  // Nobody listens on a port the server just released.
  server_->Shutdown();
  server_.reset();
  RemoteAuthenticator remote(channel_, &clock_, options);
  absl::StatusOr<auth::Principal> who = remote.Authenticate(token);
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnavailable) << who.status();
  EXPECT_THAT(std::string(who.status().message()), ::testing::HasSubstr("checklist"));
}

TEST_F(RemoteAuthenticatorTest, AChecklistWithoutAuthenticationCannotVouch) {
  const auth::BearerToken token = Issue("acme", auth::Role::kViewer);
  Serve(/*require_auth=*/false);
  RemoteAuthenticator remote(channel_, &clock_, {});
  absl::StatusOr<auth::Principal> who = remote.Authenticate(token);
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnavailable) << who.status();
  EXPECT_THAT(std::string(who.status().message()), ::testing::HasSubstr("--require_auth"));
}

}  // namespace
}  // namespace preflight::notifier
