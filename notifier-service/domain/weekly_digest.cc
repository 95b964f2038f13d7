#include "notifier-service/domain/weekly_digest.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/civil_date.h"
#include "nlohmann/json.hpp"

namespace preflight::notifier {
namespace {

using Json = nlohmann::json;

enum class Lang { kZh, kEn };

std::vector<Lang> LanguagesOf(absl::string_view language) {
  if (absl::StartsWithIgnoreCase(language, "zh")) return {Lang::kZh};
  if (absl::StartsWithIgnoreCase(language, "en")) return {Lang::kEn};
  return {Lang::kZh, Lang::kEn};
}

std::string LaunchName(const LaunchInfo& launch) {
  return launch.display_name.empty() ? launch.launch_id : launch.display_name;
}

std::string WeekdayName(absl::CivilDay day, Lang lang) {
  static constexpr const char* kZh[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
  static constexpr const char* kEn[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  const int index = static_cast<int>(absl::GetWeekday(day));  // Monday is 0
  return lang == Lang::kZh ? kZh[index] : kEn[index];
}

std::string DayText(absl::CivilDay day, Lang lang) {
  return lang == Lang::kZh ? absl::StrCat(FormatCivilDay(day), "（", WeekdayName(day, lang), "）")
                           : absl::StrCat(WeekdayName(day, lang), " ", FormatCivilDay(day));
}

std::string Title(const DigestItemLine& line, Lang lang) {
  const std::string& first = lang == Lang::kZh ? line.title_zh : line.title_en;
  const std::string& second = lang == Lang::kZh ? line.title_en : line.title_zh;
  if (!first.empty()) return first;
  return second.empty() ? line.code : second;
}

DigestItemLine LineOf(const LaunchInfo& launch, const ItemInfo& item, absl::CivilDay date,
                      int days) {
  DigestItemLine line;
  line.launch_id = launch.launch_id;
  line.launch_name = LaunchName(launch);
  line.code = item.code;
  line.title_en = item.title_en;
  line.title_zh = item.title_zh;
  line.date = date;
  line.assignee = item.assignee;
  line.days = days;
  return line;
}

// "ICP 备案（ICP_FILING），小程序 A，经办人 li.na" / "ICP filing (ICP_FILING), Mini program A,
// assignee li.na".
std::string ItemText(const DigestItemLine& line, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string text = zh ? absl::StrCat(Title(line, lang), "（", line.code, "），", line.launch_name)
                        : absl::StrCat(Title(line, lang), " (", line.code, "), ", line.launch_name);
  if (!line.assignee.empty()) {
    absl::StrAppend(&text, zh ? "，经办人 " : ", assignee ", line.assignee);
  } else {
    absl::StrAppend(&text, zh ? "，未指派" : ", unassigned");
  }
  return text;
}

std::string Days(int n, bool working, Lang lang) {
  if (lang == Lang::kZh) return absl::StrCat(n, working ? " 个工作日" : " 天");
  return absl::StrCat(n, working ? " working day" : " day", n == 1 ? "" : "s");
}

std::string MustStartLine(const DigestItemLine& line, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string when;
  if (line.days < 0) {
    when = zh ? absl::StrCat("最晚 ", DayText(line.date, lang), " 开始，已晚 ",
                             Days(-line.days, true, lang))
              : absl::StrCat("start by ", DayText(line.date, lang), ", ",
                             Days(-line.days, true, lang), " late");
  } else {
    when = zh ? absl::StrCat("最晚 ", DayText(line.date, lang), " 开始")
              : absl::StrCat("start by ", DayText(line.date, lang));
  }
  return absl::StrCat(when, zh ? "：" : ": ", ItemText(line, lang));
}

std::string OverdueLine(const DigestItemLine& line, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const std::string when =
      zh ? absl::StrCat(FormatCivilDay(line.date), " 截止，已逾期 ", Days(line.days, true, lang))
         : absl::StrCat("due ", FormatCivilDay(line.date), ", overdue by ",
                        Days(line.days, true, lang));
  return absl::StrCat(when, zh ? "：" : ": ", ItemText(line, lang));
}

std::string RenewalLine(const DigestItemLine& line, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string when;
  if (line.days < 0) {
    when = zh ? absl::StrCat("已于 ", FormatCivilDay(line.date), " 到期")
              : absl::StrCat("expired on ", FormatCivilDay(line.date));
  } else {
    when = zh ? absl::StrCat(FormatCivilDay(line.date), " 到期（剩 ", Days(line.days, false, lang),
                             "）")
              : absl::StrCat("expires ", FormatCivilDay(line.date), " (in ",
                             Days(line.days, false, lang), ")");
  }
  return absl::StrCat(when, zh ? "：" : ": ", ItemText(line, lang));
}

std::string AtRiskLine(const DigestLaunchLine& line, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<std::string> why;
  if (line.overdue > 0) {
    why.push_back(zh ? absl::StrCat(line.overdue, " 项逾期")
                     : absl::StrCat(line.overdue, " overdue"));
  }
  if (line.late_to_start > 0) {
    why.push_back(zh ? absl::StrCat(line.late_to_start, " 项未按时开始")
                     : absl::StrCat(line.late_to_start, " late to start"));
  }
  if (line.past_target) why.push_back(zh ? "目标上线日已过" : "target date passed");
  std::string text = zh ? absl::StrCat(line.launch_name, "（launches/", line.launch_id, "）：",
                                       absl::StrJoin(why, "，"))
                        : absl::StrCat(line.launch_name, " (launches/", line.launch_id,
                                       "): ", absl::StrJoin(why, ", "));
  if (line.target.has_value()) {
    absl::StrAppend(&text, zh ? "；目标上线 " : "; target ", FormatCivilDay(*line.target));
  }
  return text;
}

// The sections in the order they appear.
enum Section { kAtRisk = 0, kOverdue = 1, kMustStart = 2, kRenewals = 3, kSectionCount = 4 };

std::string Heading(Section section, size_t count, Lang lang) {
  const bool zh = lang == Lang::kZh;
  switch (section) {
    case kAtRisk:
      return zh ? absl::StrCat("有风险的上线项目（", count, "）")
                : absl::StrCat("Launches at risk (", count, ")");
    case kOverdue:
      return zh ? absl::StrCat("已逾期（", count, "）") : absl::StrCat("Overdue (", count, ")");
    case kMustStart:
      return zh ? absl::StrCat("本周须开始（", count, "）")
                : absl::StrCat("Must start this week (", count, ")");
    case kRenewals:
      return zh ? absl::StrCat(kDigestRenewalDays, " 天内到期或续期（", count, "）")
                : absl::StrCat("Renewals and expiries within ", kDigestRenewalDays, " days (",
                               count, ")");
    case kSectionCount:
      break;
  }
  return "";
}

// Every section's lines in one language.
std::array<std::vector<std::string>, kSectionCount> SectionLines(const WeeklyDigest& digest,
                                                                 Lang lang) {
  std::array<std::vector<std::string>, kSectionCount> lines;
  for (const DigestLaunchLine& line : digest.at_risk)
    lines[kAtRisk].push_back(AtRiskLine(line, lang));
  for (const DigestItemLine& line : digest.overdue)
    lines[kOverdue].push_back(OverdueLine(line, lang));
  for (const DigestItemLine& line : digest.must_start) {
    lines[kMustStart].push_back(MustStartLine(line, lang));
  }
  for (const DigestItemLine& line : digest.renewals) {
    lines[kRenewals].push_back(RenewalLine(line, lang));
  }
  return lines;
}

std::string Subject(const WeeklyDigest& digest, const std::vector<Lang>& langs) {
  const size_t at_risk = digest.at_risk.size();
  const size_t overdue = digest.overdue.size();
  const size_t start = digest.must_start.size();
  const size_t renewals = digest.renewals.size();
  const std::string week = FormatCivilDay(digest.week_start);
  const std::string zh = absl::StrCat("【Preflight】", digest.tenant, " 每周摘要（", week,
                                      " 当周）：", at_risk, " 个项目有风险，", overdue, " 项逾期，",
                                      start, " 项须开始，", renewals, " 项待续期");
  const std::string en =
      absl::StrCat("[Preflight] Weekly digest for ", digest.tenant, ", week of ", week, ": ",
                   at_risk, " at risk, ", overdue, " overdue, ", start, " to start, ", renewals,
                   renewals == 1 ? " renewal" : " renewals");
  if (langs.size() == 1) return langs.front() == Lang::kZh ? zh : en;
  return absl::StrCat(zh, " / ", en.substr(absl::string_view("[Preflight] ").size()));
}

// The text and Markdown bodies keeping, of all sections' lines taken round-robin (one of each
// section in turn, so every section shows its first lines), the first `kept`.
std::pair<std::string, std::string> Bodies(
    const WeeklyDigest& digest, const std::vector<Lang>& langs,
    const std::vector<std::array<std::vector<std::string>, kSectionCount>>& lines, size_t kept) {
  // How many lines each section keeps: the first `kept` in round-robin order.
  std::array<size_t, kSectionCount> keep = {0, 0, 0, 0};
  const std::array<std::vector<std::string>, kSectionCount>& first = lines.front();
  size_t left = kept;
  for (size_t round = 0; left > 0; ++round) {
    bool any = false;
    for (int s = 0; s < kSectionCount && left > 0; ++s) {
      if (round < first[s].size()) {
        ++keep[s];
        --left;
        any = true;
      }
    }
    if (!any) break;
  }
  std::string text;
  std::string markdown;
  for (size_t l = 0; l < langs.size(); ++l) {
    const Lang lang = langs[l];
    const bool zh = lang == Lang::kZh;
    if (l > 0) {
      absl::StrAppend(&text, "\n");
      absl::StrAppend(&markdown, "\n");
    }
    const std::string intro =
        zh ? absl::StrCat("租户 ", digest.tenant, "，", DayText(digest.week_start, lang), " 至 ",
                          DayText(digest.week_end, lang), "，截至 ", FormatCivilDay(digest.as_of),
                          "：")
           : absl::StrCat("Tenant ", digest.tenant, ", ", DayText(digest.week_start, lang), " to ",
                          DayText(digest.week_end, lang), ", as of ", FormatCivilDay(digest.as_of),
                          ":");
    absl::StrAppend(&text, intro, "\n");
    absl::StrAppend(&markdown, intro, "\n");
    if (digest.empty()) {
      const std::string none =
          zh ? "本周没有有风险的上线项目，也没有逾期、须开始或待续期的事项。"
             : "Nothing at risk, overdue, to start or up for renewal this week.";
      absl::StrAppend(&text, none, "\n");
      absl::StrAppend(&markdown, none, "\n");
      continue;
    }
    for (int s = 0; s < kSectionCount; ++s) {
      const std::vector<std::string>& section = lines[l][s];
      if (section.empty()) continue;
      const std::string heading = Heading(static_cast<Section>(s), section.size(), lang);
      absl::StrAppend(&text, "\n", heading, "\n");
      absl::StrAppend(&markdown, "\n**", heading, "**\n");
      for (size_t i = 0; i < keep[s]; ++i) {
        absl::StrAppend(&text, "- ", section[i], "\n");
        absl::StrAppend(&markdown, "- ", section[i], "\n");
      }
      if (keep[s] < section.size()) {
        const size_t more = section.size() - keep[s];
        const std::string rest =
            zh ? absl::StrCat("… 另有 ", more, " 项") : absl::StrCat("… and ", more, " more");
        absl::StrAppend(&text, rest, "\n");
        absl::StrAppend(&markdown, rest, "\n");
      }
    }
  }
  return {std::move(text), std::move(markdown)};
}

// How a channel lays out subject and body (see channels/message_format.h): "subject\nbody", or a
// bold first line ("**subject**", Slack "*subject*"), a blank line and the Markdown.
size_t PlainSize(const std::string& subject, const std::string& body) {
  return subject.size() + 1 + body.size();
}
size_t MarkdownSize(const std::string& subject, const std::string& body) {
  return subject.size() + 4 + 2 + body.size();
}

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary.
std::string Utf8Prefix(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

absl::CivilDay WeekMonday(absl::CivilDay day) {
  return day - static_cast<int>(absl::GetWeekday(day));  // Monday is 0
}

std::optional<absl::CivilDay> WorkingWeekStart(const WorkingCalendar& calendar,
                                               absl::CivilDay day) {
  const absl::CivilDay monday = WeekMonday(day);
  for (int offset = 0; offset < 5; ++offset) {
    if (calendar.IsWorkingDay(monday + offset)) return monday + offset;
  }
  return std::nullopt;
}

WeeklyDigest ComposeWeeklyDigest(absl::string_view tenant, absl::CivilDay week_start,
                                 absl::CivilDay as_of,
                                 const std::vector<DigestLaunchInput>& launches,
                                 const WorkingCalendar& calendar) {
  WeeklyDigest digest;
  digest.tenant = std::string(tenant);
  digest.week_start = week_start;
  digest.week_end = WeekMonday(week_start) + 6;
  digest.as_of = std::max(as_of, week_start);
  const absl::CivilDay today = digest.as_of;
  const absl::CivilDay renewal_horizon = today + kDigestRenewalDays;
  for (const DigestLaunchInput& input : launches) {
    const LaunchInfo& launch = input.launch;
    DigestLaunchLine risk;
    risk.launch_id = launch.launch_id;
    risk.launch_name = LaunchName(launch);
    risk.target = launch.target_launch_date;
    for (const ItemInfo& item : input.items) {
      if (item.expiry.has_value() && item.status == "APPROVED" && *item.expiry <= renewal_horizon) {
        digest.renewals.push_back(
            LineOf(launch, item, *item.expiry, static_cast<int>(*item.expiry - today)));
      }
      if (item.done) continue;
      if (item.due.has_value() && *item.due < today) {
        digest.overdue.push_back(
            LineOf(launch, item, *item.due, calendar.WorkingDaysBetween(*item.due, today).days));
        ++risk.overdue;
        continue;
      }
      if (!item.started && item.latest_start.has_value() && *item.latest_start <= digest.week_end) {
        const int days = calendar.WorkingDaysBetween(today, *item.latest_start).days;
        digest.must_start.push_back(LineOf(launch, item, *item.latest_start, days));
        if (*item.latest_start < today) ++risk.late_to_start;
      }
    }
    risk.past_target = launch.target_launch_date.has_value() && *launch.target_launch_date < today;
    if (!launch.went_live_date.has_value() &&
        (risk.overdue > 0 || risk.late_to_start > 0 || risk.past_target)) {
      digest.at_risk.push_back(std::move(risk));
    }
  }
  auto by_date = [](const DigestItemLine& a, const DigestItemLine& b) {
    return std::tie(a.date, a.launch_id, a.code) < std::tie(b.date, b.launch_id, b.code);
  };
  std::sort(digest.overdue.begin(), digest.overdue.end(), by_date);
  std::sort(digest.must_start.begin(), digest.must_start.end(), by_date);
  std::sort(digest.renewals.begin(), digest.renewals.end(), by_date);
  std::sort(digest.at_risk.begin(), digest.at_risk.end(),
            [](const DigestLaunchLine& a, const DigestLaunchLine& b) {
              const int a_late = a.overdue + a.late_to_start;
              const int b_late = b.overdue + b.late_to_start;
              if (a_late != b_late) return a_late > b_late;
              const absl::CivilDay far = absl::CivilDay(9999, 12, 31);
              return std::make_pair(a.target.value_or(far), a.launch_id) <
                     std::make_pair(b.target.value_or(far), b.launch_id);
            });
  return digest;
}

RenderedMessage RenderWeeklyDigest(const WeeklyDigest& digest, absl::string_view language,
                                   size_t max_bytes) {
  const std::vector<Lang> langs = LanguagesOf(language);
  RenderedMessage message;
  message.subject = Utf8Prefix(Subject(digest, langs), max_bytes / 4);
  std::vector<std::array<std::vector<std::string>, kSectionCount>> lines;
  for (Lang lang : langs) lines.push_back(SectionLines(digest, lang));
  size_t total = 0;
  for (const std::vector<std::string>& section : lines.front()) total += section.size();

  auto fits = [&](const std::pair<std::string, std::string>& bodies) {
    return PlainSize(message.subject, bodies.first) <= max_bytes &&
           MarkdownSize(message.subject, bodies.second) <= max_bytes;
  };
  std::pair<std::string, std::string> bodies = Bodies(digest, langs, lines, total);
  if (!fits(bodies)) {
    // The largest number of lines that fits: the size grows with the lines kept (give or take a
    // "… and N more" marker), so search, then make sure.
    size_t low = 0;
    size_t high = total;  // does not fit
    while (high - low > 1) {
      const size_t mid = low + (high - low) / 2;
      (fits(Bodies(digest, langs, lines, mid)) ? low : high) = mid;
    }
    bodies = Bodies(digest, langs, lines, low);
    while (low > 0 && !fits(bodies)) bodies = Bodies(digest, langs, lines, --low);
    if (!fits(bodies)) {
      // Not even the headings fit: cut each at the character boundary that does.
      const size_t room =
          max_bytes > message.subject.size() + 6 ? max_bytes - message.subject.size() - 6 : 0;
      bodies.first = Utf8Prefix(bodies.first, room);
      bodies.second = Utf8Prefix(bodies.second, room);
    }
  }
  message.text = std::move(bodies.first);
  message.markdown = std::move(bodies.second);

  Json data = Json::object();
  data["weekly_digest"] = true;
  data["tenant"] = digest.tenant;
  data["week_start"] = FormatCivilDay(digest.week_start);
  data["week_end"] = FormatCivilDay(digest.week_end);
  data["as_of"] = FormatCivilDay(digest.as_of);
  constexpr size_t kDataItems = 100;
  Json launches = Json::array();
  for (const DigestLaunchLine& line : digest.at_risk) {
    if (launches.size() == kDataItems) break;
    launches.push_back(absl::StrCat("launches/", line.launch_id));
  }
  data["launches_at_risk"] = launches;
  // The lists stop at kDataItems (the counts are whole): the text is what people read.
  data["counts"] = {{"launches_at_risk", digest.at_risk.size()},
                    {"overdue", digest.overdue.size()},
                    {"must_start", digest.must_start.size()},
                    {"renewals", digest.renewals.size()}};
  auto items = [&](const std::vector<DigestItemLine>& section) {
    Json list = Json::array();
    for (const DigestItemLine& line : section) {
      if (list.size() == kDataItems) break;
      list.push_back({{"item", absl::StrCat("launches/", line.launch_id, "/items/", line.code)},
                      {"date", FormatCivilDay(line.date)},
                      {"assignee", line.assignee}});
    }
    return list;
  };
  data["overdue"] = items(digest.overdue);
  data["must_start"] = items(digest.must_start);
  data["renewals"] = items(digest.renewals);
  message.data_json = data.dump(-1, ' ', false, Json::error_handler_t::replace);
  return message;
}

}  // namespace preflight::notifier
