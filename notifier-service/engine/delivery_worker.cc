#include "notifier-service/engine/delivery_worker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto.h"
#include "common/logging/log.h"
#include "notifier-service/domain/message_renderer.h"
#include "notifier-service/domain/url_safety.h"
#include "notifier-service/engine/secret_resolver.h"

namespace preflight::notifier {
namespace {

std::vector<int64_t> IdsOf(const std::vector<Delivery>& deliveries) {
  std::vector<int64_t> ids;
  ids.reserve(deliveries.size());
  for (const Delivery& delivery : deliveries) ids.push_back(delivery.id);
  return ids;
}

// The key of a digest: stable for the same set of deliveries, so a resend after a crash carries
// the same Idempotency-Key.
std::string DigestKey(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> keys;
  keys.reserve(deliveries.size());
  for (const Delivery& delivery : deliveries) keys.push_back(delivery.dedup_key);
  std::sort(keys.begin(), keys.end());
  return absl::StrCat("digest:", Sha256Hex(absl::StrJoin(keys, "\n")).substr(0, 32));
}

int MaxInFlight(const EngineOptions& options, ChannelType type) {
  auto found = options.max_in_flight.find(type);
  return found == options.max_in_flight.end() ? 1 : std::max(1, found->second);
}

bool HasBudget(ChannelType type) {
  return type == ChannelType::kWecom || type == ChannelType::kDingtalk ||
         type == ChannelType::kFeishu || type == ChannelType::kSlack;
}

}  // namespace

std::string EndpointKey(ChannelType channel, absl::string_view target) {
  return absl::StrCat(ChannelTypeName(channel), "|", target);
}

DeliveryWorker::DeliveryWorker(NotifierStore* store, const ReminderScheduler* scheduler,
                               ChannelSet* channels, RateBudget* budget,
                               ItemVersionSource* versions, const Clock* clock,
                               EngineOptions options, int send_threads, CrashHook crash_hook,
                               DeliveryObserver* observer)
    : store_(store),
      scheduler_(scheduler),
      channels_(channels),
      budget_(budget),
      versions_(versions),
      clock_(clock),
      options_(options),
      crash_hook_(std::move(crash_hook)),
      observer_(observer) {
  for (int i = 0; i < send_threads; ++i) threads_.emplace_back([this] { ThreadLoop(); });
}

DeliveryWorker::~DeliveryWorker() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) thread.join();
}

void DeliveryWorker::Submit(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(task));
}

void DeliveryWorker::ThreadLoop() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]()
                       ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !queue_.empty(); };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping, nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void DeliveryWorker::WaitIdle() {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; };
  mu_.Await(absl::Condition(&idle));
}

absl::Status DeliveryWorker::RecoverInterrupted(absl::Time now) {
  absl::StatusOr<std::vector<Delivery>> sending =
      store_->DeliveriesInState(DeliveryState::kSending, 100000);
  if (!sending.ok()) return sending.status();
  std::map<std::string, std::vector<Delivery>> units;
  for (Delivery& delivery : *sending) units[delivery.unit_key].push_back(std::move(delivery));
  for (auto& [key, deliveries] : units) {
    const ChannelType type = deliveries.front().channel;
    auto channel = channels_->find(type);
    const bool resend_safe = type == ChannelType::kInbox ||
                             (channel != channels_->end() && channel->second->IdempotentResend());
    AttemptOutcome outcome;
    outcome.delivery_ids = IdsOf(deliveries);
    outcome.attempt.attempt = deliveries.front().attempts;
    outcome.attempt.time = now;
    if (resend_safe) {
      outcome.new_state = DeliveryState::kPending;
      outcome.next_attempt_time = now;
      outcome.attempt.outcome = "retry";
      outcome.attempt.provider_answer =
          "interrupted by a restart; resent with the same idempotency key";
    } else {
      outcome.new_state = DeliveryState::kOutcomeUnknown;
      outcome.attempt.outcome = "unknown";
      outcome.attempt.provider_answer = absl::StrCat(
          "interrupted by a restart while ", ChannelTypeName(type),
          " had it; that channel takes no idempotency key, so it is not resent blindly");
    }
    absl::Status recorded = store_->RecordAttempt(outcome);
    if (!recorded.ok()) return recorded;
    if (!resend_safe && observer_ != nullptr) {
      observer_->OnOutcomeUnknown(type, static_cast<int>(outcome.delivery_ids.size()));
    }
  }
  return absl::OkStatus();
}

