#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "notifier-service/checklist_link/backoff.h"
#include "notifier-service/domain/checklist_event.h"
#include "notifier-service/domain/event_sink.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::notifier {

struct SubscriberOptions {
  // The checklist service, HOST:PORT.
  std::string checklist_address;
  // Null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // With TLS credentials: the name the checklist's certificate is checked against instead of the
  // host of checklist_address; empty: that host.
  std::string tls_server_name;
  // Reconnection backoff: jittered, exponential from initial to max, reset after progress.
  absl::Duration initial_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(30);
  BackoffOptions::Jitter jitter = BackoffOptions::Jitter::kFull;
  // Tests inject a fixed sequence; null draws from a real generator.
  Backoff::RandomSource random;
  // Client keepalive pings, so an idle stream survives NATs and proxies for hours and a dead
  // connection is noticed. The checklist server accepts pings every 20 s or more.
  absl::Duration keepalive_time = absl::Seconds(30);
  absl::Duration keepalive_timeout = absl::Seconds(10);
  // Events applied in one transaction while the stream replays a backlog; an event at the
  // checklist's head is applied at once.
  int max_batch = 256;
  // Sent with every WatchEvents call (e.g. credentials).
  std::vector<std::pair<std::string, std::string>> metadata;
};

// Where the subscriber stands, for GetSubscriptionStatus.
struct SubscriberStatus {
  // A WatchEvents stream is open and was accepted by the checklist service.
  bool connected = false;
  // The last sequence the sink committed.
  int64_t applied_sequence = 0;
  // The checklist's last committed sequence as last seen: what it said when the stream opened,
  // or the newest event received since. applied_sequence == checklist_head: caught up.
  int64_t checklist_head = 0;
  // The checklist's time of the last event applied by this process.
  std::optional<absl::Time> last_event_time;
  // Streams opened after the first one.
  int reconnects = 0;
  // Why the last stream ended (or could not start); empty until one did.
  std::string last_error;
  // The checklist refused the cursor: its log no longer has the events applied (it was restored
  // from a backup). Nothing is applied until the operator acts (docs/operations.md).
  bool cursor_refused = false;
};

// Follows ChecklistService.WatchEvents and feeds each event to the sink, in order, exactly once
// in effect: the stream resumes after the sink's committed cursor, and anything at or below it
// is skipped. A backlog is applied in batches (SubscriberOptions::max_batch), live events one by
// one as they come. When the stream ends or cannot be opened (the checklist is down or restarting,
// the watcher was cut off, the sink failed), it backs off with jitter and reconnects. Logs one line
// per disconnect and per reconnect, never per event. Thread-safe.
class EventSubscriber {
 public:
  // `sink` must outlive the subscriber.
  EventSubscriber(EventSink* sink, SubscriberOptions options);
  // Stops.
  ~EventSubscriber();
  EventSubscriber(const EventSubscriber&) = delete;
  EventSubscriber& operator=(const EventSubscriber&) = delete;

  // Starts following on a thread of its own. INVALID_ARGUMENT without a sink or an address,
  // FAILED_PRECONDITION when already started.
  absl::Status Start();
  // Cancels the stream or the backoff wait and joins the thread; returns once no Apply is in
  // progress. Idempotent.
  void Stop();

  SubscriberStatus Status() const;
  // Waits until the applied sequence reaches `sequence`; false on timeout.
  bool WaitForSequence(int64_t sequence, absl::Duration timeout) const;
  // Waits until `condition` holds for the status; false on timeout.
  bool WaitForStatus(const std::function<bool(const SubscriberStatus&)>& condition,
                     absl::Duration timeout) const;

 private:
  void Run();
  // Opens one stream and applies its events until it ends; returns why it ended. Sets
  // `progressed` when at least one event was applied.
  absl::Status FollowOnce(bool& progressed, bool& refused);
  // Events received and not yet applied.
  struct PendingBatch {
    std::vector<ChecklistEvent> events;
    absl::Time last_event_time;
  };
  // Translates `event` onto `batch` unless the cursor is already past it; applies the batch when
  // it is full or the event is at the head. A malformed event fails after the ones before it are
  // applied.
  absl::Status Take(const v1::Event& event, int64_t& applied, PendingBatch& batch);
  // Applies and clears `batch`, advancing `applied`.
  absl::Status Flush(PendingBatch& batch, int64_t& applied);
  // Waits `delay` unless stopped first; false when stopped.
  bool WaitUnlessStopped(absl::Duration delay);
  std::shared_ptr<grpc::Channel> NewChannel() const;

  EventSink* const sink_;
  const SubscriberOptions options_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The open call, so Stop can cancel it.
  grpc::ClientContext* active_context_ ABSL_GUARDED_BY(mu_) = nullptr;
  SubscriberStatus status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace preflight::notifier
