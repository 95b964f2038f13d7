#include "notifier-service/domain/delivery.h"

namespace preflight::notifier {

absl::string_view DeliveryStateName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kSending:
      return "sending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kDeadLettered:
      return "dead_lettered";
    case DeliveryState::kOutcomeUnknown:
      return "outcome_unknown";
    case DeliveryState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

}  // namespace preflight::notifier
