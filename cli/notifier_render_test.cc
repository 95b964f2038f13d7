#include "cli/notifier_render.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

const RenderOptions kDefaults;

// kDefaults with `zones`.
RenderOptions InZones(LaunchZones zones) {
  RenderOptions options;
  options.zones = std::move(zones);
  return options;
}

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
    deadline_date: "2026-05-11"
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
    deadline_date: "2026-05-01"
    working_days_left: -3
    urgent: true
    escalation: true
    send_time { seconds: 1778029200 }
    routes { recipient: "recipients/alice" channel: CHANNEL_TYPE_INBOX reason: "owner" }
  }
)pb";

TEST(RenderRemindersTest, SendTimeInTheLaunchZoneElseUtc) {
  const LaunchZones zones = {{"launches/l1", Zone("Asia/Shanghai")}};
  const std::string out =
      RenderReminders(FromText<v1::ListRemindersResponse>(kReminders), InZones(zones));
  const std::vector<std::string> lines = Lines(out);
  ASSERT_GE(lines.size(), 5u) << out;
  EXPECT_EQ(lines[0],
            "SEND TIME                ITEM                          KIND        DAYS LEFT  MARKS  "
            "            ROUTES");
  EXPECT_EQ(lines[1],
            "2026-05-06 09:00 +08:00  launches/l1/items/ICP_FILING  before_due  3"
            "                             li.na/wecom, ops/email[digest]");
  // launches/l2's zone is not known: UTC, spelled "Z" so it is not taken for a zone.
  EXPECT_EQ(lines[2],
            "2026-05-06 01:00Z        launches/l2/items/MP_VERIFY   overdue     -3         "
            "urgent,escalation  alice/inbox");
  EXPECT_THAT(lines[3], StartsWith("DAYS LEFT in working days"));
  EXPECT_THAT(lines[4], HasSubstr("in UTC (Z) where it was not known"));
  for (const std::string& line : lines) EXPECT_THAT(line, Not(EndsWith(" ")));

  // --utc: every time in UTC, and no footnote about zones.
  RenderOptions utc = InZones(zones);
  utc.utc = true;
  const std::string in_utc = RenderReminders(FromText<v1::ListRemindersResponse>(kReminders), utc);
  EXPECT_THAT(Lines(in_utc)[1], StartsWith("2026-05-06 01:00Z  launches/l1/items/ICP_FILING"));
  EXPECT_THAT(in_utc, Not(HasSubstr("where it was not known")));
}

TEST(RenderRemindersTest, WideAddsRungDeadlineAndReasons) {
  RenderOptions options = InZones({{"launches/l1", Zone("Asia/Shanghai")}});
  options.wide = true;
  const std::vector<std::string> lines =
      Lines(RenderReminders(FromText<v1::ListRemindersResponse>(kReminders), options));
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "SEND TIME                ITEM                          KIND        RUNG               "
            "    DEADLINE    DAYS LEFT  MARKS              ROUTES                          "
            "REASONS");
  EXPECT_EQ(lines[1],
            "2026-05-06 09:00 +08:00  launches/l1/items/ICP_FILING  before_due  due:2026-05-11:-3 "
            "     2026-05-11  3                             li.na/wecom, ops/email[digest]  "
            "assignee, subscription:tenants/acme");
}

TEST(RenderRemindersTest, NoHeadersDropsTheHeaderRowAndEveryFootnote) {
  RenderOptions options;
  options.headers = false;
  v1::ListRemindersResponse response = FromText<v1::ListRemindersResponse>(kReminders);
  response.set_next_page_token("p2");
  const std::vector<std::string> lines = Lines(RenderReminders(response, options));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], StartsWith("2026-05-06 01:00Z  launches/l1/items/ICP_FILING"));
  EXPECT_THAT(lines[1], StartsWith("2026-05-06 01:00Z  launches/l2/items/MP_VERIFY"));
  EXPECT_EQ(RenderReminders(v1::ListRemindersResponse(), options), "");
}

