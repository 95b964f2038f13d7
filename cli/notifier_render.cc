#include "cli/notifier_render.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "cli/render.h"
#include "common/api/resource_names.h"

namespace preflight::cli {
namespace {

constexpr absl::string_view kNone = "-";

std::string OrNone(const std::string& text) { return text.empty() ? std::string(kNone) : text; }

// "li.na" for "recipients/li.na"; a tenant's recipient keeps its whole name.
std::string ShortRecipient(absl::string_view name) {
  absl::StatusOr<api::RecipientKey> key = api::ParseRecipientName(name, "recipient");
  if (key.ok() && key->tenant.empty()) return key->id;
  return std::string(name);
}

std::string KindLabel(v1::ReminderKind kind) {
  if (kind == v1::REMINDER_KIND_UNSPECIFIED) return std::string(kNone);
  return EnumLabel(v1::ReminderKind_descriptor(), kind, "REMINDER_KIND_");
}

std::string StateLabel(v1::DeliveryState state) {
  return EnumLabel(v1::DeliveryState_descriptor(), state, "DELIVERY_STATE_");
}

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

// The "more" hint of a list; nothing with --no-headers, which drops every hint.
std::string MorePages(const std::string& token, const RenderOptions& options) {
  if (token.empty() || !options.headers) return "";
  return absl::StrCat("more: --page_token=", token, " (or --all)\n");
}

// What an empty answer says; nothing with --no-headers, so scripts count lines.
std::string Nothing(absl::string_view text, const RenderOptions& options) {
  return options.headers ? absl::StrCat(text, "\n") : "";
}

void AddOnce(std::vector<std::string>* list, std::string value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) {
    list->push_back(std::move(value));
  }
}

std::string RouteText(const v1::Reminder::Route& route) {
  return absl::StrCat(ShortRecipient(route.recipient()), "/", ChannelLabel(route.channel()),
                      route.digest() ? "[digest]" : "");
}

std::string ReminderMarks(const v1::Reminder& reminder) {
  std::vector<std::string> marks;
  if (reminder.urgent()) marks.push_back("urgent");
  if (reminder.escalation()) marks.push_back("escalation");
  return absl::StrJoin(marks, ",");
}

// One row of the reminders table: a reminder, or the overdue repeats of one item folded.
struct ReminderRow {
  std::vector<const v1::Reminder*> reminders;  // in the server's order
  std::vector<std::string> routes;             // each recipient/channel once
  std::vector<std::string> reasons;            // each once
};

void AddRoutes(const v1::Reminder& reminder, ReminderRow* row) {
  for (const v1::Reminder::Route& route : reminder.routes()) {
    AddOnce(&row->routes, RouteText(route));
    if (!route.reason().empty()) AddOnce(&row->reasons, route.reason());
  }
}

// The rows of `response`: entries for the same reminder (item, rung, send time) share a row with
// their routes merged; with `fold`, so do the overdue repeats of an item that agree on kind,
// deadline and marks (a daily overdue reminder is otherwise one row a day for as long as the
// dry run looks ahead). A row stands where its first reminder did.
std::vector<ReminderRow> ReminderRows(const v1::ListRemindersResponse& response, bool fold) {
  std::vector<ReminderRow> rows;
  std::map<std::string, size_t> by_reminder;
  std::map<std::string, size_t> by_repeat;
  for (const v1::Reminder& reminder : response.reminders()) {
    const std::string same =
        absl::StrCat(reminder.item(), "\n", reminder.rung(), "\n", reminder.send_time().seconds());
    if (const auto found = by_reminder.find(same); found != by_reminder.end()) {
      AddRoutes(reminder, &rows[found->second]);
      continue;
    }
    size_t index = rows.size();
    if (fold && reminder.working_days_left() < 0) {
      // The marks are part of the key: an escalation adds the owner, so it starts a new row.
      const std::string repeat =
          absl::StrCat(reminder.item(), "\n", reminder.kind(), "\n", reminder.deadline_date(), "\n",
                       ReminderMarks(reminder));
      index = by_repeat.emplace(repeat, index).first->second;
    }
    if (index == rows.size()) rows.emplace_back();
    rows[index].reminders.push_back(&reminder);
    AddRoutes(reminder, &rows[index]);
    by_reminder.emplace(same, index);
  }
  return rows;
}

// "daily" when folded repeats are one working day apart, "every 3 working days", else "".
std::string Cadence(const std::vector<const v1::Reminder*>& reminders) {
  const int step = reminders[0]->working_days_left() - reminders[1]->working_days_left();
  for (size_t i = 2; i < reminders.size(); ++i) {
    if (reminders[i - 1]->working_days_left() - reminders[i]->working_days_left() != step) {
      return "";
    }
  }
  if (step == 1) return "daily";
  if (step > 1) return absl::StrCat("every ", step, " working days");
  return "";
}

// The send date of `reminder` in its launch's zone.
std::string SendDate(const v1::Reminder& reminder, const RenderOptions& options) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(reminder.send_time().seconds()),
                          DisplayZone(LaunchOfItem(reminder.item()), options));
}

