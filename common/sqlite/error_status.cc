#include "common/sqlite/error_status.h"

#include <sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace preflight {

absl::Status SqliteErrorToStatus(int extended_code, absl::string_view message,
                                 absl::string_view context) {
  const std::string text = absl::StrCat(context, ": ", message);
  switch (extended_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(text);
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError(text);
    case SQLITE_CONSTRAINT:
      switch (extended_code) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_ROWID:
          return absl::AlreadyExistsError(text);
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return absl::FailedPreconditionError(text);
        default:
          return absl::InternalError(text);
      }
    case SQLITE_READONLY:
      return absl::FailedPreconditionError(absl::StrCat(context, ": database is read-only"));
    case SQLITE_CANTOPEN:
      // A missing folder, a file without permission, a read-only file system: the setup.
      return absl::FailedPreconditionError(text);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(text);
    default:
      return absl::InternalError(text);
  }
}

absl::Status SqliteErrorToStatus(const SQLite::Exception& e, absl::string_view context) {
  // An exception built from a bare result code (not read off a connection) has no extended code.
  const int code = e.getExtendedErrorCode() >= 0 ? e.getExtendedErrorCode() : e.getErrorCode();
  return SqliteErrorToStatus(code, e.what(), context);
}

}  // namespace preflight
