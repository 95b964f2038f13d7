// LaunchService with its real collaborators: the SQLite store in a temporary folder, the built-in
// template and calendar, and a FakeClock.

#include "checklist-service/domain/launch_service.h"

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::checklist {
namespace {

using ::preflight::testing::IsOkAndHolds;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time ShanghaiTime(int y, int m, int d, int hh, int mm = 0) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), zone);
}

// Passes everything through to a real store, but can be told to fail commits.
class FlakyStore final : public testing::ForwardingChecklistStore {
 public:
  using ForwardingChecklistStore::ForwardingChecklistStore;
  void FailCommits(absl::Status status) { failure_ = std::move(status); }

  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes) override {
    if (!failure_.ok()) return failure_;
    return ForwardingChecklistStore::Commit(changes);
  }
  absl::StatusOr<LaunchState> LoadLaunch(absl::string_view launch_id) override {
    ++loads_;
    return ForwardingChecklistStore::LoadLaunch(launch_id);
  }
  // LoadLaunch calls so far.
  int loads() const { return loads_.load(); }

 private:
  absl::Status failure_;
  std::atomic<int> loads_{0};
};

class LaunchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open());
    store_ = std::make_unique<FlakyStore>(checklist_.store());
    service_ = checklist_.NewService(store_.get());
  }

  static NewLaunch Shop() {
    NewLaunch request;
    request.tenant = "acme";
    request.display_name = "Acme shop";
    request.owner = "zhang.wei";
    request.target_launch_date = absl::CivilDay(2026, 12, 15);
    request.profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
    request.profile.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
    request.profile.takes_payments = true;
    request.profile.service_categories = {"ecommerce"};
    return request;
  }

  LaunchState CreateShop() {
    absl::StatusOr<LaunchState> state = service_->CreateLaunch(Shop(), "", actor_);
    EXPECT_TRUE(state.ok()) << state.status();
    return *state;
  }

  absl::Status SetStatus(const std::string& id, const std::string& code, ItemStatus status) {
    ItemPatch patch;
    patch.status = status;
    return service_->UpdateItem(id, code, patch, std::nullopt, actor_).status();
  }

  // Approves every launch item whose dependencies allow it, over and over until none is left:
  // the state of a launch ready to go live.
  void ApproveEverythingBeforeLaunch(const std::string& id) {
    for (bool progress = true; progress;) {
      progress = false;
      absl::StatusOr<LaunchState> state = service_->GetLaunch(id);
      ASSERT_TRUE(state.ok()) << state.status();
      for (const Item& item : state->items) {
        if (IsDone(item.status) || DueAfterLaunch(item.deadline)) continue;
        if (SetStatus(id, item.code, ItemStatus::kApproved).ok()) progress = true;
      }
    }
  }

  ItemStatus StatusOf(const std::string& id, const std::string& code) {
    absl::StatusOr<LaunchState> state = service_->GetLaunch(id);
    EXPECT_TRUE(state.ok()) << state.status();
    const Item* item = state->FindItem(code);
    EXPECT_NE(item, nullptr) << code;
    return item == nullptr ? ItemStatus::kNotStarted : item->status;
  }

  FakeClock clock_{ShanghaiTime(2026, 9, 1, 10)};
  testing::ChecklistTestbed checklist_{&clock_};
  Actor actor_{"tester"};
  std::unique_ptr<FlakyStore> store_;
  std::unique_ptr<LaunchService> service_;
};

// What a preview and the real change must agree on: the launch's schedule and fees, and each
// item's applicability and dates.
void ExpectSameOutcome(const LaunchState& preview, const LaunchState& real) {
  EXPECT_EQ(preview.launch.schedule.projected_launch, real.launch.schedule.projected_launch);
  EXPECT_EQ(preview.launch.schedule.critical_path, real.launch.schedule.critical_path);
  EXPECT_EQ(preview.launch.schedule.fees_expected, real.launch.schedule.fees_expected);
  EXPECT_EQ(preview.launch.schedule.at_risk, real.launch.schedule.at_risk);
  EXPECT_EQ(preview.launch.version, real.launch.version);
  ASSERT_EQ(preview.items.size(), real.items.size());
  for (size_t i = 0; i < real.items.size(); ++i) {
    const Item& a = preview.items[i];
    const Item& b = real.items[i];
    EXPECT_EQ(a.code, b.code);
    EXPECT_EQ(a.status, b.status) << a.code;
    EXPECT_EQ(a.applicability_reason, b.applicability_reason) << a.code;
    EXPECT_EQ(a.version, b.version) << a.code;
    EXPECT_TRUE(a.schedule.SameDates(b.schedule)) << a.code;
  }
}

