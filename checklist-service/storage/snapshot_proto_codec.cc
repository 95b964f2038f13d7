#include "checklist-service/storage/snapshot_proto_codec.h"

#include <optional>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "checklist-service/storage/snapshot.pb.h"

namespace preflight::checklist {
namespace {

namespace pb = ::preflight::checklist::storage;

// Thrown inside this file only, for a snapshot holding a value the model cannot take; the public
// functions turn it into DATA_LOSS. Keeps the field-by-field decoding free of status plumbing.
class BadSnapshot : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- Dates and text ----

const absl::CivilDay kEpochDay(1970, 1, 1);

int32_t DayNumber(absl::CivilDay day) { return static_cast<int32_t>(day - kEpochDay); }
absl::CivilDay DayFromNumber(int32_t number) { return kEpochDay + number; }

// The decoder owns its message, so strings move out of it instead of being copied.
std::string Take(std::string* s) { return std::move(*s); }

template <typename Repeated>
std::vector<std::string> TakeAll(Repeated* strings) {
  std::vector<std::string> out;
  out.reserve(strings->size());
  for (std::string& s : *strings) out.push_back(std::move(s));
  return out;
}

// ---- Enums: explicit both ways, so no domain or API renumbering reaches the stored numbers ----

pb::ItemStatus ToStored(ItemStatus status) {
  switch (status) {
    case ItemStatus::kNotStarted:
      return pb::ITEM_STATUS_NOT_STARTED;
    case ItemStatus::kInProgress:
      return pb::ITEM_STATUS_IN_PROGRESS;
    case ItemStatus::kSubmitted:
      return pb::ITEM_STATUS_SUBMITTED;
    case ItemStatus::kApproved:
      return pb::ITEM_STATUS_APPROVED;
    case ItemStatus::kRejected:
      return pb::ITEM_STATUS_REJECTED;
    case ItemStatus::kWaived:
      return pb::ITEM_STATUS_WAIVED;
    case ItemStatus::kNotApplicable:
      return pb::ITEM_STATUS_NOT_APPLICABLE;
    case ItemStatus::kReturned:
      return pb::ITEM_STATUS_RETURNED;
  }
  return pb::ITEM_STATUS_UNSPECIFIED;  // not an ItemStatus: decoding refuses it
}

pb::MaterialStatus ToStored(MaterialStatus status) {
  switch (status) {
    case MaterialStatus::kMissing:
      return pb::MATERIAL_STATUS_MISSING;
    case MaterialStatus::kReady:
      return pb::MATERIAL_STATUS_READY;
    case MaterialStatus::kNotNeeded:
      return pb::MATERIAL_STATUS_NOT_NEEDED;
  }
  return pb::MATERIAL_STATUS_UNSPECIFIED;  // decoding refuses it
}

MaterialStatus FromStored(pb::MaterialStatus status) {
  switch (status) {
    case pb::MATERIAL_STATUS_MISSING:
      return MaterialStatus::kMissing;
    case pb::MATERIAL_STATUS_READY:
      return MaterialStatus::kReady;
    case pb::MATERIAL_STATUS_NOT_NEEDED:
      return MaterialStatus::kNotNeeded;
    default:
      throw BadSnapshot(
          absl::StrCat("materials.status: unknown status ", static_cast<int>(status)));
  }
}

ItemStatus FromStored(pb::ItemStatus status, const char* field) {
  switch (status) {
    case pb::ITEM_STATUS_NOT_STARTED:
      return ItemStatus::kNotStarted;
    case pb::ITEM_STATUS_IN_PROGRESS:
      return ItemStatus::kInProgress;
    case pb::ITEM_STATUS_SUBMITTED:
      return ItemStatus::kSubmitted;
    case pb::ITEM_STATUS_APPROVED:
      return ItemStatus::kApproved;
    case pb::ITEM_STATUS_REJECTED:
      return ItemStatus::kRejected;
    case pb::ITEM_STATUS_WAIVED:
      return ItemStatus::kWaived;
    case pb::ITEM_STATUS_NOT_APPLICABLE:
      return ItemStatus::kNotApplicable;
    case pb::ITEM_STATUS_RETURNED:
      return ItemStatus::kReturned;
    default:
      throw BadSnapshot(absl::StrCat(field, ": unknown status ", static_cast<int>(status)));
  }
}

pb::SubjectType ToStored(v1::SubjectType type) {
  switch (type) {
    case v1::SUBJECT_TYPE_UNSPECIFIED:
      return pb::SUBJECT_TYPE_UNSPECIFIED;
    case v1::SUBJECT_TYPE_ENTERPRISE:
      return pb::SUBJECT_TYPE_ENTERPRISE;
    case v1::SUBJECT_TYPE_INDIVIDUAL_BUSINESS:
      return pb::SUBJECT_TYPE_INDIVIDUAL_BUSINESS;
    case v1::SUBJECT_TYPE_INDIVIDUAL:
      return pb::SUBJECT_TYPE_INDIVIDUAL;
    case v1::SUBJECT_TYPE_GOVERNMENT:
      return pb::SUBJECT_TYPE_GOVERNMENT;
    case v1::SUBJECT_TYPE_MEDIA:
      return pb::SUBJECT_TYPE_MEDIA;
    case v1::SUBJECT_TYPE_OTHER_ORGANIZATION:
      return pb::SUBJECT_TYPE_OTHER_ORGANIZATION;
    default:
      return pb::SUBJECT_TYPE_INVALID;
  }
}

v1::SubjectType FromStored(pb::SubjectType type) {
  switch (type) {
    case pb::SUBJECT_TYPE_UNSPECIFIED:
      return v1::SUBJECT_TYPE_UNSPECIFIED;
    case pb::SUBJECT_TYPE_ENTERPRISE:
      return v1::SUBJECT_TYPE_ENTERPRISE;
    case pb::SUBJECT_TYPE_INDIVIDUAL_BUSINESS:
      return v1::SUBJECT_TYPE_INDIVIDUAL_BUSINESS;
    case pb::SUBJECT_TYPE_INDIVIDUAL:
      return v1::SUBJECT_TYPE_INDIVIDUAL;
    case pb::SUBJECT_TYPE_GOVERNMENT:
      return v1::SUBJECT_TYPE_GOVERNMENT;
    case pb::SUBJECT_TYPE_MEDIA:
      return v1::SUBJECT_TYPE_MEDIA;
    case pb::SUBJECT_TYPE_OTHER_ORGANIZATION:
      return v1::SUBJECT_TYPE_OTHER_ORGANIZATION;
    default:
      throw BadSnapshot(
          absl::StrCat("profile.subject_type: unknown value ", static_cast<int>(type)));
  }
}

pb::Hosting ToStored(v1::Hosting hosting) {
  switch (hosting) {
    case v1::HOSTING_UNSPECIFIED:
      return pb::HOSTING_UNSPECIFIED;
    case v1::HOSTING_OWN_MAINLAND_SERVER:
      return pb::HOSTING_OWN_MAINLAND_SERVER;
    case v1::HOSTING_OWN_SERVER_OUTSIDE_MAINLAND:
      return pb::HOSTING_OWN_SERVER_OUTSIDE_MAINLAND;
    case v1::HOSTING_WECHAT_CLOUD:
      return pb::HOSTING_WECHAT_CLOUD;
    default:
      return pb::HOSTING_INVALID;
  }
}

v1::Hosting FromStored(pb::Hosting hosting) {
  switch (hosting) {
    case pb::HOSTING_UNSPECIFIED:
      return v1::HOSTING_UNSPECIFIED;
    case pb::HOSTING_OWN_MAINLAND_SERVER:
      return v1::HOSTING_OWN_MAINLAND_SERVER;
    case pb::HOSTING_OWN_SERVER_OUTSIDE_MAINLAND:
      return v1::HOSTING_OWN_SERVER_OUTSIDE_MAINLAND;
    case pb::HOSTING_WECHAT_CLOUD:
      return v1::HOSTING_WECHAT_CLOUD;
    default:
      throw BadSnapshot(absl::StrCat("profile.hosting: unknown value ", static_cast<int>(hosting)));
  }
}

pb::DayUnit ToStored(v1::DayUnit unit) {
  switch (unit) {
    case v1::DAY_UNIT_UNSPECIFIED:
      return pb::DAY_UNIT_UNSPECIFIED;
    case v1::DAY_UNIT_WORKING_DAYS:
      return pb::DAY_UNIT_WORKING_DAYS;
    case v1::DAY_UNIT_CALENDAR_DAYS:
      return pb::DAY_UNIT_CALENDAR_DAYS;
    default:
      return pb::DAY_UNIT_INVALID;
  }
}

v1::DayUnit FromStored(pb::DayUnit unit, const char* field) {
  switch (unit) {
    case pb::DAY_UNIT_UNSPECIFIED:
      return v1::DAY_UNIT_UNSPECIFIED;
    case pb::DAY_UNIT_WORKING_DAYS:
      return v1::DAY_UNIT_WORKING_DAYS;
    case pb::DAY_UNIT_CALENDAR_DAYS:
      return v1::DAY_UNIT_CALENDAR_DAYS;
    default:
      throw BadSnapshot(absl::StrCat(field, ": unknown day unit ", static_cast<int>(unit)));
  }
}

pb::DeadlineAnchor ToStored(DeadlineAnchor anchor) {
  switch (anchor) {
    case DeadlineAnchor::kBeforeLaunch:
      return pb::DEADLINE_ANCHOR_BEFORE_LAUNCH;
    case DeadlineAnchor::kAfterGoLive:
      return pb::DEADLINE_ANCHOR_AFTER_GO_LIVE;
    case DeadlineAnchor::kYearly:
      return pb::DEADLINE_ANCHOR_YEARLY;
    case DeadlineAnchor::kAfterApprovalOf:
      return pb::DEADLINE_ANCHOR_AFTER_APPROVAL_OF;
  }
  return pb::DEADLINE_ANCHOR_UNSPECIFIED;
}

DeadlineAnchor FromStored(pb::DeadlineAnchor anchor) {
  switch (anchor) {
    case pb::DEADLINE_ANCHOR_BEFORE_LAUNCH:
      return DeadlineAnchor::kBeforeLaunch;
    case pb::DEADLINE_ANCHOR_AFTER_GO_LIVE:
      return DeadlineAnchor::kAfterGoLive;
    case pb::DEADLINE_ANCHOR_YEARLY:
      return DeadlineAnchor::kYearly;
    case pb::DEADLINE_ANCHOR_AFTER_APPROVAL_OF:
      return DeadlineAnchor::kAfterApprovalOf;
    default:
      throw BadSnapshot(absl::StrCat("deadline.anchor: unknown value ", static_cast<int>(anchor)));
  }
}

// ---- Launch ----

void ToProto(const Launch& launch, pb::Launch* out) {
  out->set_id(launch.id);
  out->set_tenant(launch.tenant);
  out->set_display_name(launch.display_name);
  out->set_owner(launch.owner);
  out->set_target_launch_day(DayNumber(launch.target_launch_date));
  out->set_time_zone(launch.time_zone);
  pb::Profile* profile = out->mutable_profile();
  profile->set_subject_type(ToStored(launch.profile.subject_type));
  profile->set_hosting(ToStored(launch.profile.hosting));
  profile->set_takes_payments(launch.profile.takes_payments);
  profile->set_mini_game(launch.profile.mini_game);
  profile->set_province(launch.profile.province);
  profile->set_account_subject_type(ToStored(launch.profile.account_subject_type));
  for (const std::string& category : launch.profile.service_categories) {
    profile->add_service_categories(category);
  }
  out->set_template_id(launch.template_id);
  if (launch.went_live_date.has_value()) out->set_went_live_day(DayNumber(*launch.went_live_date));
  for (const Blocker& blocker : launch.blockers) {
    pb::Blocker* b = out->add_blockers();
    b->set_code(blocker.code);
    b->set_message(blocker.message);
    b->set_item_code(blocker.item_code);
  }
  out->set_request_id(launch.request_id);
  out->set_request_fingerprint(launch.request_fingerprint);
  out->set_version(launch.version);
  out->set_create_time_micros(absl::ToUnixMicros(launch.create_time));
  out->set_update_time_micros(absl::ToUnixMicros(launch.update_time));
  const LaunchSchedule& schedule = launch.schedule;
  pb::LaunchSchedule* s = out->mutable_schedule();
  s->set_as_of_day(DayNumber(schedule.as_of));
  if (schedule.projected_launch.has_value()) {
    s->set_projected_launch_day(DayNumber(*schedule.projected_launch));
  }
  for (const std::string& code : schedule.critical_path) s->add_critical_path(code);
  s->set_at_risk(schedule.at_risk);
  s->set_slack_working_days(schedule.slack_working_days);
  s->set_unconfirmed_calendar(schedule.unconfirmed_calendar);
  s->set_fees_paid(schedule.fees_paid);
  s->set_fees_expected(schedule.fees_expected);
  for (int year : schedule.unconfirmed_years) s->add_unconfirmed_years(year);
  for (const std::string& code : schedule.estimated_critical_items) {
    s->add_estimated_critical_items(code);
  }
}

Launch FromProto(pb::Launch* in) {
  if (!in->has_profile()) throw BadSnapshot("launch has no profile");
  if (!in->has_schedule()) throw BadSnapshot("launch has no schedule");
  if (in->version() < 1) throw BadSnapshot(absl::StrCat("launch version ", in->version()));
  Launch launch;
  launch.id = Take(in->mutable_id());
  launch.tenant = Take(in->mutable_tenant());
  launch.display_name = Take(in->mutable_display_name());
  launch.owner = Take(in->mutable_owner());
  launch.target_launch_date = DayFromNumber(in->target_launch_day());
  launch.time_zone = Take(in->mutable_time_zone());
  pb::Profile* profile = in->mutable_profile();
  launch.profile.subject_type = FromStored(profile->subject_type());
  launch.profile.hosting = FromStored(profile->hosting());
  launch.profile.takes_payments = profile->takes_payments();
  launch.profile.mini_game = profile->mini_game();
  launch.profile.province = profile->province();
  // Rows from before the field carry 0: the account and the launch agreed then.
  if (profile->account_subject_type() != pb::SUBJECT_TYPE_INVALID) {
    launch.profile.account_subject_type = FromStored(profile->account_subject_type());
  }
  launch.profile.service_categories = TakeAll(profile->mutable_service_categories());
  launch.template_id = Take(in->mutable_template_id());
  if (in->has_went_live_day()) launch.went_live_date = DayFromNumber(in->went_live_day());
  launch.blockers.reserve(in->blockers_size());
  for (pb::Blocker& b : *in->mutable_blockers()) {
    launch.blockers.push_back(
        Blocker{Take(b.mutable_code()), Take(b.mutable_message()), Take(b.mutable_item_code())});
  }
  launch.request_id = Take(in->mutable_request_id());
  launch.request_fingerprint = Take(in->mutable_request_fingerprint());
  launch.version = in->version();
  launch.create_time = absl::FromUnixMicros(in->create_time_micros());
  launch.update_time = absl::FromUnixMicros(in->update_time_micros());
  pb::LaunchSchedule* s = in->mutable_schedule();
  LaunchSchedule& schedule = launch.schedule;
  schedule.as_of = DayFromNumber(s->as_of_day());
  if (s->has_projected_launch_day()) {
    schedule.projected_launch = DayFromNumber(s->projected_launch_day());
  }
  schedule.critical_path = TakeAll(s->mutable_critical_path());
  schedule.at_risk = s->at_risk();
  schedule.slack_working_days = s->slack_working_days();
  schedule.unconfirmed_calendar = s->unconfirmed_calendar();
  schedule.fees_paid = s->fees_paid();
  schedule.fees_expected = s->fees_expected();
  schedule.unconfirmed_years.assign(s->unconfirmed_years().begin(), s->unconfirmed_years().end());
  schedule.estimated_critical_items = TakeAll(s->mutable_estimated_critical_items());
  return launch;
}

// ---- Item ----

void ToProto(const Item& item, pb::Item* out) {
  out->set_launch_id(item.launch_id);
  out->set_code(item.code);
  out->set_title_en(item.title_en);
  out->set_title_zh(item.title_zh);
  out->set_group(item.group);
  out->set_custom(item.custom);
  out->set_external(item.external);
  out->set_status(ToStored(item.status));
  out->set_status_before_not_applicable(ToStored(item.status_before_not_applicable));
  out->set_applicability_reason(item.applicability_reason);
  for (const Dependency& dependency : item.depends_on) {
    pb::Dependency* d = out->add_depends_on();
    d->set_code(dependency.code);
    d->set_lag_working_days(dependency.lag_working_days);
  }
  pb::Duration* duration = out->mutable_duration();
  duration->set_unit(ToStored(item.duration.unit));
  duration->set_min(item.duration.min);
  duration->set_typical(item.duration.typical);
  duration->set_max(item.duration.max);
  pb::Deadline* deadline = out->mutable_deadline();
  deadline->set_anchor(ToStored(item.deadline.anchor));
  deadline->set_days(item.deadline.days);
  deadline->set_unit(ToStored(item.deadline.unit));
  deadline->set_month(item.deadline.month);
  deadline->set_day(item.deadline.day);
  deadline->set_item(item.deadline.item);
  deadline->set_months(item.deadline.months);
  for (const ValidityStep& step : item.validity_steps) {
    pb::ValidityStep* stored = out->add_validity_steps();
    if (step.from) stored->set_from_day(DayNumber(*step.from));
    stored->set_days(step.days);
  }
  out->set_renew_by_month(item.renew_by_month);
  out->set_renew_by_day(item.renew_by_day);
  for (int days : item.renewal_reminder_days) out->add_renewal_reminder_days(days);
  if (item.due_date.has_value()) out->set_due_day(DayNumber(*item.due_date));
  out->set_assignee(item.assignee);
  out->set_notes(item.notes);
  for (const Evidence& evidence : item.evidence) {
    pb::Evidence* e = out->add_evidence();
    e->set_uri(evidence.uri);
    e->set_description(evidence.description);
  }
  for (const Material& material : item.materials) {
    pb::Material* m = out->add_materials();
    m->set_code(material.code);
    m->set_title_en(material.title_en);
    m->set_title_zh(material.title_zh);
    m->set_note(material.note);
    m->set_source(material.source);
    m->set_applies(material.applies);
    m->set_status(ToStored(material.status));
  }
  out->set_official_number(item.official_number);
  out->set_official_number_label(item.official_number_label);
  if (item.expiry_date.has_value()) out->set_expiry_day(DayNumber(*item.expiry_date));
  out->set_validity_months(item.validity_months);
  out->set_waiver_reason(item.waiver_reason);
  out->set_attempts(item.attempts);
  out->set_fee_per_attempt(item.fee_per_attempt);
  out->set_fee_charged_per_attempt(item.fee_charged_per_attempt);
  out->set_paid_orders(item.paid_orders);
  out->set_resubmissions_in_order(item.resubmissions_in_order);
  out->set_fee_charged_per_order(item.fee_charged_per_order);
  out->set_resubmissions_per_order(item.resubmissions_per_order);
  if (item.started_date.has_value()) out->set_started_day(DayNumber(*item.started_date));
  if (item.submitted_date.has_value()) out->set_submitted_day(DayNumber(*item.submitted_date));
  if (item.approved_date.has_value()) out->set_approved_day(DayNumber(*item.approved_date));
  out->set_source(item.source);
  out->set_estimate(item.estimate);
  out->set_version(item.version);
  out->set_update_time_micros(absl::ToUnixMicros(item.update_time));
  const ItemSchedule& schedule = item.schedule;
  pb::ItemSchedule* s = out->mutable_schedule();
  if (schedule.latest_start.has_value()) s->set_latest_start_day(DayNumber(*schedule.latest_start));
  if (schedule.latest_finish.has_value()) {
    s->set_latest_finish_day(DayNumber(*schedule.latest_finish));
  }
  if (schedule.projected_start.has_value()) {
    s->set_projected_start_day(DayNumber(*schedule.projected_start));
  }
  if (schedule.projected_finish.has_value()) {
    s->set_projected_finish_day(DayNumber(*schedule.projected_finish));
  }
  s->set_slack_working_days(schedule.slack_working_days);
  s->set_critical(schedule.critical);
  s->set_at_risk(schedule.at_risk);
  s->set_unconfirmed_calendar(schedule.unconfirmed_calendar);
  s->set_done(schedule.done);
  for (int year : schedule.unconfirmed_years) s->add_unconfirmed_years(year);
  s->set_duration_estimated(schedule.duration_estimated);
}

Item FromProto(pb::Item* in) {
  if (!in->has_duration()) throw BadSnapshot("item has no duration");
  if (!in->has_deadline()) throw BadSnapshot("item has no deadline");
  if (!in->has_schedule()) throw BadSnapshot("item has no schedule");
  if (in->version() < 1) throw BadSnapshot(absl::StrCat("item version ", in->version()));
  Item item;
  item.launch_id = Take(in->mutable_launch_id());
  item.code = Take(in->mutable_code());
  item.title_en = Take(in->mutable_title_en());
  item.title_zh = Take(in->mutable_title_zh());
  item.group = Take(in->mutable_group());
  item.custom = in->custom();
  item.external = in->external();
  item.status = FromStored(in->status(), "status");
  item.status_before_not_applicable =
      FromStored(in->status_before_not_applicable(), "status_before_not_applicable");
  item.applicability_reason = Take(in->mutable_applicability_reason());
  item.depends_on.reserve(in->depends_on_size());
  for (pb::Dependency& d : *in->mutable_depends_on()) {
    item.depends_on.push_back(Dependency{Take(d.mutable_code()), d.lag_working_days()});
  }
  const pb::Duration& duration = in->duration();
  item.duration.unit = FromStored(duration.unit(), "duration.unit");
  item.duration.min = duration.min();
  item.duration.typical = duration.typical();
  item.duration.max = duration.max();
  const pb::Deadline& deadline = in->deadline();
  item.deadline.anchor = FromStored(deadline.anchor());
  item.deadline.days = deadline.days();
  item.deadline.unit = FromStored(deadline.unit(), "deadline.unit");
  item.deadline.month = deadline.month();
  item.deadline.day = deadline.day();
  item.deadline.item = deadline.item();
  item.deadline.months = deadline.months();
  for (const pb::ValidityStep& step : in->validity_steps()) {
    item.validity_steps.push_back(
        {step.has_from_day() ? std::optional<absl::CivilDay>(DayFromNumber(step.from_day()))
                             : std::nullopt,
         step.days()});
  }
  item.renew_by_month = in->renew_by_month();
  item.renew_by_day = in->renew_by_day();
  item.renewal_reminder_days.assign(in->renewal_reminder_days().begin(),
                                    in->renewal_reminder_days().end());
  if (in->has_due_day()) item.due_date = DayFromNumber(in->due_day());
  item.assignee = Take(in->mutable_assignee());
  item.notes = Take(in->mutable_notes());
  item.evidence.reserve(in->evidence_size());
  for (pb::Evidence& e : *in->mutable_evidence()) {
    item.evidence.push_back(Evidence{Take(e.mutable_uri()), Take(e.mutable_description())});
  }
  item.materials.reserve(in->materials_size());
  for (pb::Material& m : *in->mutable_materials()) {
    Material material;
    material.code = Take(m.mutable_code());
    material.title_en = Take(m.mutable_title_en());
    material.title_zh = Take(m.mutable_title_zh());
    material.note = Take(m.mutable_note());
    material.source = Take(m.mutable_source());
    material.applies = m.applies();
    material.status = FromStored(m.status());
    item.materials.push_back(std::move(material));
  }
  item.official_number = Take(in->mutable_official_number());
  item.official_number_label = Take(in->mutable_official_number_label());
  if (in->has_expiry_day()) item.expiry_date = DayFromNumber(in->expiry_day());
  item.validity_months = in->validity_months();
  item.waiver_reason = Take(in->mutable_waiver_reason());
  item.attempts = in->attempts();
  item.fee_per_attempt = in->fee_per_attempt();
  item.fee_charged_per_attempt = in->fee_charged_per_attempt();
  // Rows from before orders were counted have no paid_orders. Their history has no RETURNED
  // status, so each submission opened an order: `attempts` is exactly the count, and it keeps
  // the fees of a per-attempt item as they were. The per-order settings read as unset until the
  // template is applied to the item again (ApplyProfile, on the launch's next profile change).
  item.paid_orders = in->has_paid_orders() ? in->paid_orders() : item.attempts;
  item.resubmissions_in_order = in->resubmissions_in_order();
  item.fee_charged_per_order = in->fee_charged_per_order();
  item.resubmissions_per_order = in->resubmissions_per_order();
  if (in->has_started_day()) item.started_date = DayFromNumber(in->started_day());
  if (in->has_submitted_day()) item.submitted_date = DayFromNumber(in->submitted_day());
  if (in->has_approved_day()) item.approved_date = DayFromNumber(in->approved_day());
  item.source = Take(in->mutable_source());
  item.estimate = in->estimate();
  item.version = in->version();
  item.update_time = absl::FromUnixMicros(in->update_time_micros());
  const pb::ItemSchedule& s = in->schedule();
  ItemSchedule& schedule = item.schedule;
  if (s.has_latest_start_day()) schedule.latest_start = DayFromNumber(s.latest_start_day());
  if (s.has_latest_finish_day()) schedule.latest_finish = DayFromNumber(s.latest_finish_day());
  if (s.has_projected_start_day()) {
    schedule.projected_start = DayFromNumber(s.projected_start_day());
  }
  if (s.has_projected_finish_day()) {
    schedule.projected_finish = DayFromNumber(s.projected_finish_day());
  }
  schedule.slack_working_days = s.slack_working_days();
  schedule.critical = s.critical();
  schedule.at_risk = s.at_risk();
  schedule.unconfirmed_calendar = s.unconfirmed_calendar();
  schedule.done = s.done();
  schedule.unconfirmed_years.assign(s.unconfirmed_years().begin(), s.unconfirmed_years().end());
  schedule.duration_estimated = s.duration_estimated();
  return item;
}

// ---- Framing ----

template <typename Message>
absl::Status Parse(absl::string_view bytes, absl::string_view what, Message* message) {
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("corrupt ", what, " snapshot: not a ", what,
                                            " message (", bytes.size(), " bytes)"));
  }
  return absl::OkStatus();
}

