#pragma once

// The views across launches: `item list` (ListItems with its filters), `my-week` (one person's
// items that must start or are due this week, plus anything overdue or at risk) and `portfolio`
// (every launch of a tenant, worst first). Requests, merging and tables; the calls are cli.cc's.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "cli/command_line.h"
#include "cli/render_options.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::cli {

// `item list`: parent launches/- (or --launch), the filters as given.
absl::StatusOr<v1::ListItemsRequest> BuildListItemsRequest(const Invocation& invocation);

// The last day of the week (Monday to Sunday) holding `today`. An item's latest start is a
// working day, so "on or before Sunday" is "by the last working day of the week", make-up
// weekend days included, whatever the holidays.
absl::CivilDay EndOfWeek(absl::CivilDay today);

// `my-week`'s two questions of ListItems, for `assignee` in `tenant`: what must start by
// `end_of_week` (which includes everything overdue), and what is at risk whenever it starts.
std::vector<v1::ListItemsRequest> MyWeekRequests(const std::string& tenant,
                                                 const std::string& assignee,
                                                 absl::CivilDay end_of_week);

// The answers merged into one: each item once, by latest start, launch, code; launches of all.
v1::ListItemsResponse MergeItemPages(const std::vector<v1::ListItemsResponse>& pages);

// Worst first: at risk before on track, then less slack, then the earlier next deadline, then
// the name.
void SortWorstFirst(v1::ListLaunchesResponse* response);

std::string RenderItemList(const v1::ListItemsResponse& response, const RenderOptions& options);
// The week's table: WHEN (overdue, late start, this week, at risk) then the item's dates and flags.
std::string RenderMyWeek(const v1::ListItemsResponse& response, const RenderOptions& options);
std::string RenderPortfolio(const v1::ListLaunchesResponse& response, const RenderOptions& options);

}  // namespace preflight::cli