TEST_F(LaunchServiceTest, ValidateOnlyCreateComputesTheLaunchAndStoresNothing) {
  const LaunchState existing = CreateShop();
  absl::StatusOr<EventPage> before = service_->ListEvents(existing.launch.id, 0, 200);
  ASSERT_TRUE(before.ok()) << before.status();

  absl::StatusOr<LaunchState> preview =
      service_->CreateLaunch(Shop(), "", actor_, LaunchService::WriteMode::kValidateOnly);
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_FALSE(preview->items.empty());
  ExpectSameOutcome(*preview, existing);
  // Nothing was stored: the tenant still has one launch, the preview's id names nothing.
  EXPECT_THAT(checklist_.store()->CountLaunches("acme"), IsOkAndHolds(1));
  EXPECT_EQ(service_->GetLaunch(preview->launch.id).status().code(), absl::StatusCode::kNotFound);
  // A preview is checked as the real create is.
  NewLaunch bad = Shop();
  bad.profile.province = "XX";
  EXPECT_EQ(service_->CreateLaunch(bad, "", actor_, LaunchService::WriteMode::kValidateOnly)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(LaunchServiceTest, ValidateOnlyUpdateEqualsTheRealChangeAndWritesNothing) {
  const LaunchState created = CreateShop();
  const std::string id = created.launch.id;
  absl::StatusOr<EventPage> before = service_->ListEvents(id, 0, 200);
  ASSERT_TRUE(before.ok()) << before.status();

  LaunchPatch patch;
  patch.takes_payments = false;
  patch.service_categories = std::vector<std::string>{"ecommerce", "tools"};
  patch.target_launch_date = absl::CivilDay(2027, 1, 20);
  absl::StatusOr<LaunchState> preview = service_->UpdateLaunch(
      id, patch, std::nullopt, actor_, LaunchService::WriteMode::kValidateOnly);
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_EQ(preview->FindItem("WXPAY_MCH")->status, ItemStatus::kNotApplicable);
  EXPECT_EQ(preview->launch.target_launch_date, absl::CivilDay(2027, 1, 20));

  // Written nowhere: the stored launch, its items and its events are as they were.
  absl::StatusOr<LaunchState> stored = service_->GetLaunch(id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->launch.version, created.launch.version);
  EXPECT_EQ(stored->launch.target_launch_date, created.launch.target_launch_date);
  EXPECT_EQ(stored->FindItem("WXPAY_MCH")->status, created.FindItem("WXPAY_MCH")->status);
  absl::StatusOr<EventPage> after_preview = service_->ListEvents(id, 0, 200);
  ASSERT_TRUE(after_preview.ok());
  EXPECT_EQ(after_preview->events.size(), before->events.size());

  // The real change gives what the preview said.
  absl::StatusOr<LaunchState> real = service_->UpdateLaunch(id, patch, std::nullopt, actor_);
  ASSERT_TRUE(real.ok()) << real.status();
  ExpectSameOutcome(*preview, *real);
  absl::StatusOr<EventPage> after_real = service_->ListEvents(id, 0, 200);
  ASSERT_TRUE(after_real.ok());
  EXPECT_GT(after_real->events.size(), before->events.size());
}

TEST_F(LaunchServiceTest, IndividualLaunchPaysThirtyYuanAndHasNoMerchantNumber) {
  NewLaunch request = Shop();
  request.profile.subject_type = v1::SUBJECT_TYPE_INDIVIDUAL;
  request.profile.takes_payments = false;
  request.profile.service_categories = {"tools"};
  absl::StatusOr<LaunchState> state = service_->CreateLaunch(request, "", actor_);
  ASSERT_TRUE(state.ok()) << state.status();
  const Item* verify = state->FindItem("MP_VERIFY");
  ASSERT_NE(verify, nullptr);
  EXPECT_EQ(verify->fee_per_attempt, 3000);
  const Item* merchant = state->FindItem("WXPAY_MCH");
  ASSERT_NE(merchant, nullptr);
  EXPECT_EQ(merchant->status, ItemStatus::kNotApplicable);
}

// WeChat verification fees as charged (domain.md §9.3): one ¥300 order covers 3 resubmissions of
// returned material; a fourth resubmission or a failure opens a new paid order. The launch's
// fees_paid follows, and the audit log says which submissions were paid.
TEST_F(LaunchServiceTest, VerificationIsPaidPerOrderNotPerResubmission) {
  const LaunchState state = CreateShop();
  const std::string& id = state.launch.id;
  ASSERT_OK(SetStatus(id, "MP_ACCOUNT", ItemStatus::kApproved));
  const auto fees_paid = [&] {
    absl::StatusOr<LaunchState> now = service_->GetLaunch(id, /*with_items=*/false);
    EXPECT_TRUE(now.ok()) << now.status();
    return now.ok() ? now->launch.schedule.fees_paid : -1;
  };
  // The summary of MP_VERIFY's latest item update.
  const auto last_note = [&] {
    absl::StatusOr<std::vector<Event>> events = store_->ReadEvents(0, 100000);
    EXPECT_TRUE(events.ok()) << events.status();
    std::string summary;
    for (const Event& event : *events) {
      if (event.type == EventType::kItemUpdated && event.item_code == "MP_VERIFY") {
        summary = event.summary;
      }
    }
    return summary;
  };
  const auto set = [&](ItemStatus status) {
    ASSERT_OK(SetStatus(id, "MP_VERIFY", status));
    clock_.AdvanceTime(absl::Hours(24));
  };
  EXPECT_EQ(fees_paid(), 0);
  set(ItemStatus::kSubmitted);
  EXPECT_THAT(last_note(), HasSubstr("new paid order (¥300)"));
  EXPECT_EQ(fees_paid(), 30000);
  for (int round = 1; round <= 3; ++round) {
    set(ItemStatus::kReturned);
    set(ItemStatus::kSubmitted);
    EXPECT_THAT(last_note(), HasSubstr(absl::StrCat("status: RETURNED -> SUBMITTED; attempts: ",
                                                    round, " -> ", round + 1, "; resubmission ",
                                                    round, " of 3 within the paid order")));
    EXPECT_EQ(fees_paid(), 30000) << "round " << round;
  }
  set(ItemStatus::kReturned);
  EXPECT_THAT(last_note(), HasSubstr("no free resubmission left"));
  set(ItemStatus::kSubmitted);
  EXPECT_THAT(last_note(), HasSubstr("new paid order (¥300)"));
  EXPECT_EQ(fees_paid(), 60000);

  set(ItemStatus::kRejected);
  EXPECT_THAT(last_note(), HasSubstr("the paid order is closed"));
  set(ItemStatus::kSubmitted);
  EXPECT_EQ(fees_paid(), 90000);
  absl::StatusOr<LaunchState> now = service_->GetLaunch(id);
  ASSERT_TRUE(now.ok()) << now.status();
  const Item* verify = now->FindItem("MP_VERIFY");
  ASSERT_NE(verify, nullptr);
  EXPECT_EQ(verify->attempts, 6);
  EXPECT_EQ(verify->paid_orders, 3);
  EXPECT_EQ(FreeResubmissionsLeft(*verify), 3);
}

TEST_F(LaunchServiceTest, ProfileToggleKeepsProgress) {
  const LaunchState state = CreateShop();
  const std::string& id = state.launch.id;
  ASSERT_TRUE(SetStatus(id, "BIZ", ItemStatus::kApproved).ok());
  ASSERT_TRUE(SetStatus(id, "CLOUD_RN", ItemStatus::kApproved).ok());

  LaunchPatch to_cloud;
  to_cloud.hosting = v1::HOSTING_WECHAT_CLOUD;
  ASSERT_TRUE(service_->UpdateLaunch(id, to_cloud, std::nullopt, actor_).ok());
  EXPECT_EQ(StatusOf(id, "CLOUD_RN"), ItemStatus::kNotApplicable);
  EXPECT_EQ(StatusOf(id, "ICP_FILING"), ItemStatus::kNotApplicable);

  LaunchPatch back;
  back.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
  ASSERT_TRUE(service_->UpdateLaunch(id, back, std::nullopt, actor_).ok());
  EXPECT_EQ(StatusOf(id, "CLOUD_RN"), ItemStatus::kApproved);
  EXPECT_EQ(StatusOf(id, "ICP_FILING"), ItemStatus::kNotStarted);
}

TEST_F(LaunchServiceTest, DatesAreTakenInTheLaunchTimeZone) {
  // 23:30 UTC on Sep 1 is already 07:30 on Sep 2 in Shanghai.
  clock_.SetTime(absl::FromCivil(absl::CivilSecond(2026, 9, 1, 23, 30, 0), absl::UTCTimeZone()));
  const LaunchState state = CreateShop();
  ItemPatch patch;
  patch.status = ItemStatus::kInProgress;
  absl::StatusOr<Item> item =
      service_->UpdateItem(state.launch.id, "MP_ACCOUNT", patch, std::nullopt, actor_);
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->started_date, absl::CivilDay(2026, 9, 2));

  absl::StatusOr<LaunchState> now = service_->GetLaunch(state.launch.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->launch.schedule.as_of, absl::CivilDay(2026, 9, 2));
}

TEST_F(LaunchServiceTest, FailedCommitChangesNothing) {
  const LaunchState state = CreateShop();
  absl::StatusOr<int64_t> last = store_->LastSequence();
  ASSERT_TRUE(last.ok());
  store_->FailCommits(absl::UnavailableError("database is locked"));

  ItemPatch patch;
  patch.assignee = "li.na";
  patch.status = ItemStatus::kInProgress;
  EXPECT_EQ(service_->UpdateItem(state.launch.id, "MP_ACCOUNT", patch, std::nullopt, actor_)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  LaunchPatch launch_patch;
  launch_patch.display_name = "Renamed";
  EXPECT_FALSE(service_->UpdateLaunch(state.launch.id, launch_patch, std::nullopt, actor_).ok());

  store_->FailCommits(absl::OkStatus());
  absl::StatusOr<LaunchState> now = service_->GetLaunch(state.launch.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->launch.display_name, "Acme shop");
  EXPECT_EQ(now->FindItem("MP_ACCOUNT")->assignee, "");
  EXPECT_EQ(now->FindItem("MP_ACCOUNT")->status, ItemStatus::kNotStarted);
  EXPECT_EQ(*store_->LastSequence(), *last);
}

// A write starts from the state this service last committed, without loading the launch, and
// leaves exactly what a service that loads it would see.
TEST_F(LaunchServiceTest, ASecondWriteStartsFromTheCommittedStateWithoutLoadingIt) {
  const LaunchState created = CreateShop();
  const std::string& id = created.launch.id;
  ItemPatch notes;
  notes.notes = "first";
  ASSERT_OK(service_->UpdateItem(id, "MP_ACCOUNT", notes, std::nullopt, actor_).status());
  const int loads = store_->loads();
  ItemPatch started;
  started.status = ItemStatus::kInProgress;
  absl::StatusOr<Item> item = service_->UpdateItem(id, "MP_ACCOUNT", started, 2, actor_);
  ASSERT_OK(item.status());
  EXPECT_EQ(item->version, 3);
  EXPECT_EQ(item->notes, "first");
  ItemPatch other;
  other.assignee = "li.na";
  ASSERT_OK(service_->UpdateItem(id, "ICP_FILING", other, std::nullopt, actor_).status());
  EXPECT_EQ(store_->loads(), loads);

  std::unique_ptr<LaunchService> fresh = checklist_.NewService(store_.get());
  absl::StatusOr<LaunchState> stored = fresh->GetLaunch(id);
  ASSERT_OK(stored.status());
  EXPECT_EQ(stored->FindItem("MP_ACCOUNT")->status, ItemStatus::kInProgress);
  EXPECT_EQ(stored->FindItem("MP_ACCOUNT")->version, 3);
  EXPECT_EQ(stored->FindItem("ICP_FILING")->assignee, "li.na");
}

// Another writer's change makes a new stamp: the next write loads the launch and sees it.
TEST_F(LaunchServiceTest, AChangeByAnotherWriterIsNeverMistakenForTheCachedState) {
  const LaunchState created = CreateShop();
  const std::string& id = created.launch.id;
  ItemPatch mine;
  mine.notes = "mine";
  ASSERT_OK(service_->UpdateItem(id, "MP_ACCOUNT", mine, std::nullopt, actor_).status());
  std::unique_ptr<LaunchService> other = checklist_.NewService(store_.get());
  ItemPatch theirs;
  theirs.notes = "theirs";
  ASSERT_OK(other->UpdateItem(id, "MP_ACCOUNT", theirs, 2, actor_).status());
  LaunchPatch renamed;
  renamed.display_name = "Renamed elsewhere";
  ASSERT_OK(other->UpdateLaunch(id, renamed, std::nullopt, actor_).status());

  const int loads = store_->loads();
  ItemPatch assignee;
  assignee.assignee = "li.na";
  absl::StatusOr<Item> item = service_->UpdateItem(id, "MP_ACCOUNT", assignee, 3, actor_);
  ASSERT_OK(item.status());
  EXPECT_EQ(item->notes, "theirs");
  EXPECT_EQ(item->version, 4);
  EXPECT_EQ(store_->loads(), loads + 1);
  EXPECT_EQ(service_->GetLaunch(id)->launch.display_name, "Renamed elsewhere");
}

// A write whose commit fails keeps nothing in memory either: the next one loads the launch.
TEST_F(LaunchServiceTest, AFailedCommitLeavesNoStateForTheNextWrite) {
  const LaunchState created = CreateShop();
  const std::string& id = created.launch.id;
  ItemPatch first;
  first.notes = "kept";
  ASSERT_OK(service_->UpdateItem(id, "MP_ACCOUNT", first, std::nullopt, actor_).status());
  store_->FailCommits(absl::UnavailableError("disk I/O error"));
  ItemPatch lost;
  lost.notes = "lost";
  EXPECT_EQ(service_->UpdateItem(id, "MP_ACCOUNT", lost, std::nullopt, actor_).status().code(),
            absl::StatusCode::kUnavailable);
  store_->FailCommits(absl::OkStatus());
  const int loads = store_->loads();
  ItemPatch next;
  next.assignee = "li.na";
  absl::StatusOr<Item> item = service_->UpdateItem(id, "MP_ACCOUNT", next, 2, actor_);
  ASSERT_OK(item.status());
  EXPECT_EQ(item->notes, "kept");
  EXPECT_EQ(item->version, 3);
  EXPECT_EQ(store_->loads(), loads + 1);
}

// A mini program on its own server outside the mainland still files its request domain
// (domain.md §9.1): ICP filing, the certificate and the server-domain configuration come before
// code review, and the public-security filing after the ICP filing.
TEST_F(LaunchServiceTest, AnOverseasServerPlansTheFilingTrackInOrder) {
  NewLaunch request = Shop();
  request.profile.hosting = v1::HOSTING_OWN_SERVER_OUTSIDE_MAINLAND;
  absl::StatusOr<LaunchState> state = service_->CreateLaunch(request, "", actor_);
  ASSERT_OK(state.status());
  const auto schedule = [&](const char* code) {
    const Item* item = state->FindItem(code);
    EXPECT_NE(item, nullptr) << code;
    if (item == nullptr) return ItemSchedule{};
    EXPECT_NE(item->status, ItemStatus::kNotApplicable) << code;
    return item->schedule;
  };
  const auto before = [&](const char* first, const char* then) {
    const ItemSchedule a = schedule(first);
    const ItemSchedule b = schedule(then);
    ASSERT_TRUE(a.projected_finish.has_value() && b.projected_start.has_value())
        << first << " " << then;
    EXPECT_LE(*a.projected_finish, *b.projected_start) << first << " before " << then;
  };
  before("SERVER", "ICP_FILING");
  before("DOMAIN_RN", "ICP_FILING");
  before("DOMAIN", "TLS_CERT");
  before("ICP_FILING", "SERVER_DOMAIN_CONFIG");
  before("TLS_CERT", "SERVER_DOMAIN_CONFIG");
  before("SERVER_DOMAIN_CONFIG", "CODE_REVIEW");
  before("PRIVACY_GUIDE", "CODE_REVIEW");
  before("ICP_FILING", "PSB_FILING");
}

TEST_F(LaunchServiceTest, UnchangedUpdateWritesNothing) {
  const LaunchState state = CreateShop();
  const int64_t last = *store_->LastSequence();
  ItemPatch patch;
  patch.assignee = "";
  ASSERT_TRUE(
      service_->UpdateItem(state.launch.id, "MP_ACCOUNT", patch, std::nullopt, actor_).ok());
  LaunchPatch launch_patch;
  launch_patch.owner = "zhang.wei";
  ASSERT_TRUE(service_->UpdateLaunch(state.launch.id, launch_patch, std::nullopt, actor_).ok());
  EXPECT_EQ(*store_->LastSequence(), last);
}

TEST_F(LaunchServiceTest, ConcurrentWritersProduceAGapFreeHistory) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(CreateShop().launch.id);
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (const std::string& id : ids) {
    writers.emplace_back([&, id] {
      for (int round = 0; round < 10; ++round) {
        ItemPatch patch;
        patch.notes = absl::StrCat("round ", round);
        if (!service_->UpdateItem(id, "MP_ACCOUNT", patch, std::nullopt, actor_).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  absl::StatusOr<std::vector<Event>> events = store_->ReadEvents(0, 100000);
  ASSERT_TRUE(events.ok());
  for (size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].sequence, static_cast<int64_t>(i + 1));
  }
  for (const std::string& id : ids) {
    absl::StatusOr<LaunchState> state = service_->GetLaunch(id);
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(state->FindItem("MP_ACCOUNT")->notes, "round 9");
  }
}

TEST_F(LaunchServiceTest, GoingLiveWaitsForFilingAndCodeReview) {
  const LaunchState state = CreateShop();
  clock_.SetTime(ShanghaiTime(2026, 12, 20, 10));
  LaunchPatch live;
  live.went_live_date = absl::CivilDay(2026, 12, 18);
  absl::StatusOr<LaunchState> refused =
      service_->UpdateLaunch(state.launch.id, live, std::nullopt, actor_);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "launch.went_live_date: a launch goes live only after MP_FILING (NOT_STARTED), "
            "CODE_REVIEW (NOT_STARTED) are approved or waived");
  // Nothing was written.
  absl::StatusOr<LaunchState> unchanged = service_->GetLaunch(state.launch.id);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_FALSE(unchanged->launch.went_live_date.has_value());
  EXPECT_EQ(unchanged->launch.version, state.launch.version);

  ApproveEverythingBeforeLaunch(state.launch.id);
  ASSERT_EQ(StatusOf(state.launch.id, "CODE_REVIEW"), ItemStatus::kApproved);
  EXPECT_TRUE(service_->UpdateLaunch(state.launch.id, live, std::nullopt, actor_).ok());
}

TEST_F(LaunchServiceTest, AnIndividualBecomingACompanyMigratesItsApprovedAccount) {
  NewLaunch request = Shop();
  request.profile.subject_type = v1::SUBJECT_TYPE_INDIVIDUAL;
  request.profile.takes_payments = false;
  request.profile.service_categories = {"tools"};
  absl::StatusOr<LaunchState> created = service_->CreateLaunch(request, "", actor_);
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string id = created->launch.id;
  ASSERT_OK(SetStatus(id, "MP_ACCOUNT", ItemStatus::kApproved));

  LaunchPatch company;
  company.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  absl::StatusOr<LaunchState> changed = service_->UpdateLaunch(id, company, std::nullopt, actor_);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->launch.profile.account_subject_type, v1::SUBJECT_TYPE_INDIVIDUAL);
  EXPECT_EQ(changed->FindItem("MP_SUBJECT_MIGRATION")->status, ItemStatus::kNotStarted);
  // Verification and filing under the new subject wait for the migration.
  EXPECT_EQ(SetStatus(id, "MP_VERIFY", ItemStatus::kSubmitted).code(),
            absl::StatusCode::kFailedPrecondition);

  // Changing back: account and launch agree again.
  LaunchPatch individual;
  individual.subject_type = v1::SUBJECT_TYPE_INDIVIDUAL;
  changed = service_->UpdateLaunch(id, individual, std::nullopt, actor_);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->launch.profile.account_subject_type, v1::SUBJECT_TYPE_UNSPECIFIED);
  EXPECT_EQ(changed->FindItem("MP_SUBJECT_MIGRATION")->status, ItemStatus::kNotApplicable);
}

TEST_F(LaunchServiceTest, ASubjectChangeBeforeTheAccountExistsNeedsNoMigration) {
  NewLaunch request = Shop();
  request.profile.subject_type = v1::SUBJECT_TYPE_INDIVIDUAL;
  request.profile.takes_payments = false;
  request.profile.service_categories = {};
  absl::StatusOr<LaunchState> created = service_->CreateLaunch(request, "", actor_);
  ASSERT_TRUE(created.ok()) << created.status();
  LaunchPatch company;
  company.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  absl::StatusOr<LaunchState> changed =
      service_->UpdateLaunch(created->launch.id, company, std::nullopt, actor_);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->launch.profile.account_subject_type, v1::SUBJECT_TYPE_UNSPECIFIED);
  EXPECT_EQ(changed->FindItem("MP_SUBJECT_MIGRATION")->status, ItemStatus::kNotApplicable);
}