// The launch every entry's item belongs to, or "" when they are of several (or of none).
template <typename Entries>
std::string TheOneLaunch(const Entries& entries) {
  std::string launch;
  for (const auto& entry : entries) {
    // A weekly digest (no item) is the tenant's: it does not make a second launch.
    if (entry.item().empty()) continue;
    if (launch.empty()) launch = LaunchOfItem(entry.item());
    if (LaunchOfItem(entry.item()) != launch) return "";
  }
  return launch;
}

// "ICP_FILING" for "launches/l1/items/ICP_FILING".
std::string ItemCodeOf(absl::string_view item) {
  absl::StatusOr<api::ItemKey> key = api::ParseItemName(item, "item");
  return key.ok() ? key->code : std::string(item);
}

// `codes_only`: every reminder is about one launch, named above the table, so ITEM is the code.
std::vector<std::string> ReminderCells(const ReminderRow& row, const RenderOptions& options,
                                       bool codes_only, const std::string& only_launch) {
  const v1::Reminder& first = *row.reminders.front();
  // A weekly digest is about its tenant, and shown in the launch's zone in a dry run.
  const bool weekly = first.kind() == v1::REMINDER_KIND_WEEKLY_DIGEST;
  const std::string item = weekly       ? absl::StrCat("tenants/", first.tenant())
                           : codes_only ? ItemCodeOf(first.item())
                                        : first.item();
  const std::string zone_launch = weekly ? only_launch : LaunchOfItem(first.item());
  const std::string routes = OrNone(absl::StrJoin(row.routes, ", "));
  if (row.reminders.size() > 1) {
    // Folded: "2026-05-07 … 2026-05-22", "daily overdue ×12", "-3 … -14".
    const v1::Reminder& last = *row.reminders.back();
    const std::string cadence = Cadence(row.reminders);
    return {absl::StrCat(SendDate(first, options), " … ", SendDate(last, options)),
            item,
            absl::StrCat(cadence, cadence.empty() ? "" : " ", KindLabel(first.kind()), " ×",
                         row.reminders.size()),
            absl::StrCat(first.working_days_left(), " … ", last.working_days_left()),
            ReminderMarks(first),
            routes};
  }
  std::vector<std::string> cells = {FormatTime(first.send_time(), zone_launch, options), item,
                                    KindLabel(first.kind())};
  if (options.wide) {
    cells.push_back(OrNone(first.rung()));
    cells.push_back(OrNone(first.deadline_date()));
  }
  // A digest is about no deadline, so it has no days left to show.
  cells.push_back(weekly ? std::string(kNone) : absl::StrCat(first.working_days_left()));
  cells.push_back(ReminderMarks(first));
  cells.push_back(routes);
  if (options.wide) cells.push_back(OrNone(absl::StrJoin(row.reasons, ", ")));
  return cells;
}

// "retry 429 {...}": how the last attempt ended and what the provider said.
std::string LastAnswer(const v1::Delivery& delivery) {
  if (delivery.attempts().empty()) return std::string(kNone);
  const v1::DeliveryAttempt& last = *delivery.attempts().rbegin();
  std::vector<std::string> parts;
  if (!last.outcome().empty()) parts.push_back(last.outcome());
  if (last.http_status() != 0) parts.push_back(absl::StrCat(last.http_status()));
  if (!last.provider_answer().empty()) parts.push_back(last.provider_answer());
  return OrNone(absl::StrJoin(parts, " "));
}

