#include "notifier-service/engine/notifier_engine.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/logging/log.h"
#include "notifier-service/domain/message_renderer.h"
#include "notifier-service/domain/url_safety.h"
#include "notifier-service/engine/recipient_validation.h"

namespace preflight::notifier {

NotifierEngine::NotifierEngine(NotifierStore* store, const ReminderPolicy* policy,
                               const WorkingCalendar* calendar, ChannelSet* channels,
                               RateBudget* budget, ItemVersionSource* versions, const Clock* clock,
                               NotifierEngineOptions options, CrashHook crash_hook)
    : store_(store),
      clock_(clock),
      options_(options),
      scheduler_(policy, calendar),
      router_(store),
      dispatcher_(store, &scheduler_, &router_, versions, options.engine, crash_hook),
      applier_(store, &scheduler_, &dispatcher_, clock, &decide_mu_),
      worker_(store, &scheduler_, channels, budget, versions, clock, options.engine,
              options.send_threads, crash_hook, options.observer),
      weekly_digests_(store, &scheduler_, [channels](ChannelType type) -> size_t {
        // The channel's own limit where it is wired (the policy's applies as well).
        auto found = channels->find(type);
        if (found == channels->end() || found->second == nullptr) return SIZE_MAX;
        return found->second->MaxTextBytes();
      }) {
  worker_.SetLaneFreed([this] { Wake(); });
}

NotifierEngine::~NotifierEngine() { Stop(); }

absl::Status NotifierEngine::Recover() { return worker_.RecoverInterrupted(clock_->Now()); }

absl::StatusOr<NotifierEngine::PassResult> NotifierEngine::Pass() {
  PassResult result;
  {
    absl::MutexLock lock(&decide_mu_);
    absl::StatusOr<int> decided = dispatcher_.RunOnce(clock_->Now());
    if (!decided.ok()) {
      if (absl::IsAborted(decided.status())) return decided.status();
      logging::Error("dispatcher", "dispatch pass failed",
                     {{"error", RedactSecrets(decided.status().ToString())}});
    } else {
      result.decided = *decided;
    }
    absl::StatusOr<int> digests = weekly_digests_.RunOnce(clock_->Now());
    if (!digests.ok()) {
      if (absl::IsAborted(digests.status())) return digests.status();
      logging::Error("dispatcher", "weekly digest pass failed",
                     {{"error", RedactSecrets(digests.status().ToString())}});
    } else {
      result.decided += *digests;
    }
  }
  absl::StatusOr<int> handed = worker_.RunOnce(clock_->Now());
  if (!handed.ok()) return handed.status();
  result.handed = *handed;
  return result;
}

absl::StatusOr<int> NotifierEngine::RunOnce() {
  absl::StatusOr<PassResult> ran = Pass();
  if (!ran.ok()) return ran.status();
  return ran->handed;
}

void NotifierEngine::Wake() {
  absl::MutexLock lock(&loop_mu_);
  wake_ = true;
}

absl::Duration NotifierEngine::UntilNextDue() {
  absl::StatusOr<std::optional<absl::Time>> next = store_->NextDueTime();
  if (!next.ok() || !next->has_value()) return options_.tick;
  const absl::Duration until = **next - clock_->Now();
  // Already due but not sent (its endpoint's lanes are busy, its bot budget is spent): a freed
  // lane wakes the loop, and the tick bounds the wait for the budget.
  if (until <= absl::ZeroDuration()) return options_.tick;
  return std::min(until, options_.tick);
}

void NotifierEngine::Start() {
  loop_ = std::thread([this] {
    while (true) {
      {
        // Cleared before the pass: a wake during it starts another pass.
        absl::MutexLock lock(&loop_mu_);
        if (stopping_) return;
        wake_ = false;
      }
      absl::StatusOr<PassResult> ran = Pass();
      if (!ran.ok()) {
        logging::Error("delivery", "delivery pass failed",
                       {{"error", RedactSecrets(ran.status().ToString())}});
      }
      // Progress: more may be due (the pass reads a batch at a time), so keep draining.
      if (ran.ok() && (ran->decided > 0 || ran->handed > 0)) continue;
      const absl::Duration wait = UntilNextDue();
      absl::MutexLock lock(&loop_mu_);
      auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(loop_mu_) { return stopping_ || wake_; };
      loop_mu_.AwaitWithTimeout(absl::Condition(&woken), wait);
    }
  });
}

void NotifierEngine::Stop() {
  {
    absl::MutexLock lock(&loop_mu_);
    stopping_ = true;
  }
  if (loop_.joinable()) loop_.join();
  worker_.WaitIdle();
}

absl::StatusOr<std::vector<ForecastEntry>> NotifierEngine::ListReminders(
    const ForecastQuery& query) {
  const absl::Time now = clock_->Now();
  absl::StatusOr<std::vector<ForecastEntry>> entries =
      Forecast(store_, scheduler_, router_, query, now);
  if (!entries.ok()) return entries;
  absl::StatusOr<std::vector<ForecastEntry>> digests = weekly_digests_.Forecast(query, now);
  if (!digests.ok()) return digests.status();
  if (digests->empty()) return entries;
  for (ForecastEntry& entry : *digests) entries->push_back(std::move(entry));
  std::stable_sort(entries->begin(), entries->end(), ForecastBefore);
  return entries;
}

absl::StatusOr<std::vector<Delivery>> NotifierEngine::ListDeliveries(const DeliveryFilter& filter,
                                                                     int64_t before_id, int limit) {
  return store_->ListDeliveries(filter, before_id, limit);
}

absl::StatusOr<ItemRecord> NotifierEngine::Snooze(const std::string& launch_id,
                                                  const std::string& code, absl::Time until) {
  const absl::Time now = clock_->Now();
  if (until <= now) {
    return absl::InvalidArgumentError("snooze_until: must be in the future");
  }
  if (until > now + absl::Hours(24 * 30)) {
    return absl::InvalidArgumentError("snooze_until: at most 30 days ahead");
  }
  absl::MutexLock lock(&decide_mu_);
  absl::StatusOr<std::optional<ItemRecord>> record = store_->GetItem(launch_id, code);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat(api::ItemName(launch_id, code), ": no such item"));
  }
  ItemRecord updated = **record;
  updated.snoozed_until = until;
  if (updated.next_check_time.has_value() && *updated.next_check_time < until) {
    updated.next_check_time = until;
  }
  absl::Status written = store_->UpdateItemControls(updated);
  if (!written.ok()) return written;
  return updated;
}

