#include "common/auth/call_authorizer.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/rpc_observer.h"

namespace preflight::auth {

namespace {

// What the log line says of an unauthenticated caller: who it claims to be.
std::string ClaimedActor(const grpc::ServerContextBase& context) {
  constexpr size_t kMaxClaimed = 64;
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(api::kActorMetadataKey);
  if (found == metadata.end() || found->second.empty()) return "anonymous";
  return std::string(found->second.data(), std::min(found->second.size(), kMaxClaimed));
}

}  // namespace

absl::StatusOr<Principal> CallAuthorizer::Authorize(const grpc::ServerContextBase& context,
                                                    Permission permission) const {
  if (authenticator_ == nullptr) {
    Principal principal = UnauthenticatedPrincipal();
    NoteCaller(context, principal.tenant, ClaimedActor(context));
    return principal;
  }
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(api::kAuthorizationMetadataKey);
  const absl::string_view header =
      found == metadata.end() ? absl::string_view()
                              : absl::string_view(found->second.data(), found->second.size());
  absl::StatusOr<BearerToken> token = ParseAuthorizationHeader(header);
  if (!token.ok()) return token.status();
  absl::StatusOr<Principal> principal = authenticator_->Authenticate(*token);
  if (!principal.ok()) return principal.status();
  NoteCaller(context, principal->tenant,
             absl::StrCat(principal->display_name, " (", principal->token_name, ")"));
  if (!principal->Can(permission)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "role '", RoleName(principal->role), "' may not ", PermissionName(permission), " here"));
  }
  return principal;
}

}  // namespace preflight::auth
