#include "cli/render.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace preflight::cli {
namespace {

constexpr absl::string_view kNone = "-";

// The columns of the code point at text[*pos], advancing *pos past it. A malformed byte takes
// one column on its own, so widths stay finite and cuts never split a valid character.
int NextCharWidth(absl::string_view text, size_t* pos) {
  utf8proc_int32_t code = 0;
  const utf8proc_ssize_t length =
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + *pos),
                       static_cast<utf8proc_ssize_t>(text.size() - *pos), &code);
  if (length <= 0) {
    ++*pos;
    return 1;
  }
  *pos += static_cast<size_t>(length);
  return std::max(0, utf8proc_charwidth(code));
}

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

std::string OrNone(const std::string& text) { return text.empty() ? std::string(kNone) : text; }

std::string WorkingDays(int days) {
  return absl::StrCat(days, days == 1 || days == -1 ? " working day" : " working days");
}

// "2027 not in the holiday calendar yet (counted Mon-Fri)" for a schedule's unconfirmed years.
std::string UnconfirmedCalendarText(const google::protobuf::RepeatedField<int32_t>& years) {
  // A server older than unconfirmed_years sends only the flag.
  if (years.empty()) return "counts Mon-Fri beyond the known holiday calendar";
  return absl::StrCat(absl::StrJoin(years, ", "),
                      " not in the holiday calendar yet (counted Mon-Fri)");
}

// A date that rests on an estimated duration reads "~2027-03-01".
std::string EstimatedDate(const std::string& date, bool estimated) {
  return estimated && !date.empty() ? absl::StrCat("~", date) : date;
}

// "projected 2026-08-20, on track with 8 working days of slack" and the like.
std::string ProjectionText(const v1::LaunchSchedule& schedule) {
  if (schedule.projected_launch_date().empty()) return "not scheduled";
  const auto& estimated = schedule.estimated_critical_items();
  std::string text = EstimatedDate(schedule.projected_launch_date(), !estimated.empty());
  if (!estimated.empty()) {
    absl::StrAppend(&text, " (estimate: ", absl::StrJoin(estimated, ", "), ")");
  }
  if (schedule.at_risk()) {
    absl::StrAppend(&text, "  AT RISK (", WorkingDays(-schedule.slack_working_days()), " late)");
  } else {
    absl::StrAppend(&text, "  on track (slack ", WorkingDays(schedule.slack_working_days()), ")");
  }
  if (schedule.unconfirmed_calendar()) {
    absl::StrAppend(&text, "  [", UnconfirmedCalendarText(schedule.unconfirmed_years()), "]");
  }
  return text;
}

// ProjectionText without its notes, for a before -> after line: "~2027-02-01 on track (slack
// 20 working days)".
std::string ShortProjectionText(const v1::LaunchSchedule& schedule) {
  if (schedule.projected_launch_date().empty()) return "not scheduled";
  std::string text =
      EstimatedDate(schedule.projected_launch_date(), !schedule.estimated_critical_items().empty());
  if (schedule.at_risk()) {
    absl::StrAppend(&text, " AT RISK (", WorkingDays(-schedule.slack_working_days()), " late)");
  } else {
    absl::StrAppend(&text, " on track (slack ", WorkingDays(schedule.slack_working_days()), ")");
  }
  return text;
}

// fees_expected is what the open items will still cost, on top of what has been paid.
std::string FeesText(const v1::LaunchSchedule& schedule) {
  return absl::StrCat(FormatMoney(schedule.fees_paid()), " paid, ",
                      FormatMoney(schedule.fees_expected()), " still to pay");
}

std::string CriticalPathText(const v1::LaunchSchedule& schedule) {
  if (schedule.critical_path().empty()) return std::string(kNone);
  return absl::StrJoin(schedule.critical_path(), " > ");
}

bool IsCodeCharacter(char c) {
  return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_';
}

// The server's item blockers already start with the code ("CLOUD_RN (Cloud ...) is
// not_started"): the code is printed once.
std::string BlockerLine(const v1::Blocker& blocker) {
  const std::string& code = blocker.code();
  const std::string& message = blocker.message();
  if (message.empty()) return code;
  const bool names_code = !code.empty() && absl::StartsWith(message, code) &&
                          (message.size() == code.size() || !IsCodeCharacter(message[code.size()]));
  return names_code ? message : absl::StrCat(code, ": ", message);
}

