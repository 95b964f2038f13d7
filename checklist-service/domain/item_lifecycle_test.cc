#include "checklist-service/domain/item_lifecycle.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
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

// WeChat verification (domain.md §9.3): one ¥300 order covers the submission and 3 resubmissions
// after the application is returned for more material.
Item VerifyItem() {
  Item item = MakeItem(S::kNotStarted);
  item.fee_per_attempt = 30000;
  item.fee_charged_per_order = true;
  item.resubmissions_per_order = 3;
  return item;
}

// Returns the item for more material and resubmits it; the fee note of the resubmission.
std::string ReturnAndResubmit(Item& item, absl::CivilDay day) {
  ApplyTransition(item, S::kReturned, day, false);
  const Item before = item;
  ApplyTransition(item, S::kSubmitted, day + 1, false);
  return DescribeFeeChange(before, item);
}

TEST(ItemLifecycleTest, OneOrderCoversThreeResubmissionsOfReturnedMaterial) {
  Item item = VerifyItem();
  const absl::CivilDay day(2026, 9, 1);
  Item before = item;
  ApplyTransition(item, S::kSubmitted, day, false);
  EXPECT_EQ(DescribeFeeChange(before, item), "new paid order (¥300)");
  EXPECT_EQ(item.paid_orders, 1);
  EXPECT_EQ(FreeResubmissionsLeft(item), 3);
  for (int round = 1; round <= 3; ++round) {
    EXPECT_EQ(ReturnAndResubmit(item, day + 2 * round),
              absl::StrCat("resubmission ", round, " of 3 within the paid order"));
    EXPECT_EQ(item.paid_orders, 1) << "round " << round;
    EXPECT_EQ(FeesPaid(item), 30000) << "round " << round;
    EXPECT_EQ(FreeResubmissionsLeft(item), 3 - round);
  }
  EXPECT_EQ(item.attempts, 4);
  EXPECT_EQ(item.submitted_date, day + 7);

  // The fourth resubmission is beyond the order: a second one, ¥600 in all, with 3 of its own.
  before = item;
  ApplyTransition(item, S::kReturned, day + 8, false);
  EXPECT_EQ(DescribeFeeChange(before, item),
            "no free resubmission left: the next submission opens a new paid order");
  before = item;
  ApplyTransition(item, S::kSubmitted, day + 9, false);
  EXPECT_EQ(DescribeFeeChange(before, item), "new paid order (¥300)");
  EXPECT_EQ(item.paid_orders, 2);
  EXPECT_EQ(item.resubmissions_in_order, 0);
  EXPECT_EQ(FeesPaid(item), 60000);
  EXPECT_EQ(FreeResubmissionsLeft(item), 3);
  EXPECT_EQ(ReturnAndResubmit(item, day + 10), "resubmission 1 of 3 within the paid order");
  EXPECT_EQ(FeesPaid(item), 60000);
}

TEST(ItemLifecycleTest, AFailureOrAWithdrawalNeedsANewOrder) {
  Item item = VerifyItem();
  const absl::CivilDay day(2026, 9, 1);
  ApplyTransition(item, S::kSubmitted, day, false);
  ReturnAndResubmit(item, day + 1);
  // Failed (认证失败): the free resubmissions left in that order are gone.
  Item before = item;
  ApplyTransition(item, S::kRejected, day + 3, false);
  EXPECT_EQ(DescribeFeeChange(before, item),
            "the paid order is closed: the next submission opens a new one");
  EXPECT_EQ(FreeResubmissionsLeft(item), 0);
  before = item;
  ApplyTransition(item, S::kSubmitted, day + 4, false);
  EXPECT_EQ(DescribeFeeChange(before, item), "new paid order (¥300)");
  EXPECT_EQ(item.paid_orders, 2);
  EXPECT_EQ(FeesPaid(item), 60000);

  // Returned, then given up (back to in progress): the next submission is a new order too.
  ApplyTransition(item, S::kReturned, day + 5, false);
  before = item;
  ApplyTransition(item, S::kInProgress, day + 6, false);
  EXPECT_EQ(DescribeFeeChange(before, item),
            "the paid order is closed: the next submission opens a new one");
  ApplyTransition(item, S::kSubmitted, day + 7, false);
  EXPECT_EQ(item.paid_orders, 3);
  EXPECT_EQ(FeesPaid(item), 90000);

  // Approved, then reopened for the yearly re-verification (年审): a new order at the same fee.
  before = item;
  ApplyTransition(item, S::kApproved, day + 8, false);
  EXPECT_EQ(DescribeFeeChange(before, item), "");
  ApplyTransition(item, S::kInProgress, day + 300, false);
  ApplyTransition(item, S::kSubmitted, day + 301, false);
  EXPECT_EQ(item.paid_orders, 4);
  EXPECT_EQ(FeesPaid(item), 120000);
}

