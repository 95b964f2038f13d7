#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight::notifier {

// Reads a secret named by reference at the moment it is needed, so the database and the API
// only ever hold the reference: "env:NAME" (an environment variable; NAME is letters, digits and
// '_', not starting with a digit) or "file:/path" (an absolute path; the file's contents without
// trailing newlines). An empty reference is an empty secret (the channel does not sign).
// INVALID_ARGUMENT for any other form; FAILED_PRECONDITION when the variable or file is missing,
// unreadable or empty. Messages name the reference, never a value: an invalid reference is not
// quoted either, since it may be a secret pasted in by mistake.
absl::StatusOr<std::string> ResolveSecret(absl::string_view ref);

// Whether `ref` has one of the accepted forms (or is empty).
bool IsValidSecretRef(absl::string_view ref);

}  // namespace preflight::notifier
