#include "common/sqlite/secret.h"

#include <optional>

#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/statement_cache.h"

namespace preflight {
namespace {

std::optional<std::string> ReadSecret(SQLite::Database& db, const std::string& name) {
  CachedStatement query(db, "SELECT value FROM secrets WHERE name = ?");
  query.bind(1, name);
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

// Inserts `fresh` unless another connection got there first, and returns what is stored.
std::string ReadOrInsertSecret(SQLite::Database& writer, const std::string& name,
                               const std::string& fresh) {
  SQLite::Statement insert(
      writer, "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
  insert.bind(1, name);
  insert.bind(2, fresh.data(), static_cast<int>(fresh.size()));
  insert.exec();
  return ReadSecret(writer, name).value_or(fresh);
}

}  // namespace

absl::StatusOr<std::string> GetOrCreateSqliteSecret(SqliteReaderWriter& db, absl::string_view name,
                                                    SqliteSecretGenerator generate) {
  const std::string key(name);
  const std::string context = absl::StrCat("secret '", key, "'");
  // The common case, a secret made long ago, takes no write lock.
  absl::StatusOr<std::optional<std::string>> stored =
      db.Read(context, [&](SQLite::Database& reader) { return ReadSecret(reader, key); });
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return **stored;

  absl::StatusOr<std::string> fresh = generate();
  if (!fresh.ok()) {
    return absl::InternalError(absl::StrCat(context, ": ", fresh.status().message()));
  }
  return db.WriteTransaction(
      context, [&](SQLite::Database& writer) { return ReadOrInsertSecret(writer, key, *fresh); });
}

}  // namespace preflight