TEST_F(LaunchServiceTest, MaterialsAreTrackedOneByOne) {
  NewLaunch request = Shop();
  request.profile.province = "ZJ";
  absl::StatusOr<LaunchState> created = service_->CreateLaunch(request, "", actor_);
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string id = created->launch.id;
  const int missing = MaterialsMissing(*created->FindItem("ICP_FILING"));
  EXPECT_GT(missing, 5);

  ItemPatch ready;
  ready.materials = {{"business_licence", MaterialStatus::kReady},
                     {"authorisation_letter", MaterialStatus::kNotNeeded}};
  absl::StatusOr<Item> item = service_->UpdateItem(id, "ICP_FILING", ready, std::nullopt, actor_);
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(MaterialsMissing(*item), missing - 2);
  absl::StatusOr<EventPage> events = service_->ListEvents(id, 0, 200);
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(events->events.back().summary,
              HasSubstr("material business_licence: MISSING -> READY"));

  ItemPatch unknown;
  unknown.materials = {{"passport", MaterialStatus::kReady}};
  absl::Status status =
      service_->UpdateItem(id, "ICP_FILING", unknown, std::nullopt, actor_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("item.materials[0].code: item ICP_FILING has no material 'passport'"));

  // Xinjiang's certificate is not asked for in Zhejiang.
  ItemPatch elsewhere;
  elsewhere.materials = {{"party_building_certificate", MaterialStatus::kReady}};
  status = service_->UpdateItem(id, "ICP_FILING", elsewhere, std::nullopt, actor_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LaunchServiceTest, ACertificateApprovedTodayExpiresAfterTheBallotsLimit) {
  const LaunchState state = CreateShop();
  clock_.SetTime(ShanghaiTime(2026, 12, 3, 10));
  ASSERT_OK(SetStatus(state.launch.id, "BIZ", ItemStatus::kApproved));
  ASSERT_OK(SetStatus(state.launch.id, "CLOUD_RN", ItemStatus::kApproved));
  ASSERT_OK(SetStatus(state.launch.id, "DOMAIN", ItemStatus::kApproved));
  ASSERT_OK(SetStatus(state.launch.id, "TLS_CERT", ItemStatus::kApproved));
  absl::StatusOr<LaunchState> after = service_->GetLaunch(state.launch.id);
  ASSERT_TRUE(after.ok());
  // Issued 2026-12-03, after 2026-03-15: at most 200 days.
  EXPECT_EQ(after->FindItem("TLS_CERT")->expiry_date, absl::CivilDay(2027, 6, 21));
}

TEST_F(LaunchServiceTest, WentLiveAnchorsPostLaunchDeadline) {
  const LaunchState state = CreateShop();
  ApproveEverythingBeforeLaunch(state.launch.id);
  clock_.SetTime(ShanghaiTime(2026, 12, 20, 10));
  LaunchPatch live;
  live.went_live_date = absl::CivilDay(2026, 12, 18);
  absl::StatusOr<LaunchState> updated =
      service_->UpdateLaunch(state.launch.id, live, std::nullopt, actor_);
  ASSERT_TRUE(updated.ok()) << updated.status();
  const Item* psb = updated->FindItem("PSB_FILING");
  ASSERT_NE(psb, nullptr);
  ASSERT_TRUE(psb->schedule.latest_finish.has_value());
  // 30 calendar days after 2026-12-18 is 2027-01-17, a Sunday: due the Friday before.
  EXPECT_EQ(*psb->schedule.latest_finish, absl::CivilDay(2027, 1, 15));
  EXPECT_TRUE(psb->schedule.unconfirmed_calendar);  // 2027 is not announced yet
  // It names the year it lacks, and only that one: 2026 is announced.
  EXPECT_THAT(psb->schedule.unconfirmed_years, ElementsAre(2027));
  EXPECT_THAT(updated->launch.schedule.unconfirmed_years, ElementsAre(2027));
  EXPECT_TRUE(updated->launch.schedule.unconfirmed_calendar);
}

TEST_F(LaunchServiceTest, PaidGameWaitsMonthsForItsPublishingNumberAnEstimate) {
  // A mini game that sells items needs a 版号: planned at the template's 18/60/186 WD, an
  // estimate, and long enough to set the critical path.
  NewLaunch request = Shop();
  request.profile.mini_game = true;
  request.profile.service_categories = {"game"};
  absl::StatusOr<LaunchState> state = service_->CreateLaunch(request, "", actor_);
  ASSERT_TRUE(state.ok()) << state.status();
  const Item* game = state->FindItem("PERMIT_GAME");
  ASSERT_NE(game, nullptr);
  EXPECT_EQ(game->status, ItemStatus::kNotStarted);
  EXPECT_EQ(game->duration.min, 18);
  EXPECT_EQ(game->duration.typical, 60);
  EXPECT_EQ(game->duration.max, 186);
  EXPECT_TRUE(game->estimate);
  // From Tue Sep 1, 2026, 60 working days (past Mid-Autumn, National Day and its make-up
  // Saturday) end on Mon Nov 30.
  EXPECT_EQ(game->schedule.projected_finish, absl::CivilDay(2026, 11, 30));
  EXPECT_TRUE(game->schedule.duration_estimated);
  EXPECT_TRUE(game->schedule.critical);

  const LaunchSchedule& launch = state->launch.schedule;
  EXPECT_THAT(launch.critical_path, Contains("PERMIT_GAME"));
  EXPECT_THAT(launch.estimated_critical_items, Contains("PERMIT_GAME"));
  EXPECT_TRUE(launch.at_risk);  // the Dec 15 target no longer holds
  EXPECT_THAT(launch.critical_path,
              ElementsAre("BIZ", "PERMIT_GAME", "MP_CATEGORY", "MP_FILING", "CODE_REVIEW"));
  // Of these the template marks all but the business licence and the filing as estimates.
  EXPECT_THAT(launch.estimated_critical_items,
              ElementsAre("PERMIT_GAME", "MP_CATEGORY", "CODE_REVIEW"));

  // The domain is an estimate for its ¥80 fee only: its duration is not.
  const Item* domain = state->FindItem("DOMAIN");
  ASSERT_NE(domain, nullptr);
  EXPECT_TRUE(domain->estimate);
  EXPECT_FALSE(domain->schedule.duration_estimated);
}

TEST_F(LaunchServiceTest, ListLaunchesPagesThroughAtRiskFilter) {
  for (int i = 0; i < 3; ++i) CreateShop();
  LaunchListFilter filter;
  filter.store_filter.tenant = "acme";
  absl::StatusOr<LaunchPage> page = service_->ListLaunches(filter, "", 2);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->launches.size(), 2u);
  ASSERT_FALSE(page->next_after_id.empty());
  absl::StatusOr<LaunchPage> rest = service_->ListLaunches(filter, page->next_after_id, 2);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->launches.size(), 1u);
  EXPECT_TRUE(rest->next_after_id.empty());

  filter.at_risk_only = true;
  absl::StatusOr<LaunchPage> risky = service_->ListLaunches(filter, "", 2);
  ASSERT_TRUE(risky.ok());
  EXPECT_TRUE(risky->launches.empty());
  EXPECT_THAT(service_->ListLaunches(filter, "", 201).status().message(), HasSubstr("page_size"));
}

