// The picture of `launch timeline` (--format=svg and --format=html): one self-contained SVG
// document, no scripts, no external files; fonts are named, the viewer supplies them.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "cli/render.h"
#include "cli/timeline.h"
#include "common/civil_date.h"

namespace preflight::cli {
namespace {

// Debian's CJK fonts first (fonts-wqy-microhei, fonts-noto-cjk), then other systems' own.
constexpr char kFonts[] =
    "'WenQuanYi Micro Hei','Noto Sans CJK SC','Source Han Sans SC','PingFang SC',"
    "'Microsoft YaHei','Hiragino Sans GB',sans-serif";

constexpr double kLabelWidth = 340;
constexpr double kChartWidth = 860;  // the width the span is fitted to, at most
constexpr double kMaxDayWidth = 24;
constexpr double kMinDayWidth = 2;
constexpr double kTop = 96;  // first row's top: below the title and the axis
constexpr double kRowHeight = 34;
constexpr double kBarHeight = 16;
constexpr double kRight = 24;

constexpr char kCriticalFill[] = "#d62728";
constexpr char kAtRiskFill[] = "#f28e2b";
constexpr char kOtherFill[] = "#4e79a7";
constexpr char kDoneFill[] = "#8cc084";

std::string Escape(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Num(double v) { return absl::StrFormat("%.1f", v); }

const char* FillOf(const TimelineRow& row) {
  if (row.done) return kDoneFill;
  if (row.at_risk) return kAtRiskFill;
  if (row.critical) return kCriticalFill;
  return kOtherFill;
}

double RowTop(size_t index) { return kTop + static_cast<double>(index) * kRowHeight; }

double ChartRight(const Timeline& timeline, const SvgScale& scale) {
  return scale.X(timeline.last + 1);
}

}  // namespace

SvgScale SvgScaleOf(const Timeline& timeline) {
  SvgScale scale;
  scale.first = timeline.first;
  scale.left = kLabelWidth;
  const double days = static_cast<double>(timeline.last - timeline.first + 1);
  scale.day_width = std::clamp(kChartWidth / days, kMinDayWidth, kMaxDayWidth);
  return scale;
}

std::string RenderTimelineSvg(const Timeline& timeline) {
  const SvgScale scale = SvgScaleOf(timeline);
  const double right = ChartRight(timeline, scale);
  const double width = right + kRight;
  const double rows_bottom = RowTop(timeline.rows.size());
  const double legend_top = rows_bottom + 28;
  const double height = legend_top + 64;

  std::string out;
  absl::StrAppend(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", Num(width), "\" height=\"",
                  Num(height), "\" viewBox=\"0 0 ", Num(width), " ", Num(height),
                  "\" font-family=\"", kFonts, "\" font-size=\"12\"",
                  // The scale, for readers that check the bars against the dates.
                  " data-first-day=\"", FormatCivilDay(timeline.first), "\" data-left=\"",
                  Num(scale.left), "\" data-day-width=\"", absl::StrFormat("%.4f", scale.day_width),
                  "\">\n");
  absl::StrAppend(&out, "<title>", Escape(timeline.display_name),
                  " \u4e0a\u7ebf\u8ba1\u5212 Launch plan</title>\n");
  absl::StrAppend(
      &out, "<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" ",
      "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" ",
      "fill=\"#555\"/></marker></defs>\n");
  absl::StrAppend(&out, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");

  // Title: the launch's own name, then the plan in Chinese and English, then how it stands.
  absl::StrAppend(&out, "<text x=\"16\" y=\"28\" font-size=\"18\" font-weight=\"bold\">",
                  Escape(timeline.display_name),
                  " \u2014 \u4e0a\u7ebf\u8ba1\u5212 Launch plan</text>\n");
  std::string standing = timeline.launch;
  if (timeline.target)
    absl::StrAppend(&standing, " \u00b7 target ", FormatCivilDay(*timeline.target));
  if (timeline.projected_launch) {
    absl::StrAppend(&standing, " \u00b7 projected ", FormatCivilDay(*timeline.projected_launch));
  }
  absl::StrAppend(&standing, timeline.at_risk
                                 ? absl::StrCat(" \u00b7 AT RISK (", -timeline.slack_working_days,
                                                " working days late)")
                                 : absl::StrCat(" \u00b7 on track (slack ",
                                                timeline.slack_working_days, " working days)"));
  absl::StrAppend(&out, "<text x=\"16\" y=\"48\" fill=\"",
                  timeline.at_risk ? kCriticalFill : "#444", "\">", Escape(standing), "</text>\n");

  // Non-working days, shaded across the rows; holidays a warmer tint, named on hover.
  absl::StrAppend(&out, "<g class=\"non-working\">\n");
  for (const auto& [day, holiday] : timeline.days_off) {
    absl::StrAppend(&out, "<rect class=\"", holiday.empty() ? "weekend" : "holiday",
                    "\" data-date=\"", FormatCivilDay(day), "\" x=\"", Num(scale.X(day)), "\" y=\"",
                    Num(kTop - 4), "\" width=\"", Num(scale.day_width), "\" height=\"",
                    Num(rows_bottom - kTop + 4), "\" fill=\"",
                    holiday.empty() ? "#f0f0f0" : "#fde3d9", "\">");
    if (!holiday.empty()) absl::StrAppend(&out, "<title>", Escape(holiday), "</title>");
    absl::StrAppend(&out, "</rect>\n");
  }
  absl::StrAppend(&out, "</g>\n");

  // Axis: a line and label at each month, day ticks on Mondays.
  absl::StrAppend(&out, "<g class=\"axis\" fill=\"#333\">\n");
  for (absl::CivilDay day = timeline.first; day <= timeline.last; ++day) {
    const double x = scale.X(day);
    if (day.day() == 1 || day == timeline.first) {
      static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
      absl::StrAppend(&out, "<line x1=\"", Num(x), "\" y1=\"", Num(kTop - 30), "\" x2=\"", Num(x),
                      "\" y2=\"", Num(rows_bottom), "\" stroke=\"#bbb\" stroke-width=\"1\"/>\n");
      // A month label needs about 60px; a partial first month too short for it goes without.
      const absl::CivilDay next = absl::CivilDay(absl::CivilMonth(day) + 1);
      if (scale.X(std::min(next, timeline.last + 1)) - x >= 56) {
        absl::StrAppend(&out, "<text x=\"", Num(x + 4), "\" y=\"", Num(kTop - 18), "\">",
                        kMonths[day.month() - 1], " ", day.year(), "</text>\n");
      }
    }
    if (absl::GetWeekday(day) == absl::Weekday::monday && scale.day_width * 7 >= 22) {
      absl::StrAppend(&out, "<line x1=\"", Num(x), "\" y1=\"", Num(kTop - 8), "\" x2=\"", Num(x),
                      "\" y2=\"", Num(kTop - 4), "\" stroke=\"#888\"/>\n", "<text x=\"", Num(x + 2),
                      "\" y=\"", Num(kTop - 6), "\" font-size=\"9\" fill=\"#777\">", day.day(),
                      "</text>\n");
    }
  }
  absl::StrAppend(&out, "</g>\n");

  // Rows: zebra stripes and labels (Chinese title, then code and English title).
  std::map<std::string, size_t> row_of;
  for (size_t i = 0; i < timeline.rows.size(); ++i) {
    const TimelineRow& row = timeline.rows[i];
    row_of[row.code] = i;
    const double top = RowTop(i);
    if (i % 2 == 1) {
      absl::StrAppend(&out, "<rect x=\"0\" y=\"", Num(top), "\" width=\"", Num(kLabelWidth - 8),
                      "\" height=\"", Num(kRowHeight), "\" fill=\"#f7f7f9\"/>\n");
    }
    const std::string zh = row.title_zh.empty() ? row.title_en : row.title_zh;
    absl::StrAppend(&out, "<text class=\"label\" data-code=\"", Escape(row.code),
                    "\" x=\"16\" y=\"", Num(top + 15), "\" font-size=\"13\"",
                    row.critical ? " font-weight=\"bold\"" : "", ">",
                    Escape(TruncateToWidth(zh, 40)), "</text>\n");
    absl::StrAppend(
        &out, "<text x=\"16\" y=\"", Num(top + 28), "\" font-size=\"10\" fill=\"#666\">",
        Escape(TruncateToWidth(absl::StrCat(row.code, " \u00b7 ", row.title_en), 60)), "</text>\n");
  }

  // Dependency arrows, under the bars: predecessor's finish to successor's start.
  absl::StrAppend(&out,
                  "<g class=\"dependencies\" fill=\"none\" stroke=\"#555\" "
                  "stroke-width=\"1.2\">\n");
  for (size_t i = 0; i < timeline.rows.size(); ++i) {
    const TimelineRow& row = timeline.rows[i];
    if (!row.start) continue;
    for (const std::string& code : row.depends_on) {
      const auto it = row_of.find(code);
      if (it == row_of.end() || !timeline.rows[it->second].finish) continue;
      const TimelineRow& from = timeline.rows[it->second];
      const double x1 = scale.X(*from.finish + 1);
      const double y1 = RowTop(it->second) + kRowHeight / 2;
      const double x2 = scale.X(*row.start);
      const double y2 = RowTop(i) + kRowHeight / 2;
      // Out of the predecessor's end, down (or up) to the successor's row, along its empty
      // lead-in to its start. A successor that starts by the time its predecessor ends (a start
      // tied to the finish day, or a lag below zero) gets a drop from one bar onto the other.
      std::string d;
      if (x2 >= x1 + 8) {
        d = absl::StrCat("M", Num(x1), ",", Num(y1), " H", Num(x1 + 4), " V", Num(y2), " H",
                         Num(x2));
      } else {
        const double x2_end = scale.X(*row.finish + 1);
        const double xa = std::clamp(x1 - 3, x2 + 3, std::max(x2 + 3, x2_end - 3));
        const double down = y2 > y1 ? 1 : -1;
        d = absl::StrCat("M", Num(xa), ",", Num(y1 + down * kBarHeight / 2), " V",
                         Num(y2 - down * (kBarHeight / 2 + 1)));
      }
      absl::StrAppend(&out, "<path class=\"dependency\" data-from=\"", Escape(code),
                      "\" data-to=\"", Escape(row.code), "\" d=\"", d,
                      "\" marker-end=\"url(#arrow)\"/>\n");
    }
  }
  absl::StrAppend(&out, "</g>\n");

  // Bars: from the projected start's left edge to the projected finish's right edge.
  absl::StrAppend(&out, "<g class=\"bars\">\n");
  for (size_t i = 0; i < timeline.rows.size(); ++i) {
    const TimelineRow& row = timeline.rows[i];
    if (!row.start) continue;
    const double x = scale.X(*row.start);
    const double w = scale.X(*row.finish + 1) - x;
    const double y = RowTop(i) + (kRowHeight - kBarHeight) / 2;
    std::string classes = "bar";
    if (row.critical) classes += " critical";
    if (row.at_risk) classes += " at-risk";
    if (row.done) classes += " done";
    absl::StrAppend(&out, "<rect class=\"", classes, "\" data-code=\"", Escape(row.code),
                    "\" data-start=\"", FormatCivilDay(*row.start), "\" data-finish=\"",
                    FormatCivilDay(*row.finish), "\" x=\"", Num(x), "\" y=\"", Num(y),
                    "\" width=\"", Num(w), "\" height=\"", Num(kBarHeight), "\" rx=\"3\" fill=\"",
                    FillOf(row), "\"",
                    row.critical && !row.done ? " stroke=\"#7a0f10\" stroke-width=\"2\"" : "",
                    "><title>", Escape(row.code), ": ", FormatCivilDay(*row.start), " \u2192 ",
                    FormatCivilDay(*row.finish), "</title></rect>\n");
  }
  absl::StrAppend(&out, "</g>\n");

  // Latest-start marks: a dark tick with a small flag, "start by here".
  absl::StrAppend(&out, "<g class=\"latest-starts\" fill=\"#222\" stroke=\"#222\">\n");
  for (size_t i = 0; i < timeline.rows.size(); ++i) {
    const TimelineRow& row = timeline.rows[i];
    if (!row.latest_start || row.done || *row.latest_start < timeline.first ||
        *row.latest_start > timeline.last) {
      continue;
    }
    const double x = scale.X(*row.latest_start);
    const double top = RowTop(i) + (kRowHeight - kBarHeight) / 2 - 3;
    absl::StrAppend(&out, "<path class=\"latest-start\" data-code=\"", Escape(row.code),
                    "\" data-date=\"", FormatCivilDay(*row.latest_start), "\" d=\"M", Num(x), ",",
                    Num(top), " V", Num(top + kBarHeight + 6), " M", Num(x), ",", Num(top), " L",
                    Num(x - 5), ",", Num(top - 5), " L", Num(x + 5), ",", Num(top - 5), " z\"",
                    " stroke-width=\"1.5\"/>\n");
  }
  absl::StrAppend(&out, "</g>\n");

  // Today and target lines over everything.
  const auto vertical = [&](absl::CivilDay day, const char* cls, const char* color,
                            const std::string& label, bool label_left) {
    const double x = scale.X(day);
    absl::StrAppend(&out, "<line class=\"", cls, "\" data-date=\"", FormatCivilDay(day), "\" x1=\"",
                    Num(x), "\" y1=\"", Num(kTop - 34), "\" x2=\"", Num(x), "\" y2=\"",
                    Num(rows_bottom + 6), "\" stroke=\"", color,
                    "\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>\n");
    absl::StrAppend(&out, "<text x=\"", Num(label_left ? x - 4 : x + 4), "\" y=\"",
                    Num(rows_bottom + 18), "\" fill=\"", color, "\" font-weight=\"bold\"",
                    label_left ? " text-anchor=\"end\"" : "", ">", Escape(label), "</text>\n");
  };
  vertical(timeline.today, "today", "#1f77b4",
           absl::StrCat("\u4eca\u5929 today ", FormatCivilDay(timeline.today)), true);
  if (timeline.target && *timeline.target >= timeline.first && *timeline.target <= timeline.last) {
    vertical(*timeline.target, "target", "#b03060",
             absl::StrCat("\u76ee\u6807 target ", FormatCivilDay(*timeline.target)), false);
  }

  // Legend.
  double x = 16;
  const double y = legend_top + 20;
  const auto swatch = [&](const std::string& shape, const std::string& text) {
    absl::StrAppend(&out, shape, "<text x=\"", Num(x + 22), "\" y=\"", Num(y + 10), "\">",
                    Escape(text), "</text>\n");
    x += 32 + 7.0 * static_cast<double>(DisplayWidth(text));
  };
  absl::StrAppend(&out, "<g class=\"legend\">\n");
  const auto box = [&](const char* fill, const char* extra) {
    return absl::StrCat("<rect x=\"", Num(x), "\" y=\"", Num(y), "\" width=\"16\" height=\"12\" ",
                        "rx=\"2\" fill=\"", fill, "\"", extra, "/>");
  };
  swatch(box(kCriticalFill, " stroke=\"#7a0f10\" stroke-width=\"2\""),
         "\u5173\u952e\u8def\u5f84 critical path");
  swatch(box(kAtRiskFill, ""), "\u6709\u98ce\u9669 at risk");
  swatch(box(kOtherFill, ""), "\u5176\u4ed6 other");
  swatch(box(kDoneFill, ""), "\u5df2\u5b8c\u6210 done");
  swatch(absl::StrCat("<path d=\"M", Num(x + 8), ",", Num(y - 2), " V", Num(y + 14), " M",
                      Num(x + 8), ",", Num(y - 2), " L", Num(x + 3), ",", Num(y - 7), " L",
                      Num(x + 13), ",", Num(y - 7), " z\" fill=\"#222\" stroke=\"#222\"/>"),
         "\u6700\u665a\u5f00\u59cb latest start");
  swatch(box("#fde3d9", ""), "\u8282\u5047\u65e5 holiday");
  swatch(box("#f0f0f0", ""), "\u5468\u672b weekend");
  absl::StrAppend(&out, "</g>\n");
  if (!timeline.unconfirmed_years.empty()) {
    std::string years;
    for (int year : timeline.unconfirmed_years)
      absl::StrAppend(&years, years.empty() ? "" : ", ", year);
    absl::StrAppend(&out, "<text x=\"16\" y=\"", Num(legend_top + 50),
                    "\" font-size=\"11\" fill=\"#666\">No holiday notice yet for ", years,
                    ": counted Monday to Friday.</text>\n");
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

std::string RenderTimelineHtml(const Timeline& timeline) {
  std::string out;
  const std::string title =
      Escape(absl::StrCat(timeline.display_name, " \u2014 \u4e0a\u7ebf\u8ba1\u5212 Launch plan"));
  absl::StrAppend(
      &out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n", "<title>",
      title, "</title>\n<style>\nbody{font-family:", kFonts, ";margin:24px;color:#222}\n",
      "table{border-collapse:collapse;margin-top:16px;font-size:13px}\n",
      "th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}\n",
      "th{background:#f4f4f6}\ntr.critical td:first-child{font-weight:bold}\n",
      "tr.at-risk td{color:#b5470b}\n</style>\n</head>\n<body>\n");
  absl::StrAppend(&out, "<h1>", title, "</h1>\n");
  std::string svg = RenderTimelineSvg(timeline);
  svg.erase(0, svg.find("<svg"));  // the XML declaration belongs to standalone files only
  out += svg;
  absl::StrAppend(&out, "<table>\n<tr><th>Code</th><th>\u4e8b\u9879</th><th>Item</th>",
                  "<th>Projected start</th><th>Projected finish</th><th>Latest start</th>",
                  "<th>Slack (working days)</th><th>Flags</th></tr>\n");
  for (const TimelineRow& row : timeline.rows) {
    std::string classes;
    if (row.critical) classes += "critical ";
    if (row.at_risk) classes += "at-risk ";
    std::string flags;
    if (row.critical) flags += "critical ";
    if (row.at_risk) flags += "at risk ";
    if (row.done) flags += "done ";
    absl::StrAppend(&out, "<tr class=\"", classes, "\"><td>", Escape(row.code), "</td><td>",
                    Escape(row.title_zh), "</td><td>", Escape(row.title_en), "</td><td>",
                    row.start ? FormatCivilDay(*row.start) : "", "</td><td>",
                    row.finish ? FormatCivilDay(*row.finish) : "", "</td><td>",
                    row.latest_start ? FormatCivilDay(*row.latest_start) : "", "</td><td>",
                    row.slack_working_days, "</td><td>", flags, "</td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n</body>\n</html>\n");
  return out;
}

}  // namespace preflight::cli
