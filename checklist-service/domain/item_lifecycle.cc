#include "checklist-service/domain/item_lifecycle.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/civil_date.h"

namespace preflight::checklist {
namespace {

// "¥300", or "¥0.50" when the fee has fen.
std::string FormatYuan(Fen fen) {
  if (fen % 100 == 0) return absl::StrCat("¥", fen / 100);
  return absl::StrFormat("¥%d.%02d", fen / 100, fen % 100);
}

}  // namespace

std::vector<ItemStatus> AllowedTransitions(ItemStatus from) {
  using S = ItemStatus;
  switch (from) {
    case S::kNotStarted:
      // Straight to approved covers qualifications the business already holds.
      return {S::kInProgress, S::kSubmitted, S::kApproved, S::kWaived};
    case S::kInProgress:
      return {S::kNotStarted, S::kSubmitted, S::kApproved, S::kWaived};
    case S::kSubmitted:
      // Back to in progress is a withdrawn application; returned asks for more material.
      return {S::kApproved, S::kRejected, S::kReturned, S::kInProgress};
    case S::kRejected:
      return {S::kInProgress, S::kSubmitted, S::kWaived};
    case S::kReturned:
      // Submitted again is the resubmission; in progress gives the application up.
      return {S::kSubmitted, S::kInProgress, S::kWaived};
    case S::kApproved:
      // Reopened for a renewal (yearly WeChat verification) or a change filing.
      return {S::kInProgress};
    case S::kWaived:
      return {S::kNotStarted, S::kInProgress};
    case S::kNotApplicable:
      return {};
  }
  return {};
}

absl::Status CheckTransition(const Item& item, ItemStatus to) {
  if (item.status == to) return absl::OkStatus();
  if (to == ItemStatus::kNotApplicable) {
    return absl::FailedPreconditionError(absl::StrCat(
        "item ", item.code,
        ": NOT_APPLICABLE is set by the launch profile, not by hand; waive the item instead"));
  }
  if (item.status == ItemStatus::kNotApplicable) {
    return absl::FailedPreconditionError(
        absl::StrCat("item ", item.code, " does not apply to this launch (",
                     item.applicability_reason, "); change the launch profile to make it apply"));
  }
  const std::vector<ItemStatus> allowed = AllowedTransitions(item.status);
  if (std::find(allowed.begin(), allowed.end(), to) != allowed.end()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("item ", item.code, ": illegal transition ", ItemStatusName(item.status), " -> ",
                   ItemStatusName(to), "; allowed from ", ItemStatusName(item.status), ": ",
                   absl::StrJoin(allowed, ", ", [](std::string* out, ItemStatus s) {
                     absl::StrAppend(out, ItemStatusName(s));
                   })));
}

void ApplyTransition(Item& item, ItemStatus to, absl::CivilDay today, bool explicit_expiry) {
  const ItemStatus from = item.status;
  if (from == to) return;
  item.status = to;
  switch (to) {
    case ItemStatus::kNotStarted:
      item.started_date.reset();
      break;
    case ItemStatus::kInProgress:
      // Reopening an approval starts a new round of work.
      if (!item.started_date || from == ItemStatus::kApproved) item.started_date = today;
      break;
    case ItemStatus::kSubmitted:
      ++item.attempts;
      // Material sent after a return belongs to the open order while it has resubmissions left;
      // every other submission (the first, after a failure, a withdrawal or a renewal) opens one.
      if (from == ItemStatus::kReturned &&
          item.resubmissions_in_order < item.resubmissions_per_order) {
        ++item.resubmissions_in_order;
      } else {
        ++item.paid_orders;
        item.resubmissions_in_order = 0;
      }
      item.submitted_date = today;
      if (!item.started_date) item.started_date = today;
      break;
    case ItemStatus::kApproved:
      item.approved_date = today;
      if (!item.started_date) item.started_date = today;
      if (!explicit_expiry) {
        if (std::optional<absl::CivilDay> expiry = ExpiryOfApproval(item, today)) {
          item.expiry_date = *expiry;
        }
      }
      break;
    case ItemStatus::kRejected:
    case ItemStatus::kWaived:
    case ItemStatus::kNotApplicable:
    case ItemStatus::kReturned:
      break;
  }
  if (from == ItemStatus::kWaived) item.waiver_reason.clear();
}

std::optional<absl::CivilDay> ExpiryOfApproval(const Item& item, absl::CivilDay issued) {
  if (item.renew_by_month > 0) {
    return absl::CivilDay(issued.year() + 1, item.renew_by_month, item.renew_by_day);
  }
  if (!item.validity_steps.empty()) {
    std::optional<int> days;
    for (const ValidityStep& step : item.validity_steps) {
      if (!step.from || *step.from <= issued) days = step.days;
    }
    if (days) return issued + *days;
    return std::nullopt;
  }
  if (item.validity_months > 0) return AddMonths(issued, item.validity_months);
  return std::nullopt;
}

std::string DescribeFeeChange(const Item& before, const Item& after) {
  if (after.status == before.status) return "";
  const bool submitted = after.status == ItemStatus::kSubmitted;
  if (submitted && after.fee_charged_per_attempt && after.fee_per_attempt > 0) {
    return absl::StrCat("paid attempt (", FormatYuan(after.fee_per_attempt), ")");
  }
  if (!after.fee_charged_per_order || after.fee_per_attempt == 0) return "";
  if (submitted && after.paid_orders == before.paid_orders) {
    return absl::StrCat("resubmission ", after.resubmissions_in_order, " of ",
                        after.resubmissions_per_order, " within the paid order");
  }
  if (submitted) return absl::StrCat("new paid order (", FormatYuan(after.fee_per_attempt), ")");
  if (after.status == ItemStatus::kReturned) {
    const int left = FreeResubmissionsLeft(after);
    if (left == 0) return "no free resubmission left: the next submission opens a new paid order";
    return absl::StrCat(left, " free resubmission", left == 1 ? "" : "s",
                        " left in the paid order");
  }
  // Approval ends the order as intended; anything else leaves it unused.
  const bool order_was_open =
      before.status == ItemStatus::kSubmitted || before.status == ItemStatus::kReturned;
  if (order_was_open && after.status != ItemStatus::kApproved) {
    return "the paid order is closed: the next submission opens a new one";
  }
  return "";
}

absl::Status CheckDependenciesFinished(const LaunchState& state, const Item& item, ItemStatus to) {
  if (to != ItemStatus::kSubmitted && to != ItemStatus::kApproved) return absl::OkStatus();
  std::vector<std::string> open;
  for (const Dependency& dependency : item.depends_on) {
    const Item* other = state.FindItem(dependency.code);
    if (other == nullptr || other->status == ItemStatus::kNotApplicable ||
        other->status == ItemStatus::kApproved || other->status == ItemStatus::kWaived) {
      continue;
    }
    open.push_back(absl::StrCat(other->code, " (", ItemStatusName(other->status), ")"));
  }
  if (open.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("item ", item.code, " cannot become ", ItemStatusName(to),
                   " before its dependencies are approved or waived: ", absl::StrJoin(open, ", ")));
}

}  // namespace preflight::checklist
