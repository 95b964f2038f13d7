#include "checklist-service/domain/calendar_feeds.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "checklist-service/storage/sqlite_calendar_feed_store.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "common/crypto.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::Each;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

absl::Time Shanghai(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 10, 0, 0), absl::FixedTimeZone(8 * 3600));
}

// CalendarFeeds on the real LaunchService, templates, calendar and SQLite store.
class CalendarFeedsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(checklist_.Open(testing::ChecklistTestbed::FastStore()).ok());
    service_ = checklist_.NewService();
    store_ = std::make_unique<SqliteCalendarFeedStore>(checklist_.store()->database());
    assignees_ = std::make_unique<IndexedAssigneeItemSource>(service_.get());
    feeds_ = std::make_unique<CalendarFeeds>(store_.get(), service_.get(), assignees_.get(),
                                             checklist_.calendar(), ReminderLadder{}, &clock_,
                                             CalendarFeedsLimits{3});
    launch_ = testing::CreateShopLaunch(*service_);
  }

  void Assign(const std::string& launch, const std::string& code, const std::string& who) {
    ItemPatch patch;
    patch.assignee = who;
    ASSERT_TRUE(service_->UpdateItem(launch, code, patch, std::nullopt, Actor{"t"}).ok());
  }

  FakeClock clock_{Shanghai(2026, 9, 1)};
  testing::ChecklistTestbed checklist_{&clock_};
  std::unique_ptr<LaunchService> service_;
  std::unique_ptr<SqliteCalendarFeedStore> store_;
  std::unique_ptr<IndexedAssigneeItemSource> assignees_;
  std::unique_ptr<CalendarFeeds> feeds_;
  std::string launch_;
};

