#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// Tunables of the engine that are operational rather than policy (the reminder policy file holds
// what staff decide: ladders, send times, quiet hours, channel limits).
struct EngineOptions {
  // Items and deliveries read per pass. Not a throughput cap: the engine's loop starts the next
  // pass at once while passes make progress (see NotifierEngine::Start).
  int batch_size = 200;
  // Sends in flight at once to one endpoint (channel + target), by channel kind; a kind not
  // named here gets 1. Bots stay low: their rate budget paces them anyway and a burst of
  // parallel requests is what trips their per-second limits (Feishu 5/s, DingTalk's block).
  std::map<ChannelType, int> max_in_flight = {
      {ChannelType::kWebhook, 8}, {ChannelType::kEmail, 4}, {ChannelType::kSlack, 2},
      {ChannelType::kFeishu, 2},  {ChannelType::kWecom, 1}, {ChannelType::kDingtalk, 1},
  };
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
