#include "common/auth/sqlite_token_store.h"

#include <utility>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/connection.h"
#include "common/sqlite/rows.h"
#include "common/sqlite/time_columns.h"

namespace preflight::auth {
namespace {

const std::vector<SqliteMigration>& TokenMigrations() {
  static const std::vector<SqliteMigration>* const kMigrations = new std::vector<SqliteMigration>{
      {1,
       {R"sql(
        CREATE TABLE tokens (
          sequence INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          secret_hash TEXT NOT NULL,
          tenant TEXT NOT NULL,
          role TEXT NOT NULL,
          display_name TEXT NOT NULL,
          creator TEXT NOT NULL,
          create_time_us INTEGER NOT NULL,
          revoke_time_us INTEGER
        ))sql",
        "CREATE INDEX tokens_by_tenant ON tokens(tenant, sequence)"}},
  };
  return *kMigrations;
}

constexpr char kColumns[] =
    "sequence, id, secret_hash, tenant, role, display_name, creator, create_time_us, "
    "revoke_time_us";

absl::StatusOr<TokenRecord> ReadRow(SQLite::Statement& query) {
  TokenRecord record;
  record.sequence = query.getColumn(0).getInt64();
  record.id = query.getColumn(1).getString();
  record.secret_hash = query.getColumn(2).getString();
  record.tenant = query.getColumn(3).getString();
  absl::StatusOr<Role> role = ParseRole(query.getColumn(4).getString());
  if (!role.ok()) {
    return absl::DataLossError(absl::StrCat("token ", record.id, " has an unknown role"));
  }
  record.role = *role;
  record.display_name = query.getColumn(5).getString();
  record.creator = query.getColumn(6).getString();
  record.create_time = absl::FromUnixMicros(query.getColumn(7).getInt64());
  record.revoke_time = OptionalTimeColumn(query.getColumn(8));
  return record;
}

absl::StatusOr<std::optional<TokenRecord>> FindLocked(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query(db, absl::StrCat("SELECT ", kColumns, " FROM tokens WHERE id = ?"));
  query.bind(1, id);
  if (!query.executeStep()) return std::optional<TokenRecord>();
  absl::StatusOr<TokenRecord> record = ReadRow(query);
  if (!record.ok()) return record.status();
  return std::optional<TokenRecord>(*std::move(record));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteTokenStore>> SqliteTokenStore::Open(
    const std::string& path, const SqliteOptions& options) {
  absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
      OpenSqliteDatabase(path, options, TokenMigrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteTokenStore>(new SqliteTokenStore(*std::move(db)));
}

absl::StatusOr<TokenRecord> SqliteTokenStore::Insert(const TokenRecord& record) {
  return db_.Run(absl::StrCat("storing token ", record.id), [&](SQLite::Database& db) {
    SQLite::Statement insert(db,
                             "INSERT INTO tokens (id, secret_hash, tenant, role, display_name, "
                             "creator, create_time_us) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, record.id);
    insert.bind(2, record.secret_hash);
    insert.bind(3, record.tenant);
    insert.bind(4, RoleName(record.role));
    insert.bind(5, record.display_name);
    insert.bind(6, record.creator);
    insert.bind(7, static_cast<int64_t>(absl::ToUnixMicros(record.create_time)));
    insert.exec();
    TokenRecord stored = record;
    stored.sequence = db.getLastInsertRowid();
    stored.revoke_time.reset();
    return stored;
  });
}

absl::StatusOr<std::optional<TokenRecord>> SqliteTokenStore::Find(const std::string& id) {
  return db_.Run(absl::StrCat("reading token ", id),
                 [&](SQLite::Database& db) { return FindLocked(db, id); });
}

absl::StatusOr<std::vector<TokenRecord>> SqliteTokenStore::List(const TokenFilter& filter,
                                                                int64_t before_sequence,
                                                                int limit) {
  return db_.Run("listing tokens", [&](SQLite::Database& db) {
    SQLite::Statement query(
        db, absl::StrCat("SELECT ", kColumns,
                         " FROM tokens WHERE (?1 = '' OR tenant = ?1) AND (?2 OR revoke_time_us "
                         "IS NULL) AND (?3 = 0 OR sequence < ?3) ORDER BY sequence DESC "
                         "LIMIT ?4"));
    query.bind(1, filter.tenant);
    query.bind(2, filter.include_revoked ? 1 : 0);
    query.bind(3, static_cast<int64_t>(before_sequence));
    query.bind(4, limit);
    return ReadSqliteRows(query, ReadRow);
  });
}

absl::StatusOr<TokenRecord> SqliteTokenStore::Revoke(const std::string& id, absl::Time when) {
  return db_.Transact(
      absl::StrCat("revoking token ", id), SQLite::TransactionBehavior::IMMEDIATE,
      [&](SQLite::Database& db) -> absl::StatusOr<TokenRecord> {
        SQLite::Statement update(
            db, "UPDATE tokens SET revoke_time_us = ? WHERE id = ? AND revoke_time_us IS NULL");
        update.bind(1, static_cast<int64_t>(absl::ToUnixMicros(when)));
        update.bind(2, id);
        update.exec();
        absl::StatusOr<std::optional<TokenRecord>> record = FindLocked(db, id);
        if (!record.ok()) return record.status();
        if (!record->has_value()) {
          return absl::NotFoundError(absl::StrCat("token tokens/", id, " not found"));
        }
        return **record;
      });
}

absl::StatusOr<int64_t> SqliteTokenStore::CountActive(const std::string& tenant) {
  return db_.Run("counting tokens", [&](SQLite::Database& db) {
    SQLite::Statement query(
        db, "SELECT COUNT(*) FROM tokens WHERE tenant = ? AND revoke_time_us IS NULL");
    query.bind(1, tenant);
    query.executeStep();
    return static_cast<int64_t>(query.getColumn(0).getInt64());
  });
}

}  // namespace preflight::auth
