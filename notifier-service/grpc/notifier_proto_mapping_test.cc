#include "notifier-service/grpc/notifier_proto_mapping.h"

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/api/etag.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::StatusMessage;

absl::Time Utc(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

TEST(NotifierNamesTest, ItemNameOrEmptyIsEmptyForTestDeliveries) {
  EXPECT_EQ(ItemNameOrEmpty("shop", "ICP_FILING"), "launches/shop/items/ICP_FILING");
  EXPECT_EQ(ItemNameOrEmpty("", ""), "");
  EXPECT_EQ(ItemNameOrEmpty("shop", ""), "");
}

TEST(NotifierTimeTest, TimestampsRoundTripWithNanos) {
  const absl::Time t = Utc(2026, 3, 2, 1, 30) + absl::Nanoseconds(123456789);
  const google::protobuf::Timestamp ts = ToTimestamp(t);
  EXPECT_EQ(ts.nanos(), 123456789);
  absl::StatusOr<absl::Time> back = FromTimestamp(ts, "t");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, t);
  // Before 1970 the nanos stay positive, as the proto requires.
  const google::protobuf::Timestamp old = ToTimestamp(absl::UnixEpoch() - absl::Milliseconds(1));
  EXPECT_EQ(old.seconds(), -1);
  EXPECT_EQ(old.nanos(), 999000000);

  google::protobuf::Timestamp bad;
  bad.set_nanos(-1);
  EXPECT_THAT(StatusMessage(FromTimestamp(bad, "snooze_until").status()),
              StartsWith("snooze_until: "));
  bad.set_nanos(0);
  bad.set_seconds(253402300800LL);
  EXPECT_FALSE(FromTimestamp(bad, "snooze_until").ok());
}

TEST(NotifierTimeTest, DurationsNeedConsistentSigns) {
  google::protobuf::Duration d;
  d.set_seconds(90);
  d.set_nanos(500000000);
  absl::StatusOr<absl::Duration> parsed = FromDurationProto(d, "snooze_for");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, absl::Milliseconds(90500));
  d.set_seconds(-1);
  EXPECT_THAT(StatusMessage(FromDurationProto(d, "snooze_for").status()),
              StartsWith("snooze_for: "));
  d.set_seconds(0);
  d.set_nanos(-5);
  parsed = FromDurationProto(d, "snooze_for");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, absl::Nanoseconds(-5));
}

TEST(NotifierEnumTest, ChannelTypesRoundTrip) {
  for (int value = 1; value <= 8; ++value) {
    absl::StatusOr<ChannelType> type = ChannelTypeFromProto(value, "type");
    ASSERT_TRUE(type.ok()) << value;
    EXPECT_EQ(static_cast<int>(ToProto(*type)), value);
  }
  EXPECT_EQ(ToProto(ChannelType::kWecom), v1::CHANNEL_TYPE_WECOM);
  EXPECT_THAT(StatusMessage(ChannelTypeFromProto(0, "channels[0].type").status()),
              StartsWith("channels[0].type: required"));
  EXPECT_THAT(StatusMessage(ChannelTypeFromProto(9, "type").status()), HasSubstr("unknown"));
  absl::StatusOr<std::optional<ChannelType>> none = OptionalChannelTypeFromProto(0, "channel");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(OptionalChannelTypeFromProto(-1, "channel").ok());
}

TEST(NotifierEnumTest, DeliveryStatesAndKindsMatchTheProto) {
  for (int value = 1; value <= 6; ++value) {
    absl::StatusOr<std::optional<DeliveryState>> state =
        OptionalDeliveryStateFromProto(value, "state");
    ASSERT_TRUE(state.ok() && state->has_value()) << value;
    EXPECT_EQ(static_cast<int>(ToProto(**state)), value);
  }
  EXPECT_FALSE(OptionalDeliveryStateFromProto(7, "state").ok());
  EXPECT_EQ(ToProto(DeliveryState::kDeadLettered), v1::DELIVERY_STATE_DEAD_LETTERED);
  EXPECT_EQ(ToProto(RungKind::kBeforeStart), v1::REMINDER_KIND_BEFORE_START);
  EXPECT_EQ(ToProto(RungKind::kOverdue), v1::REMINDER_KIND_OVERDUE);
  EXPECT_EQ(ToProto(RungKind::kRenewal), v1::REMINDER_KIND_RENEWAL);
  EXPECT_EQ(ToProto(RungKind::kTest), v1::REMINDER_KIND_TEST);
}

