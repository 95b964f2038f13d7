#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/resource_names.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// One way to reach a recipient.
struct RecipientChannel {
  ChannelType type = ChannelType::kLog;
  // URL or email address; empty for log and inbox.
  std::string target;
  // "env:NAME" or "file:/path": where the signing secret is read at send time. Never the secret.
  std::string secret_ref;
  bool operator==(const RecipientChannel& other) const {
    return type == other.type && target == other.target && secret_ref == other.secret_ref;
  }
};

// What a recipient is to its tenant, besides someone reminders reach (values match
// preflight.v1.RecipientRole).
enum class RecipientRole {
  // Gets the tenant's weekly digest.
  kManager = 1,
};

// "manager".
inline absl::string_view RecipientRoleName(RecipientRole role) {
  switch (role) {
    case RecipientRole::kManager:
      return "manager";
  }
  return "unknown";
}

// A person or a team the notifier can reach. `id` is the name the checklist uses for assignees
// and owners. A recipient is its tenant and id together: tenant acme's "li.na" and tenant
// globex's "li.na" are two records, and a tenant-less "li.na" (reachable from every tenant) a
// third. A launch of tenant acme reaches "li.na" as acme's record, else the tenant-less one.
struct Recipient {
  std::string id;
  // Empty: reachable from every tenant. Immutable: part of the recipient's identity.
  std::string tenant;
  std::string display_name;
  // "zh", "en" or "" (both).
  std::string language;
  std::vector<RecipientChannel> channels;
  bool digest = false;
  // "tenants/{tenant}" or "launches/{launch}": receives copies of their reminders.
  std::vector<std::string> subscriptions;
  // Distinct, in the order given.
  std::vector<RecipientRole> roles;
  int64_t version = 1;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();

  bool HasRole(RecipientRole role) const {
    for (RecipientRole held : roles) {
      if (held == role) return true;
    }
    return false;
  }
};

// What tells two recipients apart in dedup, digest and endpoint keys: the bare id for a
// tenant-less recipient (as before recipients had tenants of their own), the resource name for
// a tenant's.
inline std::string RecipientKeyText(absl::string_view tenant, absl::string_view id) {
  if (tenant.empty()) return std::string(id);
  return api::RecipientName(tenant, id);
}

}  // namespace preflight::notifier
