#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "notifier-service/domain/channel.h"
#include "notifier-service/domain/notifier_store.h"
#include "notifier-service/engine/crash_points.h"
#include "notifier-service/engine/delivery_observer.h"
#include "notifier-service/engine/engine_options.h"
#include "notifier-service/engine/item_version_source.h"
#include "notifier-service/engine/rate_budget.h"
#include "notifier-service/engine/reminder_scheduler.h"

namespace preflight::notifier {

// The channels the worker sends through, by type. The inbox is not among them: the worker stores
// inbox messages itself, in the transaction that marks them delivered.
using ChannelSet = std::map<ChannelType, std::unique_ptr<Channel>>;

// Sends due deliveries. Each send is leased first (SENDING, attempt counted, committed), then
// sent, then its outcome recorded with a ledger entry, so a crash at any point leaves a state
// the next start resolves: a lease without an outcome is resent with the same idempotency key
// where the channel deduplicates (webhooks; the inbox, which never left the database), and
// becomes OUTCOME_UNKNOWN where it cannot (bots, email, log), instead of being sent twice.
//
// Deliveries to one endpoint (channel + target) go out in up to EngineOptions::max_in_flight
// lanes at once (by channel kind), each lane one message at a time; endpoints are served in
// parallel, so a hanging or failing receiver never holds up the others. Bot endpoints
// spend from a rate budget; what does not fit is folded into one digest message, and digest
// recipients' non-urgent reminders are grouped the same way.
//
// Times come from the clock, read when each request is handed to its channel: the ledger records
// when an attempt was sent (not when the pass that found it began, which may be seconds earlier
// when other messages to the same endpoint went first), and a retry is counted from when the
// answer came. A Retry-After (or a bot's documented block period) holds the whole endpoint
// until then: every delivery queued for it waits, not only the one that was answered 429.
class DeliveryWorker {
 public:
  // `send_threads` 0 sends inline during RunOnce (deterministic, for tests).
  // `clock` must outlive the worker.
  DeliveryWorker(NotifierStore* store, const ReminderScheduler* scheduler, ChannelSet* channels,
                 RateBudget* budget, ItemVersionSource* versions, const Clock* clock,
                 EngineOptions options, int send_threads, CrashHook crash_hook = nullptr,
                 DeliveryObserver* observer = nullptr);
  ~DeliveryWorker();

  // Resolves the leases a crash interrupted. Call once at start-up, before RunOnce.
  absl::Status RecoverInterrupted(absl::Time now);

  // Starts sending every delivery due at `now` that no lane has yet, in the lanes its endpoint
  // has free. Returns how many deliveries it handed to channels.
  absl::StatusOr<int> RunOnce(absl::Time now);

  // Called (on a send thread) each time a lane finishes, so the engine's loop can look for the
  // work that waited for a free lane. Set before the first RunOnce.
  void SetLaneFreed(std::function<void()> lane_freed) { lane_freed_ = std::move(lane_freed); }

  // Sends `deliveries` (already committed, PENDING) at once and waits for their outcome.
  absl::Status SendNow(const std::vector<Delivery>& deliveries);

  // Waits until no send is in flight.
  void WaitIdle();

 private:
  // Deliveries sent as one message.
  struct Unit {
    std::vector<Delivery> deliveries;
    std::string key;
    bool digest = false;
  };

  // Groups the due deliveries of one endpoint into the messages to send now; `budget_key` is
  // null for channels without a rate budget.
  std::vector<Unit> PlanUnits(std::vector<Delivery> deliveries, const BotKey* budget_key,
                              absl::Time now);
  // Lease, send, record. Returns ABORTED at a simulated crash.
  absl::Status SendUnit(const Unit& unit);
  OutgoingMessage Compose(const Unit& unit) const;
  // The outcome of a failed attempt sent at `sent` and answered at `answered`: retry later
  // (counted from the answer) or dead-letter.
  AttemptOutcome FailureOutcome(const Unit& unit, const SendResult& result, int attempt,
                                absl::Time sent, absl::Time answered);
  // Holds the endpoint (EndpointKey) until `until` (the later of this and any earlier hold): no
  // lane starts a send to it before then.
  void HoldInMemory(ChannelType channel, const std::string& target, absl::Time until);
  // Tells the observer that units[from...] wait for the rate budget.
  void ReportBudgetWait(const std::vector<Unit>& units, size_t from) const;
  // Whether the endpoint is held at `now`; HeldUntil: until when, if it is.
  bool Held(const std::string& endpoint, absl::Time now);
  std::optional<absl::Time> HeldUntil(const std::string& endpoint, absl::Time now);
  void Submit(std::function<void()> task);
  void ThreadLoop();

  NotifierStore* const store_;
  const ReminderScheduler* const scheduler_;
  ChannelSet* const channels_;
  RateBudget* const budget_;
  ItemVersionSource* const versions_;
  const Clock* const clock_;
  const EngineOptions options_;
  const CrashHook crash_hook_;

  // Null: nobody watches.
  DeliveryObserver* const observer_;
  std::function<void()> lane_freed_;

  absl::Mutex mu_;
  // Lanes queued or sending, by endpoint group (the key RunOnce groups deliveries under).
  std::map<std::string, int> busy_lanes_ ABSL_GUARDED_BY(mu_);
  // Deliveries a lane holds (queued or sending): later passes leave them to it.
  std::set<int64_t> claimed_ ABSL_GUARDED_BY(mu_);
  // Endpoints (EndpointKey) a Retry-After holds, until when.
  std::map<std::string, absl::Time> held_until_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

// "wecom|https://...": the key a bot's rate budget is kept under.
std::string EndpointKey(ChannelType channel, absl::string_view target);

}  // namespace preflight::notifier