TEST(ItemLifecycleTest, IndividualOrderCostsThirtyYuan) {
  Item item = VerifyItem();
  item.fee_per_attempt = 3000;
  const absl::CivilDay day(2026, 9, 1);
  const Item before = item;
  ApplyTransition(item, S::kSubmitted, day, false);
  EXPECT_EQ(DescribeFeeChange(before, item), "new paid order (¥30)");
  for (int round = 1; round <= 3; ++round) ReturnAndResubmit(item, day + 2 * round);
  EXPECT_EQ(FeesPaid(item), 3000);
  ReturnAndResubmit(item, day + 10);
  EXPECT_EQ(FeesPaid(item), 6000);
}

TEST(ItemLifecycleTest, PerAttemptFeesChargeEveryResubmission) {
  Item item = MakeItem(S::kNotStarted);
  item.fee_per_attempt = 8000;
  item.fee_charged_per_attempt = true;
  const absl::CivilDay day(2026, 9, 1);
  ApplyTransition(item, S::kSubmitted, day, false);
  EXPECT_EQ(ReturnAndResubmit(item, day + 1), "paid attempt (¥80)");
  EXPECT_EQ(item.attempts, 2);
  EXPECT_EQ(PaidOrders(item), 2);
  EXPECT_EQ(FeesPaid(item), 16000);
  EXPECT_EQ(FreeResubmissionsLeft(item), 0);
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

// CA/Browser Forum ballot SC-081v3's schedule, as the template gives it to TLS_CERT.
TEST(ItemLifecycleTest, CertificateExpiryFollowsItsIssueDate) {
  Item certificate = MakeItem(S::kSubmitted);
  certificate.validity_steps = {{std::nullopt, 398},
                                {absl::CivilDay(2026, 3, 15), 200},
                                {absl::CivilDay(2027, 3, 15), 100},
                                {absl::CivilDay(2029, 3, 15), 47}};
  EXPECT_EQ(ExpiryOfApproval(certificate, absl::CivilDay(2026, 3, 14)),
            absl::CivilDay(2026, 3, 14) + 398);
  EXPECT_EQ(ExpiryOfApproval(certificate, absl::CivilDay(2026, 3, 15)),
            absl::CivilDay(2026, 3, 15) + 200);
  EXPECT_EQ(ExpiryOfApproval(certificate, absl::CivilDay(2027, 3, 15)),
            absl::CivilDay(2027, 6, 23));  // 100 days
  EXPECT_EQ(ExpiryOfApproval(certificate, absl::CivilDay(2029, 6, 1)),
            absl::CivilDay(2029, 7, 18));  // 47 days
  ApplyTransition(certificate, S::kApproved, absl::CivilDay(2026, 12, 3), false);
  EXPECT_EQ(certificate.expiry_date, absl::CivilDay(2027, 6, 21));  // 200 days
}

TEST(ItemLifecycleTest, AnnualReportIsDueByTheSameDayNextYear) {
  Item report = MakeItem(S::kSubmitted);
  report.renew_by_month = 3;
  report.renew_by_day = 31;
  ApplyTransition(report, S::kApproved, absl::CivilDay(2027, 2, 10), false);
  EXPECT_EQ(report.expiry_date, absl::CivilDay(2028, 3, 31));
  // Filed late (after March) for the past year: the next one is still due next March.
  EXPECT_EQ(ExpiryOfApproval(report, absl::CivilDay(2027, 5, 6)), absl::CivilDay(2028, 3, 31));
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
