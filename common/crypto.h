#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(absl::string_view key, absl::string_view data);

// Compares two strings in time independent of where they differ (for MACs).
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// `n` random bytes from OpenSSL; INTERNAL when OpenSSL has none.
absl::StatusOr<std::string> RandomSecretBytes(int n);

}  // namespace preflight
