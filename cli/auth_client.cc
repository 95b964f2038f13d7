#include "cli/auth_client.h"

#include <utility>

#include "cli/rpc_call.h"
#include "preflight/v1/auth.grpc.pb.h"

namespace preflight::cli {
namespace {

class GrpcAuthClient : public AuthClient {
 public:
  GrpcAuthClient(std::shared_ptr<grpc::Channel> channel, std::string actor, absl::Duration timeout,
                 std::string bearer_token)
      : stub_(v1::AuthService::NewStub(std::move(channel))),
        actor_(std::move(actor)),
        timeout_(timeout),
        bearer_token_(std::move(bearer_token)) {}

  grpc::Status CreateToken(const v1::CreateTokenRequest& request,
                           v1::CreateTokenResponse* response) override {
    return Call(&Stub::CreateToken, request, response);
  }
  grpc::Status ListTokens(const v1::ListTokensRequest& request,
                          v1::ListTokensResponse* response) override {
    return Call(&Stub::ListTokens, request, response);
  }
  grpc::Status RevokeToken(const v1::RevokeTokenRequest& request, v1::Token* response) override {
    return Call(&Stub::RevokeToken, request, response);
  }
  grpc::Status GetCallerIdentity(const v1::GetCallerIdentityRequest& request,
                                 v1::Token* response) override {
    return Call(&Stub::GetCallerIdentity, request, response);
  }

 private:
  using Stub = v1::AuthService::Stub;

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return CallUnary(stub_.get(), method, request, response, actor_, timeout_, bearer_token_);
  }

  std::unique_ptr<Stub> stub_;
  const std::string actor_;
  const absl::Duration timeout_;
  const std::string bearer_token_;
};

}  // namespace

std::unique_ptr<AuthClient> NewGrpcAuthClient(std::shared_ptr<grpc::Channel> channel,
                                              std::string actor, absl::Duration timeout,
                                              std::string bearer_token) {
  return std::make_unique<GrpcAuthClient>(std::move(channel), std::move(actor), timeout,
                                          std::move(bearer_token));
}

}  // namespace preflight::cli
