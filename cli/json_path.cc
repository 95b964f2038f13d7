#include "cli/json_path.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace preflight::cli {
namespace {

using Json = nlohmann::ordered_json;

absl::Status Bad(absl::string_view what, absl::string_view text, size_t at) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, " at column ", at + 1, " of '", text.substr(0, 200), "'"));
}

bool IsNameChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '-'; }

void Step(const JsonPathStep& step, const Json& value, std::vector<Json>* out) {
  if (!step.key.empty()) {
    if (!value.is_object()) return;
    auto found = value.find(step.key);
    if (found != value.end()) out->push_back(*found);
    return;
  }
  if (!value.is_array()) return;
  if (step.all) {
    for (const Json& element : value) out->push_back(element);
  } else if (step.index >= 0 && static_cast<size_t>(step.index) < value.size()) {
    out->push_back(value[static_cast<size_t>(step.index)]);
  }
}

// One piece of a template: literal text, a path, or the start or end of a range.
struct Piece {
  enum Kind { kText, kPath, kRange, kEnd } kind = kText;
  std::string text;
  JsonPath path;
};

// "\n", "\t", "\\" and "\"" in a quoted literal.
std::string Unescape(absl::string_view quoted) {
  std::string out;
  for (size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] != '\\' || i + 1 == quoted.size()) {
      out += quoted[i];
      continue;
    }
    const char next = quoted[++i];
    out += next == 'n' ? '\n' : next == 't' ? '\t' : next == 'r' ? '\r' : next;
  }
  return out;
}

absl::StatusOr<std::vector<Piece>> Tokenize(absl::string_view text) {
  std::vector<Piece> pieces;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == absl::string_view::npos) {
      pieces.push_back({Piece::kText, std::string(text.substr(i)), {}});
      break;
    }
    if (open > i) pieces.push_back({Piece::kText, std::string(text.substr(i, open - i)), {}});
    const size_t close = text.find('}', open);
    if (close == absl::string_view::npos) return Bad("'{' without '}'", text, open);
    const absl::string_view body =
        absl::StripAsciiWhitespace(text.substr(open + 1, close - open - 1));
    if (body.size() >= 2 && body.front() == '"' && body.back() == '"') {
      pieces.push_back({Piece::kText, Unescape(body.substr(1, body.size() - 2)), {}});
    } else if (body == "end") {
      pieces.push_back({Piece::kEnd, "", {}});
    } else if (absl::StartsWith(body, "range ")) {
      absl::StatusOr<JsonPath> path = ParseJsonPath(absl::StripAsciiWhitespace(body.substr(6)));
      if (!path.ok()) return path.status();
      pieces.push_back({Piece::kRange, "", *std::move(path)});
    } else {
      absl::StatusOr<JsonPath> path = ParseJsonPath(body);
      if (!path.ok()) return path.status();
      pieces.push_back({Piece::kPath, "", *std::move(path)});
    }
    i = close + 1;
  }
  return pieces;
}

