#pragma once

// Plain libcurl requests for tests: a client independent of the code under test.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace preflight::testing {

struct HttpExchange {
  // "GET" or "POST".
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::string ca_file;
  // Speak HTTP/2 without upgrade (gRPC over cleartext).
  bool http2_prior_knowledge = false;
  absl::Duration timeout = absl::Seconds(10);
};

struct HttpAnswer {
  long status = 0;
  // Headers and trailers, names lower-cased, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The last header or trailer of that (lower-case) name; empty when absent.
  std::string Header(absl::string_view name) const;
};

// UNAVAILABLE when the exchange fails below HTTP (refused, timed out); any HTTP status is an
// answer.
absl::StatusOr<HttpAnswer> HttpCall(const HttpExchange& exchange);

// GET `url`; INTERNAL unless the answer is 200.
absl::StatusOr<std::string> HttpGet(const std::string& url);

// One gRPC call as raw HTTP/2: `message` is framed (flag 0, 4-byte length) unless `raw_body`,
// which is sent as given. Returns the answer with its grpc-status / grpc-message trailers.
absl::StatusOr<HttpAnswer> RawGrpcCall(const std::string& address, const std::string& method,
                                       const std::string& message, bool raw_body = false);

}  // namespace preflight::testing
