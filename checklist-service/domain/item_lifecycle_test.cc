#include "checklist-service/domain/item_lifecycle.h"

#include <map>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;
using S = ItemStatus;

constexpr S kAll[] = {S::kNotStarted, S::kInProgress, S::kSubmitted,     S::kApproved,
                      S::kRejected,   S::kWaived,     S::kNotApplicable, S::kReturned};

Item MakeItem(S status) {
  Item item;
  item.code = "MP_VERIFY";
  item.status = status;
  return item;
}

TEST(ItemLifecycleTest, TransitionTableIsExactlyTheDocumentedOne) {
  // Rows: from; columns: to. Same-status updates are no-ops and always allowed.
  const std::map<S, std::set<S>> legal = {
      {S::kNotStarted, {S::kInProgress, S::kSubmitted, S::kApproved, S::kWaived}},
      {S::kInProgress, {S::kNotStarted, S::kSubmitted, S::kApproved, S::kWaived}},
      {S::kSubmitted, {S::kApproved, S::kRejected, S::kReturned, S::kInProgress}},
      {S::kRejected, {S::kInProgress, S::kSubmitted, S::kWaived}},
      {S::kReturned, {S::kSubmitted, S::kInProgress, S::kWaived}},
      {S::kApproved, {S::kInProgress}},
      {S::kWaived, {S::kNotStarted, S::kInProgress}},
      {S::kNotApplicable, {}},
  };
  for (S from : kAll) {
    for (S to : kAll) {
      const absl::Status status = CheckTransition(MakeItem(from), to);
      const bool expected = from == to || legal.at(from).count(to) > 0;
      EXPECT_EQ(status.ok(), expected)
          << ItemStatusName(from) << " -> " << ItemStatusName(to) << ": " << status;
      if (!status.ok()) {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_THAT(status.message(), HasSubstr("MP_VERIFY"));
      }
    }
  }
}

TEST(ItemLifecycleTest, IllegalTransitionMessageSaysWhatIsAllowed) {
  const absl::Status status = CheckTransition(MakeItem(S::kApproved), S::kRejected);
  EXPECT_THAT(status.message(), HasSubstr("APPROVED -> REJECTED"));
  EXPECT_THAT(status.message(), HasSubstr("allowed from APPROVED: IN_PROGRESS"));
}

TEST(ItemLifecycleTest, EverySubmissionIsANewAttempt) {
  Item item = MakeItem(S::kNotStarted);
  const absl::CivilDay day(2026, 9, 1);
  ApplyTransition(item, S::kSubmitted, day, false);
  EXPECT_EQ(item.attempts, 1);
  EXPECT_EQ(item.submitted_date, day);
  EXPECT_EQ(item.started_date, day);
  ApplyTransition(item, S::kRejected, day + 3, false);
  ApplyTransition(item, S::kSubmitted, day + 5, false);
  EXPECT_EQ(item.attempts, 2);
  EXPECT_EQ(item.submitted_date, day + 5);
  EXPECT_EQ(item.started_date, day);  // the work started on the first day
}

TEST(ItemLifecycleTest, ApprovalSetsExpiryForQualificationsThatLapse) {
  Item item = MakeItem(S::kSubmitted);
  item.validity_months = 12;
  ApplyTransition(item, S::kApproved, absl::CivilDay(2026, 9, 5), false);
  EXPECT_EQ(item.approved_date, absl::CivilDay(2026, 9, 5));
  EXPECT_EQ(item.expiry_date, absl::CivilDay(2027, 9, 5));

  Item explicit_expiry = MakeItem(S::kSubmitted);
  explicit_expiry.validity_months = 12;
  explicit_expiry.expiry_date = absl::CivilDay(2027, 3, 1);
  ApplyTransition(explicit_expiry, S::kApproved, absl::CivilDay(2026, 9, 5), true);
  EXPECT_EQ(explicit_expiry.expiry_date, absl::CivilDay(2027, 3, 1));

  Item forever = MakeItem(S::kSubmitted);
  ApplyTransition(forever, S::kApproved, absl::CivilDay(2026, 9, 5), false);
  EXPECT_FALSE(forever.expiry_date.has_value());
}

TEST(ItemLifecycleTest, ReopeningAnApprovalRestartsTheWork) {
  Item item = MakeItem(S::kApproved);
  item.started_date = absl::CivilDay(2025, 9, 1);
  ApplyTransition(item, S::kInProgress, absl::CivilDay(2026, 6, 1), false);
  EXPECT_EQ(item.started_date, absl::CivilDay(2026, 6, 1));
}

TEST(ItemLifecycleTest, LeavingAWaiverClearsItsReason) {
  Item item = MakeItem(S::kWaived);
  item.waiver_reason = "agency handles it";
  ApplyTransition(item, S::kNotStarted, absl::CivilDay(2026, 9, 1), false);
  EXPECT_TRUE(item.waiver_reason.empty());
  EXPECT_FALSE(item.started_date.has_value());
}

TEST(ItemLifecycleTest, SubmittingWaitsForDependencies) {
  LaunchState state;
  Item account = MakeItem(S::kInProgress);
  account.code = "MP_ACCOUNT";
  Item cancelled = MakeItem(S::kNotApplicable);
  cancelled.code = "MP_SUBJECT";
  Item verify = MakeItem(S::kNotStarted);
  verify.depends_on = {{"MP_ACCOUNT", 0}, {"MP_SUBJECT", 0}};
  state.items = {account, cancelled, verify};

  EXPECT_TRUE(CheckDependenciesFinished(state, verify, S::kInProgress).ok());
  const absl::Status blocked = CheckDependenciesFinished(state, verify, S::kSubmitted);
  EXPECT_EQ(blocked.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(blocked.message(), HasSubstr("MP_ACCOUNT (IN_PROGRESS)"));
  EXPECT_THAT(blocked.message(), ::testing::Not(HasSubstr("MP_SUBJECT")));

  state.items[0].status = S::kWaived;
  EXPECT_TRUE(CheckDependenciesFinished(state, verify, S::kApproved).ok());
}

}  // namespace
}  // namespace preflight::checklist
