#include "cli/notifier_requests.h"

#include <string>
#include <vector>

#include "cli/testing/cli_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ParseInvocation;
using testing::StatusMessage;

absl::Time Utc(int year, int month, int day, int hour, int minute, int second) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

TEST(NamesTest, RecipientAcceptsBareIdsAndFullNames) {
  EXPECT_EQ(RecipientName("li.na"), "recipients/li.na");
  EXPECT_EQ(RecipientName("recipients/owner@example.com"), "recipients/owner@example.com");
  EXPECT_EQ(RecipientName("tenants/acme/recipients/li.na"), "tenants/acme/recipients/li.na");
}

TEST(NamesTest, ItemInOneWord) {
  EXPECT_EQ(*ItemNameFromText("launches/l1/items/ICP_FILING", "ITEM"),
            "launches/l1/items/ICP_FILING");
  EXPECT_EQ(*ItemNameFromText("l1/items/ICP_FILING", "ITEM"), "launches/l1/items/ICP_FILING");
  for (const char* bad : {"ICP_FILING", "launches/l1", "launches/l1/items/", "/items/X",
                          "launches//items/X", "launches/a/b/items/X", "l1/items/X/Y"}) {
    absl::StatusOr<std::string> name = ItemNameFromText(bad, "--item");
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(StatusMessage(name.status()),
                HasSubstr(absl::StrCat("--item must be launches/ID/items/CODE (or LAUNCH CODE), "
                                       "got '",
                                       bad, "'")));
  }
}

TEST(NamesTest, ItemAsLaunchAndCode) {
  EXPECT_EQ(*ItemNameFromArguments({"l1", "MP_VERIFY"}), "launches/l1/items/MP_VERIFY");
  EXPECT_EQ(*ItemNameFromArguments({"launches/l1", "MP_VERIFY"}), "launches/l1/items/MP_VERIFY");
  EXPECT_EQ(*ItemNameFromArguments({"launches/l1/items/MP_VERIFY"}), "launches/l1/items/MP_VERIFY");
  absl::StatusOr<std::string> both = ItemNameFromArguments({"launches/l1/items/A", "B"});
  EXPECT_THAT(StatusMessage(both.status()), HasSubstr("not 'launches/l1/items/A B'"));
  EXPECT_THAT(StatusMessage(ItemNameFromArguments({"l1"}).status()),
              HasSubstr("ITEM must be launches/ID/items/CODE"));
}

TEST(ParseEnumsTest, ChannelTypesAndDeliveryStates) {
  EXPECT_EQ(*ParseChannelType("wecom"), v1::CHANNEL_TYPE_WECOM);
  EXPECT_EQ(*ParseChannelType("DingTalk"), v1::CHANNEL_TYPE_DINGTALK);
  EXPECT_EQ(*ParseDeliveryState("dead_lettered"), v1::DELIVERY_STATE_DEAD_LETTERED);
  EXPECT_EQ(*ParseDeliveryState("OUTCOME_UNKNOWN"), v1::DELIVERY_STATE_OUTCOME_UNKNOWN);
  EXPECT_THAT(StatusMessage(ParseChannelType("sms").status()),
              HasSubstr("--channel: unknown value 'sms' (one of: log, inbox, webhook, wecom, "
                        "dingtalk, feishu, slack, email)"));
  EXPECT_THAT(StatusMessage(ParseDeliveryState("failed").status()),
              HasSubstr("--state: unknown value 'failed' (one of: pending, sending, delivered, "
                        "dead_lettered, outcome_unknown, cancelled)"));
  EXPECT_FALSE(ParseChannelType("unspecified").ok());
}

TEST(ParseChannelSpecTest, TypeTargetAndSecretReference) {
  v1::RecipientChannel channel = *ParseChannelSpec("inbox");
  EXPECT_EQ(channel.type(), v1::CHANNEL_TYPE_INBOX);
  EXPECT_EQ(channel.target(), "");
  EXPECT_EQ(channel.secret_ref(), "");

  channel = *ParseChannelSpec("email:li.na@example.com");
  EXPECT_EQ(channel.type(), v1::CHANNEL_TYPE_EMAIL);
  EXPECT_EQ(channel.target(), "li.na@example.com");

  // The URL's own colons and query stay in the target; the secret reference keeps its colon.
  channel = *ParseChannelSpec(
      "DingTalk:https://oapi.dingtalk.com/robot/send?access_token=abc#env:DINGTALK_SECRET");
  EXPECT_EQ(channel.type(), v1::CHANNEL_TYPE_DINGTALK);
  EXPECT_EQ(channel.target(), "https://oapi.dingtalk.com/robot/send?access_token=abc");
  EXPECT_EQ(channel.secret_ref(), "env:DINGTALK_SECRET");

  // TARGET ends at the first '#'; the rest is the reference as written.
  channel = *ParseChannelSpec("webhook:https://hooks.example.com/p#file:/etc/preflight/s#1");
  EXPECT_EQ(channel.target(), "https://hooks.example.com/p");
  EXPECT_EQ(channel.secret_ref(), "file:/etc/preflight/s#1");
}

