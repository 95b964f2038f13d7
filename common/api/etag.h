#pragma once

// Etags (AIP-154) of both services: opaque to clients, computed by the server from a resource's
// name and its version ("<version>-<12 hex digits of a hash of both>"). Only this file knows their
// form; a service that needs a version reads the resource's `version` field, never the etag.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight::api {

std::string MakeEtag(absl::string_view resource_name, int64_t version);

// The version `etag` stands for, or ABORTED "etag mismatch: ..." when it was not issued for
// `resource_name` (quoting at most a short prefix of it).
absl::StatusOr<int64_t> ParseEtag(absl::string_view etag, absl::string_view resource_name);

}  // namespace preflight::api
