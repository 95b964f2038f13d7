#pragma once

// Times are stored as INTEGER unix microseconds; an absent optional time as NULL.

#include <optional>

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Statement.h"
#include "absl/time/time.h"

namespace preflight {

// Binds `time` to parameter `index` of `statement`, NULL when absent.
void BindOptionalTime(SQLite::Statement& statement, int index,
                      const std::optional<absl::Time>& time);

// The time in `column`, absent when it is NULL.
std::optional<absl::Time> OptionalTimeColumn(const SQLite::Column& column);

}  // namespace preflight
