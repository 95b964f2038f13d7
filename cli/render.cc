#include "cli/render.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"

namespace preflight::cli {
namespace {

constexpr absl::string_view kNone = "-";
// Template titles run to 80 columns; the full title is in `item update` output and --json.
constexpr int kMaxTitleWidth = 40;

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

// fees_expected is what the open items will still cost, on top of what has been paid.
std::string FeesText(const v1::LaunchSchedule& schedule) {
  return absl::StrCat(FormatMoney(schedule.fees_paid()), " paid, ",
                      FormatMoney(schedule.fees_expected()), " still to pay");
}

std::string CriticalPathText(const v1::LaunchSchedule& schedule) {
  if (schedule.critical_path().empty()) return std::string(kNone);
  return absl::StrJoin(schedule.critical_path(), " > ");
}

std::string BlockerLine(const v1::Blocker& blocker) {
  return absl::StrCat(blocker.code(), ": ", blocker.message());
}

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
    if (item.fees_paid().units() != 0 || item.fees_paid().nanos() != 0) {
      notes.push_back(absl::StrCat("paid ", FormatMoney(item.fees_paid())));
    }
    if (item.free_resubmissions_left() > 0) notes.push_back(FreeResubmissions(item));
    if (item.custom()) notes.push_back("custom");
  }
  notes.erase(std::remove(notes.begin(), notes.end(), std::string()), notes.end());
  return absl::StrJoin(notes, "; ");
}

std::vector<std::string> ItemRow(const v1::Item& item) {
  const v1::ItemSchedule& schedule = item.schedule();
  const bool applies = item.status() != v1::ITEM_STATUS_NOT_APPLICABLE;
  // Slack only means something for work still open against a deadline.
  const bool show_slack = applies && !schedule.done() && !schedule.latest_finish_date().empty();
  return {ItemMarks(item),
          item.code(),
          TruncateToWidth(item.title_en(), kMaxTitleWidth),
          StatusLabel(item.status()),
          OrNone(item.assignee()),
          applies ? OrNone(schedule.latest_start_date()) : std::string(kNone),
          applies ? OrNone(schedule.latest_finish_date()) : std::string(kNone),
          applies ? OrNone(EstimatedDate(schedule.projected_finish_date(),
                                         schedule.duration_estimated()))
                  : std::string(kNone),
          show_slack ? absl::StrCat(schedule.slack_working_days()) : std::string(kNone),
          ItemNote(item)};
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
  if (ts.seconds() == 0 && ts.nanos() == 0) return std::string(kNone);
  return absl::FormatTime("%Y-%m-%d %H:%M:%SZ", absl::FromUnixSeconds(ts.seconds()),
                          absl::UTCTimeZone());
}

std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value,
                      absl::string_view prefix) {
  const google::protobuf::EnumValueDescriptor* found = descriptor->FindValueByNumber(value);
  if (found == nullptr) return absl::StrCat(value);
  return absl::AsciiStrToLower(absl::StripPrefix(found->name(), prefix));
}

Table::Table(std::vector<std::string> headers) { rows_.push_back(std::move(headers)); }

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(std::max(cells.size(), rows_.front().size()));
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<int> widths;
  for (const auto& row : rows_) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      line += row[i];
      line.append(static_cast<size_t>(widths[i] - DisplayWidth(row[i])), ' ');
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

