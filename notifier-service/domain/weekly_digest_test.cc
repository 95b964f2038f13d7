#include "notifier-service/domain/weekly_digest.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/working_calendar_testing.h"
#include "common/working_calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

absl::CivilDay D(int year, int month, int day) { return absl::CivilDay(year, month, day); }

const WorkingCalendar& Cal() { return testing::SharedBuiltinCalendar(); }

// ---- The working week's start ------------------------------------------------------------------

TEST(WorkingWeekStartTest, IsMondayInAnOrdinaryWeek) {
  // Monday 7 December 2026; any day of the week, Sunday included, belongs to it.
  EXPECT_THAT(WorkingWeekStart(Cal(), D(2026, 12, 7)), Optional(D(2026, 12, 7)));
  EXPECT_THAT(WorkingWeekStart(Cal(), D(2026, 12, 10)), Optional(D(2026, 12, 7)));
  EXPECT_THAT(WorkingWeekStart(Cal(), D(2026, 12, 13)), Optional(D(2026, 12, 7)));
}

TEST(WorkingWeekStartTest, AHolidayMondayMovesItToTuesday) {
  // Qingming 2026: Saturday 4 to Monday 6 April are days off (the calendar data).
  ASSERT_FALSE(Cal().IsWorkingDay(D(2026, 4, 6)));
  EXPECT_THAT(WorkingWeekStart(Cal(), D(2026, 4, 6)), Optional(D(2026, 4, 7)));
  EXPECT_THAT(WorkingWeekStart(Cal(), D(2026, 4, 9)), Optional(D(2026, 4, 7)));
}

TEST(WorkingWeekStartTest, AfterNationalDayTheWeekStartsOnThursday) {
  // 1 to 7 October 2026 are off: the week of Monday 5 October starts on Thursday the 8th.
  EXPECT_THAT(WorkingWeekStart(Cal(), D(2026, 10, 5)), Optional(D(2026, 10, 8)));
}

TEST(WorkingWeekStartTest, AMakeupWeekendDayNeverStartsAWeek) {
  // Sunday 20 September 2026 is a make-up working day (for National Day): it ends the week of
  // Monday 14 September, it does not start one.
  ASSERT_TRUE(Cal().IsWorkingDay(D(2026, 9, 20)));
  EXPECT_THAT(WorkingWeekStart(Cal(), D(2026, 9, 20)), Optional(D(2026, 9, 14)));
  // Saturday 28 February 2026 (make-up, after the Spring Festival): the week starts on Tuesday
  // 24 February, the first working weekday after the holiday.
  ASSERT_TRUE(Cal().IsWorkingDay(D(2026, 2, 28)));
  EXPECT_THAT(WorkingWeekStart(Cal(), D(2026, 2, 28)), Optional(D(2026, 2, 24)));
}

TEST(WorkingWeekStartTest, AWeekWithoutAWorkingWeekdayHasNoStart) {
  // Spring Festival 2026: Sunday 15 to Monday 23 February; Monday 16 to Friday 20 are all off.
  EXPECT_EQ(WorkingWeekStart(Cal(), D(2026, 2, 18)), std::nullopt);
}

// ---- Composition -------------------------------------------------------------------------------

ItemInfo Item(const std::string& code, const std::string& status) {
  ItemInfo item;
  item.launch_id = "l1";
  item.code = code;
  item.title_en = absl::StrCat(code, " title");
  item.title_zh = absl::StrCat(code, " 标题");
  item.status = status;
  item.done = status == "APPROVED" || status == "WAIVED" || status == "NOT_APPLICABLE";
  item.started = status != "NOT_STARTED";
  item.assignee = "li.na";
  return item;
}

DigestLaunchInput Launch(const std::string& id, std::vector<ItemInfo> items) {
  DigestLaunchInput input;
  input.launch.launch_id = id;
  input.launch.tenant = "acme";
  input.launch.display_name = absl::StrCat("Shop ", id);
  input.launch.target_launch_date = D(2027, 3, 1);
  for (ItemInfo& item : items) item.launch_id = id;
  input.items = std::move(items);
  return input;
}

