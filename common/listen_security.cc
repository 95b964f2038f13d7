#include "common/listen_security.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace preflight {
namespace {

// The host part of "HOST:PORT", "[V6]:PORT", or of a bare host.
std::string HostOf(absl::string_view listen) {
  // gRPC also accepts URI-style "ipv4:" and "ipv6:" prefixes.
  for (absl::string_view scheme : {"ipv4:", "ipv6:", "dns:"}) {
    if (absl::StartsWithIgnoreCase(listen, scheme)) {
      listen.remove_prefix(scheme.size());
      break;
    }
  }
  if (absl::StartsWith(listen, "[")) {
    // Malformed without the closing bracket: no host, so never loopback.
    const size_t close = listen.find(']');
    if (close == absl::string_view::npos) return "";
    return std::string(listen.substr(1, close - 1));
  }
  const size_t colons = std::count(listen.begin(), listen.end(), ':');
  if (colons == 0) return std::string(listen);
  // One colon: HOST:PORT. More: an unbracketed IPv6 address, perhaps with a port.
  if (colons == 1) return std::string(listen.substr(0, listen.find(':')));
  const std::string whole(listen);
  in6_addr address;
  if (inet_pton(AF_INET6, whole.c_str(), &address) == 1) return whole;
  return std::string(listen.substr(0, listen.rfind(':')));
}

bool IsLoopbackIpv4(const in_addr& address) { return (ntohl(address.s_addr) >> 24) == 127; }

}  // namespace

bool IsLoopbackListenAddress(absl::string_view listen) {
  if (absl::StartsWith(listen, "unix:") || absl::StartsWith(listen, "unix-abstract:")) {
    return true;
  }
  const std::string host = HostOf(listen);
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return IsLoopbackIpv4(v4);
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
      in_addr mapped;
      std::copy(v6.s6_addr + 12, v6.s6_addr + 16, reinterpret_cast<unsigned char*>(&mapped));
      return IsLoopbackIpv4(mapped);
    }
  }
  return false;
}

absl::StatusOr<ListenSecurity> CheckListenSecurity(absl::string_view listen, bool tls_enabled,
                                                   bool auth_enabled, bool insecure) {
  ListenSecurity result;
  if (IsLoopbackListenAddress(listen) || (tls_enabled && auth_enabled)) return result;
  std::vector<std::string> missing;
  if (!tls_enabled) missing.push_back("TLS (--tls_cert and --tls_key)");
  if (!auth_enabled) missing.push_back("required authentication (--require_auth)");
  const std::string without = absl::StrJoin(missing, " and ");
  if (!insecure) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to listen on ", listen, " without ", without,
        ": it is not a loopback address, so other machines could connect. Configure them, "
        "listen on 127.0.0.1, or pass --insecure to accept the risk"));
  }
  result.warning =
      absl::StrCat("WARNING: --insecure: accepting connections on ", listen, " without ", without,
                   "; anyone who can reach this address can call it");
  return result;
}

}  // namespace preflight
