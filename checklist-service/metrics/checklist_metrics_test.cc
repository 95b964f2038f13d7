#include "checklist-service/metrics/checklist_metrics.h"

#include <memory>

#include "checklist-service/testing/launch_service_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ChecklistMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open());
    store_ = checklist_.store();
    timed_ = InstrumentStore(store_, registry_);
    service_ = checklist_.NewService(timed_.get(), &hub_);
    RegisterChecklistMetrics(registry_, service_.get(), store_, &hub_, &clock_, absl::Seconds(30));
  }

  absl::Status CreateLaunch(const std::string& target) {
    NewLaunch launch = testing::ShopLaunch();
    launch.target_launch_date = *ParseCivilDayForTest(target);
    return service_->CreateLaunch(launch, "", Actor{"t"}).status();
  }

  static std::optional<absl::CivilDay> ParseCivilDayForTest(const std::string& text) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(text, &day)) return std::nullopt;
    return day;
  }

  FakeClock clock_{absl::FromUnixSeconds(1788228000)};  // 2026-09-01 10:00 +08:00
  testing::ChecklistTestbed checklist_{&clock_};
  EventHub hub_;
  metrics::Registry registry_;
  SqliteChecklistStore* store_ = nullptr;
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
