#pragma once

// The one tenant-id rule of both services: launches, recipients and tokens belong to a tenant,
// and every tenant that arrives in a request (a resource's tenant, a list or watch filter, a
// subscription, a recipient's name) is checked against it.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/api/limits.h"

namespace preflight::api {

// Lowercase ASCII letters, digits, '-', '_' or '.', starting with a letter or digit, 1 to
// kMaxTenantLength bytes.
bool IsValidTenantId(absl::string_view tenant);

// OK for a valid tenant id; otherwise INVALID_ARGUMENT naming `field`: "required" for an empty
// one, else what is wrong, quoting at most a short prefix of `tenant`.
absl::Status ValidateTenantId(absl::string_view field, absl::string_view tenant);

}  // namespace preflight::api
