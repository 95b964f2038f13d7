#include "notifier-service/domain/message_renderer.h"

#include <string>
#include <vector>

#include "common/testing/working_calendar_testing.h"
#include "common/working_calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "notifier-service/domain/ladder.h"
#include "notifier-service/domain/reminder_policy.h"

namespace preflight::notifier {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

absl::CivilDay D(int year, int month, int day) { return absl::CivilDay(year, month, day); }

bool HasNonAscii(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return true;
  }
  return false;
}

class RendererTest : public ::testing::Test {
 protected:
  static const WorkingCalendar& cal() { return testing::SharedBuiltinCalendar(); }

  RendererTest() {
    launch_.launch_id = "mall";
    launch_.tenant = "acme";
    launch_.display_name = "Acme Mall";
    launch_.owner = "wang.fang";
    item_.launch_id = "mall";
    item_.code = "ICP_FILING";
    item_.title_zh = "ICP 备案";
    item_.title_en = "ICP filing";
    item_.status = "IN_PROGRESS";
    item_.assignee = "li.na";
  }

  // The item's rung with this id, planned by the ladder itself.
  Rung PlannedRung(const std::string& id, absl::CivilDay from_day, absl::CivilDay to_day) const {
    const ReminderPolicy policy = DefaultReminderPolicy();
    const absl::TimeZone zone = policy.default_time_zone;
    for (const Rung& rung :
         PlanRungs(launch_, item_, policy, cal(), absl::FromCivil(from_day, zone),
                   absl::FromCivil(to_day, zone))) {
      if (rung.id == id) return rung;
    }
    ADD_FAILURE() << "no rung " << id;
    return Rung();
  }

  LaunchInfo launch_;
  ItemInfo item_;
};

TEST_F(RendererTest, DueReminderInBothLanguages) {
  item_.due = D(2026, 12, 10);
  const Rung rung = PlannedRung("due:2026-12-10:-3", D(2026, 12, 1), D(2026, 12, 9));
  const RenderedMessage message = RenderReminder(launch_, item_, rung, "", false, cal());
  EXPECT_EQ(message.subject,
            "【Preflight】ICP 备案 / ICP filing: due 2026-12-10 (3 working days left)");
  EXPECT_EQ(message.text,
            "【Preflight】事项提醒\n"
            "上线项目：Acme Mall（launches/mall）\n"
            "事项：ICP 备案（ICP_FILING）\n"
            "截止日：2026-12-10（周四）\n"
            "剩余时间：3 个工作日\n"
            "下一步：请在 2026-12-10 前完成并提交，并在 Preflight 中更新状态。\n"
            "经办人：li.na\n"
            "链接：launches/mall/items/ICP_FILING\n"
            "\n"
            "[Preflight] Reminder\n"
            "Launch: Acme Mall (launches/mall)\n"
            "Item: ICP filing (ICP_FILING)\n"
            "Due: Thursday 2026-12-10\n"
            "Slack left: 3 working days\n"
            "Next step: Finish and submit it by 2026-12-10, then update its status in "
            "Preflight.\n"
            "Assignee: li.na\n"
            "Link: launches/mall/items/ICP_FILING\n");
  EXPECT_THAT(message.markdown, HasSubstr("**上线项目**：Acme Mall（launches/mall）\n"));
  EXPECT_THAT(message.markdown, HasSubstr("**Slack left**: 3 working days\n"));
  EXPECT_THAT(message.markdown, HasSubstr("**[Preflight] Reminder**\n"));

  const nlohmann::json data = nlohmann::json::parse(message.data_json);
  EXPECT_EQ(data["item"], "launches/mall/items/ICP_FILING");
  EXPECT_EQ(data["launch"], "launches/mall");
  EXPECT_EQ(data["tenant"], "acme");
  EXPECT_EQ(data["rung"], "due:2026-12-10:-3");
  EXPECT_EQ(data["kind"], "before_due");
  EXPECT_EQ(data["deadline"], "2026-12-10");
  EXPECT_EQ(data["days_left"], 3);
  EXPECT_EQ(data["urgent"], false);
  EXPECT_EQ(data["escalation"], false);
  EXPECT_EQ(data["late"], false);
  EXPECT_EQ(data["title_zh"], "ICP 备案");
  // Monday Dec 7 09:30 in Shanghai.
  EXPECT_EQ(data["send_time"], "2026-12-07T01:30:00+00:00");
}

