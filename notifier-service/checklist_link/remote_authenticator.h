#pragma once

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/clock.h"
#include "grpcpp/channel.h"
#include "preflight/v1/auth.grpc.pb.h"

namespace preflight::notifier {

// Checks callers' tokens with the checklist service, which issues them (AuthService
// GetCallerIdentity, called with the caller's own token), so one token works on both services.
// Answers are cached by the token's hash: a valid one for `ttl`, a refused one for
// `negative_ttl`; a revocation therefore reaches the notifier within `ttl`.
class RemoteAuthenticator final : public auth::Authenticator {
 public:
  struct Options {
    absl::Duration ttl = absl::Seconds(30);
    absl::Duration negative_ttl = absl::Seconds(5);
    absl::Duration timeout = absl::Seconds(5);
    // Entries kept at most; expired ones are dropped first, then everything.
    size_t max_entries = 10000;
  };

  RemoteAuthenticator(std::shared_ptr<grpc::Channel> checklist, const Clock* clock,
                      Options options);

  // UNAUTHENTICATED for a token the checklist refuses; UNAVAILABLE when it cannot be asked, or
  // runs without authentication (and so cannot vouch for anyone).
  absl::StatusOr<auth::Principal> Authenticate(const auth::BearerToken& token) override;

 private:
  struct Entry {
    absl::StatusOr<auth::Principal> answer;
    absl::Time expires;
  };

  absl::StatusOr<auth::Principal> Ask(const auth::BearerToken& token);

  std::unique_ptr<v1::AuthService::Stub> stub_;
  const Clock* const clock_;
  const Options options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::notifier
