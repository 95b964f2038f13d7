#pragma once

// Requests and output of the `tokens` and `whoami` commands. As elsewhere in the CLI, only what
// the client must decide is checked here (the role's spelling); the server validates the rest.

#include <string>

#include "absl/status/statusor.h"
#include "cli/command_line.h"
#include "preflight/v1/auth.pb.h"

namespace preflight::cli {

// "tokens/ID" stays as it is; a bare "ID" becomes "tokens/ID".
std::string TokenName(absl::string_view argument);

absl::StatusOr<v1::CreateTokenRequest> BuildCreateTokenRequest(const Invocation& invocation);
absl::StatusOr<v1::ListTokensRequest> BuildListTokensRequest(const Invocation& invocation);
v1::RevokeTokenRequest BuildRevokeTokenRequest(const Invocation& invocation);

// The new token's secret, on a line of its own, then its details: the only time it is shown.
std::string RenderCreatedToken(const v1::CreateTokenResponse& response);
std::string RenderToken(const v1::Token& token);
std::string RenderTokens(const v1::ListTokensResponse& response);

}  // namespace preflight::cli
