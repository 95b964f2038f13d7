#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "notifier-service/engine/delivery_worker.h"
#include "notifier-service/engine/dispatcher.h"
#include "notifier-service/engine/event_applier.h"
#include "notifier-service/engine/forecast.h"
#include "notifier-service/engine/reminder_scheduler.h"
#include "notifier-service/engine/router.h"
#include "notifier-service/engine/weekly_digest_scheduler.h"

namespace preflight::notifier {

struct NotifierEngineOptions {
  EngineOptions engine;
  // Parallel sends (0: inline, for tests that step the engine by hand). Several times the most
  // lanes one endpoint may have (8, EngineOptions::max_in_flight), so one hanging endpoint never
  // takes every thread from the others.
  int send_threads = 32;
  // The longest the background loop sleeps when nothing wakes it. It wakes at once on an applied
  // event and on a freed send lane, and starts the next pass at once after a pass that made
  // progress, so this only bounds how late a retry or rung that merely came due is noticed.
  absl::Duration tick = absl::Seconds(1);
  // Told of every send attempt (the metrics); null: nobody.
  DeliveryObserver* observer = nullptr;
};

// The notifier's use cases, wired together: the event sink the subscriber feeds, the
// dispatcher and the delivery worker (stepped by hand with RunOnce, or by a background loop with
// Start), and the operations behind the API (forecast, snooze, acknowledge, test message,
// recipients). Plain C++: the gRPC layer maps onto these calls.
class NotifierEngine {
 public:
  NotifierEngine(NotifierStore* store, const ReminderPolicy* policy,
                 const WorkingCalendar* calendar, ChannelSet* channels, RateBudget* budget,
                 ItemVersionSource* versions, const Clock* clock, NotifierEngineOptions options,
                 CrashHook crash_hook = nullptr);
  ~NotifierEngine();

  // Wakes the background loop after each applied event.
  EventSink* event_sink() { return &waking_sink_; }

  // Resolves deliveries a crash left SENDING. Call once before Start or RunOnce.
  absl::Status Recover();
  // One pass: decide what is due, then send it. Returns the number of deliveries handed to
  // channels.
  absl::StatusOr<int> RunOnce();
  // Waits for the sends RunOnce handed to the send threads.
  void WaitIdle() { worker_.WaitIdle(); }
  // Runs passes on a thread of its own until Stop: again at once while they make progress,
  // else when woken (Wake, an applied event, a freed send lane), when the next check or retry
  // falls due (NotifierStore::NextDueTime), or after `tick`, whichever comes first.
  void Start();
  void Stop();
  // Makes the background loop start a pass now (new work arrived).
  void Wake();
  // Weekly digests are decided only while `caught_up` is true (WeeklyDigestScheduler::
  // SetReadiness). Call before Start.
  void SetDigestReadiness(std::function<bool()> caught_up) {
    weekly_digests_.SetReadiness(std::move(caught_up));
  }

  absl::StatusOr<std::vector<ForecastEntry>> ListReminders(const ForecastQuery& query);
  absl::StatusOr<std::vector<Delivery>> ListDeliveries(const DeliveryFilter& filter,
                                                       int64_t before_id, int limit);
  // INVALID_ARGUMENT when `until` is not in the future or more than 30 days ahead; NOT_FOUND for
  // an item the notifier has not heard of.
  absl::StatusOr<ItemRecord> Snooze(const std::string& launch_id, const std::string& code,
                                    absl::Time until);
  // Stops the item's ladder until its version changes and cancels its pending deliveries.
  absl::StatusOr<ItemRecord> Acknowledge(const std::string& launch_id, const std::string& code);
  // Sends a test message to recipient (`tenant`, `id`) over `channel` (or each of its channels)
  // now.
  absl::StatusOr<std::vector<Delivery>> SendTest(const std::string& tenant, const std::string& id,
                                                 std::optional<ChannelType> channel);

  // Recipients, validated (see recipient_validation.h). A recipient is its (tenant, id); tenant
  // "" is the tenant-less one.
  absl::StatusOr<Recipient> CreateRecipient(Recipient recipient);
  // NOT_FOUND "<name>: no such recipient".
  absl::StatusOr<Recipient> GetRecipient(const std::string& tenant, const std::string& id);
  // The launch as the event stream last described it; nullopt before any event about it.
  absl::StatusOr<std::optional<LaunchInfo>> GetLaunch(const std::string& launch_id);
  // In (tenant, id) order after (`after_tenant`, `after_id`); `tenant` empty lists all.
  absl::StatusOr<std::vector<Recipient>> ListRecipients(const std::string& tenant,
                                                        const std::string& after_tenant,
                                                        const std::string& after_id, int limit);
  // `recipient.version` must be the stored version (checked by the store: ABORTED).
  absl::StatusOr<Recipient> UpdateRecipient(Recipient recipient);
  absl::Status DeleteRecipient(const std::string& tenant, const std::string& id,
                               std::optional<int64_t> expected_version);
  absl::StatusOr<std::vector<InboxMessage>> ListInbox(const std::string& tenant,
                                                      const std::string& id, int64_t before_id,
                                                      int limit);
  // The next time the item's ladder is looked at, for the API.
  NotifierStore* store() { return store_; }
  const Clock& clock() const { return *clock_; }

 private:
  // Forwards to the applier and wakes the loop: a new event may make work due now.
  class WakingSink final : public EventSink {
   public:
    WakingSink(EventSink* inner, NotifierEngine* engine) : inner_(inner), engine_(engine) {}
    absl::StatusOr<int64_t> AppliedSequence() override { return inner_->AppliedSequence(); }
    absl::StatusOr<std::string> LogEpoch() override { return inner_->LogEpoch(); }
    absl::Status SetLogEpoch(const std::string& epoch) override {
      return inner_->SetLogEpoch(epoch);
    }
    absl::Status ApplyBatch(absl::Span<const ChecklistEvent> events) override {
      absl::Status applied = inner_->ApplyBatch(events);
      if (!applied.ok() || events.empty()) return applied;
      // While a backlog replays, a pass per batch would contend with the intake for the decide
      // lock and the database for little: every kWakeEvery events, and at the head, suffice.
      since_wake_ += static_cast<int>(events.size());
      if (!events.back().catching_up || since_wake_ >= kWakeEvery) {
        since_wake_ = 0;
        engine_->Wake();
      }
      return applied;
    }

   private:
    static constexpr int kWakeEvery = 100;
    EventSink* const inner_;
    NotifierEngine* const engine_;
    int since_wake_ = 0;  // only the subscriber's thread applies events
  };

  struct PassResult {
    int decided = 0;
    int handed = 0;
  };
  absl::StatusOr<PassResult> Pass();
  // How long the loop may sleep after a pass that found nothing to do.
  absl::Duration UntilNextDue();

  NotifierStore* const store_;
  const Clock* const clock_;
  const NotifierEngineOptions options_;
  ReminderScheduler scheduler_;
  Router router_;
  absl::Mutex decide_mu_;
  Dispatcher dispatcher_;
  EventApplier applier_;
  DeliveryWorker worker_;
  WeeklyDigestScheduler weekly_digests_;
  WakingSink waking_sink_{&applier_, this};

  absl::Mutex loop_mu_;
  bool stopping_ ABSL_GUARDED_BY(loop_mu_) = false;
  bool wake_ ABSL_GUARDED_BY(loop_mu_) = false;
  std::thread loop_;
};

}  // namespace preflight::notifier
