#include "checklist-service/calendar/feed_http.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "checklist-service/calendar/ical_writer.h"
#include "common/crypto.h"

namespace preflight::checklist {
namespace {

constexpr size_t kMaxPartLength = 128;

bool IsHex(absl::string_view text) {
  if (text.empty() || text.size() > kMaxPartLength) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

http::Response NotFound() {
  http::Response response;
  response.status = 404;
  response.body = "not found\n";
  return response;
}

std::string HttpDate(absl::Time time) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", time, absl::UTCTimeZone());
}

}  // namespace

http::Response ServeCalendarFeed(CalendarFeeds& feeds, const http::Request& request) {
  absl::string_view path = request.path;
  if (!absl::ConsumePrefix(&path, kFeedPathPrefix) || !absl::ConsumeSuffix(&path, ".ics")) {
    return NotFound();
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  if (parts.size() != 2 || !IsHex(parts[0]) || !IsHex(parts[1])) return NotFound();
  absl::StatusOr<CalendarView> view = feeds.Resolve(parts[0], parts[1]);
  if (!view.ok()) {
    if (absl::IsNotFound(view.status())) return NotFound();
    http::Response failed;
    failed.status = absl::IsUnavailable(view.status()) ? 503 : 500;
    failed.body = "the calendar cannot be read now; try again later\n";
    if (failed.status == 503) failed.headers.emplace_back("Retry-After", "30");
    return failed;
  }
  http::Response response;
  response.content_type = "text/calendar; charset=utf-8";
  response.body = WriteICalendar(*view);
  const std::string etag = absl::StrCat("\"", Sha256Hex(response.body).substr(0, 32), "\"");
  response.headers.emplace_back("ETag", etag);
  response.headers.emplace_back("Last-Modified", HttpDate(view->last_modified));
  // The URL is a secret: no shared cache may keep it; clients revalidate with the ETag.
  response.headers.emplace_back("Cache-Control", "private, max-age=300");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (auto it = request.headers.find("if-none-match");
      it != request.headers.end() && absl::StrContains(it->second, etag)) {
    response.status = 304;
    response.body.clear();
  }
  return response;
}

http::Route CalendarFeedRoute(CalendarFeeds* feeds) {
  http::Route route;
  route.path = kFeedPathPrefix;
  route.prefix = true;
  route.handler = [feeds](const http::Request& request) {
    return ServeCalendarFeed(*feeds, request);
  };
  return route;
}

}  // namespace preflight::checklist
