#pragma once

// The notifier's own Prometheus metrics (docs/operations.md lists them).

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/metrics/metrics.h"
#include "notifier-service/checklist_link/event_subscriber.h"
#include "notifier-service/domain/notifier_store.h"
#include "notifier-service/engine/delivery_observer.h"

namespace preflight::notifier {

// Where the notifier stands in the checklist's event stream: connected, applied sequence, the
// checklist's head, the lag between them, reconnects.
void RegisterStreamMetrics(metrics::Registry& registry, const EventSubscriber* subscriber);

// What the store holds: deliveries by state and channel, reminders pending (decided, not yet
// sent), items with a rung still to come. Read from the store at most once per `ttl`.
void RegisterStoreMetrics(metrics::Registry& registry, NotifierStore* store, const Clock* clock,
                          absl::Duration ttl = absl::Seconds(10));

// The delivery worker's reports as counters and a latency histogram: attempts by channel and
// outcome, dead letters, outcome-unknown deliveries, rate-budget waits, channel latency.
class DeliveryMetrics final : public DeliveryObserver {
 public:
  explicit DeliveryMetrics(metrics::Registry& registry);

  void OnAttempt(ChannelType channel, absl::string_view outcome, absl::Duration latency) override;
  void OnBudgetWait(ChannelType channel, int deliveries) override;
  void OnOutcomeUnknown(ChannelType channel, int deliveries) override;

 private:
  metrics::Family<metrics::Counter>& attempts_;
  metrics::Family<metrics::Counter>& dead_letters_;
  metrics::Family<metrics::Counter>& outcome_unknown_;
  metrics::Family<metrics::Counter>& budget_waits_;
  metrics::Family<metrics::Histogram>& latency_;
};

}  // namespace preflight::notifier
