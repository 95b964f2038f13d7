#pragma once

// Turns reminders into messages a person reads: Chinese, English, or both in one message. The
// same content comes as plain text, Markdown and a JSON object for machine receivers.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/working_calendar.h"
#include "notifier-service/domain/model.h"

namespace preflight::notifier {

struct RenderedMessage {
  // One line.
  std::string subject;
  // Plain text, UTF-8.
  std::string text;
  // The same content in Markdown (bold labels).
  std::string markdown;
  // A JSON object (text).
  std::string data_json;
};

// One reminder inside a digest.
struct DigestEntry {
  LaunchInfo launch;
  ItemInfo item;
  Rung rung;
  bool late = false;
};

// A reminder about one item. `language` is "zh", "en", or anything else (normally "") for both
// languages, Chinese first. The body names the launch, the item (both titles), what is due when,
// the next step for the rung's kind, the slack left (working days, calendar days for renewals)
// and the holidays before the deadline, whether the count rests on an unannounced holiday
// schedule, "late" and "escalated to the owner" notes, and the item's resource name. `calendar`
// is the one the rung was planned on; times are shown in the launch's zone (kDefaultTimeZone when
// it names none).
RenderedMessage RenderReminder(const LaunchInfo& launch, const ItemInfo& item, const Rung& rung,
                               absl::string_view language, bool late,
                               const WorkingCalendar& calendar);

// Several reminders for one person in one message: the counts, then one line per reminder,
// urgent ones first (most urgent first, see MoreUrgent).
RenderedMessage RenderDigest(const std::vector<DigestEntry>& entries, absl::string_view language);

// The message SendTestNotification sends over `channel_name` (e.g. "wecom").
RenderedMessage RenderTestMessage(absl::string_view recipient_display_name,
                                  absl::string_view channel_name, absl::string_view language);

}  // namespace preflight::notifier
