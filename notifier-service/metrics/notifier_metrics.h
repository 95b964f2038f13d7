#pragma once

// The notifier's own Prometheus metrics (docs/operations.md lists them).

#include "common/metrics/metrics.h"
#include "notifier-service/subscriber/event_subscriber.h"

namespace preflight::notifier {

// Where the notifier stands in the checklist's event stream: connected, applied sequence, the
// checklist's head, the lag between them, reconnects.
void RegisterStreamMetrics(metrics::Registry& registry, const EventSubscriber* subscriber);

}  // namespace preflight::notifier
