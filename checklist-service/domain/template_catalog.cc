#include "checklist-service/domain/template_catalog.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "checklist-service/domain/validation.h"
#include "common/api/limits.h"
#include "common/civil_date.h"
#include "common/text_proto.h"
#include "google/protobuf/descriptor.h"

namespace preflight::checklist {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using ParseInfoTree = google::protobuf::TextFormat::ParseInfoTree;

constexpr int kNanosPerFen = 10'000'000;
// A sanity bound on the resubmissions one paid order covers (WeChat verification's is 3).
constexpr int kMaxResubmissionsPerOrder = 100;

// Enum values that took their enum's prefix (buf lint's ENUM_VALUE_PREFIX). Templates written
// with the old names are refused like any unknown value, with the new name in the message
// (docs/templates.md, "Renamed enum values").
struct RenamedEnumValue {
  absl::string_view field;  // the fields of that enum type in template.proto
  absl::string_view old_name;
  absl::string_view new_name;
};
constexpr std::array<RenamedEnumValue, 6> kRenamedEnumValues = {{
    {"unit", "WORKING_DAYS", "DAY_UNIT_WORKING_DAYS"},
    {"unit", "CALENDAR_DAYS", "DAY_UNIT_CALENDAR_DAYS"},
    {"anchor", "BEFORE_LAUNCH", "ANCHOR_BEFORE_LAUNCH"},
    {"anchor", "AFTER_GO_LIVE", "ANCHOR_AFTER_GO_LIVE"},
    {"action", "REFUSE", "ACTION_REFUSE"},
    {"action", "BLOCKER", "ACTION_BLOCKER"},
}};

// A text-format parse error, with the new name added when it is about one of those old names.
absl::Status ExplainRenamedEnumValue(const absl::Status& parse_error) {
  for (const auto& [field, old_name, new_name] : kRenamedEnumValues) {
    // The parser's own words (google/protobuf/text_format.cc).
    if (absl::StrContains(parse_error.message(),
                          absl::StrCat("Unknown enumeration value of \"", old_name,
                                       "\" for field \"", field, "\""))) {
      return absl::Status(parse_error.code(),
                          absl::StrCat(parse_error.message(), " (", old_name, " was renamed ",
                                       new_name, "; see docs/templates.md)"));
    }
  }
  return parse_error;
}

// Names the file and line of a template element in messages. Without a parse-info tree (a
// template built in memory) messages name only the source.
class Locator {
 public:
  Locator(const std::string& path, const ParseInfoTree* tree, const Message* message, int line)
      : path_(path), tree_(tree), message_(message), line_(line) {}

  // Line of `field` (element `index` when repeated), or the element's own line when the field
  // is not written in the file.
  int Line(absl::string_view field, int index = -1) const {
    if (tree_ != nullptr) {
      const int line = LineOf(*tree_, *message_, std::string(field), index);
      if (line > 0) return line;
      // A list written as `field: [a, b]` records one location, for its first element.
      if (index > 0) {
        const int list_line = LineOf(*tree_, *message_, std::string(field), 0);
        if (list_line > 0) return list_line;
      }
    }
    return line_;
  }

  // The locator of a nested message: `child` is `field` (element `index`) of this one.
  Locator Child(absl::string_view field, int index, const Message& child) const {
    const FieldDescriptor* descriptor =
        message_->GetDescriptor()->FindFieldByName(std::string(field));
    const ParseInfoTree* nested = nullptr;
    if (tree_ != nullptr && descriptor != nullptr) {
      nested = tree_->GetTreeForNested(descriptor, descriptor->is_repeated() ? index : -1);
    }
    return Locator(path_, nested, &child, Line(field, index));
  }

  absl::Status Error(int line, absl::string_view problem) const {
    if (line <= 0) return absl::InvalidArgumentError(absl::StrCat(path_, ": ", problem));
    return absl::InvalidArgumentError(absl::StrCat(path_, ":", line, ": ", problem));
  }
  absl::Status ErrorAt(absl::string_view field, absl::string_view problem, int index = -1) const {
    return Error(Line(field, index), problem);
  }
  absl::Status ErrorHere(absl::string_view problem) const { return Error(line_, problem); }

 private:
  const std::string& path_;
  const ParseInfoTree* tree_;
  const Message* message_;
  int line_;
};

bool IsTemplateId(absl::string_view id) {
  if (id.empty() || id.size() > api::kMaxTemplateIdLength || id.front() == '-' ||
      id.back() == '-') {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
  });
}

