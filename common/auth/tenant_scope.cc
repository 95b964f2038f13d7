#include "common/auth/tenant_scope.h"

#include "absl/strings/str_cat.h"
#include "common/error_text.h"

namespace preflight::auth {

absl::Status OutOfTenantScope(const Principal& principal, absl::string_view tenant) {
  return absl::PermissionDeniedError(absl::StrCat(
      "this token is scoped to tenant '", principal.tenant, "', not ", QuoteForError(tenant)));
}

absl::StatusOr<std::string> ScopedTenantFilter(const Principal& principal,
                                               const std::string& requested) {
  if (principal.AllTenants()) return requested;
  if (!requested.empty() && requested != principal.tenant) {
    return OutOfTenantScope(principal, requested);
  }
  return principal.tenant;
}

}  // namespace preflight::auth