// A blocker without an item is one of the profile's; the others are open items.
bool IsProfileBlocker(const v1::Blocker& blocker) { return blocker.item().empty(); }

// "13 (1 profile, 12 open items)": the count `readiness` and `launch show` agree on.
std::string BlockerCount(const v1::Readiness& readiness, absl::string_view hint) {
  int profile = 0;
  for (const v1::Blocker& blocker : readiness.blockers()) profile += IsProfileBlocker(blocker);
  const int items = readiness.blockers_size() - profile;
  std::vector<std::string> parts;
  if (profile > 0) parts.push_back(absl::StrCat(profile, " profile"));
  if (items > 0) parts.push_back(absl::StrCat(items, items == 1 ? " open item" : " open items"));
  std::string text = absl::StrCat(readiness.blockers_size(), " (", absl::StrJoin(parts, ", "));
  if (items > 0 && !hint.empty()) absl::StrAppend(&text, "; ", hint);
  return absl::StrCat(text, ")");
}

// "enterprise, own_mainland_server, payments, categories ecommerce".
std::string ProfileText(const v1::LaunchProfile& profile) {
  std::vector<std::string> traits = {
      EnumLabel(v1::SubjectType_descriptor(), profile.subject_type(), "SUBJECT_TYPE_"),
      EnumLabel(v1::Hosting_descriptor(), profile.hosting(), "HOSTING_")};
  if (profile.takes_payments()) traits.push_back("payments");
  if (profile.mini_game()) traits.push_back("mini game");
  if (!profile.service_categories().empty()) {
    traits.push_back(absl::StrCat("categories ", absl::StrJoin(profile.service_categories(), ",")));
  }
  if (!profile.province().empty()) traits.push_back(absl::StrCat("province ", profile.province()));
  return absl::StrJoin(traits, ", ");
}

bool IsZero(const v1::Money& money) { return money.units() == 0 && money.nanos() == 0; }

std::string ItemMarks(const v1::Item& item) {
  std::string marks;
  if (item.schedule().critical()) marks += '*';
  if (item.schedule().at_risk()) marks += '!';
  if (item.schedule().unconfirmed_calendar()) marks += '?';
  return marks;
}

// "2 free resubmissions left": what the open paid order still covers.
std::string FreeResubmissions(const v1::Item& item) {
  const int left = item.free_resubmissions_left();
  return absl::StrCat(left, left == 1 ? " free resubmission left" : " free resubmissions left");
}

// The last column of an item row: why it does not apply, why it is waived, what it cost so far.
std::string ItemNote(const v1::Item& item) {
  std::vector<std::string> notes;
  if (item.status() == v1::ITEM_STATUS_NOT_APPLICABLE) {
    notes.push_back(item.applicability_reason());
  } else {
    if (item.status() == v1::ITEM_STATUS_WAIVED && !item.waiver_reason().empty()) {
      notes.push_back(absl::StrCat("waived: ", item.waiver_reason()));
    }
    if (item.attempts() > 0) notes.push_back(absl::StrCat("attempts ", item.attempts()));
    if (!IsZero(item.fees_paid())) {
      notes.push_back(absl::StrCat("paid ", FormatMoney(item.fees_paid())));
    }
    if (item.free_resubmissions_left() > 0) notes.push_back(FreeResubmissions(item));
    if (item.custom()) notes.push_back("custom");
  }
  notes.erase(std::remove(notes.begin(), notes.end(), std::string()), notes.end());
  return absl::StrJoin(notes, "; ");
}

// "¥300/attempt", "¥300" for a fee charged per order or once, "-" for a free item.
std::string FeeText(const v1::Item& item) {
  if (IsZero(item.fee_per_attempt())) return std::string(kNone);
  const std::string fee = FormatMoney(item.fee_per_attempt());
  return item.fee_charged_per_attempt() ? absl::StrCat(fee, "/attempt") : fee;
}

std::vector<std::string> ItemHeaders(bool wide) {
  if (!wide) {
    return {"",         "CODE", "TITLE",     "STATUS", "ASSIGNEE",
            "START BY", "DUE",  "PROJECTED", "SLACK",  "NOTE"};
  }
  return {"",    "CODE",       "GROUP",     "TITLE", "STATUS",     "ASSIGNEE", "START BY",
          "DUE", "PROJ START", "PROJECTED", "SLACK", "DEPENDS ON", "FEE",      "NOTE"};
}

