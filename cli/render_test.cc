#include "cli/render.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/testing/text.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using testing::FromText;
using ::testing::HasSubstr;
using testing::Lines;
using ::testing::Not;
using ::testing::StartsWith;

// The line of `text` that starts with `prefix` (after the marks column), or "".
std::string LineWith(const std::string& text, const std::string& needle) {
  for (const std::string& line : Lines(text)) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return "";
}

TEST(DisplayWidthTest, CountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("ICP filing"), 10);
  EXPECT_EQ(DisplayWidth("微信认证"), 8);
  EXPECT_EQ(DisplayWidth("ICP备案"), 7);
  EXPECT_EQ(DisplayWidth("¥600"), 4);
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1);  // e + combining acute accent
  EXPECT_EQ(DisplayWidth("\xFF"), 1);       // malformed byte still takes a column
  // As utf8proc counts them: emoji beyond the old table's ranges, combining marks of other
  // scripts, the ellipsis.
  EXPECT_EQ(DisplayWidth("🚀"), 2);
  EXPECT_EQ(DisplayWidth("ก\u0E31"), 1);  // Thai ko kai + mai han-akat
  EXPECT_EQ(DisplayWidth("…"), 1);
  EXPECT_EQ(DisplayWidth("ＩＣＰ"), 6);  // fullwidth Latin
}

TEST(TruncateToWidthTest, CutsByDisplayWidthWithAnEllipsis) {
  EXPECT_EQ(TruncateToWidth("ICP filing", 10), "ICP filing");
  EXPECT_EQ(TruncateToWidth("ICP filing (website / domain)", 10), "ICP filin…");
  EXPECT_EQ(TruncateToWidth("ICP filing (website / domain)", 12), "ICP filing…");
  // Wide characters are never split across the limit.
  EXPECT_EQ(TruncateToWidth("微信认证流程", 6), "微信…");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("微信认证流程", 6)), 5);
}

TEST(TableTest, AlignsColumnsByDisplayWidth) {
  Table table({"CODE", "TITLE", "STATUS"});
  table.AddRow({"MP_VERIFY", "微信认证", "submitted"});
  table.AddRow({"BIZ", "Business licence", "approved"});
  table.AddRow({"X"});
  EXPECT_EQ(table.Render(),
            "CODE       TITLE             STATUS\n"
            "MP_VERIFY  微信认证          submitted\n"
            "BIZ        Business licence  approved\n"
            "X\n");
}

TEST(FormatMoneyTest, YuanWithThousandsAndCents) {
  EXPECT_EQ(FormatMoney(FromText<v1::Money>("currency_code: 'CNY' units: 600")), "¥600");
  EXPECT_EQ(FormatMoney(FromText<v1::Money>("currency_code: 'CNY' units: 1234 nanos: 500000000")),
            "¥1,234.50");
  EXPECT_EQ(FormatMoney(FromText<v1::Money>("units: 1000000")), "¥1,000,000");
  EXPECT_EQ(FormatMoney(v1::Money()), "¥0");
  EXPECT_EQ(FormatMoney(FromText<v1::Money>("currency_code: 'USD' units: 12")), "USD 12.00");
  EXPECT_EQ(FormatMoney(FromText<v1::Money>("currency_code: 'CNY' units: -30")), "-¥30");
}

TEST(StatusLabelTest, UsesTheCliSpelling) {
  EXPECT_EQ(StatusLabel(v1::ITEM_STATUS_IN_PROGRESS), "in_progress");
  EXPECT_EQ(StatusLabel(v1::ITEM_STATUS_NOT_APPLICABLE), "n/a");
  EXPECT_EQ(StatusLabel(v1::ITEM_STATUS_RETURNED), "returned");
}