std::string DeliveryMarks(const v1::Delivery& delivery, const RenderOptions& options) {
  std::vector<std::string> marks;
  if (delivery.late()) marks.push_back("late");
  if (delivery.urgent()) marks.push_back("urgent");
  if (!delivery.digest_key().empty()) marks.push_back("digest");
  if (delivery.state() == v1::DELIVERY_STATE_PENDING && IsSet(delivery.next_attempt_time())) {
    marks.push_back(absl::StrCat(
        "next ", FormatTime(delivery.next_attempt_time(), LaunchOfItem(delivery.item()), options)));
  }
  return absl::StrJoin(marks, ",");
}

// -o wide adds NAME, KIND, SUBJECT and DEDUP KEY (the key that makes a delivery happen once).
std::string DeliveryTable(const google::protobuf::RepeatedPtrField<v1::Delivery>& deliveries,
                          const RenderOptions& options) {
  const bool wide = options.wide;
  // Deliveries of one launch (--launch, --item): named once above, the items by code.
  const std::string only_launch = TheOneLaunch(deliveries);
  const bool codes_only = !only_launch.empty() && !wide;
  std::vector<std::string> headers;
  if (wide) headers.push_back("NAME");
  for (const char* header :
       {"TIME", "RECIPIENT", "CHANNEL", "STATE", "ATTEMPTS", codes_only ? "CODE" : "ITEM"}) {
    headers.push_back(header);
  }
  if (wide) headers.push_back("KIND");
  headers.push_back("RUNG");
  if (wide) headers.push_back("SUBJECT");
  headers.push_back("LAST ANSWER");
  headers.push_back("MARKS");
  if (wide) headers.push_back("DEDUP KEY");
  Table table(std::move(headers));
  table.SetShrinkable("LAST ANSWER");
  for (const v1::Delivery& delivery : deliveries) {
    const google::protobuf::Timestamp& time =
        IsSet(delivery.update_time()) ? delivery.update_time() : delivery.create_time();
    std::vector<std::string> row;
    if (wide) row.push_back(OrNone(delivery.name()));
    row.push_back(FormatTime(time, LaunchOfItem(delivery.item()), options));
    row.push_back(ShortRecipient(delivery.recipient()));
    row.push_back(ChannelLabel(delivery.channel()));
    row.push_back(StateLabel(delivery.state()));
    row.push_back(absl::StrCat(delivery.attempts_size()));
    row.push_back(OrNone(codes_only ? ItemCodeOf(delivery.item()) : delivery.item()));
    if (wide) row.push_back(KindLabel(delivery.kind()));
    row.push_back(OrNone(delivery.rung()));
    if (wide) row.push_back(OrNone(delivery.subject()));
    row.push_back(LastAnswer(delivery));
    row.push_back(DeliveryMarks(delivery, options));
    if (wide) row.push_back(OrNone(delivery.dedup_key()));
    table.AddRow(std::move(row));
  }
  const std::string about =
      codes_only && options.headers ? absl::StrCat("deliveries about ", only_launch, "\n") : "";
  return about + table.Render(options);
}

std::string ChannelText(const v1::RecipientChannel& channel) {
  std::string text = ChannelLabel(channel.type());
  if (!channel.target().empty()) absl::StrAppend(&text, "  ", channel.target());
  if (!channel.secret_ref().empty()) absl::StrAppend(&text, "  secret ", channel.secret_ref());
  return text;
}

std::string LanguageText(const std::string& language) {
  return language.empty() ? "zh+en" : language;
}

std::string AcknowledgedText(const v1::ItemReminderState& state) {
  if (state.acknowledged_version() == 0) return "no";
  if (state.item_version() > state.acknowledged_version()) {
    return absl::StrCat("at item version ", state.acknowledged_version(),
                        "; the item has changed since (version ", state.item_version(),
                        "), so its reminders run again");
  }
  return absl::StrCat("yes, at item version ", state.acknowledged_version(),
                      ": no reminders until the item changes");
}

}  // namespace

