#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight::notifier {

// Reads a secret named by reference at the moment it is needed, so the database and the API
// only ever hold the reference: "env:NAME" (an environment variable) or "file:/path" (the file's
// contents, without a trailing newline). An empty reference is an empty secret.
// INVALID_ARGUMENT for any other form; FAILED_PRECONDITION when the variable or file is missing.
// Messages name the reference, never the value.
absl::StatusOr<std::string> ResolveSecret(absl::string_view ref);

// Whether `ref` has one of the accepted forms (or is empty).
bool IsValidSecretRef(absl::string_view ref);

}  // namespace preflight::notifier
