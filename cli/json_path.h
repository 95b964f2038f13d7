#pragma once

// Field selection on the JSON of an answer, as kubectl does it: -o jsonpath=TEMPLATE and
// -o custom-columns=SPEC. The subset kubectl users write most:
//   {.name}  {.items[0].code}  {.items[*].code}  {$.name}  {range .items[*]}...{end}
//   {"\t"} and {"\n"} for separators, plain text kept as it is.
// Filters ([?(@.x==1)]), slices and recursive descent (..) are not supported; the error says so.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace preflight::cli {

// A path of a template: ".items[*].code" as {"items", *, "code"}.
struct JsonPathStep {
  std::string key;   // a member name, or empty for an index step
  bool all = false;  // [*]
  int index = -1;    // [n]
};
struct JsonPath {
  bool from_root = false;  // "$.a": from the answer, not from the current element of a range
  std::vector<JsonPathStep> steps;
};

// ".items[*].code", "$.name", "@.code", or "." for the current value. INVALID_ARGUMENT naming
// the position for anything else.
absl::StatusOr<JsonPath> ParseJsonPath(absl::string_view text);

// The values `path` reaches from `current` (or `root`), in document order; none when a member is
// missing.
std::vector<nlohmann::ordered_json> Evaluate(const JsonPath& path,
                                             const nlohmann::ordered_json& root,
                                             const nlohmann::ordered_json& current);

// A value as jsonpath prints it: strings without quotes, other scalars as JSON, objects and
// arrays as compact JSON.
std::string JsonPathText(const nlohmann::ordered_json& value);

// Renders a jsonpath template against `root`. Several values of one path are joined by spaces,
// as kubectl does.
absl::StatusOr<std::string> RenderJsonPath(absl::string_view text,
                                           const nlohmann::ordered_json& root);

// -o custom-columns=NAME:.name,TARGET:.targetLaunchDate: the header row, then one row per
// element of root[list_key] (none when it is absent: an empty list), or one row for the answer
// itself when list_key is empty. "<none>" for a path that reaches nothing; several values joined
// by commas. The CLI draws the rows as a table.
absl::StatusOr<std::vector<std::vector<std::string>>> CustomColumnRows(
    absl::string_view spec, const nlohmann::ordered_json& root, absl::string_view list_key);

}  // namespace preflight::cli
