#include "cli/render.h"

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

// Options as the CLI's defaults: a table, headers, no width limit, launch zones unknown.
const RenderOptions kDefaults;

RenderOptions WithWidth(int width) {
  RenderOptions options;
  options.width = width;
  return options;
}

RenderOptions AllItems() {
  RenderOptions options;
  options.all_items = true;
  return options;
}

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

// The first line of `text` that contains `needle`, or "".
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

// A table whose TITLE column is free text and too wide for 40 columns.
Table TitleTable() {
  Table table({"CODE", "TITLE", "STATUS"});
  table.SetShrinkable("TITLE");
  table.AddRow(
      {"ICP_LICENSE", "ICP commercial licence (value-added telecom business licence)", "n/a"});
  table.AddRow({"MP_VERIFY", "WeChat verification", "submitted"});
  return table;
}

TEST(TableTest, ShrinksTheFreeTextColumnsToTheWidth) {
  const std::string out = TitleTable().Render(WithWidth(40));
  EXPECT_EQ(out,
            "CODE         TITLE             STATUS\n"
            "ICP_LICENSE  ICP commercial…   n/a\n"
            "MP_VERIFY    WeChat verifica…  submitted\n");
  for (const std::string& line : Lines(out)) EXPECT_LE(DisplayWidth(line), 40) << line;
  // Wide or without a width, nothing is cut.
  RenderOptions wide = WithWidth(40);
  wide.wide = true;
  EXPECT_THAT(TitleTable().Render(wide),
              HasSubstr("ICP commercial licence (value-added telecom business licence)  n/a\n"));
  EXPECT_EQ(TitleTable().Render(wide), TitleTable().Render(kDefaults));
}

TEST(TableTest, ShrinksTheLastColumnByDefaultAndNeverBelowItsFloor) {
  Table table({"SEQ", "SUMMARY"});
  table.AddRow({"1", "status: SUBMITTED -> REJECTED"});
  EXPECT_EQ(table.Render(WithWidth(20)),
            "SEQ  SUMMARY\n"
            "1    status: SUBMIT…\n");
  // Columns that are not free text stay whole, and a free-text one keeps kMinShrunkWidth: the
  // line is then as short as it can be, if longer than asked.
  EXPECT_EQ(table.Render(WithWidth(5)),
            "SEQ  SUMMARY\n"
            "1    status:…\n");
}

TEST(TableTest, ShrinksTheWidestFreeTextColumnFirst) {
  Table table({"ITEM", "TITLE", "NOTE"});
  table.SetShrinkable("TITLE");
  table.SetShrinkable("NOTE");
  table.AddRow({"BIZ", "Business licence", "waived: filed under the parent company long ago"});
  const std::string out = table.Render(WithWidth(60));
  // NOTE (47 columns) gives way alone while it is the widest, and no further than needed.
  EXPECT_EQ(Lines(out)[1], "BIZ   Business licence  waived: filed under the parent comp…");
  EXPECT_EQ(DisplayWidth(Lines(out)[1]), 60);
}

TEST(TableTest, CountsWideCharactersTwiceWhenFitting) {
  Table table({"CODE", "TITLE"});
  table.AddRow({"MP_VERIFY", "微信认证流程说明文档"});  // 20 columns
  const std::string out = table.Render(WithWidth(25));
  EXPECT_EQ(Lines(out)[1], "MP_VERIFY  微信认证流程…");
  EXPECT_EQ(DisplayWidth(Lines(out)[1]), 24);  // a wide character does not fit in the last one
}

TEST(WrapToWidthTest, BreaksAtSpaces) {
  EXPECT_EQ(WrapToWidth("legend: * critical path  ! at risk", 0),
            "legend: * critical path  ! at risk\n");
  EXPECT_EQ(WrapToWidth("legend: * critical path  ! at risk", 20),
            "legend: * critical\n"
            "path  ! at risk\n");
  // A word wider than the width keeps its own line; wide characters count two.
  EXPECT_EQ(WrapToWidth("see https://example.com/a/very/long/path now", 10),
            "see\nhttps://example.com/a/very/long/path\nnow\n");
  EXPECT_EQ(WrapToWidth("微信认证 备案", 9), "微信认证\n备案\n");
}

