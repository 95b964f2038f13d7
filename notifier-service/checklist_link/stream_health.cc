#include "notifier-service/checklist_link/stream_health.h"

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace preflight::notifier {

bool StreamHealth::Observe(const SubscriberStatus& status, absl::Time now) {
  if (Following(status)) {
    last_following_ = now;
    healthy_ = true;
  } else if (now - last_following_ > unhealthy_after_) {
    healthy_ = false;
  }
  return healthy_;
}

StreamHealthMonitor::StreamHealthMonitor(const EventSubscriber* subscriber, const Clock* clock,
                                         Options options, std::function<void(bool)> on_change)
    : subscriber_(subscriber), clock_(clock), options_(options), on_change_(std::move(on_change)) {}

StreamHealthMonitor::~StreamHealthMonitor() { Stop(); }

void StreamHealthMonitor::Start() {
  thread_ = std::thread([this] { Run(); });
}

void StreamHealthMonitor::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void StreamHealthMonitor::Run() {
  StreamHealth health(options_.unhealthy_after, clock_->Now());
  on_change_(true);
  bool reported = true;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.interval)) return;
    }
    const SubscriberStatus status = subscriber_->Status();
    const bool healthy = health.Observe(status, clock_->Now());
    if (healthy == reported) continue;
    reported = healthy;
    if (healthy) {
      logging::Info("health", "following the checklist's event stream again: SERVING",
                    {{"applied_sequence", status.applied_sequence}});
    } else {
      logging::Warning(
          "health",
          absl::StrCat("not following the checklist's event stream for over ",
                       absl::FormatDuration(options_.unhealthy_after), ": NOT_SERVING"),
          {{"connected", status.connected},
           {"applied_sequence", status.applied_sequence},
           {"checklist_head", status.checklist_head},
           {"last_error", status.last_error}});
    }
    on_change_(healthy);
  }
}

}  // namespace preflight::notifier