TEST(NotifierRecipientMappingTest, ToProtoCarriesEverythingAndSecretReferencesAsGiven) {
  Recipient recipient;
  recipient.id = "li.na";
  recipient.tenant = "acme";
  recipient.display_name = "Li Na";
  recipient.language = "zh";
  recipient.channels = {{ChannelType::kWebhook, "https://hooks.example.com/x", "env:HOOK_KEY"},
                        {ChannelType::kInbox, "", ""}};
  recipient.digest = true;
  recipient.subscriptions = {"tenants/acme"};
  recipient.version = 5;
  recipient.create_time = Utc(2026, 3, 1);
  recipient.update_time = Utc(2026, 3, 2);

  const v1::Recipient proto = ToProto(recipient);
  EXPECT_EQ(proto.name(), "tenants/acme/recipients/li.na");
  EXPECT_EQ(proto.tenant(), "acme");
  EXPECT_EQ(proto.display_name(), "Li Na");
  EXPECT_EQ(proto.language(), "zh");
  ASSERT_EQ(proto.channels_size(), 2);
  EXPECT_EQ(proto.channels(0).type(), v1::CHANNEL_TYPE_WEBHOOK);
  EXPECT_EQ(proto.channels(0).target(), "https://hooks.example.com/x");
  EXPECT_EQ(proto.channels(0).secret_ref(), "env:HOOK_KEY");
  EXPECT_EQ(proto.channels(1).type(), v1::CHANNEL_TYPE_INBOX);
  EXPECT_TRUE(proto.digest());
  EXPECT_THAT(proto.subscriptions(), ElementsAre("tenants/acme"));
  EXPECT_EQ(proto.create_time().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 1)));
  EXPECT_EQ(proto.update_time().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 2)));
  EXPECT_EQ(proto.etag(), api::MakeEtag("tenants/acme/recipients/li.na", 5));

  absl::StatusOr<Recipient> back = NewRecipientFromProto(proto);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->id, "li.na");
  EXPECT_EQ(back->tenant, "acme");
  EXPECT_EQ(back->channels, recipient.channels);
  EXPECT_EQ(back->subscriptions, recipient.subscriptions);
  EXPECT_TRUE(back->digest);
}

TEST(NotifierRecipientMappingTest, NewRecipientNamesTheBadField) {
  v1::Recipient proto;
  EXPECT_THAT(StatusMessage(NewRecipientFromProto(proto).status()),
              StartsWith("recipient.name: required"));
  proto.set_name("recipients/li.na");
  proto.add_channels()->set_type(v1::CHANNEL_TYPE_LOG);
  proto.add_channels();  // type unset
  EXPECT_THAT(StatusMessage(NewRecipientFromProto(proto).status()),
              StartsWith("recipient.channels[1].type: required"));
}

TEST(NotifierRecipientMappingTest, MaskAppliesOnlyTheNamedFields) {
  Recipient current;
  current.id = "li.na";
  current.tenant = "acme";
  current.display_name = "Li Na";
  current.language = "zh";
  current.channels = {{ChannelType::kLog, "", ""}};
  current.version = 2;

  v1::Recipient patch;
  patch.set_display_name("Na Li");
  patch.set_language("en");
  patch.set_digest(true);
  patch.set_tenant("other");
  v1::RecipientChannel* channel = patch.add_channels();
  channel->set_type(v1::CHANNEL_TYPE_EMAIL);
  channel->set_target("li.na@acme.cn");
  patch.add_subscriptions("launches/shop");

  google::protobuf::FieldMask mask;
  mask.add_paths("language");
  mask.add_paths("channels");
  Recipient updated = current;
  ASSERT_TRUE(ApplyRecipientMask(patch, mask, updated).ok());
  EXPECT_EQ(updated.display_name, "Li Na");
  EXPECT_EQ(updated.language, "en");
  EXPECT_FALSE(updated.digest);
  EXPECT_EQ(updated.tenant, "acme");
  EXPECT_TRUE(updated.subscriptions.empty());
  ASSERT_EQ(updated.channels.size(), 1u);
  EXPECT_EQ(updated.channels[0].type, ChannelType::kEmail);
  EXPECT_EQ(updated.channels[0].target, "li.na@acme.cn");
  EXPECT_EQ(updated.version, 2);

  mask.Clear();
  mask.add_paths("display_name");
  mask.add_paths("digest");
  mask.add_paths("subscriptions");
  ASSERT_TRUE(ApplyRecipientMask(patch, mask, updated).ok());
  EXPECT_EQ(updated.display_name, "Na Li");
  EXPECT_TRUE(updated.digest);
  EXPECT_THAT(updated.subscriptions, ElementsAre("launches/shop"));
}

