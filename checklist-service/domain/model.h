#pragma once

// Plain C++ model of launches, their items and the events that record every change. Nothing here
// knows about gRPC or SQL; the template enums (subject type, hosting, day unit) are shared with the
// data-file schema.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "preflight/v1/common.pb.h"
#include "preflight/v1/template.pb.h"

namespace preflight::checklist {

inline constexpr absl::string_view kDefaultTimeZone = "Asia/Shanghai";

// Money in fen (1/100 yuan). Every fee in the catalogue is in CNY.
using Fen = int64_t;

enum class ItemStatus {
  kNotStarted,
  kInProgress,
  kSubmitted,
  kApproved,
  // Failed or refused: trying again is a new application.
  kRejected,
  kWaived,
  kNotApplicable,
  // Sent back for more material within the same application (补充资料).
  kReturned,
};

// "NOT_STARTED", "IN_PROGRESS", ... (the API enum names without their prefix).
absl::string_view ItemStatusName(ItemStatus status);
std::optional<ItemStatus> ParseItemStatus(absl::string_view name);
// Approved, waived and not-applicable items need no more work.
bool IsDone(ItemStatus status);

struct Profile {
  v1::SubjectType subject_type = v1::SUBJECT_TYPE_UNSPECIFIED;
  v1::Hosting hosting = v1::HOSTING_UNSPECIFIED;
  bool takes_payments = false;
  bool mini_game = false;
  // Sorted and free of duplicates.
  std::vector<std::string> service_categories;
  // Province code of the filing subject (one of the template's provinces, e.g. "ZJ"); empty when
  // not known yet.
  std::string province;
  // Set by the service, never by a request: the subject the mini program account was registered
  // under, recorded when the subject type changes after that account was approved; unspecified
  // while account and launch agree.
  v1::SubjectType account_subject_type = v1::SUBJECT_TYPE_UNSPECIFIED;

  bool operator==(const Profile& other) const;
};

struct Evidence {
  std::string uri;
  std::string description;
  bool operator==(const Evidence& other) const {
    return uri == other.uri && description == other.description;
  }
};

// Where one document of an item's material checklist stands, as its team set it.
enum class MaterialStatus { kMissing, kReady, kNotNeeded };

absl::string_view MaterialStatusName(MaterialStatus status);
std::optional<MaterialStatus> ParseMaterialStatus(absl::string_view name);

// One document an item needs. The template sets everything but `status`; `applies` follows the
// launch's profile, and a material that stops applying keeps its status for when it applies again.
struct Material {
  std::string code;
  std::string title_en;
  std::string title_zh;
  std::string note;
  std::string source;
  bool applies = true;
  MaterialStatus status = MaterialStatus::kMissing;

  bool operator==(const Material& other) const {
    return code == other.code && title_en == other.title_en && title_zh == other.title_zh &&
           note == other.note && source == other.source && applies == other.applies &&
           status == other.status;
  }
};

struct Dependency {
  std::string code;
  int lag_working_days = 0;
  bool operator==(const Dependency& other) const {
    return code == other.code && lag_working_days == other.lag_working_days;
  }
};

struct DurationSpec {
  v1::DayUnit unit = v1::DAY_UNIT_WORKING_DAYS;
  int min = 0;
  int typical = 0;
  int max = 0;
};

enum class DeadlineAnchor { kBeforeLaunch, kAfterGoLive, kYearly, kAfterApprovalOf };

struct Deadline {
  DeadlineAnchor anchor = DeadlineAnchor::kBeforeLaunch;
  // For kAfterGoLive: how long after going live the item must be done.
  int days = 0;
  v1::DayUnit unit = v1::DAY_UNIT_CALENDAR_DAYS;
  // For kYearly: the due day of each year.
  int month = 0;
  int day = 0;
  // For kAfterApprovalOf: due within `months` after item `item` is approved.
  std::string item;
  int months = 0;

