#include "common/api/tenant_id.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/error_text.h"

namespace preflight::api {
namespace {

bool IsTenantChar(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' || c == '_' || c == '.';
}

}  // namespace

bool IsValidTenantId(absl::string_view tenant) {
  return !tenant.empty() && tenant.size() <= kMaxTenantLength &&
         absl::ascii_isalnum(tenant.front()) &&
         std::all_of(tenant.begin(), tenant.end(), IsTenantChar);
}

absl::Status ValidateTenantId(absl::string_view field, absl::string_view tenant) {
  if (tenant.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (tenant.size() > kMaxTenantLength) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": too long (", tenant.size(),
                                                   " bytes, at most ", kMaxTenantLength, ")"));
  }
  if (!IsValidTenantId(tenant)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", QuoteForError(tenant),
                     " is not a tenant id (lowercase letters, digits, '-', '_' or '.', starting "
                     "with a letter or digit)"));
  }
  return absl::OkStatus();
}

}  // namespace preflight::api
