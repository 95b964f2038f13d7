#include "cli/notifier_render.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/testing/text.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using testing::FromText;
using ::testing::HasSubstr;
using testing::Lines;
using ::testing::Not;
using ::testing::StartsWith;

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

// 2026-05-06 01:00:00 UTC, 09:00 in Shanghai.
constexpr int64_t kMay6At0100Utc = 1778029200;

TEST(NotifierNamesTest, LaunchOfItem) {
  EXPECT_EQ(LaunchOfItem("launches/l1/items/ICP_FILING"), "launches/l1");
  EXPECT_EQ(LaunchOfItem(""), "");
  EXPECT_EQ(LaunchOfItem("recipients/li.na"), "");
  EXPECT_EQ(ChannelLabel(v1::CHANNEL_TYPE_DINGTALK), "dingtalk");
}

TEST(FormatTimeInZoneTest, MinutesWithTheOffset) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(kMay6At0100Utc);
  EXPECT_EQ(FormatTimeInZone(ts, Zone("Asia/Shanghai")), "2026-05-06 09:00 +08:00");
  EXPECT_EQ(FormatTimeInZone(ts, absl::UTCTimeZone()), "2026-05-06 01:00 +00:00");
  EXPECT_EQ(FormatTimeInZone(google::protobuf::Timestamp(), absl::UTCTimeZone()), "-");
}

const char kReminders[] = R"pb(
  reminders {
    item: "launches/l1/items/ICP_FILING"
    rung: "due:2026-05-11:-3"
    kind: REMINDER_KIND_BEFORE_DUE
    working_days_left: 3
    send_time { seconds: 1778029200 }
    routes { recipient: "recipients/li.na" channel: CHANNEL_TYPE_WECOM reason: "assignee" }
    routes {
      recipient: "recipients/ops"
      channel: CHANNEL_TYPE_EMAIL
      reason: "subscription:tenants/acme"
      digest: true
    }
  }
  reminders {
    item: "launches/l2/items/MP_VERIFY"
    rung: "overdue:2026-05-01:+3"
    kind: REMINDER_KIND_OVERDUE
    working_days_left: -3
    urgent: true
    escalation: true
    send_time { seconds: 1778029200 }
    routes { recipient: "recipients/alice" channel: CHANNEL_TYPE_INBOX reason: "owner" }
  }
)pb";

TEST(RenderRemindersTest, SendTimeInTheLaunchZoneElseUtc) {
  const LaunchZones zones = {{"launches/l1", Zone("Asia/Shanghai")}};
  const std::string out = RenderReminders(FromText<v1::ListRemindersResponse>(kReminders), zones);
  const std::vector<std::string> lines = Lines(out);
  ASSERT_GE(lines.size(), 5u) << out;
  EXPECT_EQ(lines[0],
            "SEND TIME                ITEM                          KIND        RUNG               "
            "    DAYS LEFT  MARKS              ROUTES");
  EXPECT_EQ(lines[1],
            "2026-05-06 09:00 +08:00  launches/l1/items/ICP_FILING  before_due  due:2026-05-11:-3 "
            "     3                             li.na/wecom, ops/email[digest]");
  EXPECT_EQ(lines[2],
            "2026-05-06 01:00 +00:00  launches/l2/items/MP_VERIFY   overdue     "
            "overdue:2026-05-01:+3  -3         urgent,escalation  alice/inbox");
  EXPECT_THAT(lines[3], StartsWith("DAYS LEFT in working days"));
  EXPECT_THAT(lines[4], HasSubstr("+00:00 where it was not known"));
  for (const std::string& line : lines) EXPECT_THAT(line, Not(EndsWith(" ")));
}

TEST(RenderRemindersTest, NoFootnoteWhenEveryZoneIsKnownAndAHintForMore) {
  v1::ListRemindersResponse response = FromText<v1::ListRemindersResponse>(kReminders);
  response.mutable_reminders()->RemoveLast();
  response.set_next_page_token("p2");
  const std::string out = RenderReminders(response, {{"launches/l1", Zone("Asia/Shanghai")}});
  EXPECT_THAT(out, Not(HasSubstr("where it was not known")));
  EXPECT_THAT(out, EndsWith("more: --page_token=p2 (or --all)\n"));
  EXPECT_EQ(RenderReminders(v1::ListRemindersResponse(), {}), "no reminders\n");
}