const char kLaunch[] = R"pb(
  name: "launches/l1"
  tenant: "acme"
  display_name: "Acme Shop"
  owner: "alice"
  target_launch_date: "2026-09-01"
  time_zone: "Asia/Shanghai"
  etag: "7-abc"
  profile {
    subject_type: SUBJECT_TYPE_ENTERPRISE
    hosting: HOSTING_OWN_MAINLAND_SERVER
    takes_payments: true
    service_categories: "ecommerce"
  }
  schedule {
    projected_launch_date: "2026-09-04"
    at_risk: true
    slack_working_days: -3
    critical_path: "MP_ACCOUNT"
    critical_path: "MP_VERIFY"
    fees_paid { currency_code: "CNY" units: 600 }
    fees_expected { currency_code: "CNY" units: 900 }
  }
  blockers { code: "MP_VERIFY" message: "rejected; resubmit" item: "launches/l1/items/MP_VERIFY" }
  items {
    code: "PSB_FILING"
    title_en: "Public security filing"
    status: ITEM_STATUS_NOT_APPLICABLE
    applicability_reason: "no own domain"
  }
  items {
    code: "MP_VERIFY"
    title_en: "WeChat verification"
    title_zh: "微信认证"
    status: ITEM_STATUS_SUBMITTED
    assignee: "bob"
    attempts: 2
    fees_paid { currency_code: "CNY" units: 600 }
    schedule {
      latest_start_date: "2026-08-10"
      latest_finish_date: "2026-08-20"
      projected_finish_date: "2026-08-25"
      slack_working_days: -3
      critical: true
      at_risk: true
    }
  }
  items {
    code: "ICP_LICENSE"
    title_en: "ICP commercial licence (value-added telecom business licence, B25)"
    status: ITEM_STATUS_NOT_APPLICABLE
    applicability_reason: "no paid information services"
  }
  items {
    code: "BIZ"
    title_en: "Business licence"
    status: ITEM_STATUS_APPROVED
    schedule { done: true }
  }
  items {
    code: "ICP_FILING"
    title_en: "ICP filing"
    status: ITEM_STATUS_WAIVED
    waiver_reason: "filed under the parent company"
    schedule { done: true latest_finish_date: "2026-08-01" }
  }
)pb";

TEST(RenderLaunchTest, HeaderSummarisesTheLaunch) {
  const std::string out = RenderLaunch(FromText<v1::Launch>(kLaunch));
  EXPECT_THAT(out, StartsWith("launches/l1  Acme Shop\n"));
  EXPECT_THAT(out, HasSubstr("tenant         acme\n"));
  EXPECT_THAT(out, HasSubstr("owner          alice\n"));
  EXPECT_THAT(out, HasSubstr("target         2026-09-01 (Asia/Shanghai)\n"));
  EXPECT_THAT(out, HasSubstr("projected      2026-09-04  AT RISK (3 working days late)\n"));
  EXPECT_THAT(out, HasSubstr("fees           ¥600 paid, ¥900 still to pay\n"));
  EXPECT_THAT(out, HasSubstr("critical path  MP_ACCOUNT > MP_VERIFY\n"));
  EXPECT_THAT(out, HasSubstr("blockers       MP_VERIFY: rejected; resubmit\n"));
  EXPECT_THAT(out, HasSubstr("profile        enterprise, own_mainland_server, payments, "
                             "categories ecommerce\n"));
  EXPECT_THAT(out, HasSubstr("etag           7-abc\n"));
}

TEST(RenderLaunchTest, OneAlignedRowPerItemWithNotApplicableLast) {
  const std::string out = RenderLaunch(FromText<v1::Launch>(kLaunch));
  const std::string header = LineWith(out, "CODE");
  ASSERT_FALSE(header.empty()) << out;
  EXPECT_EQ(header,
            "    CODE         TITLE                                     STATUS     ASSIGNEE  "
            "START BY    DUE         PROJECTED   SLACK  NOTE");

  const std::string verify = LineWith(out, "MP_VERIFY  ");
  EXPECT_EQ(verify,
            "*!  MP_VERIFY    WeChat verification                       submitted  bob       "
            "2026-08-10  2026-08-20  2026-08-25  -3     attempts 2; paid ¥600");
  // Every column starts where its header does.
  EXPECT_EQ(verify.find("submitted"), header.find("STATUS"));
  EXPECT_EQ(LineWith(out, "BIZ  ").find("approved"), header.find("STATUS"));
  EXPECT_THAT(LineWith(out, "ICP_FILING"), HasSubstr("waived: filed under the parent company"));
  // Done items show no slack.
  EXPECT_EQ(LineWith(out, "ICP_FILING").substr(header.find("SLACK"), 1), "-");

  // The not-applicable item comes after every applicable one, with its reason.
  const std::string psb = LineWith(out, "PSB_FILING");
  EXPECT_THAT(psb, HasSubstr("n/a"));
  EXPECT_THAT(psb, HasSubstr("no own domain"));
  EXPECT_GT(out.find("PSB_FILING"), out.find("ICP_FILING"));
  EXPECT_GT(out.find("PSB_FILING"), out.find("MP_VERIFY  "));
  // Long titles are cut so the table stays readable.
  EXPECT_THAT(LineWith(out, "ICP_LICENSE"),
              HasSubstr("ICP commercial licence (value-added tel…  n/a"));
  EXPECT_THAT(out, HasSubstr("3 applicable items, 2 done; 2 not applicable."));
  EXPECT_THAT(out, HasSubstr("legend: * critical path  ! at risk"));
  for (const std::string& line : Lines(out)) EXPECT_THAT(line, Not(::testing::EndsWith(" ")));
}

