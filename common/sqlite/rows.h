#pragma once

#include <type_traits>
#include <utility>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/status/statusor.h"

namespace preflight {
namespace sqlite_internal {

template <typename T>
struct RowValue {
  using type = T;
  static constexpr bool kFallible = false;
};
template <typename T>
struct RowValue<absl::StatusOr<T>> {
  using type = T;
  static constexpr bool kFallible = true;
};

template <typename ReadRow>
using RowOf = RowValue<std::decay_t<std::invoke_result_t<ReadRow&, SQLite::Statement&>>>;

}  // namespace sqlite_internal

// Steps `query` to its end and returns read_row(query) for each row, in order. `read_row` returns
// a row or an absl::StatusOr of one (a stored value that does not decode); the first failure is
// returned instead of the rows. Throws SQLite::Exception like SQLiteCpp does.
template <typename ReadRow, typename Row = typename sqlite_internal::RowOf<ReadRow>::type>
absl::StatusOr<std::vector<Row>> ReadSqliteRows(SQLite::Statement& query, ReadRow&& read_row) {
  std::vector<Row> rows;
  while (query.executeStep()) {
    if constexpr (sqlite_internal::RowOf<ReadRow>::kFallible) {
      absl::StatusOr<Row> row = read_row(query);
      if (!row.ok()) return row.status();
      rows.push_back(*std::move(row));
    } else {
      rows.push_back(read_row(query));
    }
  }
  return rows;
}

}  // namespace preflight