// The row under ItemHeaders(wide).
std::vector<std::string> ItemRow(const v1::Item& item, bool wide) {
  const v1::ItemSchedule& schedule = item.schedule();
  const bool applies = item.status() != v1::ITEM_STATUS_NOT_APPLICABLE;
  // Slack only means something for work still open against a deadline.
  const bool show_slack = applies && !schedule.done() && !schedule.latest_finish_date().empty();
  const auto if_applies = [&](const std::string& date) {
    return applies ? OrNone(date) : std::string(kNone);
  };
  std::string title = item.title_en();
  if (wide && !item.title_zh().empty()) absl::StrAppend(&title, " (", item.title_zh(), ")");
  std::vector<std::string> row = {ItemMarks(item), item.code()};
  if (wide) row.push_back(OrNone(item.group()));
  row.push_back(std::move(title));
  row.push_back(StatusLabel(item.status()));
  row.push_back(OrNone(item.assignee()));
  row.push_back(if_applies(schedule.latest_start_date()));
  row.push_back(if_applies(schedule.latest_finish_date()));
  if (wide) row.push_back(if_applies(schedule.projected_start_date()));
  row.push_back(
      if_applies(EstimatedDate(schedule.projected_finish_date(), schedule.duration_estimated())));
  row.push_back(show_slack ? absl::StrCat(schedule.slack_working_days()) : std::string(kNone));
  if (wide) {
    row.push_back(OrNone(absl::StrJoin(item.depends_on(), ",")));
    row.push_back(FeeText(item));
  }
  row.push_back(ItemNote(item));
  return row;
}

// The "more" hint of a list; nothing with --no-headers, which drops every hint.
std::string NextPage(const std::string& token, const RenderOptions& options,
                     absl::string_view suffix = "") {
  if (token.empty() || !options.headers) return "";
  return absl::StrCat("more: --page_token=", token, suffix, "\n");
}

// What an empty answer says; nothing with --no-headers, so scripts count lines.
std::string Nothing(absl::string_view text, const RenderOptions& options) {
  return options.headers ? absl::StrCat(text, "\n") : "";
}

}  // namespace

int DisplayWidth(absl::string_view text) {
  int width = 0;
  size_t pos = 0;
  while (pos < text.size()) width += NextCharWidth(text, &pos);
  return width;
}

std::string TruncateToWidth(absl::string_view text, int max_width) {
  if (DisplayWidth(text) <= max_width) return std::string(text);
  constexpr absl::string_view kEllipsis = "…";
  std::string out;
  int width = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const int w = NextCharWidth(text, &pos);
    if (width + w > max_width - 1) break;
    width += w;
    out.append(text.data() + start, pos - start);
  }
  return absl::StrCat(absl::StripTrailingAsciiWhitespace(out), kEllipsis);
}

std::string WrapToWidth(absl::string_view text, int width) {
  if (width <= 0) return absl::StrCat(text, "\n");
  std::string out;
  while (DisplayWidth(text) > width) {
    // The last space with at most `width` columns before it; for a longer first word, the
    // first space after it.
    size_t cut = absl::string_view::npos;
    int columns = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      if (text[pos] == ' ' && pos > 0) {
        if (columns <= width || cut == absl::string_view::npos) cut = pos;
        if (columns > width) break;
      }
      columns += NextCharWidth(text, &pos);
    }
    if (cut == absl::string_view::npos) break;
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(text.substr(0, cut)), "\n");
    text = absl::StripLeadingAsciiWhitespace(text.substr(cut));
  }
  return absl::StrCat(out, text, "\n");
}

