#include "checklist-service/domain/rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/civil_date.h"
#include "common/error_text.h"

namespace preflight::checklist {
namespace {

constexpr Fen kFenPerYuan = 100;
constexpr int kNanosPerFen = 10'000'000;

// The first fee rule naming the subject wins; a rule without subjects matches everyone.
const v1::Fee* FeeFor(const v1::ItemDefinition& definition, v1::SubjectType subject) {
  for (const v1::Fee& fee : definition.fees()) {
    if (fee.subject_types().empty() ||
        std::find(fee.subject_types().begin(), fee.subject_types().end(), subject) !=
            fee.subject_types().end()) {
      return &fee;
    }
  }
  return nullptr;
}

Fen ToFen(const v1::Money& money) {
  return money.units() * kFenPerYuan + money.nanos() / kNanosPerFen;
}

// Copies everything the template says about an item for `profile`; status and progress are left
// alone. `rule` is the duration rule that replaces the definition's duration, if any.
void CopyDefinition(const CompiledTemplate& tmpl, const v1::ItemDefinition& definition,
                    const Profile& profile, const v1::DurationRule* rule, Item& item) {
  const v1::SubjectType subject = profile.subject_type;
  item.code = definition.code();
  item.title_en = definition.title_en();
  item.title_zh = definition.title_zh();
  item.group = definition.group();
  item.external = definition.external();

  item.depends_on.clear();
  for (const v1::Dependency& dependency : definition.depends_on()) {
    item.depends_on.push_back({dependency.code(), dependency.lag_working_days()});
  }

  const v1::DurationSpec& duration = rule != nullptr ? rule->duration() : definition.duration();
  item.duration.unit = duration.unit();
  item.duration.min = duration.min();
  item.duration.typical = duration.typical();
  item.duration.max = duration.max();

  item.deadline = Deadline();
  const v1::Deadline& deadline = definition.deadline();
  switch (deadline.anchor()) {
    case v1::Deadline::ANCHOR_AFTER_GO_LIVE:
      item.deadline.anchor = DeadlineAnchor::kAfterGoLive;
      item.deadline.days = deadline.days();
      item.deadline.unit = deadline.unit();
      break;
    case v1::Deadline::ANCHOR_YEARLY:
      item.deadline.anchor = DeadlineAnchor::kYearly;
      item.deadline.month = deadline.month();
      item.deadline.day = deadline.day();
      break;
    case v1::Deadline::ANCHOR_AFTER_APPROVAL_OF:
      item.deadline.anchor = DeadlineAnchor::kAfterApprovalOf;
      item.deadline.item = deadline.item();
      item.deadline.months = deadline.months();
      break;
    default:
      break;
  }

  const v1::Fee* fee = FeeFor(definition, subject);
  item.fee_per_attempt = fee == nullptr ? 0 : ToFen(fee->amount());
  item.fee_charged_per_attempt = fee != nullptr && fee->per_attempt();
  item.fee_charged_per_order = fee != nullptr && fee->per_order();
  item.resubmissions_per_order = fee == nullptr ? 0 : fee->resubmissions_per_order();
  // An estimated fee or duration makes the item's figures estimates too.
  item.estimate = definition.estimate() || (fee != nullptr && fee->estimate()) ||
                  (rule != nullptr && rule->estimate());

  const v1::Validity& validity = definition.validity();
  item.validity_months = validity.months();
  item.validity_steps.clear();
  for (const v1::ValidityStep& step : validity.max_days_by_issue_date()) {
    // The catalogue checked the dates when it loaded.
    item.validity_steps.push_back({ParseCivilDay(step.from_date()), step.days()});
  }
  item.renew_by_month = validity.renew_by_month();
  item.renew_by_day = validity.renew_by_day();
  item.renewal_reminder_days.assign(validity.reminder_days_before().begin(),
                                    validity.reminder_days_before().end());

  // The template's checklist, keeping what the team marked on each material already there.
  std::vector<Material> materials;
  for (int i = 0; i < definition.materials_size(); ++i) {
    const v1::MaterialDefinition& m = definition.materials(i);
    Material material;
    material.code = m.code();
    material.title_en = m.title_en();
    material.title_zh = m.title_zh();
    material.note = m.note();
    material.source = m.source();
    material.applies = tmpl.MaterialNeeded(definition, i, profile);
    for (const Material& old : item.materials) {
      if (old.code == material.code) material.status = old.status;
    }
    materials.push_back(std::move(material));
  }
  item.materials = std::move(materials);
  item.official_number_label = definition.official_number_label();
  item.source = definition.source();
  if (rule != nullptr && !rule->source().empty()) {
    item.source =
        item.source.empty() ? rule->source() : absl::StrCat(item.source, ",", rule->source());
  }
}

bool SameDuration(const DurationSpec& a, const DurationSpec& b) {
  return a.unit == b.unit && a.min == b.min && a.typical == b.typical && a.max == b.max;
}

// Compares the fields ApplyProfile writes.
bool SameRulesState(const Item& a, const Item& b) {
  return a.title_en == b.title_en && a.title_zh == b.title_zh && a.group == b.group &&
         a.external == b.external && a.status == b.status &&
         a.status_before_not_applicable == b.status_before_not_applicable &&
         a.applicability_reason == b.applicability_reason && a.depends_on == b.depends_on &&
         SameDuration(a.duration, b.duration) && a.deadline == b.deadline &&
         a.fee_per_attempt == b.fee_per_attempt &&
         a.fee_charged_per_attempt == b.fee_charged_per_attempt &&
         a.fee_charged_per_order == b.fee_charged_per_order &&
         a.resubmissions_per_order == b.resubmissions_per_order && a.estimate == b.estimate &&
         a.validity_months == b.validity_months && a.validity_steps == b.validity_steps &&
         a.renew_by_month == b.renew_by_month && a.renew_by_day == b.renew_by_day &&
         a.renewal_reminder_days == b.renewal_reminder_days && a.materials == b.materials &&
         a.official_number_label == b.official_number_label && a.source == b.source;
}

}  // namespace

absl::Status ValidateProfile(const CompiledTemplate& tmpl, const Profile& profile) {
  if (profile.subject_type == v1::SUBJECT_TYPE_UNSPECIFIED) {
    return absl::InvalidArgumentError("profile.subject_type: required");
  }
  if (!v1::SubjectType_IsValid(profile.subject_type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.subject_type: unknown value ", profile.subject_type));
  }
  if (profile.hosting == v1::HOSTING_UNSPECIFIED) {
    return absl::InvalidArgumentError("profile.hosting: required");
  }
  if (!v1::Hosting_IsValid(profile.hosting)) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.hosting: unknown value ", profile.hosting));
  }
  for (const std::string& category : profile.service_categories) {
    if (!tmpl.HasCategory(category)) {
      return absl::InvalidArgumentError(
          absl::StrCat("profile.service_categories: unknown category ", QuoteForError(category)));
    }
  }
  if (!profile.province.empty() && !tmpl.HasProvince(profile.province)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "profile.province: unknown province ", QuoteForError(profile.province),
        " (expected a code of the template's provinces, such as ZJ or GD; ListTemplates lists "
        "them)"));
  }
  for (int i = 0; i < tmpl.proto().constraints_size(); ++i) {
    const v1::Constraint& constraint = tmpl.proto().constraints(i);
    if (constraint.action() == v1::Constraint::ACTION_REFUSE &&
        tmpl.ConstraintWhen(i).Evaluate(profile)) {
      return absl::InvalidArgumentError(
          absl::StrCat(constraint.field(), ": ", constraint.message()));
    }
  }
  return absl::OkStatus();
}

