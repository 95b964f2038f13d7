#include "common/auth/local_auth.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace preflight::auth {

absl::Status WriteSecretFile(const std::string& path, const std::string& secret) {
  // Created 0600 from the start, so the secret is never readable by others, even briefly.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  const std::string text = secret + "\n";
  const ssize_t written = ::write(fd, text.data(), text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()) || !synced) {
    return absl::FailedPreconditionError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<LocalAuth> SetUpLocalAuth(const std::string& data_dir, bool require_auth,
                                         const Clock* clock, PageTokenCodec page_tokens,
                                         const SqliteOptions& store_options) {
  absl::StatusOr<std::unique_ptr<SqliteTokenStore>> store =
      SqliteTokenStore::Open(data_dir + "/auth.db", store_options);
  if (!store.ok()) return store.status();
  return SetUpLocalAuth(*std::move(store), data_dir, require_auth, clock, std::move(page_tokens));
}

absl::StatusOr<LocalAuth> SetUpLocalAuth(std::unique_ptr<TokenStore> store,
                                         const std::string& data_dir, bool require_auth,
                                         const Clock* clock, PageTokenCodec page_tokens) {
  LocalAuth auth;
  auth.store = std::move(store);
  auth.tokens = std::make_unique<TokenService>(auth.store.get(), clock);
  auth.authorizer = std::make_unique<CallAuthorizer>(require_auth ? auth.tokens.get() : nullptr);
  auth.grpc_service = std::make_unique<AuthGrpcService>(auth.tokens.get(), auth.authorizer.get(),
                                                        std::move(page_tokens));
  if (!require_auth) return auth;
  absl::StatusOr<std::optional<IssuedToken>> bootstrap = auth.tokens->IssueBootstrapAdminIfNone();
  if (!bootstrap.ok()) return bootstrap.status();
  if (bootstrap->has_value()) {
    auth.bootstrap_token_path = absl::StrCat(data_dir, "/", kBootstrapTokenFile);
    absl::Status written = WriteSecretFile(auth.bootstrap_token_path, (*bootstrap)->secret_text);
    if (!written.ok()) {
      // Without the file nobody could ever use the token: take it back.
      auth.tokens->Revoke(PrincipalOf((*bootstrap)->record), (*bootstrap)->record.id).IgnoreError();
      return written;
    }
  }
  return auth;
}

}  // namespace preflight::auth
