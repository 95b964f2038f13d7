#pragma once

// In-memory fan-out of committed events to live watchers. LaunchService publishes every commit's
// events (in sequence order, under its writer lock); each watcher drains its own bounded queue.
// Nothing here is durable: the store is the record, the hub only carries what commits after a
// watcher subscribed.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

// Which events a watcher wants; empty fields match everything, set fields must all match.
struct EventFilter {
  std::string tenant;
  std::string launch_id;

  bool Matches(const Event& event) const;
};

class EventHub;

// One watcher's place in the hub: a bounded queue of matching events. Destroying it unsubscribes.
// Thread-safe; the watcher drains it with Take() while the publisher fills it, and is told through
// its `notify` callback when to look again, so nobody has to block waiting for events.
class EventSubscription {
 public:
  enum class State {
    kOpen,
    // The queue hit its capacity: it was emptied to free the memory and receives nothing more.
    kOverflowed,
    // The hub closed (server shutting down).
    kClosed,
  };

  struct Batch {
    State state = State::kOpen;
    // Queued events, oldest first. Events are shared between the watchers that receive them.
    std::vector<std::shared_ptr<const Event>> events;
  };

  ~EventSubscription();
  EventSubscription(const EventSubscription&) = delete;
  EventSubscription& operator=(const EventSubscription&) = delete;

  // Takes every queued event without waiting. When there is none and the subscription is open,
  // it is armed: the next event queued calls `notify(kOpen)` once. A closed or overflowed
  // subscription returns no events.
  Batch Take();

  State state() const;
  size_t capacity() const { return capacity_; }
  // After an overflow: the sequence of the first event that found the queue full.
  int64_t overflow_sequence() const;

 private:
  friend class EventHub;
  EventSubscription(EventHub* hub, EventFilter filter, size_t capacity,
                    std::function<void(State)> notify);

  EventHub* const hub_;
  const EventFilter filter_;
  const size_t capacity_;
  // Called with the hub's lock held, so it must be quick and must not call back into the hub or
  // the subscription: kOpen when an event is queued for an armed subscription, kOverflowed when it
  // overflows, kClosed when the hub closes.
  const std::function<void(State)> notify_;

  mutable absl::Mutex mu_;
  std::deque<std::shared_ptr<const Event>> queue_ ABSL_GUARDED_BY(mu_);
  // Take() found the queue empty; the next queued event notifies.
  bool armed_ ABSL_GUARDED_BY(mu_) = false;
  bool overflowed_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int64_t overflow_sequence_ ABSL_GUARDED_BY(mu_) = 0;
};

// The fan-out. Thread-safe. Must outlive its subscriptions.
class EventHub {
 public:
  static constexpr size_t kDefaultQueueCapacity = 4096;

  struct SubscribeOptions {
    EventFilter filter;
    // Events a watcher may have queued and unsent before it is cut off; at least 1.
    size_t capacity = kDefaultQueueCapacity;
    // See EventSubscription::notify_. Optional.
    std::function<void(EventSubscription::State)> notify;
  };

  EventHub() = default;
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // UNAVAILABLE once the hub is closed; INVALID_ARGUMENT for a zero capacity.
  absl::StatusOr<std::unique_ptr<EventSubscription>> Subscribe(SubscribeOptions options);

  // Hands committed events, in sequence order, to every open subscription they match, and
  // notifies the armed ones. A subscription without room for all of them overflows. Does nothing
  // once closed.
  void Publish(const std::vector<Event>& events);

  // Marks every subscription closed and notifies it; later subscriptions fail. For shutdown: open
  // watches end at once instead of holding the server up.
  void Close();

  bool closed() const;
  // The highest sequence published so far (0 before the first).
  int64_t last_published_sequence() const;
  size_t subscriber_count() const;

 private:
  friend class EventSubscription;
  void Unsubscribe(EventSubscription* subscription);

  mutable absl::Mutex mu_;
  absl::flat_hash_set<EventSubscription*> subscriptions_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int64_t last_published_sequence_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace preflight::checklist
