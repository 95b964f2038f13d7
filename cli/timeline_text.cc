// The terminal Gantt chart of `launch timeline` (--format=text).

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "cli/render.h"
#include "cli/timeline.h"
#include "common/civil_date.h"

namespace preflight::cli {
namespace {

constexpr int kDefaultWidth = 120;
constexpr int kMinChartColumns = 20;
constexpr int kTailWidth = 11;  // " slack 12d"-style note after each bar

// What one cell of the chart shows, before it is drawn with or without colour.
enum class Cell { kEmpty, kOff, kToday, kTarget, kBar, kLatestStart };

enum class BarKind { kOther, kCritical, kAtRisk, kDone };

BarKind KindOf(const TimelineRow& row) {
  if (row.done) return BarKind::kDone;
  if (row.at_risk) return BarKind::kAtRisk;
  if (row.critical) return BarKind::kCritical;
  return BarKind::kOther;
}

char PlainBar(BarKind kind) {
  switch (kind) {
    case BarKind::kDone:
      return '=';
    case BarKind::kAtRisk:
      return '!';
    case BarKind::kCritical:
      return '#';
    case BarKind::kOther:
      break;
  }
  return '-';
}

const char* BarColor(BarKind kind) {
  switch (kind) {
    case BarKind::kDone:
      return "\x1b[32m";  // green
    case BarKind::kAtRisk:
      return "\x1b[33m";  // yellow
    case BarKind::kCritical:
      return "\x1b[31m";  // red
    case BarKind::kOther:
      break;
  }
  return "\x1b[34m";  // blue
}

constexpr char kReset[] = "\x1b[0m";

// Draws cells, colouring them only when asked.
class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}

  std::string Draw(Cell cell, BarKind kind = BarKind::kOther) const {
    if (!color_) {
      switch (cell) {
        case Cell::kEmpty:
          return " ";
        case Cell::kOff:
          return ".";
        case Cell::kToday:
          return ":";
        case Cell::kTarget:
          return "|";
        case Cell::kBar:
          return std::string(1, PlainBar(kind));
        case Cell::kLatestStart:
          return ">";
      }
    }
    switch (cell) {
      case Cell::kEmpty:
        return " ";
      case Cell::kOff:
        return absl::StrCat("\x1b[2m", "\u00b7", kReset);
      case Cell::kToday:
        return absl::StrCat("\x1b[1;36m", ":", kReset);
      case Cell::kTarget:
        return absl::StrCat("\x1b[1;35m", "|", kReset);
      case Cell::kBar:
        return absl::StrCat(BarColor(kind), "\u2588", kReset);
      case Cell::kLatestStart:
        return absl::StrCat("\x1b[1m", ">", kReset);
    }
    return " ";
  }

  std::string Bold(absl::string_view text) const {
    return color_ ? absl::StrCat("\x1b[1m", text, kReset) : std::string(text);
  }

 private:
  const bool color_;
};

// Pads `text` with spaces to `width` display columns (cutting it when longer).
std::string Fit(absl::string_view text, int width) {
  std::string out = TruncateToWidth(text, width);
  out.append(std::max(0, width - DisplayWidth(out)), ' ');
  return out;
}

// Whether most days of column `column` are days off: a one-day column when it is one, a wider
// one only in a holiday week, not for an ordinary weekend.
bool MostlyOff(const Timeline& timeline, const TextScale& scale, int column) {
  int off = 0;
  int days = 0;
  for (int i = 0; i < scale.days_per_column; ++i) {
    const absl::CivilDay day = scale.first + column * scale.days_per_column + i;
    if (day > timeline.last) break;
    ++days;
    off += timeline.days_off.count(day) > 0 ? 1 : 0;
  }
  return days > 0 && 2 * off > days;
}

// "Dec 2026" at each month's first column, shortened or left out where it would overlap.
std::string MonthAxis(const Timeline& timeline, const TextScale& scale) {
  std::string line(scale.columns, ' ');
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::vector<std::pair<int, absl::CivilMonth>> starts;
  starts.emplace_back(0, absl::CivilMonth(timeline.first));
  for (absl::CivilMonth m = absl::CivilMonth(timeline.first) + 1;
       absl::CivilDay(m) <= timeline.last; ++m) {
    starts.emplace_back(scale.ColumnOf(absl::CivilDay(m)), m);
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    const int column = starts[i].first;
    const int room = (i + 1 < starts.size() ? starts[i + 1].first : scale.columns) - column;
    const absl::CivilMonth month = starts[i].second;
    std::string label = absl::StrCat(kMonths[month.month() - 1], " ", month.year());
    if (static_cast<int>(label.size()) + 1 > room) label = kMonths[month.month() - 1];
    if (static_cast<int>(label.size()) + 1 > room) label = label.substr(0, std::max(0, room - 1));
    line.replace(column, label.size(), label);
  }
  return line;
}

