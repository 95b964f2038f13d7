// `launch timeline --format=mermaid`: a Mermaid gantt block, which GitHub and GitLab render in
// Markdown. Each task names its start and its length in calendar days (finish - start + 1), so
// the block says exactly the schedule's inclusive dates without `excludes`, which would stretch
// durations over days off.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "cli/timeline.h"
#include "common/civil_date.h"

namespace preflight::cli {
namespace {

// Mermaid reads ':' as the end of a task's name, '#' and ';' as the start of entities and the end
// of a statement: a title keeps every other character, those become spaces.
std::string SafeTitle(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    out += (c == ':' || c == '#' || c == ';' || c == '\n' || c == '\r') ? ' ' : c;
  }
  return std::string(absl::StripAsciiWhitespace(out));
}

// Task ids: letters, digits and underscores only.
std::string SafeId(absl::string_view code) {
  std::string out;
  for (const char c : code) out += absl::ascii_isalnum(c) || c == '_' ? c : '_';
  if (out.empty() || absl::ascii_isdigit(out[0])) out.insert(0, "t_");
  return out;
}

}  // namespace

std::string RenderTimelineMermaid(const Timeline& timeline, bool fenced) {
  std::string out;
  if (fenced) out += "```mermaid\n";
  absl::StrAppend(&out, "gantt\n    title ", SafeTitle(timeline.display_name),
                  " \u4e0a\u7ebf\u8ba1\u5212 Launch plan\n    dateFormat YYYY-MM-DD\n",
                  "    axisFormat %m-%d\n");
  // Sections in the order their first item starts.
  std::vector<std::string> groups;
  for (const TimelineRow& row : timeline.rows) {
    const std::string group = row.group.empty() ? "other" : row.group;
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
  }
  for (const std::string& group : groups) {
    absl::StrAppend(&out, "    section ", SafeTitle(group), "\n");
    for (const TimelineRow& row : timeline.rows) {
      if ((row.group.empty() ? "other" : row.group) != group) continue;
      if (!row.start) {
        absl::StrAppend(&out, "    %% ", SafeId(row.code), " has no projected dates\n");
        continue;
      }
      std::string tags;
      if (row.critical) tags += "crit, ";
      if (row.done) {
        tags += "done, ";
      } else if (row.active) {
        tags += "active, ";
      }
      std::string name = SafeTitle(row.title_en.empty() ? row.code : row.title_en);
      if (!row.title_zh.empty()) absl::StrAppend(&name, " ", SafeTitle(row.title_zh));
      absl::StrAppend(&out, "    ", name, " :", tags, SafeId(row.code), ", ",
                      FormatCivilDay(*row.start), ", ", *row.finish - *row.start + 1, "d\n");
    }
  }
  absl::StrAppend(&out, "    section launch\n");
  if (timeline.target) {
    absl::StrAppend(&out, "    Target \u76ee\u6807\u4e0a\u7ebf :milestone, target, ",
                    FormatCivilDay(*timeline.target), ", 0d\n");
  }
  if (timeline.projected_launch) {
    absl::StrAppend(&out, "    Projected \u9884\u8ba1\u4e0a\u7ebf :milestone, ",
                    timeline.at_risk ? "crit, " : "", "projected, ",
                    FormatCivilDay(*timeline.projected_launch), ", 0d\n");
  }
  if (fenced) out += "```\n";
  return out;
}

}  // namespace preflight::cli