TEST_F(RendererTest, ChineseOnlyAndEnglishOnly) {
  item_.due = D(2026, 12, 10);
  const Rung rung = PlannedRung("due:2026-12-10:-1", D(2026, 12, 1), D(2026, 12, 10));
  const RenderedMessage zh = RenderReminder(launch_, item_, rung, "zh", false, cal());
  EXPECT_EQ(zh.subject, "【Preflight】ICP 备案：2026-12-10 截止（剩 1 个工作日）");
  EXPECT_THAT(zh.text, HasSubstr("剩余时间：1 个工作日\n"));
  EXPECT_THAT(zh.text, Not(HasSubstr("Launch:")));
  EXPECT_THAT(zh.text, Not(HasSubstr("Next step")));

  const RenderedMessage en = RenderReminder(launch_, item_, rung, "en", false, cal());
  EXPECT_EQ(en.subject, "[Preflight] ICP filing: due 2026-12-10 (1 working day left)");
  EXPECT_THAT(en.text, HasSubstr("Slack left: 1 working day\n"));
  EXPECT_FALSE(HasNonAscii(en.subject + en.text + en.markdown)) << en.text;
  // The machine-readable part does not depend on the language.
  EXPECT_EQ(zh.data_json, en.data_json);
}

TEST_F(RendererTest, HolidaysBeforeTheDeadline) {
  item_.due = D(2026, 10, 12);
  const Rung rung = PlannedRung("due:2026-10-12:-7", D(2026, 9, 1), D(2026, 10, 12));
  const RenderedMessage message = RenderReminder(launch_, item_, rung, "", false, cal());
  EXPECT_THAT(message.text,
              HasSubstr("期间假期：中秋节（2026-09-25 至 2026-09-27）、国庆节（2026-10-01 至 "
                        "2026-10-07）\n"));
  EXPECT_THAT(message.text,
              HasSubstr("Holidays before then: Mid-Autumn Festival (2026-09-25 to 2026-09-27); "
                        "National Day (2026-10-01 to 2026-10-07)\n"));
  EXPECT_THAT(message.text, HasSubstr("Slack left: 7 working days\n"));
  EXPECT_THAT(message.text, Not(HasSubstr("not announced")));
}

TEST_F(RendererTest, UnannouncedYearIsFlagged) {
  item_.due = D(2027, 1, 15);
  const Rung rung = PlannedRung("due:2027-01-15:-7", D(2026, 12, 20), D(2027, 1, 15));
  const RenderedMessage message = RenderReminder(launch_, item_, rung, "", false, cal());
  EXPECT_THAT(message.text, HasSubstr("2027 年的法定节假日安排尚未公布"));
  EXPECT_THAT(message.text,
              HasSubstr("Note: the holiday schedule for 2027 is not announced yet; working "
                        "days are counted Monday to Friday.\n"));
}

TEST_F(RendererTest, OverdueEscalatedAndLate) {
  item_.due = D(2026, 12, 10);
  const Rung rung = PlannedRung("overdue:2026-12-10:+4", D(2026, 12, 11), D(2026, 12, 20));
  ASSERT_TRUE(rung.escalation);
  const RenderedMessage en = RenderReminder(launch_, item_, rung, "en", true, cal());
  EXPECT_EQ(en.subject,
            "[Preflight] ICP filing: overdue by 4 working days (due 2026-12-10), escalated "
            "[late]");
  EXPECT_THAT(en.text, HasSubstr("Slack left: 4 working days overdue\n"));
  EXPECT_THAT(en.text, HasSubstr("Next step: Overdue: act now; if it cannot be done, escalate to "
                                 "the launch owner and re-plan.\n"));
  EXPECT_THAT(en.text, HasSubstr("Escalated: overdue for 4 working days; escalated to the launch "
                                 "owner wang.fang as well.\n"));
  // Wed Dec 16 is the 4th working day after Thu Dec 10.
  EXPECT_THAT(en.text, HasSubstr("Late: this reminder was planned for 2026-12-16 09:30 "
                                 "(Asia/Shanghai) and is sent late, as a catch-up.\n"));

  const RenderedMessage zh = RenderReminder(launch_, item_, rung, "zh", true, cal());
  EXPECT_EQ(zh.subject,
            "【Preflight】ICP 备案：已逾期 4 个工作日（2026-12-10 截止），已升级 [迟发]");
  EXPECT_THAT(zh.text,
              HasSubstr("已升级：逾期已达 4 个工作日，已同时通知上线负责人 wang.fang。\n"));
  EXPECT_THAT(zh.text, HasSubstr("迟发：本提醒原定于 2026-12-16 09:30（Asia/Shanghai）发送"));

  const nlohmann::json data = nlohmann::json::parse(en.data_json);
  EXPECT_EQ(data["kind"], "overdue");
  EXPECT_EQ(data["days_left"], -4);
  EXPECT_EQ(data["urgent"], true);
  EXPECT_EQ(data["escalation"], true);
  EXPECT_EQ(data["late"], true);
}