std::string RenderLaunch(const v1::Launch& launch) {
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
  const v1::LaunchProfile& profile = launch.profile();
  std::vector<std::string> traits = {
      EnumLabel(v1::SubjectType_descriptor(), profile.subject_type(), "SUBJECT_TYPE_"),
      EnumLabel(v1::Hosting_descriptor(), profile.hosting(), "HOSTING_")};
  if (profile.takes_payments()) traits.push_back("payments");
  if (profile.mini_game()) traits.push_back("mini game");
  if (!profile.service_categories().empty()) {
    traits.push_back(absl::StrCat("categories ", absl::StrJoin(profile.service_categories(), ",")));
  }
  if (!profile.province().empty()) traits.push_back(absl::StrCat("province ", profile.province()));
  fields.Add("profile", absl::StrJoin(traits, ", "));
  fields.AddIfSet("template", launch.template_id());
  fields.Add("etag", launch.etag());
  if (launch.blockers().empty()) {
    fields.Add("blockers", "none");
  } else {
    for (int i = 0; i < launch.blockers_size(); ++i) {
      fields.Add(i == 0 ? "blockers" : "", BlockerLine(launch.blockers(i)));
    }
  }
  out += fields.Render();
  if (launch.items().empty()) return out;

  Table table(
      {"", "CODE", "TITLE", "STATUS", "ASSIGNEE", "START BY", "DUE", "PROJECTED", "SLACK", "NOTE"});
  int applicable = 0;
  int done = 0;
  for (const v1::Item& item : launch.items()) {
    if (item.status() == v1::ITEM_STATUS_NOT_APPLICABLE) continue;
    ++applicable;
    if (item.schedule().done()) ++done;
    table.AddRow(ItemRow(item));
  }
  for (const v1::Item& item : launch.items()) {
    if (item.status() == v1::ITEM_STATUS_NOT_APPLICABLE) table.AddRow(ItemRow(item));
  }
  absl::StrAppend(&out, "\n", table.Render());
  absl::StrAppend(&out, "\n", applicable, " applicable items, ", done, " done; ",
                  launch.items_size() - applicable, " not applicable.\n");
  absl::StrAppend(&out,
                  "legend: * critical path  ! at risk  ? counted Mon-Fri (year not in the "
                  "holiday calendar yet)  ~ rests on an estimated duration  "
                  "START BY = latest start, DUE = latest finish, SLACK in working days; "
                  "n/a items last, with the reason they do not apply\n");
  return out;
}

std::string RenderLaunchList(const v1::ListLaunchesResponse& response) {
  if (response.launches().empty()) return "no launches\n";
  Table table({"NAME", "DISPLAY NAME", "TENANT", "OWNER", "TARGET", "PROJECTED", "RISK"});
  for (const v1::Launch& launch : response.launches()) {
    table.AddRow({launch.name(), launch.display_name(), launch.tenant(), launch.owner(),
                  launch.target_launch_date(),
                  OrNone(EstimatedDate(launch.schedule().projected_launch_date(),
                                       !launch.schedule().estimated_critical_items().empty())),
                  launch.schedule().at_risk() ? "AT RISK" : "ok"});
  }
  std::string out = table.Render();
  if (!response.next_page_token().empty()) {
    absl::StrAppend(&out, "more: --page_token=", response.next_page_token(), "\n");
  }
  return out;
}

std::string RenderItem(const v1::Item& item) {
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
  if (item.fee_per_attempt().units() != 0 || item.fee_per_attempt().nanos() != 0) {
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

std::string RenderReadiness(const v1::Readiness& readiness) {
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
    for (int i = 0; i < readiness.blockers_size(); ++i) {
      fields.Add(i == 0 ? "blockers" : "", BlockerLine(readiness.blockers(i)));
    }
  }
  return out + fields.Render();
}

std::string RenderEvents(const v1::ListEventsResponse& response) {
  if (response.events().empty() && response.next_page_token().empty()) return "no events\n";
  Table table({"SEQ", "TIME", "TYPE", "ITEM", "ACTOR", "SUMMARY"});
  for (const v1::Event& event : response.events()) {
    table.AddRow({absl::StrCat(event.sequence()), FormatTimestamp(event.time()),
                  EnumLabel(v1::Event::Type_descriptor(), event.type(), "TYPE_"),
                  OrNone(event.item_code()), OrNone(event.actor()), event.summary()});
  }
  std::string out = table.Render();
  if (!response.next_page_token().empty()) {
    absl::StrAppend(&out, "more: --page_token=", response.next_page_token(), " (or --all)\n");
  }
  return out;
}

std::string RenderTemplates(const v1::ListTemplatesResponse& response) {
  if (response.templates().empty()) return "no templates\n";
  Table table({"ID", "TITLE", "ITEMS", "CATEGORIES"});
  for (const v1::Template& tmpl : response.templates()) {
    std::vector<std::string> categories;
    for (const v1::ServiceCategory& category : tmpl.categories()) {
      categories.push_back(category.code());
    }
    table.AddRow({tmpl.id(), tmpl.title_en(), absl::StrCat(tmpl.items_size()),
                  OrNone(absl::StrJoin(categories, ","))});
  }
  std::string out = table.Render();
  if (!response.next_page_token().empty()) {
    absl::StrAppend(&out, "more: --page_token=", response.next_page_token(), "\n");
  }
  return out;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print JSON: ", status.ToString()));
  }
  if (json.empty() || json.back() != '\n') json += '\n';
  return json;
}

}  // namespace preflight::cli