// Runs `decode` and turns a BadSnapshot into DATA_LOSS.
template <typename T, typename Decode>
absl::StatusOr<T> Guard(absl::string_view what, Decode decode) {
  try {
    return decode();
  } catch (const BadSnapshot& e) {
    return absl::DataLossError(absl::StrCat("corrupt ", what, " snapshot: ", e.what()));
  }
}

template <typename Message>
std::string Serialize(const Message& message) {
  std::string out;
  message.SerializeToString(&out);
  return out;
}

}  // namespace

std::string EncodeLaunch(const Launch& launch) {
  pb::Launch message;
  ToProto(launch, &message);
  return Serialize(message);
}

absl::StatusOr<Launch> DecodeLaunch(absl::string_view bytes) {
  pb::Launch message;
  if (absl::Status s = Parse(bytes, "launch", &message); !s.ok()) return s;
  return Guard<Launch>("launch", [&] { return FromProto(&message); });
}

std::string EncodeItem(const Item& item) {
  pb::Item message;
  ToProto(item, &message);
  return Serialize(message);
}

absl::StatusOr<Item> DecodeItem(absl::string_view bytes) {
  pb::Item message;
  if (absl::Status s = Parse(bytes, "item", &message); !s.ok()) return s;
  return Guard<Item>("item", [&] { return FromProto(&message); });
}

std::string EncodeEventPayload(const Event& event) {
  pb::EventPayload message;
  if (event.launch.has_value()) ToProto(*event.launch, message.mutable_launch());
  if (event.item.has_value()) ToProto(*event.item, message.mutable_item());
  return Serialize(message);
}

absl::Status DecodeEventPayload(absl::string_view bytes, Event* event) {
  pb::EventPayload message;
  if (absl::Status s = Parse(bytes, "event", &message); !s.ok()) return s;
  std::optional<Launch> launch;
  std::optional<Item> item;
  if (message.has_launch()) {
    absl::StatusOr<Launch> decoded =
        Guard<Launch>("event launch", [&] { return FromProto(message.mutable_launch()); });
    if (!decoded.ok()) return decoded.status();
    launch = *std::move(decoded);
  }
  if (message.has_item()) {
    absl::StatusOr<Item> decoded =
        Guard<Item>("event item", [&] { return FromProto(message.mutable_item()); });
    if (!decoded.ok()) return decoded.status();
    item = *std::move(decoded);
  }
  event->launch = std::move(launch);
  event->item = std::move(item);
  return absl::OkStatus();
}

}  // namespace preflight::checklist
