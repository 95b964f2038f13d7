#pragma once

// iCalendar (RFC 5545) text of a calendar view, built with libical's API (Debian's libical-dev):
// one all-day VEVENT per entry, alarms as VALARM triggers relative to the day's start.

#include <string>

#include "checklist-service/domain/calendar_entries.h"

namespace preflight::checklist {

// The VCALENDAR of `view` (CRLF lines, folded at 75 octets by libical). Deterministic: the same
// view gives the same bytes (DTSTAMP is the view's last change, not the time of the request), so
// the text's hash can serve as an ETag. Thread-safe.
std::string WriteICalendar(const CalendarView& view);

}  // namespace preflight::checklist
