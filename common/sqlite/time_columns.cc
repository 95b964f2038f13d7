#include "common/sqlite/time_columns.h"

namespace preflight {

void BindOptionalTime(SQLite::Statement& statement, int index,
                      const std::optional<absl::Time>& time) {
  if (time.has_value()) {
    statement.bind(index, absl::ToUnixMicros(*time));
  } else {
    statement.bind(index);  // NULL
  }
}

std::optional<absl::Time> OptionalTimeColumn(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return absl::FromUnixMicros(column.getInt64());
}

}  // namespace preflight