std::string OneLine(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

void Fields::Add(absl::string_view label, std::string value) {
  rows_.emplace_back(std::string(label), std::move(value));
}

void Fields::AddIfSet(absl::string_view label, const std::string& value) {
  if (!value.empty()) Add(label, value);
}

std::string Fields::Render() const {
  size_t width = 0;
  for (const auto& row : rows_) width = std::max(width, row.first.size());
  std::string out;
  for (const auto& [label, value] : rows_) {
    absl::StrAppend(&out, label, std::string(width - label.size() + 2, ' '), value, "\n");
  }
  return out;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  if (!IsSet(ts)) return std::string(kNone);
  return absl::FormatTime("%Y-%m-%d %H:%M:%SZ", absl::FromUnixSeconds(ts.seconds()),
                          absl::UTCTimeZone());
}

std::string FormatTimeInZone(const google::protobuf::Timestamp& ts, absl::TimeZone zone) {
  if (!IsSet(ts)) return std::string(kNone);
  return absl::FormatTime("%Y-%m-%d %H:%M %Ez", absl::FromUnixSeconds(ts.seconds()), zone);
}

absl::TimeZone DisplayZone(absl::string_view launch, const RenderOptions& options) {
  if (options.utc) return absl::UTCTimeZone();
  const auto zone = options.zones.find(launch);
  return zone == options.zones.end() ? absl::UTCTimeZone() : zone->second;
}

std::string FormatTime(const google::protobuf::Timestamp& ts, absl::string_view launch,
                       const RenderOptions& options) {
  if (!options.utc) {
    const auto zone = options.zones.find(launch);
    if (zone != options.zones.end()) return FormatTimeInZone(ts, zone->second);
  }
  // "Z" rather than "+00:00": UTC because it was asked for or nothing better is known, which a
  // launch kept in UTC ("+00:00") is not.
  if (!IsSet(ts)) return std::string(kNone);
  return absl::FormatTime("%Y-%m-%d %H:%MZ", absl::FromUnixSeconds(ts.seconds()),
                          absl::UTCTimeZone());
}

std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value,
                      absl::string_view prefix) {
  const google::protobuf::EnumValueDescriptor* found = descriptor->FindValueByNumber(value);
  if (found == nullptr) return absl::StrCat(value);
  return absl::AsciiStrToLower(absl::StripPrefix(found->name(), prefix));
}

Table::Table(std::vector<std::string> headers) {
  shrinkable_.assign(headers.size(), false);
  rows_.push_back(std::move(headers));
}

void Table::SetShrinkable(absl::string_view header) {
  const std::vector<std::string>& headers = rows_.front();
  for (size_t i = 0; i < headers.size(); ++i) {
    if (headers[i] == header) shrinkable_[i] = true;
  }
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(std::max(cells.size(), rows_.front().size()));
  for (std::string& cell : cells) cell = OneLine(cell);
  rows_.push_back(std::move(cells));
}

std::string Table::Render(const RenderOptions& options) const {
  const size_t first = options.headers ? 0 : 1;
  std::vector<int> widths;
  for (size_t r = first; r < rows_.size(); ++r) {
    const std::vector<std::string>& row = rows_[r];
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  if (options.width > 0 && !options.wide && !widths.empty()) {
    std::vector<bool> shrinkable = shrinkable_;
    shrinkable.resize(widths.size(), false);
    if (std::find(shrinkable.begin(), shrinkable.end(), true) == shrinkable.end() &&
        !rows_.front().empty()) {
      shrinkable[rows_.front().size() - 1] = true;
    }
    // A shrinkable column keeps at least kMinShrunkWidth columns and its whole header.
    std::vector<int> floors = widths;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (!shrinkable[i]) continue;
      const int header =
          options.headers && i < rows_.front().size() ? DisplayWidth(rows_.front()[i]) : 0;
      floors[i] = std::min(widths[i], std::max(kMinShrunkWidth, header));
    }
    int total = 2 * (static_cast<int>(widths.size()) - 1);
    for (const int width : widths) total += width;
    // One column at a time off the widest, so long cells share the cut fairly.
    while (total > options.width) {
      int widest = -1;
      for (size_t i = 0; i < widths.size(); ++i) {
        if (widths[i] > floors[i] && (widest < 0 || widths[i] > widths[widest])) {
          widest = static_cast<int>(i);
        }
      }
      if (widest < 0) break;
      --widths[widest];
      --total;
    }
  }
  std::string out;
  for (size_t r = first; r < rows_.size(); ++r) {
    const std::vector<std::string>& row = rows_[r];
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      int width = DisplayWidth(row[i]);
      if (width <= widths[i]) {
        line += row[i];
      } else {
        const std::string cut = TruncateToWidth(row[i], widths[i]);
        line += cut;
        width = DisplayWidth(cut);
      }
      line.append(static_cast<size_t>(widths[i] - width), ' ');
    }
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(line), "\n");
  }
  return out;
}