TEST(RenderLaunchTest, ReturnedItemRowSaysWhatItsOrderStillCovers) {
  v1::Launch launch = FromText<v1::Launch>(R"pb(
    name: "launches/l1"
    items {
      code: "MP_VERIFY"
      title_en: "WeChat verification"
      status: ITEM_STATUS_RETURNED
      attempts: 2
      fees_paid { currency_code: "CNY" units: 300 }
      paid_orders: 1
      free_resubmissions_left: 2
    }
  )pb");
  const std::string row = LineWith(RenderLaunch(launch), "MP_VERIFY  ");
  EXPECT_THAT(row, HasSubstr(" returned "));
  EXPECT_THAT(row, HasSubstr("  attempts 2; paid ¥300; 2 free resubmissions left"));
}

TEST(RenderLaunchTest, WithoutItemsShowsOnlyTheHeader) {
  v1::Launch launch = FromText<v1::Launch>(kLaunch);
  launch.clear_items();
  launch.clear_blockers();
  launch.mutable_schedule()->set_at_risk(false);
  launch.mutable_schedule()->set_slack_working_days(1);
  const std::string out = RenderLaunch(launch);
  EXPECT_THAT(out, HasSubstr("blockers       none\n"));
  EXPECT_THAT(out, HasSubstr("on track (slack 1 working day)"));
  EXPECT_THAT(out, Not(HasSubstr("CODE")));
}

TEST(RenderLaunchTest, NamesMissingCalendarYearsAndMarksEstimates) {
  v1::Launch launch = FromText<v1::Launch>(kLaunch);
  v1::LaunchSchedule* schedule = launch.mutable_schedule();
  schedule->set_unconfirmed_calendar(true);
  schedule->add_unconfirmed_years(2027);
  schedule->add_estimated_critical_items("PERMIT_GAME");
  schedule->add_estimated_critical_items("CODE_REVIEW");
  v1::Item* verify = launch.mutable_items(1);
  ASSERT_EQ(verify->code(), "MP_VERIFY");
  verify->mutable_schedule()->set_duration_estimated(true);
  const std::string out = RenderLaunch(launch);
  EXPECT_THAT(out, HasSubstr("projected      ~2026-09-04 (estimate: PERMIT_GAME, CODE_REVIEW)  "
                             "AT RISK (3 working days late)  "
                             "[2027 not in the holiday calendar yet (counted Mon-Fri)]\n"));
  EXPECT_THAT(LineWith(out, "MP_VERIFY  "), HasSubstr("2026-08-20  ~2026-08-25  -3"));
  EXPECT_THAT(out, HasSubstr("~ rests on an estimated duration"));

  // Several years are all named; a server that sends only the flag still gets a note.
  schedule->add_unconfirmed_years(2028);
  EXPECT_THAT(RenderLaunch(launch), HasSubstr("[2027, 2028 not in the holiday calendar yet"));
  schedule->clear_unconfirmed_years();
  EXPECT_THAT(RenderLaunch(launch),
              HasSubstr("[counts Mon-Fri beyond the known holiday calendar]"));
}

