#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/role.h"

namespace preflight::auth {

// A token as stored: never its secret, only the secret's hash.
struct TokenRecord {
  std::string id;
  std::string secret_hash;
  std::string tenant;
  Role role = Role::kViewer;
  std::string display_name;
  std::string creator;
  absl::Time create_time;
  std::optional<absl::Time> revoke_time;
  // Assigned by the store on insert, increasing: the listing order and page position.
  int64_t sequence = 0;
};

struct TokenFilter {
  // Empty: every tenant.
  std::string tenant;
  bool include_revoked = false;
};

// Where tokens live. Implementations are thread-safe.
class TokenStore {
 public:
  virtual ~TokenStore() = default;

  // ALREADY_EXISTS when the id is taken.
  virtual absl::StatusOr<TokenRecord> Insert(const TokenRecord& record) = 0;
  // nullopt when there is no such token.
  virtual absl::StatusOr<std::optional<TokenRecord>> Find(const std::string& id) = 0;
  // Newest first, only tokens with sequence < `before_sequence` (0: from the newest), at most
  // `limit`.
  virtual absl::StatusOr<std::vector<TokenRecord>> List(const TokenFilter& filter,
                                                        int64_t before_sequence, int limit) = 0;
  // Sets revoke_time unless already set; NOT_FOUND for an unknown id.
  virtual absl::StatusOr<TokenRecord> Revoke(const std::string& id, absl::Time when) = 0;
  // Tokens not revoked, in `tenant` (kAllTenants counts the all-tenant ones).
  virtual absl::StatusOr<int64_t> CountActive(const std::string& tenant) = 0;
};

}  // namespace preflight::auth
