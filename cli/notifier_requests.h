#pragma once

// Turns a parsed notifier command line into the NotifierService request it stands for. As in
// requests.h, errors are usage errors (INVALID_ARGUMENT) and only what the client must decide is
// checked here: names, enum spellings, numbers, durations and times it has to convert, a
// non-empty update. Everything else (ranges, languages, subscription names, channel targets)
// goes to the server unchanged, so its validation and messages are the single source of truth.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cli/command_line.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::cli {

// "recipients/ID" and "tenants/TENANT/recipients/ID" stay as they are; a bare "ID" becomes
// "recipients/ID".
std::string RecipientName(absl::string_view argument);

// An item written as one word, "launches/ID/items/CODE" or "ID/items/CODE". `what` names the
// input in the error message, e.g. "ITEM" or "--item".
absl::StatusOr<std::string> ItemNameFromText(absl::string_view text, absl::string_view what);

// The item named by a command's positional arguments: one word as above, or LAUNCH CODE as two
// (like `item update`).
absl::StatusOr<std::string> ItemNameFromArguments(const std::vector<std::string>& arguments);

// Enum values as the CLI spells them ("wecom", "dead_lettered"); UNSPECIFIED is refused.
absl::StatusOr<v1::ChannelType> ParseChannelType(absl::string_view text);
absl::StatusOr<v1::DeliveryState> ParseDeliveryState(absl::string_view text);

// "TYPE[:TARGET[#SECRET_REF]]", e.g. "inbox", "email:li.na@example.com" or
// "dingtalk:https://oapi.dingtalk.com/robot/send?access_token=x#env:DINGTALK_SECRET". TARGET ends
// at the first "#" (a URL fragment is never sent to the server anyway); the secret reference is
// kept as written, since it names where the secret is and is not the secret itself.
absl::StatusOr<v1::RecipientChannel> ParseChannelSpec(absl::string_view text);

// A positive duration written as whole numbers of days, hours, minutes and seconds, largest
// first: "90m", "2h", "3d", "1d12h".
absl::StatusOr<absl::Duration> ParseSnoozeDuration(absl::string_view text);

// An RFC 3339 time with its UTC offset ("2026-05-08T09:00:00+08:00", "...Z"); the seconds may be
// left out and a space may stand for the "T".
absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view text);

absl::StatusOr<v1::ListRemindersRequest> BuildListRemindersRequest(const Invocation& invocation);
// `reminders dry-run LAUNCH`: the listing for that one launch.
absl::StatusOr<v1::ListRemindersRequest> BuildDryRunRequest(const Invocation& invocation);
// Exactly one of --for and --until.
absl::StatusOr<v1::SnoozeReminderRequest> BuildSnoozeReminderRequest(const Invocation& invocation);
absl::StatusOr<v1::AcknowledgeReminderRequest> BuildAcknowledgeReminderRequest(
    const Invocation& invocation);
absl::StatusOr<v1::ListDeliveriesRequest> BuildListDeliveriesRequest(const Invocation& invocation);
absl::StatusOr<v1::CreateRecipientRequest> BuildCreateRecipientRequest(
    const Invocation& invocation);
absl::StatusOr<v1::ListRecipientsRequest> BuildListRecipientsRequest(const Invocation& invocation);
v1::GetRecipientRequest BuildGetRecipientRequest(const Invocation& invocation);
// The update mask holds exactly the fields whose flags were given; --channel and --subscribe
// replace the whole list.
absl::StatusOr<v1::UpdateRecipientRequest> BuildUpdateRecipientRequest(
    const Invocation& invocation);
v1::DeleteRecipientRequest BuildDeleteRecipientRequest(const Invocation& invocation);
absl::StatusOr<v1::SendTestNotificationRequest> BuildSendTestNotificationRequest(
    const Invocation& invocation);
absl::StatusOr<v1::ListInboxMessagesRequest> BuildListInboxMessagesRequest(
    const Invocation& invocation);

}  // namespace preflight::cli
