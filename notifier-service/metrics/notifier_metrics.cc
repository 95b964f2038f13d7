#include "notifier-service/metrics/notifier_metrics.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/cached_value.h"

namespace preflight::notifier {
namespace {

using metrics::Sample;

std::string Name(ChannelType channel) { return std::string(ChannelTypeName(channel)); }

struct StoreCounts {
  std::vector<DeliveryCount> deliveries;
  int64_t scheduled_items = 0;
};

}  // namespace

void RegisterStreamMetrics(metrics::Registry& registry, const EventSubscriber* subscriber) {
  const auto gauge = [&](const char* name, const char* help, auto value_of) {
    registry.AddCallbackGauge(name, help, {}, [subscriber, value_of] {
      return std::vector<Sample>{{{}, static_cast<double>(value_of(subscriber->Status()))}};
    });
  };
  gauge("preflight_notifier_stream_connected",
        "1 while a WatchEvents stream from the checklist service is open.",
        [](const SubscriberStatus& s) { return s.connected ? 1 : 0; });
  gauge("preflight_notifier_stream_applied_sequence",
        "The last checklist event sequence whose effects the notifier committed.",
        [](const SubscriberStatus& s) { return s.applied_sequence; });
  gauge("preflight_notifier_stream_checklist_sequence",
        "The checklist's last committed sequence, as last seen by the notifier.",
        [](const SubscriberStatus& s) { return s.checklist_head; });
  gauge("preflight_notifier_stream_lag_events",
        "Checklist events committed but not yet applied by the notifier (head minus applied).",
        [](const SubscriberStatus& s) {
          return std::max<int64_t>(0, s.checklist_head - s.applied_sequence);
        });
  registry.AddCallbackCounter(
      "preflight_notifier_stream_reconnects_total",
      "WatchEvents streams opened after the first one.", {}, [subscriber] {
        return std::vector<Sample>{{{}, static_cast<double>(subscriber->Status().reconnects)}};
      });
}

void RegisterStoreMetrics(metrics::Registry& registry, NotifierStore* store, const Clock* clock,
                          absl::Duration ttl) {
  auto counts = std::make_shared<CachedValue<StoreCounts>>(
      clock, ttl, [store]() -> absl::StatusOr<StoreCounts> {
        StoreCounts read;
        absl::StatusOr<std::vector<DeliveryCount>> deliveries = store->CountDeliveries();
        if (!deliveries.ok()) return deliveries.status();
        read.deliveries = *std::move(deliveries);
        absl::StatusOr<int64_t> scheduled = store->CountScheduledItems();
        if (!scheduled.ok()) return scheduled.status();
        read.scheduled_items = *scheduled;
        return read;
      });
  registry.AddCallbackGauge(
      "preflight_notifier_deliveries",
      "Deliveries by state (pending, sending, delivered, dead_lettered, outcome_unknown, "
      "cancelled) and channel. Read from the store at most every 10 s.",
      {"state", "channel"}, [counts] {
        std::vector<Sample> samples;
        std::optional<StoreCounts> now = counts->Get();
        if (!now.has_value()) return samples;
        for (const DeliveryCount& count : now->deliveries) {
          samples.push_back({{std::string(DeliveryStateName(count.state)), Name(count.channel)},
                             static_cast<double>(count.count)});
        }
        return samples;
      });
  registry.AddCallbackGauge(
      "preflight_notifier_reminders_pending",
      "Deliveries decided and not yet sent (pending or being sent), over every channel.", {},
      [counts] {
        std::optional<StoreCounts> now = counts->Get();
        if (!now.has_value()) return std::vector<Sample>{};
        double pending = 0;
        for (const DeliveryCount& count : now->deliveries) {
          if (count.state == DeliveryState::kPending || count.state == DeliveryState::kSending) {
            pending += static_cast<double>(count.count);
          }
        }
        return std::vector<Sample>{{{}, pending}};
      });
  registry.AddCallbackGauge(
      "preflight_notifier_items_scheduled", "Items whose reminder ladder has a rung still to come.",
      {}, [counts] {
        std::optional<StoreCounts> now = counts->Get();
        if (!now.has_value()) return std::vector<Sample>{};
        return std::vector<Sample>{{{}, static_cast<double>(now->scheduled_items)}};
      });
}

DeliveryMetrics::DeliveryMetrics(metrics::Registry& registry)
    : attempts_(
          registry.AddCounter("preflight_notifier_delivery_attempts_total",
                              "Send attempts by channel and outcome (delivered, retry, failed).",
                              {"channel", "outcome"})),
      dead_letters_(registry.AddCounter(
          "preflight_notifier_dead_letters_total",
          "Deliveries given up on: a permanent error, or the last attempt failed.", {"channel"})),
      outcome_unknown_(registry.AddCounter(
          "preflight_notifier_outcome_unknown_total",
          "Deliveries a crash interrupted mid-send on a channel without idempotency keys; they "
          "are not resent blindly.",
          {"channel"})),
      budget_waits_(registry.AddCounter(
          "preflight_notifier_rate_budget_waits_total",
          "Deliveries that waited because their bot endpoint's rate budget was spent.",
          {"channel"})),
      latency_(registry.AddHistogram("preflight_notifier_channel_seconds",
                                     "Time from handing a request to a channel to its answer.",
                                     {"channel", "outcome"})) {}

void DeliveryMetrics::OnAttempt(ChannelType channel, absl::string_view outcome,
                                absl::Duration latency) {
  const std::string name = Name(channel);
  attempts_.WithLabels({name, std::string(outcome)}).Increment();
  latency_.WithLabels({name, std::string(outcome)}).ObserveDuration(latency);
  if (outcome == "failed") dead_letters_.WithLabels({name}).Increment();
}

void DeliveryMetrics::OnBudgetWait(ChannelType channel, int deliveries) {
  budget_waits_.WithLabels({Name(channel)}).Increment(deliveries);
}

void DeliveryMetrics::OnOutcomeUnknown(ChannelType channel, int deliveries) {
  outcome_unknown_.WithLabels({Name(channel)}).Increment(deliveries);
}

}  // namespace preflight::notifier
