#include "notifier-service/storage/inbox_sql.h"

#include <string>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/rows.h"
#include "common/sqlite/statement_cache.h"

namespace preflight::notifier::sql {

void InsertInboxMessage(SQLite::Database& db, const InboxMessage& message) {
  CachedStatement insert(db,
                         "INSERT INTO inbox (recipient_tenant, recipient_id, delivery_id, "
                         "subject, body, create_time) VALUES (?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (delivery_id) DO NOTHING");
  insert.bind(1, message.recipient_tenant);
  insert.bind(2, message.recipient_id);
  insert.bind(3, message.delivery_id);
  insert.bind(4, message.subject);
  insert.bind(5, message.body);
  insert.bind(6, absl::ToUnixMicros(message.create_time));
  insert.exec();
}

absl::StatusOr<std::vector<InboxMessage>> ListInbox(SQLite::Database& db, absl::string_view tenant,
                                                    absl::string_view id, int64_t before_id,
                                                    int limit) {
  std::string sql =
      "SELECT i.id, i.recipient_tenant, i.recipient_id, i.delivery_id, i.subject, i.body, "
      "i.create_time, COALESCE(d.launch_id, ''), COALESCE(d.item_code, '') "
      "FROM inbox i LEFT JOIN deliveries d ON d.id = i.delivery_id "
      "WHERE i.recipient_tenant = ? AND i.recipient_id = ?";
  if (before_id > 0) absl::StrAppend(&sql, " AND i.id < ?");
  absl::StrAppend(&sql, " ORDER BY i.id DESC LIMIT ?");
  CachedStatement query(db, sql);
  int index = 0;
  query.bind(++index, std::string(tenant));
  query.bind(++index, std::string(id));
  if (before_id > 0) query.bind(++index, before_id);
  query.bind(++index, limit);
  return ReadSqliteRows(query, [](SQLite::Statement& row) {
    InboxMessage message;
    message.id = row.getColumn(0).getInt64();
    message.recipient_tenant = row.getColumn(1).getString();
    message.recipient_id = row.getColumn(2).getString();
    message.delivery_id = row.getColumn(3).getInt64();
    message.subject = row.getColumn(4).getString();
    message.body = row.getColumn(5).getString();
    message.create_time = absl::FromUnixMicros(row.getColumn(6).getInt64());
    message.launch_id = row.getColumn(7).getString();
    message.item_code = row.getColumn(8).getString();
    return message;
  });
}

}  // namespace preflight::notifier::sql
