#include "checklist-service/domain/event_watch.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/tenant_id.h"
#include "common/error_text.h"

namespace preflight::checklist {

absl::StatusOr<std::unique_ptr<EventWatch>> EventWatch::Start(ChecklistStore& store, EventHub& hub,
                                                              const WatchRequest& request,
                                                              const WatchOptions& options,
                                                              WakeCallback wake) {
  std::unique_ptr<EventWatch> watch(new EventWatch(store, hub, request, options, std::move(wake)));
  if (absl::Status s = watch->Begin(); !s.ok()) return s;
  return watch;
}

EventWatch::EventWatch(ChecklistStore& store, EventHub& hub, const WatchRequest& request,
                       const WatchOptions& options, WakeCallback wake)
    : store_(store),
      hub_(hub),
      request_(request),
      options_(options),
      wake_(std::move(wake)),
      cursor_(request.after_sequence),
      last_sent_(request.after_sequence) {}

EventWatch::~EventWatch() = default;

absl::Status EventWatch::Begin() {
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
  start_sequence_ = *head;
  log_epoch_ = epochs->back().id;
  return absl::OkStatus();
}

absl::Status EventWatch::Subscribe() {
  subscription_.reset();
  EventHub::SubscribeOptions options;
  options.filter = request_.filter;
  options.capacity = options_.queue_capacity;
  options.notify = [this](State state) {
    if (!wake_) return;
    if (state == State::kOpen) {
      wake_(Wake::kReady);
    } else if (state == State::kClosed || live_.load()) {
      // A backlog-phase overflow is repaired by resubscribing at the next page read, which the
      // transport is about to ask for anyway, so only a closed hub or a live overflow wakes.
      wake_(Wake::kMustEnd);
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

EventWatch::Step EventWatch::Next() {
  if (end_.has_value()) return End(*end_);
  if (cancelled_) return End(ClientGone());
  const State state = subscription_->state();
  if (state == State::kClosed) return End(ShuttingDown());
  if (state == State::kOverflowed && live_.load()) return End(FellBehind());
  if (in_flight_.has_value()) return Step{};
  while (true) {
    while (!pending_.empty()) {
      std::shared_ptr<const Event> event = std::move(pending_.front());
      pending_.pop_front();
      if (event->sequence <= last_sent_ || !request_.filter.Matches(*event)) continue;
      in_flight_ = event->sequence;
      Step step;
      step.kind = Step::Kind::kWrite;
      step.event = std::move(event);
      return step;
    }
    if (!live_.load()) {
      // Caught up with the store? The queue holds everything since it subscribed unless it
      // overflowed; then read on (ReadBacklog resubscribes). From here on an overflow ends it.
      if (!read_to_end_ || subscription_->state() == State::kOverflowed) {
        read_to_end_ = false;
        Step step;
        step.kind = Step::Kind::kRead;
        return step;
      }
      live_.store(true);
    }
    EventSubscription::Batch batch = subscription_->Take();
    if (batch.state == State::kClosed) return End(ShuttingDown());
    if (batch.state == State::kOverflowed) return End(FellBehind());
    // Empty: Take armed the subscription, so the next event wakes the transport.
    if (batch.events.empty()) return Step{};
    pending_.assign(std::make_move_iterator(batch.events.begin()),
                    std::make_move_iterator(batch.events.end()));
  }
}

bool EventWatch::HasReadyEvent() const {
  if (end_.has_value() || cancelled_) return false;
  // Exactly what Next() would send: a transport that holds a write back for the next one must
  // get that next one.
  const int64_t sent = in_flight_.value_or(last_sent_);
  for (const std::shared_ptr<const Event>& event : pending_) {
    if (event->sequence > sent && request_.filter.Matches(*event)) return true;
  }
  return false;
}

void EventWatch::ReadBacklog() {
  if (end_.has_value() || live_.load() || in_flight_.has_value()) return;
  const State state = subscription_->state();
  if (state == State::kClosed) {
    end_ = ShuttingDown();
    return;
  }
  if (state == State::kOverflowed) {
    // The store has everything the queue lost.
    if (absl::Status s = Subscribe(); !s.ok()) {
      end_ = s;
      return;
    }
  }
  absl::StatusOr<std::vector<Event>> page =
      request_.filter.launch_id.empty()
          ? store_.ReadEvents(cursor_, options_.page_size)
          : store_.ListLaunchEvents(request_.filter.launch_id, cursor_, options_.page_size);
  if (!page.ok()) {
    end_ = WithResumeHint(page.status());
    return;
  }
  for (Event& event : *page) {
    cursor_ = event.sequence;
    pending_.push_back(std::make_shared<const Event>(std::move(event)));
  }
  read_to_end_ = static_cast<int>(page->size()) < options_.page_size;
}

void EventWatch::WriteDone(bool ok) {
  if (!in_flight_.has_value()) return;
  if (ok) {
    last_sent_ = *in_flight_;
  } else {
    cancelled_ = true;
  }
  in_flight_.reset();
}

void EventWatch::Cancel() { cancelled_ = true; }

EventWatch::Step EventWatch::End(absl::Status status) {
  if (!end_.has_value()) end_ = status;
  // Nothing is read or sent any more.
  pending_.clear();
  Step step;
  step.kind = Step::Kind::kEnd;
  step.status = std::move(status);
  return step;
}

std::string EventWatch::ResumeHint() const {
  return absl::StrCat("resume with after_sequence=", ResumePoint());
}

absl::Status EventWatch::WithResumeHint(const absl::Status& status) const {
  return absl::Status(status.code(), absl::StrCat(status.message(), "; ", ResumeHint()));
}

absl::Status EventWatch::ShuttingDown() const {
  return absl::UnavailableError(absl::StrCat("server shutting down; ", ResumeHint()));
}

absl::Status EventWatch::ClientGone() const {
  // The client has not got an event whose write is outstanding.
  return absl::CancelledError(
      absl::StrCat("the client went away; resume with after_sequence=", last_sent_));
}

absl::Status EventWatch::FellBehind() const {
  const int64_t sent = ResumePoint();
  const int64_t head = std::max(hub_.last_published_sequence(), sent);
  return absl::ResourceExhaustedError(
      absl::StrCat("watcher fell too far behind: more than ", options_.queue_capacity,
                   " events were waiting to be sent (sent up to sequence ", sent,
                   ", the stream is at ", head, ", ", head - sent, " behind); ", ResumeHint()));
}

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

}  // namespace preflight::checklist
