#include "cli/notifier_requests.h"

#include <cstdint>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli/requests.h"
#include "common/api/resource_names.h"

namespace preflight::cli {
namespace {

absl::Status Usage(absl::string_view message) { return absl::InvalidArgumentError(message); }

// Paging fields shared by the list requests.
template <typename Request>
absl::Status FillPaging(const Invocation& invocation, Request* request) {
  int32_t page_size = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "page_size", &page_size); !s.ok()) return s;
  request->set_page_size(page_size);
  request->set_page_token(invocation.Get("page_token"));
  return absl::OkStatus();
}

// The --launch filter as a launch name; empty when not given (an empty value is no filter).
std::string LaunchFilter(const Invocation& invocation) {
  const std::string launch = invocation.Get("launch");
  return launch.empty() ? "" : LaunchName(launch);
}

std::string RecipientFilter(const Invocation& invocation) {
  const std::string recipient = invocation.Get("recipient");
  return recipient.empty() ? "" : RecipientName(recipient);
}

// Every --channel value as a channel; empty values are skipped (`--channel=` on update).
absl::Status FillChannels(const Invocation& invocation, v1::Recipient* recipient) {
  for (const std::string& spec : invocation.GetAll("channel")) {
    if (spec.empty()) continue;
    absl::StatusOr<v1::RecipientChannel> channel = ParseChannelSpec(spec);
    if (!channel.ok()) return channel.status();
    *recipient->add_channels() = *std::move(channel);
  }
  return absl::OkStatus();
}

void FillSubscriptions(const Invocation& invocation, v1::Recipient* recipient) {
  for (const std::string& subscription : invocation.GetAll("subscribe")) {
    if (!subscription.empty()) recipient->add_subscriptions(subscription);
  }
}

// --role=manager, repeatable; an empty value clears (on update).
absl::Status FillRoles(const Invocation& invocation, v1::Recipient* recipient) {
  for (const std::string& role : invocation.GetAll("role")) {
    if (role.empty()) continue;
    if (role != "manager") {
      return Usage(absl::StrCat("--role: unknown role '", role,
                                "' (manager: gets the tenant's weekly digest)"));
    }
    recipient->add_roles(v1::RECIPIENT_ROLE_MANAGER);
  }
  return absl::OkStatus();
}

}  // namespace

std::string RecipientName(absl::string_view argument) {
  return api::RecipientNameFromShorthand(argument);
}

absl::StatusOr<std::string> ItemNameFromText(absl::string_view text, absl::string_view what) {
  std::optional<std::string> name = api::ItemNameFromShorthand(WithItemCodeUpperCase(text));
  if (!name) {
    return Usage(
        absl::StrCat(what, " must be launches/ID/items/CODE (or LAUNCH CODE), got '", text, "'"));
  }
  return *std::move(name);
}

absl::StatusOr<std::string> ItemNameFromArguments(const std::vector<std::string>& arguments) {
  if (arguments.size() == 1) return ItemNameFromText(arguments[0], "ITEM");
  if (api::MentionsItem(arguments[0])) {
    return Usage(absl::StrCat("give the item as launches/ID/items/CODE or as LAUNCH CODE, not '",
                              arguments[0], " ", arguments[1], "'"));
  }
  return api::ItemNameFromShorthand(arguments[0], ItemCode(arguments[1]));
}

absl::StatusOr<v1::ChannelType> ParseChannelType(absl::string_view text) {
  absl::StatusOr<int> value =
      ParseEnumFlag(v1::ChannelType_descriptor(), "CHANNEL_TYPE_", "channel", text);
  if (!value.ok()) return value.status();
  return static_cast<v1::ChannelType>(*value);
}

absl::StatusOr<v1::DeliveryState> ParseDeliveryState(absl::string_view text) {
  absl::StatusOr<int> value =
      ParseEnumFlag(v1::DeliveryState_descriptor(), "DELIVERY_STATE_", "state", text);
  if (!value.ok()) return value.status();
  return static_cast<v1::DeliveryState>(*value);
}

absl::StatusOr<v1::RecipientChannel> ParseChannelSpec(absl::string_view text) {
  const size_t colon = text.find(':');
  const absl::string_view type = text.substr(0, colon);
  v1::RecipientChannel channel;
  absl::StatusOr<v1::ChannelType> parsed = ParseChannelType(type);
  if (!parsed.ok()) {
    return Usage(
        absl::StrCat(parsed.status().message(), "; --channel is TYPE[:TARGET[#SECRET_REF]]"));
  }
  channel.set_type(*parsed);
  if (colon == absl::string_view::npos) return channel;
  const absl::string_view rest = text.substr(colon + 1);
  const size_t hash = rest.find('#');
  channel.set_target(std::string(rest.substr(0, hash)));
  if (hash != absl::string_view::npos) channel.set_secret_ref(std::string(rest.substr(hash + 1)));
  return channel;
}

