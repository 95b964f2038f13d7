#pragma once

// A small blocking HTTP client over libcurl, for the channels' webhook calls. Every outcome,
// transport failures included, comes back as data.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "notifier-service/domain/url_safety.h"

namespace preflight::notifier {

// Runs curl_global_init once per process; safe to call from any thread, any number of times.
void EnsureCurlInitialized();

struct HttpClientOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  // The whole request, connecting included.
  absl::Duration timeout = absl::Seconds(10);
  // PEM bundle of trusted CAs; empty: the system's.
  std::string ca_file;
  // Response bodies are cut to this many bytes (the rest is read and dropped).
  size_t max_response_bytes = 64 * 1024;
  // Checks every URL before connecting (see CheckDestination in url_safety.h): https, or http
  // to loopback and allow-listed hosts, and no host that resolves to an internal address.
  bool restrict_destinations = true;
  // Hosts that may be reached over http and may resolve to internal addresses (--http_allow_hosts).
  std::vector<std::string> http_allow_hosts;
  // Name resolution for that check; null: the system resolver.
  HostResolver resolver;
};

struct HttpRequest {
  std::string url;
  // "Name", "value" pairs, sent in order. Values must not hold CR or LF.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Why no HTTP response arrived.
enum class TransportError {
  kNone,
  // The timeout passed (connecting or waiting for the answer).
  kTimeout,
  // No connection: name resolution failed, refused, reset, unreachable.
  kConnection,
  // The URL is malformed or its scheme is not http/https.
  kBadUrl,
  // The server's certificate could not be verified, or the CA file is unusable.
  kTlsVerification,
  // Anything else libcurl reports (send/receive errors, TLS handshake failures, ...).
  kOther,
  // Refused before connecting: the host resolves to an internal address, or the URL breaks the
  // destination rules (http to a host that is neither loopback nor allow-listed, userinfo).
  kForbiddenDestination,
};

struct HttpResponse {
  TransportError error = TransportError::kNone;
  // libcurl's explanation when `error` is set.
  std::string error_message;
  // 0 when no response arrived.
  int status = 0;
  // Of the final response, names lowercased, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool body_truncated = false;

  bool ok() const { return error == TransportError::kNone; }
  // The first header of that name (case-insensitive).
  std::optional<std::string> Header(absl::string_view name) const;
};

// Maps a CURLcode (passed as int so the header needs no curl.h) to a TransportError.
TransportError TransportErrorFromCurlCode(int code);

// Redirects are not followed (a bot URL that redirects is misconfigured) and only http and https
// are allowed, so a URL from the configuration cannot reach file:// or other schemes. With
// `restrict_destinations` the connection is pinned to the addresses that were checked, so a
// second DNS answer cannot redirect it inside. Proxies come from the usual environment variables.
// Error messages never quote the URL (it may hold a key). Thread-safe: each call borrows an
// idle curl handle from the client's pool (or makes one) and gives it back afterwards, so the
// handle's live connections are kept alive (HTTP keep-alive) for the next request to the same
// host instead of a new TCP (and TLS) connection per request.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});

  HttpResponse Post(const HttpRequest& request) const;

  const HttpClientOptions& options() const { return options_; }

  // Idle handles kept for reuse; more concurrent requests than this still work, their extra
  // handles are closed after use.
  static constexpr int kMaxIdleHandles = 16;

 private:
  class HandlePool;

  HttpClientOptions options_;
  // Shared by copies of the client.
  std::shared_ptr<HandlePool> pool_;
};

}  // namespace preflight::notifier
