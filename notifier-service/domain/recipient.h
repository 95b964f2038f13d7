#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "notifier-service/channels/channel.h"

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

// A person or a team the notifier can reach. `id` is the name the checklist uses for assignees
// and owners.
struct Recipient {
  std::string id;
  // Empty: reachable from every tenant.
  std::string tenant;
  std::string display_name;
  // "zh", "en" or "" (both).
  std::string language;
  std::vector<RecipientChannel> channels;
  bool digest = false;
  // "tenants/{tenant}" or "launches/{launch}": receives copies of their reminders.
  std::vector<std::string> subscriptions;
  int64_t version = 1;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
};

}  // namespace preflight::notifier