TEST(RenderDeliveriesTest, OneRowPerDeliveryWithTheLastAnswer) {
  const std::string out = RenderDeliveries(FromText<v1::ListDeliveriesResponse>(R"pb(
    deliveries {
      name: "deliveries/2"
      item: "launches/l1/items/ICP_FILING"
      rung: "due:2026-05-11:-3"
      recipient: "recipients/li.na"
      channel: CHANNEL_TYPE_WECOM
      state: DELIVERY_STATE_PENDING
      urgent: true
      create_time { seconds: 1778029200 }
      update_time { seconds: 1778029260 }
      next_attempt_time { seconds: 1778029320 }
      attempts {
        attempt: 1
        outcome: "retry"
        http_status: 200
        provider_answer: "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}"
      }
    }
    deliveries {
      name: "deliveries/1"
      item: "launches/l1/items/MP_VERIFY"
      rung: "due:2026-05-08:-1"
      recipient: "recipients/ops"
      channel: CHANNEL_TYPE_WEBHOOK
      state: DELIVERY_STATE_DEAD_LETTERED
      late: true
      digest_key: "digest:ops:2026-05-06"
      create_time { seconds: 1778029200 }
      attempts { attempt: 1 outcome: "retry" http_status: 503 }
      attempts {
        attempt: 2
        outcome: "failed"
        http_status: 404
        provider_answer: "<html>\n<body>Not Found: the hook was deleted long ago, nobody listens here any more</body></html>"
      }
    }
    next_page_token: "n"
  )pb"));
  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 4u) << out;
  EXPECT_EQ(lines[0],
            "TIME                  RECIPIENT  CHANNEL  STATE          ATTEMPTS  ITEM              "
            "            RUNG               LAST ANSWER                                           "
            "        MARKS");
  EXPECT_EQ(lines[1],
            "2026-05-06 01:01:00Z  li.na      wecom    pending        1         "
            "launches/l1/items/ICP_FILING  due:2026-05-11:-3  retry 200 "
            "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}  "
            "urgent,next 2026-05-06 01:02:00Z");
  // Newlines are flattened and long answers cut; the time falls back to the creation time.
  EXPECT_EQ(lines[2],
            "2026-05-06 01:00:00Z  ops        webhook  dead_lettered  2         "
            "launches/l1/items/MP_VERIFY   due:2026-05-08:-1  failed 404 <html> <body>Not Found: "
            "the hook was deleted lon…  late,digest");
  EXPECT_EQ(lines[3], "more: --page_token=n (or --all)");
  EXPECT_EQ(RenderDeliveries(v1::ListDeliveriesResponse()), "no deliveries\n");
}

