#include "notifier-service/storage/reminder_schedule_sql.h"

#include <utility>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/sqlite/rows.h"
#include "common/sqlite/statement_cache.h"
#include "common/sqlite/time_columns.h"
#include "notifier-service/storage/delivery_sql.h"
#include "notifier-service/storage/launch_item_sql.h"

namespace preflight::notifier::sql {

absl::StatusOr<std::vector<ItemRecord>> ItemsToCheck(SQLite::Database& db, absl::Time now,
                                                     int limit) {
  CachedStatement query(db, absl::StrCat("SELECT ", kItemColumns,
                                         " FROM items WHERE next_check_time <= ? "
                                         "ORDER BY next_check_time, launch_id, code LIMIT ?"));
  query.bind(1, absl::ToUnixMicros(now));
  query.bind(2, limit);
  return ReadItemRows(query);
}

absl::StatusOr<std::vector<ItemRecord>> ListScheduledItems(
    SQLite::Database& db, absl::string_view tenant, absl::string_view launch_id,
    absl::string_view after_launch_id, absl::string_view after_code, int limit) {
  std::string sql = absl::StrCat("SELECT ", kItemColumns,
                                 " FROM items WHERE next_check_time IS NOT NULL "
                                 "AND (launch_id, code) > (?, ?)");
  if (!tenant.empty()) absl::StrAppend(&sql, " AND tenant = ?");
  if (!launch_id.empty()) absl::StrAppend(&sql, " AND launch_id = ?");
  absl::StrAppend(&sql, " ORDER BY launch_id, code LIMIT ?");
  CachedStatement query(db, sql);
  int index = 0;
  query.bind(++index, std::string(after_launch_id));
  query.bind(++index, std::string(after_code));
  if (!tenant.empty()) query.bind(++index, std::string(tenant));
  if (!launch_id.empty()) query.bind(++index, std::string(launch_id));
  query.bind(++index, limit);
  return ReadItemRows(query);
}

absl::Status UpdateItemControls(SQLite::Database& db, const ItemRecord& record) {
  CachedStatement update(db,
                         "UPDATE items SET next_check_time = ?, snoozed_until = ?, "
                         "acknowledged_version = ? WHERE launch_id = ? AND code = ?");
  BindOptionalTime(update, 1, record.next_check_time);
  BindOptionalTime(update, 2, record.snoozed_until);
  update.bind(3, record.acknowledged_version);
  update.bind(4, record.info.launch_id);
  update.bind(5, record.info.code);
  if (update.exec() == 0) {
    return absl::NotFoundError(absl::StrCat(
        "item ", api::ItemName(record.info.launch_id, record.info.code), " not found"));
  }
  return absl::OkStatus();
}

int64_t CountScheduledItems(SQLite::Database& db) {
  return db.execAndGet("SELECT COUNT(*) FROM items WHERE next_check_time IS NOT NULL").getInt64();
}

std::optional<absl::Time> NextDueTime(SQLite::Database& db) {
  CachedStatement query(db,
                        "SELECT MIN(t) FROM ("
                        "SELECT MIN(next_check_time) AS t FROM items "
                        "UNION ALL SELECT MIN(next_attempt_time) FROM deliveries "
                        "WHERE state = 'pending')");
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return absl::FromUnixMicros(query.getColumn(0).getInt64());
}

void InsertHandledRung(SQLite::Database& db, const HandledRung& rung) {
  CachedStatement insert(db,
                         "INSERT INTO handled_rungs (launch_id, code, rung_id, outcome, time) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  insert.bind(1, rung.launch_id);
  insert.bind(2, rung.item_code);
  insert.bind(3, rung.rung_id);
  insert.bind(4, rung.outcome);
  insert.bind(5, absl::ToUnixMicros(rung.time));
  insert.exec();
}

absl::StatusOr<std::vector<HandledRung>> ListHandledRungs(SQLite::Database& db,
                                                          absl::string_view launch_id,
                                                          absl::string_view code) {
  CachedStatement query(db,
                        "SELECT launch_id, code, rung_id, outcome, time FROM handled_rungs "
                        "WHERE launch_id = ? AND code = ? ORDER BY time, rung_id");
  query.bind(1, std::string(launch_id));
  query.bind(2, std::string(code));
  return ReadSqliteRows(query, [](SQLite::Statement& row) {
    HandledRung rung;
    rung.launch_id = row.getColumn(0).getString();
    rung.item_code = row.getColumn(1).getString();
    rung.rung_id = row.getColumn(2).getString();
    rung.outcome = row.getColumn(3).getString();
    rung.time = absl::FromUnixMicros(row.getColumn(4).getInt64());
    return rung;
  });
}

std::vector<Delivery> CommitDecision(SQLite::Database& db, const Decision& decision) {
  for (const HandledRung& rung : decision.handled) InsertHandledRung(db, rung);
  std::vector<Delivery> inserted;
  for (const Delivery& delivery : decision.deliveries) {
    std::optional<int64_t> id = InsertDelivery(db, delivery);
    if (!id.has_value()) continue;
    inserted.push_back(delivery);
    inserted.back().id = *id;
    inserted.back().history.clear();
  }
  // An item the store does not know (a test notification) has no next check to update.
  CachedStatement update(db,
                         "UPDATE items SET next_check_time = ? WHERE launch_id = ? AND code = ?");
  BindOptionalTime(update, 1, decision.next_check_time);
  update.bind(2, decision.launch_id);
  update.bind(3, decision.item_code);
  update.exec();
  return inserted;
}

}  // namespace preflight::notifier::sql
