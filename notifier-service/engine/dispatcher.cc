#include "notifier-service/engine/dispatcher.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "notifier-service/domain/message_renderer.h"

namespace preflight::notifier {
namespace {

// The first rung sent in [from, until) that is not in `handled`. The next few weeks are planned
// first: that is where it almost always is, and planning a long lookahead whole (an overdue item
// has a rung every working day) cost far more.
std::optional<Rung> FirstUnhandledRung(const ReminderScheduler& scheduler, const LaunchInfo& launch,
                                       const ItemInfo& item, const std::set<std::string>& handled,
                                       absl::Time from, absl::Time until) {
  constexpr absl::Duration kFirstLook = absl::Hours(24 * 62);
  const absl::Time first_look = from + kFirstLook < until ? from + kFirstLook : until;
  for (const auto& [window_from, window_to] :
       {std::pair(from, first_look), std::pair(first_look, until)}) {
    if (window_from >= window_to) continue;
    for (Rung& rung : scheduler.Plan(launch, item, window_from, window_to)) {
      if (handled.count(rung.id) == 0) return std::move(rung);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string DeliveryDedupKey(absl::string_view launch_id, absl::string_view item_code,
                             absl::string_view rung_id, absl::string_view recipient,
                             ChannelType channel) {
  return absl::StrCat(launch_id, "/", item_code, "/", rung_id, "/", recipient, "/",
                      ChannelTypeName(channel));
}

Dispatcher::Dispatcher(NotifierStore* store, const ReminderScheduler* scheduler,
                       const Router* router, ItemVersionSource* versions, EngineOptions options,
                       CrashHook crash_hook)
    : store_(store),
      scheduler_(scheduler),
      router_(router),
      versions_(versions),
      options_(options),
      crash_hook_(std::move(crash_hook)) {}

absl::StatusOr<int> Dispatcher::RunOnce(absl::Time now) {
  absl::StatusOr<std::vector<ItemRecord>> items = store_->ItemsToCheck(now, options_.batch_size);
  if (!items.ok()) return items.status();
  VersionCache cache;
  absl::Status first_error;
  std::vector<Decision> decisions;
  decisions.reserve(items->size());
  for (const ItemRecord& record : *items) {
    absl::StatusOr<Decision> decision = DecideItem(record, now, cache);
    if (decision.ok()) {
      decisions.push_back(*std::move(decision));
    } else if (first_error.ok()) {
      first_error = decision.status();
    }
  }
  // Items are independent (each decision touches its own rungs, deliveries and next check), so
  // a pass commits them together: one transaction and one fsync, each still all or nothing.
  int created = 0;
  for (absl::StatusOr<std::vector<Delivery>>& inserted : store_->CommitDecisions(decisions)) {
    if (!inserted.ok()) {
      if (first_error.ok()) first_error = inserted.status();
      continue;
    }
    created += static_cast<int>(inserted->size());
    if (crash_hook_ != nullptr && crash_hook_(kAfterDecide)) {
      return absl::AbortedError("simulated crash after decide");
    }
  }
  if (!first_error.ok()) return first_error;
  return created;
}

std::optional<absl::Time> Dispatcher::NextCheckTime(const LaunchInfo& launch,
                                                    const ItemRecord& record,
                                                    const std::vector<HandledRung>& handled,
                                                    absl::Time now) const {
  const ItemInfo& item = record.info;
  if (record.acknowledged_version != 0 && record.acknowledged_version >= item.version) {
    return std::nullopt;
  }
  std::set<std::string> handled_ids;
  for (const HandledRung& rung : handled) handled_ids.insert(rung.rung_id);
  // A rung missed within the catch-up window is due now; otherwise the next one ahead.
  const absl::Time from = now - scheduler_->catch_up_window();
  std::optional<absl::Time> next;
  if (std::optional<Rung> rung = FirstUnhandledRung(*scheduler_, launch, item, handled_ids, from,
                                                    now + options_.lookahead)) {
    next = std::max(rung->send_time, from);
  }
  if (next.has_value() && record.snoozed_until.has_value() && *record.snoozed_until > *next) {
    next = record.snoozed_until;
  }
  return next;
}

absl::StatusOr<std::vector<Delivery>> Dispatcher::MakeDeliveries(const LaunchInfo& launch,
                                                                 const ItemInfo& item,
                                                                 const Rung& rung, bool late,
                                                                 absl::Time now) const {
  absl::StatusOr<std::vector<Route>> routes = router_->RoutesFor(launch, item, rung);
  if (!routes.ok()) return routes.status();
  std::vector<Delivery> deliveries;
  for (const Route& route : *routes) {
    const RenderedMessage message =
        RenderReminder(launch, item, rung, route.recipient.language, late, scheduler_->calendar());
    Delivery delivery;
    delivery.dedup_key = DeliveryDedupKey(
        item.launch_id, item.code, rung.id,
        RecipientKeyText(route.recipient.tenant, route.recipient.id), route.channel.type);
    delivery.tenant = launch.tenant;
    delivery.launch_id = item.launch_id;
    delivery.item_code = item.code;
    delivery.rung_id = rung.id;
    delivery.kind = rung.kind;
    delivery.item_version = item.version;
    delivery.recipient_tenant = route.recipient.tenant;
    delivery.recipient_id = route.recipient.id;
    delivery.reason = route.reason;
    delivery.channel = route.channel.type;
    delivery.target = route.channel.target;
    delivery.secret_ref = route.channel.secret_ref;
    delivery.state = DeliveryState::kPending;
    delivery.subject = message.subject;
    delivery.text = message.text;
    delivery.markdown = message.markdown;
    delivery.data_json = message.data_json;
    delivery.urgent = rung.urgent;
    delivery.late = late;
    delivery.digest = route.digest;
    delivery.create_time = now;
    delivery.update_time = now;
    delivery.next_attempt_time = route.digest ? scheduler_->DigestTime(launch, now)
                                              : scheduler_->NextSendable(launch, now, rung.urgent);
    deliveries.push_back(std::move(delivery));
  }
  return deliveries;
}

absl::StatusOr<Decision> Dispatcher::DecideItem(const ItemRecord& record, absl::Time now,
                                                VersionCache& cache) {
  const ItemInfo& item = record.info;
  Decision decision;
  decision.launch_id = item.launch_id;
  decision.item_code = item.code;

  absl::StatusOr<std::optional<LaunchInfo>> launch = store_->GetLaunch(item.launch_id);
  if (!launch.ok()) return launch.status();
  if (!launch->has_value()) {
    // Items arrive after their launch in the stream; without it there is nothing to plan.
    decision.next_check_time = std::nullopt;
    return decision;
  }
  const LaunchInfo& launch_info = **launch;

  if (record.snoozed_until.has_value() && *record.snoozed_until > now) {
    decision.next_check_time = record.snoozed_until;
    return decision;
  }

  // The version fence: the checklist must not know a newer version of the item than we do.
  auto cached = cache.find(item.launch_id);
  if (cached == cache.end()) {
    cached = cache.emplace(item.launch_id, versions_->ItemVersions(item.launch_id)).first;
  }
  const absl::StatusOr<std::map<std::string, int64_t>>& versions = cached->second;
  if (!versions.ok() && !absl::IsNotFound(versions.status())) {
    decision.next_check_time = now + options_.fence_retry;
    return decision;
  }
  if (versions.ok()) {
    auto version = versions->find(item.code);
    if (version != versions->end() && version->second > item.version) {
      decision.next_check_time = now + options_.fence_retry;
      return decision;
    }
  }

  absl::StatusOr<std::vector<HandledRung>> handled =
      store_->HandledRungs(item.launch_id, item.code);
  if (!handled.ok()) return handled.status();
  std::set<std::string> handled_ids;
  for (const HandledRung& rung : *handled) handled_ids.insert(rung.rung_id);

  const bool acknowledged =
      record.acknowledged_version != 0 && record.acknowledged_version >= item.version;
  std::vector<Rung> missed;
  if (!acknowledged) {
    for (Rung& rung : scheduler_->Plan(launch_info, item, now - scheduler_->catch_up_window(),
                                       now + absl::Microseconds(1))) {
      if (handled_ids.count(rung.id) == 0) missed.push_back(std::move(rung));
    }
  }
  if (!missed.empty()) {
    ReminderScheduler::CatchUpChoice choice =
        scheduler_->ChooseCatchUp(launch_info, std::move(missed), now);
    if (choice.send.has_value()) {
      absl::StatusOr<std::vector<Delivery>> deliveries =
          MakeDeliveries(launch_info, item, *choice.send, choice.late, now);
      if (!deliveries.ok()) return deliveries.status();
      decision.deliveries = *std::move(deliveries);
      decision.handled.push_back(HandledRung{item.launch_id, item.code, choice.send->id,
                                             choice.late ? "sent late" : "sent", now});
      handled_ids.insert(choice.send->id);
    }
    for (const Rung& skipped : choice.skipped) {
      decision.handled.push_back(
          HandledRung{item.launch_id, item.code, skipped.id, "skipped", now});
      handled_ids.insert(skipped.id);
    }
  }

  // The next rung not handled, strictly after now.
  if (!acknowledged) {
    if (std::optional<Rung> rung =
            FirstUnhandledRung(*scheduler_, launch_info, item, handled_ids,
                               now + absl::Microseconds(1), now + options_.lookahead)) {
      decision.next_check_time = rung->send_time;
    }
  }

  return decision;
}

}  // namespace preflight::notifier
