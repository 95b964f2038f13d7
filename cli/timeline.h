#pragma once

// `preflight launch timeline`: a launch's schedule as a Gantt chart. A plain model (rows with
// dates and flags, the chart's span and its non-working days) built from the Launch and the
// server's working calendar, and pure renderers from that model to a terminal chart, SVG, HTML
// and a Mermaid gantt block (timeline_text.cc, timeline_svg.cc, timeline_mermaid.cc).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::cli {

// One applicable item of the chart.
struct TimelineRow {
  std::string code;
  std::string title_en;
  std::string title_zh;
  std::string group;
  v1::ItemStatus status = v1::ITEM_STATUS_UNSPECIFIED;
  // Projected start and finish; unset for an item the schedule gives no dates (waived, say).
  std::optional<absl::CivilDay> start;
  std::optional<absl::CivilDay> finish;
  std::optional<absl::CivilDay> latest_start;
  std::optional<absl::CivilDay> latest_finish;
  int slack_working_days = 0;
  bool critical = false;
  bool at_risk = false;
  bool done = false;
  // Work has begun and is not done (in progress, submitted or returned).
  bool active = false;
  std::vector<std::string> depends_on;
};

// The chart: its span, its rows and what shades its days.
struct Timeline {
  std::string launch;        // "launches/ID"
  std::string display_name;  // as the launch names itself
  absl::CivilDay first;      // first and last day drawn, inclusive
  absl::CivilDay last;
  absl::CivilDay today;  // the schedule's as_of_date
  std::optional<absl::CivilDay> target;
  std::optional<absl::CivilDay> projected_launch;
  bool at_risk = false;
  int slack_working_days = 0;
  std::vector<std::string> critical_path;
  // Applicable items, by projected start, then finish, then code; undated ones last.
  std::vector<TimelineRow> rows;
  // Days of the span that are not working days; the holiday's names ("春节 Spring Festival"),
  // empty for an ordinary weekend day. Make-up working days are working days: not listed.
  std::map<absl::CivilDay, std::string> days_off;
  std::vector<int> unconfirmed_years;
};

// The days the chart of `launch` covers: from the earliest of today and the items' projected and
// latest starts to the latest of the target, the projected launch and the items' finishes.
// INVALID_ARGUMENT when the launch has no schedule dates to draw.
struct DaySpan {
  absl::CivilDay first;
  absl::CivilDay last;
};
absl::StatusOr<DaySpan> TimelineSpan(const v1::Launch& launch);

// The model of `launch` (a FULL view) over the span of `calendar` (GetWorkingCalendar's answer
// for TimelineSpan, or a part of it when the span is longer than the service answers).
absl::StatusOr<Timeline> BuildTimeline(const v1::Launch& launch,
                                       const v1::WorkingCalendar& calendar);

// How the terminal chart is drawn.
struct TextChartOptions {
  // Columns the chart may take; 0 means 120.
  int width = 0;
  // ANSI colours (a terminal that wants them); plain marks otherwise.
  bool color = false;
};

// Days per column and a day's column, shared by the renderer and its tests.
struct TextScale {
  absl::CivilDay first;
  int days_per_column = 1;
  int columns = 0;
  int ColumnOf(absl::CivilDay day) const {
    return static_cast<int>((day - first) / days_per_column);
  }
};
// The scale that fits `timeline` into `chart_columns` columns.
TextScale FitScale(const Timeline& timeline, int chart_columns);

std::string RenderTimelineText(const Timeline& timeline, const TextChartOptions& options);

// The SVG chart's horizontal scale: x of a day's left edge.
struct SvgScale {
  absl::CivilDay first;
  double left = 0;  // x of `first`
  double day_width = 0;
  double X(absl::CivilDay day) const { return left + static_cast<double>(day - first) * day_width; }
};
SvgScale SvgScaleOf(const Timeline& timeline);

// A standalone SVG document (no external files, fonts by name only).
std::string RenderTimelineSvg(const Timeline& timeline);
// The SVG inside a minimal HTML page, with a table of the items under it.
std::string RenderTimelineHtml(const Timeline& timeline);
// A Mermaid gantt block; `fenced` wraps it in ```mermaid ... ``` for Markdown.
std::string RenderTimelineMermaid(const Timeline& timeline, bool fenced);

}  // namespace preflight::cli
