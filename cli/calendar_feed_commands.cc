#include "cli/calendar_feed_commands.h"

#include "absl/strings/str_cat.h"
#include "cli/render.h"
#include "cli/requests.h"
#include "common/api/resource_names.h"

namespace preflight::cli {

std::string CalendarFeedName(absl::string_view argument) {
  return api::CalendarFeedNameFromShorthand(argument);
}

v1::ExportLaunchCalendarRequest BuildExportLaunchCalendarRequest(const Invocation& invocation) {
  v1::ExportLaunchCalendarRequest request;
  request.set_name(LaunchName(invocation.arguments.at(0)));
  return request;
}

absl::StatusOr<v1::CreateCalendarFeedRequest> BuildCreateCalendarFeedRequest(
    const Invocation& invocation) {
  v1::CreateCalendarFeedRequest request;
  v1::CalendarFeed* feed = request.mutable_calendar_feed();
  const bool launch = invocation.Has("launch");
  const bool assignee = invocation.Has("assignee");
  if (launch == assignee) {
    return absl::InvalidArgumentError(
        "'feed create' needs --launch=LAUNCH (a launch's dates) or --assignee=NAME (one person's "
        "dates across the tenant's launches), not both");
  }
  feed->set_tenant(invocation.Get("tenant"));
  if (launch) {
    feed->set_launch(LaunchName(invocation.Get("launch")));
  } else {
    if (feed->tenant().empty()) {
      return absl::InvalidArgumentError("'feed create --assignee' needs --tenant");
    }
    feed->set_assignee(invocation.Get("assignee"));
  }
  return request;
}

absl::StatusOr<v1::ListCalendarFeedsRequest> BuildListCalendarFeedsRequest(
    const Invocation& invocation) {
  v1::ListCalendarFeedsRequest request;
  request.set_tenant(invocation.Get("tenant"));
  int32_t page_size = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "page_size", &page_size); !s.ok()) return s;
  request.set_page_size(page_size);
  request.set_page_token(invocation.Get("page_token"));
  return request;
}

v1::DeleteCalendarFeedRequest BuildDeleteCalendarFeedRequest(const Invocation& invocation) {
  v1::DeleteCalendarFeedRequest request;
  request.set_name(CalendarFeedName(invocation.arguments.at(0)));
  return request;
}

namespace {

std::string Source(const v1::CalendarFeed& feed) {
  return feed.has_launch() ? feed.launch() : absl::StrCat("assignee ", feed.assignee());
}

}  // namespace

std::string RenderCalendarFeed(const v1::CalendarFeed& feed) {
  std::string out = absl::StrCat(feed.name(), "  ", Source(feed), "\n");
  Fields fields;
  fields.Add("tenant", feed.tenant());
  fields.Add("created", absl::StrCat(FormatTimestamp(feed.create_time()), " by ", feed.creator()));
  return out + fields.Render();
}

std::string RenderCreatedCalendarFeed(const v1::CreateCalendarFeedResponse& response) {
  return absl::StrCat(response.url(),
                      "\n(the URL above is shown only now and is all a calendar needs to read the "
                      "feed: subscribe to it, and revoke it with 'preflight feed delete ",
                      response.calendar_feed().name(), "')\n",
                      RenderCalendarFeed(response.calendar_feed()));
}

std::string RenderCalendarFeeds(const v1::ListCalendarFeedsResponse& response) {
  if (response.calendar_feeds().empty()) return "no calendar feeds\n";
  std::string out;
  for (const v1::CalendarFeed& feed : response.calendar_feeds()) {
    absl::StrAppend(&out, feed.name(), "  tenant ", feed.tenant(), "  ", Source(feed), "  ",
                    FormatTimestamp(feed.create_time()), "\n");
  }
  if (!response.next_page_token().empty()) {
    absl::StrAppend(&out, "more: --page_token=", response.next_page_token(), " (or --all)\n");
  }
  return out;
}

}  // namespace preflight::cli
