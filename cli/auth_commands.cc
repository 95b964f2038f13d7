#include "cli/auth_commands.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cli/render.h"
#include "cli/requests.h"
#include "common/api/resource_names.h"

namespace preflight::cli {

std::string TokenName(absl::string_view argument) { return api::TokenNameFromShorthand(argument); }

absl::StatusOr<v1::CreateTokenRequest> BuildCreateTokenRequest(const Invocation& invocation) {
  v1::CreateTokenRequest request;
  v1::Token* token = request.mutable_token();
  token->set_tenant(invocation.Get("tenant"));
  token->set_display_name(invocation.Get("display_name"));
  const std::string role = invocation.Get("role");
  if (role == "viewer") {
    token->set_role(v1::ROLE_VIEWER);
  } else if (role == "editor") {
    token->set_role(v1::ROLE_EDITOR);
  } else if (role == "admin") {
    token->set_role(v1::ROLE_ADMIN);
  } else if (role == "service") {
    token->set_role(v1::ROLE_SERVICE);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--role must be viewer, editor, admin or service, got '", role, "'"));
  }
  return request;
}

absl::StatusOr<v1::ListTokensRequest> BuildListTokensRequest(const Invocation& invocation) {
  v1::ListTokensRequest request;
  request.set_tenant(invocation.Get("tenant"));
  request.set_show_revoked(invocation.GetBool("revoked"));
  int32_t page_size = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "page_size", &page_size); !s.ok()) return s;
  request.set_page_size(page_size);
  request.set_page_token(invocation.Get("page_token"));
  return request;
}

v1::RevokeTokenRequest BuildRevokeTokenRequest(const Invocation& invocation) {
  v1::RevokeTokenRequest request;
  request.set_name(TokenName(invocation.arguments.at(0)));
  return request;
}

namespace {

std::string RoleLabel(v1::Role role) { return EnumLabel(v1::Role_descriptor(), role, "ROLE_"); }

}  // namespace

std::string RenderToken(const v1::Token& token) {
  std::string out = absl::StrCat(token.name(), "  ", token.display_name(), "\n");
  Fields fields;
  fields.Add("tenant", token.tenant() == "*" ? "* (every tenant)" : token.tenant());
  fields.Add("role", RoleLabel(token.role()));
  fields.Add("created",
             absl::StrCat(FormatTimestamp(token.create_time()), " by ", token.creator()));
  if (token.has_revoke_time()) fields.Add("revoked", FormatTimestamp(token.revoke_time()));
  return out + fields.Render();
}

std::string RenderCreatedToken(const v1::CreateTokenResponse& response) {
  return absl::StrCat(response.secret(),
                      "\n(the token above is shown only now; store it, e.g. in a file for "
                      "--token_file, readable only by its user)\n",
                      RenderToken(response.token()));
}

std::string RenderTokens(const v1::ListTokensResponse& response) {
  if (response.tokens().empty()) return "no tokens\n";
  std::string out;
  for (const v1::Token& token : response.tokens()) {
    absl::StrAppend(&out, token.name(), "  ", RoleLabel(token.role()), "  tenant ", token.tenant(),
                    "  ", token.display_name(), token.has_revoke_time() ? "  (revoked)" : "", "\n");
  }
  if (!response.next_page_token().empty()) {
    absl::StrAppend(&out, "more: --page_token=", response.next_page_token(), " (or --all)\n");
  }
  return out;
}

}  // namespace preflight::cli
