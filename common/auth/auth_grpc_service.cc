#include "common/auth/auth_grpc_service.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/grpc_status.h"
#include "common/request_text.h"
#include "google/protobuf/util/time_util.h"

namespace preflight::auth {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

}  // namespace

v1::Role RoleToProto(Role role) {
  switch (role) {
    case Role::kViewer:
      return v1::ROLE_VIEWER;
    case Role::kEditor:
      return v1::ROLE_EDITOR;
    case Role::kAdmin:
      return v1::ROLE_ADMIN;
    case Role::kService:
      return v1::ROLE_SERVICE;
  }
  return v1::ROLE_UNSPECIFIED;
}

absl::StatusOr<Role> RoleFromProto(v1::Role role, absl::string_view field) {
  switch (role) {
    case v1::ROLE_VIEWER:
      return Role::kViewer;
    case v1::ROLE_EDITOR:
      return Role::kEditor;
    case v1::ROLE_ADMIN:
      return Role::kAdmin;
    case v1::ROLE_SERVICE:
      return Role::kService;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": required (ROLE_VIEWER, ROLE_EDITOR, ROLE_ADMIN or ROLE_SERVICE)"));
  }
}

v1::Token TokenToProto(const TokenRecord& record) {
  v1::Token proto;
  proto.set_name(api::TokenName(record.id));
  proto.set_tenant(record.tenant);
  proto.set_role(RoleToProto(record.role));
  proto.set_display_name(record.display_name);
  proto.set_creator(record.creator);
  *proto.mutable_create_time() = ToTimestamp(record.create_time);
  if (record.revoke_time.has_value())
    *proto.mutable_revoke_time() = ToTimestamp(*record.revoke_time);
  return proto;
}

Principal PrincipalFromProto(const v1::Token& token) {
  absl::StatusOr<Role> role = RoleFromProto(token.role(), "role");
  return Principal{token.name(), token.tenant(), role.ok() ? *role : Role::kViewer,
                   token.display_name()};
}

grpc::Status AuthGrpcService::CreateToken(grpc::ServerContext* context,
                                          const v1::CreateTokenRequest* request,
                                          v1::CreateTokenResponse* response) {
  // Without authentication every caller is an all-tenant admin: a token it issued would vouch
  // for whoever asked, and would stay valid once authentication is turned on.
  if (!authorizer_->enabled()) {
    return ToGrpcStatus(absl::FailedPreconditionError(kNoTokensWithoutAuthentication));
  }
  absl::StatusOr<Principal> caller = authorizer_->Authorize(*context, Permission::kAdmin);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->has_token()) {
    return ToGrpcStatus(absl::InvalidArgumentError("token: required"));
  }
  absl::StatusOr<Role> role = RoleFromProto(request->token().role(), "token.role");
  if (!role.ok()) return ToGrpcStatus(role.status());
  absl::StatusOr<IssuedToken> issued = tokens_->Issue(
      *caller, NewToken{request->token().tenant(), *role, request->token().display_name()});
  if (!issued.ok()) return ToGrpcStatus(issued.status());
  *response->mutable_token() = TokenToProto(issued->record);
  response->set_secret(issued->secret_text);
  return grpc::Status::OK;
}

grpc::Status AuthGrpcService::ListTokens(grpc::ServerContext* context,
                                         const v1::ListTokensRequest* request,
                                         v1::ListTokensResponse* response) {
  absl::StatusOr<Principal> caller = authorizer_->Authorize(*context, Permission::kAdmin);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  const std::string scope =
      absl::StrCat("tokens|", request->tenant(), "|", request->show_revoked());
  int64_t before_sequence = 0;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::string> position = page_tokens_.Decode(request->page_token(), scope);
    if (!position.ok()) return ToGrpcStatus(position.status());
    if (!absl::SimpleAtoi(*position, &before_sequence) || before_sequence <= 0) {
      return ToGrpcStatus(absl::InvalidArgumentError("page_token: invalid page token"));
    }
  }
  absl::StatusOr<TokenPage> page =
      tokens_->List(*caller, TokenFilter{request->tenant(), request->show_revoked()},
                    before_sequence, request->page_size());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const TokenRecord& record : page->tokens) *response->add_tokens() = TokenToProto(record);
  if (page->next_before_sequence > 0) {
    response->set_next_page_token(
        page_tokens_.Encode(scope, absl::StrCat(page->next_before_sequence)));
  }
  return grpc::Status::OK;
}

grpc::Status AuthGrpcService::RevokeToken(grpc::ServerContext* context,
                                          const v1::RevokeTokenRequest* request,
                                          v1::Token* response) {
  absl::StatusOr<Principal> caller = authorizer_->Authorize(*context, Permission::kAdmin);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = api::ParseTokenName(request->name(), "name");
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<TokenRecord> revoked = tokens_->Revoke(*caller, *id);
  if (!revoked.ok()) return ToGrpcStatus(revoked.status());
  *response = TokenToProto(*revoked);
  return grpc::Status::OK;
}

grpc::Status AuthGrpcService::GetCallerIdentity(grpc::ServerContext* context,
                                                const v1::GetCallerIdentityRequest* request,
                                                v1::Token* response) {
  absl::StatusOr<Principal> caller = authorizer_->Authorize(*context, Permission::kRead);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<TokenRecord> record = tokens_->Describe(*caller);
  if (!record.ok()) return ToGrpcStatus(record.status());
  *response = TokenToProto(*record);
  return grpc::Status::OK;
}

}  // namespace preflight::auth
