#include "notifier-service/domain/url_safety.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace preflight::notifier {
namespace {

absl::Status Invalid(absl::string_view problem) { return absl::InvalidArgumentError(problem); }

bool IsSchemeChar(char c) { return absl::ascii_isalnum(c) || c == '+' || c == '-' || c == '.'; }

bool IsHostNameChar(char c) { return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_'; }

// A path segment that is probably a credential: long and token-like.
bool LooksLikeToken(absl::string_view segment) {
  if (segment.size() >= 32) return true;
  if (segment.size() < 16) return false;
  return std::any_of(segment.begin(), segment.end(), [](char c) { return absl::ascii_isdigit(c); });
}

// Feishu and Lark custom bots put their token in the path: /open-apis/bot/v2/hook/<token>; Slack
// incoming webhooks end in /services/T.../B.../<secret>.
bool LastSegmentIsSecret(const UrlParts& parts) {
  if (absl::StartsWith(parts.path, "/open-apis/bot/")) return true;
  if (absl::StartsWith(parts.path, "/services/") &&
      (parts.host == "hooks.slack.com" || absl::EndsWith(parts.host, ".slack.com"))) {
    return true;
  }
  return false;
}

std::string RedactPath(const UrlParts& parts) {
  std::vector<std::string> segments = absl::StrSplit(parts.path, '/');
  int last = -1;
  for (int i = static_cast<int>(segments.size()) - 1; i >= 0; --i) {
    if (!segments[i].empty()) {
      last = i;
      break;
    }
  }
  const bool last_secret = LastSegmentIsSecret(parts);
  for (int i = 0; i < static_cast<int>(segments.size()); ++i) {
    if (segments[i].empty()) continue;
    if ((last_secret && i == last) || LooksLikeToken(segments[i])) {
      segments[i] = std::string(kRedacted);
    }
  }
  return absl::StrJoin(segments, "/");
}

std::string RedactQuery(absl::string_view query) {
  std::vector<std::string> params;
  for (absl::string_view param : absl::StrSplit(query, '&')) {
    const size_t equals = param.find('=');
    if (equals == absl::string_view::npos) {
      // A bare value ("?abcdef...") may itself be the secret.
      params.push_back(LooksLikeToken(param) ? std::string(kRedacted) : std::string(param));
    } else if (equals + 1 == param.size()) {
      params.push_back(std::string(param));
    } else {
      params.push_back(absl::StrCat(param.substr(0, equals + 1), kRedacted));
    }
  }
  return absl::StrJoin(params, "&");
}

bool ParseIpv4(absl::string_view text, in_addr* out) {
  const std::string copy(text);
  return inet_pton(AF_INET, copy.c_str(), out) == 1;
}

bool ParseIpv6(absl::string_view text, in6_addr* out) {
  const std::string copy(text);
  return inet_pton(AF_INET6, copy.c_str(), out) == 1;
}

bool IsNonPublicIpv4(uint32_t a) {
  const auto in = [a](uint32_t network, int bits) {
    const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    return (a & mask) == (network & mask);
  };
  return in(0x00000000, 8) ||   // "this network", 0.0.0.0
         in(0x0A000000, 8) ||   // 10/8
         in(0x64400000, 10) ||  // 100.64/10, carrier-grade NAT
         in(0x7F000000, 8) ||   // loopback
         in(0xA9FE0000, 16) ||  // link-local, cloud metadata
         in(0xAC100000, 12) ||  // 172.16/12
         in(0xC0000000, 24) ||  // IETF protocol assignments
         in(0xC0A80000, 16) ||  // 192.168/16
         in(0xC6120000, 15) ||  // benchmarking
         in(0xE0000000, 4) ||   // multicast
         in(0xF0000000, 4);     // reserved, broadcast
}

bool IsNonPublicIpv6(const in6_addr& address) {
  const uint8_t* b = address.s6_addr;
  static const uint8_t kZero[16] = {0};
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return true;  // ::, ::1
  if ((b[0] & 0xFE) == 0xFC) return true;                                         // fc00::/7
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return true;                         // fe80::/10
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return true;  // fec0::/10, deprecated site-local
  if (b[0] == 0xFF) return true;                           // multicast
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms: judge the IPv4 address.
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kZero, 12) == 0) {
    const uint32_t v4 = (uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) |
                        uint32_t{b[15]};
    return IsNonPublicIpv4(v4);
  }
  // NAT64 (64:ff9b::/96) reaches whatever IPv4 address it embeds.
  static const uint8_t kNat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kNat64, 12) == 0) {
    const uint32_t v4 = (uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) |
                        uint32_t{b[15]};
    return IsNonPublicIpv4(v4);
  }
  return false;
}

bool IsIpLiteral(const UrlParts& parts) {
  in_addr v4;
  return parts.ipv6_literal || ParseIpv4(parts.host, &v4);
}

}  // namespace