std::vector<DeliveryWorker::Unit> DeliveryWorker::PlanUnits(std::vector<Delivery> deliveries,
                                                            const BotKey* budget_key,
                                                            absl::Time now) {
  std::vector<Unit> units;
  // Deliveries leased together before a restart go out together again, under the same key.
  std::map<std::string, std::vector<Delivery>> resends;
  std::vector<Delivery> digest;
  for (Delivery& delivery : deliveries) {
    if (!delivery.unit_key.empty()) {
      resends[delivery.unit_key].push_back(std::move(delivery));
    } else if (delivery.digest) {
      digest.push_back(std::move(delivery));
    } else {
      Unit unit;
      unit.key = delivery.dedup_key;
      unit.deliveries.push_back(std::move(delivery));
      units.push_back(std::move(unit));
    }
  }
  // Urgent first.
  std::stable_sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) {
    return a.deliveries.front().urgent && !b.deliveries.front().urgent;
  });
  for (auto& [key, group] : resends) {
    Unit unit;
    unit.key = key;
    unit.digest = group.size() > 1 || key.rfind("digest:", 0) == 0;
    unit.deliveries = std::move(group);
    units.insert(units.begin(), std::move(unit));
  }
  if (!digest.empty()) {
    Unit unit;
    unit.key = DigestKey(digest);
    unit.digest = true;
    unit.deliveries = std::move(digest);
    units.push_back(std::move(unit));
  }
  if (budget_key == nullptr || units.empty()) return units;

  const int available = budget_->Available(*budget_key, now);
  if (available <= 0) {
    ReportBudgetWait(units, 0);
    return {};
  }
  if (static_cast<int>(units.size()) > available) {
    // Fold what the budget cannot carry into one digest message.
    std::vector<Unit> kept(std::make_move_iterator(units.begin()),
                           std::make_move_iterator(units.begin() + (available - 1)));
    Unit folded;
    folded.digest = true;
    for (auto it = units.begin() + (available - 1); it != units.end(); ++it) {
      for (Delivery& delivery : it->deliveries) folded.deliveries.push_back(std::move(delivery));
    }
    folded.key = DigestKey(folded.deliveries);
    kept.push_back(std::move(folded));
    units = std::move(kept);
  }
  for (size_t i = 0; i < units.size(); ++i) {
    if (!budget_->TryAcquire(*budget_key, now)) {
      ReportBudgetWait(units, i);
      units.resize(i);
      break;
    }
  }
  return units;
}

void DeliveryWorker::ReportBudgetWait(const std::vector<Unit>& units, size_t from) const {
  if (observer_ == nullptr || from >= units.size()) return;
  int waiting = 0;
  for (size_t i = from; i < units.size(); ++i) {
    waiting += static_cast<int>(units[i].deliveries.size());
  }
  observer_->OnBudgetWait(units[from].deliveries.front().channel, waiting);
}

OutgoingMessage DeliveryWorker::Compose(const Unit& unit) const {
  OutgoingMessage message;
  message.idempotency_key = unit.key;
  if (!unit.digest) {
    const Delivery& delivery = unit.deliveries.front();
    message.subject = delivery.subject;
    message.text = delivery.text;
    message.markdown = delivery.markdown;
    message.data_json = delivery.data_json;
    return message;
  }
  // One line per reminder, urgent first; each line is the reminder's own subject.
  std::vector<const Delivery*> ordered;
  for (const Delivery& delivery : unit.deliveries) ordered.push_back(&delivery);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Delivery* a, const Delivery* b) { return a->urgent && !b->urgent; });
  int urgent = 0;
  for (const Delivery* delivery : ordered) urgent += delivery->urgent ? 1 : 0;
  const size_t count = ordered.size();
  message.subject = absl::StrCat("【Preflight】", count, " 条提醒 / ", count, " reminders");
  if (urgent > 0) absl::StrAppend(&message.subject, " (", urgent, " 紧急 urgent)");
  std::vector<std::string> keys;
  for (const Delivery* delivery : ordered) {
    absl::string_view line = delivery->subject;
    constexpr absl::string_view kBrand = "【Preflight】";
    if (absl::StartsWith(line, kBrand)) line.remove_prefix(kBrand.size());
    absl::StrAppend(&message.text, delivery->urgent ? "! " : "- ", line, "\n");
    absl::StrAppend(&message.markdown, delivery->urgent ? "- **" : "- ", line,
                    delivery->urgent ? "**" : "", "\n");
    keys.push_back(absl::StrCat("\"", delivery->dedup_key, "\""));
  }
  message.data_json = absl::StrCat("{\"digest\":true,\"count\":", count, ",\"urgent\":", urgent,
                                   ",\"deliveries\":[", absl::StrJoin(keys, ","), "]}");
  return message;
}

