#include "cli/notifier_render.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/render.h"
#include "common/api/resource_names.h"

namespace preflight::cli {
namespace {

constexpr absl::string_view kNone = "-";
// Provider answers can be whole HTML error pages; the full text is in --json.
constexpr int kMaxAnswerWidth = 60;

std::string OrNone(const std::string& text) { return text.empty() ? std::string(kNone) : text; }

// "li.na" for "recipients/li.na"; a tenant's recipient keeps its whole name.
std::string ShortRecipient(absl::string_view name) {
  absl::StatusOr<api::RecipientKey> key = api::ParseRecipientName(name, "recipient");
  if (key.ok() && key->tenant.empty()) return key->id;
  return std::string(name);
}

std::string KindLabel(v1::ReminderKind kind) {
  return EnumLabel(v1::ReminderKind_descriptor(), kind, "REMINDER_KIND_");
}

std::string StateLabel(v1::DeliveryState state) {
  return EnumLabel(v1::DeliveryState_descriptor(), state, "DELIVERY_STATE_");
}

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

// `text` on one line: a table cell must not break the row.
std::string OneLine(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

std::string MorePages(const std::string& token) {
  return absl::StrCat("more: --page_token=", token, " (or --all)\n");
}

std::string RouteText(const v1::Reminder::Route& route) {
  return absl::StrCat(ShortRecipient(route.recipient()), "/", ChannelLabel(route.channel()),
                      route.digest() ? "[digest]" : "");
}

// "retry 429 {...}": how the last attempt ended and what the provider said.
std::string LastAnswer(const v1::Delivery& delivery) {
  if (delivery.attempts().empty()) return std::string(kNone);
  const v1::DeliveryAttempt& last = *delivery.attempts().rbegin();
  std::vector<std::string> parts;
  if (!last.outcome().empty()) parts.push_back(last.outcome());
  if (last.http_status() != 0) parts.push_back(absl::StrCat(last.http_status()));
  if (!last.provider_answer().empty()) parts.push_back(OneLine(last.provider_answer()));
  return TruncateToWidth(OrNone(absl::StrJoin(parts, " ")), kMaxAnswerWidth);
}

std::string DeliveryMarks(const v1::Delivery& delivery) {
  std::vector<std::string> marks;
  if (delivery.late()) marks.push_back("late");
  if (delivery.urgent()) marks.push_back("urgent");
  if (!delivery.digest_key().empty()) marks.push_back("digest");
  if (delivery.state() == v1::DELIVERY_STATE_PENDING && IsSet(delivery.next_attempt_time())) {
    marks.push_back(absl::StrCat("next ", FormatTimestamp(delivery.next_attempt_time())));
  }
  return absl::StrJoin(marks, ",");
}

std::string DeliveryTable(const google::protobuf::RepeatedPtrField<v1::Delivery>& deliveries) {
  Table table({"TIME", "RECIPIENT", "CHANNEL", "STATE", "ATTEMPTS", "ITEM", "RUNG", "LAST ANSWER",
               "MARKS"});
  for (const v1::Delivery& delivery : deliveries) {
    const google::protobuf::Timestamp& time =
        IsSet(delivery.update_time()) ? delivery.update_time() : delivery.create_time();
    table.AddRow({FormatTimestamp(time), ShortRecipient(delivery.recipient()),
                  ChannelLabel(delivery.channel()), StateLabel(delivery.state()),
                  absl::StrCat(delivery.attempts_size()), OrNone(delivery.item()),
                  OrNone(delivery.rung()), LastAnswer(delivery), DeliveryMarks(delivery)});
  }
  return table.Render();
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

std::string FormatTimeInZone(const google::protobuf::Timestamp& ts, absl::TimeZone zone) {
  if (!IsSet(ts)) return std::string(kNone);
  return absl::FormatTime("%Y-%m-%d %H:%M %Ez", absl::FromUnixSeconds(ts.seconds()), zone);
}

std::string RenderReminders(const v1::ListRemindersResponse& response, const LaunchZones& zones) {
  if (response.reminders().empty() && response.next_page_token().empty()) return "no reminders\n";
  Table table({"SEND TIME", "ITEM", "KIND", "RUNG", "DAYS LEFT", "MARKS", "ROUTES"});
  bool some_in_utc = false;
  for (const v1::Reminder& reminder : response.reminders()) {
    auto zone = zones.find(LaunchOfItem(reminder.item()));
    if (zone == zones.end()) some_in_utc = true;
    std::vector<std::string> marks;
    if (reminder.urgent()) marks.push_back("urgent");
    if (reminder.escalation()) marks.push_back("escalation");
    std::vector<std::string> routes;
    for (const v1::Reminder::Route& route : reminder.routes()) routes.push_back(RouteText(route));
    table.AddRow({FormatTimeInZone(reminder.send_time(),
                                   zone == zones.end() ? absl::UTCTimeZone() : zone->second),
                  reminder.item(), KindLabel(reminder.kind()), OrNone(reminder.rung()),
                  absl::StrCat(reminder.working_days_left()), absl::StrJoin(marks, ","),
                  OrNone(absl::StrJoin(routes, ", "))});
  }
  std::string out = table.Render();
  if (!response.reminders().empty()) {
    absl::StrAppend(&out,
                    "\nDAYS LEFT in working days until the deadline (negative: overdue); "
                    "urgent = sent at once, even to digest recipients; escalation = also to the "
                    "launch owner; ROUTES recipient/channel, [digest] = in the morning digest\n");
  }
  if (some_in_utc) {
    absl::StrAppend(&out,
                    "send times are in each launch's time zone; +00:00 where it was not known "
                    "(the checklist service did not answer)\n");
  }
  if (!response.next_page_token().empty()) out += MorePages(response.next_page_token());
  return out;
}

std::string RenderDeliveries(const v1::ListDeliveriesResponse& response) {
  if (response.deliveries().empty() && response.next_page_token().empty()) {
    return "no deliveries\n";
  }
  std::string out = DeliveryTable(response.deliveries());
  if (!response.next_page_token().empty()) out += MorePages(response.next_page_token());
  return out;
}

std::string RenderTestNotification(const v1::SendTestNotificationResponse& response) {
  if (response.deliveries().empty()) return "no test message was sent\n";
  return absl::StrCat(DeliveryTable(response.deliveries()),
                      "\nthe ledger keeps these deliveries: `preflight deliveries list "
                      "--recipient=",
                      ShortRecipient(response.deliveries(0).recipient()), "`\n");
}

std::string RenderRecipient(const v1::Recipient& recipient) {
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
  if (IsSet(recipient.create_time())) {
    fields.Add("created", FormatTimestamp(recipient.create_time()));
  }
  if (IsSet(recipient.update_time())) {
    fields.Add("updated", FormatTimestamp(recipient.update_time()));
  }
  fields.AddIfSet("etag", recipient.etag());
  return out + fields.Render();
}

std::string RenderRecipientList(const v1::ListRecipientsResponse& response) {
  if (response.recipients().empty() && response.next_page_token().empty()) {
    return "no recipients\n";
  }
  Table table({"NAME", "DISPLAY NAME", "TENANT", "LANG", "DIGEST", "CHANNELS", "SUBSCRIPTIONS"});
  for (const v1::Recipient& recipient : response.recipients()) {
    std::vector<std::string> channels;
    for (const v1::RecipientChannel& channel : recipient.channels()) {
      channels.push_back(ChannelLabel(channel.type()));
    }
    table.AddRow({recipient.name(), OrNone(recipient.display_name()),
                  recipient.tenant().empty() ? "(any)" : recipient.tenant(),
                  LanguageText(recipient.language()), recipient.digest() ? "yes" : "no",
                  OrNone(absl::StrJoin(channels, ",")),
                  OrNone(absl::StrJoin(recipient.subscriptions(), ","))});
  }
  std::string out = table.Render();
  if (!response.next_page_token().empty()) out += MorePages(response.next_page_token());
  return out;
}

std::string RenderDeletedRecipient(absl::string_view name) {
  return absl::StrCat("deleted ", name, "\n");
}

std::string RenderItemReminderState(const v1::ItemReminderState& state) {
  std::string out = absl::StrCat(state.item(), "\n");
  Fields fields;
  fields.Add("snoozed until", IsSet(state.snoozed_until()) ? FormatTimestamp(state.snoozed_until())
                                                           : std::string("not snoozed"));
  fields.Add("acknowledged", AcknowledgedText(state));
  fields.Add("next send", IsSet(state.next_send_time()) ? FormatTimestamp(state.next_send_time())
                                                        : std::string("none scheduled"));
  return out + fields.Render();
}

std::string RenderInbox(const v1::ListInboxMessagesResponse& response) {
  if (response.messages().empty() && response.next_page_token().empty()) return "no messages\n";
  std::string out;
  for (const v1::InboxMessage& message : response.messages()) {
    if (!out.empty()) out += "\n";
    absl::StrAppend(&out, message.name(), "  ", FormatTimestamp(message.create_time()), "  ",
                    OrNone(message.delivery()), "\n");
    if (!message.subject().empty()) absl::StrAppend(&out, "  ", OneLine(message.subject()), "\n");
    const absl::string_view body = absl::StripTrailingAsciiWhitespace(message.body());
    if (body.empty()) continue;
    for (absl::string_view line : absl::StrSplit(body, '\n')) {
      line = absl::StripTrailingAsciiWhitespace(line);
      absl::StrAppend(&out, line.empty() ? "" : "  ", line, "\n");
    }
  }
  if (!response.next_page_token().empty()) {
    absl::StrAppend(&out, out.empty() ? "" : "\n", MorePages(response.next_page_token()));
  }
  return out;
}

std::string RenderSubscriptionStatus(const v1::SubscriptionStatus& status) {
  Fields fields;
  fields.Add("checklist", absl::StrCat(OrNone(status.checklist_address()), "  ",
                                       status.connected() ? "connected" : "NOT CONNECTED"));
  const int64_t behind = status.checklist_sequence() - status.applied_sequence();
  fields.Add("applied", absl::StrCat("event ", status.applied_sequence(),
                                     behind > 0 ? absl::StrCat(" (", behind, " behind)") : ""));
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
