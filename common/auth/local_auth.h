#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/auth_grpc_service.h"
#include "common/auth/call_authorizer.h"
#include "common/auth/sqlite_token_store.h"
#include "common/auth/token_service.h"
#include "common/auth/token_store.h"
#include "common/clock.h"
#include "common/page_token.h"

namespace preflight::auth {

// The file, in the data folder, that receives the bootstrap admin token.
inline constexpr char kBootstrapTokenFile[] = "admin.token";

// The token authority of a service that issues its own tokens (the checklist service): the
// store in DATA_DIR/auth.db, the token service, the call authorizer and the AuthService.
struct LocalAuth {
  std::unique_ptr<TokenStore> store;
  std::unique_ptr<TokenService> tokens;
  std::unique_ptr<CallAuthorizer> authorizer;
  std::unique_ptr<AuthGrpcService> grpc_service;
  // Where the bootstrap admin token was written on this start; empty when none was issued.
  std::string bootstrap_token_path;
};

// Opens the token store under `data_dir`. With `require_auth`, every call must carry a valid
// token, and when no all-tenant admin token exists yet one is issued and written to
// DATA_DIR/admin.token (mode 0600), the only place its secret ever appears. Without it, calls are
// not checked and no token can be issued (CreateToken is FAILED_PRECONDITION): a token issued
// by whoever reached an unauthenticated port would stay valid once authentication is on.
absl::StatusOr<LocalAuth> SetUpLocalAuth(const std::string& data_dir, bool require_auth,
                                         const Clock* clock, PageTokenCodec page_tokens,
                                         const SqliteOptions& store_options = {});

// The same on a token store of the caller's (PostgreSQL, shared by the replicas); the bootstrap
// token, when one is issued, is still written to DATA_DIR/admin.token.
absl::StatusOr<LocalAuth> SetUpLocalAuth(std::unique_ptr<TokenStore> store,
                                         const std::string& data_dir, bool require_auth,
                                         const Clock* clock, PageTokenCodec page_tokens);

// Writes `secret` to `path` readable by the owner only, replacing any file there.
absl::Status WriteSecretFile(const std::string& path, const std::string& secret);

}  // namespace preflight::auth
