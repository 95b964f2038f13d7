#include "notifier-service/engine/event_translation.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"

namespace preflight::notifier {
namespace {

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

}  // namespace

absl::StatusOr<std::string> LaunchIdFromName(absl::string_view name) {
  constexpr absl::string_view kPrefix = "launches/";
  if (!absl::StartsWith(name, kPrefix) || name.size() == kPrefix.size() ||
      absl::StrContains(name.substr(kPrefix.size()), '/')) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a launch name (launches/{launch}): '", name, "'"));
  }
  return std::string(name.substr(kPrefix.size()));
}

absl::StatusOr<std::optional<LaunchInfo>> LaunchFromEvent(const v1::Event& event) {
  if (!event.has_launch_snapshot()) return std::optional<LaunchInfo>();
  const v1::Launch& launch = event.launch_snapshot();
  LaunchInfo info;
  absl::StatusOr<std::string> id = LaunchIdFromName(launch.name());
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
  // The etag is "<version>-<hash>"; the version orders launch snapshots.
  const std::string version_text(
      absl::string_view(launch.etag()).substr(0, launch.etag().find('-')));
  int64_t version = 0;
  if (absl::SimpleAtoi(version_text, &version)) info.version = version;
  return std::optional<LaunchInfo>(std::move(info));
}

absl::StatusOr<std::optional<ItemInfo>> ItemFromEvent(const v1::Event& event) {
  if (!event.has_item_snapshot()) return std::optional<ItemInfo>();
  const v1::Item& item = event.item_snapshot();
  ItemInfo info;
  absl::StatusOr<std::string> launch_id = LaunchIdFromName(event.launch());
  if (!launch_id.ok()) return launch_id.status();
  info.launch_id = *launch_id;
  info.code = item.code().empty() ? event.item_code() : item.code();
  info.title_en = item.title_en();
  info.title_zh = item.title_zh();
  info.status = StatusName(item.status());
  info.done = IsDoneStatus(item.status());
  info.started = item.status() != v1::ITEM_STATUS_NOT_STARTED;
  info.assignee = item.assignee();
  const std::string version_text(absl::string_view(item.etag()).substr(0, item.etag().find('-')));
  if (!absl::SimpleAtoi(version_text, &info.version)) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event.sequence(), ": item etag '",
                                                   item.etag(), "' does not start with a version"));
  }
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
  return std::optional<ItemInfo>(std::move(info));
}

}  // namespace preflight::notifier
