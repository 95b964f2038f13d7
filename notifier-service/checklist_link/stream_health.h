#pragma once

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "notifier-service/checklist_link/event_subscriber.h"

namespace preflight::notifier {

// Whether the notifier follows the checklist's event stream well enough to call itself healthy.
// Following means connected and caught up (applied every event up to the head it was shown). A
// notifier that has not been following for longer than `unhealthy_after` is unhealthy (its
// reminders may be about stale state); it is healthy again as soon as it follows. Short
// reconnects within the grace period do not flap. Starts healthy, with the grace period from
// `start`. Not thread-safe: one observer.
class StreamHealth {
 public:
  StreamHealth(absl::Duration unhealthy_after, absl::Time start)
      : unhealthy_after_(unhealthy_after), last_following_(start) {}

  // Takes the subscriber's status at `now`; returns whether healthy.
  bool Observe(const SubscriberStatus& status, absl::Time now);
  bool healthy() const { return healthy_; }
  // Since when it has not been following; meaningful while not following.
  absl::Time last_following() const { return last_following_; }

  static bool Following(const SubscriberStatus& status) {
    return status.connected && status.applied_sequence >= status.checklist_head;
  }

 private:
  const absl::Duration unhealthy_after_;
  absl::Time last_following_;
  bool healthy_ = true;
};

// Polls an EventSubscriber every `interval` and reports StreamHealth's verdict through
// `on_change` (called once at start and on every change, from the monitor's thread).
class StreamHealthMonitor {
 public:
  struct Options {
    absl::Duration unhealthy_after = absl::Seconds(60);
    absl::Duration interval = absl::Seconds(1);
  };

  StreamHealthMonitor(const EventSubscriber* subscriber, const Clock* clock, Options options,
                      std::function<void(bool healthy)> on_change);
  ~StreamHealthMonitor();
  StreamHealthMonitor(const StreamHealthMonitor&) = delete;
  StreamHealthMonitor& operator=(const StreamHealthMonitor&) = delete;

  void Start();
  // Joins the thread. Idempotent.
  void Stop();

 private:
  void Run();

  const EventSubscriber* const subscriber_;
  const Clock* const clock_;
  const Options options_;
  const std::function<void(bool)> on_change_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace preflight::notifier
