#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace preflight {

// Parses a strict "YYYY-MM-DD" civil date (no time, no offset). Returns nullopt for anything
// else, including impossible dates such as 2026-02-30.
std::optional<absl::CivilDay> ParseCivilDay(absl::string_view text);

// Formats as "YYYY-MM-DD".
std::string FormatCivilDay(absl::CivilDay day);

bool IsWeekend(absl::CivilDay day);

}  // namespace preflight
