#include "notifier-service/grpc/notifier_proto_mapping.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/etag.h"
#include "common/api/tenant_id.h"
#include "common/civil_date.h"
#include "common/crypto.h"
#include "common/error_text.h"
#include "google/protobuf/util/time_util.h"
#include "notifier-service/domain/url_safety.h"

namespace preflight::notifier {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int32_t kNanosPerSecond = 1'000'000'000;

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

std::string DateText(const absl::CivilDay& day) { return FormatCivilDay(day); }

// Bots render Markdown; the other channels send the plain text.
bool RendersMarkdown(ChannelType type) {
  return type == ChannelType::kWecom || type == ChannelType::kDingtalk ||
         type == ChannelType::kFeishu || type == ChannelType::kSlack;
}

// Channels whose target is a URL that may hold a key.
bool TakesUrl(ChannelType type) { return type == ChannelType::kWebhook || RendersMarkdown(type); }

std::string ItemTitle(const ItemInfo& item) {
  if (item.title_zh.empty()) return item.title_en;
  if (item.title_en.empty() || item.title_en == item.title_zh) return item.title_zh;
  return absl::StrCat(item.title_zh, " ", item.title_en);
}

}  // namespace

// ---- Resource names ---------------------------------------------------------------------------

std::string ItemNameOrEmpty(absl::string_view launch_id, absl::string_view code) {
  if (launch_id.empty() || code.empty()) return std::string();
  return api::ItemName(launch_id, code);
}

// ---- Times --------------------------------------------------------------------------------------

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  // ToUnixSeconds rounds towards the past, so the nanos are never negative.
  const int64_t seconds = absl::ToUnixSeconds(time);
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return timestamp;
}

absl::StatusOr<absl::Time> FromTimestamp(const google::protobuf::Timestamp& timestamp,
                                         absl::string_view field) {
  if (timestamp.seconds() < TimeUtil::kTimestampMinSeconds ||
      timestamp.seconds() > TimeUtil::kTimestampMaxSeconds || timestamp.nanos() < 0 ||
      timestamp.nanos() >= kNanosPerSecond) {
    return Invalid(field, "not a valid timestamp (0001-01-01 to 9999-12-31, nanos 0..999999999)");
  }
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

absl::StatusOr<absl::Duration> FromDurationProto(const google::protobuf::Duration& duration,
                                                 absl::string_view field) {
  const int64_t seconds = duration.seconds();
  const int32_t nanos = duration.nanos();
  if (seconds < TimeUtil::kDurationMinSeconds || seconds > TimeUtil::kDurationMaxSeconds ||
      nanos <= -kNanosPerSecond || nanos >= kNanosPerSecond || (seconds > 0 && nanos < 0) ||
      (seconds < 0 && nanos > 0)) {
    return Invalid(field, "not a valid duration");
  }
  return absl::Seconds(seconds) + absl::Nanoseconds(nanos);
}

// ---- Enums --------------------------------------------------------------------------------------

v1::ChannelType ToProto(ChannelType type) {
  switch (type) {
    case ChannelType::kLog:
      return v1::CHANNEL_TYPE_LOG;
    case ChannelType::kInbox:
      return v1::CHANNEL_TYPE_INBOX;
    case ChannelType::kWebhook:
      return v1::CHANNEL_TYPE_WEBHOOK;
    case ChannelType::kWecom:
      return v1::CHANNEL_TYPE_WECOM;
    case ChannelType::kDingtalk:
      return v1::CHANNEL_TYPE_DINGTALK;
    case ChannelType::kFeishu:
      return v1::CHANNEL_TYPE_FEISHU;
    case ChannelType::kSlack:
      return v1::CHANNEL_TYPE_SLACK;
    case ChannelType::kEmail:
      return v1::CHANNEL_TYPE_EMAIL;
  }
  return v1::CHANNEL_TYPE_UNSPECIFIED;
}

v1::DeliveryState ToProto(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return v1::DELIVERY_STATE_PENDING;
    case DeliveryState::kSending:
      return v1::DELIVERY_STATE_SENDING;
    case DeliveryState::kDelivered:
      return v1::DELIVERY_STATE_DELIVERED;
    case DeliveryState::kDeadLettered:
      return v1::DELIVERY_STATE_DEAD_LETTERED;
    case DeliveryState::kOutcomeUnknown:
      return v1::DELIVERY_STATE_OUTCOME_UNKNOWN;
    case DeliveryState::kCancelled:
      return v1::DELIVERY_STATE_CANCELLED;
  }
  return v1::DELIVERY_STATE_UNSPECIFIED;
}

