#include "notifier-service/metrics/notifier_metrics.h"

#include <algorithm>
#include <vector>

namespace preflight::notifier {

using metrics::Sample;

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

}  // namespace preflight::notifier
