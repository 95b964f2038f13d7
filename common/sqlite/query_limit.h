#pragma once

#include "absl/status/status.h"

namespace preflight {

// INVALID_ARGUMENT unless `limit` (a page size bound into a LIMIT clause) is positive: SQLite
// reads a negative LIMIT as "no limit", which would turn a page into the whole table.
absl::Status CheckQueryLimit(int limit);

}  // namespace preflight
