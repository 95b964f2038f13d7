#include "checklist-service/grpc/proto_mapping.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/etag.h"
#include "common/api/resource_names.h"
#include "common/civil_date.h"
#include "common/error_text.h"
#include "google/protobuf/util/time_util.h"

namespace preflight::checklist {
namespace {

using google::protobuf::util::TimeUtil;

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

std::string DateText(const std::optional<absl::CivilDay>& day) {
  return day ? FormatCivilDay(*day) : std::string();
}

absl::StatusOr<absl::CivilDay> ParseRequiredDate(absl::string_view text, absl::string_view field) {
  if (text.empty()) return Invalid(field, "required");
  std::optional<absl::CivilDay> day = ParseCivilDay(text);
  if (!day) {
    return Invalid(field,
                   absl::StrCat(QuoteForError(text), " is not a valid date (expected YYYY-MM-DD)"));
  }
  return *day;
}

v1::DurationSpec ToProto(const DurationSpec& d) {
  v1::DurationSpec out;
  out.set_unit(d.unit);
  out.set_min(d.min);
  out.set_typical(d.typical);
  out.set_max(d.max);
  return out;
}

v1::Deadline ToProto(const Deadline& d) {
  v1::Deadline out;
  switch (d.anchor) {
    case DeadlineAnchor::kBeforeLaunch:
      out.set_anchor(v1::Deadline::ANCHOR_BEFORE_LAUNCH);
      break;
    case DeadlineAnchor::kAfterGoLive:
      out.set_anchor(v1::Deadline::ANCHOR_AFTER_GO_LIVE);
      break;
    case DeadlineAnchor::kYearly:
      out.set_anchor(v1::Deadline::ANCHOR_YEARLY);
      break;
    case DeadlineAnchor::kAfterApprovalOf:
      out.set_anchor(v1::Deadline::ANCHOR_AFTER_APPROVAL_OF);
      break;
  }
  out.set_days(d.days);
  out.set_unit(d.unit);
  out.set_month(d.month);
  out.set_day(d.day);
  out.set_item(d.item);
  out.set_months(d.months);
  return out;
}

v1::Event::Type ToProto(EventType type) {
  switch (type) {
    case EventType::kLaunchCreated:
      return v1::Event::TYPE_LAUNCH_CREATED;
    case EventType::kLaunchUpdated:
      return v1::Event::TYPE_LAUNCH_UPDATED;
    case EventType::kItemCreated:
      return v1::Event::TYPE_ITEM_CREATED;
    case EventType::kItemUpdated:
      return v1::Event::TYPE_ITEM_UPDATED;
    case EventType::kScheduleChanged:
      return v1::Event::TYPE_SCHEDULE_CHANGED;
  }
  return v1::Event::TYPE_UNSPECIFIED;
}

v1::MaterialStatus MaterialStatusToProto(MaterialStatus status) {
  switch (status) {
    case MaterialStatus::kMissing:
      return v1::MATERIAL_STATUS_MISSING;
    case MaterialStatus::kReady:
      return v1::MATERIAL_STATUS_READY;
    case MaterialStatus::kNotNeeded:
      return v1::MATERIAL_STATUS_NOT_NEEDED;
  }
  return v1::MATERIAL_STATUS_UNSPECIFIED;
}

absl::StatusOr<MaterialStatus> MaterialStatusFromProto(v1::MaterialStatus status,
                                                       const std::string& field) {
  switch (status) {
    case v1::MATERIAL_STATUS_MISSING:
      return MaterialStatus::kMissing;
    case v1::MATERIAL_STATUS_READY:
      return MaterialStatus::kReady;
    case v1::MATERIAL_STATUS_NOT_NEEDED:
      return MaterialStatus::kNotNeeded;
    case v1::MATERIAL_STATUS_NOT_APPLICABLE:
      return Invalid(field, "NOT_APPLICABLE is set by the launch profile, not by hand");
    default:
      return Invalid(field, "required: MATERIAL_STATUS_MISSING, _READY or _NOT_NEEDED");
  }
}

absl::StatusOr<ItemStatus> StatusFromProto(v1::ItemStatus status) {
  switch (status) {
    case v1::ITEM_STATUS_NOT_STARTED:
      return ItemStatus::kNotStarted;
    case v1::ITEM_STATUS_IN_PROGRESS:
      return ItemStatus::kInProgress;
    case v1::ITEM_STATUS_SUBMITTED:
      return ItemStatus::kSubmitted;
    case v1::ITEM_STATUS_APPROVED:
      return ItemStatus::kApproved;
    case v1::ITEM_STATUS_REJECTED:
      return ItemStatus::kRejected;
    case v1::ITEM_STATUS_WAIVED:
      return ItemStatus::kWaived;
    case v1::ITEM_STATUS_NOT_APPLICABLE:
      return ItemStatus::kNotApplicable;
    case v1::ITEM_STATUS_RETURNED:
      return ItemStatus::kReturned;
    case v1::ITEM_STATUS_UNSPECIFIED:
      return Invalid("item.status", "required when 'status' is in update_mask");
    default:
      return Invalid("item.status", absl::StrCat("unknown value ", static_cast<int>(status)));
  }
}

absl::Status CheckProfileEnums(const v1::LaunchProfile& profile, absl::string_view prefix) {
  if (!v1::SubjectType_IsValid(profile.subject_type())) {
    return Invalid(absl::StrCat(prefix, ".subject_type"),
                   absl::StrCat("unknown value ", profile.subject_type()));
  }
  if (!v1::Hosting_IsValid(profile.hosting())) {
    return Invalid(absl::StrCat(prefix, ".hosting"),
                   absl::StrCat("unknown value ", profile.hosting()));
  }
  return absl::OkStatus();
}

Profile ProfileFromProto(const v1::LaunchProfile& p) {
  Profile profile;
  profile.subject_type = p.subject_type();
  profile.hosting = p.hosting();
  profile.takes_payments = p.takes_payments();
  profile.mini_game = p.mini_game();
  profile.service_categories.assign(p.service_categories().begin(), p.service_categories().end());
  profile.province = p.province();
  return profile;
}

// Mask paths must be unique and known; an empty mask is refused rather than read as "everything",
// so a client cannot wipe fields by accident.
absl::Status CheckMask(const google::protobuf::FieldMask& mask,
                       const std::set<absl::string_view>& known) {
  if (mask.paths_size() == 0) return Invalid("update_mask", "required: name the fields to change");
  std::set<absl::string_view> seen;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (known.count(path) == 0) {
      return Invalid(absl::StrCat("update_mask.paths[", i, "]"),
                     absl::StrCat("unknown or immutable field ", QuoteForError(path),
                                  " (allowed: ", absl::StrJoin(known, ", "), ")"));
    }
    if (!seen.insert(path).second) {
      return Invalid(absl::StrCat("update_mask.paths[", i, "]"),
                     absl::StrCat(QuoteForError(path), " named twice"));
    }
  }
  return absl::OkStatus();
}

bool HasPath(const google::protobuf::FieldMask& mask, absl::string_view path) {
  for (const std::string& p : mask.paths()) {
    if (p == path) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::optional<absl::CivilDay>> ParseOptionalDate(absl::string_view text,
                                                                absl::string_view field) {
  if (text.empty()) return std::optional<absl::CivilDay>();
  std::optional<absl::CivilDay> day = ParseCivilDay(text);
  if (!day) {
    return Invalid(field,
                   absl::StrCat(QuoteForError(text), " is not a valid date (expected YYYY-MM-DD)"));
  }
  return day;
}

v1::Money ToMoney(Fen fen) {
  v1::Money money;
  money.set_currency_code("CNY");
  money.set_units(fen / 100);
  money.set_nanos(static_cast<int32_t>(fen % 100) * 10'000'000);
  return money;
}

v1::ItemStatus ToProto(ItemStatus status) {
  switch (status) {
    case ItemStatus::kNotStarted:
      return v1::ITEM_STATUS_NOT_STARTED;
    case ItemStatus::kInProgress:
      return v1::ITEM_STATUS_IN_PROGRESS;
    case ItemStatus::kSubmitted:
      return v1::ITEM_STATUS_SUBMITTED;
    case ItemStatus::kApproved:
      return v1::ITEM_STATUS_APPROVED;
    case ItemStatus::kRejected:
      return v1::ITEM_STATUS_REJECTED;
    case ItemStatus::kWaived:
      return v1::ITEM_STATUS_WAIVED;
    case ItemStatus::kNotApplicable:
      return v1::ITEM_STATUS_NOT_APPLICABLE;
    case ItemStatus::kReturned:
      return v1::ITEM_STATUS_RETURNED;
  }
  return v1::ITEM_STATUS_UNSPECIFIED;
}

v1::LaunchSchedule ToProto(const LaunchSchedule& schedule) {
  v1::LaunchSchedule out;
  out.set_as_of_date(FormatCivilDay(schedule.as_of));
  out.set_projected_launch_date(DateText(schedule.projected_launch));
  for (const std::string& code : schedule.critical_path) out.add_critical_path(code);
  out.set_at_risk(schedule.at_risk);
  out.set_slack_working_days(schedule.slack_working_days);
  out.set_unconfirmed_calendar(schedule.unconfirmed_calendar);
  *out.mutable_fees_paid() = ToMoney(schedule.fees_paid);
  *out.mutable_fees_expected() = ToMoney(schedule.fees_expected);
  for (const std::string& code : schedule.estimated_critical_items) {
    out.add_estimated_critical_items(code);
  }
  for (int year : schedule.unconfirmed_years) out.add_unconfirmed_years(year);
  out.set_at_risk_items(schedule.at_risk_items);
  out.set_next_deadline_date(DateText(schedule.next_deadline));
  out.set_next_deadline_item(schedule.next_deadline_item);
  return out;
}

v1::Blocker ToProto(const Blocker& blocker, absl::string_view launch_id) {
  v1::Blocker out;
  out.set_code(blocker.code);
  out.set_message(blocker.message);
  if (!blocker.item_code.empty()) out.set_item(api::ItemName(launch_id, blocker.item_code));
  return out;
}

v1::Item ToProto(const Item& item) {
  v1::Item out;
  out.set_name(api::ItemName(item.launch_id, item.code));
  out.set_code(item.code);
  out.set_title_en(item.title_en);
  out.set_title_zh(item.title_zh);
  out.set_group(item.group);
  out.set_custom(item.custom);
  out.set_status(ToProto(item.status));
  out.set_applicability_reason(item.applicability_reason);
  for (const Dependency& d : item.depends_on) out.add_depends_on(d.code);
  out.set_assignee(item.assignee);
  out.set_notes(item.notes);
  for (const Evidence& e : item.evidence) {
    v1::Evidence* evidence = out.add_evidence();
    evidence->set_uri(e.uri);
    evidence->set_description(e.description);
  }
  for (const Material& m : item.materials) {
    v1::Material* material = out.add_materials();
    material->set_code(m.code);
    material->set_title_en(m.title_en);
    material->set_title_zh(m.title_zh);
    material->set_status(m.applies ? MaterialStatusToProto(m.status)
                                   : v1::MATERIAL_STATUS_NOT_APPLICABLE);
    material->set_note(m.note);
    material->set_source(m.source);
  }
  out.set_materials_missing(MaterialsMissing(item));
  for (int days : item.renewal_reminder_days) out.add_renewal_reminder_days(days);
  out.set_official_number(item.official_number);
  out.set_official_number_label(item.official_number_label);
  out.set_expiry_date(DateText(item.expiry_date));
  out.set_waiver_reason(item.waiver_reason);
  out.set_attempts(item.attempts);
  *out.mutable_fee_per_attempt() = ToMoney(item.fee_per_attempt);
  out.set_fee_charged_per_attempt(item.fee_charged_per_attempt);
  *out.mutable_fees_paid() = ToMoney(FeesPaid(item));
  out.set_paid_orders(PaidOrders(item));
  out.set_free_resubmissions_left(FreeResubmissionsLeft(item));
  *out.mutable_duration() = ToProto(item.duration);
  *out.mutable_deadline() = ToProto(item.deadline);
  out.set_due_date(DateText(item.due_date));
  v1::ItemSchedule* schedule = out.mutable_schedule();
  schedule->set_latest_start_date(DateText(item.schedule.latest_start));
  schedule->set_latest_finish_date(DateText(item.schedule.latest_finish));
  schedule->set_projected_start_date(DateText(item.schedule.projected_start));
  schedule->set_projected_finish_date(DateText(item.schedule.projected_finish));
  schedule->set_slack_working_days(item.schedule.slack_working_days);
  schedule->set_critical(item.schedule.critical);
  schedule->set_at_risk(item.schedule.at_risk);
  schedule->set_unconfirmed_calendar(item.schedule.unconfirmed_calendar);
  schedule->set_done(item.schedule.done);
  schedule->set_duration_estimated(item.schedule.duration_estimated);
  for (int year : item.schedule.unconfirmed_years) schedule->add_unconfirmed_years(year);
  out.set_started_date(DateText(item.started_date));
  out.set_submitted_date(DateText(item.submitted_date));
  out.set_approved_date(DateText(item.approved_date));
  out.set_source(item.source);
  out.set_estimate(item.estimate);
  *out.mutable_update_time() = ToTimestamp(item.update_time);
  out.set_etag(api::MakeEtag(out.name(), item.version));
  out.set_version(item.version);
  return out;
}

v1::Launch ToProto(const Launch& launch) {
  v1::Launch out;
  out.set_name(api::LaunchName(launch.id));
  out.set_tenant(launch.tenant);
  out.set_display_name(launch.display_name);
  out.set_owner(launch.owner);
  out.set_target_launch_date(FormatCivilDay(launch.target_launch_date));
  out.set_time_zone(launch.time_zone);
  v1::LaunchProfile* profile = out.mutable_profile();
  profile->set_subject_type(launch.profile.subject_type);
  profile->set_hosting(launch.profile.hosting);
  profile->set_takes_payments(launch.profile.takes_payments);
  profile->set_mini_game(launch.profile.mini_game);
  profile->set_province(launch.profile.province);
  out.set_account_subject_type(launch.profile.account_subject_type);
  for (const std::string& c : launch.profile.service_categories) {
    profile->add_service_categories(c);
  }
  out.set_template_id(launch.template_id);
  out.set_went_live_date(DateText(launch.went_live_date));
  *out.mutable_schedule() = ToProto(launch.schedule);
  for (const Blocker& blocker : launch.blockers) *out.add_blockers() = ToProto(blocker, launch.id);
  *out.mutable_create_time() = ToTimestamp(launch.create_time);
  *out.mutable_update_time() = ToTimestamp(launch.update_time);
  out.set_etag(api::MakeEtag(out.name(), launch.version));
  out.set_version(launch.version);
  return out;
}

v1::Launch ToProto(const LaunchState& state, bool with_items) {
  v1::Launch out = ToProto(state.launch);
  if (with_items) {
    for (const Item& item : state.items) *out.add_items() = ToProto(item);
  }
  return out;
}

v1::Event ToProto(const Event& event) {
  v1::Event out;
  out.set_sequence(event.sequence);
  out.set_type(ToProto(event.type));
  out.set_tenant(event.tenant);
  out.set_launch(api::LaunchName(event.launch_id));
  out.set_item_code(event.item_code);
  out.set_actor(event.actor);
  *out.mutable_time() = ToTimestamp(event.time);
  if (event.launch) *out.mutable_launch_snapshot() = ToProto(*event.launch);
  if (event.item) *out.mutable_item_snapshot() = ToProto(*event.item);
  out.set_summary(event.summary);
  return out;
}

v1::Readiness ToProto(const Readiness& readiness, absl::string_view launch_id) {
  v1::Readiness out;
  out.set_launch(api::LaunchName(launch_id));
  out.set_ready(readiness.ready);
  for (const Blocker& blocker : readiness.blockers) {
    *out.add_blockers() = ToProto(blocker, launch_id);
  }
  *out.mutable_schedule() = ToProto(readiness.schedule);
  out.set_items_total(readiness.items_total);
  out.set_items_done(readiness.items_done);
  return out;
}

absl::StatusOr<NewLaunch> NewLaunchFromProto(const v1::Launch& launch) {
  NewLaunch out;
  out.tenant = launch.tenant();
  out.display_name = launch.display_name();
  out.owner = launch.owner();
  absl::StatusOr<absl::CivilDay> target =
      ParseRequiredDate(launch.target_launch_date(), "launch.target_launch_date");
  if (!target.ok()) return target.status();
  out.target_launch_date = *target;
  out.time_zone = launch.time_zone();
  out.template_id = launch.template_id();
  if (!launch.has_profile()) return Invalid("launch.profile", "required");
  if (absl::Status s = CheckProfileEnums(launch.profile(), "launch.profile"); !s.ok()) return s;
  out.profile = ProfileFromProto(launch.profile());
  return out;
}

absl::StatusOr<LaunchPatch> LaunchPatchFromProto(const v1::Launch& launch,
                                                 const google::protobuf::FieldMask& mask) {
  static const std::set<absl::string_view> kPaths = {"display_name",
                                                     "owner",
                                                     "target_launch_date",
                                                     "time_zone",
                                                     "went_live_date",
                                                     "profile",
                                                     "profile.subject_type",
                                                     "profile.hosting",
                                                     "profile.takes_payments",
                                                     "profile.mini_game",
                                                     "profile.service_categories",
                                                     "profile.province"};
  if (absl::Status s = CheckMask(mask, kPaths); !s.ok()) return s;
  if (absl::Status s = CheckProfileEnums(launch.profile(), "launch.profile"); !s.ok()) return s;
  LaunchPatch patch;
  if (HasPath(mask, "display_name")) patch.display_name = launch.display_name();
  if (HasPath(mask, "owner")) patch.owner = launch.owner();
  if (HasPath(mask, "target_launch_date")) {
    absl::StatusOr<absl::CivilDay> target =
        ParseRequiredDate(launch.target_launch_date(), "launch.target_launch_date");
    if (!target.ok()) return target.status();
    patch.target_launch_date = *target;
  }
  if (HasPath(mask, "time_zone")) patch.time_zone = launch.time_zone();
  if (HasPath(mask, "went_live_date")) {
    absl::StatusOr<std::optional<absl::CivilDay>> live =
        ParseOptionalDate(launch.went_live_date(), "launch.went_live_date");
    if (!live.ok()) return live.status();
    patch.went_live_date = *live;
  }
  const v1::LaunchProfile& profile = launch.profile();
  const bool whole_profile = HasPath(mask, "profile");
  if (whole_profile || HasPath(mask, "profile.subject_type")) {
    patch.subject_type = profile.subject_type();
  }
  if (whole_profile || HasPath(mask, "profile.hosting")) patch.hosting = profile.hosting();
  if (whole_profile || HasPath(mask, "profile.takes_payments")) {
    patch.takes_payments = profile.takes_payments();
  }
  if (whole_profile || HasPath(mask, "profile.mini_game")) patch.mini_game = profile.mini_game();
  if (whole_profile || HasPath(mask, "profile.service_categories")) {
    patch.service_categories.emplace(profile.service_categories().begin(),
                                     profile.service_categories().end());
  }
  if (whole_profile || HasPath(mask, "profile.province")) patch.province = profile.province();
  return patch;
}

absl::StatusOr<ItemPatch> ItemPatchFromProto(const v1::Item& item,
                                             const google::protobuf::FieldMask& mask) {
  static const std::set<absl::string_view> kPaths = {
      "status",      "assignee",      "notes",    "evidence", "official_number",
      "expiry_date", "waiver_reason", "due_date", "materials"};
  if (absl::Status s = CheckMask(mask, kPaths); !s.ok()) return s;
  ItemPatch patch;
  if (HasPath(mask, "status")) {
    absl::StatusOr<ItemStatus> status = StatusFromProto(item.status());
    if (!status.ok()) return status.status();
    patch.status = *status;
  }
  if (HasPath(mask, "assignee")) patch.assignee = item.assignee();
  if (HasPath(mask, "notes")) patch.notes = item.notes();
  if (HasPath(mask, "evidence")) {
    patch.evidence.emplace();
    for (const v1::Evidence& e : item.evidence()) {
      patch.evidence->push_back(Evidence{e.uri(), e.description()});
    }
  }
  if (HasPath(mask, "materials")) {
    patch.materials.emplace();
    for (int i = 0; i < item.materials_size(); ++i) {
      const v1::Material& m = item.materials(i);
      absl::StatusOr<MaterialStatus> status =
          MaterialStatusFromProto(m.status(), absl::StrCat("item.materials[", i, "].status"));
      if (!status.ok()) return status.status();
      patch.materials->emplace_back(m.code(), *status);
    }
  }
  if (HasPath(mask, "official_number")) patch.official_number = item.official_number();
  if (HasPath(mask, "expiry_date")) {
    absl::StatusOr<std::optional<absl::CivilDay>> expiry =
        ParseOptionalDate(item.expiry_date(), "item.expiry_date");
    if (!expiry.ok()) return expiry.status();
    patch.expiry_date = *expiry;
  }
  if (HasPath(mask, "waiver_reason")) patch.waiver_reason = item.waiver_reason();
  if (HasPath(mask, "due_date")) {
    absl::StatusOr<std::optional<absl::CivilDay>> due =
        ParseOptionalDate(item.due_date(), "item.due_date");
    if (!due.ok()) return due.status();
    patch.due_date = *due;
  }
  return patch;
}

absl::StatusOr<NewItem> NewItemFromProto(const v1::Item& item) {
  NewItem out;
  out.code = item.code();
  out.title_en = item.title_en();
  out.title_zh = item.title_zh();
  out.group = item.group();
  out.depends_on.assign(item.depends_on().begin(), item.depends_on().end());
  absl::StatusOr<absl::CivilDay> due = ParseRequiredDate(item.due_date(), "item.due_date");
  if (!due.ok()) return due.status();
  out.due_date = *due;
  out.assignee = item.assignee();
  out.notes = item.notes();
  if (item.has_duration()) {
    const v1::DurationSpec& duration = item.duration();
    if (duration.unit() == v1::DAY_UNIT_CALENDAR_DAYS) {
      return Invalid("item.duration.unit", "custom items are counted in working days");
    }
    if (duration.unit() != v1::DAY_UNIT_UNSPECIFIED &&
        duration.unit() != v1::DAY_UNIT_WORKING_DAYS) {
      return Invalid("item.duration.unit",
                     absl::StrCat("unknown value ", static_cast<int>(duration.unit()),
                                  " (custom items are counted in DAY_UNIT_WORKING_DAYS)"));
    }
    out.duration_working_days = duration.typical();
    // Neither bound given: both are the typical duration. Otherwise they are taken as given and
    // must hold the typical duration between them (checked with the other limits).
    if (duration.min() != 0 || duration.max() != 0) {
      out.duration_min = duration.min();
      out.duration_max = duration.max();
    }
  }
  return out;
}

absl::StatusOr<CalendarDates> CalendarDatesFromProto(const v1::GetWorkingCalendarRequest& request) {
  absl::StatusOr<absl::CivilDay> start = ParseRequiredDate(request.start_date(), "start_date");
  if (!start.ok()) return start.status();
  absl::StatusOr<absl::CivilDay> end = ParseRequiredDate(request.end_date(), "end_date");
  if (!end.ok()) return end.status();
  return CalendarDates{*start, *end};
}

v1::WorkingCalendar ToProto(const CalendarRange& range) {
  v1::WorkingCalendar out;
  for (const std::string& region : range.regions) out.add_regions(region);
  out.set_start_date(FormatCivilDay(range.start));
  out.set_end_date(FormatCivilDay(range.end));
  for (const DayOff& off : range.days_off) {
    v1::NonWorkingDay* day = out.add_non_working_days();
    day->set_date(FormatCivilDay(off.day));
    day->set_holiday_name_zh(off.holiday.zh);
    day->set_holiday_name_en(off.holiday.en);
  }
  for (absl::CivilDay day : range.makeup_workdays) out.add_makeup_workdays(FormatCivilDay(day));
  for (int year : range.unconfirmed_years) out.add_unconfirmed_years(year);
  return out;
}

}  // namespace preflight::checklist
