#pragma once

#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

// A boolean expression over a launch profile, as written in template files, e.g.
//   hosting == own_mainland_server && subject != individual
//   payments || category(ecommerce, food)
// Grammar and vocabulary: docs/templates.md.
class Condition {
 public:
  // The condition that is always true (an empty expression).
  Condition();
  ~Condition();
  Condition(const Condition& other);
  Condition& operator=(const Condition& other);
  Condition(Condition&&) noexcept;
  Condition& operator=(Condition&&) noexcept;

  // Parses `expression`; category and province codes must be in `known_categories` and
  // `known_provinces`. Errors are INVALID_ARGUMENT with the column and the problem, e.g.
  //   "column 12: unknown subject 'enterprize' (expected one of: enterprise, ...)".
  static absl::StatusOr<Condition> Parse(absl::string_view expression,
                                         const std::set<std::string>& known_categories,
                                         const std::set<std::string>& known_provinces = {});

  bool Evaluate(const Profile& profile) const;
  const std::string& text() const { return text_; }

  struct Node;  // defined in condition.cc

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;  // immutable, so copies may share it
};

}  // namespace preflight::checklist
