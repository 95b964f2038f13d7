#include "common/auth/bearer_token.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/resource_names.h"
#include "common/crypto.h"

namespace preflight::auth {
namespace {

constexpr absl::string_view kPrefix = "pft_";
constexpr int kIdBytes = 6;
constexpr int kSecretBytes = 32;
constexpr size_t kIdLength = 2 * kIdBytes;
// The id is the token's resource id (tokens/{id}), whose grammar the API owns.
static_assert(kIdLength == api::kTokenIdLength);
// 32 bytes in unpadded base64url.
constexpr size_t kSecretLength = 43;

absl::Status Malformed() { return absl::UnauthenticatedError("the bearer token is malformed"); }

bool IsBase64UrlChar(char c) { return absl::ascii_isalnum(c) || c == '-' || c == '_'; }

}  // namespace

std::string BearerToken::Text() const { return absl::StrCat(kPrefix, id, "_", secret); }

absl::StatusOr<BearerToken> GenerateBearerToken() {
  absl::StatusOr<std::string> id = RandomSecretBytes(kIdBytes);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::string> secret = RandomSecretBytes(kSecretBytes);
  if (!secret.ok()) return secret.status();
  BearerToken token;
  token.id = absl::BytesToHexString(*id);
  absl::WebSafeBase64Escape(*secret, &token.secret);
  return token;
}

absl::StatusOr<BearerToken> ParseBearerToken(absl::string_view text) {
  if (!absl::ConsumePrefix(&text, kPrefix)) return Malformed();
  if (text.size() != kIdLength + 1 + kSecretLength || text[kIdLength] != '_') return Malformed();
  BearerToken token{std::string(text.substr(0, kIdLength)),
                    std::string(text.substr(kIdLength + 1))};
  if (!api::IsTokenId(token.id)) return Malformed();
  for (char c : token.secret) {
    if (!IsBase64UrlChar(c)) return Malformed();
  }
  return token;
}

absl::StatusOr<BearerToken> ParseAuthorizationHeader(absl::string_view value) {
  if (value.empty()) {
    return absl::UnauthenticatedError(
        "missing bearer token: send 'authorization: Bearer <token>' (preflight --token_file)");
  }
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return absl::UnauthenticatedError("the authorization metadata is not 'Bearer <token>'");
  }
  return ParseBearerToken(absl::StripAsciiWhitespace(value.substr(kScheme.size())));
}

std::string HashTokenSecret(absl::string_view secret) { return Sha256Hex(secret); }

}  // namespace preflight::auth
