#pragma once

#include "SQLiteCpp/Exception.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace preflight {

// Maps an SQLite failure to a canonical status whose message starts with `context`:
// BUSY/LOCKED -> UNAVAILABLE, FULL -> RESOURCE_EXHAUSTED, unique/primary-key constraint ->
// ALREADY_EXISTS, foreign-key constraint, READONLY and CANTOPEN -> FAILED_PRECONDITION,
// CORRUPT/NOTADB -> DATA_LOSS, anything else -> INTERNAL.
absl::Status SqliteErrorToStatus(int extended_code, absl::string_view message,
                                 absl::string_view context);
absl::Status SqliteErrorToStatus(const SQLite::Exception& e, absl::string_view context);

}  // namespace preflight
