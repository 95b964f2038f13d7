#pragma once

#include <memory>
#include <string>

#include "common/auth/token_store.h"
#include "common/postgres/postgres_pool.h"

namespace preflight::auth {

// Tokens in the table `tokens` of the service's PostgreSQL schema, the counterpart of
// SqliteTokenStore, with the same columns (times in Unix microseconds) so an export from one
// imports into the other unchanged. Shared by every replica of the service.
class PostgresTokenStore final : public TokenStore {
 public:
  // Applies the "tokens" migrations to the pool's schema. `pool` must outlive the store.
  static absl::StatusOr<std::unique_ptr<PostgresTokenStore>> Open(PostgresPool* pool);

  absl::StatusOr<TokenRecord> Insert(const TokenRecord& record) override;
  absl::StatusOr<std::optional<TokenRecord>> Find(const std::string& id) override;
  absl::StatusOr<std::vector<TokenRecord>> List(const TokenFilter& filter, int64_t before_sequence,
                                                int limit) override;
  absl::StatusOr<TokenRecord> Revoke(const std::string& id, absl::Time when) override;
  absl::StatusOr<int64_t> CountActive(const std::string& tenant) override;

 private:
  explicit PostgresTokenStore(PostgresPool* pool) : pool_(pool) {}

  PostgresPool* const pool_;
};

}  // namespace preflight::auth