std::vector<std::string> Codes(const std::vector<DigestItemLine>& lines) {
  std::vector<std::string> codes;
  for (const DigestItemLine& line : lines) codes.push_back(line.code);
  return codes;
}

TEST(ComposeWeeklyDigestTest, SortsItemsIntoTheirSections) {
  const absl::CivilDay monday = D(2026, 12, 7);
  ItemInfo overdue = Item("OVERDUE", "IN_PROGRESS");
  overdue.due = D(2026, 12, 2);  // Wednesday before: 3 working days overdue on Monday
  ItemInfo starts = Item("STARTS_FRIDAY", "NOT_STARTED");
  starts.latest_start = D(2026, 12, 11);
  starts.due = D(2026, 12, 30);
  ItemInfo late = Item("LATE_START", "NOT_STARTED");
  late.latest_start = D(2026, 12, 3);
  late.due = D(2026, 12, 30);
  ItemInfo next_week = Item("NEXT_WEEK", "NOT_STARTED");
  next_week.latest_start = D(2026, 12, 14);
  ItemInfo started = Item("STARTED", "IN_PROGRESS");
  started.latest_start = D(2026, 12, 8);
  ItemInfo renewal = Item("RENEWAL", "APPROVED");
  renewal.expiry = D(2027, 1, 5);  // 29 days after Monday
  ItemInfo far_renewal = Item("FAR_RENEWAL", "APPROVED");
  far_renewal.expiry = D(2027, 1, 7);  // 31 days
  ItemInfo done_overdue = Item("DONE", "APPROVED");
  done_overdue.due = D(2026, 11, 1);

  const WeeklyDigest digest = ComposeWeeklyDigest(
      "acme", monday,
      {Launch("l1",
              {overdue, starts, late, next_week, started, renewal, far_renewal, done_overdue})},
      Cal());
  EXPECT_EQ(digest.week_end, D(2026, 12, 13));
  EXPECT_THAT(Codes(digest.overdue), ElementsAre("OVERDUE"));
  EXPECT_EQ(digest.overdue[0].days, 3);
  EXPECT_EQ(digest.overdue[0].assignee, "li.na");
  EXPECT_THAT(Codes(digest.must_start), ElementsAre("LATE_START", "STARTS_FRIDAY"));
  EXPECT_EQ(digest.must_start[0].days, -2);
  EXPECT_EQ(digest.must_start[1].days, 4);
  EXPECT_THAT(Codes(digest.renewals), ElementsAre("RENEWAL"));
  EXPECT_EQ(digest.renewals[0].days, 29);
  ASSERT_EQ(digest.at_risk.size(), 1u);
  EXPECT_EQ(digest.at_risk[0].launch_id, "l1");
  EXPECT_EQ(digest.at_risk[0].overdue, 1);
  EXPECT_EQ(digest.at_risk[0].late_to_start, 1);
}

TEST(ComposeWeeklyDigestTest, ALaunchOnTrackOrLiveIsNotAtRisk) {
  const absl::CivilDay monday = D(2026, 12, 7);
  ItemInfo fine = Item("FINE", "NOT_STARTED");
  fine.latest_start = D(2026, 12, 20);
  ItemInfo overdue = Item("OVERDUE", "IN_PROGRESS");
  overdue.due = D(2026, 12, 1);
  DigestLaunchInput live = Launch("live", {overdue});
  live.launch.went_live_date = D(2026, 11, 1);
  const WeeklyDigest digest =
      ComposeWeeklyDigest("acme", monday, {Launch("ok", {fine}), live}, Cal());
  EXPECT_TRUE(digest.at_risk.empty());
  EXPECT_THAT(Codes(digest.overdue), ElementsAre("OVERDUE"));  // still overdue, though live
  EXPECT_TRUE(digest.must_start.empty());
}

