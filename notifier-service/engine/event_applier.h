#pragma once

#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/clock.h"
#include "notifier-service/domain/event_sink.h"
#include "notifier-service/domain/notifier_store.h"
#include "notifier-service/engine/dispatcher.h"
#include "notifier-service/engine/event_batch_view.h"
#include "notifier-service/engine/reminder_scheduler.h"

namespace preflight::notifier {

// Applies the checklist's events to the notifier's state: the launch or item the event carries,
// the item's next check, and the cancellation of pending deliveries the change made wrong (the
// item is done, its deadline moved, it was reassigned, the owner changed). All of it commits with
// the cursor in one transaction, so a crash replays the event from the stream, and a replayed
// event (sequence at or below the cursor) is ignored. A batch is decided event by event on an
// EventBatchView, so each event sees the effects of those before it, and commits in one
// transaction.
class EventApplier final : public EventSink {
 public:
  // `decide_mu` is shared with the dispatcher's pass so a decision never overwrites the effects
  // of an event applied while it ran.
  EventApplier(NotifierStore* store, const ReminderScheduler* scheduler,
               const Dispatcher* dispatcher, const Clock* clock, absl::Mutex* decide_mu);

  absl::StatusOr<int64_t> AppliedSequence() override;
  absl::StatusOr<std::string> LogEpoch() override { return store_->StreamLogEpoch(); }
  absl::Status SetLogEpoch(const std::string& epoch) override {
    return store_->SetStreamLogEpoch(epoch);
  }
  absl::Status ApplyBatch(absl::Span<const ChecklistEvent> events) override;

 private:
  // Appends to `cancel` the pending deliveries of `record` that `launch` and the item's new
  // state make wrong, and returns why (empty when none).
  absl::StatusOr<std::string> CollectCancellations(const EventBatchView& view,
                                                   const LaunchInfo& launch,
                                                   const ItemRecord& record,
                                                   std::vector<int64_t>& cancel) const;
  // What `event` does, read from `view` (which the caller then tells of it).
  absl::StatusOr<EventEffects> Decide(const EventBatchView& view, const ChecklistEvent& event,
                                      absl::Time now) const;

  NotifierStore* const store_;
  const ReminderScheduler* const scheduler_;
  const Dispatcher* const dispatcher_;
  const Clock* const clock_;
  absl::Mutex* const decide_mu_;
};

}  // namespace preflight::notifier