v1::ReminderKind ToProto(RungKind kind) {
  switch (kind) {
    case RungKind::kBeforeStart:
      return v1::REMINDER_KIND_BEFORE_START;
    case RungKind::kBeforeDue:
      return v1::REMINDER_KIND_BEFORE_DUE;
    case RungKind::kOverdue:
      return v1::REMINDER_KIND_OVERDUE;
    case RungKind::kPostLaunch:
      return v1::REMINDER_KIND_POST_LAUNCH;
    case RungKind::kRenewal:
      return v1::REMINDER_KIND_RENEWAL;
    case RungKind::kTest:
      return v1::REMINDER_KIND_TEST;
    case RungKind::kWeeklyDigest:
      return v1::REMINDER_KIND_WEEKLY_DIGEST;
  }
  return v1::REMINDER_KIND_UNSPECIFIED;
}

absl::StatusOr<ChannelType> ChannelTypeFromProto(int type, absl::string_view field) {
  if (type == v1::CHANNEL_TYPE_UNSPECIFIED) return Invalid(field, "required");
  absl::StatusOr<std::optional<ChannelType>> parsed = OptionalChannelTypeFromProto(type, field);
  if (!parsed.ok()) return parsed.status();
  return **parsed;
}

absl::StatusOr<std::optional<ChannelType>> OptionalChannelTypeFromProto(int type,
                                                                        absl::string_view field) {
  switch (type) {
    case v1::CHANNEL_TYPE_UNSPECIFIED:
      return std::optional<ChannelType>();
    case v1::CHANNEL_TYPE_LOG:
      return ChannelType::kLog;
    case v1::CHANNEL_TYPE_INBOX:
      return ChannelType::kInbox;
    case v1::CHANNEL_TYPE_WEBHOOK:
      return ChannelType::kWebhook;
    case v1::CHANNEL_TYPE_WECOM:
      return ChannelType::kWecom;
    case v1::CHANNEL_TYPE_DINGTALK:
      return ChannelType::kDingtalk;
    case v1::CHANNEL_TYPE_FEISHU:
      return ChannelType::kFeishu;
    case v1::CHANNEL_TYPE_SLACK:
      return ChannelType::kSlack;
    case v1::CHANNEL_TYPE_EMAIL:
      return ChannelType::kEmail;
  }
  return Invalid(field, absl::StrCat("unknown channel type ", type));
}

absl::StatusOr<std::optional<DeliveryState>> OptionalDeliveryStateFromProto(
    int state, absl::string_view field) {
  switch (state) {
    case v1::DELIVERY_STATE_UNSPECIFIED:
      return std::optional<DeliveryState>();
    case v1::DELIVERY_STATE_PENDING:
      return DeliveryState::kPending;
    case v1::DELIVERY_STATE_SENDING:
      return DeliveryState::kSending;
    case v1::DELIVERY_STATE_DELIVERED:
      return DeliveryState::kDelivered;
    case v1::DELIVERY_STATE_DEAD_LETTERED:
      return DeliveryState::kDeadLettered;
    case v1::DELIVERY_STATE_OUTCOME_UNKNOWN:
      return DeliveryState::kOutcomeUnknown;
    case v1::DELIVERY_STATE_CANCELLED:
      return DeliveryState::kCancelled;
  }
  return Invalid(field, absl::StrCat("unknown delivery state ", state));
}