TEST(ComposeWeeklyDigestTest, ATargetDateInThePastPutsTheLaunchAtRisk) {
  DigestLaunchInput late = Launch("l1", {});
  late.launch.target_launch_date = D(2026, 12, 1);
  const WeeklyDigest digest = ComposeWeeklyDigest("acme", D(2026, 12, 7), {late}, Cal());
  ASSERT_EQ(digest.at_risk.size(), 1u);
  EXPECT_TRUE(digest.at_risk[0].past_target);
}

// ---- Rendering ---------------------------------------------------------------------------------

WeeklyDigest BigDigest(int items_per_section) {
  std::vector<ItemInfo> items;
  for (int i = 0; i < items_per_section; ++i) {
    ItemInfo overdue = Item(absl::StrCat("OVERDUE_", i), "IN_PROGRESS");
    overdue.due = D(2026, 11, 2) + i % 20;
    items.push_back(overdue);
    ItemInfo start = Item(absl::StrCat("START_", i), "NOT_STARTED");
    start.latest_start = D(2026, 12, 7) + i % 5;
    items.push_back(start);
    ItemInfo renewal = Item(absl::StrCat("RENEWAL_", i), "APPROVED");
    renewal.expiry = D(2026, 12, 10) + i % 20;
    items.push_back(renewal);
  }
  std::vector<DigestLaunchInput> launches;
  for (int l = 0; l < 3; ++l) launches.push_back(Launch(absl::StrCat("l", l), items));
  return ComposeWeeklyDigest("acme", D(2026, 12, 7), launches, Cal());
}

size_t PlainSize(const RenderedMessage& m) { return m.subject.size() + 1 + m.text.size(); }
size_t MarkdownSize(const RenderedMessage& m) { return m.subject.size() + 6 + m.markdown.size(); }

bool ValidUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = text[i];
    const size_t n = c < 0x80           ? 1
                     : (c >> 5) == 0x6  ? 2
                     : (c >> 4) == 0xE  ? 3
                     : (c >> 3) == 0x1E ? 4
                                        : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

TEST(RenderWeeklyDigestTest, NamesEveryLineWithLaunchCodeTitleDateAndAssignee) {
  ItemInfo overdue = Item("ICP_FILING", "IN_PROGRESS");
  overdue.title_en = "ICP filing";
  overdue.title_zh = "ICP 备案";
  overdue.due = D(2026, 12, 2);
  const WeeklyDigest digest =
      ComposeWeeklyDigest("acme", D(2026, 12, 7), {Launch("l1", {overdue})}, Cal());
  const RenderedMessage en = RenderWeeklyDigest(digest, "en", 2048);
  EXPECT_THAT(en.subject, HasSubstr("Weekly digest for acme, week of 2026-12-07"));
  EXPECT_THAT(en.text, HasSubstr("Overdue (1)"));
  EXPECT_THAT(en.text, HasSubstr("- due 2026-12-02, overdue by 3 working days: ICP filing "
                                 "(ICP_FILING), Shop l1, assignee li.na"));
  EXPECT_THAT(en.text, HasSubstr("Launches at risk (1)"));
  EXPECT_THAT(en.text, Not(HasSubstr("备案")));
  const RenderedMessage zh = RenderWeeklyDigest(digest, "zh", 2048);
  EXPECT_THAT(
      zh.text,
      HasSubstr(
          "2026-12-02 截止，已逾期 3 个工作日：ICP 备案（ICP_FILING），Shop l1，经办人 li.na"));
  const RenderedMessage both = RenderWeeklyDigest(digest, "", 2048);
  EXPECT_THAT(both.text, HasSubstr("ICP 备案"));
  EXPECT_THAT(both.text, HasSubstr("ICP filing"));
  EXPECT_LT(both.text.find("已逾期"), both.text.find("Overdue"));  // Chinese first
  EXPECT_THAT(both.markdown, HasSubstr("**Overdue (1)**"));
  const nlohmann::json data = nlohmann::json::parse(en.data_json);
  EXPECT_EQ(data["overdue"][0]["item"], "launches/l1/items/ICP_FILING");
  EXPECT_EQ(data["week_start"], "2026-12-07");
}

