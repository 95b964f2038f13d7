#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/condition.h"
#include "preflight/v1/template.pb.h"

namespace preflight::checklist {

inline constexpr absl::string_view kDefaultTemplateId = "wechat-miniprogram-cn";
// The group of custom items (AddItem) that name none of their template's groups.
inline constexpr absl::string_view kCustomItemGroup = "custom";

// Every condition of a template, parsed once when it loads.
struct TemplateConditions {
  // Item code -> applies_when.
  std::map<std::string, Condition, std::less<>> applies_when;
  // Constraint index -> when.
  std::vector<Condition> constraint_when;
  // Item code -> the `when` of each duration rule, in order.
  std::map<std::string, std::vector<Condition>, std::less<>> duration_rule_when;
  // Item code -> the `when` of each material, in order.
  std::map<std::string, std::vector<Condition>, std::less<>> material_when;
};

// A validated template with its conditions parsed.
class CompiledTemplate {
 public:
  const v1::Template& proto() const { return proto_; }
  const std::string& id() const { return proto_.id(); }
  // Where it was loaded from (for messages).
  const std::string& source_path() const { return source_path_; }

  const v1::ItemDefinition* FindItem(absl::string_view code) const;
  bool HasCategory(absl::string_view code) const;
  bool HasGroup(absl::string_view code) const;
  bool HasProvince(absl::string_view code) const;
  // Condition of item `code` (always-true when the item has no applies_when).
  const Condition& AppliesWhen(absl::string_view code) const;
  // Condition of constraint number `index` in proto().constraints().
  const Condition& ConstraintWhen(int index) const;
  // The first duration rule of item `code` that holds for `profile`; nullptr when none does.
  const v1::DurationRule* MatchingDurationRule(const v1::ItemDefinition& definition,
                                               const Profile& profile) const;
  // Whether material number `index` of item `definition` is needed for `profile`.
  bool MaterialNeeded(const v1::ItemDefinition& definition, int index,
                      const Profile& profile) const;

 private:
  friend class TemplateCatalog;
  v1::Template proto_;
  std::string source_path_;
  TemplateConditions conditions_;
};

// Every template the service knows, loaded once at start-up. Immutable afterwards.
class TemplateCatalog {
 public:
  // Loads every "*.textproto" file in the directories, in order (missing directories are
  // skipped). A broken template fails the whole load with INVALID_ARGUMENT
  // "PATH:LINE: problem": syntax errors, unknown fields, duplicate template ids or item codes,
  // unknown dependencies or groups, dependency cycles (the message lists the cycle), conditions
  // that do not parse, missing titles or durations, min > typical > max.
  static absl::StatusOr<TemplateCatalog> LoadFromDirectories(
      const std::vector<std::string>& directories);

  // Validates and compiles one template already in memory; `source_name` stands for its path.
  static absl::StatusOr<CompiledTemplate> Compile(const v1::Template& proto,
                                                  const std::string& source_name);
  // Parses text-format `text` and compiles it (used by tests and the loader).
  static absl::StatusOr<CompiledTemplate> CompileText(const std::string& text,
                                                      const std::string& source_name);

  const CompiledTemplate* Find(absl::string_view id) const;
  // All templates, ordered by id.
  std::vector<const CompiledTemplate*> templates() const;

 private:
  std::map<std::string, CompiledTemplate, std::less<>> templates_;
};

}  // namespace preflight::checklist
