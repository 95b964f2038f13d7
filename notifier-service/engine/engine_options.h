#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace preflight::notifier {

// Tunables of the engine that are operational rather than policy (the reminder policy file holds
// what staff decide: ladders, send times, quiet hours, channel limits).
struct EngineOptions {
  // Items and deliveries handled per pass.
  int batch_size = 200;
  // Send attempts before a delivery is dead-lettered.
  int max_attempts = 6;
  // Retry backoff: initial * 2^(attempt-1), capped, with full jitter; Retry-After wins if longer.
  absl::Duration retry_initial_backoff = absl::Seconds(30);
  absl::Duration retry_max_backoff = absl::Hours(1);
  // How soon to look again when the version fence cannot pass (checklist unreachable, or the
  // stream has not brought the item's latest change yet).
  absl::Duration fence_retry = absl::Seconds(15);
  // How far ahead the dispatcher looks for an item's next rung.
  absl::Duration lookahead = absl::Hours(24 * 400);
  // Hosts recipients' webhook and bot URLs may name over http or at internal addresses
  // (--http_allow_hosts); loopback always may. See recipient_validation.h.
  std::vector<std::string> http_allow_hosts;
};

}  // namespace preflight::notifier
