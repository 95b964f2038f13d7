#pragma once

// The WatchEvents use case: every event after a sequence, in order, the stored backlog first and
// then live events from the hub, with no gap or duplicate where the two meet. Plain C++, and it
// never blocks a thread: the transport asks the watch what to do next (write an event, read a
// backlog page, wait, end) and the hub wakes it when a live event arrives or the watch must end.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

struct WatchRequest {
  // Send events with a larger sequence; 0 sends the whole history.
  int64_t after_sequence = 0;
  EventFilter filter;
  // The log epoch after_sequence was read in (a stream's log_epoch()); empty: not checked.
  std::string log_epoch;
};

struct WatchOptions {
  // Events read from the store per backlog query.
  int page_size = 256;
  // Live events a watcher may have waiting before it is cut off.
  size_t queue_capacity = EventHub::kDefaultQueueCapacity;
};

// Whether a watcher that read up to `after_sequence` in epoch `log_epoch` can resume in a log
// with `epochs`: only if no later epoch (a restore) starts before that sequence.
// FAILED_PRECONDITION, saying what happened and what to do, otherwise, and for an epoch the log
// does not have.
absl::Status CheckLogEpoch(const std::vector<LogEpoch>& epochs, const std::string& log_epoch,
                           int64_t after_sequence);

// One open watch, driven by its transport with at most one write outstanding:
//
//   step = Next()
//     kWrite: send step.event; when the send completes call WriteDone(ok), then Next() again.
//     kRead:  call ReadBacklog() (one store query: where blocking briefly is fine), then Next().
//     kWait:  nothing to do until `wake` is called; then Next().
//     kEnd:   finish the stream with step.status; the watch is over.
//
// The statuses that end a watch (never OK):
//  - CANCELLED when the client went away (Cancel(), or a failed write);
//  - UNAVAILABLE "server shutting down; resume with after_sequence=N" when the hub closes;
//  - RESOURCE_EXHAUSTED, saying how far behind it was and where to resume, when the watcher's
//    live queue overflowed. An overflow while still sending the backlog is not an error: the
//    watcher resubscribes and keeps reading the store until it has caught up;
//  - a store error, with where to resume.
// N is the last sequence sent, or the requested one when nothing was sent. An event whose write
// is still outstanding counts as sent: a stream's status follows its messages, so a client that
// sees the status has that event.
//
// Why there is no gap: the subscription is made before the store is read, and the hub gets
// every event after its commit, so each event is either already in the store when a backlog
// page is read or arrives in the queue; sequences already sent are skipped.
//
// Not thread-safe: the transport makes one call at a time. `wake` is called from the hub's
// publishing thread (see its contract at Start).
class EventWatch {
 public:
  enum class Wake {
    // A live event arrived while Next() had said kWait.
    kReady,
    // The hub closed, or the live queue overflowed: Next() now says kEnd even with a write
    // outstanding, so a stream stalled on a client that stopped reading ends at once.
    kMustEnd,
  };
  using WakeCallback = std::function<void(Wake)>;

  struct Step {
    enum class Kind { kWrite, kRead, kWait, kEnd };
    Kind kind = Kind::kWait;
    std::shared_ptr<const Event> event;  // kWrite
    absl::Status status;                 // kEnd
  };

  // Checks the request and subscribes, reading the store (so: not on a thread that must never
  // block). INVALID_ARGUMENT for a negative after_sequence or a malformed tenant, NOT_FOUND for an
  // unknown launch, OUT_OF_RANGE when after_sequence is beyond the last committed sequence,
  // FAILED_PRECONDITION when log_epoch says the watcher read events this log no longer has
  // (CheckLogEpoch), UNAVAILABLE when the hub is closed.
  // `wake` is called with the hub's lock held, possibly before Start returns: it must be quick
  // and must not call back into the watch or the hub (hand the Next() call to another thread).
  static absl::StatusOr<std::unique_ptr<EventWatch>> Start(ChecklistStore& store, EventHub& hub,
                                                           const WatchRequest& request,
                                                           const WatchOptions& options,
                                                           WakeCallback wake);
  // Unsubscribes: `wake` is not called once this returns.
  ~EventWatch();
  EventWatch(const EventWatch&) = delete;
  EventWatch& operator=(const EventWatch&) = delete;

  // The last committed sequence when the watch started, and the log's current epoch: the
  // stream's initial metadata.
  int64_t start_sequence() const { return start_sequence_; }
  const std::string& log_epoch() const { return log_epoch_; }

  // What to do next; never blocks and never reads the store. With a write outstanding: kWait,
  // or kEnd when the watch must end. After kEnd every call says kEnd with the same status.
  Step Next();
  // Whether the next Next() would hand out another event without reading the store or waiting
  // (the rest of a backlog page, a burst of live events): the transport may batch its writes.
  bool HasReadyEvent() const;
  // Reads the next backlog page; only after Next() said kRead.
  void ReadBacklog();
  // The write of the last kWrite's event completed; `ok` false: it failed (the client left).
  void WriteDone(bool ok);
  // The client went away.
  void Cancel();

 private:
  using State = EventSubscription::State;

  EventWatch(ChecklistStore& store, EventHub& hub, const WatchRequest& request,
             const WatchOptions& options, WakeCallback wake);

  absl::Status Begin();
  absl::Status Subscribe();
  Step End(absl::Status status);

  // The sequence a resuming client should ask for: see the class comment.
  int64_t ResumePoint() const { return in_flight_.value_or(last_sent_); }
  std::string ResumeHint() const;
  absl::Status WithResumeHint(const absl::Status& status) const;
  absl::Status ShuttingDown() const;
  absl::Status ClientGone() const;
  absl::Status FellBehind() const;

  ChecklistStore& store_;
  EventHub& hub_;
  const WatchRequest request_;
  const WatchOptions options_;
  const WakeCallback wake_;

  int64_t start_sequence_ = 0;
  std::string log_epoch_;
  // The last sequence read from the store.
  int64_t cursor_;
  // The last sequence whose write completed.
  int64_t last_sent_;
  // The sequence of the write outstanding, if any.
  std::optional<int64_t> in_flight_;
  // Events read (a backlog page or a live batch) and not yet handed out.
  std::deque<std::shared_ptr<const Event>> pending_;
  // The last backlog page came back short: the store had nothing newer.
  bool read_to_end_ = false;
  bool cancelled_ = false;
  std::optional<absl::Status> end_;
  // Set once the backlog is sent; read by the hub's thread in the notify callback.
  std::atomic<bool> live_{false};
  // Declared last: destroyed (unsubscribed) before the fields its callback reads.
  std::unique_ptr<EventSubscription> subscription_;
};

}  // namespace preflight::checklist