  bool operator==(const Deadline& other) const {
    return anchor == other.anchor && days == other.days && unit == other.unit &&
           month == other.month && day == other.day && item == other.item && months == other.months;
  }
};

// Work due after going live (the public-security filing) or every year after it (an annual
// report): it never holds the launch up.
inline bool DueAfterLaunch(const Deadline& deadline) {
  return deadline.anchor == DeadlineAnchor::kAfterGoLive ||
         deadline.anchor == DeadlineAnchor::kYearly;
}

// The longest validity of an approval issued on or after `from` (none: before every dated step).
struct ValidityStep {
  std::optional<absl::CivilDay> from;
  int days = 0;
  bool operator==(const ValidityStep& other) const {
    return from == other.from && days == other.days;
  }
};

// Dates an item must keep, and where it is projected to land. Computed by the schedule.
struct ItemSchedule {
  std::optional<absl::CivilDay> latest_start;
  std::optional<absl::CivilDay> latest_finish;
  std::optional<absl::CivilDay> projected_start;
  std::optional<absl::CivilDay> projected_finish;
  int slack_working_days = 0;
  bool critical = false;
  bool at_risk = false;
  // True when unconfirmed_years is non-empty.
  bool unconfirmed_calendar = false;
  bool done = false;
  // The item's duration is an estimate (its template definition's `estimate` flag, else the
  // item's) and its projected dates still rest on it: false once it is done.
  bool duration_estimated = false;
  // Years, ascending, that a date of this item was counted Monday-Friday in because the calendar
  // has no holiday notice for them yet.
  std::vector<int> unconfirmed_years;

  // Compares only the dates the event stream reports as "schedule moved". The calendar and
  // estimate flags are left out on purpose: every read recomputes them, and a year added to the
  // calendar that moves no date should not bump and rewrite every item that counted in it.
  bool SameDates(const ItemSchedule& other) const {
    return latest_start == other.latest_start && latest_finish == other.latest_finish &&
           projected_finish == other.projected_finish;
  }
};

struct Item {
  std::string launch_id;
  std::string code;
  std::string title_en;
  std::string title_zh;
  std::string group;
  bool custom = false;
  // Obtained outside the process (business licence): tracked, never scheduled as work.
  bool external = false;

  ItemStatus status = ItemStatus::kNotStarted;
  // What the status was before the rules made the item not applicable; restored when it applies
  // again, so no progress is lost by toggling a profile field.
  ItemStatus status_before_not_applicable = ItemStatus::kNotStarted;
  std::string applicability_reason;

  std::vector<Dependency> depends_on;
  DurationSpec duration;
  Deadline deadline;
  // Fixed due date: custom items always have one; template items may override theirs.
  std::optional<absl::CivilDay> due_date;

  std::string assignee;
  std::string notes;
  std::vector<Evidence> evidence;
  // The template's material checklist, in its order.
  std::vector<Material> materials;
  std::string official_number;
  std::string official_number_label;
  std::optional<absl::CivilDay> expiry_date;
  // Months an approval lasts (WeChat verification: 12); 0 when it does not expire.
  int validity_months = 0;
  // Instead of months: the longest validity by issue date (HTTPS certificates), in date order.
  std::vector<ValidityStep> validity_steps;
  // Instead of months: renewed every year by this month/day (an annual report).
  int renew_by_month = 0;
  int renew_by_day = 0;
  // Calendar days before expiry at which renewals are reminded; empty: the notifier's policy.
  std::vector<int> renewal_reminder_days;
  std::string waiver_reason;

  int attempts = 0;
  // The fee of the rule for the launch's subject: per attempt, per order or once.
  Fen fee_per_attempt = 0;
  // True when every submission is charged again; false for one-off and per-order fees.
  bool fee_charged_per_attempt = false;
  // True when one payment buys an order covering the submission and up to
  // `resubmissions_per_order` resubmissions after RETURNED (WeChat verification).
  bool fee_charged_per_order = false;
  int resubmissions_per_order = 0;
  // Orders opened so far, whatever the fee (so a subject change loses no count): every
  // submission except a resubmission after RETURNED that the open order covers.
  int paid_orders = 0;
  // Resubmissions the latest order has covered so far.
  int resubmissions_in_order = 0;

