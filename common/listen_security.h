#pragma once

// Secure by default: a service reachable from other machines must encrypt its traffic and
// authenticate its callers. Listening on loopback (the one-command demo) needs neither.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight {

// True when a --listen address ("HOST:PORT", "[V6]:PORT") only accepts connections from this
// machine: 127.0.0.0/8, ::1 (also as ::ffff:127.x.x.x), "localhost", or a Unix socket
// ("unix:PATH", "unix-abstract:NAME"). Any other host, including 0.0.0.0, [::], an empty host and
// every other name, may be reachable from the network.
bool IsLoopbackListenAddress(absl::string_view listen);

struct ListenSecurity {
  // Empty, or one line for stderr when --insecure lets the service listen beyond loopback
  // without TLS or without authentication.
  std::string warning;
};

// Whether a service may listen on `listen`: always on loopback; elsewhere only with TLS and
// required authentication, or when `insecure` (the --insecure flag) accepts the risk, which
// comes with a warning. FAILED_PRECONDITION, naming the flags that would allow it, otherwise.
absl::StatusOr<ListenSecurity> CheckListenSecurity(absl::string_view listen, bool tls_enabled,
                                                   bool auth_enabled, bool insecure);

}  // namespace preflight