TEST_F(RendererTest, RenewalCountsCalendarDays) {
  item_.code = "MP_VERIFY";
  item_.title_zh = "微信认证";
  item_.title_en = "WeChat verification";
  item_.status = "APPROVED";
  item_.done = true;
  item_.expiry = D(2026, 11, 4);
  const Rung rung = PlannedRung("renewal:2026-11-04:-30", D(2026, 9, 1), D(2026, 11, 4));
  const RenderedMessage message = RenderReminder(launch_, item_, rung, "", false, cal());
  EXPECT_EQ(message.subject,
            "【Preflight】微信认证 / WeChat verification: expires 2026-11-04 (35 days left)");
  EXPECT_THAT(message.text, HasSubstr("到期日：2026-11-04（周三）\n剩余时间：35 天\n"));
  EXPECT_THAT(message.text, HasSubstr("Expires: Wednesday 2026-11-04\nSlack left: 35 days\n"));
  EXPECT_THAT(message.text, HasSubstr("Next step: Renew before it expires on 2026-11-04 so the "
                                      "qualification does not lapse.\n"));
  EXPECT_THAT(message.text, HasSubstr("National Day (2026-10-01 to 2026-10-07)"));
  EXPECT_EQ(nlohmann::json::parse(message.data_json)["days_left_unit"], "calendar_days");
}

TEST_F(RendererTest, PostLaunchAndStartNextSteps) {
  item_.code = "PSB_FILING";
  item_.title_zh = "公安联网备案";
  item_.title_en = "Public-security filing";
  item_.due = D(2026, 11, 20);
  item_.post_launch = true;
  launch_.went_live_date = D(2026, 10, 21);
  const Rung rung = PlannedRung("postlaunch:2026-11-20:-10", D(2026, 11, 1), D(2026, 11, 20));
  const RenderedMessage message = RenderReminder(launch_, item_, rung, "", false, cal());
  EXPECT_THAT(message.text,
              HasSubstr("上线后备案截止日：2026-11-20（周五）\n剩余时间：10 个工作日\n"));
  EXPECT_THAT(message.text, HasSubstr("Next step: Went live on 2026-10-21: file within 30 days of "
                                      "go-live, by 2026-11-20.\n"));

  item_ = ItemInfo();
  item_.code = "DOMAIN";
  item_.title_en = "Domain purchase";  // no Chinese title: the English one stands in
  item_.latest_start = D(2026, 12, 10);
  const Rung start = PlannedRung("start:2026-12-10:-0", D(2026, 12, 1), D(2026, 12, 11));
  const RenderedMessage today = RenderReminder(launch_, item_, start, "", false, cal());
  EXPECT_EQ(today.subject, "【Preflight】Domain purchase: start today (2026-12-10)");
  EXPECT_THAT(today.text, HasSubstr("剩余时间：今天须开始\n"));
  EXPECT_THAT(today.text, HasSubstr("Latest start: Thursday 2026-12-10\nSlack left: must start "
                                    "today\nNext step: Start now: starting any later puts the "
                                    "launch date at risk.\n"));
  EXPECT_THAT(today.text, Not(HasSubstr("Assignee")));
}

TEST_F(RendererTest, InvalidUtf8TitleDoesNotThrow) {
  item_.title_en = std::string("bad \xff title");
  item_.due = D(2026, 12, 10);
  const Rung rung = PlannedRung("due:2026-12-10:-3", D(2026, 12, 1), D(2026, 12, 9));
  const RenderedMessage message = RenderReminder(launch_, item_, rung, "en", false, cal());
  EXPECT_TRUE(nlohmann::json::accept(message.data_json));
}