// ---- Messages -----------------------------------------------------------------------------------

v1::RecipientChannel ToProto(const RecipientChannel& channel) {
  v1::RecipientChannel out;
  out.set_type(ToProto(channel.type));
  out.set_target(TakesUrl(channel.type) ? RedactUrl(channel.target) : channel.target);
  out.set_secret_ref(channel.secret_ref);
  return out;
}

absl::StatusOr<RecipientChannel> RecipientChannelFromProto(const v1::RecipientChannel& channel,
                                                           absl::string_view field) {
  absl::StatusOr<ChannelType> type =
      ChannelTypeFromProto(channel.type(), absl::StrCat(field, ".type"));
  if (!type.ok()) return type.status();
  RecipientChannel out;
  out.type = *type;
  out.target = channel.target();
  out.secret_ref = channel.secret_ref();
  return out;
}

v1::Recipient ToProto(const Recipient& recipient) {
  v1::Recipient out;
  const std::string name = api::RecipientName(recipient.tenant, recipient.id);
  out.set_name(name);
  out.set_tenant(recipient.tenant);
  out.set_display_name(recipient.display_name);
  out.set_language(recipient.language);
  for (const RecipientChannel& channel : recipient.channels) {
    *out.add_channels() = ToProto(channel);
  }
  for (RecipientRole role : recipient.roles) {
    switch (role) {
      case RecipientRole::kManager:
        out.add_roles(v1::RECIPIENT_ROLE_MANAGER);
        break;
    }
  }
  out.set_digest(recipient.digest);
  for (const std::string& subscription : recipient.subscriptions) {
    out.add_subscriptions(subscription);
  }
  *out.mutable_create_time() = ToTimestamp(recipient.create_time);
  *out.mutable_update_time() = ToTimestamp(recipient.update_time);
  out.set_etag(api::MakeEtag(name, recipient.version));
  return out;
}

namespace {

absl::StatusOr<std::vector<RecipientChannel>> ChannelsFromProto(const v1::Recipient& recipient) {
  std::vector<RecipientChannel> channels;
  for (int i = 0; i < recipient.channels_size(); ++i) {
    absl::StatusOr<RecipientChannel> channel = RecipientChannelFromProto(
        recipient.channels(i), absl::StrCat("recipient.channels[", i, "]"));
    if (!channel.ok()) return channel.status();
    channels.push_back(*std::move(channel));
  }
  return channels;
}

absl::StatusOr<std::vector<RecipientRole>> RolesFromProto(const v1::Recipient& recipient,
                                                          absl::string_view field) {
  std::vector<RecipientRole> roles;
  for (int i = 0; i < recipient.roles_size(); ++i) {
    const std::string at = absl::StrCat(field, "[", i, "]");
    RecipientRole role;
    switch (recipient.roles(i)) {
      case v1::RECIPIENT_ROLE_MANAGER:
        role = RecipientRole::kManager;
        break;
      case v1::RECIPIENT_ROLE_UNSPECIFIED:
        return Invalid(at, "required (RECIPIENT_ROLE_MANAGER)");
      default:
        return Invalid(at, absl::StrCat("unknown role ", recipient.roles(i)));
    }
    if (std::find(roles.begin(), roles.end(), role) != roles.end()) {
      return Invalid(at, absl::StrCat(RecipientRoleName(role), " named twice"));
    }
    roles.push_back(role);
  }
  return roles;
}

}  // namespace

