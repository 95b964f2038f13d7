#include "notifier-service/engine/event_batch_view.h"

#include <algorithm>

namespace preflight::notifier {

absl::StatusOr<std::optional<LaunchInfo>> EventBatchView::GetLaunch(
    const std::string& launch_id) const {
  if (auto it = launches_.find(launch_id); it != launches_.end()) return {it->second};
  return store_->GetLaunch(launch_id);
}

absl::StatusOr<std::optional<ItemRecord>> EventBatchView::GetItem(const std::string& launch_id,
                                                                  const std::string& code) const {
  if (auto it = items_.find(ItemKey(launch_id, code)); it != items_.end()) return {it->second};
  return store_->GetItem(launch_id, code);
}

absl::StatusOr<std::vector<ItemRecord>> EventBatchView::ListLaunchItems(
    const std::string& launch_id) const {
  absl::StatusOr<std::vector<ItemRecord>> stored = store_->ListLaunchItems(launch_id);
  if (!stored.ok()) return stored.status();
  auto first = items_.lower_bound(ItemKey(launch_id, ""));
  if (first == items_.end() || first->first.first != launch_id) return stored;
  // Merge the two code-ordered lists, the batch's record winning.
  std::map<std::string, ItemRecord> by_code;
  for (ItemRecord& record : *stored) {
    std::string code = record.info.code;
    by_code.emplace(std::move(code), std::move(record));
  }
  for (auto it = first; it != items_.end() && it->first.first == launch_id; ++it) {
    by_code.insert_or_assign(it->first.second, it->second);
  }
  std::vector<ItemRecord> merged;
  merged.reserve(by_code.size());
  for (auto& [code, record] : by_code) merged.push_back(std::move(record));
  return merged;
}

absl::StatusOr<std::vector<HandledRung>> EventBatchView::HandledRungs(
    const std::string& launch_id, const std::string& code) const {
  absl::StatusOr<std::vector<HandledRung>> handled = store_->HandledRungs(launch_id, code);
  if (!handled.ok()) return handled.status();
  if (auto it = handled_.find(ItemKey(launch_id, code)); it != handled_.end()) {
    handled->insert(handled->end(), it->second.begin(), it->second.end());
  }
  return handled;
}

absl::StatusOr<std::vector<Delivery>> EventBatchView::PendingDeliveriesOfItem(
    const std::string& launch_id, const std::string& code) const {
  absl::StatusOr<std::vector<Delivery>> pending = store_->PendingDeliveriesOfItem(launch_id, code);
  if (!pending.ok() || cancelled_.empty()) return pending;
  pending->erase(std::remove_if(pending->begin(), pending->end(),
                                [&](const Delivery& d) { return cancelled_.count(d.id) > 0; }),
                 pending->end());
  return pending;
}

void EventBatchView::Record(const EventEffects& effects) {
  if (effects.launch.has_value())
    launches_.insert_or_assign(effects.launch->launch_id, *effects.launch);
  for (const ItemRecord& record : effects.items) {
    items_.insert_or_assign(ItemKey(record.info.launch_id, record.info.code), record);
  }
  for (const HandledRung& rung : effects.handled) {
    handled_[ItemKey(rung.launch_id, rung.item_code)].push_back(rung);
  }
  cancelled_.insert(effects.cancel_delivery_ids.begin(), effects.cancel_delivery_ids.end());
}

}  // namespace preflight::notifier