TEST(TableTest, NoHeadersAndOneLinePerRow) {
  Table table({"CODE", "NOTE"});
  table.AddRow({"BIZ", "first line\nsecond\tline"});
  RenderOptions options;
  options.headers = false;
  // Without the header row the columns are as wide as their cells.
  EXPECT_EQ(table.Render(options), "BIZ  first line second line\n");
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
  blockers { code: "PAYMENTS_REVIEW" message: "payments need the payment licence review" }
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
  const std::string out = RenderLaunch(FromText<v1::Launch>(kLaunch), nullptr, kDefaults);
  EXPECT_THAT(out, StartsWith("launches/l1  Acme Shop\n"));
  EXPECT_THAT(out, HasSubstr("tenant            acme\n"));
  EXPECT_THAT(out, HasSubstr("owner             alice\n"));
  EXPECT_THAT(out, HasSubstr("target            2026-09-01 (Asia/Shanghai)\n"));
  EXPECT_THAT(out, HasSubstr("projected         2026-09-04  AT RISK (3 working days late)\n"));
  EXPECT_THAT(out, HasSubstr("fees              ¥600 paid, ¥900 still to pay\n"));
  EXPECT_THAT(out, HasSubstr("critical path     MP_ACCOUNT > MP_VERIFY\n"));
  // Without the readiness answer only the profile's blockers are known, and the label says so.
  EXPECT_THAT(out, HasSubstr("profile blockers  PAYMENTS_REVIEW: payments need the payment licence "
                             "review\n"));
  EXPECT_THAT(out, HasSubstr("profile           enterprise, own_mainland_server, payments, "
                             "categories ecommerce\n"));
  EXPECT_THAT(out, HasSubstr("etag              7-abc\n"));
}

TEST(RenderLaunchTest, OneAlignedRowPerApplicableItem) {
  const std::string out = RenderLaunch(FromText<v1::Launch>(kLaunch), nullptr, kDefaults);
  const std::string header = LineWith(out, "CODE");
  ASSERT_FALSE(header.empty()) << out;
  EXPECT_EQ(header,
            "    CODE        TITLE                STATUS     ASSIGNEE  START BY    DUE         "
            "PROJECTED   SLACK  NOTE");

  const std::string verify = LineWith(out, "MP_VERIFY  ");
  EXPECT_EQ(verify,
            "*!  MP_VERIFY   WeChat verification  submitted  bob       2026-08-10  2026-08-20  "
            "2026-08-25  -3     attempts 2; paid ¥600");
  // Every column starts where its header does.
  EXPECT_EQ(verify.find("submitted"), header.find("STATUS"));
  EXPECT_EQ(LineWith(out, "BIZ  ").find("approved"), header.find("STATUS"));
  EXPECT_THAT(LineWith(out, "ICP_FILING"), HasSubstr("waived: filed under the parent company"));
  // Done items show no slack.
  EXPECT_EQ(LineWith(out, "ICP_FILING").substr(header.find("SLACK"), 1), "-");
  // The items that do not apply are counted, not listed.
  EXPECT_THAT(out, Not(HasSubstr("PSB_FILING")));
  EXPECT_THAT(out, Not(HasSubstr("ICP_LICENSE")));
  EXPECT_THAT(out,
              HasSubstr("\n3 applicable items, 2 done; 2 not applicable (--all shows them).\n"));
  EXPECT_THAT(out, HasSubstr("legend: * critical path  ! at risk"));
  EXPECT_THAT(out, Not(HasSubstr("n/a items last")));
  for (const std::string& line : Lines(out)) EXPECT_THAT(line, Not(::testing::EndsWith(" ")));
}