bool IsUpperSnake(absl::string_view code) {
  if (code.empty() || code.size() > api::kMaxItemCodeLength || !absl::ascii_isupper(code.front())) {
    return false;
  }
  return std::all_of(code.begin(), code.end(), [](char c) {
    return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

bool IsLowerSnake(absl::string_view code) {
  if (code.empty() || code.size() > api::kMaxItemCodeLength || !absl::ascii_islower(code.front())) {
    return false;
  }
  return std::all_of(code.begin(), code.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

bool Blank(const std::string& text) { return absl::StripAsciiWhitespace(text).empty(); }

// What validation produces besides the verdict: the parsed conditions.
using Compiled = TemplateConditions;

class Validator {
 public:
  Validator(const v1::Template& tmpl, const std::string& path, const ParseInfoTree* info)
      : tmpl_(tmpl), root_(path, info, &tmpl, info != nullptr ? 1 : 0) {}

  absl::StatusOr<Compiled> Run() {
    // In order: later checks rely on what earlier ones established (known codes, categories).
    using Check = absl::Status (Validator::*)();
    for (Check check :
         {&Validator::CheckHeader, &Validator::CheckSources, &Validator::CheckGroups,
          &Validator::CheckCategories, &Validator::CheckProvinces, &Validator::CheckItems,
          &Validator::CheckConstraints, &Validator::CheckCycles}) {
      if (absl::Status s = (this->*check)(); !s.ok()) return s;
    }
    return std::move(compiled_);
  }

 private:
  absl::Status CheckHeader() {
    if (tmpl_.id().empty()) return root_.ErrorAt("id", "template id required");
    if (!IsTemplateId(tmpl_.id())) {
      return root_.ErrorAt(
          "id", absl::StrCat("template id '", tmpl_.id(),
                             "' must be lowercase letters, digits and '-' (not at either end), "
                             "at most ",
                             api::kMaxTemplateIdLength, " characters"));
    }
    if (Blank(tmpl_.title_en())) return root_.ErrorAt("title_en", "template title_en required");
    if (Blank(tmpl_.title_zh())) return root_.ErrorAt("title_zh", "template title_zh required");
    if (tmpl_.items().empty()) return root_.ErrorHere("template has no items");
    return absl::OkStatus();
  }

  absl::Status CheckSources() {
    for (int i = 0; i < tmpl_.sources_size(); ++i) {
      const v1::SourceRef& source = tmpl_.sources(i);
      const Locator at = root_.Child("sources", i, source);
      if (Blank(source.key())) return at.ErrorAt("key", "source key required");
      if (!source_keys_.insert(source.key()).second) {
        return at.ErrorAt("key", absl::StrCat("duplicate source key '", source.key(), "'"));
      }
      if (Blank(source.citation())) {
        return at.ErrorAt("citation", absl::StrCat("source ", source.key(), ": citation required"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckGroups() {
    for (int i = 0; i < tmpl_.groups_size(); ++i) {
      const v1::ItemGroup& group = tmpl_.groups(i);
      const Locator at = root_.Child("groups", i, group);
      if (!IsLowerSnake(group.code())) {
        return at.ErrorAt("code", absl::StrCat("group code '", group.code(),
                                               "' must be lower snake case (a-z, 0-9, _)"));
      }
      if (!groups_.insert(group.code()).second) {
        return at.ErrorAt("code", absl::StrCat("duplicate group code '", group.code(), "'"));
      }
      if (absl::Status s =
              CheckTitles(at, "group", group.code(), group.title_en(), group.title_zh());
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckCategories() {
    for (int i = 0; i < tmpl_.categories_size(); ++i) {
      const v1::ServiceCategory& category = tmpl_.categories(i);
      const Locator at = root_.Child("categories", i, category);
      if (!IsLowerSnake(category.code())) {
        return at.ErrorAt("code", absl::StrCat("category code '", category.code(),
                                               "' must be lower snake case (a-z, 0-9, _)"));
      }
      if (!categories_.insert(category.code()).second) {
        return at.ErrorAt("code", absl::StrCat("duplicate category code '", category.code(), "'"));
      }
      if (absl::Status s = CheckTitles(at, "category", category.code(), category.title_en(),
                                       category.title_zh());
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckProvinces() {
    for (int i = 0; i < tmpl_.provinces_size(); ++i) {
      const v1::Province& province = tmpl_.provinces(i);
      const Locator at = root_.Child("provinces", i, province);
      if (!IsUpperSnake(province.code()) || province.code().size() > kMaxProvinceCodeLength) {
        return at.ErrorAt("code", absl::StrCat("province code '", province.code(),
                                               "' must be upper case (A-Z, 0-9, _), at most ",
                                               kMaxProvinceCodeLength, " characters"));
      }
      if (!provinces_.insert(province.code()).second) {
        return at.ErrorAt("code", absl::StrCat("duplicate province code '", province.code(), "'"));
      }
      if (absl::Status s = CheckTitles(at, "province", province.code(), province.title_en(),
                                       province.title_zh());
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckItems() {
    // Codes first, so dependencies may point forward.
    for (int i = 0; i < tmpl_.items_size(); ++i) {
      const v1::ItemDefinition& item = tmpl_.items(i);
      const Locator at = root_.Child("items", i, item);
      if (item.code().empty()) return at.ErrorAt("code", "item code required");
      if (!IsUpperSnake(item.code())) {
        return at.ErrorAt("code", absl::StrCat("item code '", item.code(),
                                               "' must be upper snake case (A-Z, 0-9, _), at "
                                               "most ",
                                               api::kMaxItemCodeLength, " characters"));
      }
      if (!item_index_.emplace(item.code(), i).second) {
        return at.ErrorAt("code", absl::StrCat("duplicate item code '", item.code(), "'"));
      }
    }
    for (int i = 0; i < tmpl_.items_size(); ++i) {
      if (absl::Status s = CheckItem(i); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckItem(int index) {
    const v1::ItemDefinition& item = tmpl_.items(index);
    const Locator at = root_.Child("items", index, item);
    const std::string what = absl::StrCat("item ", item.code());
    if (absl::Status s = CheckTitles(at, "item", item.code(), item.title_en(), item.title_zh());
        !s.ok()) {
      return s;
    }
    if (item.group().empty()) return at.ErrorHere(absl::StrCat(what, ": group required"));
    if (groups_.count(item.group()) == 0) {
      return at.ErrorAt("group",
                        absl::StrCat(what, ": unknown group '", item.group(),
                                     "' (expected one of: ", absl::StrJoin(groups_, ", "), ")"));
    }
    absl::StatusOr<Condition> applies =
        ParseCondition(at, "applies_when", what, item.applies_when());
    if (!applies.ok()) return applies.status();
    compiled_.applies_when.emplace(item.code(), *std::move(applies));
    if (Blank(item.applies_reason())) {
      return at.ErrorHere(absl::StrCat(what, ": applies_reason required"));
    }
    if (!Blank(item.applies_when()) && Blank(item.not_applicable_reason())) {
      return at.ErrorAt("applies_when",
                        absl::StrCat(what, ": not_applicable_reason required with applies_when"));
    }
    std::set<std::string> seen;
    for (int j = 0; j < item.depends_on_size(); ++j) {
      const v1::Dependency& dependency = item.depends_on(j);
      const int line = at.Line("depends_on", j);
      if (item_index_.count(dependency.code()) == 0) {
        return at.Error(line, absl::StrCat(what, ": unknown dependency '", dependency.code(), "'"));
      }
      if (!seen.insert(dependency.code()).second) {
        return at.Error(line, absl::StrCat(what, ": depends on '", dependency.code(), "' twice"));
      }
      if (dependency.lag_working_days() < 0 || dependency.lag_working_days() > kMaxDurationDays) {
        return at.Error(line, absl::StrCat(what, ": lag_working_days of '", dependency.code(),
                                           "' must be between 0 and ", kMaxDurationDays));
      }
    }
    if (absl::Status s = CheckDuration(at, what, item); !s.ok()) return s;
    if (absl::Status s = CheckDurationRules(at, what, item); !s.ok()) return s;
    if (absl::Status s = CheckMaterials(at, what, item); !s.ok()) return s;
    if (absl::Status s = CheckFees(at, what, item); !s.ok()) return s;
    if (absl::Status s = CheckDeadline(at, what, item); !s.ok()) return s;
    if (absl::Status s = CheckValidity(at, what, item); !s.ok()) return s;
    return CheckSourceKeys(at, what, item.source());
  }

  absl::Status CheckDuration(const Locator& item_at, const std::string& what,
                             const v1::ItemDefinition& item) {
    if (!item.has_duration()) return item_at.ErrorHere(absl::StrCat(what, ": duration required"));
    return CheckDurationSpec(item_at.Child("duration", -1, item.duration()), what, item.duration());
  }

  absl::Status CheckDurationRules(const Locator& item_at, const std::string& what,
                                  const v1::ItemDefinition& item) {
    std::vector<Condition>& conditions = compiled_.duration_rule_when[item.code()];
    for (int j = 0; j < item.duration_rules_size(); ++j) {
      const v1::DurationRule& rule = item.duration_rules(j);
      const Locator at = item_at.Child("duration_rules", j, rule);
      const std::string rule_what = absl::StrCat(what, ": duration rule ", j + 1);
      if (Blank(rule.when())) return at.ErrorHere(absl::StrCat(rule_what, ": when required"));
      absl::StatusOr<Condition> when = ParseCondition(at, "when", rule_what, rule.when());
      if (!when.ok()) return when.status();
      conditions.push_back(*std::move(when));
      if (!rule.has_duration()) {
        return at.ErrorHere(absl::StrCat(rule_what, ": duration required"));
      }
      if (absl::Status s = CheckDurationSpec(at.Child("duration", -1, rule.duration()), rule_what,
                                             rule.duration());
          !s.ok()) {
        return s;
      }
      if (Blank(rule.note())) return at.ErrorHere(absl::StrCat(rule_what, ": note required"));
      if (absl::Status s = CheckSourceKeys(at, rule_what, rule.source()); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckMaterials(const Locator& item_at, const std::string& what,
                              const v1::ItemDefinition& item) {
    if (item.materials_size() > kMaxMaterialsPerItem) {
      return item_at.ErrorAt("materials",
                             absl::StrCat(what, ": at most ", kMaxMaterialsPerItem, " materials"));
    }
    std::vector<Condition>& conditions = compiled_.material_when[item.code()];
    std::set<std::string> codes;
    for (int j = 0; j < item.materials_size(); ++j) {
      const v1::MaterialDefinition& material = item.materials(j);
      const Locator at = item_at.Child("materials", j, material);
      if (!IsLowerSnake(material.code())) {
        return at.ErrorAt("code", absl::StrCat(what, ": material code '", material.code(),
                                               "' must be lower snake case (a-z, 0-9, _)"));
      }
      if (!codes.insert(material.code()).second) {
        return at.ErrorAt("code",
                          absl::StrCat(what, ": duplicate material code '", material.code(), "'"));
      }
      const std::string material_what = absl::StrCat(what, ": material ", material.code());
      if (absl::Status s = CheckTitles(at, "material", material.code(), material.title_en(),
                                       material.title_zh());
          !s.ok()) {
        return s;
      }
      absl::StatusOr<Condition> when = ParseCondition(at, "when", material_what, material.when());
      if (!when.ok()) return when.status();
      conditions.push_back(*std::move(when));
      if (absl::Status s = CheckSourceKeys(at, material_what, material.source()); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckDurationSpec(const Locator& at, const std::string& what,
                                 const v1::DurationSpec& d) {
    if (d.unit() == v1::DAY_UNIT_UNSPECIFIED) {
      return at.ErrorAt("unit", absl::StrCat(what,
                                             ": duration unit required (DAY_UNIT_WORKING_DAYS or "
                                             "DAY_UNIT_CALENDAR_DAYS)"));
    }
    if (d.min() < 0 || d.min() > d.typical() || d.typical() > d.max()) {
      return at.ErrorHere(absl::StrCat(what,
                                       ": duration must satisfy 0 <= min <= typical <= max, "
                                       "got min ",
                                       d.min(), ", typical ", d.typical(), ", max ", d.max()));
    }
    if (d.max() > kMaxDurationDays) {
      return at.ErrorAt("max", absl::StrCat(what, ": duration max ", d.max(), " exceeds ",
                                            kMaxDurationDays, " days"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckFees(const Locator& item_at, const std::string& what,
                         const v1::ItemDefinition& item) {
    int default_rule = -1;
    for (int j = 0; j < item.fees_size(); ++j) {
      const v1::Fee& fee = item.fees(j);
      const Locator at = item_at.Child("fees", j, fee);
      if (default_rule >= 0) {
        return at.ErrorHere(absl::StrCat(what, ": fee rule ", j + 1, " can never apply: rule ",
                                         default_rule + 1,
                                         " has no subject_types and matches every subject"));
      }
      if (fee.subject_types().empty()) default_rule = j;
      for (int k = 0; k < fee.subject_types_size(); ++k) {
        if (fee.subject_types(k) == v1::SUBJECT_TYPE_UNSPECIFIED) {
          return at.ErrorAt("subject_types",
                            absl::StrCat(what,
                                         ": fee subject_types must not contain "
                                         "SUBJECT_TYPE_UNSPECIFIED"),
                            k);
        }
      }
      if (!fee.has_amount()) return at.ErrorHere(absl::StrCat(what, ": fee amount required"));
      const v1::Money& amount = fee.amount();
      const Locator money_at = at.Child("amount", -1, amount);
      if (amount.currency_code() != "CNY") {
        return money_at.ErrorAt(
            "currency_code",
            absl::StrCat(what, ": fee currency must be CNY, got '", amount.currency_code(), "'"));
      }
      if (amount.units() < 0 || amount.nanos() < 0) {
        return money_at.ErrorHere(absl::StrCat(what, ": fee must not be negative"));
      }
      if (amount.nanos() >= 1'000'000'000 || amount.nanos() % kNanosPerFen != 0) {
        return money_at.ErrorAt("nanos", absl::StrCat(what, ": fee nanos ", amount.nanos(),
                                                      " is not a whole number of fen"));
      }
      // One payment cannot be both per submission and per order.
      if (fee.per_order() && fee.per_attempt()) {
        return at.ErrorAt("per_order", absl::StrCat(what, ": fee rule ", j + 1,
                                                    " sets both per_order and per_attempt; a "
                                                    "fee is charged per order or per attempt"));
      }
      if (fee.resubmissions_per_order() != 0 && !fee.per_order()) {
        return at.ErrorAt("resubmissions_per_order",
                          absl::StrCat(what, ": fee rule ", j + 1,
                                       " sets resubmissions_per_order without per_order; only a "
                                       "fee charged per order covers resubmissions"));
      }
      if (fee.resubmissions_per_order() < 0 ||
          fee.resubmissions_per_order() > kMaxResubmissionsPerOrder) {
        return at.ErrorAt(
            "resubmissions_per_order",
            absl::StrCat(what, ": fee rule ", j + 1,
                         ": resubmissions_per_order must be between 0 and ",
                         kMaxResubmissionsPerOrder, ", got ", fee.resubmissions_per_order()));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckDeadline(const Locator& item_at, const std::string& what,
                             const v1::ItemDefinition& item) {
    if (!item.has_deadline()) return absl::OkStatus();
    const v1::Deadline& deadline = item.deadline();
    const Locator at = item_at.Child("deadline", -1, deadline);
    if (item.required_before_go_live() && deadline.anchor() == v1::Deadline::ANCHOR_AFTER_GO_LIVE) {
      return item_at.ErrorAt("required_before_go_live",
                             absl::StrCat(what,
                                          ": work due after going live cannot be required "
                                          "before it"));
    }
    if (deadline.anchor() == v1::Deadline::ANCHOR_AFTER_GO_LIVE) {
      if (deadline.days() <= 0) {
        return at.ErrorAt("days",
                          absl::StrCat(what, ": an ANCHOR_AFTER_GO_LIVE deadline needs days > 0"));
      }
      if (deadline.days() > kMaxDurationDays) {
        return at.ErrorAt("days",
                          absl::StrCat(what, ": deadline days must be at most ", kMaxDurationDays));
      }
      if (deadline.unit() == v1::DAY_UNIT_UNSPECIFIED) {
        return at.ErrorAt("unit", absl::StrCat(what,
                                               ": deadline unit required (DAY_UNIT_WORKING_DAYS "
                                               "or DAY_UNIT_CALENDAR_DAYS)"));
      }
    } else if (deadline.days() != 0) {
      return at.ErrorAt("days",
                        absl::StrCat(what, ": deadline days only apply to ANCHOR_AFTER_GO_LIVE"));
    }
    const bool yearly = deadline.anchor() == v1::Deadline::ANCHOR_YEARLY;
    if (yearly) {
      if (absl::Status s =
              CheckMonthDay(at, what, "month", "day", deadline.month(), deadline.day());
          !s.ok()) {
        return s;
      }
    } else if (deadline.month() != 0 || deadline.day() != 0) {
      return at.ErrorAt(deadline.month() != 0 ? "month" : "day",
                        absl::StrCat(what, ": deadline month and day only apply to ANCHOR_YEARLY"));
    }
    if (yearly && item.required_before_go_live()) {
      return item_at.ErrorAt("required_before_go_live",
                             absl::StrCat(what,
                                          ": work due every year after going live cannot be "
                                          "required before it"));
    }
    if (deadline.anchor() == v1::Deadline::ANCHOR_AFTER_APPROVAL_OF) {
      const bool depends = std::any_of(
          item.depends_on().begin(), item.depends_on().end(),
          [&](const v1::Dependency& dependency) { return dependency.code() == deadline.item(); });
      if (!depends) {
        return at.ErrorAt("item", absl::StrCat(what, ": deadline item '", deadline.item(),
                                               "' must be one of the item's dependencies"));
      }
      if (deadline.months() <= 0 || deadline.months() > kMaxValidityMonths) {
        return at.ErrorAt("months", absl::StrCat(what, ": deadline months must be between 1 and ",
                                                 kMaxValidityMonths));
      }
    } else if (!deadline.item().empty() || deadline.months() != 0) {
      return at.ErrorAt(!deadline.item().empty() ? "item" : "months",
                        absl::StrCat(what,
                                     ": deadline item and months only apply to "
                                     "ANCHOR_AFTER_APPROVAL_OF"));
    }
    return absl::OkStatus();
  }

  // A day every year has: February 29 is refused.
  absl::Status CheckMonthDay(const Locator& at, const std::string& what,
                             absl::string_view month_field, absl::string_view day_field, int month,
                             int day) {
    if (month < 1 || month > 12) {
      return at.ErrorAt(month_field, absl::StrCat(what, ": ", month_field,
                                                  " must be between 1 and 12, got ", month));
    }
    const absl::CivilDay in_a_common_year(2027, month, day);
    if (day < 1 || in_a_common_year.month() != month || in_a_common_year.day() != day) {
      return at.ErrorAt(
          day_field, absl::StrCat(what, ": ", day_field, " ", day, " is not a day of month ", month,
                                  " in every year"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckValidity(const Locator& item_at, const std::string& what,
                             const v1::ItemDefinition& item) {
    if (!item.has_validity()) return absl::OkStatus();
    const v1::Validity& validity = item.validity();
    const Locator at = item_at.Child("validity", -1, validity);
    if (validity.months() < 0) {
      return at.ErrorAt("months", absl::StrCat(what, ": validity months must not be negative"));
    }
    const bool by_issue_date = !validity.max_days_by_issue_date().empty();
    const bool yearly = validity.renew_by_month() != 0 || validity.renew_by_day() != 0;
    if ((validity.months() > 0) + by_issue_date + yearly > 1) {
      return at.ErrorHere(absl::StrCat(
          what, ": validity takes one of months, max_days_by_issue_date or renew_by_month/day"));
    }
    if (validity.months() > kMaxValidityMonths) {
      return at.ErrorAt(
          "months", absl::StrCat(what, ": validity months must be at most ", kMaxValidityMonths));
    }
    if (validity.months() == 0 && !by_issue_date && !yearly &&
        !validity.reminder_days_before().empty()) {
      return at.ErrorAt("reminder_days_before",
                        absl::StrCat(what, ": renewal reminders need a validity"), 0);
    }
    if (yearly) {
      if (absl::Status s = CheckMonthDay(at, what, "renew_by_month", "renew_by_day",
                                         validity.renew_by_month(), validity.renew_by_day());
          !s.ok()) {
        return s;
      }
    }
    std::optional<absl::CivilDay> previous;
    for (int k = 0; k < validity.max_days_by_issue_date_size(); ++k) {
      const v1::ValidityStep& step = validity.max_days_by_issue_date(k);
      const Locator step_at = at.Child("max_days_by_issue_date", k, step);
      if (step.days() <= 0 || step.days() > kMaxValidityDays) {
        return step_at.ErrorAt("days", absl::StrCat(what, ": validity days must be between 1 and ",
                                                    kMaxValidityDays, ", got ", step.days()));
      }
      if (step.from_date().empty()) {
        if (k != 0) {
          return step_at.ErrorAt("from_date",
                                 absl::StrCat(what, ": only the first step may omit from_date"));
        }
        continue;
      }
      const std::optional<absl::CivilDay> from = ParseCivilDay(step.from_date());
      if (!from) {
        return step_at.ErrorAt("from_date", absl::StrCat(what, ": from_date '", step.from_date(),
                                                         "' is not a YYYY-MM-DD date"));
      }
      if (previous && *from <= *previous) {
        return step_at.ErrorAt("from_date",
                               absl::StrCat(what, ": steps must be in increasing from_date order"));
      }
      previous = from;
    }
    for (int k = 0; k < validity.reminder_days_before_size(); ++k) {
      const int days = validity.reminder_days_before(k);
      if (days <= 0 || days > kMaxDurationDays) {
        return at.ErrorAt("reminder_days_before",
                          absl::StrCat(what, ": reminder_days_before must be between 1 and ",
                                       kMaxDurationDays, ", got ", days),
                          k);
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckConstraints() {
    std::set<std::string> codes;
    for (int i = 0; i < tmpl_.constraints_size(); ++i) {
      const v1::Constraint& constraint = tmpl_.constraints(i);
      const Locator at = root_.Child("constraints", i, constraint);
      if (!IsUpperSnake(constraint.code())) {
        return at.ErrorAt("code", absl::StrCat("constraint code '", constraint.code(),
                                               "' must be upper snake case (A-Z, 0-9, _)"));
      }
      if (!codes.insert(constraint.code()).second) {
        return at.ErrorAt("code",
                          absl::StrCat("duplicate constraint code '", constraint.code(), "'"));
      }
      const std::string what = absl::StrCat("constraint ", constraint.code());
      if (Blank(constraint.when())) {
        return at.ErrorHere(absl::StrCat(what, ": when required"));
      }
      absl::StatusOr<Condition> when = ParseCondition(at, "when", what, constraint.when());
      if (!when.ok()) return when.status();
      compiled_.constraint_when.push_back(*std::move(when));
      if (constraint.action() == v1::Constraint::ACTION_UNSPECIFIED) {
        return at.ErrorHere(
            absl::StrCat(what, ": action required (ACTION_REFUSE or ACTION_BLOCKER)"));
      }
      if (Blank(constraint.field())) return at.ErrorHere(absl::StrCat(what, ": field required"));
      if (Blank(constraint.message())) {
        return at.ErrorHere(absl::StrCat(what, ": message required"));
      }
      if (absl::Status s = CheckSourceKeys(at, what, constraint.source()); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Depth-first search in template order; the first back edge found closes the reported cycle.
  absl::Status CheckCycles() {
    std::vector<int> state(tmpl_.items_size(), 0);  // 0 unvisited, 1 on the path, 2 done
    std::vector<int> path;
    for (int i = 0; i < tmpl_.items_size(); ++i) {
      if (state[i] != 0) continue;
      if (absl::Status s = Visit(i, state, path); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status Visit(int index, std::vector<int>& state, std::vector<int>& path) {
    state[index] = 1;
    path.push_back(index);
    const v1::ItemDefinition& item = tmpl_.items(index);
    for (const v1::Dependency& dependency : item.depends_on()) {
      const int next = item_index_.at(dependency.code());
      if (state[next] == 1) return CycleError(path, next);
      if (state[next] == 0) {
        if (absl::Status s = Visit(next, state, path); !s.ok()) return s;
      }
    }
    path.pop_back();
    state[index] = 2;
    return absl::OkStatus();
  }

  absl::Status CycleError(const std::vector<int>& path, int start) {
    const auto first = std::find(path.begin(), path.end(), start);
    std::vector<std::string> codes;
    for (auto it = first; it != path.end(); ++it) codes.push_back(tmpl_.items(*it).code());
    codes.push_back(tmpl_.items(start).code());
    // Point at the dependency entry of the cycle's first item that leads into the cycle.
    const v1::ItemDefinition& item = tmpl_.items(start);
    const Locator at = root_.Child("items", start, item);
    int line = at.Line("code");
    for (int j = 0; j < item.depends_on_size(); ++j) {
      if (item.depends_on(j).code() == codes[1]) line = at.Line("depends_on", j);
    }
    return at.Error(line, absl::StrCat("dependency cycle: ", absl::StrJoin(codes, " -> ")));
  }

  absl::Status CheckTitles(const Locator& at, absl::string_view kind, absl::string_view code,
                           const std::string& title_en, const std::string& title_zh) {
    if (Blank(title_en)) return at.ErrorHere(absl::StrCat(kind, " ", code, ": title_en required"));
    if (Blank(title_zh)) return at.ErrorHere(absl::StrCat(kind, " ", code, ": title_zh required"));
    return absl::OkStatus();
  }

  absl::StatusOr<Condition> ParseCondition(const Locator& at, absl::string_view field,
                                           absl::string_view what, const std::string& text) {
    absl::StatusOr<Condition> condition = Condition::Parse(text, categories_, provinces_);
    if (!condition.ok()) {
      return at.ErrorAt(field, absl::StrCat(what, ": ", field, " \"", text,
                                            "\": ", condition.status().message()));
    }
    return condition;
  }

  absl::Status CheckSourceKeys(const Locator& at, absl::string_view what, const std::string& keys) {
    if (Blank(keys)) return absl::OkStatus();
    for (absl::string_view key : absl::StrSplit(keys, ',')) {
      key = absl::StripAsciiWhitespace(key);
      if (key.empty()) {
        return at.ErrorAt("source", absl::StrCat(what, ": empty key in source \"", keys, "\""));
      }
      if (source_keys_.count(std::string(key)) == 0) {
        return at.ErrorAt("source", absl::StrCat(what, ": source key '", key,
                                                 "' is not in the template's sources"));
      }
    }
    return absl::OkStatus();
  }

  const v1::Template& tmpl_;
  const Locator root_;
  std::set<std::string> source_keys_;
  std::set<std::string> groups_;
  std::set<std::string> categories_;
  std::set<std::string> provinces_;
  std::map<std::string, int> item_index_;
  Compiled compiled_;
};

// The always-true and never-true conditions, for lookups that find nothing.
const Condition& AlwaysTrue() {
  static const Condition* const kAlways = new Condition();
  return *kAlways;
}

const Condition& NeverTrue() {
  static const Condition* const kNever = new Condition(*Condition::Parse("false", {}));
  return *kNever;
}

}  // namespace

const v1::ItemDefinition* CompiledTemplate::FindItem(absl::string_view code) const {
  for (const v1::ItemDefinition& item : proto_.items()) {
    if (item.code() == code) return &item;
  }
  return nullptr;
}

bool CompiledTemplate::HasCategory(absl::string_view code) const {
  return std::any_of(proto_.categories().begin(), proto_.categories().end(),
                     [&](const v1::ServiceCategory& category) { return category.code() == code; });
}

bool CompiledTemplate::HasGroup(absl::string_view code) const {
  return std::any_of(proto_.groups().begin(), proto_.groups().end(),
                     [&](const v1::ItemGroup& group) { return group.code() == code; });
}

bool CompiledTemplate::HasProvince(absl::string_view code) const {
  return std::any_of(proto_.provinces().begin(), proto_.provinces().end(),
                     [&](const v1::Province& province) { return province.code() == code; });
}

const Condition& CompiledTemplate::AppliesWhen(absl::string_view code) const {
  const auto it = conditions_.applies_when.find(code);
  return it == conditions_.applies_when.end() ? AlwaysTrue() : it->second;
}

const Condition& CompiledTemplate::ConstraintWhen(int index) const {
  if (index < 0 || index >= static_cast<int>(conditions_.constraint_when.size())) {
    return NeverTrue();
  }
  return conditions_.constraint_when[index];
}

const v1::DurationRule* CompiledTemplate::MatchingDurationRule(const v1::ItemDefinition& definition,
                                                               const Profile& profile) const {
  const auto it = conditions_.duration_rule_when.find(definition.code());
  if (it == conditions_.duration_rule_when.end()) return nullptr;
  for (int i = 0; i < definition.duration_rules_size() && i < static_cast<int>(it->second.size());
       ++i) {
    if (it->second[i].Evaluate(profile)) return &definition.duration_rules(i);
  }
  return nullptr;
}

bool CompiledTemplate::MaterialNeeded(const v1::ItemDefinition& definition, int index,
                                      const Profile& profile) const {
  const auto it = conditions_.material_when.find(definition.code());
  if (it == conditions_.material_when.end() || index < 0 ||
      index >= static_cast<int>(it->second.size())) {
    return true;
  }
  return it->second[index].Evaluate(profile);
}

absl::StatusOr<CompiledTemplate> TemplateCatalog::Compile(const v1::Template& proto,
                                                          const std::string& source_name) {
  absl::StatusOr<Compiled> compiled = Validator(proto, source_name, nullptr).Run();
  if (!compiled.ok()) return compiled.status();
  CompiledTemplate result;
  result.proto_ = proto;
  result.source_path_ = source_name;
  result.conditions_ = *std::move(compiled);
  return result;
}

absl::StatusOr<CompiledTemplate> TemplateCatalog::CompileText(const std::string& text,
                                                              const std::string& source_name) {
  CompiledTemplate result;
  ParseInfoTree info;
  if (absl::Status s = ParseTextProto(text, source_name, &result.proto_, &info); !s.ok()) {
    return ExplainRenamedEnumValue(s);
  }
  absl::StatusOr<Compiled> compiled = Validator(result.proto_, source_name, &info).Run();
  if (!compiled.ok()) return compiled.status();
  result.source_path_ = source_name;
  result.conditions_ = *std::move(compiled);
  return result;
}

absl::StatusOr<TemplateCatalog> TemplateCatalog::LoadFromDirectories(
    const std::vector<std::string>& directories) {
  namespace fs = std::filesystem;
  TemplateCatalog catalog;
  for (const std::string& directory : directories) {
    std::error_code error;
    const fs::file_status status = fs::status(directory, error);
    if (status.type() == fs::file_type::not_found) continue;
    if (error) {
      return absl::PermissionDeniedError(absl::StrCat(directory, ": ", error.message()));
    }
    if (!fs::is_directory(status)) {
      return absl::InvalidArgumentError(absl::StrCat(directory, ": not a directory"));
    }
    std::vector<std::string> files;
    for (fs::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
      if (it->path().extension() == ".textproto" && it->is_regular_file()) {
        files.push_back(it->path().string());
      }
    }
    if (error) {
      return absl::PermissionDeniedError(absl::StrCat(directory, ": ", error.message()));
    }
    // Directory order is arbitrary; a sorted load makes "which file came first" reproducible.
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      CompiledTemplate compiled;
      ParseInfoTree info;
      if (absl::Status s = ParseTextProtoFile(file, &compiled.proto_, &info); !s.ok()) {
        return ExplainRenamedEnumValue(s);
      }
      absl::StatusOr<Compiled> checked = Validator(compiled.proto_, file, &info).Run();
      if (!checked.ok()) return checked.status();
      compiled.source_path_ = file;
      compiled.conditions_ = *std::move(checked);
      if (const CompiledTemplate* earlier = catalog.Find(compiled.id()); earlier != nullptr) {
        const int line = LineOf(info, compiled.proto_, "id");
        return absl::InvalidArgumentError(
            absl::StrCat(file, ":", std::max(line, 1), ": duplicate template id '", compiled.id(),
                         "' (already defined in ", earlier->source_path(), ")"));
      }
      const std::string id = compiled.id();
      catalog.templates_.emplace(id, std::move(compiled));
    }
  }
  return catalog;
}

const CompiledTemplate* TemplateCatalog::Find(absl::string_view id) const {
  const auto it = templates_.find(id);
  return it == templates_.end() ? nullptr : &it->second;
}

std::vector<const CompiledTemplate*> TemplateCatalog::templates() const {
  std::vector<const CompiledTemplate*> result;
  result.reserve(templates_.size());
  for (const auto& [id, compiled] : templates_) result.push_back(&compiled);
  return result;
}

}  // namespace preflight::checklist
