#include "common/auth/token_service.h"

#include <memory>
#include <set>

#include "common/auth/sqlite_token_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::auth {
namespace {

using ::testing::HasSubstr;

class TokenServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<SqliteTokenStore>> store =
        SqliteTokenStore::Open(dir_.Join("auth.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    tokens_ = std::make_unique<TokenService>(store_.get(), &clock_);
    absl::StatusOr<std::optional<IssuedToken>> root = tokens_->IssueBootstrapAdminIfNone();
    ASSERT_TRUE(root.ok() && root->has_value());
    root_ = PrincipalOf((*root)->record);
  }

  IssuedToken MustIssue(const Principal& caller, const std::string& tenant, Role role,
                        const std::string& name = "someone") {
    absl::StatusOr<IssuedToken> issued = tokens_->Issue(caller, NewToken{tenant, role, name});
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : IssuedToken{};
  }

  absl::StatusOr<Principal> Check(const std::string& text) {
    absl::StatusOr<BearerToken> token = ParseBearerToken(text);
    if (!token.ok()) return token.status();
    return tokens_->Authenticate(*token);
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1800000000)};
  std::unique_ptr<SqliteTokenStore> store_;
  std::unique_ptr<TokenService> tokens_;
  Principal root_;
};

TEST_F(TokenServiceTest, BootstrapIssuesOneAllTenantAdminOnce) {
  EXPECT_TRUE(root_.AllTenants());
  EXPECT_EQ(root_.role, Role::kAdmin);
  absl::StatusOr<std::optional<IssuedToken>> again = tokens_->IssueBootstrapAdminIfNone();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST_F(TokenServiceTest, AnIssuedTokenAuthenticatesAsItsTenantAndRole) {
  const IssuedToken issued = MustIssue(root_, "acme", Role::kEditor, "alice");
  absl::StatusOr<Principal> who = Check(issued.secret_text);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->tenant, "acme");
  EXPECT_EQ(who->role, Role::kEditor);
  EXPECT_EQ(who->display_name, "alice");
  EXPECT_EQ(who->token_name, api::TokenName(issued.record.id));
  EXPECT_EQ(issued.record.creator, root_.token_name);
  // The store keeps a hash, never the secret.
  absl::StatusOr<std::optional<TokenRecord>> stored = store_->Find(issued.record.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->secret_hash.size(), 64u);
  EXPECT_EQ(issued.secret_text.find((*stored)->secret_hash), std::string::npos);
}