absl::StatusOr<absl::Duration> ParseSnoozeDuration(absl::string_view text) {
  const auto bad = [&] {
    return Usage(
        absl::StrCat("--for expects a duration such as 90m, 2h, 3d or 1d12h, got '", text, "'"));
  };
  struct Unit {
    char letter;
    absl::Duration length;
  };
  static constexpr Unit kUnits[] = {{'d', absl::Hours(24)},
                                    {'h', absl::Hours(1)},
                                    {'m', absl::Minutes(1)},
                                    {'s', absl::Seconds(1)}};
  absl::Duration total;
  size_t next_unit = 0;  // units must come largest first, each at most once
  size_t pos = 0;
  if (text.empty()) return bad();
  while (pos < text.size()) {
    int64_t number = 0;
    size_t digits = 0;
    while (pos < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[pos]))) {
      // Nine digits are more than any snooze needs and cannot overflow.
      if (++digits > 9) return bad();
      number = number * 10 + (text[pos++] - '0');
    }
    if (digits == 0 || pos == text.size()) return bad();
    const char letter = absl::ascii_tolower(static_cast<unsigned char>(text[pos++]));
    while (next_unit < std::size(kUnits) && kUnits[next_unit].letter != letter) ++next_unit;
    if (next_unit == std::size(kUnits)) return bad();
    total += number * kUnits[next_unit++].length;
  }
  if (total <= absl::ZeroDuration()) return bad();
  return total;
}

absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view text) {
  static constexpr const char* kFormats[] = {
      "%Y-%m-%d%ET%H:%M:%E*S%Ez",
      "%Y-%m-%d%ET%H:%M%Ez",
      "%Y-%m-%d %H:%M:%E*S%Ez",
      "%Y-%m-%d %H:%M%Ez",
  };
  // The reminder table prints "2026-05-08 09:00 +08:00": a space before the offset is accepted
  // so that a time can be copied from it.
  std::string normalised(text);
  const size_t space = normalised.size() >= 7 ? normalised.size() - 7 : std::string::npos;
  if (space != std::string::npos && normalised[space] == ' ' &&
      (normalised[space + 1] == '+' || normalised[space + 1] == '-')) {
    normalised.erase(space, 1);
  }
  for (const char* format : kFormats) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, normalised, &time, &error)) return time;
  }
  return Usage(
      absl::StrCat("--until expects an RFC 3339 time such as 2026-05-08T09:00:00+08:00, "
                   "got '",
                   text, "'"));
}

absl::StatusOr<v1::ListRemindersRequest> BuildListRemindersRequest(const Invocation& invocation) {
  v1::ListRemindersRequest request;
  int32_t days = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "days", &days); !s.ok()) return s;
  request.set_days(days);
  request.set_tenant(invocation.Get("tenant"));
  request.set_launch(LaunchFilter(invocation));
  request.set_recipient(RecipientFilter(invocation));
  if (absl::Status s = FillPaging(invocation, &request); !s.ok()) return s;
  return request;
}

absl::StatusOr<v1::ListRemindersRequest> BuildDryRunRequest(const Invocation& invocation) {
  v1::ListRemindersRequest request;
  int32_t days = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "days", &days); !s.ok()) return s;
  request.set_days(days);
  request.set_launch(LaunchName(invocation.arguments[0]));
  return request;
}

absl::StatusOr<v1::SnoozeReminderRequest> BuildSnoozeReminderRequest(const Invocation& invocation) {
  v1::SnoozeReminderRequest request;
  absl::StatusOr<std::string> item = ItemNameFromArguments(invocation.arguments);
  if (!item.ok()) return item.status();
  request.set_item(*std::move(item));
  if (invocation.Has("for") == invocation.Has("until")) {
    return Usage("'reminders snooze' needs one of --for=DURATION and --until=TIME");
  }
  if (invocation.Has("for")) {
    absl::StatusOr<absl::Duration> duration = ParseSnoozeDuration(invocation.Get("for"));
    if (!duration.ok()) return duration.status();
    request.mutable_snooze_for()->set_seconds(absl::ToInt64Seconds(*duration));
  } else {
    absl::StatusOr<absl::Time> until = ParseRfc3339(invocation.Get("until"));
    if (!until.ok()) return until.status();
    const absl::Duration since_epoch = *until - absl::UnixEpoch();
    const int64_t seconds = absl::ToInt64Seconds(absl::Floor(since_epoch, absl::Seconds(1)));
    request.mutable_snooze_until()->set_seconds(seconds);
    request.mutable_snooze_until()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(since_epoch - absl::Seconds(seconds))));
  }
  return request;
}

absl::StatusOr<v1::AcknowledgeReminderRequest> BuildAcknowledgeReminderRequest(
    const Invocation& invocation) {
  v1::AcknowledgeReminderRequest request;
  absl::StatusOr<std::string> item = ItemNameFromArguments(invocation.arguments);
  if (!item.ok()) return item.status();
  request.set_item(*std::move(item));
  return request;
}

