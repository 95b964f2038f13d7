#include "cli/cross_launch.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/render.h"
#include "cli/requests.h"
#include "common/civil_date.h"

namespace preflight::cli {
namespace {

constexpr char kNone[] = "-";

std::string OrNone(const std::string& text) { return text.empty() ? std::string(kNone) : text; }

std::string LaunchOfItemName(const std::string& item_name) {
  return item_name.substr(0, item_name.find("/items/"));
}

// "AT RISK, CRITICAL" from the schedule's flags.
std::string Flags(const v1::ItemSchedule& schedule) {
  std::vector<std::string> flags;
  if (schedule.at_risk()) flags.push_back("AT RISK");
  if (schedule.critical()) flags.push_back("CRITICAL");
  if (schedule.duration_estimated()) flags.push_back("estimate");
  return flags.empty() ? std::string(kNone) : absl::StrJoin(flags, ", ");
}

std::string Slack(const v1::ItemSchedule& schedule) {
  if (schedule.done()) return kNone;
  return absl::StrCat(schedule.slack_working_days(), "wd");
}

// Where an item stands in the week of the launch's today (its schedule's as-of date).
std::string When(const v1::ItemSchedule& schedule, const v1::Launch* launch) {
  const std::string today = launch != nullptr ? launch->schedule().as_of_date() : "";
  if (today.empty()) return kNone;
  if (!schedule.latest_finish_date().empty() && schedule.latest_finish_date() < today) {
    return "overdue";
  }
  if (!schedule.latest_start_date().empty() && schedule.latest_start_date() < today &&
      (schedule.projected_start_date().empty() || schedule.projected_start_date() >= today)) {
    return "late start";
  }
  const std::optional<absl::CivilDay> day = ParseCivilDay(today);
  if (day && !schedule.latest_start_date().empty() &&
      schedule.latest_start_date() <= FormatCivilDay(EndOfWeek(*day))) {
    return "this week";
  }
  return schedule.at_risk() ? "at risk" : "later";
}

const v1::Launch* LaunchOf(const v1::ListItemsResponse& response, const v1::Item& item) {
  const auto it = response.launches().find(LaunchOfItemName(item.name()));
  return it == response.launches().end() ? nullptr : &it->second;
}

std::string RenderItems(const v1::ListItemsResponse& response, const RenderOptions& options,
                        bool with_when, absl::string_view nothing) {
  if (response.items().empty()) {
    return options.headers ? absl::StrCat(nothing, "\n") : "";
  }
  std::vector<std::string> headers;
  if (with_when) headers.push_back("WHEN");
  for (const char* header :
       {"LAUNCH", "CODE", "TITLE", "LATEST START", "DUE", "SLACK", "STATUS", "FLAGS"}) {
    headers.push_back(header);
  }
  if (options.wide) {
    headers.push_back("ASSIGNEE");
    headers.push_back("ITEM");
  }
  Table table(std::move(headers));
  table.SetShrinkable("TITLE");
  table.SetShrinkable("LAUNCH");
  for (const v1::Item& item : response.items()) {
    const v1::Launch* launch = LaunchOf(response, item);
    const v1::ItemSchedule& schedule = item.schedule();
    std::vector<std::string> row;
    if (with_when) row.push_back(When(schedule, launch));
    row.push_back(launch != nullptr ? launch->display_name() : LaunchOfItemName(item.name()));
    row.push_back(item.code());
    row.push_back(item.title_en());
    row.push_back(OrNone(schedule.latest_start_date()));
    row.push_back(OrNone(schedule.latest_finish_date()));
    row.push_back(Slack(schedule));
    row.push_back(StatusLabel(item.status()));
    row.push_back(Flags(schedule));
    if (options.wide) {
      row.push_back(OrNone(item.assignee()));
      row.push_back(item.name());
    }
    table.AddRow(std::move(row));
  }
  std::string out = table.Render(options);
  if (!response.next_page_token().empty() && options.headers) {
    absl::StrAppend(&out, "more: --page_token=", response.next_page_token(), " (or --all)\n");
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::ListItemsRequest> BuildListItemsRequest(const Invocation& invocation) {
  v1::ListItemsRequest request;
  request.set_parent(invocation.Has("launch") && !invocation.Get("launch").empty()
                         ? LaunchName(invocation.Get("launch"))
                         : "launches/-");
  int32_t page_size = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "page_size", &page_size); !s.ok()) return s;
  request.set_page_size(page_size);
  request.set_page_token(invocation.Get("page_token"));
  request.set_tenant(invocation.Get("tenant"));
  request.set_assignee(invocation.Get("assignee"));
  for (const std::string& status : invocation.GetAll("status")) {
    absl::StatusOr<int> value =
        ParseEnumFlag(v1::ItemStatus_descriptor(), "ITEM_STATUS_", "status", status);
    if (!value.ok()) return value.status();
    request.add_statuses(static_cast<v1::ItemStatus>(*value));
  }
  request.set_start_before(invocation.Get("start_before"));
  request.set_due_before(invocation.Get("due_before"));
  request.set_at_risk_only(invocation.GetBool("at_risk"));
  request.set_critical_only(invocation.GetBool("critical"));
  request.set_include_done(invocation.GetBool("include_done"));
  return request;
}

absl::CivilDay EndOfWeek(absl::CivilDay today) {
  // absl::Weekday counts Monday as 0.
  const int from_monday = static_cast<int>(absl::GetWeekday(today));
  return today + (6 - from_monday);
}

std::vector<v1::ListItemsRequest> MyWeekRequests(const std::string& tenant,
                                                 const std::string& assignee,
                                                 absl::CivilDay end_of_week) {
  v1::ListItemsRequest base;
  base.set_parent("launches/-");
  base.set_tenant(tenant);
  base.set_assignee(assignee);
  base.set_page_size(200);
  v1::ListItemsRequest this_week = base;
  this_week.set_start_before(FormatCivilDay(end_of_week));
  v1::ListItemsRequest at_risk = base;
  at_risk.set_at_risk_only(true);
  return {this_week, at_risk};
}

v1::ListItemsResponse MergeItemPages(const std::vector<v1::ListItemsResponse>& pages) {
  std::map<std::tuple<std::string, std::string, std::string>, const v1::Item*> items;
  v1::ListItemsResponse merged;
  for (const v1::ListItemsResponse& page : pages) {
    for (const v1::Item& item : page.items()) {
      // Items without a latest start list last, as the server sorts them.
      const std::string start =
          item.schedule().latest_start_date().empty() ? "~" : item.schedule().latest_start_date();
      items.emplace(std::make_tuple(start, LaunchOfItemName(item.name()), item.code()), &item);
    }
    for (const auto& [name, launch] : page.launches()) (*merged.mutable_launches())[name] = launch;
  }
  for (const auto& [key, item] : items) *merged.add_items() = *item;
  return merged;
}

void SortWorstFirst(v1::ListLaunchesResponse* response) {
  auto* launches = response->mutable_launches();
  std::stable_sort(
      launches->begin(), launches->end(), [](const v1::Launch& a, const v1::Launch& b) {
        const v1::LaunchSchedule& x = a.schedule();
        const v1::LaunchSchedule& y = b.schedule();
        // No next deadline (everything done) sorts after any date.
        const std::string x_next = x.next_deadline_date().empty() ? "~" : x.next_deadline_date();
        const std::string y_next = y.next_deadline_date().empty() ? "~" : y.next_deadline_date();
        return std::make_tuple(!x.at_risk(), x.slack_working_days(), -x.at_risk_items(), x_next,
                               a.name()) < std::make_tuple(!y.at_risk(), y.slack_working_days(),
                                                           -y.at_risk_items(), y_next, b.name());
      });
}

std::string RenderItemList(const v1::ListItemsResponse& response, const RenderOptions& options) {
  return RenderItems(response, options, /*with_when=*/false, "no items");
}

std::string RenderMyWeek(const v1::ListItemsResponse& response, const RenderOptions& options) {
  return RenderItems(response, options, /*with_when=*/true,
                     "nothing to start, due, overdue or at risk this week");
}

std::string RenderPortfolio(const v1::ListLaunchesResponse& response,
                            const RenderOptions& options) {
  if (response.launches().empty()) return options.headers ? "no launches\n" : "";
  std::vector<std::string> headers = {"LAUNCH", "DISPLAY NAME",  "TARGET",        "PROJECTED",
                                      "SLACK",  "AT-RISK ITEMS", "NEXT DEADLINE", "RISK"};
  if (options.wide) headers.push_back("OWNER");
  Table table(std::move(headers));
  table.SetShrinkable("DISPLAY NAME");
  for (const v1::Launch& launch : response.launches()) {
    const v1::LaunchSchedule& schedule = launch.schedule();
    std::string next = kNone;
    if (!schedule.next_deadline_date().empty()) {
      next = absl::StrCat(schedule.next_deadline_date(), " ", schedule.next_deadline_item());
    }
    std::string risk = "ok";
    if (!launch.went_live_date().empty()) {
      risk = "live";
    } else if (schedule.at_risk()) {
      risk = "AT RISK";
    }
    std::vector<std::string> row = {launch.name(),
                                    launch.display_name(),
                                    launch.target_launch_date(),
                                    OrNone(schedule.projected_launch_date()),
                                    absl::StrCat(schedule.slack_working_days(), "wd"),
                                    absl::StrCat(schedule.at_risk_items()),
                                    std::move(next),
                                    std::move(risk)};
    if (options.wide) row.push_back(OrNone(launch.owner()));
    table.AddRow(std::move(row));
  }
  return table.Render(options);
}

}  // namespace preflight::cli