// A 30-day dry run of an item 1 to 30 working days overdue, escalated from the 5th: one reminder
// a day, each listed once per channel (wecom and email), after one reminder of another item.
v1::ListRemindersResponse DailyOverdue() {
  v1::ListRemindersResponse response = FromText<v1::ListRemindersResponse>(R"pb(
    reminders {
      item: "launches/l1/items/MP_VERIFY"
      rung: "due:2026-05-11:-3"
      kind: REMINDER_KIND_BEFORE_DUE
      deadline_date: "2026-05-11"
      working_days_left: 3
      send_time { seconds: 1778029200 }
      routes { recipient: "recipients/bob" channel: CHANNEL_TYPE_WECOM reason: "assignee" }
    }
  )pb");
  for (int k = 1; k <= 30; ++k) {
    for (const v1::ChannelType channel : {v1::CHANNEL_TYPE_WECOM, v1::CHANNEL_TYPE_EMAIL}) {
      v1::Reminder* reminder = response.add_reminders();
      reminder->set_item("launches/l1/items/ICP_FILING");
      reminder->set_rung(absl::StrCat("overdue:2026-05-01:+", k));
      reminder->set_kind(v1::REMINDER_KIND_OVERDUE);
      reminder->set_deadline_date("2026-05-01");
      reminder->set_working_days_left(-k);
      reminder->set_urgent(true);
      reminder->set_escalation(k >= 5);
      reminder->mutable_send_time()->set_seconds(kMay6At0100Utc + k * 86400);
      v1::Reminder::Route* route = reminder->add_routes();
      route->set_recipient("recipients/li.na");
      route->set_channel(channel);
      route->set_reason("assignee");
      if (k >= 5 && channel == v1::CHANNEL_TYPE_WECOM) {
        route = reminder->add_routes();
        route->set_recipient("recipients/alice");
        route->set_channel(v1::CHANNEL_TYPE_INBOX);
        route->set_reason("owner");
      }
    }
  }
  return response;
}

TEST(RenderRemindersTest, FoldsTheOverdueRepeatsOfAnItem) {
  const RenderOptions options = InZones({{"launches/l1", Zone("Asia/Shanghai")}});
  const std::string out = RenderReminders(DailyOverdue(), options);
  const std::vector<std::string> lines = Lines(out);
  ASSERT_GE(lines.size(), 5u) << out;
  // One launch: named once, and the items by code.
  EXPECT_EQ(lines[0], "reminders of launches/l1");
  EXPECT_EQ(lines[1],
            "SEND TIME                CODE        KIND               DAYS LEFT  MARKS              "
            "ROUTES");
  EXPECT_EQ(lines[2],
            "2026-05-06 09:00 +08:00  MP_VERIFY   before_due         3                             "
            "bob/wecom");
  // Before the escalation, and after it (when the owner is told too): two rows, not 60.
  EXPECT_EQ(lines[3],
            "2026-05-07 … 2026-05-10  ICP_FILING  daily overdue ×4   -1 … -4    urgent             "
            "li.na/wecom, li.na/email");
  EXPECT_EQ(lines[4],
            "2026-05-11 … 2026-06-05  ICP_FILING  daily overdue ×26  -5 … -30   urgent,escalation  "
            "li.na/wecom, alice/inbox, li.na/email");
  EXPECT_THAT(lines[5], StartsWith("DAYS LEFT in working days"));
  EXPECT_EQ(lines[6],
            "30 overdue reminders folded into 2 rows (an item's repeats for one deadline); -o wide "
            "lists each");
  EXPECT_EQ(lines.size(), 7u) << out;
}

TEST(RenderRemindersTest, WideFoldsNothingButMergesEachReminderRoutes) {
  RenderOptions options = InZones({{"launches/l1", Zone("Asia/Shanghai")}});
  options.wide = true;
  const std::string out = RenderReminders(DailyOverdue(), options);
  const std::vector<std::string> lines = Lines(out);
  // The header, one row per reminder (31, not 61: a reminder's two channels share its row),
  // the legend.
  ASSERT_EQ(lines.size(), 33u) << out;
  EXPECT_THAT(lines[2], HasSubstr("  overdue:2026-05-01:+1   2026-05-01  -1  "));
  EXPECT_THAT(lines[2], HasSubstr("  li.na/wecom, li.na/email  "));
  EXPECT_THAT(lines[2], EndsWith("  assignee"));
  EXPECT_THAT(lines[31], StartsWith("2026-06-05 09:00 +08:00"));
  EXPECT_THAT(out, Not(HasSubstr("folded")));
}

