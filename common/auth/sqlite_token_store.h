#pragma once

#include <memory>
#include <string>

#include "SQLiteCpp/Database.h"
#include "common/auth/token_store.h"
#include "common/sqlite/guarded_connection.h"
#include "common/sqlite/sqlite_options.h"

namespace preflight::auth {

// Tokens in their own SQLite file (auth.db in the service's data folder), so their schema
// evolves apart from the service's. One connection behind a mutex: token traffic is tiny next to
// the calls it guards, which the authenticator's cache absorbs.
class SqliteTokenStore final : public TokenStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteTokenStore>> Open(const std::string& path,
                                                                const SqliteOptions& options = {});

  absl::StatusOr<TokenRecord> Insert(const TokenRecord& record) override;
  absl::StatusOr<std::optional<TokenRecord>> Find(const std::string& id) override;
  absl::StatusOr<std::vector<TokenRecord>> List(const TokenFilter& filter, int64_t before_sequence,
                                                int limit) override;
  absl::StatusOr<TokenRecord> Revoke(const std::string& id, absl::Time when) override;
  absl::StatusOr<int64_t> CountActive(const std::string& tenant) override;

 private:
  explicit SqliteTokenStore(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}

  GuardedConnection db_;
};

}  // namespace preflight::auth