TEST(RenderLaunchTest, AllItemsListsTheNotApplicableLastWithTheirReasons) {
  const std::string out = RenderLaunch(FromText<v1::Launch>(kLaunch), nullptr, AllItems());
  const std::string psb = LineWith(out, "PSB_FILING");
  EXPECT_THAT(psb, HasSubstr("n/a"));
  EXPECT_THAT(psb, HasSubstr("no own domain"));
  EXPECT_GT(out.find("PSB_FILING"), out.find("ICP_FILING"));
  EXPECT_GT(out.find("PSB_FILING"), out.find("MP_VERIFY  "));
  // Without a width nothing is cut.
  EXPECT_THAT(LineWith(out, "ICP_LICENSE"),
              HasSubstr("ICP commercial licence (value-added telecom business licence, B25)  n/a"));
  EXPECT_THAT(out, HasSubstr("\n3 applicable items, 2 done; 2 not applicable.\n"));
  EXPECT_THAT(out, HasSubstr("n/a items last, with the reason they do not apply"));
}

TEST(RenderLaunchTest, LongTitlesAreCutToTheWidthUnlessWide) {
  RenderOptions options = AllItems();
  options.width = 140;
  const std::string out = RenderLaunch(FromText<v1::Launch>(kLaunch), nullptr, options);
  // The header fields, the table, the footer.
  const std::vector<std::string> parts = absl::StrSplit(out, "\n\n");
  ASSERT_EQ(parts.size(), 3u) << out;
  for (const std::string& line : Lines(parts[1])) EXPECT_LE(DisplayWidth(line), 140) << line;
  const std::string header = LineWith(out, "CODE");
  // The legend is broken at spaces too.
  for (const std::string& line : Lines(parts[2])) EXPECT_LE(DisplayWidth(line), 140) << line;
  const std::string licence = LineWith(out, "ICP_LICENSE");
  EXPECT_THAT(licence, HasSubstr("  ICP commercial licence ("));
  EXPECT_THAT(licence, HasSubstr("…  n/a"));
  // Short cells and the columns that are not free text are left alone, and stay aligned.
  const std::string verify = LineWith(out, "MP_VERIFY  ");
  EXPECT_THAT(verify, HasSubstr("  WeChat verification  "));
  EXPECT_EQ(DisplayWidth(licence.substr(0, licence.find("n/a"))),
            DisplayWidth(header.substr(0, header.find("STATUS"))));
  options.wide = true;
  const std::string wide = RenderLaunch(FromText<v1::Launch>(kLaunch), nullptr, options);
  EXPECT_THAT(LineWith(wide, "ICP_LICENSE"),
              HasSubstr("ICP commercial licence (value-added telecom business licence, B25)"));
}

TEST(RenderLaunchTest, NoHeadersKeepsTheFieldsAndRowsOnly) {
  RenderOptions options;
  options.headers = false;
  const std::string out = RenderLaunch(FromText<v1::Launch>(kLaunch), nullptr, options);
  EXPECT_THAT(out, HasSubstr("tenant            acme\n"));
  EXPECT_THAT(out, HasSubstr("\n*!  MP_VERIFY   WeChat verification  submitted"));
  EXPECT_THAT(out, Not(HasSubstr("CODE")));
  EXPECT_THAT(out, Not(HasSubstr("applicable items")));
  EXPECT_THAT(out, Not(HasSubstr("legend")));
}

