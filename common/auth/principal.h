#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/role.h"

namespace preflight::auth {

// The tenant scope of a token that may see every tenant.
inline constexpr char kAllTenants[] = "*";

// Who is calling, as established from their token.
struct Principal {
  // "tokens/{id}", or "anonymous" when the service runs without authentication.
  std::string token_name;
  // One tenant, or kAllTenants.
  std::string tenant;
  Role role = Role::kViewer;
  // Recorded as the actor of the changes this caller makes.
  std::string display_name;

  bool AllTenants() const { return tenant == kAllTenants; }
  // Whether resources of `resource_tenant` are visible to this caller at all.
  bool CanSeeTenant(absl::string_view resource_tenant) const {
    return AllTenants() || resource_tenant == tenant;
  }
  bool Can(Permission permission) const { return Grants(role, permission); }
};

// The caller of a service that does not require authentication: everything is allowed, as on
// the loopback demo.
inline Principal UnauthenticatedPrincipal() {
  return Principal{"anonymous", kAllTenants, Role::kAdmin, "anonymous"};
}

}  // namespace preflight::auth
