#pragma once

// How both checklist stores (SQLite, PostgreSQL) keep the dates they index: "YYYY-MM-DD" text,
// never NULL, so that every filter is a plain comparison and every order a plain sort.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace preflight::checklist {

// "No date" / "never": sorts after every real date (an item without a latest start lists last;
// a bound of "never" is never reached).
inline constexpr absl::string_view kNoDay = "9999-12-31";

// The column text of `day`, kNoDay when unset.
std::string DayColumn(const std::optional<absl::CivilDay>& day);
// The day a column holds; unset for kNoDay (or text that is not a date).
std::optional<absl::CivilDay> DayFromColumn(const std::string& text);

}  // namespace preflight::checklist
