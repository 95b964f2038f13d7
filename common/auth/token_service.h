#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/api/resource_names.h"
#include "common/auth/authenticator.h"
#include "common/auth/token_store.h"
#include "common/clock.h"

namespace preflight::auth {

// At most this many active tokens per tenant (and for kAllTenants).
inline constexpr int64_t kMaxActiveTokensPerTenant = 1000;
inline constexpr size_t kMaxTokenDisplayNameLength = 100;
inline constexpr int kMaxTokenPageSize = 500;
inline constexpr int kDefaultTokenPageSize = 100;

// Why a service without authentication issues no tokens.
inline constexpr char kNoTokensWithoutAuthentication[] =
    "this service does not require authentication, so it issues no tokens: one issued now would "
    "stay valid once authentication is turned on, and any caller that can reach the port could "
    "issue it. Start checklist-service with --require_auth and issue tokens with the all-tenant "
    "admin token it writes to DATA_DIR/admin.token (docs/security.md)";

struct NewToken {
  std::string tenant;
  Role role = Role::kViewer;
  std::string display_name;
};

struct IssuedToken {
  TokenRecord record;
  // The bearer text, "pft_{id}_{secret}": the only time it exists outside the caller.
  std::string secret_text;
};

struct TokenPage {
  std::vector<TokenRecord> tokens;
  // 0 when this is the last page.
  int64_t next_before_sequence = 0;
};

// Issues, lists, revokes and checks tokens, enforcing who may do which to whom: only admins
// manage tokens, a tenant admin only its own tenant's, and only an all-tenant admin issues
// all-tenant tokens. Another tenant's token is NOT_FOUND, as if it did not exist. Nothing is
// issued to the unauthenticated principal (FAILED_PRECONDITION), and a token an older version
// issued without authentication (creator "anonymous") never authenticates.
class TokenService final : public Authenticator {
 public:
  TokenService(TokenStore* store, const Clock* clock) : store_(store), clock_(clock) {}

  absl::StatusOr<IssuedToken> Issue(const Principal& caller, const NewToken& spec);
  absl::StatusOr<TokenPage> List(const Principal& caller, const TokenFilter& filter,
                                 int64_t before_sequence, int page_size);
  absl::StatusOr<TokenRecord> Revoke(const Principal& caller, const std::string& id);
  // The caller's own token record.
  absl::StatusOr<TokenRecord> Describe(const Principal& caller);

  absl::StatusOr<Principal> Authenticate(const BearerToken& token) override;

  // The first start with authentication: when no all-tenant admin token is active, issues one
  // (display name "bootstrap-admin") and returns it, so the operator can issue the rest.
  absl::StatusOr<std::optional<IssuedToken>> IssueBootstrapAdminIfNone();

 private:
  absl::StatusOr<IssuedToken> IssueUnchecked(const NewToken& spec, const std::string& creator);
  // The token with `id` if `caller` administers its tenant, else NOT_FOUND.
  absl::StatusOr<TokenRecord> FindVisible(const Principal& caller, const std::string& id);

  TokenStore* const store_;
  const Clock* const clock_;
};

// A principal from a stored token.
Principal PrincipalOf(const TokenRecord& record);

}  // namespace preflight::auth