TEST(RenderLaunchTest, WideAddsGroupProjectedStartDependenciesAndFee) {
  v1::Launch launch = FromText<v1::Launch>(kLaunch);
  v1::Item* verify = launch.mutable_items(1);
  verify->set_group("wechat");
  verify->add_depends_on("MP_ACCOUNT");
  verify->mutable_fee_per_attempt()->set_units(300);
  verify->set_fee_charged_per_attempt(true);
  verify->mutable_schedule()->set_projected_start_date("2026-08-12");
  RenderOptions options;
  options.wide = true;
  const std::string out = RenderLaunch(launch, nullptr, options);
  EXPECT_EQ(LineWith(out, "CODE"),
            "    CODE        GROUP   TITLE                           STATUS     ASSIGNEE  "
            "START BY    DUE         PROJ START  PROJECTED   SLACK  DEPENDS ON  FEE           "
            "NOTE");
  EXPECT_EQ(LineWith(out, "MP_VERIFY  "),
            "*!  MP_VERIFY   wechat  WeChat verification (微信认证)  submitted  bob       "
            "2026-08-10  2026-08-20  2026-08-12  2026-08-25  -3     MP_ACCOUNT  ¥300/attempt  "
            "attempts 2; paid ¥600");
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
  const std::string row = LineWith(RenderLaunch(launch, nullptr, kDefaults), "MP_VERIFY  ");
  EXPECT_THAT(row, HasSubstr(" returned "));
  EXPECT_THAT(row, HasSubstr("  attempts 2; paid ¥300; 2 free resubmissions left"));
}