TEST(RenderRemindersTest, NoFootnoteWhenEveryZoneIsKnownAndAHintForMore) {
  v1::ListRemindersResponse response = FromText<v1::ListRemindersResponse>(kReminders);
  response.mutable_reminders()->RemoveLast();
  response.set_next_page_token("p2");
  const std::string out =
      RenderReminders(response, InZones({{"launches/l1", Zone("Asia/Shanghai")}}));
  EXPECT_THAT(out, Not(HasSubstr("where it was not known")));
  EXPECT_THAT(out, EndsWith("more: --page_token=p2 (or --all)\n"));
  EXPECT_EQ(RenderReminders(v1::ListRemindersResponse(), kDefaults), "no reminders\n");
}

const char kDeliveries[] = R"pb(
  deliveries {
    name: "deliveries/2"
    dedup_key: "launches/l1/items/ICP_FILING|due:2026-05-11:-3|recipients/li.na|wecom"
    kind: REMINDER_KIND_BEFORE_DUE
    subject: "ICP filing due in 3 working days"
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
)pb";

TEST(RenderDeliveriesTest, OneRowPerDeliveryWithTheLastAnswer) {
  const std::string out =
      RenderDeliveries(FromText<v1::ListDeliveriesResponse>(kDeliveries), kDefaults);
  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 5u) << out;
  // Every delivery is about one launch: it is named once, and the items by code.
  EXPECT_EQ(lines[0], "deliveries about launches/l1");
  EXPECT_EQ(lines[1],
            "TIME               RECIPIENT  CHANNEL  STATE          ATTEMPTS  CODE        RUNG     "
            "          LAST ANSWER                                                               "
            "                                    MARKS");
  EXPECT_EQ(
      lines[2],
      "2026-05-06 01:01Z  li.na      wecom    pending        1         ICP_FILING  "
      "due:2026-05-11:-3  retry 200 {\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}  "
      "                                                urgent,next 2026-05-06 01:02Z");
  // Newlines are flattened; without a width nothing is cut; the time falls back to the
  // creation time.
  EXPECT_EQ(lines[3],
            "2026-05-06 01:00Z  ops        webhook  dead_lettered  2         MP_VERIFY   "
            "due:2026-05-08:-1  failed 404 <html> <body>Not Found: the hook was deleted long ago, "
            "nobody listens here any more</body></html>  late,digest");
  EXPECT_EQ(lines[4], "more: --page_token=n (or --all)");
  EXPECT_EQ(RenderDeliveries(v1::ListDeliveriesResponse(), kDefaults), "no deliveries\n");
}

TEST(RenderDeliveriesTest, DeliveriesOfSeveralLaunchesKeepTheItemsNames) {
  v1::ListDeliveriesResponse response = FromText<v1::ListDeliveriesResponse>(kDeliveries);
  response.mutable_deliveries(1)->set_item("launches/l2/items/MP_VERIFY");
  const std::vector<std::string> lines = Lines(RenderDeliveries(response, kDefaults));
  EXPECT_THAT(lines[0], StartsWith("TIME "));
  EXPECT_THAT(lines[1], HasSubstr("  launches/l1/items/ICP_FILING  "));
  EXPECT_THAT(lines[2], HasSubstr("  launches/l2/items/MP_VERIFY   "));
}

TEST(RenderDeliveriesTest, LongAnswersAreCutToTheWidth) {
  RenderOptions options;
  options.width = 150;
  const std::vector<std::string> lines =
      Lines(RenderDeliveries(FromText<v1::ListDeliveriesResponse>(kDeliveries), options));
  ASSERT_EQ(lines.size(), 5u);
  for (const std::string& line : lines) EXPECT_LE(DisplayWidth(line), 150) << line;
  EXPECT_EQ(DisplayWidth(lines[2]), 150);  // the row with the widest MARKS
  EXPECT_THAT(lines[3], HasSubstr("  failed 404 <html> <body"));
  EXPECT_THAT(lines[3], HasSubstr("…  late,digest"));
  EXPECT_THAT(lines[3], Not(HasSubstr("nobody listens")));
}

TEST(RenderDeliveriesTest, TimesInTheItemsLaunchZone) {
  const std::string out = RenderDeliveries(FromText<v1::ListDeliveriesResponse>(kDeliveries),
                                           InZones({{"launches/l1", Zone("Asia/Shanghai")}}));
  EXPECT_THAT(Lines(out)[2], StartsWith("2026-05-06 09:01 +08:00  li.na  "));
  EXPECT_THAT(Lines(out)[2], EndsWith("urgent,next 2026-05-06 09:02 +08:00"));
}

