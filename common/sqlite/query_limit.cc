#include "common/sqlite/query_limit.h"

#include "absl/strings/str_cat.h"

namespace preflight {

absl::Status CheckQueryLimit(int limit) {
  if (limit <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("limit must be positive, got ", limit));
  }
  return absl::OkStatus();
}

}  // namespace preflight