TEST(RenderLaunchTest, WithoutItemsShowsOnlyTheHeader) {
  v1::Launch launch = FromText<v1::Launch>(kLaunch);
  launch.clear_items();
  launch.clear_blockers();
  launch.mutable_schedule()->set_at_risk(false);
  launch.mutable_schedule()->set_slack_working_days(1);
  const std::string out = RenderLaunch(launch, nullptr, kDefaults);
  EXPECT_THAT(out, HasSubstr("profile blockers  none\n"));
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
  const std::string out = RenderLaunch(launch, nullptr, kDefaults);
  EXPECT_THAT(out, HasSubstr("projected         ~2026-09-04 (estimate: PERMIT_GAME, CODE_REVIEW)  "
                             "AT RISK (3 working days late)  "
                             "[2027 not in the holiday calendar yet (counted Mon-Fri)]\n"));
  EXPECT_THAT(LineWith(out, "MP_VERIFY  "), HasSubstr("2026-08-20  ~2026-08-25  -3"));
  EXPECT_THAT(out, HasSubstr("~ rests on an estimated duration"));

  // Several years are all named; a server that sends only the flag still gets a note.
  schedule->add_unconfirmed_years(2028);
  EXPECT_THAT(RenderLaunch(launch, nullptr, kDefaults),
              HasSubstr("[2027, 2028 not in the holiday calendar yet"));
  schedule->clear_unconfirmed_years();
  EXPECT_THAT(RenderLaunch(launch, nullptr, kDefaults),
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
  const std::string out = RenderItem(item, kDefaults);
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
  const std::string flagged = RenderItem(item, kDefaults);
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
  EXPECT_THAT(RenderItem(item, kDefaults),
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
  std::string out = RenderItem(item, kDefaults);
  EXPECT_THAT(out, HasSubstr("status      returned (attempts 6)\n"));
  EXPECT_THAT(out, HasSubstr("fees paid   ¥600 (¥300 per order, 2 orders; 2 free resubmissions "
                             "left)\n"));
  item.set_paid_orders(1);
  item.set_free_resubmissions_left(1);
  item.mutable_fees_paid()->set_units(300);
  out = RenderItem(item, kDefaults);
  EXPECT_THAT(out, HasSubstr("fees paid   ¥300 (¥300 per order, 1 order; 1 free resubmission "
                             "left)\n"));
  // A one-off fee, paid: nothing about orders.
  item.set_free_resubmissions_left(0);
  EXPECT_THAT(RenderItem(item, kDefaults), HasSubstr("fees paid   ¥300 (¥300)\n"));
}

// As the server answers: the profile's blockers first, then one per open item, whose message
// starts with the item's code.
const char kReadiness[] = R"pb(
  launch: "launches/l1"
  ready: false
  items_total: 12
  items_done: 4
  blockers { code: "PAYMENTS_INDIVIDUAL" message: "individuals cannot take payments" }
  blockers {
    code: "MP_VERIFY"
    message: "MP_VERIFY (WeChat verification) is submitted, due 2026-08-20, at risk"
    item: "launches/l1/items/MP_VERIFY"
  }
  blockers {
    code: "CLOUD_RN"
    message: "CLOUD_RN (Cloud real-name verification) is not_started, due 2026-08-01"
    item: "launches/l1/items/CLOUD_RN"
  }
  schedule {
    projected_launch_date: "2026-08-20"
    slack_working_days: 5
    critical_path: "A"
    critical_path: "B"
    fees_paid { units: 0 }
    fees_expected { units: 300 }
  }
)pb";

TEST(RenderReadinessTest, NotReadyWithBlockers) {
  const std::string out = RenderReadiness(FromText<v1::Readiness>(kReadiness), kDefaults);
  EXPECT_THAT(out, StartsWith("launches/l1: NOT READY (4 of 12 items done)\n"));
  EXPECT_THAT(out, HasSubstr("projected      2026-08-20  on track (slack 5 working days)\n"));
  EXPECT_THAT(out, HasSubstr("critical path  A > B\n"));
  EXPECT_THAT(out, HasSubstr("fees           ¥0 paid, ¥300 still to pay\n"));
  EXPECT_THAT(out,
              HasSubstr("blockers       3 (1 profile, 2 open items)\n"
                        "               PAYMENTS_INDIVIDUAL: individuals cannot take payments\n"
                        "               MP_VERIFY (WeChat verification) is submitted, due "
                        "2026-08-20, at risk\n"
                        "               CLOUD_RN (Cloud real-name verification) is "
                        "not_started, due 2026-08-01\n"));
}

TEST(RenderReadinessTest, SaysEachCodeOnce) {
  const std::string out = RenderReadiness(FromText<v1::Readiness>(kReadiness), kDefaults);
  EXPECT_THAT(out, Not(HasSubstr("CLOUD_RN: CLOUD_RN")));
  EXPECT_THAT(out, Not(HasSubstr("MP_VERIFY: MP_VERIFY")));
  // A message that does not start with its code still gets it, even when it starts with a
  // longer code.
  v1::Readiness readiness = FromText<v1::Readiness>(R"pb(
    launch: "launches/l1"
    blockers { code: "ICP" message: "ICP_FILING is missing" }
    blockers { code: "MP_VERIFY" message: "rejected" item: "launches/l1/items/MP_VERIFY" }
  )pb");
  const std::string other = RenderReadiness(readiness, kDefaults);
  EXPECT_THAT(other, HasSubstr("ICP: ICP_FILING is missing\n"));
  EXPECT_THAT(other, HasSubstr("MP_VERIFY: rejected\n"));
  EXPECT_THAT(other, HasSubstr("2 (1 profile, 1 open item)\n"));
}

TEST(RenderLaunchTest, CountsTheBlockersAsReadinessDoes) {
  const v1::Readiness readiness = FromText<v1::Readiness>(kReadiness);
  const std::string launch = RenderLaunch(FromText<v1::Launch>(kLaunch), &readiness, kDefaults);
  const std::string ready = RenderReadiness(readiness, kDefaults);
  EXPECT_THAT(ready, HasSubstr("blockers       3 (1 profile, 2 open items)\n"));
  // The same count and the profile's lines; the open items are the table's rows.
  EXPECT_THAT(launch,
              HasSubstr("blockers       3 (1 profile, 2 open items; `preflight readiness "
                        "launches/l1` lists them)\n"
                        "               PAYMENTS_INDIVIDUAL: individuals cannot take payments\n"));
  EXPECT_THAT(launch, Not(HasSubstr("profile blockers")));
  EXPECT_THAT(launch, Not(HasSubstr("CLOUD_RN (Cloud")));
  // The launch's own (profile) blockers are not counted twice.
  EXPECT_THAT(launch, Not(HasSubstr("PAYMENTS_REVIEW")));

  v1::Readiness none;
  none.set_launch("launches/l1");
  none.set_ready(true);
  EXPECT_THAT(RenderLaunch(FromText<v1::Launch>(kLaunch), &none, kDefaults),
              HasSubstr("\nblockers       none\n"));
}

TEST(RenderReadinessTest, Ready) {
  const std::string out = RenderReadiness(FromText<v1::Readiness>(R"pb(launch: "launches/l1"
                                                                       ready: true
                                                                       items_total: 3
                                                                       items_done: 3)pb"),
                                          kDefaults);
  EXPECT_THAT(out, StartsWith("launches/l1: READY (3 of 3 items done)\n"));
  EXPECT_THAT(out, HasSubstr("blockers       none\n"));
}

const char kEvents[] = R"pb(
  events {
    sequence: 1
    type: TYPE_LAUNCH_CREATED
    launch: "launches/l1"
    actor: "alice"
    time { seconds: 1767225600 }
    summary: "created"
  }
  events {
    sequence: 12
    type: TYPE_ITEM_UPDATED
    launch: "launches/l1"
    item_code: "MP_VERIFY"
    actor: "bob"
    time { seconds: 1767229200 }
    summary: "status: SUBMITTED -> REJECTED"
  }
  next_page_token: "next"
)pb";