TEST_F(CalendarFeedsTest, AFeedIsFoundByItsSecretAndOnlyByIt) {
  absl::StatusOr<CreatedCalendarFeed> created = feeds_->Create({"", launch_, "", "alice"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->feed.tenant, "acme");
  EXPECT_EQ(created->feed.creator, "alice");
  EXPECT_EQ(created->feed.id.size(), 16u);
  EXPECT_EQ(created->secret.size(), 48u);
  // Only the hash is kept.
  absl::StatusOr<std::optional<CalendarFeed>> stored = store_->FindFeed(created->feed.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->secret_hash, Sha256Hex(created->secret));

  absl::StatusOr<CalendarView> view = feeds_->Resolve(created->feed.id, created->secret);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->time_zone, "Asia/Shanghai");
  EXPECT_THAT(view->entries, SizeIs(::testing::Gt(5)));
  EXPECT_THAT(view->entries, Each(Field(&CalendarEntry::launch_id, launch_)));

  std::string wrong = created->secret;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  const absl::Status wrong_secret = feeds_->Resolve(created->feed.id, wrong).status();
  const absl::Status unknown = feeds_->Resolve("00000000000000ff", created->secret).status();
  EXPECT_EQ(wrong_secret.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);

  ASSERT_TRUE(feeds_->Revoke(created->feed.id).ok());
  EXPECT_EQ(feeds_->Resolve(created->feed.id, created->secret).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(feeds_->Revoke(created->feed.id).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(feeds_->Get(created->feed.id).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CalendarFeedsTest, ARequestNamesALaunchOrAnAssigneeAndTheLaunchsTenant) {
  EXPECT_THAT(feeds_->Create({"acme", "", "", "a"}).status().message(), HasSubstr("exactly one"));
  EXPECT_THAT(feeds_->Create({"acme", launch_, "li.na", "a"}).status().message(),
              HasSubstr("exactly one"));
  EXPECT_THAT(feeds_->Create({"globex", launch_, "", "a"}).status().message(),
              HasSubstr("calendar_feed.tenant"));
  EXPECT_THAT(feeds_->Create({"", "", "li.na", "a"}).status().message(),
              HasSubstr("calendar_feed.tenant: required"));
  EXPECT_EQ(feeds_->Create({"", "nosuchlaunch", "", "a"}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CalendarFeedsTest, AnAssigneesFeedShowsTheirItemsOfEveryLaunchOfTheTenantOnly) {
  const std::string second = testing::CreateShopLaunch(*service_);
  const std::string other_tenant = testing::CreateShopLaunch(*service_, "globex");
  Assign(launch_, "MP_FILING", "li.na");
  Assign(second, "ICP_FILING", "li.na");
  Assign(second, "MP_ACCOUNT", "wang.fang");
  Assign(other_tenant, "MP_FILING", "li.na");
  absl::StatusOr<CreatedCalendarFeed> created = feeds_->Create({"acme", "", "li.na", "boss"});
  ASSERT_TRUE(created.ok()) << created.status();
  absl::StatusOr<CalendarView> view = feeds_->Resolve(created->feed.id, created->secret);
  ASSERT_TRUE(view.ok()) << view.status();
  std::set<std::string> items;
  for (const CalendarEntry& entry : view->entries) {
    items.insert(absl::StrCat(entry.launch_id, "/", entry.item_code));
  }
  EXPECT_EQ(items, (std::set<std::string>{absl::StrCat(launch_, "/MP_FILING"),
                                          absl::StrCat(second, "/ICP_FILING")}));
}

TEST_F(CalendarFeedsTest, TheAssigneeSourceReadsTheIndexAndStopsAtItsCap) {
  const std::string second = testing::CreateShopLaunch(*service_);
  Assign(launch_, "MP_FILING", "li.na");
  Assign(second, "MP_FILING", "li.na");
  IndexedAssigneeItemSource capped(service_.get(), /*max_items=*/1);
  absl::StatusOr<std::vector<LaunchRead>> found = capped.LaunchesWithItemsOf("acme", "li.na");
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(*found, SizeIs(1));
  absl::StatusOr<std::vector<LaunchRead>> all = assignees_->LaunchesWithItemsOf("acme", "li.na");
  ASSERT_TRUE(all.ok());
  ASSERT_THAT(*all, SizeIs(2));
  for (const LaunchRead& read : *all) {
    ASSERT_THAT(read.state.items, SizeIs(1));
    EXPECT_EQ(read.state.items[0].code, "MP_FILING");
    // The launch comes with its fields, and SEQUENCE counts every item, not just li.na's.
    EXPECT_FALSE(read.state.launch.display_name.empty());
    absl::StatusOr<LaunchState> whole = service_->GetLaunch(read.state.launch.id);
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(read.items_version, whole->ItemsVersion());
  }
  // Another tenant's assignee of the same name sees nothing of acme's.
  absl::StatusOr<std::vector<LaunchRead>> other = assignees_->LaunchesWithItemsOf("beta", "li.na");
  ASSERT_TRUE(other.ok());
  EXPECT_THAT(*other, IsEmpty());
}

TEST_F(CalendarFeedsTest, ListsATenantsLiveFeedsByPagesAndKeepsToTheLimit) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<CreatedCalendarFeed> created = feeds_->Create({"", launch_, "", "a"});
    ASSERT_TRUE(created.ok());
    ids.push_back(created->feed.id);
  }
  EXPECT_EQ(feeds_->Create({"", launch_, "", "a"}).status().code(),
            absl::StatusCode::kResourceExhausted);
  absl::StatusOr<CalendarFeedPage> first = feeds_->List("acme", "", 2);
  ASSERT_TRUE(first.ok());
  ASSERT_THAT(first->feeds, SizeIs(2));
  absl::StatusOr<CalendarFeedPage> rest = feeds_->List("acme", first->next_after_id, 2);
  ASSERT_TRUE(rest.ok());
  EXPECT_THAT(rest->feeds, SizeIs(1));
  EXPECT_TRUE(rest->next_after_id.empty());
  EXPECT_THAT(feeds_->List("globex", "", 0)->feeds, IsEmpty());
  EXPECT_THAT(feeds_->List("acme", "", 501).status().message(), HasSubstr("page_size"));
  // A revoked feed frees its place.
  ASSERT_TRUE(feeds_->Revoke(ids[0]).ok());
  EXPECT_TRUE(feeds_->Create({"", launch_, "", "a"}).ok());
}

TEST_F(CalendarFeedsTest, AChangedTargetMovesTheDatesUnderTheSameUidsWithAHigherSequence) {
  absl::StatusOr<CalendarView> before = feeds_->LaunchCalendar(launch_);
  ASSERT_TRUE(before.ok());
  LaunchPatch patch;
  patch.target_launch_date = absl::CivilDay(2027, 1, 29);
  ASSERT_TRUE(service_->UpdateLaunch(launch_, patch, std::nullopt, Actor{"t"}).ok());
  absl::StatusOr<CalendarView> after = feeds_->LaunchCalendar(launch_);
  ASSERT_TRUE(after.ok());
  std::map<std::string, const CalendarEntry*> old_entries;
  for (const CalendarEntry& entry : before->entries) old_entries[entry.uid] = &entry;
  int moved = 0;
  for (const CalendarEntry& entry : after->entries) {
    auto it = old_entries.find(entry.uid);
    if (it == old_entries.end()) continue;
    EXPECT_GT(entry.sequence, it->second->sequence) << entry.uid;
    if (entry.date > it->second->date) ++moved;
  }
  EXPECT_GT(moved, 3);
}

}  // namespace
}  // namespace preflight::checklist
