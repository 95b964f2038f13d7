// The at-risk bounds (risk_bounds.h) and the queries built on them (ListLaunches with
// at_risk_only, ListItems), on generated launches of the built-in template, with a FakeClock
// advanced day by day: never a sleep.
#include "checklist-service/domain/risk_bounds.h"

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/schedule.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::checklist {
namespace {

using ::testing::ElementsAreArray;

absl::Time ShanghaiTime(int y, int m, int d, int hh = 10) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), zone);
}

const Actor kActor{"tester"};

class RiskBoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open(testing::ChecklistTestbed::FastStore()));
    service_ = checklist_.NewService();
  }

  // A launch of `tenant` with a random profile and target, some of its items moved on (started,
  // submitted, approved) on random days before the clock's now, and assignees among a few
  // people. Returns its id.
  std::string GenerateLaunch(std::mt19937& random, const std::string& tenant) {
    NewLaunch request = testing::ShopLaunch(tenant);
    request.display_name = absl::StrCat("Launch ", ++launches_);
    request.target_launch_date =
        today() + static_cast<int>(std::uniform_int_distribution<int>(10, 200)(random));
    request.profile.takes_payments = random() % 2 == 0;
    if (random() % 3 == 0) request.profile.service_categories = {"ecommerce"};
    if (random() % 4 == 0) request.profile.hosting = v1::HOSTING_WECHAT_CLOUD;
    absl::StatusOr<LaunchState> created = service_->CreateLaunch(request, "", kActor);
    EXPECT_OK(created.status());
    if (!created.ok()) return "";
    const std::string id = created->launch.id;
    static const char* const kPeople[] = {"li.na", "wang.fang", "chen.jie"};
    for (const Item& item : created->items) {
      if (IsDone(item.status)) continue;
      ItemPatch patch;
      patch.assignee = kPeople[random() % 3];
      const int roll = static_cast<int>(random() % 6);
      if (roll == 1) patch.status = ItemStatus::kInProgress;
      if (roll == 2) patch.status = ItemStatus::kApproved;
      // Refused transitions (dependencies not finished) leave the status as it is.
      if (!service_->UpdateItem(id, item.code, patch, std::nullopt, kActor).ok()) {
        patch.status.reset();
        EXPECT_OK(service_->UpdateItem(id, item.code, patch, std::nullopt, kActor).status());
      }
    }
    return id;
  }

  absl::CivilDay today() const {
    absl::TimeZone zone;
    absl::LoadTimeZone("Asia/Shanghai", &zone);
    return absl::ToCivilDay(clock_.Now(), zone);
  }

  // Brute force: every launch of `tenant` read and computed, at risk or not as of today.
  std::vector<std::string> AtRiskLaunchesByScan(const std::vector<std::string>& ids) {
    std::vector<std::string> at_risk;
    for (const std::string& id : ids) {
      absl::StatusOr<LaunchState> state = service_->GetLaunch(id);
      EXPECT_OK(state.status());
      if (state.ok() && state->launch.schedule.at_risk) at_risk.push_back(id);
    }
    std::sort(at_risk.begin(), at_risk.end());
    return at_risk;
  }

  // Brute force for items: names of open items at risk, in ListItems' order.
  std::vector<std::string> AtRiskItemsByScan(const std::vector<std::string>& ids,
                                             const std::string& assignee = "") {
    std::vector<std::pair<ItemKey, std::string>> keyed;
    for (const std::string& id : ids) {
      absl::StatusOr<LaunchState> state = service_->GetLaunch(id);
      EXPECT_OK(state.status());
      if (!state.ok()) continue;
      for (const Item& item : state->items) {
        if (IsDone(item.status) || !item.schedule.at_risk) continue;
        if (!assignee.empty() && item.assignee != assignee) continue;
        keyed.push_back(
            {ItemKey{item.schedule.latest_start, id, item.code}, absl::StrCat(id, "/", item.code)});
      }
    }
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first.latest_start, a.first.launch_id, a.first.code) <
             std::tie(b.first.latest_start, b.first.launch_id, b.first.code);
    });
    std::vector<std::string> names;
    for (const auto& entry : keyed) names.push_back(entry.second);
    return names;
  }

  std::vector<std::string> AtRiskLaunchesByQuery(const std::string& tenant) {
    LaunchListFilter filter;
    filter.store_filter.tenant = tenant;
    filter.at_risk_only = true;
    std::vector<std::string> ids;
    std::string after;
    do {
      absl::StatusOr<LaunchPage> page = service_->ListLaunches(filter, after, 3);
      EXPECT_OK(page.status());
      if (!page.ok()) break;
      for (const LaunchState& state : page->launches) {
        EXPECT_TRUE(state.launch.schedule.at_risk) << state.launch.id;
        ids.push_back(state.launch.id);
      }
      after = page->next_after_id;
    } while (!after.empty());
    return ids;
  }

  // Pages of 4 through ListItems, so paging is crossed too.
  std::vector<std::string> ItemsByQuery(ItemListFilter filter) {
    std::vector<std::string> names;
    std::optional<ItemKey> after;
    do {
      absl::StatusOr<ItemPage> page = service_->ListItems(filter, after, 4);
      EXPECT_OK(page.status());
      if (!page.ok()) break;
      for (const Item& item : page->items) {
        EXPECT_EQ(page->launches.count(item.launch_id), 1u);
        names.push_back(absl::StrCat(item.launch_id, "/", item.code));
      }
      after = page->next_after;
    } while (after.has_value());
    return names;
  }

  FakeClock clock_{ShanghaiTime(2026, 9, 1)};
  testing::ChecklistTestbed checklist_{&clock_};
  std::unique_ptr<LaunchService> service_;
  int launches_ = 0;
};

