// `preflight launch timeline` against the real checklist service: the SVG read back by an
// independent XML parser (Debian's Python) and checked bar by bar against the launch's projected
// dates, then rendered to PNG by a real renderer (rsvg-convert, Debian's librsvg2-bin); the
// terminal chart without a terminal; the Mermaid block. Unit tests in cli/timeline_test.cc cover
// the drawing in detail.

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/text.h"

namespace preflight {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ParseJson;

// For every item that applies, the SVG's bar with that data-code starts at the left edge of its
// projected start and spans through its projected finish on the chart's scale (the root's
// data-first-day, data-left and data-day-width); latest-start marks sit on their dates.
constexpr char kCheckBars[] = R"py(
import datetime, json, sys, xml.etree.ElementTree as ET
NS = '{http://www.w3.org/2000/svg}'
svg = ET.parse(sys.argv[1]).getroot()
launch = json.load(open(sys.argv[2]))
day = lambda s: datetime.date.fromisoformat(s)
first = day(svg.get('data-first-day'))
left = float(svg.get('data-left'))
width = float(svg.get('data-day-width'))
x = lambda d: left + (d - first).days * width
bars = {r.get('data-code'): r for r in svg.iter(NS + 'rect') if 'bar' in r.get('class', '').split()}
checked = 0
for item in launch['items']:
    if item.get('status') == 'ITEM_STATUS_NOT_APPLICABLE':
        assert item['code'] not in bars, item['code'] + ' does not apply but has a bar'
        continue
    s = item.get('schedule', {})
    if 'projectedStartDate' not in s:
        continue
    bar = bars[item['code']]
    start, finish = day(s['projectedStartDate']), day(s['projectedFinishDate'])
    assert abs(float(bar.get('x')) - x(start)) < 0.06, (item['code'], bar.get('x'), x(start))
    span = (finish - start).days + 1
    assert abs(float(bar.get('width')) - span * width) < 0.11, (item['code'], bar.get('width'))
    assert ('critical' in bar.get('class').split()) == s.get('critical', False), item['code']
    assert ('at-risk' in bar.get('class').split()) == s.get('atRisk', False), item['code']
    checked += 1
assert checked == len(bars), (checked, len(bars))
marks = [p for p in svg.iter(NS + 'path') if p.get('class') == 'latest-start']
for mark in marks:
    assert mark.get('d').startswith('M%.1f,' % x(day(mark.get('data-date')))), mark.get('d')
lines = {l.get('class'): l for l in svg.iter(NS + 'line') if l.get('class')}
assert abs(float(lines['today'].get('x1')) - x(day(launch['schedule']['asOfDate']))) < 0.06
assert abs(float(lines['target'].get('x1')) - x(day(launch['targetLaunchDate']))) < 0.06
arrows = [p for p in svg.iter(NS + 'path') if p.get('class') == 'dependency']
assert arrows, 'no dependency arrows'
print('checked', checked, 'bars', len(marks), 'latest-start marks', len(arrows), 'arrows')
)py";

class TimelineTest : public testing::ServicePairTest {
 protected:
  // `preflight ARGS...` through /bin/sh with standard output to `out_file` (standard error
  // apart), no terminal and no config file.
  CommandResult Run(const std::vector<std::string>& args, const std::string& out_file,
                    const std::string& env = "") {
    std::string command =
        absl::StrCat("env -u COLUMNS -u NO_COLOR PREFLIGHT_CONFIG=", dir_.Join("config.yaml"), " ",
                     env, " ", PREFLIGHT_CLI_BIN, " --server=", checklist_->address);
    for (const std::string& arg : args) absl::StrAppend(&command, " '", arg, "'");
    absl::StrAppend(&command, " > '", out_file, "'");
    absl::StatusOr<CommandResult> result =
        testing::RunCommand({"/bin/sh", "-c", command}, absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{};
  }

  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // A shop taking payments: a long chain of items, several of them on the critical path.
  std::string CreateLaunch() {
    const std::string json = dir_.Join("created.json");
    EXPECT_EQ(Run({"launch", "create", "--tenant=acme", "--name=Shop 商城", "--owner=li.na",
                   "--target=2027-03-01", "--subject=enterprise", "--hosting=own_mainland_server",
                   "--payments", "--categories=ecommerce", "-o", "json"},
                  json)
                  .exit_code,
              0);
    return ParseJson<v1::Launch>(Read(json)).name();
  }
};

TEST_F(TimelineTest, SvgBarsMatchTheScheduleAndRenderToPng) {
  const std::string launch = CreateLaunch();
  const std::string svg = dir_.Join("timeline.svg");
  const std::string json = dir_.Join("launch.json");
  ASSERT_EQ(Run({"launch", "timeline", launch, "--format=svg"}, svg).exit_code, 0);
  ASSERT_EQ(Run({"launch", "show", launch, "-o", "json"}, json).exit_code, 0);
  const v1::Launch shown = ParseJson<v1::Launch>(Read(json));
  int applicable = 0;
  for (const v1::Item& item : shown.items()) {
    applicable += item.status() != v1::ITEM_STATUS_NOT_APPLICABLE ? 1 : 0;
  }
  ASSERT_GT(applicable, 10);

  std::ofstream(dir_.Join("check_bars.py")) << kCheckBars;
  absl::StatusOr<CommandResult> checked = testing::RunCommand(
      {"/usr/bin/python3", dir_.Join("check_bars.py"), svg, json}, absl::Seconds(30));
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->exit_code, 0) << checked->output;
  EXPECT_THAT(checked->output, HasSubstr(absl::StrCat("checked ", applicable, " bars")));

