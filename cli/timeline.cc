#include "cli/timeline.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/civil_date.h"

namespace preflight::cli {
namespace {

std::optional<absl::CivilDay> Day(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return ParseCivilDay(text);
}

bool Applies(const v1::Item& item) { return item.status() != v1::ITEM_STATUS_NOT_APPLICABLE; }

bool Active(v1::ItemStatus status) {
  return status == v1::ITEM_STATUS_IN_PROGRESS || status == v1::ITEM_STATUS_SUBMITTED ||
         status == v1::ITEM_STATUS_RETURNED;
}

}  // namespace

absl::StatusOr<DaySpan> TimelineSpan(const v1::Launch& launch) {
  std::optional<absl::CivilDay> first;
  std::optional<absl::CivilDay> last;
  const auto widen = [&](const std::string& text) {
    const std::optional<absl::CivilDay> day = Day(text);
    if (!day) return;
    if (!first || *day < *first) first = *day;
    if (!last || *day > *last) last = *day;
  };
  widen(launch.schedule().as_of_date());
  widen(launch.target_launch_date());
  widen(launch.schedule().projected_launch_date());
  for (const v1::Item& item : launch.items()) {
    if (!Applies(item)) continue;
    widen(item.schedule().projected_start_date());
    widen(item.schedule().projected_finish_date());
    widen(item.schedule().latest_start_date());
    widen(item.schedule().latest_finish_date());
  }
  if (!first) {
    return absl::InvalidArgumentError(
        absl::StrCat(launch.name(), " has no schedule dates to draw"));
  }
  return DaySpan{*first, *last};
}

absl::StatusOr<Timeline> BuildTimeline(const v1::Launch& launch,
                                       const v1::WorkingCalendar& calendar) {
  absl::StatusOr<DaySpan> span = TimelineSpan(launch);
  if (!span.ok()) return span.status();
  Timeline timeline;
  timeline.launch = launch.name();
  timeline.display_name = launch.display_name();
  timeline.first = span->first;
  timeline.last = span->last;
  timeline.today = Day(launch.schedule().as_of_date()).value_or(span->first);
  timeline.target = Day(launch.target_launch_date());
  timeline.projected_launch = Day(launch.schedule().projected_launch_date());
  timeline.at_risk = launch.schedule().at_risk();
  timeline.slack_working_days = launch.schedule().slack_working_days();
  timeline.critical_path.assign(launch.schedule().critical_path().begin(),
                                launch.schedule().critical_path().end());
  for (const v1::Item& item : launch.items()) {
    if (!Applies(item)) continue;
    TimelineRow row;
    row.code = item.code();
    row.title_en = item.title_en();
    row.title_zh = item.title_zh();
    row.group = item.group();
    row.status = item.status();
    row.start = Day(item.schedule().projected_start_date());
    row.finish = Day(item.schedule().projected_finish_date());
    if (row.start && row.finish && *row.finish < *row.start) std::swap(*row.start, *row.finish);
    if (row.start.has_value() != row.finish.has_value()) {
      // A single known date is drawn as a one-day bar.
      row.start = row.finish = row.start ? row.start : row.finish;
    }
    row.latest_start = Day(item.schedule().latest_start_date());
    row.latest_finish = Day(item.schedule().latest_finish_date());
    row.slack_working_days = item.schedule().slack_working_days();
    row.critical = item.schedule().critical();
    row.at_risk = item.schedule().at_risk();
    row.done = item.schedule().done();
    row.active = Active(item.status());
    row.depends_on.assign(item.depends_on().begin(), item.depends_on().end());
    timeline.rows.push_back(std::move(row));
  }
  std::stable_sort(
      timeline.rows.begin(), timeline.rows.end(), [](const TimelineRow& a, const TimelineRow& b) {
        const bool a_dated = a.start.has_value();
        const bool b_dated = b.start.has_value();
        if (a_dated != b_dated) return a_dated;
        if (!a_dated) return a.code < b.code;
        return std::tie(*a.start, *a.finish, a.code) < std::tie(*b.start, *b.finish, b.code);
      });
  for (const v1::NonWorkingDay& off : calendar.non_working_days()) {
    const std::optional<absl::CivilDay> day = Day(off.date());
    if (!day || *day < timeline.first || *day > timeline.last) continue;
    std::string name = off.holiday_name_zh();
    if (!off.holiday_name_en().empty()) {
      absl::StrAppend(&name, name.empty() ? "" : " ", off.holiday_name_en());
    }
    timeline.days_off.emplace(*day, std::move(name));
  }
  timeline.unconfirmed_years.assign(calendar.unconfirmed_years().begin(),
                                    calendar.unconfirmed_years().end());
  return timeline;
}

}  // namespace preflight::cli