// BASIC reads no items but answers the same launch schedule as FULL, and the cached schedule
// follows item changes and the calendar day.
TEST_F(LaunchServiceTest, GetLaunchWithoutItemsKeepsScheduleCurrent) {
  const LaunchState created = CreateShop();
  const std::string& id = created.launch.id;
  for (int round = 0; round < 2; ++round) {  // the second round is served from the cache
    absl::StatusOr<LaunchState> basic = service_->GetLaunch(id, /*with_items=*/false);
    ASSERT_TRUE(basic.ok()) << basic.status();
    EXPECT_TRUE(basic->items.empty());
    absl::StatusOr<LaunchState> full = service_->GetLaunch(id);
    ASSERT_TRUE(full.ok()) << full.status();
    EXPECT_FALSE(full->items.empty());
    EXPECT_EQ(basic->launch.schedule.projected_launch, full->launch.schedule.projected_launch);
    EXPECT_EQ(basic->launch.schedule.slack_working_days, full->launch.schedule.slack_working_days);
    EXPECT_EQ(basic->launch.schedule.as_of, full->launch.schedule.as_of);
  }
  const absl::CivilDay first_day = service_->GetLaunch(id, false).value().launch.schedule.as_of;
  clock_.SetTime(clock_.Now() + absl::Hours(24));
  EXPECT_EQ(service_->GetLaunch(id, false).value().launch.schedule.as_of, first_day + 1);
  EXPECT_EQ(service_->GetLaunch(id).value().launch.schedule.as_of, first_day + 1);

  // An item change (the launch's version stays) must not be answered from the old entry.
  ASSERT_TRUE(SetStatus(id, "BIZ", ItemStatus::kApproved).ok());
  absl::StatusOr<LaunchState> after = service_->GetLaunch(id);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->FindItem("BIZ")->schedule.done);
  absl::StatusOr<LaunchState> basic = service_->GetLaunch(id, false);
  ASSERT_TRUE(basic.ok());
  EXPECT_EQ(basic->launch.schedule.fees_paid, after->launch.schedule.fees_paid);
  EXPECT_EQ(basic->launch.schedule.critical_path, after->launch.schedule.critical_path);
}

