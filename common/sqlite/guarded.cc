#include "common/sqlite/guarded.h"

#include "absl/strings/str_cat.h"

namespace preflight::sqlite_internal {

absl::Status ExceptionToStatus(const std::exception& e, absl::string_view context) {
  return absl::InternalError(absl::StrCat(context, ": ", e.what()));
}

}  // namespace preflight::sqlite_internal
