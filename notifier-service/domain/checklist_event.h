#pragma once

// One event of the checklist's log as the notifier's engine consumes it: what the event says of
// a launch and an item, in the notifier's own terms. The checklist link
// (notifier-service/checklist_link/event_translation.h) makes them from preflight.v1.Event, so
// the engine never reads a checklist proto.

#include <cstdint>
#include <optional>

#include "notifier-service/domain/model.h"

namespace preflight::notifier {

struct ChecklistEvent {
  // The event's position in the checklist's log; the stream cursor.
  int64_t sequence = 0;
  // The launch's snapshot, for launch events.
  std::optional<LaunchInfo> launch;
  // The item's snapshot, for item and schedule events.
  std::optional<ItemInfo> item;
  // More of the log is known to follow at once (the stream is replaying a backlog): the engine
  // need not start a pass for this event alone.
  bool catching_up = false;
};

}  // namespace preflight::notifier