TEST_F(RendererTest, DigestPutsUrgentFirstWithCounts) {
  item_.due = D(2026, 12, 10);
  DigestEntry due;
  due.launch = launch_;
  due.item = item_;
  due.rung = PlannedRung("due:2026-12-10:-3", D(2026, 12, 1), D(2026, 12, 9));

  DigestEntry start;
  start.launch = launch_;
  start.item = item_;
  start.item.code = "DOMAIN";
  start.item.title_zh = "域名注册";
  start.item.title_en = "Domain purchase";
  start.rung.id = "start:2026-12-11:-3";
  start.rung.kind = RungKind::kBeforeStart;
  start.rung.deadline = D(2026, 12, 11);
  start.rung.days_left = 3;
  start.late = true;

  DigestEntry overdue;
  overdue.launch = launch_;
  overdue.launch.launch_id = "shop";
  overdue.launch.display_name = "Acme Shop";
  overdue.item = item_;
  overdue.item.code = "BIZ";
  overdue.item.title_zh = "营业执照";
  overdue.item.title_en = "Business licence";
  overdue.rung.id = "overdue:2026-12-04:+2";
  overdue.rung.kind = RungKind::kOverdue;
  overdue.rung.deadline = D(2026, 12, 4);
  overdue.rung.days_left = -2;
  overdue.rung.urgent = true;

  const RenderedMessage en = RenderDigest({start, due, overdue}, "en");
  EXPECT_EQ(en.subject, "[Preflight] 3 reminders (1 urgent)");
  EXPECT_EQ(en.text,
            "[Preflight] Digest: 3 reminders (1 urgent)\n"
            "1. [URGENT] Acme Shop · Business licence: overdue by 2 working days (due "
            "2026-12-04) — launches/shop/items/BIZ\n"
            "2. Acme Mall · ICP filing: due 2026-12-10 (3 working days left) — "
            "launches/mall/items/ICP_FILING\n"
            "3. [late] Acme Mall · Domain purchase: start by 2026-12-11 (3 working days left) — "
            "launches/mall/items/DOMAIN\n");

  const RenderedMessage zh = RenderDigest({start, due, overdue}, "zh");
  EXPECT_EQ(zh.subject, "【Preflight】3 条提醒（1 条紧急）");
  EXPECT_THAT(zh.text, HasSubstr("1. [紧急] Acme Shop · 营业执照：已逾期 2 个工作日（2026-12-04 "
                                 "截止） — launches/shop/items/BIZ\n"));
  EXPECT_THAT(zh.text,
              HasSubstr("3. [迟发] Acme Mall · 域名注册：最晚 2026-12-11 开始（剩 3 个工作日）"));

  const RenderedMessage both = RenderDigest({start, due, overdue}, "");
  EXPECT_EQ(both.subject, "【Preflight】3 条提醒（1 条紧急） / 3 reminders (1 urgent)");
  EXPECT_LT(both.text.find("营业执照"), both.text.find("Business licence"));

  const nlohmann::json data = nlohmann::json::parse(en.data_json);
  EXPECT_EQ(data["count"], 3);
  EXPECT_EQ(data["urgent"], 1);
  ASSERT_EQ(data["reminders"].size(), 3u);
  EXPECT_EQ(data["reminders"][0]["rung"], "overdue:2026-12-04:+2");
  EXPECT_EQ(data["reminders"][2]["late"], true);

  // One reminder, none urgent.
  EXPECT_EQ(RenderDigest({due}, "en").subject, "[Preflight] 1 reminder");
  EXPECT_EQ(RenderDigest({due}, "zh").subject, "【Preflight】1 条提醒");
}

TEST_F(RendererTest, TestMessage) {
  const RenderedMessage en = RenderTestMessage("Li Na", "wecom", "en");
  EXPECT_EQ(en.subject, "[Preflight] Test message");
  EXPECT_EQ(en.text,
            "[Preflight] Test message\n"
            "Hello Li Na,\n"
            "This is a test message from Preflight over the wecom channel. If you can read it, "
            "the channel works and launch reminders will reach you here.\n");
  const RenderedMessage both = RenderTestMessage("Li Na", "dingtalk", "");
  EXPECT_EQ(both.subject, "【Preflight】测试消息 / Test message");
  EXPECT_THAT(both.text,
              HasSubstr("Li Na，你好！\n这是 Preflight 通过 dingtalk 渠道发送的测试消息。"));
  EXPECT_THAT(both.text, HasSubstr("over the dingtalk channel"));
  const nlohmann::json data = nlohmann::json::parse(both.data_json);
  EXPECT_EQ(data["kind"], "test");
  EXPECT_EQ(data["channel"], "dingtalk");
  EXPECT_EQ(RenderTestMessage("", "slack", "zh").text.find("你好！"),
            std::string("【Preflight】测试消息\n").size());
}

}  // namespace
}  // namespace preflight::notifier
