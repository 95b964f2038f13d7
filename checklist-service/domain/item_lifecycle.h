#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

// The statuses a user may move an item to from `from`. NOT_APPLICABLE is never among them: only
// the rules set it, and an item in it cannot be moved by hand.
std::vector<ItemStatus> AllowedTransitions(ItemStatus from);

// OK when `from` -> `to` is legal (or a no-op), else FAILED_PRECONDITION naming the item, both
// statuses and what is allowed instead.
absl::Status CheckTransition(const Item& item, ItemStatus to);

// Moves `item` to `to`, recording the dates and counters that go with it: the start date, a new
// attempt for every submission, and with it a new order unless it is a resubmission after
// RETURNED that the open order still covers, the approval date, and the expiry for
// qualifications that last a fixed time (unless `explicit_expiry` says the caller set it).
// `today` is in the launch's zone. The transition must have passed CheckTransition.
void ApplyTransition(Item& item, ItemStatus to, absl::CivilDay today, bool explicit_expiry);

// When an approval of `item` issued on `issued` expires: the renewal day of the next year for
// yearly items, the issue date plus the validity step's days (HTTPS certificates), or plus the
// validity months; nullopt when the approval does not expire by itself.
std::optional<absl::CivilDay> ExpiryOfApproval(const Item& item, absl::CivilDay issued);

// What the transition from `before` to `after` meant for the item's fee, for the event log:
// "new paid order (¥300)", "resubmission 2 of 3 within the paid order", "paid attempt (¥30)",
// ...; empty when nothing is worth saying (no transition, or a one-off or free fee).
std::string DescribeFeeChange(const Item& before, const Item& after);

// FAILED_PRECONDITION when `to` needs the item's dependencies finished (submitting or approving)
// and some applicable dependency in `state` is neither approved nor waived.
absl::Status CheckDependenciesFinished(const LaunchState& state, const Item& item, ItemStatus to);

}  // namespace preflight::checklist