TEST(RenderWeeklyDigestTest, AnEmptyDigestSaysThereIsNothingToReport) {
  const WeeklyDigest digest = ComposeWeeklyDigest("acme", D(2026, 12, 7), {}, Cal());
  ASSERT_TRUE(digest.empty());
  const RenderedMessage en = RenderWeeklyDigest(digest, "en", 2048);
  EXPECT_THAT(en.text, HasSubstr("Nothing at risk, overdue, to start or up for renewal"));
  EXPECT_THAT(en.subject, HasSubstr("0 at risk, 0 overdue, 0 to start, 0 renewals"));
}

TEST(RenderWeeklyDigestTest, FitsEachLimitAndSaysHowManyMore) {
  const WeeklyDigest digest = BigDigest(40);  // 120 lines per section
  for (const char* language : {"en", "zh", ""}) {
    // WeCom's 2048 bytes, a tight 1200, Feishu's and DingTalk's 20000, Slack's 40000.
    for (size_t limit : {size_t{1200}, size_t{2048}, size_t{20000}, size_t{40000}}) {
      SCOPED_TRACE(absl::StrCat("language '", language, "', limit ", limit));
      const RenderedMessage message = RenderWeeklyDigest(digest, language, limit);
      EXPECT_LE(PlainSize(message), limit);
      EXPECT_LE(MarkdownSize(message), limit);
      EXPECT_TRUE(ValidUtf8(message.text));
      EXPECT_TRUE(ValidUtf8(message.markdown));
      // Every section is there with its first line, and says what was left out.
      const bool zh = std::string(language) != "en";
      EXPECT_THAT(message.text, HasSubstr(zh ? "已逾期（120）" : "Overdue (120)"));
      EXPECT_THAT(message.text, HasSubstr(zh ? "本周须开始（120）" : "Must start this week (120)"));
      if (limit <= 2048) EXPECT_THAT(message.text, HasSubstr(zh ? "… 另有 " : "… and "));
      if (limit >= 2048) EXPECT_THAT(message.text, HasSubstr("OVERDUE_0"));
    }
  }
}

TEST(RenderWeeklyDigestTest, TheCountOfTheRestIsExact) {
  const WeeklyDigest digest = BigDigest(40);
  const RenderedMessage message = RenderWeeklyDigest(digest, "en", 2048);
  // Lines shown plus "… and N more" make up every section's count.
  size_t shown = 0;
  size_t more = 0;
  size_t pos = 0;
  while ((pos = message.text.find("\n- ", pos)) != std::string::npos) {
    ++shown;
    ++pos;
  }
  pos = 0;
  while ((pos = message.text.find("… and ", pos)) != std::string::npos) {
    pos += std::string("… and ").size();
    more += std::stoul(message.text.substr(pos));
  }
  EXPECT_EQ(shown + more, digest.at_risk.size() + digest.overdue.size() + digest.must_start.size() +
                              digest.renewals.size());
}

TEST(RenderWeeklyDigestTest, ASmallDigestIsNotCut) {
  ItemInfo overdue = Item("ICP_FILING", "IN_PROGRESS");
  overdue.due = D(2026, 12, 2);
  const WeeklyDigest digest =
      ComposeWeeklyDigest("acme", D(2026, 12, 7), {Launch("l1", {overdue})}, Cal());
  const RenderedMessage message = RenderWeeklyDigest(digest, "", 2048);
  EXPECT_THAT(message.text, Not(HasSubstr("… ")));
}

}  // namespace
}  // namespace preflight::notifier
