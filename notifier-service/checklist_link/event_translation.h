#pragma once

// Maps the checklist's events (preflight.v1.Event) onto the engine's ChecklistEvent: the only
// place the notifier reads the checklist's event protos.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "notifier-service/domain/checklist_event.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::notifier {

// The launch an event carries, if it is a launch event with a snapshot.
absl::StatusOr<std::optional<LaunchInfo>> LaunchFromEvent(const v1::Event& event);

// The item an event carries, if it is an item or schedule event with a snapshot.
absl::StatusOr<std::optional<ItemInfo>> ItemFromEvent(const v1::Event& event);

// The whole event; INVALID_ARGUMENT, naming the event, for a malformed one.
absl::StatusOr<ChecklistEvent> TranslateEvent(const v1::Event& event);

}  // namespace preflight::notifier