// Renders pieces[*at, the matching end) for `current`; leaves *at on that end (or the end of
// pieces).
absl::Status RenderPieces(const std::vector<Piece>& pieces, size_t* at, const Json& root,
                          const Json& current, std::string* out) {
  while (*at < pieces.size()) {
    const Piece& piece = pieces[*at];
    switch (piece.kind) {
      case Piece::kText:
        *out += piece.text;
        break;
      case Piece::kPath: {
        std::vector<std::string> texts;
        for (const Json& value : Evaluate(piece.path, root, current)) {
          texts.push_back(JsonPathText(value));
        }
        *out += absl::StrJoin(texts, " ");
        break;
      }
      case Piece::kRange: {
        const size_t body = *at + 1;
        size_t end = body;
        const std::vector<Json> elements = Evaluate(piece.path, root, current);
        for (const Json& element : elements) {
          end = body;
          if (absl::Status s = RenderPieces(pieces, &end, root, element, out); !s.ok()) return s;
        }
        if (elements.empty()) {
          // Find the matching end without rendering.
          int depth = 0;
          for (end = body; end < pieces.size(); ++end) {
            if (pieces[end].kind == Piece::kRange) ++depth;
            if (pieces[end].kind == Piece::kEnd && depth-- == 0) break;
          }
        }
        if (end >= pieces.size())
          return absl::InvalidArgumentError("jsonpath: {range} without {end}");
        *at = end;
        break;
      }
      case Piece::kEnd:
        return absl::OkStatus();
    }
    ++*at;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<JsonPath> ParseJsonPath(absl::string_view text) {
  JsonPath path;
  size_t i = 0;
  if (absl::StartsWith(text, "$")) {
    path.from_root = true;
    i = 1;
  } else if (absl::StartsWith(text, "@")) {
    i = 1;
  }
  if (i == text.size()) return path;
  if (text == ".") return path;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '.') {
      if (i + 1 < text.size() && text[i + 1] == '.') {
        return Bad("jsonpath: recursive descent (..) is not supported", text, i);
      }
      size_t end = i + 1;
      while (end < text.size() && IsNameChar(text[end])) ++end;
      if (end == i + 1) return Bad("jsonpath: a member name must follow '.'", text, i);
      path.steps.push_back({std::string(text.substr(i + 1, end - i - 1)), false, -1});
      i = end;
    } else if (c == '[') {
      const size_t close = text.find(']', i);
      if (close == absl::string_view::npos) return Bad("jsonpath: '[' without ']'", text, i);
      const absl::string_view inside = text.substr(i + 1, close - i - 1);
      JsonPathStep step;
      int index = 0;
      if (inside == "*") {
        step.all = true;
      } else if (absl::SimpleAtoi(inside, &index) && index >= 0) {
        step.index = index;
      } else {
        return Bad("jsonpath: only [*] and [N] are supported (no filters or slices)", text, i);
      }
      path.steps.push_back(step);
      i = close + 1;
    } else {
      return Bad("jsonpath: expected '.' or '['", text, i);
    }
  }
  return path;
}

std::vector<Json> Evaluate(const JsonPath& path, const Json& root, const Json& current) {
  std::vector<Json> values = {path.from_root ? root : current};
  for (const JsonPathStep& step : path.steps) {
    std::vector<Json> next;
    for (const Json& value : values) Step(step, value, &next);
    values = std::move(next);
  }
  return values;
}

std::string JsonPathText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

absl::StatusOr<std::string> RenderJsonPath(absl::string_view text, const Json& root) {
  if (text.empty()) return absl::InvalidArgumentError("-o jsonpath=: the template is empty");
  absl::StatusOr<std::vector<Piece>> pieces = Tokenize(text);
  if (!pieces.ok()) return pieces.status();
  std::string out;
  size_t at = 0;
  if (absl::Status s = RenderPieces(*pieces, &at, root, root, &out); !s.ok()) return s;
  if (at < pieces->size()) return absl::InvalidArgumentError("jsonpath: {end} without {range}");
  return out;
}

absl::StatusOr<std::vector<std::vector<std::string>>> CustomColumnRows(absl::string_view spec,
                                                                       const Json& root,
                                                                       absl::string_view list_key) {
  std::vector<std::string> headers;
  std::vector<JsonPath> paths;
  for (absl::string_view column : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    const size_t colon = column.find(':');
    if (colon == absl::string_view::npos || colon == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("-o custom-columns: each column is HEADER:PATH, e.g. NAME:.name, got '",
                       column.substr(0, 100), "'"));
    }
    // kubectl's paths may be written with or without braces.
    absl::string_view text = column.substr(colon + 1);
    absl::ConsumePrefix(&text, "{");
    absl::ConsumeSuffix(&text, "}");
    absl::StatusOr<JsonPath> path = ParseJsonPath(text);
    if (!path.ok()) return path.status();
    headers.emplace_back(column.substr(0, colon));
    paths.push_back(*std::move(path));
  }
  if (headers.empty()) {
    return absl::InvalidArgumentError("-o custom-columns=: give HEADER:PATH,... e.g. NAME:.name");
  }
  std::vector<const Json*> rows;
  if (list_key.empty()) {
    rows.push_back(&root);
  } else if (root.is_object()) {
    auto list = root.find(std::string(list_key));
    if (list != root.end() && list->is_array()) {
      for (const Json& element : *list) rows.push_back(&element);
    }
  }
  std::vector<std::vector<std::string>> table = {headers};
  for (const Json* row : rows) {
    std::vector<std::string> cells;
    for (const JsonPath& path : paths) {
      std::vector<std::string> texts;
      for (const Json& value : Evaluate(path, root, *row)) texts.push_back(JsonPathText(value));
      cells.push_back(texts.empty() ? "<none>" : absl::StrJoin(texts, ","));
    }
    table.push_back(std::move(cells));
  }
  return table;
}

}  // namespace preflight::cli
