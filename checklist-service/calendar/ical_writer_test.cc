#include "checklist-service/calendar/ical_writer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libical/ical.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

CalendarEntry Entry() {
  CalendarEntry entry;
  entry.uid = "L1.MP_FILING.due@preflight";
  entry.launch_id = "L1";
  entry.item_code = "MP_FILING";
  entry.kind = CalendarEntryKind::kDue;
  entry.date = absl::CivilDay(2026, 11, 20);
  entry.summary_en = "Due: Mini program filing (MP_FILING)";
  entry.summary_zh = "截止：小程序备案（小程序 ICP 备案，含平台初审、短信核验与管局审核）";
  entry.description = {"Launch: Shop (launches/L1)", "Status: NOT_STARTED", "Assignee: li.na"};
  entry.sequence = 6;
  entry.last_modified = absl::FromUnixSeconds(1763600000);
  entry.alarm_days_before = {9, 3, 1, 0};
  return entry;
}

CalendarView View() {
  CalendarView view;
  view.name = "Shop · Preflight";
  view.time_zone = "Asia/Shanghai";
  view.last_modified = absl::FromUnixSeconds(1763600000);
  view.send_minute_of_day = 9 * 60 + 30;
  view.entries = {Entry()};
  return view;
}

struct ComponentDeleter {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

std::string Text(icalproperty* property) {
  return property == nullptr ? "" : icalproperty_get_value_as_string(property);
}

TEST(IcalWriterTest, WritesACalendarThatLibicalReadsBack) {
  const std::string text = WriteICalendar(View());
  Component calendar(icalparser_parse_string(text.c_str()));
  ASSERT_NE(calendar, nullptr);
  ASSERT_EQ(icalcomponent_isa(calendar.get()), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(Text(icalcomponent_get_first_property(calendar.get(), ICAL_VERSION_PROPERTY)), "2.0");
  icalcomponent* event = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_NE(event, nullptr);
  EXPECT_STREQ(icalcomponent_get_uid(event), "L1.MP_FILING.due@preflight");
  // Unfolded, the long Chinese summary is whole again: folding never split a character.
  EXPECT_EQ(std::string(icalcomponent_get_summary(event)),
            "Due: Mini program filing (MP_FILING) / "
            "截止：小程序备案（小程序 ICP 备案，含平台初审、短信核验与管局审核）");
  EXPECT_EQ(std::string(icalcomponent_get_description(event)),
            "Launch: Shop (launches/L1)\nStatus: NOT_STARTED\nAssignee: li.na");
  const icaltimetype start = icalcomponent_get_dtstart(event);
  EXPECT_TRUE(start.is_date);
  EXPECT_EQ(start.year, 2026);
  EXPECT_EQ(start.month, 11);
  EXPECT_EQ(start.day, 20);
  const icaltimetype end = icalcomponent_get_dtend(event);
  EXPECT_EQ(end.day, 21);
  EXPECT_EQ(
      icalproperty_get_sequence(icalcomponent_get_first_property(event, ICAL_SEQUENCE_PROPERTY)),
      6);
  std::vector<int> triggers;
  for (icalcomponent* alarm = icalcomponent_get_first_component(event, ICAL_VALARM_COMPONENT);
       alarm != nullptr; alarm = icalcomponent_get_next_component(event, ICAL_VALARM_COMPONENT)) {
    const icaltriggertype trigger =
        icalproperty_get_trigger(icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY));
    triggers.push_back(icaldurationtype_as_int(trigger.duration));
  }
  // 09:30 on the day 9, 3 and 1 days before, and on the day itself.
  EXPECT_THAT(triggers, ElementsAre(-9 * 86400 + 34200, -3 * 86400 + 34200, -86400 + 34200, 34200));
}

TEST(IcalWriterTest, SaysTheZoneAndUsesDateValuesAndCrlf) {
  const std::string text = WriteICalendar(View());
  EXPECT_TRUE(absl::StartsWith(text, "BEGIN:VCALENDAR\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nX-WR-TIMEZONE:Asia/Shanghai\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nX-WR-CALNAME:Shop · Preflight\r\n"));
  // All-day dates and UTC stamps only: nothing names a TZID, so no VTIMEZONE is needed.
  EXPECT_THAT(text, Not(HasSubstr("TZID")));
  EXPECT_THAT(text, Not(HasSubstr("VTIMEZONE")));
  EXPECT_THAT(text, HasSubstr("\r\nDTSTART;VALUE=DATE:20261120\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nDTEND;VALUE=DATE:20261121\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nTRIGGER:-P8DT14H30M\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nDTSTAMP:20251120T005320Z\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nTRANSP:TRANSPARENT\r\n"));
  for (absl::string_view line : absl::StrSplit(text, "\r\n")) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_FALSE(absl::StrContains(line, '\n')) << "a bare LF in: " << line;
  }
}

TEST(IcalWriterTest, TheSameViewGivesTheSameBytes) {
  EXPECT_EQ(WriteICalendar(View()), WriteICalendar(View()));
  CalendarView moved = View();
  moved.entries[0].sequence = 7;
  EXPECT_NE(WriteICalendar(moved), WriteICalendar(View()));
}

TEST(IcalWriterTest, AnEmptyCalendarIsStillACalendar) {
  CalendarView view = View();
  view.entries.clear();
  Component calendar(icalparser_parse_string(WriteICalendar(view).c_str()));
  ASSERT_NE(calendar, nullptr);
  EXPECT_EQ(icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT), nullptr);
}

}  // namespace
}  // namespace preflight::checklist
