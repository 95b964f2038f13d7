#pragma once

// Human-readable rendering of ChecklistService responses, and the table, field and time helpers
// the notifier renderers share. Every renderer draws as its RenderOptions say (-o wide,
// --no-headers, --utc, --all, the terminal's width, each launch's time zone).

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cli/render_options.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::cli {

// Terminal columns `text` (UTF-8) occupies, as utf8proc counts them: East Asian wide characters
// and emoji two, combining marks zero; a malformed byte takes one.
int DisplayWidth(absl::string_view text);

// `text` cut to at most `max_width` columns, ending in "…" when cut.
std::string TruncateToWidth(absl::string_view text, int max_width);

// `text` (one line) broken at spaces into lines of at most `width` columns, each ending in a
// newline; a word wider than `width` keeps its own line. Legends and footnotes use it, so a
// terminal does not break them mid-word. `width` 0: `text` and a newline.
std::string WrapToWidth(absl::string_view text, int width);

// A plain text table: columns padded to their widest cell (by display width), two spaces apart,
// no trailing spaces, every cell on one line.
class Table {
 public:
  // Columns are never cut narrower than this (nor than their header) to fit the width.
  static constexpr int kMinShrunkWidth = 8;

  explicit Table(std::vector<std::string> headers);
  // Lets the column headed `header` be cut to fit RenderOptions::width: free text (titles,
  // notes, summaries, answers), never names. Without any call the last column may shrink.
  void SetShrinkable(absl::string_view header);
  // Short rows are padded with empty cells.
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.size() == 1; }
  // Without the header row when !options.headers. When options.width is set and the table is
  // wider, the shrinkable columns are narrowed, widest first, and their cells cut with "…";
  // with options.wide nothing is cut.
  std::string Render(const RenderOptions& options = {}) const;

 private:
  std::vector<std::vector<std::string>> rows_;  // headers first
  std::vector<bool> shrinkable_;
};

// Label/value lines with the values aligned: "label  value".
class Fields {
 public:
  void Add(absl::string_view label, std::string value);
  // Adds the line only when `value` is not empty.
  void AddIfSet(absl::string_view label, const std::string& value);
  std::string Render() const;

 private:
  std::vector<std::pair<std::string, std::string>> rows_;
};

// `text` on one line (newlines and tabs as spaces): a table cell or a heading must not break.
std::string OneLine(absl::string_view text);

// "2026-01-01 08:30:00Z" (UTC), or "-" for an unset timestamp: for times that belong to no launch
// (tokens, recipients, the event subscription).
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);

// "2026-05-06 09:00 +08:00": a time in `zone`, to the minute, with its UTC offset; "-" if unset.
std::string FormatTimeInZone(const google::protobuf::Timestamp& ts, absl::TimeZone zone);

// The zone times about `launch` ("launches/l1") are shown in: its zone from options.zones; UTC
// with options.utc or when the zone is not known.
absl::TimeZone DisplayZone(absl::string_view launch, const RenderOptions& options);

// A time about `launch` (empty: about no launch): "2026-05-06 09:00 +08:00" in the launch's
// zone, "2026-05-06 01:00Z" in UTC (--utc, or the zone is not known); "-" if unset.
std::string FormatTime(const google::protobuf::Timestamp& ts, absl::string_view launch,
                       const RenderOptions& options);

// The CLI spelling of an enum value: its name without `prefix`, lower case ("in_progress");
// the number for a value the descriptor does not know.
std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value,
                      absl::string_view prefix);

// "¥1,234" or "¥600.50" for CNY; "USD 12.00" for other currencies.
std::string FormatMoney(const v1::Money& money);
// The CLI spelling of a status: "in_progress", "n/a" for NOT_APPLICABLE.
std::string StatusLabel(v1::ItemStatus status);

// `launch show`: a header, then one row per applicable item and a legend; with
// options.all_items also the items that do not apply, last, with their reasons. With
// `readiness` (may be null) the header counts every blocker as `readiness` does; without it
// only the profile's.
std::string RenderLaunch(const v1::Launch& launch, const v1::Readiness* readiness,
                         const RenderOptions& options);
std::string RenderLaunchList(const v1::ListLaunchesResponse& response,
                             const RenderOptions& options);
// One item, field by field (after `item update` and `item add`).
std::string RenderItem(const v1::Item& item, const RenderOptions& options);
std::string RenderReadiness(const v1::Readiness& readiness, const RenderOptions& options);
// `launch what-if`: how the previewed launch `after` differs from `before` — the projected date
// and slack, the critical path, the fees, the items that would start or stop applying, and the
// items whose dates would move (all of them with options.wide, else the first ten).
std::string RenderWhatIf(const v1::Launch& before, const v1::Launch& after,
                         const RenderOptions& options);
// One line per event; a hint for the next page when `response` has a token.
std::string RenderEvents(const v1::ListEventsResponse& response, const RenderOptions& options);
std::string RenderTemplates(const v1::ListTemplatesResponse& response,
                            const RenderOptions& options);

}  // namespace preflight::cli