// Day numbers of Mondays when a column is at most two days; else a tick at each month's start.
std::string DayAxis(const Timeline& timeline, const TextScale& scale) {
  std::string line(scale.columns, ' ');
  for (absl::CivilDay day = timeline.first; day <= timeline.last; ++day) {
    const int column = scale.ColumnOf(day);
    if (scale.days_per_column <= 2) {
      if (absl::GetWeekday(day) != absl::Weekday::monday) continue;
      const std::string number = absl::StrCat(day.day());
      if (column + static_cast<int>(number.size()) <= scale.columns) {
        line.replace(column, number.size(), number);
      }
    } else if (day.day() == 1) {
      line[column] = '\'';
    }
  }
  return line;
}

// The holidays of the span, each as "春节 Spring Festival 2026-02-15..2026-02-23".
std::vector<std::string> HolidayRanges(const Timeline& timeline) {
  std::vector<std::string> out;
  std::string name;
  absl::CivilDay from;
  absl::CivilDay to;
  const auto flush = [&]() {
    if (name.empty()) return;
    out.push_back(from == to
                      ? absl::StrCat(name, " ", FormatCivilDay(from))
                      : absl::StrCat(name, " ", FormatCivilDay(from), "..", FormatCivilDay(to)));
    name.clear();
  };
  for (const auto& [day, holiday] : timeline.days_off) {
    if (holiday.empty()) continue;
    if (holiday == name && day - to <= 3) {  // a holiday interrupted by nothing but a weekend
      to = day;
      continue;
    }
    flush();
    name = holiday;
    from = to = day;
  }
  flush();
  return out;
}

std::string Tail(const TimelineRow& row) {
  if (row.done) return " done";
  if (!row.start) return " no dates";
  if (row.slack_working_days < 0) return absl::StrCat(" late ", -row.slack_working_days, "d");
  return absl::StrCat(" slack ", row.slack_working_days, "d");
}

}  // namespace

TextScale FitScale(const Timeline& timeline, int chart_columns) {
  TextScale scale;
  scale.first = timeline.first;
  const int days = static_cast<int>(timeline.last - timeline.first) + 1;
  const int columns = std::max(1, chart_columns);
  scale.days_per_column = (days + columns - 1) / columns;
  scale.columns = (days + scale.days_per_column - 1) / scale.days_per_column;
  return scale;
}

