#pragma once

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sqlite/reader_writer.h"

namespace preflight {

// Makes the bytes of a new secret (e.g. RandomSecretBytes from common/crypto.h); kept apart so
// this library needs no crypto library and tests can make it fail.
using SqliteSecretGenerator = absl::FunctionRef<absl::StatusOr<std::string>()>;

// The value kept under `name` in the table secrets(name TEXT PRIMARY KEY, value BLOB), which the
// database's migrations create. When there is none yet, `generate` makes one and it is inserted
// in one IMMEDIATE transaction; when two processes race, the first insert wins and both get its
// value. Errors start with "secret '<name>'"; a failing `generate` is INTERNAL.
absl::StatusOr<std::string> GetOrCreateSqliteSecret(SqliteReaderWriter& db, absl::string_view name,
                                                    SqliteSecretGenerator generate);

}  // namespace preflight