TEST(RenderItemTest, ShowsStatusScheduleAndFees) {
  v1::Item item = FromText<v1::Item>(R"pb(
    name: "launches/l1/items/MP_VERIFY"
    title_en: "WeChat verification"
    title_zh: "微信认证"
    status: ITEM_STATUS_SUBMITTED
    attempts: 2
    fee_per_attempt { currency_code: "CNY" units: 300 }
    fee_charged_per_attempt: true
    fees_paid { currency_code: "CNY" units: 600 }
    depends_on: "MP_ACCOUNT"
    due_date: "2026-08-15"
    etag: "5-def"
    schedule {
      latest_finish_date: "2026-08-20"
      projected_finish_date: "2026-08-18"
      slack_working_days: 2
    }
  )pb");
  const std::string out = RenderItem(item);
  EXPECT_THAT(out, StartsWith("launches/l1/items/MP_VERIFY  WeChat verification (微信认证)\n"));
  EXPECT_THAT(out, HasSubstr("status      submitted (attempts 2)\n"));
  EXPECT_THAT(out, HasSubstr("due         2026-08-20\n"));
  EXPECT_THAT(out, HasSubstr("fixed due   2026-08-15\n"));
  EXPECT_THAT(out, HasSubstr("projected   2026-08-18 (slack 2 working days)\n"));
  EXPECT_THAT(out, HasSubstr("fees paid   ¥600 (¥300 per attempt)\n"));
  EXPECT_THAT(out, HasSubstr("depends on  MP_ACCOUNT\n"));
  EXPECT_THAT(out, HasSubstr("etag        5-def\n"));
  EXPECT_THAT(out, Not(HasSubstr("assignee")));
  EXPECT_THAT(out, Not(HasSubstr("calendar")));

  item.mutable_schedule()->set_duration_estimated(true);
  item.mutable_schedule()->set_unconfirmed_calendar(true);
  item.mutable_schedule()->add_unconfirmed_years(2027);
  const std::string flagged = RenderItem(item);
  EXPECT_THAT(flagged, HasSubstr("projected   ~2026-08-18 (estimate) (slack 2 working days)\n"));
  EXPECT_THAT(flagged,
              HasSubstr("calendar    2027 not in the holiday calendar yet (counted Mon-Fri)\n"));
}

TEST(RenderItemTest, SaysWhichMaterialsAreMissing) {
  const v1::Item item = FromText<v1::Item>(R"pb(
    name: "launches/l1/items/ICP_FILING"
    title_en: "ICP filing"
    materials { code: "business_licence" status: MATERIAL_STATUS_READY }
    materials { code: "face_check" status: MATERIAL_STATUS_MISSING }
    materials { code: "residence_permit" status: MATERIAL_STATUS_NOT_APPLICABLE }
    materials { code: "authorisation_letter" status: MATERIAL_STATUS_NOT_NEEDED }
  )pb");
  EXPECT_THAT(RenderItem(item),
              HasSubstr("materials  1 missing: face_check (2 ready or not needed)\n"));
}

TEST(RenderItemTest, ShowsPaidOrdersAndFreeResubmissions) {
  v1::Item item = FromText<v1::Item>(R"pb(
    name: "launches/l1/items/MP_VERIFY"
    code: "MP_VERIFY"
    title_en: "WeChat verification"
    status: ITEM_STATUS_RETURNED
    attempts: 6
    fee_per_attempt { currency_code: "CNY" units: 300 }
    fees_paid { currency_code: "CNY" units: 600 }
    paid_orders: 2
    free_resubmissions_left: 2
    depends_on: "MP_ACCOUNT"
  )pb");
  std::string out = RenderItem(item);
  EXPECT_THAT(out, HasSubstr("status      returned (attempts 6)\n"));
  EXPECT_THAT(out, HasSubstr("fees paid   ¥600 (¥300 per order, 2 orders; 2 free resubmissions "
                             "left)\n"));
  item.set_paid_orders(1);
  item.set_free_resubmissions_left(1);
  item.mutable_fees_paid()->set_units(300);
  out = RenderItem(item);
  EXPECT_THAT(out, HasSubstr("fees paid   ¥300 (¥300 per order, 1 order; 1 free resubmission "
                             "left)\n"));
  // A one-off fee, paid: nothing about orders.
  item.set_free_resubmissions_left(0);
  EXPECT_THAT(RenderItem(item), HasSubstr("fees paid   ¥300 (¥300)\n"));
}