std::string LaunchOfItem(absl::string_view item) { return api::LaunchNameOfItem(item); }

std::string ChannelLabel(v1::ChannelType type) {
  return EnumLabel(v1::ChannelType_descriptor(), type, "CHANNEL_TYPE_");
}

// What each upcoming weekly digest says, per recipient and channel (a text the same for several
// routes once): its first kDigestPreviewLines lines, all of them with -o wide.
std::string WeeklyDigestTexts(const v1::ListRemindersResponse& response,
                              const RenderOptions& options) {
  constexpr size_t kDigestPreviewLines = 12;
  std::string out;
  for (const v1::Reminder& reminder : response.reminders()) {
    if (reminder.kind() != v1::REMINDER_KIND_WEEKLY_DIGEST) continue;
    std::vector<std::pair<std::string, std::vector<std::string>>> texts;  // text, routes
    for (const v1::Reminder::Route& route : reminder.routes()) {
      auto found = std::find_if(texts.begin(), texts.end(),
                                [&](const auto& text) { return text.first == route.text(); });
      if (found == texts.end()) found = texts.insert(texts.end(), {route.text(), {}});
      found->second.push_back(RouteText(route));
    }
    for (const auto& [text, routes] : texts) {
      absl::StrAppend(&out, "\nweekly digest ", reminder.deadline_date(), " to ",
                      absl::StrJoin(routes, ", "), " (", text.size(), " bytes):\n");
      const std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
      const size_t shown =
          options.wide ? lines.size() : std::min(lines.size(), kDigestPreviewLines);
      for (size_t i = 0; i < shown; ++i) absl::StrAppend(&out, "  ", lines[i], "\n");
      if (shown < lines.size()) {
        absl::StrAppend(&out, "  (", lines.size() - shown, " more lines; -o wide shows them)\n");
      }
    }
  }
  return out;
}

// -o wide adds RUNG, DEADLINE and REASONS (why each recipient gets it), and folds nothing.
std::string RenderReminders(const v1::ListRemindersResponse& response,
                            const RenderOptions& options) {
  if (response.reminders().empty() && response.next_page_token().empty()) {
    return Nothing("no reminders", options);
  }
  // A dry run is about one launch: say which once, and show item codes, so the routes keep room.
  const std::string only_launch = TheOneLaunch(response.reminders());
  const bool codes_only = !only_launch.empty() && !options.wide;
  std::vector<std::string> headers = {"SEND TIME", codes_only ? "CODE" : "ITEM", "KIND"};
  if (options.wide) {
    headers.push_back("RUNG");
    headers.push_back("DEADLINE");
  }
  for (const char* header : {"DAYS LEFT", "MARKS", "ROUTES"}) headers.push_back(header);
  if (options.wide) headers.push_back("REASONS");
  Table table(std::move(headers));
  table.SetShrinkable("ROUTES");
  table.SetShrinkable("REASONS");
  const std::vector<ReminderRow> rows = ReminderRows(response, !options.wide);
  int folded = 0;
  int folded_rows = 0;
  bool some_in_utc = false;
  for (const ReminderRow& row : rows) {
    if (row.reminders.size() > 1) {
      folded += static_cast<int>(row.reminders.size());
      ++folded_rows;
    }
    const v1::Reminder& first = *row.reminders.front();
    const std::string launch =
        first.kind() == v1::REMINDER_KIND_WEEKLY_DIGEST ? only_launch : LaunchOfItem(first.item());
    if (options.zones.find(launch) == options.zones.end()) some_in_utc = true;
    table.AddRow(ReminderCells(row, options, codes_only, only_launch));
  }
  std::string out;
  if (codes_only && options.headers) {
    const v1::Reminder& first = response.reminders(0);
    out =
        absl::StrCat("reminders of ", only_launch, first.launch_display_name().empty() ? "" : "  ",
                     first.launch_display_name(), "\n");
  }
  out += table.empty() ? "" : table.Render(options);
  if (!options.headers) return out;
  if (!response.reminders().empty()) {
    out += "\n";
    out += WrapToWidth(
        "DAYS LEFT in working days until the deadline (negative: overdue); urgent = sent at "
        "once, even to digest recipients; escalation = also to the launch owner; ROUTES "
        "recipient/channel, [digest] = in the morning digest",
        options.width);
  }
  out += WeeklyDigestTexts(response, options);
  if (folded > 0) {
    out += WrapToWidth(absl::StrCat(folded, " overdue reminders folded into ", folded_rows,
                                    folded_rows == 1 ? " row" : " rows",
                                    " (an item's repeats for one deadline); -o wide lists each"),
                       options.width);
  }
  if (some_in_utc && !options.utc) {
    out += WrapToWidth(
        "send times are in each launch's time zone; in UTC (Z) where it was not known (the "
        "checklist service did not answer)",
        options.width);
  }
  return out + MorePages(response.next_page_token(), options);
}

