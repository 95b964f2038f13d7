#include "common/auth/postgres_token_store.h"

#include <pqxx/result>
#include <pqxx/transaction>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/postgres/migration_runner.h"

namespace preflight::auth {
namespace {

const std::vector<PostgresMigration>& TokenMigrations() {
  static const auto* const kMigrations = new std::vector<PostgresMigration>{
      {1,
       {R"sql(
        CREATE TABLE tokens (
          sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          secret_hash TEXT NOT NULL,
          tenant TEXT NOT NULL,
          role TEXT NOT NULL,
          display_name TEXT NOT NULL,
          creator TEXT NOT NULL,
          create_time_us BIGINT NOT NULL,
          revoke_time_us BIGINT
        ))sql",
        "CREATE INDEX tokens_by_tenant ON tokens(tenant, sequence)"}},
  };
  return *kMigrations;
}

constexpr char kColumns[] =
    "sequence, id, secret_hash, tenant, role, display_name, creator, create_time_us, "
    "revoke_time_us";

absl::StatusOr<TokenRecord> ReadRow(const pqxx::row& row) {
  TokenRecord record;
  record.sequence = row[0].as<int64_t>();
  record.id = row[1].as<std::string>();
  record.secret_hash = row[2].as<std::string>();
  record.tenant = row[3].as<std::string>();
  absl::StatusOr<Role> role = ParseRole(row[4].as<std::string>());
  if (!role.ok()) {
    return absl::DataLossError(absl::StrCat("token ", record.id, " has an unknown role"));
  }
  record.role = *role;
  record.display_name = row[5].as<std::string>();
  record.creator = row[6].as<std::string>();
  record.create_time = absl::FromUnixMicros(row[7].as<int64_t>());
  if (!row[8].is_null()) record.revoke_time = absl::FromUnixMicros(row[8].as<int64_t>());
  return record;
}

absl::StatusOr<std::optional<TokenRecord>> FindIn(pqxx::transaction_base& tx,
                                                  const std::string& id) {
  pqxx::result rows =
      tx.exec_params(absl::StrCat("SELECT ", kColumns, " FROM tokens WHERE id = $1"), id);
  if (rows.empty()) return std::optional<TokenRecord>();
  absl::StatusOr<TokenRecord> record = ReadRow(rows[0]);
  if (!record.ok()) return record.status();
  return std::optional<TokenRecord>(*std::move(record));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresTokenStore>> PostgresTokenStore::Open(PostgresPool* pool) {
  if (absl::Status migrated = ApplyPostgresMigrations(*pool, "tokens", TokenMigrations());
      !migrated.ok()) {
    return migrated;
  }
  return std::unique_ptr<PostgresTokenStore>(new PostgresTokenStore(pool));
}

absl::StatusOr<TokenRecord> PostgresTokenStore::Insert(const TokenRecord& record) {
  return pool_->Transact(
      absl::StrCat("storing token ", record.id), [&](pqxx::transaction_base& tx) {
        pqxx::row row = tx.exec_params1(
            "INSERT INTO tokens (id, secret_hash, tenant, role, display_name, "
            "creator, create_time_us) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "RETURNING sequence",
            record.id, record.secret_hash, record.tenant, std::string(RoleName(record.role)),
            record.display_name, record.creator,
            static_cast<int64_t>(absl::ToUnixMicros(record.create_time)));
        TokenRecord stored = record;
        stored.sequence = row[0].as<int64_t>();
        stored.revoke_time.reset();
        return stored;
      });
}

absl::StatusOr<std::optional<TokenRecord>> PostgresTokenStore::Find(const std::string& id) {
  return pool_->Autocommit(absl::StrCat("reading token ", id),
                           [&](pqxx::transaction_base& tx) { return FindIn(tx, id); });
}

absl::StatusOr<std::vector<TokenRecord>> PostgresTokenStore::List(const TokenFilter& filter,
                                                                  int64_t before_sequence,
                                                                  int limit) {
  return pool_->Autocommit(
      "listing tokens",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<std::vector<TokenRecord>> {
        pqxx::result rows = tx.exec_params(
            absl::StrCat("SELECT ", kColumns,
                         " FROM tokens WHERE ($1::text = '' OR tenant = $1::text) AND ($2::boolean "
                         "OR revoke_time_us IS NULL) AND ($3::bigint = 0 OR sequence < "
                         "$3::bigint) ORDER BY sequence DESC LIMIT $4::bigint"),
            filter.tenant, filter.include_revoked, before_sequence, limit);
        std::vector<TokenRecord> records;
        records.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          absl::StatusOr<TokenRecord> record = ReadRow(row);
          if (!record.ok()) return record.status();
          records.push_back(*std::move(record));
        }
        return records;
      });
}

absl::StatusOr<TokenRecord> PostgresTokenStore::Revoke(const std::string& id, absl::Time when) {
  return pool_->Transact(
      absl::StrCat("revoking token ", id),
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<TokenRecord> {
        tx.exec_params(
            "UPDATE tokens SET revoke_time_us = $1 WHERE id = $2 AND revoke_time_us IS NULL",
            static_cast<int64_t>(absl::ToUnixMicros(when)), id);
        absl::StatusOr<std::optional<TokenRecord>> record = FindIn(tx, id);
        if (!record.ok()) return record.status();
        if (!record->has_value()) {
          return absl::NotFoundError(absl::StrCat("token tokens/", id, " not found"));
        }
        return **record;
      });
}

absl::StatusOr<int64_t> PostgresTokenStore::CountActive(const std::string& tenant) {
  return pool_->Autocommit("counting tokens", [&](pqxx::transaction_base& tx) {
    pqxx::row row = tx.exec_params1(
        "SELECT COUNT(*) FROM tokens WHERE tenant = $1 AND revoke_time_us IS NULL", tenant);
    return row[0].as<int64_t>();
  });
}

}  // namespace preflight::auth
