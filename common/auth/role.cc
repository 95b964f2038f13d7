#include "common/auth/role.h"

#include "absl/strings/str_cat.h"
#include "common/error_text.h"

namespace preflight::auth {

bool Grants(Role role, Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return true;
    case Permission::kWrite:
      return role == Role::kEditor || role == Role::kAdmin;
    case Permission::kAdmin:
      return role == Role::kAdmin;
    case Permission::kWatch:
      return role == Role::kService || role == Role::kAdmin;
  }
  return false;
}

std::string RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kEditor:
      return "editor";
    case Role::kAdmin:
      return "admin";
    case Role::kService:
      return "service";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role role : {Role::kViewer, Role::kEditor, Role::kAdmin, Role::kService}) {
    if (name == RoleName(role)) return role;
  }
  return absl::InvalidArgumentError(absl::StrCat("role: unknown role ", QuoteForError(name),
                                                 " (viewer, editor, admin or service)"));
}

std::string PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return "read";
    case Permission::kWrite:
      return "write";
    case Permission::kAdmin:
      return "admin";
    case Permission::kWatch:
      return "watch";
  }
  return "unknown";
}

}  // namespace preflight::auth
