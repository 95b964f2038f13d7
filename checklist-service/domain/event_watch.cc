#include "checklist-service/domain/event_watch.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/error_text.h"
#include "common/api/tenant_id.h"

namespace preflight::checklist {
namespace {

using State = EventSubscription::State;

// One running watch: what has been sent, and the subscription that feeds the live phase.
class Watch {
 public:
  Watch(ChecklistStore& store, EventHub& hub, const WatchRequest& request,
        const WatchCallbacks& callbacks, const WatchOptions& options)
      : store_(store),
        hub_(hub),
        request_(request),
        callbacks_(callbacks),
        options_(options),
        last_sent_(request.after_sequence) {}

  absl::Status Run() {
    if (request_.after_sequence < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("after_sequence: must not be negative, got ", request_.after_sequence));
    }
    if (!request_.filter.tenant.empty()) {
      if (absl::Status s = api::ValidateTenantId("tenant", request_.filter.tenant); !s.ok()) return s;
    }
    if (options_.page_size <= 0) {
      return absl::InvalidArgumentError("watch page size must be positive");
    }
    // Subscribe before anything is read from the store: see the header.
    if (absl::Status s = Subscribe(); !s.ok()) return s;
    if (!request_.filter.launch_id.empty()) {
      absl::StatusOr<LaunchState> launch = store_.LoadLaunch(request_.filter.launch_id);
      if (!launch.ok()) return launch.status();
    }
    absl::StatusOr<int64_t> head = store_.LastSequence();
    if (!head.ok()) return WithResumeHint(head.status());
    if (request_.after_sequence > *head) {
      return absl::OutOfRangeError(absl::StrCat(
          "after_sequence: ", request_.after_sequence, " is beyond the last committed sequence ",
          *head,
          ": this event log was restored from an older backup, or is another service's; the "
          "watcher must restore its state from the same backup or re-read the log from 0"));
    }
    absl::StatusOr<std::vector<LogEpoch>> epochs = store_.LogEpochs();
    if (!epochs.ok()) return WithResumeHint(epochs.status());
    if (absl::Status s = CheckLogEpoch(*epochs, request_.log_epoch, request_.after_sequence);
        !s.ok()) {
      return s;
    }
    if (callbacks_.on_started) callbacks_.on_started(*head, epochs->back().id);
    if (absl::Status s = SendBacklog(); !s.ok()) return s;
    return SendLive();
  }

 private:
  absl::Status Subscribe() {
    subscription_.reset();
    EventHub::SubscribeOptions options;
    options.filter = request_.filter;
    options.capacity = options_.queue_capacity;
    options.on_interrupt = [this](State state) {
      // A backlog-phase overflow is repaired by resubscribing, so only a closed hub or a live
      // overflow must stop a blocked write.
      if ((state == State::kClosed || live_.load()) && callbacks_.interrupt) {
        callbacks_.interrupt();
      }
    };
    absl::StatusOr<std::unique_ptr<EventSubscription>> subscription =
        hub_.Subscribe(std::move(options));
    if (!subscription.ok()) {
      if (absl::IsUnavailable(subscription.status())) return ShuttingDown();
      return subscription.status();
    }
    subscription_ = *std::move(subscription);
    return absl::OkStatus();
  }

  // Reads the store from the requested sequence until it has nothing newer. When the live queue
  // overflows meanwhile it resubscribes and reads on: the store has everything the queue lost.
  absl::Status SendBacklog() {
    int64_t cursor = request_.after_sequence;  // last sequence read from the store
    while (true) {
      if (callbacks_.is_cancelled()) return ClientGone();
      const State state = subscription_->state();
      if (state == State::kClosed) return ShuttingDown();
      if (state == State::kOverflowed) {
        if (absl::Status s = Subscribe(); !s.ok()) return s;
      }
      absl::StatusOr<std::vector<Event>> page =
          request_.filter.launch_id.empty()
              ? store_.ReadEvents(cursor, options_.page_size)
              : store_.ListLaunchEvents(request_.filter.launch_id, cursor, options_.page_size);
      if (!page.ok()) return WithResumeHint(page.status());
      for (const Event& event : *page) {
        cursor = event.sequence;
        if (absl::Status s = Send(event); !s.ok()) return s;
      }
      if (static_cast<int>(page->size()) < options_.page_size) {
        // Caught up with the store. The queue holds everything since it subscribed unless it
        // overflowed; from here on an overflow ends the watch.
        if (subscription_->state() == State::kOverflowed) continue;
        live_.store(true);
        return absl::OkStatus();
      }
    }
  }