std::string RenderDeliveries(const v1::ListDeliveriesResponse& response,
                             const RenderOptions& options) {
  if (response.deliveries().empty() && response.next_page_token().empty()) {
    return Nothing("no deliveries", options);
  }
  std::string out =
      response.deliveries().empty() ? "" : DeliveryTable(response.deliveries(), options);
  return out + MorePages(response.next_page_token(), options);
}

std::string RenderTestNotification(const v1::SendTestNotificationResponse& response,
                                   const RenderOptions& options) {
  if (response.deliveries().empty()) return Nothing("no test message was sent", options);
  std::string out = DeliveryTable(response.deliveries(), options);
  if (!options.headers) return out;
  return absl::StrCat(out,
                      "\nthe ledger keeps these deliveries: `preflight deliveries list "
                      "--recipient=",
                      ShortRecipient(response.deliveries(0).recipient()), "`\n");
}

std::string RenderRecipient(const v1::Recipient& recipient, const RenderOptions& options) {
  std::string out = recipient.name();
  if (!recipient.display_name().empty()) absl::StrAppend(&out, "  ", recipient.display_name());
  out += "\n";
  Fields fields;
  fields.Add("tenant",
             recipient.tenant().empty() ? "any (reachable from every tenant)" : recipient.tenant());
  fields.Add("language", LanguageText(recipient.language()));
  fields.Add("digest",
             recipient.digest() ? "yes (non-urgent reminders in one morning message)" : "no");
  if (recipient.channels().empty()) {
    fields.Add("channels", "none");
  } else {
    for (int i = 0; i < recipient.channels_size(); ++i) {
      fields.Add(i == 0 ? "channels" : "",
                 absl::StrCat(i + 1, ". ", ChannelText(recipient.channels(i))));
    }
  }
  fields.Add("subscriptions", recipient.subscriptions().empty()
                                  ? "none"
                                  : absl::StrJoin(recipient.subscriptions(), ", "));
  if (!recipient.roles().empty()) {
    std::vector<std::string> roles;
    for (int role : recipient.roles()) {
      roles.push_back(role == v1::RECIPIENT_ROLE_MANAGER
                          ? "manager (gets the tenant's weekly digest)"
                          : EnumLabel(v1::RecipientRole_descriptor(), role, "RECIPIENT_ROLE_"));
    }
    fields.Add("roles", absl::StrJoin(roles, ", "));
  }
  // A recipient belongs to no launch: its times are in UTC.
  if (IsSet(recipient.create_time())) {
    fields.Add("created", FormatTimestamp(recipient.create_time()));
  }
  if (IsSet(recipient.update_time())) {
    fields.Add("updated", FormatTimestamp(recipient.update_time()));
  }
  fields.AddIfSet("etag", recipient.etag());
  return out + fields.Render();
}

