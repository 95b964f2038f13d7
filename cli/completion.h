#pragma once

// Shell completion. `preflight completion bash|zsh|fish` prints a small script for the shell;
// the script calls `preflight __complete WORDS...` for the candidates, so commands, flags and
// their values are completed from the same tables the parser reads (command_specs.h), and the
// context names from the config file.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/global_options.h"

namespace preflight::cli {

// The script for `shell` ("bash", "zsh" or "fish").
absl::StatusOr<std::string> CompletionScript(absl::string_view shell);

// The candidates for the last of `words` (the words after the program name; the last is the one
// being completed and may be empty), one per line as "candidate\tdescription" (the description
// may be empty). Bash splits "--output=ya" into "--output", "=", "ya": a "=" word joins the flag
// to its value, and then only values are offered, as bash replaces just the text after "=".
std::string CompletionCandidates(const std::vector<std::string>& words, const Environment& env);

}  // namespace preflight::cli
