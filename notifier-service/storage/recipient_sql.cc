#include "notifier-service/storage/recipient_sql.h"

#include <string>
#include <utility>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/sqlite/rows.h"
#include "common/sqlite/statement_cache.h"
#include "notifier-service/storage/notifier_row_codec.h"

namespace preflight::notifier::sql {
namespace {

constexpr char kRecipientColumns[] =
    "id, tenant, display_name, language, channels, digest, subscriptions, version, create_time, "
    "update_time, roles";

absl::StatusOr<Recipient> ReadRecipientRow(SQLite::Statement& query) {
  Recipient recipient;
  recipient.id = query.getColumn(0).getString();
  recipient.tenant = query.getColumn(1).getString();
  recipient.display_name = query.getColumn(2).getString();
  recipient.language = query.getColumn(3).getString();
  const std::string name = api::RecipientName(recipient.tenant, recipient.id);
  absl::StatusOr<std::vector<RecipientChannel>> channels =
      DecodeChannels(query.getColumn(4).getString(), name);
  if (!channels.ok()) return channels.status();
  recipient.channels = *std::move(channels);
  recipient.digest = query.getColumn(5).getInt() != 0;
  absl::StatusOr<std::vector<std::string>> subscriptions =
      DecodeSubscriptions(query.getColumn(6).getString(), name);
  if (!subscriptions.ok()) return subscriptions.status();
  recipient.subscriptions = *std::move(subscriptions);
  recipient.version = query.getColumn(7).getInt64();
  recipient.create_time = absl::FromUnixMicros(query.getColumn(8).getInt64());
  recipient.update_time = absl::FromUnixMicros(query.getColumn(9).getInt64());
  absl::StatusOr<std::vector<RecipientRole>> roles =
      DecodeRoles(query.getColumn(10).getString(), name);
  if (!roles.ok()) return roles.status();
  recipient.roles = *std::move(roles);
  return recipient;
}

std::optional<int64_t> StoredVersion(SQLite::Database& db, const std::string& tenant,
                                     const std::string& id) {
  CachedStatement query(db, "SELECT version FROM recipients WHERE tenant = ? AND id = ?");
  query.bind(1, tenant);
  query.bind(2, id);
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

// Replaces the recipient's rows in recipient_subscriptions with its subscriptions.
void WriteSubscriptions(SQLite::Database& db, const Recipient& recipient) {
  CachedStatement clear(db,
                        "DELETE FROM recipient_subscriptions WHERE recipient_tenant = ? AND "
                        "recipient_id = ?");
  clear.bind(1, recipient.tenant);
  clear.bind(2, recipient.id);
  clear.exec();
  for (const std::string& target : recipient.subscriptions) {
    CachedStatement insert(db,
                           "INSERT INTO recipient_subscriptions (recipient_tenant, recipient_id, "
                           "target) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    insert.bind(1, recipient.tenant);
    insert.bind(2, recipient.id);
    insert.bind(3, target);
    insert.exec();
  }
}

}  // namespace

absl::Status CreateRecipient(SQLite::Database& db, const Recipient& recipient) {
  if (StoredVersion(db, recipient.tenant, recipient.id).has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "recipient ", api::RecipientName(recipient.tenant, recipient.id), " already exists"));
  }
  CachedStatement insert(db, absl::StrCat("INSERT INTO recipients (", kRecipientColumns,
                                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bind(1, recipient.id);
  insert.bind(2, recipient.tenant);
  insert.bind(3, recipient.display_name);
  insert.bind(4, recipient.language);
  insert.bind(5, EncodeChannels(recipient.channels));
  insert.bind(6, recipient.digest ? 1 : 0);
  insert.bind(7, EncodeSubscriptions(recipient.subscriptions));
  insert.bind(8, recipient.version);
  insert.bind(9, absl::ToUnixMicros(recipient.create_time));
  insert.bind(10, absl::ToUnixMicros(recipient.update_time));
  insert.bind(11, EncodeRoles(recipient.roles));
  insert.exec();
  WriteSubscriptions(db, recipient);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Recipient>> FindRecipient(SQLite::Database& db,
                                                       absl::string_view tenant,
                                                       absl::string_view id) {
  CachedStatement query(db, absl::StrCat("SELECT ", kRecipientColumns,
                                         " FROM recipients WHERE tenant = ? AND id = ?"));
  query.bind(1, std::string(tenant));
  query.bind(2, std::string(id));
  if (!query.executeStep()) return std::optional<Recipient>();
  absl::StatusOr<Recipient> recipient = ReadRecipientRow(query);
  if (!recipient.ok()) return recipient.status();
  return std::optional<Recipient>(*std::move(recipient));
}

absl::StatusOr<std::vector<Recipient>> ListRecipients(SQLite::Database& db,
                                                      absl::string_view tenant,
                                                      absl::string_view after_tenant,
                                                      absl::string_view after_id, int limit) {
  std::string sql =
      absl::StrCat("SELECT ", kRecipientColumns, " FROM recipients WHERE (tenant, id) > (?, ?)");
  if (!tenant.empty()) absl::StrAppend(&sql, " AND tenant = ?");
  absl::StrAppend(&sql, " ORDER BY tenant, id LIMIT ?");
  CachedStatement query(db, sql);
  int index = 0;
  query.bind(++index, std::string(after_tenant));
  query.bind(++index, std::string(after_id));
  if (!tenant.empty()) query.bind(++index, std::string(tenant));
  query.bind(++index, limit);
  return ReadSqliteRows(query, ReadRecipientRow);
}

absl::StatusOr<std::vector<Recipient>> SubscribersOf(SQLite::Database& db, absl::string_view tenant,
                                                     absl::string_view launch_id) {
  CachedStatement query(
      db, absl::StrCat("SELECT ", kRecipientColumns,
                       " FROM recipients WHERE (tenant, id) IN (SELECT recipient_tenant, "
                       "recipient_id FROM recipient_subscriptions WHERE target IN (?, ?)) "
                       "ORDER BY tenant, id"));
  // An empty name matches nothing (NULL never equals a target).
  if (tenant.empty()) {
    query.bind(1);
  } else {
    query.bind(1, api::TenantName(tenant));
  }
  if (launch_id.empty()) {
    query.bind(2);
  } else {
    query.bind(2, api::LaunchName(launch_id));
  }
  return ReadSqliteRows(query, ReadRecipientRow);
}

absl::StatusOr<std::vector<Recipient>> ListManagers(SQLite::Database& db) {
  CachedStatement query(
      db, absl::StrCat("SELECT ", kRecipientColumns,
                       " FROM recipients WHERE tenant <> '' AND EXISTS (SELECT 1 FROM "
                       "json_each(recipients.roles) WHERE value = 'manager') ORDER BY tenant, id"));
  return ReadSqliteRows(query, ReadRecipientRow);
}

absl::Status UpdateRecipient(SQLite::Database& db, const Recipient& recipient) {
  const std::string name = api::RecipientName(recipient.tenant, recipient.id);
  std::optional<int64_t> stored = StoredVersion(db, recipient.tenant, recipient.id);
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("recipient ", name, " not found"));
  }
  if (*stored != recipient.version - 1) {
    return absl::AbortedError(absl::StrCat("recipient ", name,
                                           " was changed concurrently (stored version ", *stored,
                                           ", expected ", recipient.version - 1, ")"));
  }
  // create_time is the stored one: a recipient is created once. The tenant is part of the key.
  CachedStatement update(db,
                         "UPDATE recipients SET display_name = ?, language = ?, channels = ?, "
                         "digest = ?, subscriptions = ?, version = ?, update_time = ?, "
                         "roles = ? WHERE tenant = ? AND id = ?");
  update.bind(1, recipient.display_name);
  update.bind(2, recipient.language);
  update.bind(3, EncodeChannels(recipient.channels));
  update.bind(4, recipient.digest ? 1 : 0);
  update.bind(5, EncodeSubscriptions(recipient.subscriptions));
  update.bind(6, recipient.version);
  update.bind(7, absl::ToUnixMicros(recipient.update_time));
  update.bind(8, EncodeRoles(recipient.roles));
  update.bind(9, recipient.tenant);
  update.bind(10, recipient.id);
  update.exec();
  WriteSubscriptions(db, recipient);
  return absl::OkStatus();
}

absl::Status DeleteRecipient(SQLite::Database& db, absl::string_view tenant, absl::string_view id,
                             std::optional<int64_t> expected_version) {
  const std::string tenant_key(tenant);
  const std::string key(id);
  const std::string name = api::RecipientName(tenant, id);
  std::optional<int64_t> stored = StoredVersion(db, tenant_key, key);
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("recipient ", name, " not found"));
  }
  if (expected_version.has_value() && *expected_version != *stored) {
    return absl::AbortedError(
        absl::StrCat("recipient ", name, " is at version ", *stored, ", not ", *expected_version));
  }
  // Subscriptions go with it (ON DELETE CASCADE).
  CachedStatement remove(db, "DELETE FROM recipients WHERE tenant = ? AND id = ?");
  remove.bind(1, tenant_key);
  remove.bind(2, key);
  remove.exec();
  return absl::OkStatus();
}

}  // namespace preflight::notifier::sql
