#include "checklist-service/domain/event_hub.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"

namespace preflight::checklist {

bool EventFilter::Matches(const Event& event) const {
  return (tenant.empty() || event.tenant == tenant) &&
         (launch_id.empty() || event.launch_id == launch_id);
}

EventSubscription::EventSubscription(EventHub* hub, EventFilter filter, size_t capacity,
                                     std::function<void(State)> on_interrupt)
    : hub_(hub),
      filter_(std::move(filter)),
      capacity_(capacity),
      on_interrupt_(std::move(on_interrupt)) {}

EventSubscription::~EventSubscription() { hub_->Unsubscribe(this); }

EventSubscription::Batch EventSubscription::Wait(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  const auto ready = [this] { return !queue_.empty() || overflowed_ || closed_; };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  Batch batch;
  if (closed_) {
    batch.state = State::kClosed;
  } else if (overflowed_) {
    batch.state = State::kOverflowed;
  } else {
    batch.events.assign(std::make_move_iterator(queue_.begin()),
                        std::make_move_iterator(queue_.end()));
    queue_.clear();
  }
  return batch;
}

EventSubscription::State EventSubscription::state() const {
  absl::MutexLock lock(&mu_);
  if (closed_) return State::kClosed;
  return overflowed_ ? State::kOverflowed : State::kOpen;
}

int64_t EventSubscription::overflow_sequence() const {
  absl::MutexLock lock(&mu_);
  return overflow_sequence_;
}

absl::StatusOr<std::unique_ptr<EventSubscription>> EventHub::Subscribe(SubscribeOptions options) {
  if (options.capacity == 0) {
    return absl::InvalidArgumentError("event subscription capacity must be at least 1");
  }
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::UnavailableError("the event hub is closed: server shutting down");
  std::unique_ptr<EventSubscription> subscription(new EventSubscription(
      this, std::move(options.filter), options.capacity, std::move(options.on_interrupt)));
  subscriptions_.insert(subscription.get());
  return subscription;
}

void EventHub::Unsubscribe(EventSubscription* subscription) {
  absl::MutexLock lock(&mu_);
  subscriptions_.erase(subscription);
}

void EventHub::Publish(const std::vector<Event>& events) {
  if (events.empty()) return;
  absl::MutexLock lock(&mu_);
  if (closed_) return;
  last_published_sequence_ = std::max(last_published_sequence_, events.back().sequence);
  // Each event is copied once, on first use, and shared by every queue it lands in.
  std::vector<std::shared_ptr<const Event>> shared(events.size());
  for (EventSubscription* subscription : subscriptions_) {
    bool overflowed_now = false;
    {
      absl::MutexLock sub_lock(&subscription->mu_);
      if (subscription->overflowed_ || subscription->closed_) continue;
      for (size_t i = 0; i < events.size(); ++i) {
        if (!subscription->filter_.Matches(events[i])) continue;
        if (subscription->queue_.size() >= subscription->capacity_) {
          subscription->overflowed_ = true;
          subscription->overflow_sequence_ = events[i].sequence;
          // Release the memory now; the watcher resumes from the store.
          std::deque<std::shared_ptr<const Event>>().swap(subscription->queue_);
          overflowed_now = true;
          break;
        }
        if (shared[i] == nullptr) shared[i] = std::make_shared<const Event>(events[i]);
        subscription->queue_.push_back(shared[i]);
      }
    }
    if (overflowed_now && subscription->on_interrupt_) {
      subscription->on_interrupt_(EventSubscription::State::kOverflowed);
    }
  }
}

void EventHub::Close() {
  absl::MutexLock lock(&mu_);
  if (closed_) return;
  closed_ = true;
  for (EventSubscription* subscription : subscriptions_) {
    {
      absl::MutexLock sub_lock(&subscription->mu_);
      subscription->closed_ = true;
      std::deque<std::shared_ptr<const Event>>().swap(subscription->queue_);
    }
    if (subscription->on_interrupt_) {
      subscription->on_interrupt_(EventSubscription::State::kClosed);
    }
  }
}

bool EventHub::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

int64_t EventHub::last_published_sequence() const {
  absl::MutexLock lock(&mu_);
  return last_published_sequence_;
}

size_t EventHub::subscriber_count() const {
  absl::MutexLock lock(&mu_);
  return subscriptions_.size();
}

}  // namespace preflight::checklist