  absl::Status SendLive() {
    while (true) {
      if (callbacks_.is_cancelled()) return ClientGone();
      EventSubscription::Batch batch = subscription_->Wait(options_.poll_interval);
      if (batch.state == State::kClosed) return ShuttingDown();
      if (batch.state == State::kOverflowed) return FellBehind();
      for (const std::shared_ptr<const Event>& event : batch.events) {
        if (absl::Status s = Send(*event); !s.ok()) return s;
      }
    }
  }

  absl::Status Send(const Event& event) {
    if (event.sequence <= last_sent_ || !request_.filter.Matches(event)) return absl::OkStatus();
    if (!callbacks_.write(event)) return WhyWriteFailed();
    last_sent_ = event.sequence;
    return absl::OkStatus();
  }

  // A write fails when the client left or the watch was interrupted; tell which.
  absl::Status WhyWriteFailed() {
    const State state = subscription_->state();
    if (state == State::kClosed) return ShuttingDown();
    if (state == State::kOverflowed && live_.load()) return FellBehind();
    return ClientGone();
  }

  std::string ResumeHint() const { return absl::StrCat("resume with after_sequence=", last_sent_); }

  absl::Status WithResumeHint(const absl::Status& status) const {
    return absl::Status(status.code(), absl::StrCat(status.message(), "; ", ResumeHint()));
  }

  absl::Status ShuttingDown() const {
    return absl::UnavailableError(absl::StrCat("server shutting down; ", ResumeHint()));
  }

  absl::Status ClientGone() const {
    return absl::CancelledError(absl::StrCat("the client went away; ", ResumeHint()));
  }

  absl::Status FellBehind() const {
    const int64_t head = std::max(hub_.last_published_sequence(), last_sent_);
    return absl::ResourceExhaustedError(absl::StrCat(
        "watcher fell too far behind: more than ", options_.queue_capacity,
        " events were waiting to be sent (sent up to sequence ", last_sent_, ", the stream is at ",
        head, ", ", head - last_sent_, " behind); ", ResumeHint()));
  }

  ChecklistStore& store_;
  EventHub& hub_;
  const WatchRequest& request_;
  const WatchCallbacks& callbacks_;
  const WatchOptions& options_;
  int64_t last_sent_;
  // Set once the backlog is sent; read by the hub's thread in the interrupt callback.
  std::atomic<bool> live_{false};
  // Declared last: destroyed (unsubscribed) before the fields its callback reads.
  std::unique_ptr<EventSubscription> subscription_;
};

}  // namespace

absl::Status CheckLogEpoch(const std::vector<LogEpoch>& epochs, const std::string& log_epoch,
                           int64_t after_sequence) {
  if (log_epoch.empty()) return absl::OkStatus();
  auto read_in = std::find_if(epochs.begin(), epochs.end(),
                              [&](const LogEpoch& epoch) { return epoch.id == log_epoch; });
  if (read_in == epochs.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "log_epoch: ", QuoteForError(log_epoch),
        " is not an epoch of this event log: it was restored from a backup older than that "
        "epoch, or is another service's; the watcher must restore its state from the same "
        "backup or re-read the log from 0"));
  }
  for (auto later = std::next(read_in); later != epochs.end(); ++later) {
    if (after_sequence > later->base_sequence) {
      return absl::FailedPreconditionError(absl::StrCat(
          "after_sequence: this event log was restored from a backup taken at sequence ",
          later->base_sequence, " (log epoch ", later->id, ") after the watcher had read up to ",
          after_sequence, ": events ", later->base_sequence + 1, "..", after_sequence,
          " it saw are not in this log, and new events reuse their numbers; the watcher must "
          "restore its state from the same backup or re-read the log from 0"));
    }
  }
  return absl::OkStatus();
}

absl::Status WatchEvents(ChecklistStore& store, EventHub& hub, const WatchRequest& request,
                         const WatchCallbacks& callbacks, const WatchOptions& options) {
  Watch watch(store, hub, request, callbacks, options);
  return watch.Run();
}

}  // namespace preflight::checklist