// Regression: a page filled by the last launch of a store batch (after skipping on-time ones)
// came back without a token, silently ending the listing.
TEST_F(LaunchServiceTest, ListLaunchesAtRiskPagesReturnEveryAtRiskLaunchOnce) {
  std::set<std::string> at_risk;
  NewLaunch rushed = Shop();
  rushed.target_launch_date = absl::CivilDay(2026, 9, 11);  // the ICP filing alone cannot meet it
  for (int i = 0; i < 18; ++i) {
    if (i % 3 == 0) {
      CreateShop();  // on time
      continue;
    }
    absl::StatusOr<LaunchState> late = service_->CreateLaunch(rushed, "", actor_);
    ASSERT_TRUE(late.ok()) << late.status();
    ASSERT_TRUE(late->launch.schedule.at_risk);
    at_risk.insert(late->launch.id);
  }
  LaunchListFilter filter;
  filter.store_filter.tenant = "acme";
  filter.at_risk_only = true;
  for (int page_size = 1; page_size <= 13; ++page_size) {
    SCOPED_TRACE(absl::StrCat("page_size ", page_size));
    std::multiset<std::string> seen;
    std::string after;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<LaunchPage> page = service_->ListLaunches(filter, after, page_size);
      ASSERT_TRUE(page.ok()) << page.status();
      ASSERT_LE(static_cast<int>(page->launches.size()), page_size);
      for (const LaunchState& state : page->launches) seen.insert(state.launch.id);
      if (page->next_after_id.empty()) break;
      after = page->next_after_id;
    }
    EXPECT_EQ(seen, std::multiset<std::string>(at_risk.begin(), at_risk.end()));
  }
}

}  // namespace
}  // namespace preflight::checklist

