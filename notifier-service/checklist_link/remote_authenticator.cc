#include "notifier-service/checklist_link/remote_authenticator.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/auth_grpc_service.h"
#include "common/auth/call_authorizer.h"
#include "grpcpp/client_context.h"

namespace preflight::notifier {

RemoteAuthenticator::RemoteAuthenticator(std::shared_ptr<grpc::Channel> checklist,
                                         const Clock* clock, Options options)
    : stub_(v1::AuthService::NewStub(std::move(checklist))), clock_(clock), options_(options) {}

absl::StatusOr<auth::Principal> RemoteAuthenticator::Ask(const auth::BearerToken& token) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  context.AddMetadata(api::kAuthorizationMetadataKey, absl::StrCat("Bearer ", token.Text()));
  v1::Token identity;
  const grpc::Status status =
      stub_->GetCallerIdentity(&context, v1::GetCallerIdentityRequest(), &identity);
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return auth::PrincipalFromProto(identity);
    case grpc::StatusCode::UNAUTHENTICATED:
      return absl::UnauthenticatedError("the bearer token is not valid");
    case grpc::StatusCode::FAILED_PRECONDITION:
      return absl::UnavailableError(
          "the checklist service does not require authentication, so it cannot vouch for "
          "tokens: start it with --require_auth");
    default:
      return absl::UnavailableError(absl::StrCat(
          "cannot check the token with the checklist service: ", status.error_message()));
  }
}

absl::StatusOr<auth::Principal> RemoteAuthenticator::Authenticate(const auth::BearerToken& token) {
  const std::string key = auth::HashTokenSecret(token.Text());
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&mu_);
    auto found = cache_.find(key);
    if (found != cache_.end() && found->second.expires > now) return found->second.answer;
  }
  absl::StatusOr<auth::Principal> answer = Ask(token);
  // An unreachable checklist is not an answer about the token: ask again next time.
  if (absl::IsUnavailable(answer.status())) return answer;
  const absl::Duration ttl = answer.ok() ? options_.ttl : options_.negative_ttl;
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= options_.max_entries) {
    absl::erase_if(cache_, [now](const auto& entry) { return entry.second.expires <= now; });
    if (cache_.size() >= options_.max_entries) cache_.clear();
  }
  cache_[key] = Entry{answer, now + ttl};
  return answer;
}

}  // namespace preflight::notifier
