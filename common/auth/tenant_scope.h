#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace preflight::auth {

// PERMISSION_DENIED for a caller naming a tenant outside its scope (in a filter, or as the
// tenant of something it creates). Tenant ids are not secret; a named resource of another
// tenant answers NOT_FOUND instead, which each service words like its own "not found".
absl::Status OutOfTenantScope(const Principal& principal, absl::string_view tenant);

// The tenant a listing or watch is narrowed to: `requested` (empty: every tenant) for an
// all-tenant caller, the caller's own tenant otherwise; PERMISSION_DENIED when a scoped caller
// asks for another tenant.
absl::StatusOr<std::string> ScopedTenantFilter(const Principal& principal,
                                               const std::string& requested);

}  // namespace preflight::auth
