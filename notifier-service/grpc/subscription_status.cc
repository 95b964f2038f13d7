#include "notifier-service/grpc/subscription_status.h"

#include <string>

#include "notifier-service/grpc/notifier_proto_mapping.h"

namespace preflight::notifier {

v1::SubscriptionStatus SubscriptionStatusToProto(const SubscriberStatus& status,
                                                 absl::string_view checklist_address) {
  v1::SubscriptionStatus proto;
  proto.set_checklist_address(std::string(checklist_address));
  proto.set_connected(status.connected);
  proto.set_applied_sequence(status.applied_sequence);
  if (status.last_event_time.has_value()) {
    *proto.mutable_last_event_time() = ToTimestamp(*status.last_event_time);
  }
  proto.set_reconnects(status.reconnects);
  proto.set_last_error(status.last_error);
  proto.set_checklist_sequence(status.checklist_head);
  proto.set_cursor_refused(status.cursor_refused);
  return proto;
}

}  // namespace preflight::notifier
