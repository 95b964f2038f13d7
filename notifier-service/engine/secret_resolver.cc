#include "notifier-service/engine/secret_resolver.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace preflight::notifier {
namespace {

constexpr absl::string_view kEnvPrefix = "env:";
constexpr absl::string_view kFilePrefix = "file:";

}  // namespace

bool IsValidSecretRef(absl::string_view ref) {
  if (ref.empty()) return true;
  if (absl::StartsWith(ref, kEnvPrefix)) return ref.size() > kEnvPrefix.size();
  if (absl::StartsWith(ref, kFilePrefix)) {
    return ref.size() > kFilePrefix.size() && ref[kFilePrefix.size()] == '/';
  }
  return false;
}

absl::StatusOr<std::string> ResolveSecret(absl::string_view ref) {
  if (ref.empty()) return std::string();
  if (!IsValidSecretRef(ref)) {
    return absl::InvalidArgumentError(
        absl::StrCat("secret reference must be env:NAME or file:/path, got '", ref, "'"));
  }
  if (absl::StartsWith(ref, kEnvPrefix)) {
    const std::string name(ref.substr(kEnvPrefix.size()));
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("secret ", ref, ": environment variable is not set"));
    }
    return std::string(value);
  }
  const std::string path(ref.substr(kFilePrefix.size()));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat("secret ", ref, ": cannot read the file"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  std::string secret = contents.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

}  // namespace preflight::notifier