std::string FormatMoney(const v1::Money& money) {
  const bool negative = money.units() < 0 || money.nanos() < 0;
  const uint64_t units = static_cast<uint64_t>(std::llabs(money.units()));
  const int cents = std::abs(money.nanos()) / 10'000'000;
  std::string digits = absl::StrCat(units);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  const std::string amount = cents == 0 ? digits : absl::StrFormat("%s.%02d", digits, cents);
  const bool yuan = money.currency_code().empty() || money.currency_code() == "CNY";
  return absl::StrCat(negative ? "-" : "", yuan ? "¥" : absl::StrCat(money.currency_code(), " "),
                      yuan || cents != 0 ? amount : absl::StrCat(amount, ".00"));
}

std::string StatusLabel(v1::ItemStatus status) {
  if (status == v1::ITEM_STATUS_NOT_APPLICABLE) return "n/a";
  return EnumLabel(v1::ItemStatus_descriptor(), status, "ITEM_STATUS_");
}

// -o wide adds the columns GROUP, PROJ START, DEPENDS ON and FEE, and the Chinese title.
std::string RenderLaunch(const v1::Launch& launch, const v1::Readiness* readiness,
                         const RenderOptions& options) {
  std::string out = absl::StrCat(launch.name(), "  ", launch.display_name(), "\n");
  const v1::LaunchSchedule& schedule = launch.schedule();
  Fields fields;
  fields.Add("tenant", launch.tenant());
  fields.Add("owner", launch.owner());
  fields.Add("target", absl::StrCat(launch.target_launch_date(), " (", launch.time_zone(), ")"));
  fields.Add("projected", ProjectionText(schedule));
  fields.AddIfSet("went live", launch.went_live_date());
  fields.Add("fees", FeesText(schedule));
  fields.Add("critical path", CriticalPathText(schedule));
  fields.Add("profile", ProfileText(launch.profile()));
  fields.AddIfSet("template", launch.template_id());
  fields.Add("etag", launch.etag());
  if (readiness != nullptr) {
    // The same count as `readiness`; the open items are in the table below.
    if (readiness->blockers().empty()) {
      fields.Add("blockers", "none");
    } else {
      fields.Add("blockers", BlockerCount(*readiness, absl::StrCat("`preflight readiness ",
                                                                   launch.name(), "` lists them")));
      for (const v1::Blocker& blocker : readiness->blockers()) {
        if (IsProfileBlocker(blocker)) fields.Add("", BlockerLine(blocker));
      }
    }
  } else if (launch.blockers().empty()) {
    // Without the readiness answer only the profile's blockers are known: say so.
    fields.Add("profile blockers", "none");
  } else {
    for (int i = 0; i < launch.blockers_size(); ++i) {
      fields.Add(i == 0 ? "profile blockers" : "", BlockerLine(launch.blockers(i)));
    }
  }
  out += fields.Render();
  if (launch.items().empty()) return out;

  Table table(ItemHeaders(options.wide));
  table.SetShrinkable("TITLE");
  table.SetShrinkable("NOTE");
  int applicable = 0;
  int done = 0;
  for (const v1::Item& item : launch.items()) {
    if (item.status() == v1::ITEM_STATUS_NOT_APPLICABLE) continue;
    ++applicable;
    if (item.schedule().done()) ++done;
    table.AddRow(ItemRow(item, options.wide));
  }
  const int not_applicable = launch.items_size() - applicable;
  if (options.all_items) {
    for (const v1::Item& item : launch.items()) {
      if (item.status() == v1::ITEM_STATUS_NOT_APPLICABLE)
        table.AddRow(ItemRow(item, options.wide));
    }
  }
  if (!table.empty()) absl::StrAppend(&out, "\n", table.Render(options));
  if (!options.headers) return out;
  absl::StrAppend(&out, "\n", applicable, " applicable items, ", done, " done; ", not_applicable,
                  " not applicable",
                  not_applicable > 0 && !options.all_items ? " (--all shows them)" : "", ".\n");
  out += WrapToWidth(absl::StrCat("legend: * critical path  ! at risk  ? counted Mon-Fri (year not "
                                  "in the holiday calendar yet)  ~ rests on an estimated duration  "
                                  "START BY = latest start, DUE = latest finish, SLACK in working "
                                  "days",
                                  options.all_items && not_applicable > 0
                                      ? "; n/a items last, with the reason they do not apply"
                                      : ""),
                     options.width);
  return out;
}

