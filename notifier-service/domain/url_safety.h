#pragma once

// Webhook and bot URLs carry their credentials (WeCom `?key=`, DingTalk `?access_token=`, the
// Feishu hook token and Slack's secret in the path). This file keeps them out of every answer and
// log line (RedactUrl, RedactSecrets) and keeps a recipient's URL from pointing the notifier at
// internal hosts (CheckWebhookUrl when a recipient is written, CheckDestination when sending).

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight::notifier {

// What replaces a secret in redacted text.
inline constexpr absl::string_view kRedacted = "***";

// The parts of "scheme://[userinfo@]host[:port][/path][?query][#fragment]".
struct UrlParts {
  // Lowercased.
  std::string scheme;
  // Without the '@'; empty when absent.
  std::string userinfo;
  bool has_userinfo = false;
  // Lowercased; an IPv6 literal without its brackets.
  std::string host;
  bool ipv6_literal = false;
  // Digits, or empty for the scheme's default.
  std::string port;
  // Starts with '/' or is empty.
  std::string path;
  std::string query;
  bool has_query = false;
  std::string fragment;
  bool has_fragment = false;
};

// INVALID_ARGUMENT when `url` has no scheme and authority or a malformed host or port. The
// message never quotes the URL.
absl::StatusOr<UrlParts> SplitUrl(absl::string_view url);

// The URL with its secrets replaced by "***": userinfo, every query value ("key=***"), the
// fragment, the last path segment of Feishu/Lark hooks and Slack webhooks, and any path segment
// that looks like a token (16+ characters with a digit, or 32+). Scheme, host, port and the rest
// of the path stay readable. A string that does not parse as a URL becomes "***".
std::string RedactUrl(absl::string_view url);

// `text` with every "scheme://..." URL in it passed through RedactUrl: for provider answers,
// error messages and log lines that may quote a URL.
std::string RedactSecrets(absl::string_view text);

// `text` with every occurrence of `secret` (if not empty) replaced by "***".
std::string RedactValue(absl::string_view text, absl::string_view secret);

// True when `candidate` holds a "***" placeholder and is exactly what RedactUrl makes of `full`:
// a client sent back a redacted URL unchanged, so the stored `full` URL stands.
bool IsRedactedFormOf(absl::string_view candidate, absl::string_view full);

// Whether `host` (lowercase, no brackets) is a loopback name or literal: "localhost",
// 127.0.0.0/8 or ::1.
bool IsLoopbackHost(absl::string_view host);

// Whether a numeric IPv4 or IPv6 address is anything but a public unicast address: loopback,
// private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade NAT (100.64/10), link-local
// (169.254/16, fe80::/10), unspecified, multicast, reserved, or an IPv4-mapped IPv6 form of
// these. False for text that is no numeric address.
bool IsNonPublicAddress(absl::string_view address);

// Whether `host` is on the allow list (case-insensitive exact match).
bool IsAllowListedHost(absl::string_view host, const std::vector<std::string>& allow_hosts);

// The rules a webhook or bot URL must follow, checked without DNS: http or https only, no
// userinfo, a valid host and port, no whitespace or control characters; http only for a loopback
// host or one on `allow_hosts`; and a literal IP address must be public unless it is loopback or
// allow-listed. INVALID_ARGUMENT saying which rule failed (naming the host, never the URL's
// secrets).
absl::Status CheckWebhookUrl(absl::string_view url, const std::vector<std::string>& allow_hosts);

// Resolves a host name to numeric addresses ("10.0.0.1", "::1"). UNAVAILABLE when it cannot.
using HostResolver =
    std::function<absl::StatusOr<std::vector<std::string>>(const std::string& host)>;

// The system resolver (getaddrinfo).
absl::StatusOr<std::vector<std::string>> ResolveHost(const std::string& host);

// The send-time check: CheckWebhookUrl, then, for a host name that is not allow-listed, every
// address it resolves to must be public (or loopback when the name is "localhost"). Returns the
// checked addresses, for the caller to pin the connection to them so a second lookup cannot give
// a different answer; empty when there is nothing to pin (a literal address or an allow-listed
// host). INVALID_ARGUMENT for a URL that breaks the rules, PERMISSION_DENIED for a host that
// resolves to a non-public address, UNAVAILABLE when it does not resolve.
absl::StatusOr<std::vector<std::string>> CheckDestination(
    absl::string_view url, const std::vector<std::string>& allow_hosts,
    const HostResolver& resolver = ResolveHost);

// The port the URL connects to: its own, or 443 for https and 80 for http.
std::string EffectivePort(const UrlParts& parts);

}  // namespace preflight::notifier
