#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "notifier-service/domain/channel.h"
#include "notifier-service/domain/model.h"

namespace preflight::notifier {

// Values match preflight.v1.DeliveryState.
enum class DeliveryState {
  kPending = 1,
  kSending = 2,
  kDelivered = 3,
  kDeadLettered = 4,
  kOutcomeUnknown = 5,
  kCancelled = 6,
};

// "pending", "sending", "delivered", "dead_lettered", "outcome_unknown", "cancelled".
absl::string_view DeliveryStateName(DeliveryState state);

// One attempt's outcome, appended to the ledger and never changed.
struct DeliveryAttempt {
  int attempt = 0;
  absl::Time time = absl::UnixEpoch();
  // "delivered", "retry", "failed", "unknown", "cancelled".
  std::string outcome;
  int http_status = 0;
  std::string provider_answer;
};

// One reminder rung for one recipient over one channel.
struct Delivery {
  // Assigned by the store.
  int64_t id = 0;
  // launch/item/rung/recipient/channel: the store keeps at most one delivery per key.
  std::string dedup_key;
  std::string tenant;
  std::string launch_id;
  std::string item_code;
  std::string rung_id;
  RungKind kind = RungKind::kBeforeDue;
  // The item version the delivery was decided at.
  int64_t item_version = 0;
  // The recipient the delivery was routed to: its tenant ("" for a tenant-less recipient, and
  // for someone without a record, reached on the default channels) and id.
  std::string recipient_tenant;
  std::string recipient_id;
  // "assignee", "owner", "subscription:tenants/acme", "test".
  std::string reason;
  ChannelType channel = ChannelType::kLog;
  std::string target;
  std::string secret_ref;
  DeliveryState state = DeliveryState::kPending;
  // Rendered for the recipient's language when decided, so a resend is byte-identical.
  std::string subject;
  std::string text;
  std::string markdown;
  std::string data_json;
  bool urgent = false;
  bool late = false;
  // Held for the recipient's morning digest.
  bool digest = false;
  int attempts = 0;
  // Set when the delivery went out inside a digest (or folded overflow) message: that message's
  // idempotency key, shared by every delivery in it.
  std::string unit_key;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time next_attempt_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();
  // Filled by reads that ask for it.
  std::vector<DeliveryAttempt> history;
};

}  // namespace preflight::notifier
