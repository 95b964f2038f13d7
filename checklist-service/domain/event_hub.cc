#include "checklist-service/domain/event_hub.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/status/status.h"

namespace preflight::checklist {

bool EventFilter::Matches(const Event& event) const {
  return (tenant.empty() || event.tenant == tenant) &&
         (launch_id.empty() || event.launch_id == launch_id);
}

EventSubscription::EventSubscription(EventHub* hub, EventFilter filter, size_t capacity,
                                     std::function<void(State)> notify)
    : hub_(hub), filter_(std::move(filter)), capacity_(capacity), notify_(std::move(notify)) {}

EventSubscription::~EventSubscription() { hub_->Unsubscribe(this); }

EventSubscription::Batch EventSubscription::Take() {
  absl::MutexLock lock(&mu_);
  Batch batch;
  if (closed_) {
    batch.state = State::kClosed;
  } else if (overflowed_) {
    batch.state = State::kOverflowed;
  } else {
    batch.events.assign(std::make_move_iterator(queue_.begin()),
                        std::make_move_iterator(queue_.end()));
    queue_.clear();
    // Armed under the same lock Publish queues under, so no event can slip in unnoticed.
    armed_ = batch.events.empty();
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
      this, std::move(options.filter), options.capacity, std::move(options.notify)));
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
    // At most one notification per subscription and commit: the overflow, or that it has events.
    std::optional<EventSubscription::State> notify;
    {
      absl::MutexLock sub_lock(&subscription->mu_);
      if (subscription->overflowed_ || subscription->closed_) continue;
      for (size_t i = 0; i < events.size(); ++i) {
        if (!subscription->filter_.Matches(events[i])) continue;
        if (subscription->queue_.size() >= subscription->capacity_) {
          subscription->overflowed_ = true;
          subscription->armed_ = false;
          subscription->overflow_sequence_ = events[i].sequence;
          // Release the memory now; the watcher resumes from the store.
          std::deque<std::shared_ptr<const Event>>().swap(subscription->queue_);
          notify = EventSubscription::State::kOverflowed;
          break;
        }
        if (shared[i] == nullptr) shared[i] = std::make_shared<const Event>(events[i]);
        subscription->queue_.push_back(shared[i]);
        if (subscription->armed_) {
          subscription->armed_ = false;
          notify = EventSubscription::State::kOpen;
        }
      }
    }
    // Outside the subscription's lock, so the callback may hand work to a thread that takes it.
    if (notify.has_value() && subscription->notify_) subscription->notify_(*notify);
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
      subscription->armed_ = false;
      std::deque<std::shared_ptr<const Event>>().swap(subscription->queue_);
    }
    if (subscription->notify_) subscription->notify_(EventSubscription::State::kClosed);
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