AttemptOutcome DeliveryWorker::FailureOutcome(const Unit& unit, const SendResult& result,
                                              int attempt, absl::Time sent, absl::Time answered) {
  AttemptOutcome outcome;
  outcome.delivery_ids = IdsOf(unit.deliveries);
  outcome.attempt.attempt = attempt;
  outcome.attempt.time = sent;
  outcome.attempt.http_status = result.http_status;
  outcome.attempt.provider_answer = result.provider_answer;
  if (result.kind == SendResult::Kind::kRetryable && attempt < options_.max_attempts) {
    absl::Duration backoff = options_.retry_initial_backoff;
    for (int i = 1; i < attempt && backoff < options_.retry_max_backoff; ++i) backoff *= 2;
    backoff = std::min(backoff, options_.retry_max_backoff);
    {
      // Equal jitter: at least half the backoff, so retries never bunch up at zero.
      absl::MutexLock lock(&mu_);
      backoff = backoff / 2 + absl::Uniform(random_, 0.0, 1.0) * (backoff / 2);
    }
    if (result.retry_after.has_value()) backoff = std::max(backoff, *result.retry_after);
    outcome.new_state = DeliveryState::kPending;
    // From the answer: a Retry-After counts from when it was said.
    outcome.next_attempt_time = answered + backoff;
    outcome.attempt.outcome = "retry";
  } else {
    outcome.new_state = DeliveryState::kDeadLettered;
    outcome.attempt.outcome = "failed";
  }
  return outcome;
}

void DeliveryWorker::HoldInMemory(ChannelType channel, const std::string& target,
                                  absl::Time until) {
  absl::MutexLock lock(&mu_);
  absl::Time& held = held_until_[EndpointKey(channel, target)];
  held = std::max(held, until);
}

bool DeliveryWorker::Held(const std::string& endpoint, absl::Time now) {
  return HeldUntil(endpoint, now).has_value();
}

std::optional<absl::Time> DeliveryWorker::HeldUntil(const std::string& endpoint, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto held = held_until_.find(endpoint);
  if (held == held_until_.end()) return std::nullopt;
  if (held->second > now) return held->second;
  held_until_.erase(held);
  return std::nullopt;
}

