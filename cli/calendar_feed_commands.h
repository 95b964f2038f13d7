#pragma once

// Requests and output of `launch ics` and the `feed` commands (calendar feeds, docs/views.md).
// As elsewhere in the CLI, only what the client must decide is checked here (that a feed names a
// launch or an assignee); the server validates the rest.

#include <string>

#include "absl/status/statusor.h"
#include "cli/command_line.h"
#include "preflight/v1/calendar_feed.pb.h"

namespace preflight::cli {

// "calendarFeeds/ID" stays as it is; a bare "ID" becomes "calendarFeeds/ID".
std::string CalendarFeedName(absl::string_view argument);

v1::ExportLaunchCalendarRequest BuildExportLaunchCalendarRequest(const Invocation& invocation);
// --launch=LAUNCH, or --assignee=NAME with --tenant (a context's tenant will do).
absl::StatusOr<v1::CreateCalendarFeedRequest> BuildCreateCalendarFeedRequest(
    const Invocation& invocation);
absl::StatusOr<v1::ListCalendarFeedsRequest> BuildListCalendarFeedsRequest(
    const Invocation& invocation);
v1::DeleteCalendarFeedRequest BuildDeleteCalendarFeedRequest(const Invocation& invocation);

// The subscription URL on a line of its own, then the feed: the only time the URL is shown.
std::string RenderCreatedCalendarFeed(const v1::CreateCalendarFeedResponse& response);
std::string RenderCalendarFeed(const v1::CalendarFeed& feed);
std::string RenderCalendarFeeds(const v1::ListCalendarFeedsResponse& response);

}  // namespace preflight::cli
