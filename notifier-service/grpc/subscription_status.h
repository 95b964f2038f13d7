#pragma once

#include "absl/strings/string_view.h"
#include "notifier-service/checklist_link/event_subscriber.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::notifier {

// The subscriber's state as the GetSubscriptionStatus answer.
v1::SubscriptionStatus SubscriptionStatusToProto(const SubscriberStatus& status,
                                                 absl::string_view checklist_address);

}  // namespace preflight::notifier