TEST_F(TokenServiceTest, AWrongSecretOrARevokedTokenIsRefusedAlike) {
  const IssuedToken issued = MustIssue(root_, "acme", Role::kViewer);
  std::string forged = issued.secret_text;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Check(forged).status().code(), absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(tokens_->Revoke(root_, issued.record.id).ok());
  absl::StatusOr<Principal> revoked = Check(issued.secret_text);
  EXPECT_EQ(revoked.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(revoked.status().message(), Check(forged).status().message());
  // Revoking again is a no-op that keeps the first revoke time.
  clock_.AdvanceTime(absl::Hours(1));
  absl::StatusOr<TokenRecord> again = tokens_->Revoke(root_, issued.record.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->revoke_time, clock_.Now() - absl::Hours(1));
}

TEST_F(TokenServiceTest, ATenantAdminManagesOnlyItsOwnTenant) {
  const Principal acme_admin = PrincipalOf(MustIssue(root_, "acme", Role::kAdmin).record);
  const IssuedToken beta_viewer = MustIssue(root_, "beta", Role::kViewer);
  MustIssue(acme_admin, "acme", Role::kViewer);

  absl::StatusOr<IssuedToken> other = tokens_->Issue(acme_admin, {"beta", Role::kViewer, "x"});
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(other.status().message()), HasSubstr("scoped to tenant 'acme'"));
  absl::StatusOr<IssuedToken> global = tokens_->Issue(acme_admin, {"*", Role::kService, "x"});
  EXPECT_EQ(global.status().code(), absl::StatusCode::kPermissionDenied);

  // Another tenant's token does not exist for it.
  absl::StatusOr<TokenRecord> revoke = tokens_->Revoke(acme_admin, beta_viewer.record.id);
  EXPECT_EQ(revoke.status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<TokenRecord> missing = tokens_->Revoke(acme_admin, "0123456789ab");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(revoke.status().message().substr(0, 6), missing.status().message().substr(0, 6));
  EXPECT_TRUE(Check(beta_viewer.secret_text).ok());

  absl::StatusOr<TokenPage> listed = tokens_->List(acme_admin, {}, 0, 0);
  ASSERT_TRUE(listed.ok()) << listed.status();
  for (const TokenRecord& record : listed->tokens) EXPECT_EQ(record.tenant, "acme");
  EXPECT_EQ(listed->tokens.size(), 2u);
  EXPECT_EQ(tokens_->List(acme_admin, {"beta", false}, 0, 0).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(TokenServiceTest, OnlyAdminsManageTokens) {
  const Principal editor = PrincipalOf(MustIssue(root_, "acme", Role::kEditor).record);
  EXPECT_EQ(tokens_->Issue(editor, {"acme", Role::kViewer, "x"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(tokens_->List(editor, {}, 0, 0).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(tokens_->Revoke(editor, "0123456789ab").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(TokenServiceTest, BadSpecsNameTheField) {
  EXPECT_THAT(std::string(tokens_->Issue(root_, {"", Role::kViewer, "x"}).status().message()),
              HasSubstr("token.tenant: required"));
  EXPECT_THAT(std::string(tokens_->Issue(root_, {"Acme!", Role::kViewer, "x"}).status().message()),
              HasSubstr("token.tenant"));
  EXPECT_THAT(std::string(tokens_->Issue(root_, {"acme", Role::kViewer, ""}).status().message()),
              HasSubstr("token.display_name: required"));
  EXPECT_THAT(
      std::string(
          tokens_->Issue(root_, {"acme", Role::kViewer, std::string(101, 'a')}).status().message()),
      HasSubstr("too long"));
  EXPECT_EQ(tokens_->List(root_, {}, 0, 501).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(TokenServiceTest, ListingPagesNewestFirstAndHidesRevokedUnlessAsked) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(MustIssue(root_, "acme", Role::kViewer).record.id);
  ASSERT_TRUE(tokens_->Revoke(root_, ids[2]).ok());
  std::vector<std::string> seen;
  int64_t before = 0;
  do {
    absl::StatusOr<TokenPage> page = tokens_->List(root_, {"acme", false}, before, 2);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const TokenRecord& record : page->tokens) seen.push_back(record.id);
    before = page->next_before_sequence;
  } while (before != 0);
  EXPECT_EQ(seen, (std::vector<std::string>{ids[4], ids[3], ids[1], ids[0]}));
  absl::StatusOr<TokenPage> all = tokens_->List(root_, {"acme", true}, 0, 10);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->tokens.size(), 5u);
}

TEST_F(TokenServiceTest, TokensSurviveReopening) {
  const IssuedToken issued = MustIssue(root_, "acme", Role::kService, "notifier");
  tokens_.reset();
  store_.reset();
  absl::StatusOr<std::unique_ptr<SqliteTokenStore>> store =
      SqliteTokenStore::Open(dir_.Join("auth.db"));
  ASSERT_TRUE(store.ok());
  store_ = *std::move(store);
  tokens_ = std::make_unique<TokenService>(store_.get(), &clock_);
  absl::StatusOr<Principal> who = Check(issued.secret_text);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->role, Role::kService);
  absl::StatusOr<std::optional<IssuedToken>> bootstrap = tokens_->IssueBootstrapAdminIfNone();
  ASSERT_TRUE(bootstrap.ok());
  EXPECT_FALSE(bootstrap->has_value());
}

TEST(RoleTest, EachRoleGrantsExactlyItsPermissions) {
  EXPECT_TRUE(Grants(Role::kViewer, Permission::kRead));
  EXPECT_FALSE(Grants(Role::kViewer, Permission::kWrite));
  EXPECT_FALSE(Grants(Role::kViewer, Permission::kWatch));
  EXPECT_TRUE(Grants(Role::kEditor, Permission::kWrite));
  EXPECT_FALSE(Grants(Role::kEditor, Permission::kAdmin));
  EXPECT_TRUE(Grants(Role::kAdmin, Permission::kAdmin));
  EXPECT_TRUE(Grants(Role::kAdmin, Permission::kWatch));
  EXPECT_TRUE(Grants(Role::kService, Permission::kWatch));
  EXPECT_TRUE(Grants(Role::kService, Permission::kRead));
  EXPECT_FALSE(Grants(Role::kService, Permission::kWrite));
  EXPECT_FALSE(Grants(Role::kService, Permission::kAdmin));
  for (Role role : {Role::kViewer, Role::kEditor, Role::kAdmin, Role::kService}) {
    EXPECT_EQ(*ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(ParseRole("root").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace preflight::auth
