#include "checklist-service/metrics/checklist_metrics.h"

#include <memory>

#include "checklist-service/storage/sqlite_checklist_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ChecklistMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TemplateCatalog> catalog =
        TemplateCatalog::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/templates"});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = std::make_unique<TemplateCatalog>(*std::move(catalog));
    absl::StatusOr<WorkingCalendar> calendar =
        WorkingCalendar::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/calendar"});
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = std::make_unique<WorkingCalendar>(*std::move(calendar));
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
        SqliteChecklistStore::Open(dir_.Join("checklist.db"), SqliteChecklistStore::Options{});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    timed_ = InstrumentStore(store_.get(), registry_);
    service_ = std::make_unique<LaunchService>(timed_.get(), catalog_.get(), calendar_.get(),
                                               &clock_, &hub_);
    RegisterChecklistMetrics(registry_, service_.get(), store_.get(), &hub_, &clock_,
                             absl::Seconds(30));
  }

  absl::Status CreateLaunch(const std::string& target) {
    NewLaunch launch;
    launch.tenant = "acme";
    launch.display_name = "Shop";
    launch.owner = "zhang.wei";
    launch.target_launch_date = *ParseCivilDayForTest(target);
    launch.profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
    launch.profile.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
    return service_->CreateLaunch(launch, "", Actor{"t"}).status();
  }

  static std::optional<absl::CivilDay> ParseCivilDayForTest(const std::string& text) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(text, &day)) return std::nullopt;
    return day;
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1788228000)};  // 2026-09-01 10:00 +08:00
  EventHub hub_;
  metrics::Registry registry_;
  std::unique_ptr<TemplateCatalog> catalog_;
  std::unique_ptr<WorkingCalendar> calendar_;
  std::unique_ptr<SqliteChecklistStore> store_;
  std::unique_ptr<ChecklistStore> timed_;
  std::unique_ptr<LaunchService> service_;
};

TEST_F(ChecklistMetricsTest, ReportsHeadCommitsLaunchesAndItems) {
  ASSERT_TRUE(CreateLaunch("2026-12-15").ok());
  ASSERT_TRUE(CreateLaunch("2026-09-08").ok());  // a week: at risk
  const std::string text = registry_.Render();
  absl::StatusOr<int64_t> head = store_->LastSequence();
  ASSERT_TRUE(head.ok());
  EXPECT_THAT(text, HasSubstr(absl::StrCat("preflight_checklist_event_sequence ", *head, "\n")));
  EXPECT_THAT(text, HasSubstr("preflight_checklist_commit_seconds_count{result=\"ok\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("preflight_checklist_launches{state=\"planning\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("preflight_checklist_launches{state=\"live\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("preflight_checklist_launches_at_risk 1\n"));
  EXPECT_THAT(text, HasSubstr("preflight_checklist_items{status=\"not_started\"} "));
  EXPECT_THAT(text, HasSubstr("preflight_checklist_watchers 0\n"));
}

TEST_F(ChecklistMetricsTest, TheCountsAreCachedForTheirTtl) {
  ASSERT_TRUE(CreateLaunch("2026-12-15").ok());
  EXPECT_THAT(registry_.Render(),
              HasSubstr("preflight_checklist_launches{state=\"planning\"} 1\n"));
  ASSERT_TRUE(CreateLaunch("2026-12-16").ok());
  // The head is read at every scrape; the whole-store counts only once per 30 s.
  EXPECT_THAT(registry_.Render(),
              HasSubstr("preflight_checklist_launches{state=\"planning\"} 1\n"));
  clock_.AdvanceTime(absl::Seconds(31));
  EXPECT_THAT(registry_.Render(),
              HasSubstr("preflight_checklist_launches{state=\"planning\"} 2\n"));
}

// Commits fail as told; nothing else is used.
class RefusingStore final : public ChecklistStore {
 public:
  explicit RefusingStore(absl::Status answer) : answer_(std::move(answer)) {}
  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet&) override { return answer_; }
  absl::StatusOr<LaunchState> LoadLaunch(absl::string_view) override { return answer_; }
  absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(absl::string_view,
                                                                   absl::string_view) override {
    return answer_;
  }
  absl::StatusOr<std::vector<LaunchState>> ListLaunches(const LaunchFilter&, absl::string_view,
                                                        int) override {
    return answer_;
  }
  absl::StatusOr<std::vector<Event>> ListLaunchEvents(absl::string_view, int64_t, int) override {
    return answer_;
  }
  absl::StatusOr<std::vector<Event>> ReadEvents(int64_t, int) override { return answer_; }
  absl::StatusOr<int64_t> LastSequence() override { return answer_; }
  absl::StatusOr<std::vector<LogEpoch>> LogEpochs() override { return answer_; }
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view) override { return answer_; }

 private:
  absl::Status answer_;
};

TEST(InstrumentedStoreTest, CommitsAreTimedByResult) {
  metrics::Registry registry;
  RefusingStore conflicting(absl::AbortedError("changed concurrently"));
  RefusingStore full(absl::ResourceExhaustedError("database or disk is full"));
  std::unique_ptr<ChecklistStore> timed_conflicts = InstrumentStore(&conflicting, registry);
  EXPECT_EQ(timed_conflicts->Commit(ChangeSet{}).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(timed_conflicts->Commit(ChangeSet{}).status().code(), absl::StatusCode::kAborted);
  // A second decorator on the same registry shares the family.
  std::unique_ptr<ChecklistStore> timed_full = InstrumentStore(&full, registry);
  EXPECT_EQ(timed_full->Commit(ChangeSet{}).status().code(), absl::StatusCode::kResourceExhausted);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("preflight_checklist_commit_seconds_count{result=\"aborted\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("preflight_checklist_commit_seconds_count{result=\"error\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("preflight_checklist_commit_seconds_count{result=\"ok\"} 0\n"));
}

}  // namespace
}  // namespace preflight::checklist