// -o wide adds ZONE and PROFILE, and RISK says by how much.
std::string RenderLaunchList(const v1::ListLaunchesResponse& response,
                             const RenderOptions& options) {
  if (response.launches().empty()) return Nothing("no launches", options);
  std::vector<std::string> headers = {"NAME",   "DISPLAY NAME", "TENANT", "OWNER",
                                      "TARGET", "PROJECTED",    "RISK"};
  if (options.wide) {
    headers.push_back("ZONE");
    headers.push_back("PROFILE");
  }
  Table table(std::move(headers));
  table.SetShrinkable("DISPLAY NAME");
  table.SetShrinkable("PROFILE");
  for (const v1::Launch& launch : response.launches()) {
    const v1::LaunchSchedule& schedule = launch.schedule();
    std::string risk = schedule.at_risk() ? "AT RISK" : "ok";
    if (options.wide && !schedule.projected_launch_date().empty()) {
      absl::StrAppend(
          &risk, schedule.at_risk()
                     ? absl::StrCat(" (", WorkingDays(-schedule.slack_working_days()), " late)")
                     : absl::StrCat(" (slack ", WorkingDays(schedule.slack_working_days()), ")"));
    }
    std::vector<std::string> row = {
        launch.name(),
        launch.display_name(),
        launch.tenant(),
        launch.owner(),
        launch.target_launch_date(),
        OrNone(EstimatedDate(schedule.projected_launch_date(),
                             !schedule.estimated_critical_items().empty())),
        std::move(risk)};
    if (options.wide) {
      row.push_back(OrNone(launch.time_zone()));
      row.push_back(ProfileText(launch.profile()));
    }
    table.AddRow(std::move(row));
  }
  return table.Render(options) + NextPage(response.next_page_token(), options);
}

std::string RenderItem(const v1::Item& item, const RenderOptions& options) {
  std::string out = absl::StrCat(item.name(), "  ", item.title_en());
  if (!item.title_zh().empty()) absl::StrAppend(&out, " (", item.title_zh(), ")");
  out += "\n";
  Fields fields;
  std::string status = StatusLabel(item.status());
  if (item.attempts() > 0) absl::StrAppend(&status, " (attempts ", item.attempts(), ")");
  fields.Add("status", status);
  if (item.status() == v1::ITEM_STATUS_NOT_APPLICABLE) {
    fields.Add("why n/a", item.applicability_reason());
  }
  fields.AddIfSet("waiver", item.waiver_reason());
  fields.AddIfSet("assignee", item.assignee());
  const v1::ItemSchedule& schedule = item.schedule();
  fields.AddIfSet("start by", schedule.latest_start_date());
  fields.AddIfSet("due", schedule.latest_finish_date());
  // An explicit due date (custom items, overrides) can differ from the computed latest finish.
  fields.AddIfSet("fixed due", item.due_date());
  if (!schedule.projected_finish_date().empty()) {
    std::string projected = schedule.projected_finish_date();
    if (schedule.duration_estimated()) projected = absl::StrCat("~", projected, " (estimate)");
    if (!schedule.done()) {
      absl::StrAppend(&projected, " (slack ", WorkingDays(schedule.slack_working_days()), ")");
    }
    if (schedule.critical()) absl::StrAppend(&projected, " critical");
    if (schedule.at_risk()) absl::StrAppend(&projected, " AT RISK");
    fields.Add("projected", projected);
  }
  if (schedule.unconfirmed_calendar()) {
    fields.Add("calendar", UnconfirmedCalendarText(schedule.unconfirmed_years()));
  }
  if (!item.depends_on().empty()) fields.Add("depends on", absl::StrJoin(item.depends_on(), ", "));
  if (!IsZero(item.fee_per_attempt())) {
    std::string fee = FormatMoney(item.fee_per_attempt());
    if (item.fee_charged_per_attempt()) {
      absl::StrAppend(&fee, " per attempt");
    } else if (item.paid_orders() > 1 || item.free_resubmissions_left() > 0) {
      // Only a fee charged per order has several orders or free resubmissions.
      absl::StrAppend(&fee, " per order, ", item.paid_orders(),
                      item.paid_orders() == 1 ? " order" : " orders");
    }
    if (item.free_resubmissions_left() > 0) absl::StrAppend(&fee, "; ", FreeResubmissions(item));
    fields.Add("fees paid", absl::StrCat(FormatMoney(item.fees_paid()), " (", fee, ")"));
  }
  if (!item.official_number().empty()) {
    fields.Add(item.official_number_label().empty() ? "official no." : item.official_number_label(),
               item.official_number());
  }
  fields.AddIfSet("expires", item.expiry_date());
  std::vector<std::string> uris;
  for (const v1::Evidence& evidence : item.evidence()) uris.push_back(evidence.uri());
  if (!uris.empty()) fields.Add("evidence", absl::StrJoin(uris, ", "));
  std::vector<std::string> missing;
  std::vector<std::string> done;
  for (const v1::Material& material : item.materials()) {
    if (material.status() == v1::MATERIAL_STATUS_MISSING) missing.push_back(material.code());
    if (material.status() == v1::MATERIAL_STATUS_READY ||
        material.status() == v1::MATERIAL_STATUS_NOT_NEEDED) {
      done.push_back(material.code());
    }
  }
  if (!missing.empty() || !done.empty()) {
    fields.Add("materials",
               missing.empty()
                   ? absl::StrCat("all ", done.size(), " ready")
                   : absl::StrCat(missing.size(), " missing: ", absl::StrJoin(missing, ", "), " (",
                                  done.size(), " ready or not needed)"));
  }
  fields.AddIfSet("notes", item.notes());
  fields.Add("etag", item.etag());
  return out + fields.Render();
}