TEST(RenderReadinessTest, NotReadyWithBlockers) {
  const std::string out = RenderReadiness(FromText<v1::Readiness>(R"pb(
    launch: "launches/l1"
    ready: false
    items_total: 12
    items_done: 4
    blockers { code: "MP_VERIFY" message: "item MP_VERIFY is rejected" }
    blockers { code: "PAYMENTS_INDIVIDUAL" message: "individuals cannot take payments" }
    schedule {
      projected_launch_date: "2026-08-20"
      slack_working_days: 5
      critical_path: "A"
      critical_path: "B"
      fees_paid { units: 0 }
      fees_expected { units: 300 }
    }
  )pb"));
  EXPECT_THAT(out, StartsWith("launches/l1: NOT READY (4 of 12 items done)\n"));
  EXPECT_THAT(out, HasSubstr("projected      2026-08-20  on track (slack 5 working days)\n"));
  EXPECT_THAT(out, HasSubstr("critical path  A > B\n"));
  EXPECT_THAT(out, HasSubstr("fees           ¥0 paid, ¥300 still to pay\n"));
  EXPECT_THAT(out, HasSubstr("blockers       MP_VERIFY: item MP_VERIFY is rejected\n"
                             "               PAYMENTS_INDIVIDUAL: individuals cannot take"));
}

TEST(RenderReadinessTest, Ready) {
  const std::string out = RenderReadiness(FromText<v1::Readiness>(R"pb(launch: "launches/l1"
                                                                       ready: true
                                                                       items_total: 3
                                                                       items_done: 3)pb"));
  EXPECT_THAT(out, StartsWith("launches/l1: READY (3 of 3 items done)\n"));
  EXPECT_THAT(out, HasSubstr("blockers       none\n"));
}

TEST(RenderEventsTest, OneLinePerEvent) {
  const std::string out = RenderEvents(FromText<v1::ListEventsResponse>(R"pb(
    events {
      sequence: 1
      type: TYPE_LAUNCH_CREATED
      actor: "alice"
      time { seconds: 1767225600 }
      summary: "created"
    }
    events {
      sequence: 12
      type: TYPE_ITEM_UPDATED
      item_code: "MP_VERIFY"
      actor: "bob"
      time { seconds: 1767229200 }
      summary: "status: SUBMITTED -> REJECTED"
    }
    next_page_token: "next"
  )pb"));
  EXPECT_THAT(Lines(out),
              ElementsAre("SEQ  TIME                  TYPE            ITEM       ACTOR  SUMMARY",
                          "1    2026-01-01 00:00:00Z  launch_created  -          alice  created",
                          "12   2026-01-01 01:00:00Z  item_updated    MP_VERIFY  bob    status: "
                          "SUBMITTED -> REJECTED",
                          "more: --page_token=next (or --all)"));
  EXPECT_EQ(RenderEvents(v1::ListEventsResponse()), "no events\n");
}

TEST(RenderLaunchListTest, TableAndNextPage) {
  const std::string out = RenderLaunchList(FromText<v1::ListLaunchesResponse>(R"pb(
    launches {
      name: "launches/l1"
      display_name: "Acme Shop"
      tenant: "acme"
      owner: "alice"
      target_launch_date: "2026-09-01"
      schedule { projected_launch_date: "2026-09-04" at_risk: true }
    }
    next_page_token: "tok"
  )pb"));
  EXPECT_THAT(Lines(out), ElementsAre(HasSubstr("NAME"),
                                      "launches/l1  Acme Shop     acme    alice  2026-09-01  "
                                      "2026-09-04  AT RISK",
                                      "more: --page_token=tok"));
  EXPECT_EQ(RenderLaunchList(v1::ListLaunchesResponse()), "no launches\n");
}

TEST(RenderTemplatesTest, ListsIdsAndCategories) {
  const std::string out = RenderTemplates(FromText<v1::ListTemplatesResponse>(R"pb(
    templates {
      id: "wechat-miniprogram-cn"
      title_en: "WeChat Mini Program (mainland China)"
      categories { code: "ecommerce" }
      categories { code: "social_live" }
      items { code: "BIZ" }
      items { code: "ICP_FILING" }
    }
  )pb"));
  EXPECT_THAT(out, HasSubstr("wechat-miniprogram-cn  WeChat Mini Program (mainland China)  2      "
                             "ecommerce,social_live"));
}

TEST(ToJsonTest, ProtoFieldNamesAndDefaultsRoundTrip) {
  const v1::Launch launch = FromText<v1::Launch>(kLaunch);
  absl::StatusOr<std::string> json = ToJson(launch);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"display_name\": \"Acme Shop\""));
  EXPECT_THAT(*json, HasSubstr("\"status\": \"ITEM_STATUS_SUBMITTED\""));
  // Default values are spelled out so scripts need no special cases.
  EXPECT_THAT(*json, HasSubstr("\"went_live_date\": \"\""));
  EXPECT_THAT(*json, HasSubstr("\"attempts\": 0"));
  EXPECT_EQ(json->back(), '\n');
  v1::Launch parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &parsed).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, launch));
}

}  // namespace
}  // namespace preflight::cli