absl::StatusOr<ItemRecord> NotifierEngine::Acknowledge(const std::string& launch_id,
                                                       const std::string& code) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&decide_mu_);
  absl::StatusOr<std::optional<ItemRecord>> record = store_->GetItem(launch_id, code);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat(api::ItemName(launch_id, code), ": no such item"));
  }
  ItemRecord updated = **record;
  updated.acknowledged_version = updated.info.version;
  updated.next_check_time = std::nullopt;
  absl::Status written = store_->UpdateItemControls(updated);
  if (!written.ok()) return written;
  absl::StatusOr<std::vector<Delivery>> pending = store_->PendingDeliveriesOfItem(launch_id, code);
  if (!pending.ok()) return pending.status();
  AttemptOutcome cancel;
  cancel.new_state = DeliveryState::kCancelled;
  cancel.attempt = DeliveryAttempt{0, now, "cancelled", 0, "acknowledged"};
  for (const Delivery& delivery : *pending) {
    if (IsItemReminder(delivery.kind)) cancel.delivery_ids.push_back(delivery.id);
  }
  if (!cancel.delivery_ids.empty()) {
    absl::Status cancelled = store_->RecordAttempt(cancel);
    if (!cancelled.ok()) return cancelled;
  }
  return updated;
}

absl::StatusOr<std::vector<Delivery>> NotifierEngine::SendTest(const std::string& tenant,
                                                               const std::string& id,
                                                               std::optional<ChannelType> channel) {
  const absl::Time now = clock_->Now();
  const std::string name = api::RecipientName(tenant, id);
  absl::StatusOr<std::optional<Recipient>> recipient = store_->GetRecipient(tenant, id);
  if (!recipient.ok()) return recipient.status();
  if (!recipient->has_value()) {
    return absl::NotFoundError(absl::StrCat(name, ": no such recipient"));
  }
  const std::string rung_id = absl::StrCat("test:", absl::ToUnixMicros(now));
  Decision decision;
  for (const RecipientChannel& target : (*recipient)->channels) {
    if (channel.has_value() && target.type != *channel) continue;
    const RenderedMessage message = RenderTestMessage(
        (*recipient)->display_name.empty() ? (*recipient)->id : (*recipient)->display_name,
        ChannelTypeName(target.type), (*recipient)->language);
    Delivery delivery;
    delivery.dedup_key =
        DeliveryDedupKey("-", "-", rung_id, RecipientKeyText(tenant, id), target.type);
    delivery.tenant = (*recipient)->tenant;
    delivery.rung_id = rung_id;
    delivery.kind = RungKind::kTest;
    delivery.recipient_tenant = tenant;
    delivery.recipient_id = id;
    delivery.reason = "test";
    delivery.channel = target.type;
    delivery.target = target.target;
    delivery.secret_ref = target.secret_ref;
    delivery.subject = message.subject;
    delivery.text = message.text;
    delivery.markdown = message.markdown;
    delivery.data_json = message.data_json;
    delivery.urgent = true;
    delivery.create_time = now;
    delivery.update_time = now;
    delivery.next_attempt_time = now;
    decision.deliveries.push_back(std::move(delivery));
  }
  if (decision.deliveries.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "channel: ", name, " has no ",
        channel.has_value() ? ChannelTypeName(*channel) : absl::string_view(""), " channel"));
  }
  absl::StatusOr<std::vector<Delivery>> inserted = store_->CommitDecision(decision);
  if (!inserted.ok()) return inserted.status();
  absl::Status sent = worker_.SendNow(*inserted);
  if (!sent.ok()) return sent;
  std::vector<Delivery> result;
  for (const Delivery& delivery : *inserted) {
    absl::StatusOr<std::optional<Delivery>> stored = store_->GetDelivery(delivery.id);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) result.push_back(**stored);
  }
  return result;
}