TEST(RenderEventsTest, OneLinePerEventInUtcWhenTheZoneIsNotKnown) {
  const std::string out = RenderEvents(FromText<v1::ListEventsResponse>(kEvents), kDefaults);
  EXPECT_THAT(Lines(out),
              ElementsAre("SEQ  TIME               TYPE            ITEM       ACTOR  SUMMARY",
                          "1    2026-01-01 00:00Z  launch_created  -          alice  created",
                          "12   2026-01-01 01:00Z  item_updated    MP_VERIFY  bob    status: "
                          "SUBMITTED -> REJECTED",
                          "more: --page_token=next (or --all)"));
  EXPECT_EQ(RenderEvents(v1::ListEventsResponse(), kDefaults), "no events\n");
}

TEST(RenderEventsTest, TimesInTheLaunchZoneUnlessUtc) {
  RenderOptions options;
  options.zones = {{"launches/l1", Zone("Asia/Shanghai")}};
  const std::string out = RenderEvents(FromText<v1::ListEventsResponse>(kEvents), options);
  EXPECT_THAT(LineWith(out, "launch_created"), HasSubstr("  2026-01-01 08:00 +08:00  "));
  EXPECT_THAT(LineWith(out, "item_updated"), HasSubstr("  2026-01-01 09:00 +08:00  "));
  options.utc = true;
  EXPECT_THAT(
      LineWith(RenderEvents(FromText<v1::ListEventsResponse>(kEvents), options), "launch_created"),
      HasSubstr("  2026-01-01 00:00Z  "));
}

TEST(RenderEventsTest, LongSummariesAreCutToTheWidthUnlessWide) {
  v1::ListEventsResponse response = FromText<v1::ListEventsResponse>(kEvents);
  response.mutable_events(1)->set_summary(
      "notes: \"waiting for the bureau\" -> \"the bureau asked for the\nlease contract again\"");
  RenderOptions options = WithWidth(80);
  const std::string out = RenderEvents(response, options);
  const std::string row = LineWith(out, "item_updated");
  EXPECT_EQ(DisplayWidth(row), 80) << row;
  EXPECT_THAT(row, EndsWith("…"));
  EXPECT_THAT(row, HasSubstr("bob    notes: \"waiting for t…"));
  for (const std::string& line : Lines(out)) EXPECT_LE(DisplayWidth(line), 80) << line;

  options.wide = true;
  // Nothing cut, and the newline is a space: a row stays one line.
  EXPECT_THAT(RenderEvents(response, options),
              HasSubstr("\"the bureau asked for the lease contract again\"\n"));
}