absl::StatusOr<v1::ListDeliveriesRequest> BuildListDeliveriesRequest(const Invocation& invocation) {
  v1::ListDeliveriesRequest request;
  request.set_tenant(invocation.Get("tenant"));
  request.set_launch(LaunchFilter(invocation));
  if (const std::string item = invocation.Get("item"); !item.empty()) {
    absl::StatusOr<std::string> name = ItemNameFromText(item, "--item");
    if (!name.ok()) return name.status();
    request.set_item(*std::move(name));
  }
  request.set_recipient(RecipientFilter(invocation));
  if (invocation.Has("state")) {
    absl::StatusOr<v1::DeliveryState> state = ParseDeliveryState(invocation.Get("state"));
    if (!state.ok()) return state.status();
    request.set_state(*state);
  }
  if (invocation.Has("channel")) {
    absl::StatusOr<v1::ChannelType> channel = ParseChannelType(invocation.Get("channel"));
    if (!channel.ok()) return channel.status();
    request.set_channel(*channel);
  }
  if (absl::Status s = FillPaging(invocation, &request); !s.ok()) return s;
  return request;
}

absl::StatusOr<v1::CreateRecipientRequest> BuildCreateRecipientRequest(
    const Invocation& invocation) {
  v1::CreateRecipientRequest request;
  v1::Recipient* recipient = request.mutable_recipient();
  recipient->set_name(RecipientName(invocation.arguments[0]));
  recipient->set_tenant(invocation.Get("tenant"));
  recipient->set_display_name(invocation.Get("display_name"));
  recipient->set_language(invocation.Get("language"));
  if (absl::Status s = FillChannels(invocation, recipient); !s.ok()) return s;
  recipient->set_digest(invocation.GetBool("digest"));
  FillSubscriptions(invocation, recipient);
  if (absl::Status s = FillRoles(invocation, recipient); !s.ok()) return s;
  return request;
}

absl::StatusOr<v1::ListRecipientsRequest> BuildListRecipientsRequest(const Invocation& invocation) {
  v1::ListRecipientsRequest request;
  request.set_tenant(invocation.Get("tenant"));
  if (absl::Status s = FillPaging(invocation, &request); !s.ok()) return s;
  return request;
}

v1::GetRecipientRequest BuildGetRecipientRequest(const Invocation& invocation) {
  v1::GetRecipientRequest request;
  request.set_name(RecipientName(invocation.arguments[0]));
  return request;
}

absl::StatusOr<v1::UpdateRecipientRequest> BuildUpdateRecipientRequest(
    const Invocation& invocation) {
  v1::UpdateRecipientRequest request;
  v1::Recipient* recipient = request.mutable_recipient();
  recipient->set_name(RecipientName(invocation.arguments[0]));
  std::vector<std::string> paths;
  if (invocation.Has("display_name")) {
    recipient->set_display_name(invocation.Get("display_name"));
    paths.emplace_back("display_name");
  }
  if (invocation.Has("language")) {
    recipient->set_language(invocation.Get("language"));
    paths.emplace_back("language");
  }
  if (invocation.Has("channel")) {
    if (absl::Status s = FillChannels(invocation, recipient); !s.ok()) return s;
    paths.emplace_back("channels");
  }
  if (invocation.Has("digest")) {
    recipient->set_digest(invocation.GetBool("digest"));
    paths.emplace_back("digest");
  }
  if (invocation.Has("subscribe")) {
    FillSubscriptions(invocation, recipient);
    paths.emplace_back("subscriptions");
  }
  if (invocation.Has("role")) {
    if (absl::Status s = FillRoles(invocation, recipient); !s.ok()) return s;
    paths.emplace_back("roles");
  }
  if (paths.empty()) {
    return Usage(
        "'recipients update' changes nothing: give at least one field flag, e.g. --channel");
  }
  for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
  request.set_etag(invocation.Get("etag"));
  return request;
}

v1::DeleteRecipientRequest BuildDeleteRecipientRequest(const Invocation& invocation) {
  v1::DeleteRecipientRequest request;
  request.set_name(RecipientName(invocation.arguments[0]));
  request.set_etag(invocation.Get("etag"));
  return request;
}

absl::StatusOr<v1::SendTestNotificationRequest> BuildSendTestNotificationRequest(
    const Invocation& invocation) {
  v1::SendTestNotificationRequest request;
  request.set_recipient(RecipientName(invocation.arguments[0]));
  if (invocation.Has("channel")) {
    absl::StatusOr<v1::ChannelType> channel = ParseChannelType(invocation.Get("channel"));
    if (!channel.ok()) return channel.status();
    request.set_channel(*channel);
  }
  return request;
}

absl::StatusOr<v1::ListInboxMessagesRequest> BuildListInboxMessagesRequest(
    const Invocation& invocation) {
  v1::ListInboxMessagesRequest request;
  request.set_recipient(RecipientName(invocation.arguments[0]));
  if (absl::Status s = FillPaging(invocation, &request); !s.ok()) return s;
  return request;
}

}  // namespace preflight::cli
