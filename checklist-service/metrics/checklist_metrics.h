#pragma once

// The checklist service's own Prometheus metrics (docs/operations.md lists them): the event
// log's head, open watchers, commit latency, launches and items by status, at-risk launches.

#include <memory>

#include "absl/time/time.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/launch_service.h"
#include "common/clock.h"
#include "common/metrics/metrics.h"

namespace preflight::checklist {

// A ChecklistStore that times every Commit of `inner` into
// preflight_checklist_commit_seconds{result}. Everything else passes straight through.
std::unique_ptr<ChecklistStore> InstrumentStore(ChecklistStore* inner, metrics::Registry& registry);

// Registers the gauges read at scrape time. The launch and item counts read the whole store
// (LaunchService::Summarize), so they are recomputed at most once per `summary_ttl`.
void RegisterChecklistMetrics(metrics::Registry& registry, const LaunchService* service,
                              ChecklistStore* store, const EventHub* hub, const Clock* clock,
                              absl::Duration summary_ttl = absl::Seconds(30));

}  // namespace preflight::checklist
