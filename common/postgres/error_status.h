#pragma once

#include <exception>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace preflight {

// Maps a PostgreSQL SQLSTATE to a canonical status whose message starts with `context`:
// unique violation (23505) -> ALREADY_EXISTS; other integrity violations (class 23) ->
// FAILED_PRECONDITION; serialization failure and deadlock (class 40) -> ABORTED; connection
// failures (08), operator intervention such as a shutdown (57), and "cannot connect now"
// -> UNAVAILABLE; insufficient resources (53) -> RESOURCE_EXHAUSTED; data corruption (XX001,
// XX002) -> DATA_LOSS; anything else -> INTERNAL.
absl::Status PostgresSqlStateToStatus(absl::string_view sqlstate, absl::string_view message,
                                      absl::string_view context);

// The status of an exception libpqxx (or the code around it) threw: sql_error by its SQLSTATE;
// broken_connection -> UNAVAILABLE; in_doubt_error -> UNAVAILABLE saying the outcome is unknown;
// any other std::exception -> INTERNAL.
absl::Status PostgresExceptionToStatus(const std::exception& e, absl::string_view context);

// `url` with its password replaced by "***", for logs and error messages.
std::string RedactPostgresUrl(absl::string_view url);

}  // namespace preflight