// The property the queries rest on: on every day before its bound, nothing is at risk; and what
// is at risk stays at risk while nothing is written (the monotonicity the bound assumes).
TEST_F(RiskBoundsTest, NothingIsAtRiskBeforeItsBound) {
  std::mt19937 random(14);
  int bounded = 0;
  for (int n = 0; n < 12; ++n) {
    const std::string id = GenerateLaunch(random, "acme");
    ASSERT_FALSE(id.empty());
    absl::StatusOr<LaunchState> state = checklist_.store()->LoadLaunch(id);
    ASSERT_OK(state.status());
    const CompiledTemplate* tmpl = checklist_.catalog()->Find(state->launch.template_id);
    const absl::CivilDay start = today();
    const RiskBounds bounds = ComputeRiskBounds(*state, start, *checklist_.calendar(), tmpl);
    EXPECT_EQ(bounds.launch_id, id);
    EXPECT_EQ(bounds.item_at_risk_from.size(), state->items.size());
    bool launch_was_at_risk = false;
    std::set<std::string> items_at_risk;
    for (int offset = 0; offset <= 400; ++offset) {
      const absl::CivilDay day = start + offset;
      const ScheduleResult schedule =
          ComputeSchedule(state->launch, state->items, day, *checklist_.calendar(), tmpl);
      if (schedule.launch.at_risk) {
        ASSERT_TRUE(bounds.launch_at_risk_from.has_value()) << id << " at risk on " << day;
        EXPECT_LE(*bounds.launch_at_risk_from, day) << id;
        launch_was_at_risk = true;
      } else {
        EXPECT_FALSE(launch_was_at_risk) << id << " stopped being at risk on " << day;
      }
      for (const auto& [code, item] : schedule.items) {
        if (item.at_risk) {
          const std::optional<absl::CivilDay>& from = bounds.item_at_risk_from.at(code);
          ASSERT_TRUE(from.has_value()) << id << "/" << code << " at risk on " << day;
          EXPECT_LE(*from, day) << id << "/" << code;
          items_at_risk.insert(code);
        } else {
          EXPECT_EQ(items_at_risk.count(code), 0u)
              << id << "/" << code << " stopped being at risk on " << day;
        }
      }
    }
    for (const auto& [code, from] : bounds.item_at_risk_from) {
      if (from.has_value() && *from > start) ++bounded;
    }
  }
  // Not vacuous: many items got a bound in the future, and the walk reached past them.
  EXPECT_GT(bounded, 50);
}

