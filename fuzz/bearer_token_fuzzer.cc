// Fuzzes the bearer-token reader, the first code every authenticated call runs on untrusted
// metadata: the bytes as an "authorization" value and as a bare token.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "common/api/resource_names.h"
#include "common/auth/bearer_token.h"

namespace {

// The refusals' messages, learnt from inputs that hit each one: missing, not Bearer, malformed.
bool IsFixedMessage(absl::string_view message) {
  static const auto* const kMessages = new std::set<std::string>{
      std::string(preflight::auth::ParseAuthorizationHeader("").status().message()),
      std::string(preflight::auth::ParseAuthorizationHeader("Basic x").status().message()),
      std::string(preflight::auth::ParseBearerToken("x").status().message())};
  return kMessages->count(std::string(message)) > 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  for (const absl::StatusOr<preflight::auth::BearerToken>& token :
       {preflight::auth::ParseAuthorizationHeader(input),
        preflight::auth::ParseBearerToken(input)}) {
    if (!token.ok()) {
      // Refused tokens are UNAUTHENTICATED with one of the fixed messages, so nothing of the
      // input is ever echoed.
      if (token.status().code() != absl::StatusCode::kUnauthenticated) std::abort();
      if (!IsFixedMessage(token.status().message())) std::abort();
      continue;
    }
    // An accepted token is well formed and prints back to a text that parses to itself.
    if (!preflight::api::IsTokenId(token->id)) std::abort();
    absl::StatusOr<preflight::auth::BearerToken> again =
        preflight::auth::ParseBearerToken(token->Text());
    if (!again.ok() || again->id != token->id || again->secret != token->secret) std::abort();
  }
  return 0;
}