  std::optional<absl::CivilDay> started_date;
  std::optional<absl::CivilDay> submitted_date;
  std::optional<absl::CivilDay> approved_date;

  std::string source;
  bool estimate = false;

  // Incremented by every change; the etag is derived from it.
  int64_t version = 1;
  absl::Time update_time = absl::UnixEpoch();

  // The schedule as of the last recompute (persisted so events can report moved dates).
  ItemSchedule schedule;
};

struct Blocker {
  // Constraint code, or the code of the blocking item.
  std::string code;
  std::string message;
  // Non-empty for item blockers.
  std::string item_code;
};

struct LaunchSchedule {
  absl::CivilDay as_of = absl::CivilDay(1970, 1, 1);
  std::optional<absl::CivilDay> projected_launch;
  std::vector<std::string> critical_path;
  bool at_risk = false;
  int slack_working_days = 0;
  // True when unconfirmed_years is non-empty.
  bool unconfirmed_calendar = false;
  Fen fees_paid = 0;
  Fen fees_expected = 0;
  // Every item's unconfirmed years and the launch's own (projected launch, slack), ascending.
  std::vector<int> unconfirmed_years;
  // Codes on the critical path, in its order, whose durations are estimates: the projected
  // launch rests on them.
  std::vector<std::string> estimated_critical_items;
  // Applicable, open items at risk (for the portfolio view).
  int at_risk_items = 0;
  // The earliest latest start among applicable, open items, and that item's code: the launch's
  // next deadline. Unset when no item is open.
  std::optional<absl::CivilDay> next_deadline;
  std::string next_deadline_item;
};

struct Launch {
  std::string id;
  std::string tenant;
  std::string display_name;
  std::string owner;
  absl::CivilDay target_launch_date = absl::CivilDay(1970, 1, 1);
  std::string time_zone = std::string(kDefaultTimeZone);
  Profile profile;
  std::string template_id;
  std::optional<absl::CivilDay> went_live_date;
  // Constraint blockers for the current profile.
  std::vector<Blocker> blockers;

  // Idempotent create: the client's request id and a fingerprint of the request it came with.
  std::string request_id;
  std::string request_fingerprint;

  int64_t version = 1;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time update_time = absl::UnixEpoch();

  // The schedule summary as of the last recompute.
  LaunchSchedule schedule;
};

// Materials that apply and are still missing.
int MaterialsMissing(const Item& item);

// Orders paid for so far: the orders opened for per-order fees, every attempt for per-attempt
// fees, one for a one-off fee once submitted or approved; 0 for a free item or one that does not
// apply.
int PaidOrders(const Item& item);
// What has been paid for `item` so far: PaidOrders times the fee.
Fen FeesPaid(const Item& item);
// Resubmissions after RETURNED that the open order still covers: for per-order fees while the
// item is SUBMITTED or RETURNED, else 0 (the next submission opens a new order).
int FreeResubmissionsLeft(const Item& item);

// A launch with all its items, applicable or not.
struct LaunchState {
  Launch launch;
  std::vector<Item> items;

  const Item* FindItem(absl::string_view code) const;
  Item* FindItem(absl::string_view code);
  // The sum of the items' versions. With the launch's version it names one stored state: every
  // commit raises one of them, and items are never removed.
  int64_t ItemsVersion() const;
};

enum class EventType {
  kLaunchCreated,
  kLaunchUpdated,
  kItemCreated,
  kItemUpdated,
  kScheduleChanged,
};

absl::string_view EventTypeName(EventType type);
std::optional<EventType> ParseEventType(absl::string_view name);

// One durable change record. The store assigns `sequence` when it commits.
struct Event {
  int64_t sequence = 0;
  EventType type = EventType::kLaunchUpdated;
  std::string tenant;
  std::string launch_id;
  std::string item_code;  // empty for launch events
  std::string actor;
  absl::Time time = absl::UnixEpoch();
  std::string summary;
  // The launch (without items) after the change, for launch events.
  std::optional<Launch> launch;
  // The item after the change, for item and schedule events.
  std::optional<Item> item;
};

}  // namespace preflight::checklist
