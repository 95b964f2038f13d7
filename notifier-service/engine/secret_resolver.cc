#include "notifier-service/engine/secret_resolver.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "notifier-service/engine/notifier_limits.h"

namespace preflight::notifier {
namespace {

constexpr absl::string_view kEnvPrefix = "env:";
constexpr absl::string_view kFilePrefix = "file:";

bool IsEnvName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return absl::ascii_isalnum(c) || c == '_'; });
}

bool IsFilePath(absl::string_view path) {
  if (path.size() < 2 || path.front() != '/') return false;
  return std::none_of(path.begin(), path.end(),
                      [](char c) { return absl::ascii_iscntrl(static_cast<unsigned char>(c)); });
}

}  // namespace

bool IsValidSecretRef(absl::string_view ref) {
  if (ref.empty()) return true;
  if (ref.size() > limits::kMaxSecretRefLength) return false;
  if (absl::StartsWith(ref, kEnvPrefix)) return IsEnvName(ref.substr(kEnvPrefix.size()));
  if (absl::StartsWith(ref, kFilePrefix)) return IsFilePath(ref.substr(kFilePrefix.size()));
  return false;
}

absl::StatusOr<std::string> ResolveSecret(absl::string_view ref) {
  if (ref.empty()) return std::string();
  if (!IsValidSecretRef(ref)) {
    return absl::InvalidArgumentError(
        "secret reference must be env:NAME or file:/absolute/path (the value is not shown: it "
        "may be a secret)");
  }
  if (absl::StartsWith(ref, kEnvPrefix)) {
    const std::string name(ref.substr(kEnvPrefix.size()));
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("secret ", ref, ": environment variable ", name, " is not set"));
    }
    if (*value == '\0') {
      return absl::FailedPreconditionError(
          absl::StrCat("secret ", ref, ": environment variable ", name, " is empty"));
    }
    return std::string(value);
  }
  const std::string path(ref.substr(kFilePrefix.size()));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("secret ", ref, ": cannot read the file (missing or not readable)"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  std::string secret = contents.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("secret ", ref, ": the file is empty"));
  }
  return secret;
}

}  // namespace preflight::notifier
