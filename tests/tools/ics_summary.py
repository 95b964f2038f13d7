#!/usr/bin/python3
"""Fetches an iCalendar URL (or reads a file) and prints what tests/calendar_feed_test.cc checks,
one fact a line, as parsed by python3-icalendar: an independent parser of the feed libical wrote.

  STATUS <http status>
  HEADER <name> <value>            (Content-Type, ETag, Cache-Control, Last-Modified)
  CALENDAR <property> <value>      (VERSION, X-WR-TIMEZONE, X-WR-CALNAME)
  EVENT <uid> <sequence> <dtstart> <dtend> <DATE|DATETIME> <trigger seconds,...>
  SUMMARY <uid> <summary>

Usage: ics_summary.py URL | --file PATH
"""
import sys
import urllib.error
import urllib.request

import icalendar


def main():
    if sys.argv[1] == "--file":
        with open(sys.argv[2], "rb") as f:
            body = f.read()
        print("STATUS 200")
    else:
        try:
            with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
                body = response.read()
                print("STATUS", response.status)
                for name in ("Content-Type", "ETag", "Cache-Control", "Last-Modified"):
                    print("HEADER", name, response.headers.get(name, ""))
        except urllib.error.HTTPError as error:
            print("STATUS", error.code)
            return
    calendar = icalendar.Calendar.from_ical(body)
    for name in ("VERSION", "X-WR-TIMEZONE", "X-WR-CALNAME"):
        print("CALENDAR", name, str(calendar.get(name, "")))
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        start = event["DTSTART"].dt
        end = event["DTEND"].dt
        kind = "DATETIME" if hasattr(start, "hour") else "DATE"
        triggers = []
        for alarm in event.walk("VALARM"):
            triggers.append(str(int(alarm["TRIGGER"].dt.total_seconds())))
        print("EVENT", uid, int(event.get("SEQUENCE", 0)), start.isoformat(), end.isoformat(),
              kind, ",".join(triggers))
        print("SUMMARY", uid, str(event["SUMMARY"]))


if __name__ == "__main__":
    main()
