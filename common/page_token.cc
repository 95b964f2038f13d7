#include "common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"

namespace preflight {
namespace {

constexpr size_t kMacSize = 32;
constexpr char kVersion = '1';

std::string Mac(absl::string_view key, absl::string_view scope, absl::string_view body) {
  // The scope is authenticated but not carried: a token only decodes for the scope it was made for.
  return HmacSha256(key, absl::StrCat(scope.size(), ":", scope, body));
}

}  // namespace

std::string PageTokenCodec::Encode(absl::string_view scope, absl::string_view position) const {
  const std::string body = absl::StrCat(std::string(1, kVersion), position);
  return absl::WebSafeBase64Escape(absl::StrCat(Mac(key_, scope, body), body));
}

absl::StatusOr<std::string> PageTokenCodec::Decode(absl::string_view token,
                                                   absl::string_view scope) const {
  std::string raw;
  if (token.size() > 4096 || !absl::WebSafeBase64Unescape(token, &raw) ||
      raw.size() < kMacSize + 1) {
    return absl::InvalidArgumentError("page_token: malformed page token");
  }
  const absl::string_view mac = absl::string_view(raw).substr(0, kMacSize);
  const absl::string_view body = absl::string_view(raw).substr(kMacSize);
  if (!ConstantTimeEquals(mac, Mac(key_, scope, body)) || body[0] != kVersion) {
    return absl::InvalidArgumentError(
        "page_token: invalid page token (altered, or issued for a different request)");
  }
  return std::string(body.substr(1));
}

}  // namespace preflight
