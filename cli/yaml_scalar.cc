#include "cli/yaml_scalar.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace preflight::cli {

bool PlainYamlIsAmbiguous(absl::string_view text) {
  if (text.empty()) return true;
  // Null and the YAML 1.1 booleans (y, n, yes, on, ...), in any case; "<<" merges, "=" is 1.1's
  // value key.
  static constexpr std::array<absl::string_view, 14> kWords = {
      "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "=", ".inf", ".nan"};
  for (absl::string_view word : kWords) {
    if (absl::EqualsIgnoreCase(text, word)) return true;
  }
  // Anything that starts like a number: ints in every base, floats, .inf, sexagesimal 12:30,
  // dates and timestamps all begin with an optional sign, then a digit or a dot.
  absl::string_view rest = text;
  if (rest[0] == '+' || rest[0] == '-') rest.remove_prefix(1);
  return !rest.empty() &&
         (absl::ascii_isdigit(static_cast<unsigned char>(rest[0])) || rest[0] == '.');
}

void EmitYamlString(YAML::Emitter& out, const std::string& text) {
  // SingleQuoted falls back to double quotes for text single quotes cannot hold (newlines).
  if (PlainYamlIsAmbiguous(text)) out << YAML::SingleQuoted;
  out << text;
}

}  // namespace preflight::cli