absl::Status DeliveryWorker::SendUnit(const Unit& unit) {
  const std::vector<int64_t> ids = IdsOf(unit.deliveries);
  const absl::Time leased_at = clock_->Now();
  absl::StatusOr<int> leased = store_->LeaseDeliveries(ids, unit.key, leased_at);
  // Sent, cancelled or rescheduled since this pass read it: another pass owns it now.
  if (absl::IsFailedPrecondition(leased.status())) return absl::OkStatus();
  if (!leased.ok()) return leased.status();
  if (crash_hook_ != nullptr && crash_hook_(kAfterLease)) {
    return absl::AbortedError("simulated crash after lease");
  }
  const Delivery& first = unit.deliveries.front();
  // From the store, not from this pass's read, which may predate an attempt by another pass.
  const int attempt = *leased;

  if (first.channel == ChannelType::kInbox) {
    AttemptOutcome outcome;
    outcome.delivery_ids = ids;
    outcome.new_state = DeliveryState::kDelivered;
    outcome.attempt = DeliveryAttempt{attempt, leased_at, "delivered", 0, "stored in the inbox"};
    if (observer_ != nullptr) {
      observer_->OnAttempt(ChannelType::kInbox, "delivered", absl::ZeroDuration());
    }
    for (const Delivery& delivery : unit.deliveries) {
      InboxMessage message;
      message.recipient_tenant = delivery.recipient_tenant;
      message.recipient_id = delivery.recipient_id;
      message.delivery_id = delivery.id;
      message.subject = delivery.subject;
      message.body = delivery.text;
      message.create_time = leased_at;
      outcome.inbox.push_back(std::move(message));
    }
    return store_->RecordAttempt(outcome);
  }

  // A 429 from another lane may have come while this lease committed: the endpoint asked to be
  // left alone, so the unit goes back, unsent and uncounted, to wait for the end of the hold.
  if (std::optional<absl::Time> held =
          HeldUntil(EndpointKey(first.channel, first.target), clock_->Now());
      held.has_value()) {
    return store_->ReleaseLease(ids, *held);
  }

  auto channel = channels_->find(first.channel);
  SendResult result;
  std::string secret_value;
  // When the request went out and when its answer came: not the lease, which may be a secret
  // lookup earlier.
  absl::Time sent_at = leased_at;
  absl::Time answered_at = leased_at;
  if (channel == channels_->end()) {
    result.kind = SendResult::Kind::kPermanent;
    result.provider_answer =
        absl::StrCat("channel ", ChannelTypeName(first.channel), " is not configured");
  } else {
    absl::StatusOr<std::string> secret = ResolveSecret(first.secret_ref);
    if (!secret.ok()) {
      result.kind = SendResult::Kind::kPermanent;
      result.provider_answer = std::string(secret.status().message());
    } else {
      ChannelEndpoint endpoint;
      endpoint.type = first.channel;
      endpoint.target = first.target;
      endpoint.secret = *std::move(secret);
      endpoint.recipient_display_name = first.recipient_id;
      const OutgoingMessage message = Compose(unit);
      sent_at = clock_->Now();
      result = channel->second->Send(endpoint, message);
      answered_at = clock_->Now();
      secret_value = std::move(endpoint.secret);
    }
  }
  // The ledger is readable through the API: no URL key and no signing secret goes into it.
  result.provider_answer = RedactValue(RedactSecrets(result.provider_answer), secret_value);
  if (crash_hook_ != nullptr && crash_hook_(kAfterSend)) {
    return absl::AbortedError("simulated crash after send");
  }
  if (result.kind == SendResult::Kind::kDelivered) {
    AttemptOutcome outcome;
    outcome.delivery_ids = ids;
    outcome.new_state = DeliveryState::kDelivered;
    outcome.attempt =
        DeliveryAttempt{attempt, sent_at, "delivered", result.http_status, result.provider_answer};
    if (observer_ != nullptr)
      observer_->OnAttempt(first.channel, "delivered", answered_at - sent_at);
    return store_->RecordAttempt(outcome);
  }
  const AttemptOutcome failure = FailureOutcome(unit, result, attempt, sent_at, answered_at);
  if (observer_ != nullptr) {
    observer_->OnAttempt(first.channel, failure.attempt.outcome, answered_at - sent_at);
  }
  const bool throttled =
      result.kind == SendResult::Kind::kRetryable && result.retry_after.has_value();
  // Held in memory before anything is recorded: the other lanes to this endpoint check the hold
  // before each send, and must not start one while this outcome's fsync runs.
  if (throttled) HoldInMemory(first.channel, first.target, answered_at + *result.retry_after);
  absl::Status recorded = store_->RecordAttempt(failure);
  if (throttled) {
    // Durable too, so the ledger shows when the others will go and a restart does not send them
    // early. Held in memory even if this fails (that error is returned).
    absl::Status held = store_->DeferPendingDeliveries(first.channel, first.target,
                                                       answered_at + *result.retry_after);
    if (recorded.ok()) return held;
  }
  return recorded;
}