std::string RenderTimelineText(const Timeline& timeline, const TextChartOptions& options) {
  const Painter paint(options.color);
  const int width = options.width > 0 ? options.width : kDefaultWidth;

  // Label: a critical-path star, the code and, when there is room, the English title.
  int code_width = 4;
  int title_width = 0;
  for (const TimelineRow& row : timeline.rows) {
    code_width = std::max(code_width, DisplayWidth(row.code));
    title_width = std::max(title_width, DisplayWidth(row.title_en));
  }
  code_width = std::min(code_width, 28);
  title_width = std::min({title_width, 30, width - 2 - code_width - 1 - kTailWidth - 60});
  if (title_width < 10) title_width = 0;
  const int label_width = 2 + code_width + (title_width > 0 ? 1 + title_width : 0);
  const TextScale scale =
      FitScale(timeline, std::max(kMinChartColumns, width - label_width - 1 - kTailWidth));
  const int today_column = scale.ColumnOf(timeline.today);
  const int target_column =
      timeline.target && *timeline.target >= timeline.first && *timeline.target <= timeline.last
          ? scale.ColumnOf(*timeline.target)
          : -1;
  std::vector<bool> shaded(scale.columns);
  for (int c = 0; c < scale.columns; ++c) shaded[c] = MostlyOff(timeline, scale, c);

  std::string out;
  // Heading: the launch in both its names, the target and how the plan stands against it.
  absl::StrAppend(&out, paint.Bold(TruncateToWidth(timeline.display_name, width / 2)), " (",
                  timeline.launch, ")\n");
  std::string standing;
  if (timeline.target) absl::StrAppend(&standing, "target ", FormatCivilDay(*timeline.target));
  if (timeline.projected_launch) {
    absl::StrAppend(&standing, standing.empty() ? "" : ", ", "projected ",
                    FormatCivilDay(*timeline.projected_launch));
  }
  if (timeline.at_risk) {
    absl::StrAppend(&standing, ": AT RISK, ", -timeline.slack_working_days, " working days late");
  } else if (timeline.projected_launch) {
    absl::StrAppend(&standing, ": on track, slack ", timeline.slack_working_days, " working days");
  }
  if (!standing.empty()) out += WrapToWidth(standing, width);
  out += "\n";

  const std::string indent(label_width + 1, ' ');
  const auto trim = [](std::string line) {
    line.erase(line.find_last_not_of(' ') + 1);
    return line;
  };
  absl::StrAppend(&out, trim(indent + MonthAxis(timeline, scale)), "\n");
  absl::StrAppend(&out, trim(indent + DayAxis(timeline, scale)), "\n");
  // The marker line: where today and the target fall, named when there is room.
  {
    std::string marks(scale.columns, ' ');
    std::vector<std::pair<int, std::string>> named;
    if (target_column >= 0) named.emplace_back(target_column, "target");
    named.emplace_back(today_column, "today");
    for (const auto& [column, word] : named) {
      marks[column] = column == today_column ? 'v' : 'V';
      if (column + 1 + static_cast<int>(word.size()) <= scale.columns &&
          marks.substr(column + 1, word.size() + 1).find_first_not_of(' ') == std::string::npos) {
        marks.replace(column + 1, word.size(), word);
      } else if (column - static_cast<int>(word.size()) >= 0 &&
                 marks.substr(column - word.size() - 1, word.size() + 1).find_first_not_of(' ') ==
                     std::string::npos) {
        marks.replace(column - word.size(), word.size(), word);
      }
    }
    absl::StrAppend(&out, trim(indent + marks), "\n");
  }

  for (const TimelineRow& row : timeline.rows) {
    std::string label = row.critical ? "* " : "  ";
    absl::StrAppend(&label, Fit(row.code, code_width));
    if (title_width > 0) absl::StrAppend(&label, " ", Fit(row.title_en, title_width));
    const BarKind kind = KindOf(row);
    const int bar_first = row.start ? scale.ColumnOf(*row.start) : -1;
    const int bar_last = row.finish ? scale.ColumnOf(*row.finish) : -2;
    const int latest_column = row.latest_start && !row.done &&
                                      *row.latest_start >= timeline.first &&
                                      *row.latest_start <= timeline.last
                                  ? scale.ColumnOf(*row.latest_start)
                                  : -1;
    std::string cells;
    for (int c = 0; c < scale.columns; ++c) {
      Cell cell = Cell::kEmpty;
      if (c == latest_column) {
        cell = Cell::kLatestStart;
      } else if (c >= bar_first && c <= bar_last) {
        cell = Cell::kBar;
      } else if (c == today_column) {
        cell = Cell::kToday;
      } else if (c == target_column) {
        cell = Cell::kTarget;
      } else if (shaded[c]) {
        cell = Cell::kOff;
      }
      absl::StrAppend(&cells, paint.Draw(cell, kind));
    }
    absl::StrAppend(&out, label, " ", cells, Tail(row), "\n");
  }

  // Legend, then what is shaded and what the calendar does not know yet.
  out += "\n";
  // Each entry drawn in colour (or not) and in plain marks, whose width is its width on screen.
  const auto legend = [&](const Painter& p) {
    return std::vector<std::string>{
        absl::StrCat(p.Draw(Cell::kBar, BarKind::kCritical), " critical path (* on the label)"),
        absl::StrCat(p.Draw(Cell::kBar, BarKind::kAtRisk), " at risk"),
        absl::StrCat(p.Draw(Cell::kBar, BarKind::kOther), " other"),
        absl::StrCat(p.Draw(Cell::kBar, BarKind::kDone), " done"),
        absl::StrCat(p.Draw(Cell::kLatestStart), " latest start"),
        absl::StrCat(p.Draw(Cell::kToday), " today ", FormatCivilDay(timeline.today)),
        timeline.target
            ? absl::StrCat(p.Draw(Cell::kTarget), " target ", FormatCivilDay(*timeline.target))
            : std::string(),
        absl::StrCat(p.Draw(Cell::kOff), " non-working day"),
    };
  };
  const std::vector<std::string> entries = legend(paint);
  const std::vector<std::string> plain_entries = legend(Painter(false));
  std::string line = "Legend:";
  int line_width = 7;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].empty()) continue;
    const int entry_width = DisplayWidth(plain_entries[i]);
    if (line_width + 2 + entry_width > width) {
      absl::StrAppend(&out, line, "\n");
      line = "       ";
      line_width = 7;
    }
    absl::StrAppend(&line, "  ", entries[i]);
    line_width += 2 + entry_width;
  }
  absl::StrAppend(&out, line, "\n");
  absl::StrAppend(&out, "Scale: ", scale.days_per_column,
                  scale.days_per_column == 1 ? " day" : " days", " per column, ",
                  FormatCivilDay(timeline.first), " to ", FormatCivilDay(timeline.last), "\n");
  const std::vector<std::string> holidays = HolidayRanges(timeline);
  if (!holidays.empty()) {
    out += WrapToWidth(absl::StrCat("Holidays: ", absl::StrJoin(holidays, "; ")), width);
  }
  if (!timeline.unconfirmed_years.empty()) {
    out += WrapToWidth(absl::StrCat("Unconfirmed: no holiday notice yet for ",
                                    absl::StrJoin(timeline.unconfirmed_years, ", "),
                                    "; those days are counted Monday to Friday."),
                       width);
  }
  return out;
}

}  // namespace preflight::cli
