#include "common/auth/call_authorizer.h"

#include "absl/strings/str_cat.h"

namespace preflight::auth {

absl::StatusOr<Principal> CallAuthorizer::Authorize(const grpc::ServerContext& context,
                                                    Permission permission) const {
  if (authenticator_ == nullptr) return UnauthenticatedPrincipal();
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(kAuthorizationMetadataKey);
  const absl::string_view header =
      found == metadata.end() ? absl::string_view()
                              : absl::string_view(found->second.data(), found->second.size());
  absl::StatusOr<BearerToken> token = ParseAuthorizationHeader(header);
  if (!token.ok()) return token.status();
  absl::StatusOr<Principal> principal = authenticator_->Authenticate(*token);
  if (!principal.ok()) return principal.status();
  if (!principal->Can(permission)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "role '", RoleName(principal->role), "' may not ", PermissionName(permission), " here"));
  }
  return principal;
}

}  // namespace preflight::auth
