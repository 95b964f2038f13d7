#include "checklist-service/domain/model.h"

#include <algorithm>
#include <array>
#include <utility>

namespace preflight::checklist {
namespace {

constexpr std::array<std::pair<ItemStatus, absl::string_view>, 8> kStatusNames = {{
    {ItemStatus::kNotStarted, "NOT_STARTED"},
    {ItemStatus::kInProgress, "IN_PROGRESS"},
    {ItemStatus::kSubmitted, "SUBMITTED"},
    {ItemStatus::kApproved, "APPROVED"},
    {ItemStatus::kRejected, "REJECTED"},
    {ItemStatus::kWaived, "WAIVED"},
    {ItemStatus::kNotApplicable, "NOT_APPLICABLE"},
    {ItemStatus::kReturned, "RETURNED"},
}};

// The names the event log stores (events.type). Fixed: they are not the API's v1::Event::Type
// names, which took a TYPE_ prefix (docs/api.md, "Enum value names").
constexpr std::array<std::pair<EventType, absl::string_view>, 5> kEventTypeNames = {{
    {EventType::kLaunchCreated, "LAUNCH_CREATED"},
    {EventType::kLaunchUpdated, "LAUNCH_UPDATED"},
    {EventType::kItemCreated, "ITEM_CREATED"},
    {EventType::kItemUpdated, "ITEM_UPDATED"},
    {EventType::kScheduleChanged, "SCHEDULE_CHANGED"},
}};

}  // namespace

absl::string_view ItemStatusName(ItemStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "UNKNOWN";
}

std::optional<ItemStatus> ParseItemStatus(absl::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

bool IsDone(ItemStatus status) {
  return status == ItemStatus::kApproved || status == ItemStatus::kWaived ||
         status == ItemStatus::kNotApplicable;
}

bool Profile::operator==(const Profile& other) const {
  return subject_type == other.subject_type && hosting == other.hosting &&
         takes_payments == other.takes_payments && mini_game == other.mini_game &&
         service_categories == other.service_categories && province == other.province &&
         account_subject_type == other.account_subject_type;
}

absl::string_view MaterialStatusName(MaterialStatus status) {
  switch (status) {
    case MaterialStatus::kMissing:
      return "MISSING";
    case MaterialStatus::kReady:
      return "READY";
    case MaterialStatus::kNotNeeded:
      return "NOT_NEEDED";
  }
  return "MISSING";
}

std::optional<MaterialStatus> ParseMaterialStatus(absl::string_view name) {
  for (MaterialStatus status :
       {MaterialStatus::kMissing, MaterialStatus::kReady, MaterialStatus::kNotNeeded}) {
    if (MaterialStatusName(status) == name) return status;
  }
  return std::nullopt;
}

int MaterialsMissing(const Item& item) {
  int missing = 0;
  for (const Material& material : item.materials) {
    if (material.applies && material.status == MaterialStatus::kMissing) ++missing;
  }
  return missing;
}

int PaidOrders(const Item& item) {
  if (item.status == ItemStatus::kNotApplicable || item.fee_per_attempt == 0) return 0;
  if (item.fee_charged_per_order) return item.paid_orders;
  if (item.fee_charged_per_attempt) return item.attempts;
  return item.attempts > 0 || item.status == ItemStatus::kApproved ? 1 : 0;
}

Fen FeesPaid(const Item& item) { return PaidOrders(item) * item.fee_per_attempt; }

int FreeResubmissionsLeft(const Item& item) {
  if (!item.fee_charged_per_order || item.paid_orders == 0) return 0;
  if (item.status != ItemStatus::kSubmitted && item.status != ItemStatus::kReturned) return 0;
  return std::max(0, item.resubmissions_per_order - item.resubmissions_in_order);
}

const Item* LaunchState::FindItem(absl::string_view code) const {
  for (const Item& item : items) {
    if (item.code == code) return &item;
  }
  return nullptr;
}

int64_t LaunchState::ItemsVersion() const {
  int64_t sum = 0;
  for (const Item& item : items) sum += item.version;
  return sum;
}

Item* LaunchState::FindItem(absl::string_view code) {
  for (Item& item : items) {
    if (item.code == code) return &item;
  }
  return nullptr;
}

absl::string_view EventTypeName(EventType type) {
  for (const auto& [value, name] : kEventTypeNames) {
    if (value == type) return name;
  }
  return "UNKNOWN";
}

std::optional<EventType> ParseEventType(absl::string_view name) {
  for (const auto& [value, known] : kEventTypeNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

}  // namespace preflight::checklist
