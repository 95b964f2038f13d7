#include "notifier-service/checklist_link/event_translation.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/api/resource_names.h"
#include "common/logging/log.h"
#include "notifier-service/domain/reminder_policy.h"

namespace preflight::notifier {
namespace {

constexpr char kComponent[] = "event translation";

// "" -> nullopt; "YYYY-MM-DD" -> the day.
absl::StatusOr<std::optional<absl::CivilDay>> ParseDate(absl::string_view text,
                                                        absl::string_view field) {
  if (text.empty()) return std::optional<absl::CivilDay>();
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event field ", field, ": not a date: '", text, "'"));
  }
  return std::optional<absl::CivilDay>(day);
}

// REJECTED and RETURNED are not done: they need a new application, or more material.
bool IsDoneStatus(v1::ItemStatus status) {
  return status == v1::ITEM_STATUS_APPROVED || status == v1::ITEM_STATUS_WAIVED ||
         status == v1::ITEM_STATUS_NOT_APPLICABLE;
}

std::string StatusName(v1::ItemStatus status) {
  std::string name = v1::ItemStatus_Name(status);
  constexpr absl::string_view kPrefix = "ITEM_STATUS_";
  if (absl::StartsWith(name, kPrefix)) name.erase(0, kPrefix.size());
  return name;
}

// Snapshots carry their version since the checklist that added the field; an older checklist
// sends none, so the checklist is upgraded first (docs/operations.md).
absl::Status MissingVersion(const v1::Event& event, absl::string_view snapshot) {
  return absl::InvalidArgumentError(
      absl::StrCat("event ", event.sequence(), ": ", snapshot,
                   " has no version (is the checklist service older than the notifier? "
                   "upgrade it first)"));
}

}  // namespace

absl::StatusOr<std::optional<LaunchInfo>> LaunchFromEvent(const v1::Event& event) {
  if (!event.has_launch_snapshot()) return std::optional<LaunchInfo>();
  const v1::Launch& launch = event.launch_snapshot();
  LaunchInfo info;
  absl::StatusOr<std::string> id =
      api::ParseLaunchName(launch.name(), "event.launch_snapshot.name");
  if (!id.ok()) return id.status();
  info.launch_id = *id;
  info.tenant = launch.tenant();
  info.display_name = launch.display_name();
  info.owner = launch.owner();
  info.time_zone = launch.time_zone();
  absl::StatusOr<std::optional<absl::CivilDay>> target =
      ParseDate(launch.target_launch_date(), "launch.target_launch_date");
  if (!target.ok()) return target.status();
  info.target_launch_date = *target;
  absl::StatusOr<std::optional<absl::CivilDay>> went_live =
      ParseDate(launch.went_live_date(), "launch.went_live_date");
  if (!went_live.ok()) return went_live.status();
  info.went_live_date = *went_live;
  // The version orders launch snapshots.
  if (launch.version() <= 0) return MissingVersion(event, "launch_snapshot");
  info.version = launch.version();
  return std::optional<LaunchInfo>(std::move(info));
}

absl::StatusOr<std::optional<ItemInfo>> ItemFromEvent(const v1::Event& event) {
  if (!event.has_item_snapshot()) return std::optional<ItemInfo>();
  const v1::Item& item = event.item_snapshot();
  ItemInfo info;
  absl::StatusOr<std::string> launch_id = api::ParseLaunchName(event.launch(), "event.launch");
  if (!launch_id.ok()) return launch_id.status();
  info.launch_id = *launch_id;
  info.code = item.code().empty() ? event.item_code() : item.code();
  info.title_en = item.title_en();
  info.title_zh = item.title_zh();
  info.status = StatusName(item.status());
  info.done = IsDoneStatus(item.status());
  info.started = item.status() != v1::ITEM_STATUS_NOT_STARTED;
  info.assignee = item.assignee();
  if (item.version() <= 0) return MissingVersion(event, "item_snapshot");
  info.version = item.version();
  absl::StatusOr<std::optional<absl::CivilDay>> latest_start =
      ParseDate(item.schedule().latest_start_date(), "item.schedule.latest_start_date");
  if (!latest_start.ok()) return latest_start.status();
  info.latest_start = *latest_start;
  absl::StatusOr<std::optional<absl::CivilDay>> due = ParseDate(item.due_date(), "item.due_date");
  if (!due.ok()) return due.status();
  absl::StatusOr<std::optional<absl::CivilDay>> latest_finish =
      ParseDate(item.schedule().latest_finish_date(), "item.schedule.latest_finish_date");
  if (!latest_finish.ok()) return latest_finish.status();
  info.due = due->has_value() ? *due : *latest_finish;
  info.post_launch = item.deadline().anchor() == v1::Deadline::ANCHOR_AFTER_GO_LIVE;
  absl::StatusOr<std::optional<absl::CivilDay>> expiry =
      ParseDate(item.expiry_date(), "item.expiry_date");
  if (!expiry.ok()) return expiry.status();
  info.expiry = *expiry;
  absl::StatusOr<std::optional<absl::CivilDay>> approved =
      ParseDate(item.approved_date(), "item.approved_date");
  if (!approved.ok()) return approved.status();
  info.approved = *approved;
  std::vector<std::string> problems;
  info.renewal_days = CheckItemRenewalDays(item.renewal_reminder_days(), &problems);
  for (const std::string& problem : problems) {
    // Only these days are dropped: the rest of the event still applies (failing it would stall
    // the stream on one bad number).
    logging::Warning(kComponent,
                     absl::StrCat("event ", event.sequence(), ": item ", info.code, ": ", problem),
                     {{"launch", info.launch_id}, {"item", info.code}});
  }
  return std::optional<ItemInfo>(std::move(info));
}

absl::StatusOr<ChecklistEvent> TranslateEvent(const v1::Event& event) {
  ChecklistEvent out;
  out.sequence = event.sequence();
  absl::StatusOr<std::optional<LaunchInfo>> launch = LaunchFromEvent(event);
  if (!launch.ok()) return launch.status();
  out.launch = *std::move(launch);
  absl::StatusOr<std::optional<ItemInfo>> item = ItemFromEvent(event);
  if (!item.ok()) return item.status();
  out.item = *std::move(item);
  return out;
}

}  // namespace preflight::notifier