namespace preflight::checklist {
namespace {

TEST_F(LaunchServiceTest, SummarizeCountsLaunchesRiskAndItemsByStatus) {
  absl::StatusOr<LaunchSummary> empty = service_->Summarize();
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->launches, 0);

  // On time: due in December, planned from September 1.
  const LaunchState on_time = CreateShop();
  // Late: due in 10 days, which the ICP filing alone cannot meet.
  NewLaunch rushed = Shop();
  rushed.target_launch_date = absl::CivilDay(2026, 9, 11);
  absl::StatusOr<LaunchState> late = service_->CreateLaunch(rushed, "", actor_);
  ASSERT_TRUE(late.ok()) << late.status();
  ASSERT_TRUE(late->launch.schedule.at_risk);
  ASSERT_FALSE(on_time.launch.schedule.at_risk);
  ASSERT_TRUE(SetStatus(on_time.launch.id, "BIZ", ItemStatus::kApproved).ok());

  absl::StatusOr<LaunchSummary> summary = service_->Summarize();
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->launches, 2);
  EXPECT_EQ(summary->launches_live, 0);
  EXPECT_EQ(summary->launches_at_risk, 1);
  int64_t items = 0;
  for (const auto& [status, count] : summary->items_by_status) items += count;
  EXPECT_EQ(items, static_cast<int64_t>(on_time.items.size() + late->items.size()));
  EXPECT_EQ(summary->items_by_status[ItemStatus::kApproved], 1);
  EXPECT_GT(summary->items_by_status[ItemStatus::kNotApplicable], 0);
}

}  // namespace
}  // namespace preflight::checklist