TEST(RenderDeliveriesTest, WideAddsNameKindSubjectAndDedupKey) {
  RenderOptions options;
  options.wide = true;
  const std::vector<std::string> lines =
      Lines(RenderDeliveries(FromText<v1::ListDeliveriesResponse>(kDeliveries), options));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_THAT(lines[0], StartsWith("NAME          TIME               RECIPIENT"));
  EXPECT_THAT(lines[0], HasSubstr("  ITEM                          KIND        RUNG               "
                                  "SUBJECT                           LAST ANSWER"));
  EXPECT_THAT(lines[0], EndsWith("  MARKS                          DEDUP KEY"));
  EXPECT_THAT(lines[1], StartsWith("deliveries/2  2026-05-06 01:01Z"));
  EXPECT_THAT(lines[1], HasSubstr("  before_due  due:2026-05-11:-3  ICP filing due in 3 working "
                                  "days  retry 200"));
  EXPECT_THAT(lines[1],
              EndsWith("  launches/l1/items/ICP_FILING|due:2026-05-11:-3|recipients/li.na|wecom"));
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
                                                 )pb"),
                                                 kDefaults);
  EXPECT_THAT(Lines(out)[1], StartsWith("-     li.na      inbox    delivered  1         -     -  "
                                        "   delivered"));
  EXPECT_THAT(out, HasSubstr("preflight deliveries list --recipient=li.na"));
  EXPECT_EQ(RenderTestNotification(v1::SendTestNotificationResponse(), kDefaults),
            "no test message was sent\n");
}

TEST(RenderRecipientTest, FieldsChannelsAndSecretReferences) {
  const std::string out =
      RenderRecipient(FromText<v1::Recipient>(R"pb(
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
                      )pb"),
                      kDefaults);
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
                                            channels { type: CHANNEL_TYPE_LOG })pb"),
                                          kDefaults);
  EXPECT_THAT(out, StartsWith("recipients/ops\n"));
  EXPECT_THAT(out, HasSubstr("tenant         any (reachable from every tenant)\n"));
  EXPECT_THAT(out, HasSubstr("language       zh+en\n"));
  EXPECT_THAT(out, HasSubstr("digest         no\n"));
  EXPECT_THAT(out, HasSubstr("subscriptions  none\n"));
  EXPECT_THAT(out, Not(HasSubstr("created")));
}

TEST(RenderRecipientListTest, OneRowPerRecipient) {
  const std::string out =
      RenderRecipientList(FromText<v1::ListRecipientsResponse>(R"pb(
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
                          )pb"),
                          kDefaults);
  EXPECT_THAT(Lines(out),
              ElementsAre("NAME              DISPLAY NAME  TENANT  LANG   DIGEST  CHANNELS     "
                          "SUBSCRIPTIONS",
                          "recipients/li.na  李娜          acme    zh     yes     wecom,email  "
                          "launches/l1",
                          "recipients/ops    -             (any)   zh+en  no      log          -"));
  EXPECT_EQ(RenderRecipientList(v1::ListRecipientsResponse(), kDefaults), "no recipients\n");
  EXPECT_EQ(RenderDeletedRecipient("recipients/ops"), "deleted recipients/ops\n");
}

TEST(RenderRecipientListTest, WideShowsTheChannelTargets) {
  RenderOptions options;
  options.wide = true;
  const std::string out =
      RenderRecipientList(FromText<v1::ListRecipientsResponse>(R"pb(
                            recipients {
                              name: "recipients/li.na"
                              channels { type: CHANNEL_TYPE_EMAIL target: "li.na@example.com" }
                              channels { type: CHANNEL_TYPE_INBOX }
                            }
                          )pb"),
                          options);
  EXPECT_THAT(Lines(out)[1], HasSubstr("  email li.na@example.com, inbox  "));
}

