#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight::auth {

// What a token may do. Human roles nest (viewer < editor < admin); the service role is a
// machine's: it reads and watches the event stream, and changes nothing.
enum class Role { kViewer, kEditor, kAdmin, kService };

// What an RPC needs. Each RPC names exactly one.
enum class Permission {
  kRead,   // launches, items, schedules, events, reminders, deliveries, inbox
  kWrite,  // launches and items; snoozing and acknowledging reminders
  kAdmin,  // tokens, recipients, test notifications
  kWatch,  // the WatchEvents stream
};

bool Grants(Role role, Permission permission);

// "viewer", "editor", "admin", "service".
std::string RoleName(Role role);
absl::StatusOr<Role> ParseRole(absl::string_view name);
std::string PermissionName(Permission permission);

}  // namespace preflight::auth
