#pragma once

// The CLI's view of the AuthService (served by the checklist service): one method per RPC.

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "preflight/v1/auth.pb.h"

namespace preflight::cli {

class AuthClient {
 public:
  virtual ~AuthClient() = default;

  virtual grpc::Status CreateToken(const v1::CreateTokenRequest& request,
                                   v1::CreateTokenResponse* response) = 0;
  virtual grpc::Status ListTokens(const v1::ListTokensRequest& request,
                                  v1::ListTokensResponse* response) = 0;
  virtual grpc::Status RevokeToken(const v1::RevokeTokenRequest& request, v1::Token* response) = 0;
  virtual grpc::Status GetCallerIdentity(const v1::GetCallerIdentityRequest& request,
                                         v1::Token* response) = 0;
};

// A client over `channel`, with the same metadata and deadline as NewGrpcChecklistClient.
std::unique_ptr<AuthClient> NewGrpcAuthClient(std::shared_ptr<grpc::Channel> channel,
                                              std::string actor, absl::Duration timeout,
                                              std::string bearer_token);

}  // namespace preflight::cli
