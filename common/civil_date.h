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

// The same day `months` months later; a day the target month lacks runs over into the next
// (Jan 31 + 1 month = Mar 3), as absl::CivilDay normalises.
absl::CivilDay AddMonths(absl::CivilDay day, int months);

}  // namespace preflight