TEST(RenderItemReminderStateTest, SnoozedAcknowledgedAndResumed) {
  EXPECT_EQ(RenderItemReminderState(FromText<v1::ItemReminderState>(R"pb(
                                      item: "launches/l1/items/ICP_FILING"
                                      snoozed_until { seconds: 1778029200 }
                                      item_version: 4
                                      next_send_time { seconds: 1778029200 }
                                    )pb"),
                                    kDefaults),
            "launches/l1/items/ICP_FILING\n"
            "snoozed until  2026-05-06 01:00Z\n"
            "acknowledged   no\n"
            "next send      2026-05-06 01:00Z\n");
  const std::string acknowledged =
      RenderItemReminderState(FromText<v1::ItemReminderState>(R"pb(item: "launches/l1/items/X"
                                                                   acknowledged_version: 4
                                                                   item_version: 4)pb"),
                              kDefaults);
  EXPECT_THAT(acknowledged, HasSubstr("snoozed until  not snoozed\n"));
  EXPECT_THAT(acknowledged,
              HasSubstr("acknowledged   yes, at item version 4: no reminders until the item "
                        "changes\n"));
  EXPECT_THAT(acknowledged, HasSubstr("next send      none scheduled\n"));
  EXPECT_THAT(
      RenderItemReminderState(FromText<v1::ItemReminderState>(R"pb(item: "launches/l1/items/X"
                                                                   acknowledged_version: 4
                                                                   item_version: 6)pb"),
                              kDefaults),
      HasSubstr("the item has changed since (version 6), so its reminders run again"));
}

TEST(RenderItemReminderStateTest, TheSnoozeEchoIsInTheLaunchZone) {
  // `reminders snooze --until "2026-05-06 09:00 +08:00"` for a Shanghai launch.
  const v1::ItemReminderState state = FromText<v1::ItemReminderState>(R"pb(
    item: "launches/l1/items/ICP_FILING"
    snoozed_until { seconds: 1778029200 }
    next_send_time { seconds: 1778029200 }
  )pb");
  RenderOptions options = InZones({{"launches/l1", Zone("Asia/Shanghai")}});
  const std::string out = RenderItemReminderState(state, options);
  EXPECT_THAT(out, HasSubstr("snoozed until  2026-05-06 09:00 +08:00\n"));
  EXPECT_THAT(out, HasSubstr("next send      2026-05-06 09:00 +08:00\n"));
  EXPECT_THAT(out, Not(HasSubstr("01:00")));
  options.utc = true;
  EXPECT_THAT(RenderItemReminderState(state, options),
              HasSubstr("snoozed until  2026-05-06 01:00Z\n"));
}

TEST(RenderInboxTest, MessagesWithIndentedBodies) {
  const std::string out =
      RenderInbox(FromText<v1::ListInboxMessagesResponse>(R"pb(
                    messages {
                      name: "recipients/li.na/inbox/2"
                      delivery: "deliveries/9"
                      subject: "ICP filing due in 3 working days"
                      body: "ICP 备案 due 2026-05-11.\n\nAcme Shop   \n"
                      create_time { seconds: 1778029200 }
                    }
                    messages { name: "recipients/li.na/inbox/1" subject: "Test" }
                    next_page_token: "p"
                  )pb"),
                  kDefaults);
  EXPECT_EQ(out,
            "recipients/li.na/inbox/2  2026-05-06 01:00Z  deliveries/9\n"
            "  ICP filing due in 3 working days\n"
            "  ICP 备案 due 2026-05-11.\n"
            "\n"
            "  Acme Shop\n"
            "\n"
            "recipients/li.na/inbox/1  -  -\n"
            "  Test\n"
            "\n"
            "more: --page_token=p (or --all)\n");
  EXPECT_EQ(RenderInbox(v1::ListInboxMessagesResponse(), kDefaults), "no messages\n");
}

TEST(RenderSubscriptionStatusTest, ConnectedOrNot) {
  EXPECT_EQ(RenderSubscriptionStatus(FromText<v1::SubscriptionStatus>(R"pb(
                                       checklist_address: "127.0.0.1:50051"
                                       connected: true
                                       applied_sequence: 1234
                                       last_event_time { seconds: 1778029200 }
                                       reconnects: 2
                                     )pb"),
                                     kDefaults),
            "checklist   127.0.0.1:50051  connected\n"
            "applied     event 1234\n"
            "last event  2026-05-06 01:00:00Z\n"
            "reconnects  2\n");
  EXPECT_THAT(RenderSubscriptionStatus(FromText<v1::SubscriptionStatus>(
                                           R"pb(checklist_address: "h:1"
                                                last_error: "connection refused\nretrying")pb"),
                                       kDefaults),
              HasSubstr("h:1  NOT CONNECTED\n"));
  EXPECT_THAT(RenderSubscriptionStatus(FromText<v1::SubscriptionStatus>(
                                           R"pb(last_error: "connection refused\nretrying")pb"),
                                       kDefaults),
              HasSubstr("last error  connection refused retrying\n"));
}

}  // namespace
}  // namespace preflight::cli