std::string RenderReadiness(const v1::Readiness& readiness, const RenderOptions& options) {
  std::string out =
      absl::StrCat(readiness.launch(), ": ", readiness.ready() ? "READY" : "NOT READY", " (",
                   readiness.items_done(), " of ", readiness.items_total(), " items done)\n");
  Fields fields;
  fields.Add("projected", ProjectionText(readiness.schedule()));
  fields.Add("critical path", CriticalPathText(readiness.schedule()));
  fields.Add("fees", FeesText(readiness.schedule()));
  if (readiness.blockers().empty()) {
    fields.Add("blockers", "none");
  } else {
    fields.Add("blockers", BlockerCount(readiness, ""));
    for (const v1::Blocker& blocker : readiness.blockers()) fields.Add("", BlockerLine(blocker));
  }
  return out + fields.Render();
}

// -o wide: the whole summary, however long.
namespace {

// "2026-12-31 -> 2027-01-06", or "2026-12-31 (unchanged)".
std::string Moved(const std::string& before, const std::string& after) {
  if (before == after) return absl::StrCat(before, " (unchanged)");
  return absl::StrCat(before, " -> ", after);
}

const v1::Item* FindItemByCode(const v1::Launch& launch, absl::string_view code) {
  for (const v1::Item& item : launch.items()) {
    if (item.code() == code) return &item;
  }
  return nullptr;
}

}  // namespace

