#include "notifier-service/domain/message_renderer.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/resource_names.h"
#include "common/civil_date.h"
#include "common/time_zone_name.h"
#include "nlohmann/json.hpp"
#include "notifier-service/domain/ladder.h"

namespace preflight::notifier {
namespace {

using Json = nlohmann::json;

enum class Lang { kZh, kEn };

// The languages of a message, in the order they appear.
std::vector<Lang> LanguagesOf(absl::string_view language) {
  if (absl::StartsWithIgnoreCase(language, "zh")) return {Lang::kZh};
  if (absl::StartsWithIgnoreCase(language, "en")) return {Lang::kEn};
  return {Lang::kZh, Lang::kEn};
}

// Holidays longer than this are not looked for between now and a far deadline.
constexpr int kMaxHolidayScanDays = 800;

std::string SubjectPrefix(const std::vector<Lang>& langs) {
  return langs.size() == 1 && langs[0] == Lang::kEn ? "[Preflight] " : "【Preflight】";
}

absl::TimeZone ZoneOf(const LaunchInfo& launch) {
  absl::TimeZone zone;
  if (!launch.time_zone.empty() && LoadIanaTimeZone(launch.time_zone, &zone)) return zone;
  if (absl::LoadTimeZone(std::string(kDefaultTimeZone), &zone)) return zone;
  return absl::FixedTimeZone(8 * 60 * 60);
}

std::string TitleZh(const ItemInfo& item) {
  if (!item.title_zh.empty()) return item.title_zh;
  return item.title_en.empty() ? item.code : item.title_en;
}

std::string TitleEn(const ItemInfo& item) {
  if (!item.title_en.empty()) return item.title_en;
  return item.title_zh.empty() ? item.code : item.title_zh;
}

std::string LaunchName(const LaunchInfo& launch) {
  return launch.display_name.empty() ? launch.launch_id : launch.display_name;
}

std::string WeekdayName(absl::CivilDay day, Lang lang) {
  static constexpr const char* kZh[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
  static constexpr const char* kEn[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};
  const int index = static_cast<int>(absl::GetWeekday(day));  // Monday is 0
  return lang == Lang::kZh ? kZh[index] : kEn[index];
}

// "3 个工作日" / "3 working days" (calendar days for renewals).
std::string Days(int n, bool working, Lang lang) {
  if (lang == Lang::kZh) return absl::StrCat(n, working ? " 个工作日" : " 天");
  return absl::StrCat(n, working ? " working day" : " day", n == 1 ? "" : "s");
}

bool CountsWorkingDays(const Rung& rung) { return rung.kind != RungKind::kRenewal; }

// What the rung says about its deadline, for subjects and digest lines, e.g. "due 2026-12-10 (3
// working days left)".
std::string Phrase(const Rung& rung, Lang lang) {
  const std::string date = FormatCivilDay(rung.deadline);
  const bool working = CountsWorkingDays(rung);
  const int left = rung.days_left;
  const bool zh = lang == Lang::kZh;
  std::string phrase;
  switch (rung.kind) {
    case RungKind::kBeforeStart:
      if (left > 0) {
        phrase = zh ? absl::StrCat("最晚 ", date, " 开始（剩 ", Days(left, true, lang), "）")
                    : absl::StrCat("start by ", date, " (", Days(left, true, lang), " left)");
      } else if (left == 0) {
        phrase = zh ? absl::StrCat("今天（", date, "）须开始")
                    : absl::StrCat("start today (", date, ")");
      } else {
        phrase =
            zh ? absl::StrCat("最晚开始日 ", date, " 已过 ", Days(-left, true, lang))
               : absl::StrCat("latest start ", date, " passed ", Days(-left, true, lang), " ago");
      }
      break;
    case RungKind::kRenewal:
      if (left > 0) {
        phrase = zh ? absl::StrCat(date, " 到期（剩 ", Days(left, false, lang), "）")
                    : absl::StrCat("expires ", date, " (", Days(left, false, lang), " left)");
      } else if (left == 0) {
        phrase = zh ? absl::StrCat("今天（", date, "）到期")
                    : absl::StrCat("expires today (", date, ")");
      } else {
        phrase = zh ? absl::StrCat("已于 ", date, " 到期") : absl::StrCat("expired on ", date);
      }
      break;
    case RungKind::kBeforeDue:
    case RungKind::kPostLaunch:
    case RungKind::kOverdue:
    case RungKind::kTest:
    case RungKind::kWeeklyDigest:
      if (left > 0) {
        phrase = zh ? absl::StrCat(date, " 截止（剩 ", Days(left, working, lang), "）")
                    : absl::StrCat("due ", date, " (", Days(left, working, lang), " left)");
      } else if (left == 0) {
        phrase =
            zh ? absl::StrCat("今天（", date, "）截止") : absl::StrCat("due today (", date, ")");
      } else {
        phrase = zh ? absl::StrCat("已逾期 ", Days(-left, working, lang), "（", date, " 截止）")
                    : absl::StrCat("overdue by ", Days(-left, working, lang), " (due ", date, ")");
      }
      break;
  }
  if (rung.escalation) absl::StrAppend(&phrase, zh ? "，已升级" : ", escalated");
  return phrase;
}

std::string LateTag(Lang lang) { return lang == Lang::kZh ? "迟发" : "late"; }

// A labelled line of a message body.
struct Line {
  std::string label;
  std::string value;
};

struct Section {
  std::string heading;
  std::vector<Line> lines;
};

std::string Separator(Lang lang) { return lang == Lang::kZh ? "：" : ": "; }

void AppendSection(const Section& section, Lang lang, std::string& text, std::string& markdown) {
  if (!text.empty()) {
    text += "\n";
    markdown += "\n";
  }
  absl::StrAppend(&text, section.heading, "\n");
  absl::StrAppend(&markdown, "**", section.heading, "**\n");
  for (const Line& line : section.lines) {
    if (line.label.empty()) {
      absl::StrAppend(&text, line.value, "\n");
      absl::StrAppend(&markdown, line.value, "\n");
    } else {
      absl::StrAppend(&text, line.label, Separator(lang), line.value, "\n");
      absl::StrAppend(&markdown, "**", line.label, "**", Separator(lang), line.value, "\n");
    }
  }
}

// A run of holiday days between the send day and the deadline.
struct HolidayRun {
  std::string name_zh;
  std::string name_en;
  absl::CivilDay first;
  absl::CivilDay last;
};

// The holidays in (from, to]. Calendar names read "国庆节 National Day": Chinese, then English.
std::vector<HolidayRun> HolidaysBetween(const WorkingCalendar& calendar, absl::CivilDay from,
                                        absl::CivilDay to) {
  std::vector<HolidayRun> runs;
  if (to - from > kMaxHolidayScanDays) to = from + kMaxHolidayScanDays;
  std::string previous;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    const std::optional<std::string> name = calendar.HolidayName(day);
    if (!name) {
      previous.clear();
      continue;
    }
    if (*name == previous && !runs.empty() && runs.back().last == day - 1) {
      runs.back().last = day;
      continue;
    }
    previous = *name;
    HolidayRun run;
    const size_t space = name->find(' ');
    run.name_zh = space == std::string::npos ? *name : name->substr(0, space);
    run.name_en = space == std::string::npos ? *name : name->substr(space + 1);
    run.first = day;
    run.last = day;
    runs.push_back(std::move(run));
  }
  return runs;
}

std::string FormatHolidays(const std::vector<HolidayRun>& runs, Lang lang) {
  std::vector<std::string> parts;
  for (const HolidayRun& run : runs) {
    const std::string first = FormatCivilDay(run.first);
    const std::string last = FormatCivilDay(run.last);
    if (lang == Lang::kZh) {
      parts.push_back(run.first == run.last
                          ? absl::StrCat(run.name_zh, "（", first, "）")
                          : absl::StrCat(run.name_zh, "（", first, " 至 ", last, "）"));
    } else {
      parts.push_back(run.first == run.last
                          ? absl::StrCat(run.name_en, " (", first, ")")
                          : absl::StrCat(run.name_en, " (", first, " to ", last, ")"));
    }
  }
  return absl::StrJoin(parts, lang == Lang::kZh ? "、" : "; ");
}

std::string DeadlineLabel(RungKind kind, Lang lang) {
  const bool zh = lang == Lang::kZh;
  switch (kind) {
    case RungKind::kBeforeStart:
      return zh ? "最晚开始日" : "Latest start";
    case RungKind::kRenewal:
      return zh ? "到期日" : "Expires";
    case RungKind::kPostLaunch:
      return zh ? "上线后备案截止日" : "Post-launch deadline";
    case RungKind::kBeforeDue:
    case RungKind::kOverdue:
    case RungKind::kTest:
    case RungKind::kWeeklyDigest:
      return zh ? "截止日" : "Due";
  }
  return zh ? "截止日" : "Due";
}

std::string SlackText(const Rung& rung, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const bool working = CountsWorkingDays(rung);
  const int left = rung.days_left;
  if (left > 0) return Days(left, working, lang);
  if (left == 0) {
    if (rung.kind == RungKind::kRenewal) return zh ? "今天到期" : "expires today";
    if (rung.kind == RungKind::kBeforeStart) return zh ? "今天须开始" : "must start today";
    return zh ? "今天截止" : "due today";
  }
  if (rung.kind == RungKind::kRenewal) {
    return zh ? absl::StrCat("已过期 ", Days(-left, working, lang))
              : absl::StrCat("expired ", Days(-left, working, lang), " ago");
  }
  if (rung.kind == RungKind::kBeforeStart) {
    return zh ? absl::StrCat("已晚于最晚开始日 ", Days(-left, working, lang))
              : absl::StrCat(Days(-left, working, lang), " past the latest start");
  }
  return zh ? absl::StrCat("已逾期 ", Days(-left, working, lang))
            : absl::StrCat(Days(-left, working, lang), " overdue");
}

std::string NextStep(const LaunchInfo& launch, const Rung& rung, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const std::string date = FormatCivilDay(rung.deadline);
  switch (rung.kind) {
    case RungKind::kBeforeStart:
      if (rung.days_left <= 0) {
        return zh ? "今天就开始办理：再晚开始将赶不上上线日期。"
                  : "Start now: starting any later puts the launch date at risk.";
      }
      return zh ? absl::StrCat("请在 ", date, " 前开始办理，否则将影响上线日期。")
                : absl::StrCat("Start work by ", date, "; starting later puts the launch date ",
                               "at risk.");
    case RungKind::kBeforeDue:
      return zh ? absl::StrCat("请在 ", date, " 前完成并提交，并在 Preflight 中更新状态。")
                : absl::StrCat("Finish and submit it by ", date,
                               ", then update its status in Preflight.");
    case RungKind::kOverdue:
      return zh ? "已逾期：请立即处理；如无法完成，请上报上线负责人并调整计划。"
                : "Overdue: act now; if it cannot be done, escalate to the launch owner and "
                  "re-plan.";
    case RungKind::kPostLaunch:
      if (launch.went_live_date) {
        const std::string live = FormatCivilDay(*launch.went_live_date);
        return zh ? absl::StrCat("已于 ", live, " 上线：须在上线后 30 日内完成备案，请在 ", date,
                                 " 前提交。")
                  : absl::StrCat("Went live on ", live, ": file within 30 days of go-live, by ",
                                 date, ".");
      }
      return zh ? absl::StrCat("须在上线后 30 日内完成备案，请在 ", date, " 前提交。")
                : absl::StrCat("File within 30 days of go-live, by ", date, ".");
    case RungKind::kRenewal:
      return zh ? absl::StrCat("请在 ", date, " 到期前办理续期（年审），以免资质失效。")
                : absl::StrCat("Renew before it expires on ", date,
                               " so the qualification does not lapse.");
    case RungKind::kTest:
    case RungKind::kWeeklyDigest:
      break;
  }
  return zh ? "无需操作。" : "Nothing to do.";
}

Section ReminderSection(const LaunchInfo& launch, const ItemInfo& item, const Rung& rung, bool late,
                        const WorkingCalendar& calendar, absl::TimeZone zone, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const std::string resource = api::ItemName(launch.launch_id, item.code);
  const absl::CivilDay sent_on = absl::ToCivilDay(rung.send_time, zone);
  Section section;
  section.heading = zh ? "【Preflight】事项提醒" : "[Preflight] Reminder";
  section.lines.push_back(
      {zh ? "上线项目" : "Launch",
       zh ? absl::StrCat(LaunchName(launch), "（", api::LaunchName(launch.launch_id), "）")
          : absl::StrCat(LaunchName(launch), " (", api::LaunchName(launch.launch_id), ")")});
  section.lines.push_back(
      {zh ? "事项" : "Item", zh ? absl::StrCat(TitleZh(item), "（", item.code, "）")
                                : absl::StrCat(TitleEn(item), " (", item.code, ")")});
  section.lines.push_back(
      {DeadlineLabel(rung.kind, lang),
       zh ? absl::StrCat(FormatCivilDay(rung.deadline), "（", WeekdayName(rung.deadline, lang),
                         "）")
          : absl::StrCat(WeekdayName(rung.deadline, lang), " ", FormatCivilDay(rung.deadline))});
  section.lines.push_back({zh ? "剩余时间" : "Slack left", SlackText(rung, lang)});
  section.lines.push_back({zh ? "下一步" : "Next step", NextStep(launch, rung, lang)});
  if (rung.days_left > 0) {
    const std::vector<HolidayRun> holidays = HolidaysBetween(calendar, sent_on, rung.deadline);
    if (!holidays.empty()) {
      section.lines.push_back(
          {zh ? "期间假期" : "Holidays before then", FormatHolidays(holidays, lang)});
    }
  }
  if (CountsWorkingDays(rung)) {
    const WorkingDayCount count = calendar.WorkingDaysBetween(sent_on, rung.deadline);
    if (count.unconfirmed) {
      // Name the years, so the reader knows which holiday notice the dates wait for.
      const std::string years = absl::StrJoin(count.unconfirmed_years, zh ? "、" : ", ");
      section.lines.push_back(
          {zh ? "说明" : "Note",
           zh ? absl::StrCat(years, " 年的法定节假日安排尚未公布，工作日暂按周一至周五计算。")
              : absl::StrCat("the holiday schedule for ", years,
                             " is not announced yet; working days are counted Monday to "
                             "Friday.")});
    }
  }
  if (rung.escalation) {
    const std::string owner =
        launch.owner.empty() ? (zh ? "上线负责人" : "the launch owner") : launch.owner;
    section.lines.push_back(
        {zh ? "已升级" : "Escalated",
         zh ? absl::StrCat("逾期已达 ", Days(-rung.days_left, true, lang),
                           "，已同时通知上线负责人 ", owner, "。")
            : absl::StrCat("overdue for ", Days(-rung.days_left, true, lang),
                           "; escalated to the launch owner ", owner, " as well.")});
  }
  if (late) {
    const std::string planned = absl::FormatTime("%Y-%m-%d %H:%M", rung.send_time, zone);
    section.lines.push_back({zh ? "迟发" : "Late",
                             zh ? absl::StrCat("本提醒原定于 ", planned, "（", zone.name(),
                                               "）发送，错过原定时间后补发。")
                                : absl::StrCat("this reminder was planned for ", planned, " (",
                                               zone.name(), ") and is sent late, as a catch-up.")});
  }
  if (!item.assignee.empty()) section.lines.push_back({zh ? "经办人" : "Assignee", item.assignee});
  section.lines.push_back({zh ? "链接" : "Link", resource});
  return section;
}

Json ReminderJson(const LaunchInfo& launch, const ItemInfo& item, const Rung& rung, bool late) {
  Json data = Json::object();
  data["item"] = api::ItemName(launch.launch_id, item.code);
  data["item_code"] = item.code;
  data["title_en"] = item.title_en;
  data["title_zh"] = item.title_zh;
  data["launch"] = api::LaunchName(launch.launch_id);
  data["launch_display_name"] = launch.display_name;
  data["tenant"] = launch.tenant;
  data["assignee"] = item.assignee;
  data["owner"] = launch.owner;
  data["rung"] = rung.id;
  data["kind"] = std::string(RungKindName(rung.kind));
  data["deadline"] = FormatCivilDay(rung.deadline);
  data["days_left"] = rung.days_left;
  data["days_left_unit"] = CountsWorkingDays(rung) ? "working_days" : "calendar_days";
  data["send_time"] = absl::FormatTime(absl::RFC3339_sec, rung.send_time, absl::UTCTimeZone());
  data["urgent"] = rung.urgent;
  data["escalation"] = rung.escalation;
  data["late"] = late;
  return data;
}

// Titles come from tenants' data: replace invalid UTF-8 instead of throwing.
std::string Dump(const Json& data) {
  return data.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

RenderedMessage RenderReminder(const LaunchInfo& launch, const ItemInfo& item, const Rung& rung,
                               absl::string_view language, bool late,
                               const WorkingCalendar& calendar) {
  const std::vector<Lang> langs = LanguagesOf(language);
  const absl::TimeZone zone = ZoneOf(launch);
  RenderedMessage message;

  message.subject = SubjectPrefix(langs);
  if (langs.size() == 2) {
    const std::string zh = TitleZh(item);
    const std::string en = TitleEn(item);
    absl::StrAppend(&message.subject, zh == en ? zh : absl::StrCat(zh, " / ", en), ": ",
                    Phrase(rung, Lang::kEn));
    if (late) absl::StrAppend(&message.subject, " [迟发 late]");
  } else if (langs[0] == Lang::kZh) {
    absl::StrAppend(&message.subject, TitleZh(item), "：", Phrase(rung, Lang::kZh));
    if (late) absl::StrAppend(&message.subject, " [迟发]");
  } else {
    absl::StrAppend(&message.subject, TitleEn(item), ": ", Phrase(rung, Lang::kEn));
    if (late) absl::StrAppend(&message.subject, " [late]");
  }

  for (Lang lang : langs) {
    AppendSection(ReminderSection(launch, item, rung, late, calendar, zone, lang), lang,
                  message.text, message.markdown);
  }
  message.data_json = Dump(ReminderJson(launch, item, rung, late));
  return message;
}

RenderedMessage RenderDigest(const std::vector<DigestEntry>& entries, absl::string_view language) {
  const std::vector<Lang> langs = LanguagesOf(language);
  std::vector<const DigestEntry*> order;
  for (const DigestEntry& entry : entries) order.push_back(&entry);
  std::stable_sort(order.begin(), order.end(), [](const DigestEntry* a, const DigestEntry* b) {
    if (a->rung.urgent != b->rung.urgent) return a->rung.urgent;
    return MoreUrgent(a->rung, b->rung);
  });
  const int count = static_cast<int>(entries.size());
  const int urgent = static_cast<int>(std::count_if(
      entries.begin(), entries.end(), [](const DigestEntry& e) { return e.rung.urgent; }));

  auto counts = [&](Lang lang) {
    if (lang == Lang::kZh) {
      return urgent > 0 ? absl::StrCat(count, " 条提醒（", urgent, " 条紧急）")
                        : absl::StrCat(count, " 条提醒");
    }
    std::string text = absl::StrCat(count, count == 1 ? " reminder" : " reminders");
    if (urgent > 0) absl::StrAppend(&text, " (", urgent, " urgent)");
    return text;
  };

  RenderedMessage message;
  message.subject = SubjectPrefix(langs);
  for (size_t i = 0; i < langs.size(); ++i) {
    absl::StrAppend(&message.subject, i > 0 ? " / " : "", counts(langs[i]));
  }

  for (Lang lang : langs) {
    const bool zh = lang == Lang::kZh;
    Section section;
    section.heading = zh ? absl::StrCat("【Preflight】提醒汇总：共 ", counts(lang))
                         : absl::StrCat("[Preflight] Digest: ", counts(lang));
    int number = 0;
    for (const DigestEntry* entry : order) {
      std::string tags;
      if (entry->rung.urgent) absl::StrAppend(&tags, zh ? "[紧急] " : "[URGENT] ");
      if (entry->late) absl::StrAppend(&tags, "[", LateTag(lang), "] ");
      section.lines.push_back(
          {"", absl::StrCat(++number, ". ", tags, LaunchName(entry->launch), " · ",
                            zh ? TitleZh(entry->item) : TitleEn(entry->item), Separator(lang),
                            Phrase(entry->rung, lang), " — ",
                            api::ItemName(entry->launch.launch_id, entry->item.code))});
    }
    AppendSection(section, lang, message.text, message.markdown);
  }

  Json data = Json::object();
  data["kind"] = "digest";
  data["count"] = count;
  data["urgent"] = urgent;
  data["reminders"] = Json::array();
  for (const DigestEntry* entry : order) {
    data["reminders"].push_back(ReminderJson(entry->launch, entry->item, entry->rung, entry->late));
  }
  message.data_json = Dump(data);
  return message;
}

RenderedMessage RenderTestMessage(absl::string_view recipient_display_name,
                                  absl::string_view channel_name, absl::string_view language) {
  const std::vector<Lang> langs = LanguagesOf(language);
  RenderedMessage message;
  message.subject = SubjectPrefix(langs);
  for (size_t i = 0; i < langs.size(); ++i) {
    absl::StrAppend(&message.subject, i > 0 ? " / " : "",
                    langs[i] == Lang::kZh ? "测试消息" : "Test message");
  }
  for (Lang lang : langs) {
    const bool zh = lang == Lang::kZh;
    Section section;
    section.heading = zh ? "【Preflight】测试消息" : "[Preflight] Test message";
    const std::string greeting = recipient_display_name.empty()
                                     ? std::string(zh ? "你好！" : "Hello,")
                                     : (zh ? absl::StrCat(recipient_display_name, "，你好！")
                                           : absl::StrCat("Hello ", recipient_display_name, ","));
    section.lines.push_back({"", greeting});
    section.lines.push_back(
        {"", zh ? absl::StrCat(
                      "这是 Preflight 通过 ", channel_name,
                      " 渠道发送的测试消息。收到即说明该渠道配置正确，上线资质提醒将由此送达。")
                : absl::StrCat("This is a test message from Preflight over the ", channel_name,
                               " channel. If you can read it, the channel works and launch "
                               "reminders will reach you here.")});
    AppendSection(section, lang, message.text, message.markdown);
  }
  Json data = Json::object();
  data["kind"] = "test";
  data["recipient"] = std::string(recipient_display_name);
  data["channel"] = std::string(channel_name);
  message.data_json = Dump(data);
  return message;
}

}  // namespace preflight::notifier
