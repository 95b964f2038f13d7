#pragma once

#include "absl/status/statusor.h"
#include "common/auth/bearer_token.h"
#include "common/auth/principal.h"

namespace preflight::auth {

// Turns a presented bearer token into the principal it stands for. UNAUTHENTICATED for an
// unknown, revoked or malformed token; UNAVAILABLE when the authority cannot be asked.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual absl::StatusOr<Principal> Authenticate(const BearerToken& token) = 0;
};

}  // namespace preflight::auth