std::vector<Blocker> ProfileBlockers(const CompiledTemplate& tmpl, const Profile& profile) {
  std::vector<Blocker> blockers;
  for (int i = 0; i < tmpl.proto().constraints_size(); ++i) {
    const v1::Constraint& constraint = tmpl.proto().constraints(i);
    if (constraint.action() == v1::Constraint::ACTION_BLOCKER &&
        tmpl.ConstraintWhen(i).Evaluate(profile)) {
      blockers.push_back({constraint.code(), constraint.message(), ""});
    }
  }
  return blockers;
}

std::vector<std::string> ApplyProfile(const CompiledTemplate& tmpl, const Profile& profile,
                                      const std::string& launch_id, std::vector<Item>* items) {
  std::vector<std::string> changed;
  for (const v1::ItemDefinition& definition : tmpl.proto().items()) {
    const bool applies = tmpl.AppliesWhen(definition.code()).Evaluate(profile);
    const v1::DurationRule* rule = tmpl.MatchingDurationRule(definition, profile);
    std::string reason = applies ? definition.applies_reason() : definition.not_applicable_reason();
    if (applies && rule != nullptr) absl::StrAppend(&reason, " ", rule->note());
    auto existing = std::find_if(items->begin(), items->end(),
                                 [&](const Item& item) { return item.code == definition.code(); });
    if (existing == items->end()) {
      Item item;
      item.launch_id = launch_id;
      CopyDefinition(tmpl, definition, profile, rule, item);
      item.status = applies ? ItemStatus::kNotStarted : ItemStatus::kNotApplicable;
      item.status_before_not_applicable = ItemStatus::kNotStarted;
      item.applicability_reason = reason;
      items->push_back(std::move(item));
      changed.push_back(definition.code());
      continue;
    }
    // A custom item that happens to share the code is the user's: leave it alone.
    if (existing->custom) continue;
    Item& item = *existing;
    const Item before = item;
    CopyDefinition(tmpl, definition, profile, rule, item);
    if (applies && item.status == ItemStatus::kNotApplicable) {
      item.status = item.status_before_not_applicable;
    } else if (!applies && item.status != ItemStatus::kNotApplicable) {
      item.status_before_not_applicable = item.status;
      item.status = ItemStatus::kNotApplicable;
    }
    item.applicability_reason = reason;
    if (!SameRulesState(before, item)) changed.push_back(definition.code());
  }
  return changed;
}

}  // namespace preflight::checklist