absl::StatusOr<Recipient> NotifierEngine::CreateRecipient(Recipient recipient) {
  absl::Status valid = ValidateRecipient(recipient, options_.engine.http_allow_hosts);
  if (!valid.ok()) return valid;
  const absl::Time now = clock_->Now();
  recipient.version = 1;
  recipient.create_time = now;
  recipient.update_time = now;
  absl::Status created = store_->CreateRecipient(recipient);
  if (!created.ok()) return created;
  weekly_digests_.RecipientsChanged();
  return recipient;
}

absl::StatusOr<std::optional<LaunchInfo>> NotifierEngine::GetLaunch(const std::string& launch_id) {
  return store_->GetLaunch(launch_id);
}

absl::StatusOr<Recipient> NotifierEngine::GetRecipient(const std::string& tenant,
                                                       const std::string& id) {
  absl::StatusOr<std::optional<Recipient>> found = store_->GetRecipient(tenant, id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::NotFoundError(absl::StrCat(api::RecipientName(tenant, id), ": no such recipient"));
  }
  return **found;
}

absl::StatusOr<std::vector<Recipient>> NotifierEngine::ListRecipients(
    const std::string& tenant, const std::string& after_tenant, const std::string& after_id,
    int limit) {
  return store_->ListRecipients(tenant, after_tenant, after_id, limit);
}

absl::StatusOr<Recipient> NotifierEngine::UpdateRecipient(Recipient recipient) {
  absl::Status valid = ValidateRecipient(recipient, options_.engine.http_allow_hosts);
  if (!valid.ok()) return valid;
  recipient.update_time = clock_->Now();
  absl::Status updated = store_->UpdateRecipient(recipient);
  if (!updated.ok()) return updated;
  weekly_digests_.RecipientsChanged();
  return recipient;
}

absl::Status NotifierEngine::DeleteRecipient(const std::string& tenant, const std::string& id,
                                             std::optional<int64_t> expected_version) {
  absl::Status deleted = store_->DeleteRecipient(tenant, id, expected_version);
  if (deleted.ok()) weekly_digests_.RecipientsChanged();
  return deleted;
}

absl::StatusOr<std::vector<InboxMessage>> NotifierEngine::ListInbox(const std::string& tenant,
                                                                    const std::string& id,
                                                                    int64_t before_id, int limit) {
  return store_->ListInbox(tenant, id, before_id, limit);
}

}  // namespace preflight::notifier
