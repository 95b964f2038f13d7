#pragma once

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "notifier-service/domain/channel.h"

namespace preflight::notifier {

// What the delivery worker reports as it works, for the notifier's metrics. The engine owns
// this port; notifier-service/metrics implements it. Calls come from the worker's threads.
class DeliveryObserver {
 public:
  virtual ~DeliveryObserver() = default;

  // One request handed to `channel` and answered after `latency`; `outcome` is the ledger's:
  // "delivered", "retry" or "failed" (dead-lettered).
  virtual void OnAttempt(ChannelType channel, absl::string_view outcome,
                         absl::Duration latency) = 0;
  // `deliveries` due on a bot endpoint waited, its rate budget spent.
  virtual void OnBudgetWait(ChannelType channel, int deliveries) = 0;
  // `deliveries` whose send a crash interrupted became OUTCOME_UNKNOWN at start-up.
  virtual void OnOutcomeUnknown(ChannelType channel, int deliveries) = 0;
};

}  // namespace preflight::notifier
