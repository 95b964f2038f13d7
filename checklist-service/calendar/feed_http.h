#pragma once

// Serves calendar feeds over HTTP for calendar applications to subscribe to:
// GET /feeds/{id}/{secret}.ics. The secret in the URL is the only authorisation; an unknown
// feed, a revoked one and a wrong secret all answer the same 404.

#include "checklist-service/domain/calendar_feeds.h"
#include "common/http/http_server.h"

namespace preflight::checklist {

// The path every feed URL starts with.
inline constexpr char kFeedPathPrefix[] = "/feeds/";

// The answer to one request: 200 with the calendar (text/calendar; charset=utf-8, an ETag from
// its bytes, Last-Modified, Cache-Control: private), 304 when If-None-Match names that ETag, 404
// for anything that is not a live feed's URL, 503 when the store is busy.
http::Response ServeCalendarFeed(CalendarFeeds& feeds, const http::Request& request);

// The route for HttpServer::Start. `feeds` must outlive the server.
http::Route CalendarFeedRoute(CalendarFeeds* feeds);

}  // namespace preflight::checklist
