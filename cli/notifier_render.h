#pragma once

// Human-readable rendering of NotifierService responses (--json prints them with ToJson).

#include <functional>
#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::cli {

// Time zones by launch name ("launches/l1"): reminder send times are shown in their launch's zone.
using LaunchZones = std::map<std::string, absl::TimeZone, std::less<>>;

// "launches/l1" for "launches/l1/items/ICP_FILING"; empty when `item` names no launch.
std::string LaunchOfItem(absl::string_view item);

// "wecom" for CHANNEL_TYPE_WECOM.
std::string ChannelLabel(v1::ChannelType type);

// "2026-05-06 09:00 +08:00": a time in `zone`, to the minute, with its UTC offset; "-" if unset.
std::string FormatTimeInZone(const google::protobuf::Timestamp& ts, absl::TimeZone zone);

// `reminders list` and `reminders dry-run`: one row per reminder, sorted as the server sent them.
// Send times are in the launch's zone from `zones`, else in UTC (and a footnote says so).
std::string RenderReminders(const v1::ListRemindersResponse& response, const LaunchZones& zones);
// `deliveries list`: one row per delivery, newest first as the server sent them.
std::string RenderDeliveries(const v1::ListDeliveriesResponse& response);
// `notify test`: the deliveries the test made.
std::string RenderTestNotification(const v1::SendTestNotificationResponse& response);
// One recipient, field by field (show, create, update).
std::string RenderRecipient(const v1::Recipient& recipient);
std::string RenderRecipientList(const v1::ListRecipientsResponse& response);
// After `recipients delete`.
std::string RenderDeletedRecipient(absl::string_view name);
// After `reminders snooze` and `reminders ack`.
std::string RenderItemReminderState(const v1::ItemReminderState& state);
std::string RenderInbox(const v1::ListInboxMessagesResponse& response);
std::string RenderSubscriptionStatus(const v1::SubscriptionStatus& status);

}  // namespace preflight::cli