std::string RenderWhatIf(const v1::Launch& before, const v1::Launch& after,
                         const RenderOptions& options) {
  std::string out = absl::StrCat("what if: ", before.name(), "  ", before.display_name(),
                                 "  (a preview: nothing was changed)\n");
  Fields fields;
  fields.Add("target", Moved(before.target_launch_date(), after.target_launch_date()));
  fields.Add("projected",
             Moved(ShortProjectionText(before.schedule()), ShortProjectionText(after.schedule())));
  fields.Add("critical path",
             Moved(CriticalPathText(before.schedule()), CriticalPathText(after.schedule())));
  fields.Add("fees", Moved(FeesText(before.schedule()), FeesText(after.schedule())));
  out += fields.Render();

  Table appear({"WOULD APPLY", "TITLE", "WHY"});
  Table vanish({"WOULD STOP APPLYING", "TITLE", "WHY"});
  appear.SetShrinkable("WHY");
  vanish.SetShrinkable("WHY");
  Table moves({"", "CODE", "START BY", "DUE", "PROJECTED"});
  int moved = 0;
  constexpr int kMovesShown = 10;
  for (const v1::Item& item : after.items()) {
    const v1::Item* old = FindItemByCode(before, item.code());
    const bool applies = item.status() != v1::ITEM_STATUS_NOT_APPLICABLE;
    const bool applied = old != nullptr && old->status() != v1::ITEM_STATUS_NOT_APPLICABLE;
    if (applies && !applied) {
      appear.AddRow({item.code(), item.title_en(), OneLine(item.applicability_reason())});
    } else if (!applies && applied) {
      vanish.AddRow({item.code(), item.title_en(), OneLine(item.applicability_reason())});
    } else if (applies && old != nullptr) {
      const v1::ItemSchedule& a = old->schedule();
      const v1::ItemSchedule& b = item.schedule();
      if (a.latest_start_date() == b.latest_start_date() &&
          a.latest_finish_date() == b.latest_finish_date() &&
          a.projected_finish_date() == b.projected_finish_date()) {
        continue;
      }
      if (++moved > kMovesShown && !options.wide) continue;
      moves.AddRow({b.critical() ? "*" : "", item.code(),
                    Moved(OrNone(a.latest_start_date()), OrNone(b.latest_start_date())),
                    Moved(OrNone(a.latest_finish_date()), OrNone(b.latest_finish_date())),
                    Moved(OrNone(a.projected_finish_date()), OrNone(b.projected_finish_date()))});
    }
  }
  if (!appear.empty()) absl::StrAppend(&out, "\n", appear.Render(options));
  if (!vanish.empty()) absl::StrAppend(&out, "\n", vanish.Render(options));
  if (!moves.empty()) {
    absl::StrAppend(&out, "\n", moves.Render(options));
    if (moved > kMovesShown && !options.wide && options.headers) {
      absl::StrAppend(&out, "... and ", moved - kMovesShown,
                      " more items whose dates move (-o wide lists them)\n");
    }
  }
  if (appear.empty() && vanish.empty() && moves.empty()) {
    out += "\nno item would start or stop applying, and no item's dates would move\n";
  }
  return out;
}

std::string RenderEvents(const v1::ListEventsResponse& response, const RenderOptions& options) {
  if (response.events().empty() && response.next_page_token().empty()) {
    return Nothing("no events", options);
  }
  Table table({"SEQ", "TIME", "TYPE", "ITEM", "ACTOR", "SUMMARY"});
  table.SetShrinkable("SUMMARY");
  for (const v1::Event& event : response.events()) {
    table.AddRow({absl::StrCat(event.sequence()), FormatTime(event.time(), event.launch(), options),
                  EnumLabel(v1::Event::Type_descriptor(), event.type(), "TYPE_"),
                  OrNone(event.item_code()), OrNone(event.actor()), event.summary()});
  }
  std::string out = table.empty() ? "" : table.Render(options);
  return out + NextPage(response.next_page_token(), options, " (or --all)");
}

// -o wide adds the Chinese title and PROVINCES (how many the template knows).
std::string RenderTemplates(const v1::ListTemplatesResponse& response,
                            const RenderOptions& options) {
  if (response.templates().empty()) return Nothing("no templates", options);
  std::vector<std::string> headers = {"ID", "TITLE", "ITEMS", "CATEGORIES"};
  if (options.wide) headers.push_back("PROVINCES");
  Table table(std::move(headers));
  table.SetShrinkable("TITLE");
  for (const v1::Template& tmpl : response.templates()) {
    std::vector<std::string> categories;
    for (const v1::ServiceCategory& category : tmpl.categories()) {
      categories.push_back(category.code());
    }
    std::string title = tmpl.title_en();
    if (options.wide && !tmpl.title_zh().empty()) {
      absl::StrAppend(&title, " (", tmpl.title_zh(), ")");
    }
    std::vector<std::string> row = {tmpl.id(), std::move(title), absl::StrCat(tmpl.items_size()),
                                    OrNone(absl::StrJoin(categories, ","))};
    if (options.wide) row.push_back(absl::StrCat(tmpl.provinces_size()));
    table.AddRow(std::move(row));
  }
  return table.Render(options) + NextPage(response.next_page_token(), options);
}

}  // namespace preflight::cli
