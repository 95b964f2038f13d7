#pragma once

// The WatchEvents use case: every event after a sequence, in order, the stored backlog first and
// then live events from the hub, with no gap or duplicate where the two meet. Plain C++; the
// transport supplies the callbacks that write to its stream.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/model.h"
#include "checklist-service/domain/checklist_store.h"

namespace preflight::checklist {

struct WatchRequest {
  // Send events with a larger sequence; 0 sends the whole history.
  int64_t after_sequence = 0;
  EventFilter filter;
  // The log epoch after_sequence was read in (a stream's on_started epoch); empty: not checked.
  std::string log_epoch;
};

struct WatchOptions {
  // Events read from the store per backlog query.
  int page_size = 256;
  // How often a watcher waiting for live events checks whether its client went away.
  absl::Duration poll_interval = absl::Seconds(1);
  // Live events a watcher may have waiting before it is cut off.
  size_t queue_capacity = EventHub::kDefaultQueueCapacity;
};

struct WatchCallbacks {
  // Sends one event; false when it could not (the client went away, or the watch was
  // interrupted). Required.
  std::function<bool(const Event&)> write;
  // True once the client has gone away. Required.
  std::function<bool()> is_cancelled;
  // Called once the watch is accepted, before the first event, with the last committed sequence
  // and the log's current epoch. Optional.
  std::function<void(int64_t last_sequence, const std::string& log_epoch)> on_started;
  // Called from another thread when the watch must end at once (shutdown, or a live-phase
  // overflow) so that a `write` blocked on a stalled client can give up. It must be quick and
  // must not call back into the watch or the hub. Optional.
  std::function<void()> interrupt;
};

// Runs one watch until it ends; never returns OK:
//  - INVALID_ARGUMENT for a negative after_sequence or a malformed tenant, NOT_FOUND for an
//    unknown launch, OUT_OF_RANGE when after_sequence is beyond the last committed sequence,
//    FAILED_PRECONDITION when log_epoch says the watcher read events this log no longer has
//    (CheckLogEpoch);
//  - CANCELLED when the client went away;
//  - UNAVAILABLE "server shutting down; resume with after_sequence=N" when the hub closes;
//  - RESOURCE_EXHAUSTED, saying how far behind it was and where to resume, when the watcher's
//    live queue overflowed. An overflow while still sending the backlog is not an error: the
//    watcher resubscribes and keeps reading the store until it has caught up.
// N is the last sequence sent, or the requested one when nothing was sent.
//
// Why there is no gap: the subscription is made before the store is read, and the hub gets
// every event after its commit, so each event is either already in the store when a backlog
// page is read or arrives in the queue; sequences already sent are skipped.
// Whether a watcher that read up to `after_sequence` in epoch `log_epoch` can resume in a log
// with `epochs`: only if no later epoch (a restore) starts before that sequence.
// FAILED_PRECONDITION, saying what happened and what to do, otherwise, and for an epoch the log
// does not have.
absl::Status CheckLogEpoch(const std::vector<LogEpoch>& epochs, const std::string& log_epoch,
                           int64_t after_sequence);

absl::Status WatchEvents(ChecklistStore& store, EventHub& hub, const WatchRequest& request,
                         const WatchCallbacks& callbacks, const WatchOptions& options = {});

}  // namespace preflight::checklist