absl::StatusOr<Recipient> NewRecipientFromProto(const v1::Recipient& recipient) {
  absl::StatusOr<api::RecipientKey> name =
      api::ParseRecipientName(recipient.name(), "recipient.name");
  if (!name.ok()) return name.status();
  if (!name->tenant.empty() && !recipient.tenant().empty() && recipient.tenant() != name->tenant) {
    return Invalid("recipient.tenant",
                   absl::StrCat(QuoteForError(recipient.tenant()), " is not the tenant of ",
                                QuoteForError(recipient.name()), " (leave it empty, or say ",
                                name->tenant, ")"));
  }
  absl::StatusOr<std::vector<RecipientChannel>> channels = ChannelsFromProto(recipient);
  if (!channels.ok()) return channels.status();
  Recipient out;
  out.id = std::move(name->id);
  out.tenant = name->tenant.empty() ? recipient.tenant() : name->tenant;
  out.display_name = recipient.display_name();
  out.language = recipient.language();
  out.channels = *std::move(channels);
  out.digest = recipient.digest();
  out.subscriptions.assign(recipient.subscriptions().begin(), recipient.subscriptions().end());
  absl::StatusOr<std::vector<RecipientRole>> roles = RolesFromProto(recipient, "recipient.roles");
  if (!roles.ok()) return roles.status();
  out.roles = *std::move(roles);
  return out;
}

absl::Status ApplyRecipientMask(const v1::Recipient& patch, const google::protobuf::FieldMask& mask,
                                Recipient& current) {
  static const std::set<absl::string_view> kPaths = {"display_name", "language",      "channels",
                                                     "digest",       "subscriptions", "roles"};
  // An empty mask is refused rather than read as "everything", so nothing is wiped by accident.
  if (mask.paths_size() == 0) return Invalid("update_mask", "required: name the fields to change");
  std::set<absl::string_view> seen;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    const std::string field = absl::StrCat("update_mask.paths[", i, "]");
    if (kPaths.count(path) == 0) {
      return Invalid(field, absl::StrCat("unknown or immutable field ", QuoteForError(path),
                                         " (allowed: ", absl::StrJoin(kPaths, ", "), ")"));
    }
    if (!seen.insert(path).second) {
      return Invalid(field, absl::StrCat(QuoteForError(path), " named twice"));
    }
  }
  Recipient updated = current;
  if (seen.count("display_name")) updated.display_name = patch.display_name();
  if (seen.count("language")) updated.language = patch.language();
  if (seen.count("digest")) updated.digest = patch.digest();
  if (seen.count("roles")) {
    absl::StatusOr<std::vector<RecipientRole>> roles = RolesFromProto(patch, "recipient.roles");
    if (!roles.ok()) return roles.status();
    updated.roles = *std::move(roles);
  }
  if (seen.count("subscriptions")) {
    updated.subscriptions.assign(patch.subscriptions().begin(), patch.subscriptions().end());
  }
  if (seen.count("channels")) {
    absl::StatusOr<std::vector<RecipientChannel>> channels = ChannelsFromProto(patch);
    if (!channels.ok()) return channels.status();
    // Answers carry redacted URLs; one sent back unchanged keeps the stored URL and its key.
    for (RecipientChannel& channel : *channels) {
      if (!TakesUrl(channel.type) || !absl::StrContains(channel.target, kRedacted)) continue;
      for (const RecipientChannel& stored : current.channels) {
        if (stored.type == channel.type && IsRedactedFormOf(channel.target, stored.target)) {
          channel.target = stored.target;
          break;
        }
      }
    }
    updated.channels = *std::move(channels);
  }
  current = std::move(updated);
  return absl::OkStatus();
}

v1::DeliveryAttempt ToProto(const DeliveryAttempt& attempt) {
  v1::DeliveryAttempt out;
  out.set_attempt(attempt.attempt);
  *out.mutable_time() = ToTimestamp(attempt.time);
  out.set_outcome(attempt.outcome);
  out.set_http_status(attempt.http_status);
  // Rows written before redaction existed are redacted on the way out too.
  out.set_provider_answer(RedactSecrets(attempt.provider_answer));
  return out;
}

