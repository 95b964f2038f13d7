#pragma once

// Human-readable rendering of NotifierService responses, drawn as their RenderOptions say.

#include <string>

#include "absl/strings/string_view.h"
#include "cli/render.h"
#include "cli/render_options.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::cli {

// "launches/l1" for "launches/l1/items/ICP_FILING"; empty when `item` names no launch.
std::string LaunchOfItem(absl::string_view item);

// "wecom" for CHANNEL_TYPE_WECOM.
std::string ChannelLabel(v1::ChannelType type);

// `reminders list` and `reminders dry-run`: one row per reminder in the server's order, its
// routes merged; the overdue repeats of an item (same kind and deadline) folded into one row
// ("daily overdue ×12"). Send times are in the launch's zone from options.zones, else in UTC
// (and a footnote says so).
std::string RenderReminders(const v1::ListRemindersResponse& response,
                            const RenderOptions& options);
// `deliveries list`: one row per delivery, newest first as the server sent them.
std::string RenderDeliveries(const v1::ListDeliveriesResponse& response,
                             const RenderOptions& options);
// `notify test`: the deliveries the test made.
std::string RenderTestNotification(const v1::SendTestNotificationResponse& response,
                                   const RenderOptions& options);
// One recipient, field by field (show, create, update).
std::string RenderRecipient(const v1::Recipient& recipient, const RenderOptions& options);
std::string RenderRecipientList(const v1::ListRecipientsResponse& response,
                                const RenderOptions& options);
// After `recipients delete`.
std::string RenderDeletedRecipient(absl::string_view name);
// After `reminders snooze` and `reminders ack`; times in the item's launch's zone.
std::string RenderItemReminderState(const v1::ItemReminderState& state,
                                    const RenderOptions& options);
std::string RenderInbox(const v1::ListInboxMessagesResponse& response,
                        const RenderOptions& options);
std::string RenderSubscriptionStatus(const v1::SubscriptionStatus& status,
                                     const RenderOptions& options);

}  // namespace preflight::cli