TEST(ParseChannelSpecTest, RefusesUnknownOrMissingType) {
  for (const char* bad : {"pager:https://x", ":https://x", "", "https://qyapi.weixin.qq.com"}) {
    absl::StatusOr<v1::RecipientChannel> channel = ParseChannelSpec(bad);
    EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(StatusMessage(channel.status()),
                HasSubstr("--channel is TYPE[:TARGET[#SECRET_REF]]"));
  }
}

TEST(ParseSnoozeDurationTest, DaysHoursMinutesSeconds) {
  EXPECT_EQ(*ParseSnoozeDuration("2h"), absl::Hours(2));
  EXPECT_EQ(*ParseSnoozeDuration("3d"), absl::Hours(72));
  EXPECT_EQ(*ParseSnoozeDuration("1d12h"), absl::Hours(36));
  EXPECT_EQ(*ParseSnoozeDuration("90m"), absl::Minutes(90));
  EXPECT_EQ(*ParseSnoozeDuration("1h30m15s"), absl::Seconds(5415));
  EXPECT_EQ(*ParseSnoozeDuration("2H"), absl::Hours(2));
}

TEST(ParseSnoozeDurationTest, RefusesOtherSpellings) {
  for (const char* bad : {"", "2", "h", "2x", "0h", "0d0h", "2h1d", "1h1h", "-2h", "1.5h", "2 h",
                          "9999999999h", "tomorrow"}) {
    absl::StatusOr<absl::Duration> duration = ParseSnoozeDuration(bad);
    EXPECT_EQ(duration.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(StatusMessage(duration.status()),
                HasSubstr(absl::StrCat("--for expects a duration such as 90m, 2h, 3d or 1d12h, "
                                       "got '",
                                       bad, "'")));
  }
}

TEST(ParseRfc3339Test, OffsetsZuluAndOptionalSeconds) {
  const absl::Time expected = Utc(2026, 5, 8, 1, 0, 0);
  EXPECT_EQ(*ParseRfc3339("2026-05-08T09:00:00+08:00"), expected);
  EXPECT_EQ(*ParseRfc3339("2026-05-08T01:00:00Z"), expected);
  EXPECT_EQ(*ParseRfc3339("2026-05-08t01:00:00z"), expected);
  EXPECT_EQ(*ParseRfc3339("2026-05-08T09:00+08:00"), expected);
  EXPECT_EQ(*ParseRfc3339("2026-05-08 09:00:00+08:00"), expected);
  // As the reminder table prints it.
  EXPECT_EQ(*ParseRfc3339("2026-05-08 09:00 +08:00"), expected);
  EXPECT_EQ(*ParseRfc3339("2026-05-07 20:00 -05:00"), expected);
  EXPECT_EQ(*ParseRfc3339("2026-05-08 01:00Z"), expected);
  EXPECT_EQ(*ParseRfc3339("2026-05-08T01:00:00.25Z"), expected + absl::Milliseconds(250));
}

TEST(ParseRfc3339Test, NeedsAnOffset) {
  for (const char* bad :
       {"2026-05-08", "2026-05-08T09:00:00", "2026-05-08 09:00", "tomorrow", "2026-13-01T00:00Z"}) {
    absl::StatusOr<absl::Time> time = ParseRfc3339(bad);
    EXPECT_EQ(time.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(StatusMessage(time.status()), HasSubstr("--until expects an RFC 3339 time"));
  }
}

TEST(BuildListRemindersRequestTest, MapsFilters) {
  absl::StatusOr<v1::ListRemindersRequest> request = BuildListRemindersRequest(
      ParseInvocation({"reminders", "list", "--days=30", "--tenant=acme", "--launch=l1",
                       "--recipient=li.na", "--page_size=20", "--page_token=tok"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->days(), 30);
  EXPECT_EQ(request->tenant(), "acme");
  EXPECT_EQ(request->launch(), "launches/l1");
  EXPECT_EQ(request->recipient(), "recipients/li.na");
  EXPECT_EQ(request->page_size(), 20);
  EXPECT_EQ(request->page_token(), "tok");
}

TEST(BuildListRemindersRequestTest, DefaultsAreLeftToTheServer) {
  absl::StatusOr<v1::ListRemindersRequest> request =
      BuildListRemindersRequest(ParseInvocation({"reminders", "list", "--launch=", "--days=400"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->days(), 400);   // out of range: the server says so
  EXPECT_EQ(request->launch(), "");  // an empty filter is no filter
  EXPECT_EQ(request->page_size(), 0);
  EXPECT_THAT(
      StatusMessage(
          BuildListRemindersRequest(ParseInvocation({"reminders", "list", "--days=two"})).status()),
      HasSubstr("--days expects a whole number, got 'two'"));
}

TEST(BuildDryRunRequestTest, IsTheListingOfOneLaunch) {
  absl::StatusOr<v1::ListRemindersRequest> request =
      BuildDryRunRequest(ParseInvocation({"reminders", "dry-run", "l1", "--days=60"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->launch(), "launches/l1");
  EXPECT_EQ(request->days(), 60);
  EXPECT_EQ(request->tenant(), "");
}

TEST(BuildSnoozeReminderRequestTest, ForADuration) {
  absl::StatusOr<v1::SnoozeReminderRequest> request = BuildSnoozeReminderRequest(
      ParseInvocation({"reminders", "snooze", "launches/l1/items/ICP_FILING", "--for=1d12h"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->item(), "launches/l1/items/ICP_FILING");
  EXPECT_EQ(request->snooze_for().seconds(), 36 * 3600);
  EXPECT_FALSE(request->has_snooze_until());
}

TEST(BuildSnoozeReminderRequestTest, UntilATime) {
  absl::StatusOr<v1::SnoozeReminderRequest> request = BuildSnoozeReminderRequest(ParseInvocation(
      {"reminders", "snooze", "l1", "ICP_FILING", "--until=2026-05-08T09:00:00.5+08:00"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->item(), "launches/l1/items/ICP_FILING");
  EXPECT_EQ(request->snooze_until().seconds(), absl::ToUnixSeconds(Utc(2026, 5, 8, 1, 0, 0)));
  EXPECT_EQ(request->snooze_until().nanos(), 500000000);
  EXPECT_FALSE(request->has_snooze_for());
}

TEST(BuildSnoozeReminderRequestTest, NeedsExactlyOneOfForAndUntil) {
  const std::string one_of = "'reminders snooze' needs one of --for=DURATION and --until=TIME";
  EXPECT_THAT(
      StatusMessage(
          BuildSnoozeReminderRequest(ParseInvocation({"reminders", "snooze", "l1", "X"})).status()),
      HasSubstr(one_of));
  EXPECT_THAT(StatusMessage(BuildSnoozeReminderRequest(
                                ParseInvocation({"reminders", "snooze", "l1", "X", "--for=2h",
                                                 "--until=2026-05-08T09:00:00+08:00"}))
                                .status()),
              HasSubstr(one_of));
  EXPECT_THAT(StatusMessage(BuildSnoozeReminderRequest(
                                ParseInvocation({"reminders", "snooze", "l1", "X", "--for=2 days"}))
                                .status()),
              HasSubstr("--for expects a duration"));
  EXPECT_THAT(StatusMessage(BuildSnoozeReminderRequest(ParseInvocation({"reminders", "snooze", "l1",
                                                                        "X", "--until=2026-05-08"}))
                                .status()),
              HasSubstr("--until expects an RFC 3339 time"));
  EXPECT_THAT(StatusMessage(BuildSnoozeReminderRequest(
                                ParseInvocation({"reminders", "snooze", "X", "--for=2h"}))
                                .status()),
              HasSubstr("ITEM must be launches/ID/items/CODE"));
}

TEST(BuildAcknowledgeReminderRequestTest, NamesTheItem) {
  EXPECT_EQ(
      BuildAcknowledgeReminderRequest(ParseInvocation({"reminders", "ack", "l1", "MP_VERIFY"}))
          ->item(),
      "launches/l1/items/MP_VERIFY");
  EXPECT_FALSE(
      BuildAcknowledgeReminderRequest(ParseInvocation({"reminders", "ack", "MP_VERIFY"})).ok());
}

TEST(BuildListDeliveriesRequestTest, MapsEveryFilter) {
  absl::StatusOr<v1::ListDeliveriesRequest> request = BuildListDeliveriesRequest(
      ParseInvocation({"deliveries", "list", "--tenant=acme", "--launch=launches/l1",
                       "--item=l1/items/ICP_FILING", "--recipient=li.na", "--state=dead_lettered",
                       "--channel=wecom", "--page_size=5", "--page_token=t"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->tenant(), "acme");
  EXPECT_EQ(request->launch(), "launches/l1");
  EXPECT_EQ(request->item(), "launches/l1/items/ICP_FILING");
  EXPECT_EQ(request->recipient(), "recipients/li.na");
  EXPECT_EQ(request->state(), v1::DELIVERY_STATE_DEAD_LETTERED);
  EXPECT_EQ(request->channel(), v1::CHANNEL_TYPE_WECOM);
  EXPECT_EQ(request->page_size(), 5);
  EXPECT_EQ(request->page_token(), "t");
}

TEST(BuildListDeliveriesRequestTest, UnfilteredAndRefusals) {
  absl::StatusOr<v1::ListDeliveriesRequest> request =
      BuildListDeliveriesRequest(ParseInvocation({"deliveries", "list"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->state(), v1::DELIVERY_STATE_UNSPECIFIED);
  EXPECT_EQ(request->channel(), v1::CHANNEL_TYPE_UNSPECIFIED);
  EXPECT_EQ(request->item(), "");
  EXPECT_THAT(StatusMessage(BuildListDeliveriesRequest(
                                ParseInvocation({"deliveries", "list", "--state=sent"}))
                                .status()),
              HasSubstr("--state: unknown value 'sent'"));
  EXPECT_THAT(StatusMessage(BuildListDeliveriesRequest(
                                ParseInvocation({"deliveries", "list", "--channel=sms"}))
                                .status()),
              HasSubstr("--channel: unknown value 'sms'"));
  EXPECT_THAT(StatusMessage(
                  BuildListDeliveriesRequest(ParseInvocation({"deliveries", "list", "--item=ICP"}))
                      .status()),
              HasSubstr("--item must be launches/ID/items/CODE"));
}

TEST(BuildCreateRecipientRequestTest, ChannelsInOrderAndEveryField) {
  absl::StatusOr<v1::CreateRecipientRequest> request = BuildCreateRecipientRequest(ParseInvocation(
      {"recipients", "create", "li.na", "--channel=wecom:https://qyapi.weixin.qq.com/x?key=k",
       "--channel=email:li.na@example.com", "--channel=inbox", "--tenant=acme",
       "--display_name=李娜", "--language=zh", "--digest", "--subscribe=tenants/acme",
       "--subscribe=launches/l1"}));
  ASSERT_TRUE(request.ok()) << request.status();
  const v1::Recipient& recipient = request->recipient();
  EXPECT_EQ(recipient.name(), "recipients/li.na");
  EXPECT_EQ(recipient.tenant(), "acme");
  EXPECT_EQ(recipient.display_name(), "李娜");
  EXPECT_EQ(recipient.language(), "zh");
  EXPECT_TRUE(recipient.digest());
  ASSERT_EQ(recipient.channels_size(), 3);
  EXPECT_EQ(recipient.channels(0).type(), v1::CHANNEL_TYPE_WECOM);
  EXPECT_EQ(recipient.channels(0).target(), "https://qyapi.weixin.qq.com/x?key=k");
  EXPECT_EQ(recipient.channels(1).type(), v1::CHANNEL_TYPE_EMAIL);
  EXPECT_EQ(recipient.channels(2).type(), v1::CHANNEL_TYPE_INBOX);
  EXPECT_THAT(recipient.subscriptions(), ElementsAre("tenants/acme", "launches/l1"));
}

TEST(BuildCreateRecipientRequestTest, MinimalAndBadChannel) {
  absl::StatusOr<v1::CreateRecipientRequest> request = BuildCreateRecipientRequest(
      ParseInvocation({"recipients", "create", "recipients/ops", "--channel=log"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->recipient().name(), "recipients/ops");
  EXPECT_EQ(request->recipient().tenant(), "");
  EXPECT_FALSE(request->recipient().digest());
  EXPECT_THAT(request->recipient().subscriptions(), IsEmpty());
  EXPECT_THAT(StatusMessage(BuildCreateRecipientRequest(
                                ParseInvocation({"recipients", "create", "ops", "--channel=log",
                                                 "--channel=telegram:x"}))
                                .status()),
              HasSubstr("--channel: unknown value 'telegram'"));
}

TEST(BuildUpdateRecipientRequestTest, MaskHoldsExactlyTheGivenFlags) {
  absl::StatusOr<v1::UpdateRecipientRequest> request = BuildUpdateRecipientRequest(ParseInvocation(
      {"recipients", "update", "li.na", "--digest=false", "--subscribe=", "--etag=3"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->recipient().name(), "recipients/li.na");
  EXPECT_FALSE(request->recipient().digest());
  EXPECT_THAT(request->recipient().subscriptions(), IsEmpty());
  EXPECT_THAT(request->update_mask().paths(), ElementsAre("digest", "subscriptions"));
  EXPECT_EQ(request->etag(), "3");
}

TEST(BuildUpdateRecipientRequestTest, EveryFieldFlagHasItsPath) {
  absl::StatusOr<v1::UpdateRecipientRequest> request = BuildUpdateRecipientRequest(
      ParseInvocation({"recipients", "update", "recipients/li.na", "--display_name=Li Na",
                       "--language=", "--channel=feishu:https://open.feishu.cn/hook/x#env:FEISHU",
                       "--channel=inbox", "--digest", "--subscribe=tenants/acme"}));
  ASSERT_TRUE(request.ok()) << request.status();
  const v1::Recipient& recipient = request->recipient();
  EXPECT_EQ(recipient.display_name(), "Li Na");
  EXPECT_EQ(recipient.language(), "");
  ASSERT_EQ(recipient.channels_size(), 2);
  EXPECT_EQ(recipient.channels(0).type(), v1::CHANNEL_TYPE_FEISHU);
  EXPECT_EQ(recipient.channels(0).secret_ref(), "env:FEISHU");
  EXPECT_TRUE(recipient.digest());
  EXPECT_THAT(recipient.subscriptions(), ElementsAre("tenants/acme"));
  EXPECT_THAT(request->update_mask().paths(),
              ElementsAre("display_name", "language", "channels", "digest", "subscriptions"));
  EXPECT_EQ(request->etag(), "");
}

TEST(BuildUpdateRecipientRequestTest, RefusesAnEmptyUpdate) {
  absl::StatusOr<v1::UpdateRecipientRequest> request =
      BuildUpdateRecipientRequest(ParseInvocation({"recipients", "update", "li.na", "--etag=3"}));
  EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(StatusMessage(request.status()), HasSubstr("'recipients update' changes nothing"));
}

TEST(SimpleNotifierRequestsTest, NameTheRecipient) {
  EXPECT_EQ(BuildGetRecipientRequest(ParseInvocation({"recipients", "show", "li.na"})).name(),
            "recipients/li.na");
  const v1::DeleteRecipientRequest deleted =
      BuildDeleteRecipientRequest(ParseInvocation({"recipients", "delete", "li.na", "--etag=4"}));
  EXPECT_EQ(deleted.name(), "recipients/li.na");
  EXPECT_EQ(deleted.etag(), "4");

  absl::StatusOr<v1::SendTestNotificationRequest> test = BuildSendTestNotificationRequest(
      ParseInvocation({"notify", "test", "li.na", "--channel=email"}));
  ASSERT_TRUE(test.ok()) << test.status();
  EXPECT_EQ(test->recipient(), "recipients/li.na");
  EXPECT_EQ(test->channel(), v1::CHANNEL_TYPE_EMAIL);
  EXPECT_EQ(
      BuildSendTestNotificationRequest(ParseInvocation({"notify", "test", "li.na"}))->channel(),
      v1::CHANNEL_TYPE_UNSPECIFIED);
  EXPECT_FALSE(
      BuildSendTestNotificationRequest(ParseInvocation({"notify", "test", "li.na", "--channel=x"}))
          .ok());

  absl::StatusOr<v1::ListInboxMessagesRequest> inbox = BuildListInboxMessagesRequest(
      ParseInvocation({"inbox", "li.na", "--page_size=3", "--page_token=p"}));
  ASSERT_TRUE(inbox.ok()) << inbox.status();
  EXPECT_EQ(inbox->recipient(), "recipients/li.na");
  EXPECT_EQ(inbox->page_size(), 3);
  EXPECT_EQ(inbox->page_token(), "p");

  absl::StatusOr<v1::ListRecipientsRequest> list =
      BuildListRecipientsRequest(ParseInvocation({"recipients", "list", "--tenant=acme"}));
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->tenant(), "acme");
}

}  // namespace
}  // namespace preflight::cli