  // A real renderer draws it: a PNG of the SVG's size (at 96 dpi, one pixel per unit).
  const std::string png = dir_.Join("timeline.png");
  absl::StatusOr<CommandResult> rendered =
      testing::RunCommand({"/usr/bin/rsvg-convert", "-o", png, svg}, absl::Seconds(60));
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  ASSERT_EQ(rendered->exit_code, 0) << rendered->output;
  const std::string bytes = Read(png);
  ASSERT_GT(bytes.size(), 24u);
  ASSERT_EQ(bytes.substr(0, 8), "\x89PNG\r\n\x1a\n");
  const auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
  };
  const uint32_t width = be32(16);
  const uint32_t height = be32(20);
  EXPECT_GE(width, 800u);
  EXPECT_LE(width, 1400u);
  // The title, the axis, one 34-pixel row per item, the legend.
  EXPECT_GE(height, 34u * applicable + 120);
  EXPECT_LE(height, 34u * applicable + 300);
  EXPECT_GT(bytes.size(), 20000u);  // drawn, not blank
}

TEST_F(TimelineTest, TerminalChartHtmlAndMermaid) {
  const std::string launch = CreateLaunch();
  const std::string text = dir_.Join("timeline.txt");
  // No terminal: plain marks, fitted to the default 120 columns.
  ASSERT_EQ(Run({"launch", "timeline", launch}, text).exit_code, 0);
  const std::string chart = Read(text);
  EXPECT_THAT(chart, Not(HasSubstr("\x1b")));
  EXPECT_THAT(chart, HasSubstr("Shop 商城 (" + launch + ")"));
  EXPECT_THAT(chart, HasSubstr("Legend:"));
  EXPECT_THAT(chart, HasSubstr("* ICP_FILING"));
  for (absl::string_view line : absl::StrSplit(chart, '\n')) {
    EXPECT_LE(line.size(), 120u + 12) << line;  // bytes: a few titles are not ASCII
  }
  // $COLUMNS narrows it; --color=always colours it even into a file.
  ASSERT_EQ(Run({"launch", "timeline", launch, "--color=always"}, text, "COLUMNS=70").exit_code, 0);
  EXPECT_THAT(Read(text), HasSubstr("\x1b[31m"));

  const std::string html = dir_.Join("timeline.html");
  ASSERT_EQ(Run({"launch", "timeline", launch, "--format=html"}, html).exit_code, 0);
  EXPECT_THAT(Read(html), HasSubstr("<td>ICP_FILING</td>"));

  const std::string mermaid = dir_.Join("timeline.mmd");
  ASSERT_EQ(Run({"launch", "timeline", launch, "--format=mermaid"}, mermaid).exit_code, 0);
  const std::string block = Read(mermaid);
  EXPECT_THAT(block, HasSubstr("gantt\n"));
  EXPECT_THAT(block, HasSubstr("dateFormat YYYY-MM-DD"));
  EXPECT_THAT(block, HasSubstr(":crit, ICP_FILING, "));
  EXPECT_THAT(block, HasSubstr(":milestone, target, 2027-03-01, 0d"));
}

TEST_F(TimelineTest, AnUnknownLaunchIsNotFound) {
  const CommandResult result =
      Run({"launch", "timeline", "launches/nope"}, dir_.Join("missing.txt"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.output, HasSubstr("NOT_FOUND"));
}

}  // namespace
}  // namespace preflight
