#include "cli/suggest.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace preflight::cli {

int EditDistance(absl::string_view a, absl::string_view b) {
  const std::string x = absl::AsciiStrToLower(a);
  const std::string y = absl::AsciiStrToLower(b);
  // Optimal string alignment: Levenshtein plus adjacent transpositions.
  std::vector<std::vector<int>> d(x.size() + 1, std::vector<int>(y.size() + 1, 0));
  for (size_t i = 0; i <= x.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= y.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= x.size(); ++i) {
    for (size_t j = 1; j <= y.size(); ++j) {
      const int cost = x[i - 1] == y[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.size()][y.size()];
}

std::vector<std::string> Suggest(absl::string_view word,
                                 const std::vector<std::string>& candidates) {
  if (word.empty()) return {};
  const int limit = word.size() <= 3 ? 1 : 2;
  std::vector<std::pair<int, std::string>> close;
  for (const std::string& candidate : candidates) {
    const int distance = EditDistance(word, candidate);
    if (distance <= limit) {
      close.emplace_back(distance, candidate);
    } else if (word.size() >= 2 && absl::StartsWithIgnoreCase(candidate, word)) {
      close.emplace_back(limit + 1, candidate);
    }
  }
  std::stable_sort(close.begin(), close.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [distance, candidate] : close) {
    if (out.size() == 3) break;
    out.push_back(std::move(candidate));
  }
  return out;
}

}  // namespace preflight::cli