TEST(NotifierRecipientMappingTest, MaskErrorsLeaveTheRecipientAlone) {
  Recipient current;
  current.id = "li.na";
  current.display_name = "Li Na";
  v1::Recipient patch;
  patch.set_display_name("changed");
  patch.add_channels();  // type unset: invalid

  google::protobuf::FieldMask mask;
  absl::Status status = ApplyRecipientMask(patch, mask, current);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(StatusMessage(status), StartsWith("update_mask: required"));

  mask.add_paths("display_name");
  mask.add_paths("tenant");
  status = ApplyRecipientMask(patch, mask, current);
  EXPECT_THAT(StatusMessage(status),
              StartsWith("update_mask.paths[1]: unknown or immutable field"));

  mask.Clear();
  mask.add_paths("digest");
  mask.add_paths("digest");
  EXPECT_THAT(StatusMessage(ApplyRecipientMask(patch, mask, current)), HasSubstr("named twice"));

  mask.Clear();
  mask.add_paths("display_name");
  mask.add_paths("channels");
  EXPECT_THAT(StatusMessage(ApplyRecipientMask(patch, mask, current)),
              StartsWith("recipient.channels[0].type: required"));
  EXPECT_EQ(current.display_name, "Li Na");
}

Delivery SampleDelivery() {
  Delivery delivery;
  delivery.id = 12;
  delivery.dedup_key = "shop/ICP/due:2026-03-12:-3/li.na/wecom";
  delivery.tenant = "acme";
  delivery.launch_id = "shop";
  delivery.item_code = "ICP";
  delivery.rung_id = "due:2026-03-12:-3";
  delivery.kind = RungKind::kBeforeDue;
  delivery.recipient_id = "li.na";
  delivery.channel = ChannelType::kWecom;
  delivery.state = DeliveryState::kDelivered;
  delivery.subject = "subject";
  delivery.text = "plain";
  delivery.markdown = "**md**";
  delivery.late = true;
  delivery.urgent = false;
  delivery.unit_key = delivery.dedup_key;
  delivery.create_time = Utc(2026, 3, 9, 1, 30);
  delivery.next_attempt_time = Utc(2026, 3, 9, 1, 30);
  delivery.update_time = Utc(2026, 3, 9, 1, 31);
  delivery.history = {{1, Utc(2026, 3, 9, 1, 30), "retry", 429, "{\"errcode\":45009}"},
                      {2, Utc(2026, 3, 9, 1, 31), "delivered", 200, "{\"errcode\":0}"}};
  return delivery;
}

TEST(NotifierDeliveryMappingTest, MapsTheLedgerEntry) {
  const v1::Delivery proto = ToProto(SampleDelivery());
  EXPECT_EQ(proto.name(), "deliveries/12");
  EXPECT_EQ(proto.dedup_key(), "shop/ICP/due:2026-03-12:-3/li.na/wecom");
  EXPECT_EQ(proto.tenant(), "acme");
  EXPECT_EQ(proto.item(), "launches/shop/items/ICP");
  EXPECT_EQ(proto.rung(), "due:2026-03-12:-3");
  EXPECT_EQ(proto.kind(), v1::REMINDER_KIND_BEFORE_DUE);
  EXPECT_EQ(proto.recipient(), "recipients/li.na");
  EXPECT_EQ(proto.channel(), v1::CHANNEL_TYPE_WECOM);
  EXPECT_EQ(proto.state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(proto.subject(), "subject");
  // WeCom renders Markdown.
  EXPECT_EQ(proto.body(), "**md**");
  EXPECT_TRUE(proto.late());
  EXPECT_FALSE(proto.urgent());
  // Sent on its own: no digest.
  EXPECT_EQ(proto.digest_key(), "");
  ASSERT_EQ(proto.attempts_size(), 2);
  EXPECT_EQ(proto.attempts(0).attempt(), 1);
  EXPECT_EQ(proto.attempts(0).outcome(), "retry");
  EXPECT_EQ(proto.attempts(0).http_status(), 429);
  EXPECT_EQ(proto.attempts(0).provider_answer(), "{\"errcode\":45009}");
  EXPECT_EQ(proto.attempts(1).time().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 9, 1, 31)));
  EXPECT_EQ(proto.create_time().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 9, 1, 30)));
  EXPECT_EQ(proto.update_time().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 9, 1, 31)));
}

TEST(NotifierDeliveryMappingTest, DigestKeyAndPlainChannelsAndTestDeliveries) {
  Delivery delivery = SampleDelivery();
  delivery.unit_key = "digest:abc";
  delivery.channel = ChannelType::kEmail;
  v1::Delivery proto = ToProto(delivery);
  EXPECT_EQ(proto.digest_key(), "digest:abc");
  EXPECT_EQ(proto.body(), "plain");

  delivery.launch_id.clear();
  delivery.item_code.clear();
  delivery.kind = RungKind::kTest;
  proto = ToProto(delivery);
  EXPECT_EQ(proto.item(), "");
  EXPECT_EQ(proto.kind(), v1::REMINDER_KIND_TEST);
}