// Done items and live launches are never at risk: no bound.
TEST_F(RiskBoundsTest, DoneItemsHaveNoBound) {
  const std::string id = testing::CreateShopLaunch(*service_);
  ItemPatch approve;
  approve.status = ItemStatus::kApproved;
  ASSERT_OK(service_->UpdateItem(id, "MP_ACCOUNT", approve, std::nullopt, kActor).status());
  absl::StatusOr<LaunchState> state = checklist_.store()->LoadLaunch(id);
  ASSERT_OK(state.status());
  const RiskBounds bounds = ComputeRiskBounds(*state, today(), *checklist_.calendar(), nullptr);
  EXPECT_FALSE(bounds.item_at_risk_from.at("MP_ACCOUNT").has_value());
  EXPECT_TRUE(bounds.launch_at_risk_from.has_value());
}

// The queries through the stored bounds answer exactly what reading every launch answers, on
// every day of four months with no write in between, and after writes.
TEST_F(RiskBoundsTest, QueriesMatchAScanDayByDay) {
  std::mt19937 random(7);
  std::vector<std::string> acme;
  for (int n = 0; n < 10; ++n) acme.push_back(GenerateLaunch(random, "acme"));
  // Another tenant's launches must never show up.
  std::vector<std::string> other;
  for (int n = 0; n < 3; ++n) other.push_back(GenerateLaunch(random, "globex"));
  std::sort(acme.begin(), acme.end());

  ItemListFilter at_risk_items;
  at_risk_items.store_filter.tenant = "acme";
  at_risk_items.at_risk_only = true;
  ItemListFilter li_na = at_risk_items;
  li_na.store_filter.assignee = "li.na";

  int days_with_risk = 0;
  int days_with_safe = 0;
  for (int day = 0; day < 120; ++day) {
    if (day == 60) {
      // A write in between: moving a target recomputes that launch's bounds.
      LaunchPatch patch;
      patch.target_launch_date = today() + 3;
      ASSERT_OK(service_->UpdateLaunch(acme[0], patch, std::nullopt, kActor).status());
    }
    const std::vector<std::string> expected = AtRiskLaunchesByScan(acme);
    ASSERT_THAT(AtRiskLaunchesByQuery("acme"), ElementsAreArray(expected)) << "day " << day;
    ASSERT_THAT(ItemsByQuery(at_risk_items), ElementsAreArray(AtRiskItemsByScan(acme)))
        << "day " << day;
    ASSERT_THAT(ItemsByQuery(li_na), ElementsAreArray(AtRiskItemsByScan(acme, "li.na")))
        << "day " << day;
    if (!expected.empty()) ++days_with_risk;
    if (expected.size() < acme.size()) ++days_with_safe;
    clock_.AdvanceTime(absl::Hours(24));
  }
  // Not vacuous: launches went from safe to at risk during the walk.
  EXPECT_GT(days_with_risk, 10);
  EXPECT_GT(days_with_safe, 10);
}

