#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "notifier-service/domain/checklist_event.h"

namespace preflight::notifier {

// Where the checklist's events go: the notifier's engine implements it over its database. The
// cursor lives in the same database as the state the events produce, so after any crash the two
// agree and the stream resumes exactly after the last event whose effects were kept.
class EventSink {
 public:
  virtual ~EventSink() = default;

  // The last sequence whose effects are committed; 0 at first start.
  virtual absl::StatusOr<int64_t> AppliedSequence() = 0;
  // The checklist's log epoch that sequence was read in; empty when not known.
  virtual absl::StatusOr<std::string> LogEpoch() = 0;
  // Records the epoch of a stream that accepted the applied sequence.
  virtual absl::Status SetLogEpoch(const std::string& epoch) = 0;

  // Applies consecutive events in order and commits all their effects together with the cursor
  // (= the last event's sequence), atomically: one transaction for a whole backlog page. Events
  // at or below the cursor are skipped. On error nothing of the batch is kept, and its events
  // will be offered again.
  virtual absl::Status ApplyBatch(absl::Span<const ChecklistEvent> events) = 0;
  absl::Status Apply(const ChecklistEvent& event) {
    return ApplyBatch(absl::MakeConstSpan(&event, 1));
  }
};

}  // namespace preflight::notifier