absl::StatusOr<UrlParts> SplitUrl(absl::string_view url) {
  const size_t separator = url.find("://");
  if (separator == absl::string_view::npos || separator == 0) {
    return Invalid("not a URL (expected scheme://host/...)");
  }
  const absl::string_view scheme = url.substr(0, separator);
  if (!absl::ascii_isalpha(scheme.front()) ||
      !std::all_of(scheme.begin(), scheme.end(), IsSchemeChar)) {
    return Invalid("the URL's scheme is malformed");
  }
  UrlParts parts;
  parts.scheme = absl::AsciiStrToLower(scheme);
  absl::string_view rest = url.substr(separator + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, authority_end);
  rest =
      authority_end == absl::string_view::npos ? absl::string_view() : rest.substr(authority_end);

  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) {
    parts.has_userinfo = true;
    parts.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  absl::string_view port;
  if (absl::StartsWith(authority, "[")) {
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) return Invalid("the URL's IPv6 host has no ']'");
    const absl::string_view host = authority.substr(1, close - 1);
    in6_addr ignored;
    if (!ParseIpv6(host, &ignored)) return Invalid("the URL's IPv6 host is malformed");
    parts.host = absl::AsciiStrToLower(host);
    parts.ipv6_literal = true;
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Invalid("the URL has text after its IPv6 host");
      port = after.substr(1);
      if (port.empty()) return Invalid("the URL's port is empty");
    }
  } else {
    const size_t colon = authority.rfind(':');
    absl::string_view host = authority;
    if (colon != absl::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.empty()) return Invalid("the URL's port is empty");
    }
    if (host.empty()) return Invalid("the URL has no host");
    if (!std::all_of(host.begin(), host.end(), IsHostNameChar)) {
      return Invalid("the URL's host holds characters a host name cannot have");
    }
    parts.host = absl::AsciiStrToLower(host);
  }
  if (!port.empty()) {
    int number = 0;
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(port, &number) || number < 1 || number > 65535) {
      return Invalid("the URL's port must be a number from 1 to 65535");
    }
    parts.port = std::string(port);
  }
  const size_t hash = rest.find('#');
  if (hash != absl::string_view::npos) {
    parts.has_fragment = true;
    parts.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  const size_t question = rest.find('?');
  if (question != absl::string_view::npos) {
    parts.has_query = true;
    parts.query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  parts.path = std::string(rest);
  return parts;
}

std::string EffectivePort(const UrlParts& parts) {
  if (!parts.port.empty()) return parts.port;
  return parts.scheme == "http" ? "80" : "443";
}

std::string RedactUrl(absl::string_view url) {
  absl::StatusOr<UrlParts> parts = SplitUrl(url);
  if (!parts.ok()) return std::string(kRedacted);
  std::string out = absl::StrCat(parts->scheme, "://");
  if (parts->has_userinfo) absl::StrAppend(&out, kRedacted, "@");
  if (parts->ipv6_literal) {
    absl::StrAppend(&out, "[", parts->host, "]");
  } else {
    absl::StrAppend(&out, parts->host);
  }
  if (!parts->port.empty()) absl::StrAppend(&out, ":", parts->port);
  absl::StrAppend(&out, RedactPath(*parts));
  if (parts->has_query) absl::StrAppend(&out, "?", RedactQuery(parts->query));
  if (parts->has_fragment) absl::StrAppend(&out, "#", parts->fragment.empty() ? "" : kRedacted);
  return out;
}

std::string RedactSecrets(absl::string_view text) {
  std::string out;
  size_t copied = 0;
  size_t search = 0;
  while (true) {
    const size_t separator = text.find("://", search);
    if (separator == absl::string_view::npos) break;
    size_t start = separator;
    while (start > copied && IsSchemeChar(text[start - 1])) --start;
    // The scheme must begin with a letter.
    while (start < separator && !absl::ascii_isalpha(text[start])) ++start;
    size_t end = separator + 3;
    while (end < text.size()) {
      const unsigned char c = static_cast<unsigned char>(text[end]);
      if (c <= 0x20 || c == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
          c == '\\') {
        break;
      }
      ++end;
    }
    if (start == separator) {
      search = separator + 3;
      continue;
    }
    absl::StrAppend(&out, text.substr(copied, start - copied),
                    RedactUrl(text.substr(start, end - start)));
    copied = end;
    search = end;
  }
  absl::StrAppend(&out, text.substr(copied));
  return out;
}

std::string RedactValue(absl::string_view text, absl::string_view secret) {
  if (secret.empty()) return std::string(text);
  return absl::StrReplaceAll(text, {{secret, kRedacted}});
}

bool IsRedactedFormOf(absl::string_view candidate, absl::string_view full) {
  return absl::StrContains(candidate, kRedacted) && RedactUrl(full) == candidate;
}

bool IsLoopbackHost(absl::string_view host) {
  if (host == "localhost") return true;
  in_addr v4;
  if (ParseIpv4(host, &v4)) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  if (ParseIpv6(host, &v6)) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

bool IsNonPublicAddress(absl::string_view address) {
  in_addr v4;
  if (ParseIpv4(address, &v4)) return IsNonPublicIpv4(ntohl(v4.s_addr));
  in6_addr v6;
  if (ParseIpv6(address, &v6)) return IsNonPublicIpv6(v6);
  return false;
}

bool IsAllowListedHost(absl::string_view host, const std::vector<std::string>& allow_hosts) {
  return std::any_of(allow_hosts.begin(), allow_hosts.end(), [host](const std::string& allowed) {
    absl::string_view name = allowed;
    // "[::1]" and "::1" both name the IPv6 host.
    if (absl::StartsWith(name, "[") && absl::EndsWith(name, "]")) {
      name = name.substr(1, name.size() - 2);
    }
    return !name.empty() && absl::EqualsIgnoreCase(name, host);
  });
}

absl::Status CheckWebhookUrl(absl::string_view url, const std::vector<std::string>& allow_hosts) {
  for (const char c : url) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F || c == '\\') {
      return Invalid("the URL holds whitespace, a control character or a backslash");
    }
  }
  absl::StatusOr<UrlParts> parts = SplitUrl(url);
  if (!parts.ok()) return parts.status();
  if (parts->scheme != "https" && parts->scheme != "http") {
    return Invalid(absl::StrCat("scheme '", parts->scheme, "' is not allowed: use https"));
  }
  if (parts->has_userinfo) {
    return Invalid("the URL must not carry user:password@ (put credentials in the path or query)");
  }
  const bool allowed = IsAllowListedHost(parts->host, allow_hosts);
  const bool loopback = IsLoopbackHost(parts->host);
  if (parts->scheme == "http" && !loopback && !allowed) {
    return Invalid(
        absl::StrCat("http is allowed only for loopback hosts and hosts in "
                     "--http_allow_hosts; use https for '",
                     parts->host, "'"));
  }
  if (!parts->ipv6_literal) {
    in_addr ignored;
    const std::string host = parts->host;
    // inet_aton takes the legacy forms ("2130706433", "0x7f.1") that inet_pton refuses; they
    // would hide an internal address from the literal check below.
    if (!ParseIpv4(host, &ignored) && inet_aton(host.c_str(), &ignored) != 0) {
      return Invalid(absl::StrCat("host '", host,
                                  "' is a numeric address in a legacy form: write "
                                  "it as a dotted quad"));
    }
  }
  if (IsIpLiteral(*parts) && !loopback && !allowed && IsNonPublicAddress(parts->host)) {
    return Invalid(absl::StrCat("host ", parts->host,
                                " is a private, link-local or reserved address; only loopback and "
                                "hosts in --http_allow_hosts may be internal"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ResolveHost(const std::string& host) {
  addrinfo hints;
  std::memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  const int error = getaddrinfo(host.c_str(), nullptr, &hints, &raw);
  if (error != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve host '", host, "': ", gai_strerror(error)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> results(raw, &freeaddrinfo);
  std::vector<std::string> addresses;
  for (const addrinfo* ai = results.get(); ai != nullptr; ai = ai->ai_next) {
    char text[INET6_ADDRSTRLEN] = {0};
    if (ai->ai_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr, text,
                sizeof text);
    } else if (ai->ai_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr, text,
                sizeof text);
    } else {
      continue;
    }
    if (std::find(addresses.begin(), addresses.end(), text) == addresses.end()) {
      addresses.emplace_back(text);
    }
  }
  if (addresses.empty()) {
    return absl::UnavailableError(absl::StrCat("host '", host, "' has no IP address"));
  }
  return addresses;
}

absl::StatusOr<std::vector<std::string>> CheckDestination(
    absl::string_view url, const std::vector<std::string>& allow_hosts,
    const HostResolver& resolver) {
  if (absl::Status s = CheckWebhookUrl(url, allow_hosts); !s.ok()) return s;
  absl::StatusOr<UrlParts> parts = SplitUrl(url);
  if (!parts.ok()) return parts.status();
  if (IsIpLiteral(*parts) || IsAllowListedHost(parts->host, allow_hosts)) {
    return std::vector<std::string>();
  }
  absl::StatusOr<std::vector<std::string>> addresses = resolver(parts->host);
  if (!addresses.ok()) return addresses.status();
  if (addresses->empty()) {
    return absl::UnavailableError(absl::StrCat("host '", parts->host, "' has no IP address"));
  }
  const bool localhost = parts->host == "localhost";
  for (const std::string& address : *addresses) {
    const bool refused = localhost ? !IsLoopbackHost(address) : IsNonPublicAddress(address);
    if (refused) {
      return absl::PermissionDeniedError(
          absl::StrCat("host '", parts->host, "' resolves to ", address,
                       localhost ? ", which is not a loopback address"
                                 : ", a private, loopback or link-local address; add the host to "
                                   "--http_allow_hosts if it is meant to be internal"));
    }
  }
  return addresses;
}

}  // namespace preflight::notifier