TEST_F(RiskBoundsTest, ListItemsFiltersSortsAndPages) {
  std::mt19937 random(3);
  std::vector<std::string> ids;
  for (int n = 0; n < 4; ++n) ids.push_back(GenerateLaunch(random, "acme"));
  GenerateLaunch(random, "globex");

  // Brute force of a filter, in ListItems' order.
  const auto scan = [&](auto keep) {
    // Items without a latest start (not applicable) list last.
    std::vector<std::pair<std::tuple<absl::CivilDay, std::string, std::string>, std::string>> rows;
    for (const std::string& id : ids) {
      absl::StatusOr<LaunchState> state = service_->GetLaunch(id);
      EXPECT_OK(state.status());
      for (const Item& item : state->items) {
        if (keep(item)) {
          rows.push_back(
              {{item.schedule.latest_start.value_or(absl::CivilDay(9999, 12, 31)), id, item.code},
               absl::StrCat(id, "/", item.code)});
        }
      }
    }
    std::sort(rows.begin(), rows.end());
    std::vector<std::string> names;
    for (const auto& row : rows) names.push_back(row.second);
    return names;
  };

  ItemListFilter filter;
  filter.store_filter.tenant = "acme";
  EXPECT_THAT(ItemsByQuery(filter),
              ElementsAreArray(scan([](const Item& item) { return !IsDone(item.status); })));

  filter.store_filter.open_only = false;
  EXPECT_THAT(ItemsByQuery(filter), ElementsAreArray(scan([](const Item& item) { return true; })));

  const absl::CivilDay week = today() + 60;
  ItemListFilter mine;
  mine.store_filter.tenant = "acme";
  mine.store_filter.assignee = "wang.fang";
  mine.store_filter.start_before = week;
  const std::vector<std::string> expected_mine = scan([&](const Item& item) {
    return !IsDone(item.status) && item.assignee == "wang.fang" && item.schedule.latest_start &&
           *item.schedule.latest_start <= week;
  });
  EXPECT_FALSE(expected_mine.empty());
  EXPECT_THAT(ItemsByQuery(mine), ElementsAreArray(expected_mine));

  ItemListFilter due;
  due.store_filter.tenant = "acme";
  due.store_filter.due_before = today() + 30;
  due.store_filter.statuses = {ItemStatus::kInProgress};
  EXPECT_THAT(ItemsByQuery(due), ElementsAreArray(scan([&](const Item& item) {
                return item.status == ItemStatus::kInProgress && item.schedule.latest_finish &&
                       *item.schedule.latest_finish <= today() + 30;
              })));

  ItemListFilter critical;
  critical.store_filter.tenant = "acme";
  critical.critical_only = true;
  const std::vector<std::string> expected_critical =
      scan([](const Item& item) { return !IsDone(item.status) && item.schedule.critical; });
  EXPECT_FALSE(expected_critical.empty());
  EXPECT_THAT(ItemsByQuery(critical), ElementsAreArray(expected_critical));

  ItemListFilter one;
  one.store_filter.launch_id = ids[1];
  for (const std::string& name : ItemsByQuery(one)) {
    EXPECT_EQ(name.substr(0, ids[1].size()), ids[1]);
  }

  ItemListFilter none;
  EXPECT_STATUS(service_->ListItems(none, std::nullopt, 10).status(), INVALID_ARGUMENT, "tenant");
  EXPECT_STATUS(service_->ListItems(filter, std::nullopt, 201).status(), INVALID_ARGUMENT,
                "page_size");
}

// Portfolio figures of the launch schedule, in both views.
TEST_F(RiskBoundsTest, LaunchScheduleCountsAtRiskItemsAndTheNextDeadline) {
  std::mt19937 random(5);
  const std::string id = GenerateLaunch(random, "acme");
  clock_.AdvanceTime(absl::Hours(24 * 90));
  absl::StatusOr<LaunchState> full = service_->GetLaunch(id);
  ASSERT_OK(full.status());
  int at_risk = 0;
  std::optional<absl::CivilDay> next;
  for (const Item& item : full->items) {
    if (IsDone(item.status)) continue;
    if (item.schedule.at_risk) ++at_risk;
    if (item.schedule.latest_start && (!next || *item.schedule.latest_start < *next)) {
      next = item.schedule.latest_start;
    }
  }
  EXPECT_GT(at_risk, 0);
  EXPECT_EQ(full->launch.schedule.at_risk_items, at_risk);
  EXPECT_EQ(full->launch.schedule.next_deadline, next);
  const Item* next_item = full->FindItem(full->launch.schedule.next_deadline_item);
  ASSERT_NE(next_item, nullptr);
  EXPECT_EQ(next_item->schedule.latest_start, next);
  absl::StatusOr<LaunchState> basic = service_->GetLaunch(id, /*with_items=*/false);
  ASSERT_OK(basic.status());
  EXPECT_EQ(basic->launch.schedule.at_risk_items, at_risk);
  EXPECT_EQ(basic->launch.schedule.next_deadline, next);
}

}  // namespace
}  // namespace preflight::checklist
