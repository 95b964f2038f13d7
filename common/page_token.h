#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight {

// Opaque, tamper-evident page tokens for keyset pagination. A token carries the position to
// resume after and a fingerprint of the request's filters, sealed with an HMAC under a key kept
// by the service, so a client can neither forge a position nor reuse a token with other filters.
class PageTokenCodec {
 public:
  explicit PageTokenCodec(std::string key) : key_(std::move(key)) {}

  // `scope` names the list (e.g. "launches") and its filters; `position` is where to resume.
  std::string Encode(absl::string_view scope, absl::string_view position) const;

  // Returns the position, or INVALID_ARGUMENT "page_token: ..." when the token is malformed,
  // was altered, or was issued for a different scope (other filters, other list).
  absl::StatusOr<std::string> Decode(absl::string_view token, absl::string_view scope) const;

 private:
  std::string key_;
};

}  // namespace preflight