v1::Delivery ToProto(const Delivery& delivery) {
  v1::Delivery out;
  out.set_name(api::DeliveryName(delivery.id));
  out.set_dedup_key(delivery.dedup_key);
  out.set_tenant(delivery.tenant);
  out.set_item(ItemNameOrEmpty(delivery.launch_id, delivery.item_code));
  out.set_rung(delivery.rung_id);
  out.set_kind(ToProto(delivery.kind));
  out.set_recipient(api::RecipientName(delivery.recipient_tenant, delivery.recipient_id));
  out.set_channel(ToProto(delivery.channel));
  out.set_state(ToProto(delivery.state));
  out.set_subject(delivery.subject);
  out.set_body(RendersMarkdown(delivery.channel) && !delivery.markdown.empty() ? delivery.markdown
                                                                               : delivery.text);
  out.set_late(delivery.late);
  out.set_urgent(delivery.urgent);
  // A delivery sent on its own carries its own dedup key as unit key: that is no digest.
  if (!delivery.unit_key.empty() && delivery.unit_key != delivery.dedup_key) {
    out.set_digest_key(delivery.unit_key);
  }
  for (const DeliveryAttempt& attempt : delivery.history) *out.add_attempts() = ToProto(attempt);
  *out.mutable_create_time() = ToTimestamp(delivery.create_time);
  *out.mutable_next_attempt_time() = ToTimestamp(delivery.next_attempt_time);
  *out.mutable_update_time() = ToTimestamp(delivery.update_time);
  return out;
}

v1::Reminder ToProto(const ForecastEntry& entry) {
  v1::Reminder out;
  out.set_item(ItemNameOrEmpty(entry.item.launch_id, entry.item.code));
  out.set_tenant(entry.launch.tenant);
  out.set_launch_display_name(entry.launch.display_name);
  out.set_item_title(ItemTitle(entry.item));
  out.set_rung(entry.rung.id);
  out.set_kind(ToProto(entry.rung.kind));
  out.set_deadline_date(DateText(entry.rung.deadline));
  out.set_working_days_left(entry.rung.days_left);
  *out.mutable_send_time() = ToTimestamp(entry.send_time);
  out.set_urgent(entry.rung.urgent);
  out.set_escalation(entry.rung.escalation);
  for (const Route& route : entry.routes) {
    v1::Reminder::Route* out_route = out.add_routes();
    out_route->set_recipient(api::RecipientName(route.recipient.tenant, route.recipient.id));
    out_route->set_channel(ToProto(route.channel.type));
    out_route->set_reason(route.reason);
    out_route->set_digest(route.digest);
    out_route->set_text(route.text);
  }
  return out;
}

v1::ItemReminderState ToProto(const ItemRecord& record) {
  v1::ItemReminderState out;
  out.set_item(ItemNameOrEmpty(record.info.launch_id, record.info.code));
  if (record.snoozed_until.has_value()) {
    *out.mutable_snoozed_until() = ToTimestamp(*record.snoozed_until);
  }
  out.set_acknowledged_version(record.acknowledged_version);
  out.set_item_version(record.info.version);
  if (record.next_check_time.has_value()) {
    *out.mutable_next_send_time() = ToTimestamp(*record.next_check_time);
  }
  return out;
}

v1::InboxMessage ToProto(const InboxMessage& message) {
  v1::InboxMessage out;
  out.set_name(api::InboxMessageName(message.recipient_tenant, message.recipient_id, message.id));
  out.set_recipient(api::RecipientName(message.recipient_tenant, message.recipient_id));
  if (message.delivery_id > 0) out.set_delivery(api::DeliveryName(message.delivery_id));
  out.set_subject(message.subject);
  out.set_body(message.body);
  *out.mutable_create_time() = ToTimestamp(message.create_time);
  if (!message.launch_id.empty() && !message.item_code.empty()) {
    out.set_item(api::ItemName(message.launch_id, message.item_code));
  }
  return out;
}

}  // namespace preflight::notifier