TEST(RenderTestNotificationTest, TableAndWhereToLookLater) {
  const std::string out = RenderTestNotification(FromText<v1::SendTestNotificationResponse>(R"pb(
    deliveries {
      recipient: "recipients/li.na"
      channel: CHANNEL_TYPE_INBOX
      kind: REMINDER_KIND_TEST
      state: DELIVERY_STATE_DELIVERED
      attempts { attempt: 1 outcome: "delivered" }
    }
  )pb"));
  EXPECT_THAT(Lines(out)[1], StartsWith("-     li.na      inbox    delivered  1         -     -  "
                                        "   delivered"));
  EXPECT_THAT(out, HasSubstr("preflight deliveries list --recipient=li.na"));
  EXPECT_EQ(RenderTestNotification(v1::SendTestNotificationResponse()),
            "no test message was sent\n");
}

TEST(RenderRecipientTest, FieldsChannelsAndSecretReferences) {
  const std::string out = RenderRecipient(FromText<v1::Recipient>(R"pb(
    name: "recipients/li.na"
    display_name: "李娜"
    tenant: "acme"
    language: "zh"
    digest: true
    channels {
      type: CHANNEL_TYPE_DINGTALK
      target: "https://oapi.dingtalk.com/robot/send?access_token=x"
      secret_ref: "env:DINGTALK_SECRET"
    }
    channels { type: CHANNEL_TYPE_INBOX }
    subscriptions: "tenants/acme"
    subscriptions: "launches/l1"
    create_time { seconds: 1778029200 }
    etag: "2"
  )pb"));
  EXPECT_EQ(out,
            "recipients/li.na  李娜\n"
            "tenant         acme\n"
            "language       zh\n"
            "digest         yes (non-urgent reminders in one morning message)\n"
            "channels       1. dingtalk  https://oapi.dingtalk.com/robot/send?access_token=x  "
            "secret env:DINGTALK_SECRET\n"
            "               2. inbox\n"
            "subscriptions  tenants/acme, launches/l1\n"
            "created        2026-05-06 01:00:00Z\n"
            "etag           2\n");
}

TEST(RenderRecipientTest, DefaultsSpelledOut) {
  const std::string out = RenderRecipient(FromText<v1::Recipient>(R"pb(
    name: "recipients/ops"
    channels { type: CHANNEL_TYPE_LOG })pb"));
  EXPECT_THAT(out, StartsWith("recipients/ops\n"));
  EXPECT_THAT(out, HasSubstr("tenant         any (reachable from every tenant)\n"));
  EXPECT_THAT(out, HasSubstr("language       zh+en\n"));
  EXPECT_THAT(out, HasSubstr("digest         no\n"));
  EXPECT_THAT(out, HasSubstr("subscriptions  none\n"));
  EXPECT_THAT(out, Not(HasSubstr("created")));
}

TEST(RenderRecipientListTest, OneRowPerRecipient) {
  const std::string out = RenderRecipientList(FromText<v1::ListRecipientsResponse>(R"pb(
    recipients {
      name: "recipients/li.na"
      display_name: "李娜"
      tenant: "acme"
      language: "zh"
      digest: true
      channels { type: CHANNEL_TYPE_WECOM target: "https://x" }
      channels { type: CHANNEL_TYPE_EMAIL target: "li.na@example.com" }
      subscriptions: "launches/l1"
    }
    recipients {
      name: "recipients/ops"
      channels { type: CHANNEL_TYPE_LOG }
    }
  )pb"));
  EXPECT_THAT(Lines(out),
              ElementsAre("NAME              DISPLAY NAME  TENANT  LANG   DIGEST  CHANNELS     "
                          "SUBSCRIPTIONS",
                          "recipients/li.na  李娜          acme    zh     yes     wecom,email  "
                          "launches/l1",
                          "recipients/ops    -             (any)   zh+en  no      log          -"));
  EXPECT_EQ(RenderRecipientList(v1::ListRecipientsResponse()), "no recipients\n");
  EXPECT_EQ(RenderDeletedRecipient("recipients/ops"), "deleted recipients/ops\n");
}

TEST(RenderItemReminderStateTest, SnoozedAcknowledgedAndResumed) {
  EXPECT_EQ(RenderItemReminderState(FromText<v1::ItemReminderState>(R"pb(
              item: "launches/l1/items/ICP_FILING"
              snoozed_until { seconds: 1778029200 }
              item_version: 4
              next_send_time { seconds: 1778029200 }
            )pb")),
            "launches/l1/items/ICP_FILING\n"
            "snoozed until  2026-05-06 01:00:00Z\n"
            "acknowledged   no\n"
            "next send      2026-05-06 01:00:00Z\n");
  const std::string acknowledged = RenderItemReminderState(FromText<v1::ItemReminderState>(
      R"pb(item: "launches/l1/items/X" acknowledged_version: 4 item_version: 4)pb"));
  EXPECT_THAT(acknowledged, HasSubstr("snoozed until  not snoozed\n"));
  EXPECT_THAT(acknowledged,
              HasSubstr("acknowledged   yes, at item version 4: no reminders until the item "
                        "changes\n"));
  EXPECT_THAT(acknowledged, HasSubstr("next send      none scheduled\n"));
  EXPECT_THAT(
      RenderItemReminderState(FromText<v1::ItemReminderState>(R"pb(item: "launches/l1/items/X"
                                                                   acknowledged_version: 4
                                                                   item_version: 6)pb")),
      HasSubstr("the item has changed since (version 6), so its reminders run again"));
}

TEST(RenderInboxTest, MessagesWithIndentedBodies) {
  const std::string out = RenderInbox(FromText<v1::ListInboxMessagesResponse>(R"pb(
    messages {
      name: "recipients/li.na/inbox/2"
      delivery: "deliveries/9"
      subject: "ICP filing due in 3 working days"
      body: "ICP 备案 due 2026-05-11.\n\nAcme Shop   \n"
      create_time { seconds: 1778029200 }
    }
    messages { name: "recipients/li.na/inbox/1" subject: "Test" }
    next_page_token: "p"
  )pb"));
  EXPECT_EQ(out,
            "recipients/li.na/inbox/2  2026-05-06 01:00:00Z  deliveries/9\n"
            "  ICP filing due in 3 working days\n"
            "  ICP 备案 due 2026-05-11.\n"
            "\n"
            "  Acme Shop\n"
            "\n"
            "recipients/li.na/inbox/1  -  -\n"
            "  Test\n"
            "\n"
            "more: --page_token=p (or --all)\n");
  EXPECT_EQ(RenderInbox(v1::ListInboxMessagesResponse()), "no messages\n");
}

TEST(RenderSubscriptionStatusTest, ConnectedOrNot) {
  EXPECT_EQ(RenderSubscriptionStatus(FromText<v1::SubscriptionStatus>(R"pb(
              checklist_address: "127.0.0.1:50051"
              connected: true
              applied_sequence: 1234
              last_event_time { seconds: 1778029200 }
              reconnects: 2
            )pb")),
            "checklist   127.0.0.1:50051  connected\n"
            "applied     event 1234\n"
            "last event  2026-05-06 01:00:00Z\n"
            "reconnects  2\n");
  EXPECT_THAT(RenderSubscriptionStatus(FromText<v1::SubscriptionStatus>(
                  R"pb(checklist_address: "h:1" last_error: "connection refused\nretrying")pb")),
              HasSubstr("h:1  NOT CONNECTED\n"));
  EXPECT_THAT(RenderSubscriptionStatus(FromText<v1::SubscriptionStatus>(
                  R"pb(last_error: "connection refused\nretrying")pb")),
              HasSubstr("last error  connection refused retrying\n"));
}

}  // namespace
}  // namespace preflight::cli
