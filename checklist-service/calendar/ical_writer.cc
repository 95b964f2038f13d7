#include "checklist-service/calendar/ical_writer.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "libical/ical.h"

namespace preflight::checklist {
namespace {

// libical keeps global state (its error flag, the built-in time zone cache), so one calendar is
// built at a time; building one takes well under a millisecond.
absl::Mutex& LibicalMutex() {
  static absl::Mutex* const mutex = new absl::Mutex;
  return *mutex;
}

struct ComponentDeleter {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};

icaltimetype Date(absl::CivilDay day) {
  icaltimetype date = icaltime_null_date();
  date.year = static_cast<int>(day.year());
  date.month = day.month();
  date.day = day.day();
  date.is_date = 1;
  return date;
}

icaltimetype Utc(absl::Time time) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(absl::ToUnixSeconds(time)), 0,
                                       icaltimezone_get_utc_timezone());
}

icalproperty* XProperty(const char* name, const std::string& value) {
  icalproperty* property = icalproperty_new_x(value.c_str());
  icalproperty_set_x_name(property, name);
  return property;
}

// An alarm `days_before` the all-day event, at the policy's send time: the trigger is relative
// to the start of the day (local midnight of a DATE value).
icalcomponent* AlarmOf(const CalendarEntry& entry, int days_before, int send_minute_of_day) {
  icalcomponent* alarm = icalcomponent_new_valarm();
  icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
  icaltriggertype trigger;
  trigger.time = icaltime_null_time();
  trigger.duration = icaldurationtype_from_int(-days_before * 86400 + send_minute_of_day * 60);
  icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
  icalcomponent_add_property(alarm, icalproperty_new_description(entry.summary_en.c_str()));
  return alarm;
}

icalcomponent* EventOf(const CalendarEntry& entry, int send_minute_of_day) {
  icalcomponent* event = icalcomponent_new_vevent();
  icalcomponent_add_property(event, icalproperty_new_uid(entry.uid.c_str()));
  icalcomponent_add_property(event, icalproperty_new_dtstamp(Utc(entry.last_modified)));
  icalcomponent_add_property(event, icalproperty_new_lastmodified(Utc(entry.last_modified)));
  icalcomponent_add_property(event, icalproperty_new_sequence(static_cast<int>(entry.sequence)));
  icalcomponent_add_property(event, icalproperty_new_dtstart(Date(entry.date)));
  icalcomponent_add_property(event, icalproperty_new_dtend(Date(entry.date + 1)));
  const std::string summary = absl::StrCat(entry.summary_en, " / ", entry.summary_zh);
  icalcomponent_add_property(event, icalproperty_new_summary(summary.c_str()));
  const std::string description = absl::StrJoin(entry.description, "\n");
  icalcomponent_add_property(event, icalproperty_new_description(description.c_str()));
  // A reminder of a date, not time spent: it does not make anyone busy.
  icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
  const std::string category(CalendarEntryKindToken(entry.kind));
  icalcomponent_add_property(event, icalproperty_new_categories(category.c_str()));
  for (int days : entry.alarm_days_before) {
    icalcomponent_add_component(event, AlarmOf(entry, days, send_minute_of_day));
  }
  return event;
}

}  // namespace

std::string WriteICalendar(const CalendarView& view) {
  absl::MutexLock lock(&LibicalMutex());
  std::unique_ptr<icalcomponent, ComponentDeleter> calendar(icalcomponent_new_vcalendar());
  icalcomponent* root = calendar.get();
  icalcomponent_add_property(root, icalproperty_new_version("2.0"));
  icalcomponent_add_property(root, icalproperty_new_prodid("-//Preflight//Calendar feed 1.0//EN"));
  icalcomponent_add_property(root, icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(root, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  icalcomponent_add_property(root, XProperty("X-WR-CALNAME", view.name));
  icalcomponent_add_property(root, XProperty("X-WR-TIMEZONE", view.time_zone));
  // How often subscribers should refresh (Apple's and Microsoft's hint; Google ignores it).
  icalcomponent_add_property(root, XProperty("X-PUBLISHED-TTL", "PT1H"));
  // No VTIMEZONE: every date is an all-day DATE (floating: the same day wherever the reader is)
  // and DTSTAMP/LAST-MODIFIED are UTC, so no property names a TZID (RFC 5545 3.6.5 asks for a
  // VTIMEZONE per TZID used). X-WR-TIMEZONE tells clients the launch's zone.
  for (const CalendarEntry& entry : view.entries) {
    icalcomponent_add_component(root, EventOf(entry, view.send_minute_of_day));
  }
  char* text = icalcomponent_as_ical_string_r(root);
  std::string result = text == nullptr ? std::string() : std::string(text);
  free(text);
  return result;
}

}  // namespace preflight::checklist
