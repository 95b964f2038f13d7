#pragma once

#include "common/auth/call_authorizer.h"
#include "common/auth/token_service.h"
#include "common/page_token.h"
#include "preflight/v1/auth.grpc.pb.h"

namespace preflight::auth {

// preflight.v1.AuthService: maps requests onto TokenService. Without authentication (an
// authorizer that is not enabled) CreateToken is FAILED_PRECONDITION: tokens are issued only by
// authenticated admins, starting with the bootstrap admin token.
class AuthGrpcService final : public v1::AuthService::Service {
 public:
  AuthGrpcService(TokenService* tokens, const CallAuthorizer* authorizer,
                  PageTokenCodec page_tokens)
      : tokens_(tokens), authorizer_(authorizer), page_tokens_(std::move(page_tokens)) {}

  grpc::Status CreateToken(grpc::ServerContext* context, const v1::CreateTokenRequest* request,
                           v1::CreateTokenResponse* response) override;
  grpc::Status ListTokens(grpc::ServerContext* context, const v1::ListTokensRequest* request,
                          v1::ListTokensResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context, const v1::RevokeTokenRequest* request,
                           v1::Token* response) override;
  grpc::Status GetCallerIdentity(grpc::ServerContext* context,
                                 const v1::GetCallerIdentityRequest* request,
                                 v1::Token* response) override;

 private:
  TokenService* const tokens_;
  const CallAuthorizer* const authorizer_;
  const PageTokenCodec page_tokens_;
};

// Proto mapping, shared with the clients that read tokens back.
v1::Token TokenToProto(const TokenRecord& record);
v1::Role RoleToProto(Role role);
absl::StatusOr<Role> RoleFromProto(v1::Role role, absl::string_view field);
Principal PrincipalFromProto(const v1::Token& token);

}  // namespace preflight::auth
