#pragma once

// "Did you mean": the known words close to a mistyped one.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace preflight::cli {

// Edit distance between `a` and `b`, ignoring ASCII case (insertions, deletions, substitutions,
// and swaps of two neighbours, each costing 1).
int EditDistance(absl::string_view a, absl::string_view b);

// The `candidates` that `word` may have meant, closest first, at most three: those within two
// edits (one for words of up to three letters), and those `word` is a prefix of.
std::vector<std::string> Suggest(absl::string_view word,
                                 const std::vector<std::string>& candidates);

}  // namespace preflight::cli
