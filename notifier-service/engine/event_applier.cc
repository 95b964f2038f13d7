#include "notifier-service/engine/event_applier.h"

#include <optional>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace preflight::notifier {

EventApplier::EventApplier(NotifierStore* store, const ReminderScheduler* scheduler,
                           const Dispatcher* dispatcher, const Clock* clock, absl::Mutex* decide_mu)
    : store_(store),
      scheduler_(scheduler),
      dispatcher_(dispatcher),
      clock_(clock),
      decide_mu_(decide_mu) {}

absl::StatusOr<int64_t> EventApplier::AppliedSequence() { return store_->AppliedSequence(); }

absl::StatusOr<std::string> EventApplier::CollectCancellations(const EventBatchView& view,
                                                               const LaunchInfo& launch,
                                                               const ItemRecord& record,
                                                               std::vector<int64_t>& cancel) const {
  absl::StatusOr<std::vector<Delivery>> pending =
      view.PendingDeliveriesOfItem(record.info.launch_id, record.info.code);
  if (!pending.ok()) return pending.status();
  const ItemInfo& item = record.info;
  const std::string& assignee = item.assignee.empty() ? launch.owner : item.assignee;
  std::string reason;
  for (const Delivery& delivery : *pending) {
    if (!IsItemReminder(delivery.kind)) continue;
    std::string why;
    if (!scheduler_->RungStillValid(item, delivery.rung_id)) {
      // An approved item keeps its renewals: when one no longer applies, its ladder changed.
      const bool approved_renewal =
          delivery.kind == RungKind::kRenewal && item.status == "APPROVED";
      why = item.done && !approved_renewal ? absl::StrCat("item is ", item.status)
                                           : absl::StrCat("item changed (version ", item.version,
                                                          "): the reminder no longer applies");
    } else if ((delivery.reason == "assignee" || absl::StartsWith(delivery.reason, "owner (")) &&
               delivery.recipient_id != assignee) {
      why = absl::StrCat("reassigned to ", assignee.empty() ? "nobody" : assignee);
    } else if (delivery.reason == "owner" && delivery.recipient_id != launch.owner) {
      why = absl::StrCat("launch owner is now ", launch.owner);
    } else if (record.acknowledged_version != 0 && record.acknowledged_version >= item.version) {
      why = "acknowledged";
    }
    if (why.empty()) continue;
    cancel.push_back(delivery.id);
    if (reason.empty()) reason = why;
  }
  return reason;
}

absl::Status EventApplier::ApplyBatch(absl::Span<const ChecklistEvent> events) {
  absl::MutexLock lock(decide_mu_);
  absl::StatusOr<int64_t> applied = store_->AppliedSequence();
  if (!applied.ok()) return applied.status();
  const absl::Time now = clock_->Now();
  EventBatchView view(store_);
  std::vector<EventEffects> batch;
  batch.reserve(events.size());
  int64_t last = *applied;
  for (const ChecklistEvent& event : events) {
    if (event.sequence <= last) continue;  // replayed after a reconnect
    absl::StatusOr<EventEffects> effects = Decide(view, event, now);
    if (!effects.ok()) {
      if (events.size() == 1) return effects.status();
      return absl::Status(effects.status().code(),
                          absl::StrCat("event ", event.sequence, ": ", effects.status().message()));
    }
    view.Record(*effects);
    batch.push_back(*std::move(effects));
    last = event.sequence;
  }
  return store_->ApplyEvents(batch);
}

absl::StatusOr<EventEffects> EventApplier::Decide(const EventBatchView& view,
                                                  const ChecklistEvent& event,
                                                  absl::Time now) const {
  EventEffects effects;
  effects.sequence = event.sequence;

  const std::optional<LaunchInfo>* const launch = &event.launch;
  const std::optional<ItemInfo>* const item = &event.item;

  std::optional<LaunchInfo> current_launch;
  std::vector<ItemRecord> to_replan;
  if (launch->has_value()) {
    effects.launch = *launch;
    current_launch = *launch;
    // The owner, zone or go-live date may move every item's reminders.
    absl::StatusOr<std::vector<ItemRecord>> items = view.ListLaunchItems((*launch)->launch_id);
    if (!items.ok()) return items.status();
    to_replan = *std::move(items);
  } else if (item->has_value()) {
    absl::StatusOr<std::optional<LaunchInfo>> stored = view.GetLaunch((*item)->launch_id);
    if (!stored.ok()) return stored.status();
    current_launch = *stored;
  }

  if (item->has_value()) {
    absl::StatusOr<std::optional<ItemRecord>> stored =
        view.GetItem((*item)->launch_id, (*item)->code);
    if (!stored.ok()) return stored.status();
    ItemRecord record = stored->value_or(ItemRecord{});
    // Events can repeat an item's state (a launch event, a replay); never go backwards.
    if (stored->has_value() && (*stored)->info.version > (*item)->version) {
      return effects;
    }
    record.info = **item;
    // An acknowledgement lasts until the item changes. The rungs that came due meanwhile were
    // acknowledged, not missed: they are recorded as handled so no catch-up sends them.
    if (record.acknowledged_version != 0 && record.info.version > record.acknowledged_version) {
      if (current_launch.has_value() && stored->has_value()) {
        absl::StatusOr<std::vector<HandledRung>> handled =
            view.HandledRungs(record.info.launch_id, record.info.code);
        if (!handled.ok()) return handled.status();
        std::set<std::string> handled_ids;
        for (const HandledRung& rung : *handled) handled_ids.insert(rung.rung_id);
        for (const Rung& rung : scheduler_->Plan(*current_launch, (*stored)->info,
                                                 now - scheduler_->catch_up_window(), now)) {
          if (handled_ids.count(rung.id) > 0) continue;
          effects.handled.push_back(
              HandledRung{record.info.launch_id, record.info.code, rung.id, "acknowledged", now});
        }
      }
      record.acknowledged_version = 0;
    }
    to_replan = {std::move(record)};
  }

  std::vector<std::string> reasons;
  for (ItemRecord& record : to_replan) {
    if (!current_launch.has_value()) {
      record.next_check_time = std::nullopt;
    } else {
      absl::StatusOr<std::vector<HandledRung>> handled =
          view.HandledRungs(record.info.launch_id, record.info.code);
      if (!handled.ok()) return handled.status();
      record.next_check_time = dispatcher_->NextCheckTime(*current_launch, record, *handled, now);
      absl::StatusOr<std::string> reason =
          CollectCancellations(view, *current_launch, record, effects.cancel_delivery_ids);
      if (!reason.ok()) return reason.status();
      if (!reason->empty()) reasons.push_back(*std::move(reason));
    }
    effects.items.push_back(std::move(record));
  }
  if (!reasons.empty()) {
    effects.cancel_reason = absl::StrCat(reasons.front(), " (event ", event.sequence, ")");
  }
  return effects;
}

}  // namespace preflight::notifier