TEST(NotifierForecastMappingTest, MapsEntryAndRoutes) {
  ForecastEntry entry;
  entry.launch.launch_id = "shop";
  entry.launch.tenant = "acme";
  entry.launch.display_name = "Acme Shop";
  entry.item.launch_id = "shop";
  entry.item.code = "ICP_FILING";
  entry.item.title_en = "ICP filing";
  entry.item.title_zh = "ICP 备案";
  entry.rung.id = "overdue:2026-03-12:+4";
  entry.rung.kind = RungKind::kOverdue;
  entry.rung.deadline = absl::CivilDay(2026, 3, 12);
  entry.rung.days_left = -4;
  entry.rung.urgent = true;
  entry.rung.escalation = true;
  entry.send_time = Utc(2026, 3, 18, 1, 30);
  Route assignee;
  assignee.recipient.id = "li.na";
  assignee.channel.type = ChannelType::kInbox;
  assignee.reason = "assignee";
  Route owner;
  owner.recipient.id = "wang.wei";
  owner.channel.type = ChannelType::kDingtalk;
  owner.reason = "owner";
  owner.digest = true;
  entry.routes = {assignee, owner};

  const v1::Reminder proto = ToProto(entry);
  EXPECT_EQ(proto.item(), "launches/shop/items/ICP_FILING");
  EXPECT_EQ(proto.tenant(), "acme");
  EXPECT_EQ(proto.launch_display_name(), "Acme Shop");
  EXPECT_EQ(proto.item_title(), "ICP 备案 ICP filing");
  EXPECT_EQ(proto.rung(), "overdue:2026-03-12:+4");
  EXPECT_EQ(proto.kind(), v1::REMINDER_KIND_OVERDUE);
  EXPECT_EQ(proto.deadline_date(), "2026-03-12");
  EXPECT_EQ(proto.working_days_left(), -4);
  EXPECT_EQ(proto.send_time().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 18, 1, 30)));
  EXPECT_TRUE(proto.urgent());
  EXPECT_TRUE(proto.escalation());
  ASSERT_EQ(proto.routes_size(), 2);
  EXPECT_EQ(proto.routes(0).recipient(), "recipients/li.na");
  EXPECT_EQ(proto.routes(0).channel(), v1::CHANNEL_TYPE_INBOX);
  EXPECT_EQ(proto.routes(0).reason(), "assignee");
  EXPECT_FALSE(proto.routes(0).digest());
  EXPECT_EQ(proto.routes(1).recipient(), "recipients/wang.wei");
  EXPECT_EQ(proto.routes(1).channel(), v1::CHANNEL_TYPE_DINGTALK);
  EXPECT_TRUE(proto.routes(1).digest());

  entry.item.title_zh.clear();
  EXPECT_EQ(ToProto(entry).item_title(), "ICP filing");
}

TEST(NotifierItemStateMappingTest, OptionalTimesStayUnset) {
  ItemRecord record;
  record.info.launch_id = "shop";
  record.info.code = "ICP";
  record.info.version = 4;
  record.acknowledged_version = 3;
  v1::ItemReminderState proto = ToProto(record);
  EXPECT_EQ(proto.item(), "launches/shop/items/ICP");
  EXPECT_EQ(proto.item_version(), 4);
  EXPECT_EQ(proto.acknowledged_version(), 3);
  EXPECT_FALSE(proto.has_snoozed_until());
  EXPECT_FALSE(proto.has_next_send_time());

  record.snoozed_until = Utc(2026, 3, 5);
  record.next_check_time = Utc(2026, 3, 5, 0, 30);
  proto = ToProto(record);
  EXPECT_EQ(proto.snoozed_until().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 5)));
  EXPECT_EQ(proto.next_send_time().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 5, 0, 30)));
}

TEST(NotifierInboxMappingTest, MapsMessage) {
  InboxMessage message;
  message.id = 9;
  message.recipient_id = "li.na";
  message.delivery_id = 12;
  message.subject = "s";
  message.body = "b";
  message.create_time = Utc(2026, 3, 2);
  const v1::InboxMessage proto = ToProto(message);
  EXPECT_EQ(proto.name(), "recipients/li.na/inbox/9");
  EXPECT_EQ(proto.recipient(), "recipients/li.na");
  EXPECT_EQ(proto.delivery(), "deliveries/12");
  EXPECT_EQ(proto.subject(), "s");
  EXPECT_EQ(proto.body(), "b");
  EXPECT_EQ(proto.create_time().seconds(), absl::ToUnixSeconds(Utc(2026, 3, 2)));
  // A test message is about no item.
  EXPECT_EQ(proto.item(), "");

  message.launch_id = "l1";
  message.item_code = "ICP_FILING";
  EXPECT_EQ(ToProto(message).item(), "launches/l1/items/ICP_FILING");
}

}  // namespace
}  // namespace preflight::notifier