TEST(RenderLaunchListTest, TableAndNextPage) {
  const std::string out =
      RenderLaunchList(FromText<v1::ListLaunchesResponse>(R"pb(
                         launches {
                           name: "launches/l1"
                           display_name: "Acme Shop"
                           tenant: "acme"
                           owner: "alice"
                           target_launch_date: "2026-09-01"
                           schedule { projected_launch_date: "2026-09-04" at_risk: true }
                         }
                         next_page_token: "tok"
                       )pb"),
                       kDefaults);
  EXPECT_THAT(Lines(out), ElementsAre(HasSubstr("NAME"),
                                      "launches/l1  Acme Shop     acme    alice  2026-09-01  "
                                      "2026-09-04  AT RISK",
                                      "more: --page_token=tok"));
  EXPECT_EQ(RenderLaunchList(v1::ListLaunchesResponse(), kDefaults), "no launches\n");
}

const char kLaunches[] = R"pb(
  launches {
    name: "launches/l1"
    display_name: "Acme Shop"
    tenant: "acme"
    owner: "alice"
    target_launch_date: "2026-09-01"
    time_zone: "Asia/Shanghai"
    profile { subject_type: SUBJECT_TYPE_ENTERPRISE hosting: HOSTING_OWN_MAINLAND_SERVER }
    schedule { projected_launch_date: "2026-09-04" at_risk: true slack_working_days: -3 }
  }
  next_page_token: "tok"
)pb";

TEST(RenderLaunchListTest, NoHeadersDropsTheHeaderRowAndTheHints) {
  RenderOptions options;
  options.headers = false;
  EXPECT_EQ(RenderLaunchList(FromText<v1::ListLaunchesResponse>(kLaunches), options),
            "launches/l1  Acme Shop  acme  alice  2026-09-01  2026-09-04  AT RISK\n");
  // Nothing at all for nothing, so `| wc -l` counts launches.
  EXPECT_EQ(RenderLaunchList(v1::ListLaunchesResponse(), options), "");
}

TEST(RenderLaunchListTest, WideAddsTheZoneProfileAndHowLate) {
  RenderOptions options;
  options.wide = true;
  const std::vector<std::string> lines =
      Lines(RenderLaunchList(FromText<v1::ListLaunchesResponse>(kLaunches), options));
  ASSERT_GE(lines.size(), 2u);
  EXPECT_THAT(lines[0], EndsWith("RISK                           ZONE           PROFILE"));
  EXPECT_THAT(lines[1], EndsWith("AT RISK (3 working days late)  Asia/Shanghai  enterprise, "
                                 "own_mainland_server"));
}

TEST(RenderTemplatesTest, WideAddsTheChineseTitleAndProvinces) {
  RenderOptions options;
  options.wide = true;
  const std::string out = RenderTemplates(FromText<v1::ListTemplatesResponse>(R"pb(
                                            templates {
                                              id: "wechat-miniprogram-cn"
                                              title_en: "WeChat Mini Program"
                                              title_zh: "微信小程序"
                                              provinces { code: "ZJ" }
                                              provinces { code: "GD" }
                                            }
                                          )pb"),
                                          options);
  EXPECT_THAT(Lines(out), ElementsAre("ID                     TITLE                             "
                                      "ITEMS  CATEGORIES  PROVINCES",
                                      "wechat-miniprogram-cn  WeChat Mini Program (微信小程序)  "
                                      "0      -           2"));
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
                                          )pb"),
                                          kDefaults);
  EXPECT_THAT(out, HasSubstr("wechat-miniprogram-cn  WeChat Mini Program (mainland China)  2      "
                             "ecommerce,social_live"));
}

}  // namespace
}  // namespace preflight::cli
