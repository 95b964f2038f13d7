#pragma once

#include "absl/status/statusor.h"
#include "common/api/metadata_keys.h"
#include "common/auth/authenticator.h"
#include "common/auth/principal.h"
#include "grpcpp/server_context.h"

namespace preflight::auth {

// The gRPC edge of authentication: finds the bearer token in a call's metadata, authenticates it
// and checks the RPC's permission. Every handler calls Authorize first.
class CallAuthorizer {
 public:
  // `authenticator` == nullptr turns authentication off: every call is UnauthenticatedPrincipal()
  // (the loopback demo). The authenticator must outlive this object.
  explicit CallAuthorizer(Authenticator* authenticator) : authenticator_(authenticator) {}

  bool enabled() const { return authenticator_ != nullptr; }

  // UNAUTHENTICATED when the token is missing or not valid; PERMISSION_DENIED when its role
  // lacks `permission`. Notes the caller on the call's log line (rpc_observer.h).
  absl::StatusOr<Principal> Authorize(const grpc::ServerContextBase& context,
                                      Permission permission) const;

 private:
  Authenticator* const authenticator_;
};

}  // namespace preflight::auth