// -o wide: CHANNELS with their targets.
std::string RenderRecipientList(const v1::ListRecipientsResponse& response,
                                const RenderOptions& options) {
  if (response.recipients().empty() && response.next_page_token().empty()) {
    return Nothing("no recipients", options);
  }
  Table table({"NAME", "DISPLAY NAME", "TENANT", "LANG", "DIGEST", "CHANNELS", "SUBSCRIPTIONS"});
  table.SetShrinkable("DISPLAY NAME");
  table.SetShrinkable("CHANNELS");
  table.SetShrinkable("SUBSCRIPTIONS");
  for (const v1::Recipient& recipient : response.recipients()) {
    std::vector<std::string> channels;
    for (const v1::RecipientChannel& channel : recipient.channels()) {
      std::string text = ChannelLabel(channel.type());
      if (options.wide && !channel.target().empty()) absl::StrAppend(&text, " ", channel.target());
      channels.push_back(std::move(text));
    }
    table.AddRow({recipient.name(), OrNone(recipient.display_name()),
                  recipient.tenant().empty() ? "(any)" : recipient.tenant(),
                  LanguageText(recipient.language()), recipient.digest() ? "yes" : "no",
                  OrNone(absl::StrJoin(channels, options.wide ? ", " : ",")),
                  OrNone(absl::StrJoin(recipient.subscriptions(), ","))});
  }
  std::string out = response.recipients().empty() ? "" : table.Render(options);
  return out + MorePages(response.next_page_token(), options);
}

std::string RenderDeletedRecipient(absl::string_view name) {
  return absl::StrCat("deleted ", name, "\n");
}

std::string RenderItemReminderState(const v1::ItemReminderState& state,
                                    const RenderOptions& options) {
  const std::string launch = LaunchOfItem(state.item());
  std::string out = absl::StrCat(state.item(), "\n");
  Fields fields;
  fields.Add("snoozed until", IsSet(state.snoozed_until())
                                  ? FormatTime(state.snoozed_until(), launch, options)
                                  : std::string("not snoozed"));
  fields.Add("acknowledged", AcknowledgedText(state));
  fields.Add("next send", IsSet(state.next_send_time())
                              ? FormatTime(state.next_send_time(), launch, options)
                              : std::string("none scheduled"));
  return out + fields.Render();
}

std::string RenderInbox(const v1::ListInboxMessagesResponse& response,
                        const RenderOptions& options) {
  if (response.messages().empty() && response.next_page_token().empty()) {
    return Nothing("no messages", options);
  }
  std::string out;
  for (const v1::InboxMessage& message : response.messages()) {
    if (!out.empty()) out += "\n";
    // In the zone of the launch the reminder was about; a test message's in UTC.
    absl::StrAppend(&out, message.name(), "  ",
                    FormatTime(message.create_time(), LaunchOfItem(message.item()), options), "  ",
                    OrNone(message.delivery()), "\n");
    if (!message.subject().empty()) absl::StrAppend(&out, "  ", OneLine(message.subject()), "\n");
    const absl::string_view body = absl::StripTrailingAsciiWhitespace(message.body());
    if (body.empty()) continue;
    for (absl::string_view line : absl::StrSplit(body, '\n')) {
      line = absl::StripTrailingAsciiWhitespace(line);
      absl::StrAppend(&out, line.empty() ? "" : "  ", line, "\n");
    }
  }
  const std::string more = MorePages(response.next_page_token(), options);
  if (!more.empty()) absl::StrAppend(&out, out.empty() ? "" : "\n", more);
  return out;
}

std::string RenderSubscriptionStatus(const v1::SubscriptionStatus& status,
                                     const RenderOptions& options) {
  Fields fields;
  fields.Add("checklist", absl::StrCat(OrNone(status.checklist_address()), "  ",
                                       status.connected() ? "connected" : "NOT CONNECTED"));
  const int64_t behind = status.checklist_sequence() - status.applied_sequence();
  fields.Add("applied", absl::StrCat("event ", status.applied_sequence(),
                                     behind > 0 ? absl::StrCat(" (", behind, " behind)") : ""));
  // Events of every launch: UTC.
  fields.Add("last event", FormatTimestamp(status.last_event_time()));
  fields.Add("reconnects", absl::StrCat(status.reconnects()));
  if (status.cursor_refused()) {
    fields.Add("REFUSED",
               "the checklist's log no longer holds the events applied (restored from a "
               "backup): restore the notifier from the same backup, or restart it once with "
               "--resync_event_log (docs/operations.md)");
  }
  fields.AddIfSet("last error", OneLine(status.last_error()));
  return fields.Render();
}

}  // namespace preflight::cli