absl::StatusOr<int> DeliveryWorker::RunOnce(absl::Time now) {
  {
    // Lanes already wait for a send thread: a new one could not start before they do, and
    // reading the due deliveries again (mostly the ones those lanes hold) would only cost the
    // event intake its CPU. A freed lane wakes the engine's loop.
    absl::MutexLock lock(&mu_);
    if (!threads_.empty() && in_flight_ >= static_cast<int>(threads_.size())) return 0;
  }
  absl::StatusOr<std::vector<Delivery>> due = store_->DueDeliveries(now, options_.batch_size);
  if (!due.ok()) return due.status();

  // The version fence, again at send time: digests and retries may wait hours after deciding.
  std::map<std::string, absl::StatusOr<std::map<std::string, int64_t>>> remote;
  std::map<std::string, std::vector<Delivery>> by_endpoint;
  std::vector<Delivery> cancelled;
  for (Delivery& delivery : *due) {
    {
      absl::MutexLock lock(&mu_);
      if (claimed_.count(delivery.id) > 0) continue;  // a lane has it already
    }
    if (IsItemReminder(delivery.kind)) {
      auto found = remote.find(delivery.launch_id);
      if (found == remote.end()) {
        found =
            remote.emplace(delivery.launch_id, versions_->ItemVersions(delivery.launch_id)).first;
      }
      if (absl::IsNotFound(found->second.status())) {
        cancelled.push_back(std::move(delivery));
        continue;
      }
      if (!found->second.ok()) continue;  // checklist unreachable: wait, never send blind
      absl::StatusOr<std::optional<ItemRecord>> local =
          store_->GetItem(delivery.launch_id, delivery.item_code);
      if (!local.ok()) return local.status();
      auto version = found->second->find(delivery.item_code);
      if (!local->has_value() ||
          (version != found->second->end() && version->second > (*local)->info.version)) {
        continue;  // the stream has not brought the latest change yet
      }
    }
    std::string key = EndpointKey(delivery.channel, delivery.target);
    if (delivery.channel == ChannelType::kLog || delivery.channel == ChannelType::kInbox ||
        delivery.digest) {
      absl::StrAppend(&key, "|",
                      RecipientKeyText(delivery.recipient_tenant, delivery.recipient_id));
    }
    by_endpoint[key].push_back(std::move(delivery));
  }
  if (!cancelled.empty()) {
    AttemptOutcome outcome;
    outcome.delivery_ids = IdsOf(cancelled);
    outcome.new_state = DeliveryState::kCancelled;
    outcome.attempt = DeliveryAttempt{0, now, "cancelled", 0, "the launch no longer exists"};
    absl::Status recorded = store_->RecordAttempt(outcome);
    if (!recorded.ok()) return recorded;
  }

  int handed = 0;
  for (auto& [key, deliveries] : by_endpoint) {
    const ChannelType type = deliveries.front().channel;
    int free_lanes = MaxInFlight(options_, type);
    {
      absl::MutexLock lock(&mu_);
      if (auto busy = busy_lanes_.find(key); busy != busy_lanes_.end()) free_lanes -= busy->second;
    }
    if (free_lanes <= 0) continue;
    // A Retry-After holds the endpoint whatever the deliveries' own next attempt says.
    const std::string endpoint = EndpointKey(type, deliveries.front().target);
    if (Held(endpoint, now)) continue;
    const BotKey bot{type, deliveries.front().target};
    std::vector<Unit> units =
        PlanUnits(std::move(deliveries), HasBudget(type) ? &bot : nullptr, now);
    if (units.empty()) continue;
    // Round-robin into the free lanes, so the first (urgent, resent) units start first.
    const size_t lane_count = std::min(units.size(), static_cast<size_t>(free_lanes));
    std::vector<std::vector<Unit>> lanes(lane_count);
    for (size_t i = 0; i < units.size(); ++i) lanes[i % lane_count].push_back(std::move(units[i]));
    for (std::vector<Unit>& lane : lanes) {
      std::vector<int64_t> ids;
      for (const Unit& unit : lane) {
        handed += static_cast<int>(unit.deliveries.size());
        for (const Delivery& delivery : unit.deliveries) ids.push_back(delivery.id);
      }
      {
        absl::MutexLock lock(&mu_);
        ++busy_lanes_[key];
        ++in_flight_;
        claimed_.insert(ids.begin(), ids.end());
      }
      auto send_all = [this, key = key, endpoint, ids = std::move(ids),
                       units = std::move(lane)]() -> absl::Status {
        absl::Status result;
        for (const Unit& unit : units) {
          // Answered with a Retry-After (in this lane or another): the rest stay pending.
          if (Held(endpoint, clock_->Now())) break;
          absl::Status sent = SendUnit(unit);
          if (absl::IsAborted(sent) && crash_hook_ != nullptr) {
            result = sent;
            break;
          }
          if (!sent.ok()) {
            logging::Error("delivery", "recording a send failed",
                           {{"key", unit.key}, {"error", RedactSecrets(sent.ToString())}});
          }
        }
        {
          absl::MutexLock lock(&mu_);
          if (--busy_lanes_[key] == 0) busy_lanes_.erase(key);
          for (int64_t id : ids) claimed_.erase(id);
        }
        // Before in_flight_ drops: WaitIdle returning means no callback is still running.
        if (lane_freed_) lane_freed_();
        absl::MutexLock lock(&mu_);
        --in_flight_;
        return result;
      };
      if (threads_.empty()) {
        absl::Status crashed = send_all();
        if (!crashed.ok()) return crashed;
      } else {
        Submit([send_all = std::move(send_all)]() mutable { send_all().IgnoreError(); });
      }
    }
  }
  return handed;
}

absl::Status DeliveryWorker::SendNow(const std::vector<Delivery>& deliveries) {
  for (const Delivery& delivery : deliveries) {
    Unit unit;
    unit.key = delivery.dedup_key;
    unit.deliveries = {delivery};
    absl::Status sent = SendUnit(unit);
    if (!sent.ok()) return sent;
  }
  return absl::OkStatus();
}

}  // namespace preflight::notifier
