#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight::auth {

// A bearer token as the caller holds it: "pft_{id}_{secret}". The id is public (it names the
// token, "tokens/{id}"); the secret is 32 random bytes, of which only a SHA-256 hash is stored.
// A plain hash suffices: the secret has 256 bits of entropy, so there is nothing to brute-force.
struct BearerToken {
  std::string id;
  std::string secret;

  std::string Text() const;
};

// A fresh token from OpenSSL's random generator.
absl::StatusOr<BearerToken> GenerateBearerToken();

// Splits a token's text. UNAUTHENTICATED when it is not shaped like one of ours; the message
// never repeats the text.
absl::StatusOr<BearerToken> ParseBearerToken(absl::string_view text);

// The token from an "authorization" metadata value ("Bearer <token>", scheme case-insensitive).
// UNAUTHENTICATED when the value is empty or another scheme.
absl::StatusOr<BearerToken> ParseAuthorizationHeader(absl::string_view value);

// What is stored: lowercase hex SHA-256 of the secret.
std::string HashTokenSecret(absl::string_view secret);

}  // namespace preflight::auth
