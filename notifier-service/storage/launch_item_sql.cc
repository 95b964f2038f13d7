#include "notifier-service/storage/launch_item_sql.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/civil_date.h"
#include "common/sqlite/rows.h"
#include "common/sqlite/statement_cache.h"
#include "common/sqlite/time_columns.h"
#include "notifier-service/storage/notifier_row_codec.h"

namespace preflight::notifier::sql {
namespace {

// Dates are stored as "YYYY-MM-DD" text (which sorts like the date), an absent one as NULL.
void BindOptionalDay(SQLite::Statement& statement, int index,
                     const std::optional<absl::CivilDay>& day) {
  if (day.has_value()) {
    statement.bind(index, FormatCivilDay(*day));
  } else {
    statement.bind(index);
  }
}

absl::StatusOr<std::optional<absl::CivilDay>> OptionalDayColumn(const SQLite::Column& column,
                                                                absl::string_view what) {
  if (column.isNull()) return std::optional<absl::CivilDay>();
  const std::string text = column.getString();
  std::optional<absl::CivilDay> day = ParseCivilDay(text);
  if (!day.has_value()) {
    return absl::DataLossError(absl::StrCat(what, " holds an invalid date '", text, "'"));
  }
  return day;
}

absl::StatusOr<ItemRecord> ReadItemRow(SQLite::Statement& query) {
  ItemRecord record;
  absl::StatusOr<ItemInfo> info =
      DecodeItemInfo(query.getColumn(0).getString(), query.getColumn(1).getString(),
                     query.getColumn(3).getInt64(), query.getColumn(2).getString());
  if (!info.ok()) return info.status();
  record.info = *std::move(info);
  record.next_check_time = OptionalTimeColumn(query.getColumn(4));
  record.snoozed_until = OptionalTimeColumn(query.getColumn(5));
  record.acknowledged_version = query.getColumn(6).getInt64();
  return record;
}

}  // namespace

absl::StatusOr<std::vector<ItemRecord>> ReadItemRows(SQLite::Statement& query) {
  return ReadSqliteRows(query, ReadItemRow);
}

void UpsertLaunch(SQLite::Database& db, const LaunchInfo& launch) {
  CachedStatement upsert(
      db,
      "INSERT INTO launches (launch_id, tenant, display_name, owner, time_zone, "
      "target_launch_date, went_live_date, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (launch_id) DO UPDATE SET tenant = excluded.tenant, "
      "display_name = excluded.display_name, owner = excluded.owner, "
      "time_zone = excluded.time_zone, target_launch_date = excluded.target_launch_date, "
      "went_live_date = excluded.went_live_date, version = excluded.version");
  upsert.bind(1, launch.launch_id);
  upsert.bind(2, launch.tenant);
  upsert.bind(3, launch.display_name);
  upsert.bind(4, launch.owner);
  upsert.bind(5, launch.time_zone);
  BindOptionalDay(upsert, 6, launch.target_launch_date);
  BindOptionalDay(upsert, 7, launch.went_live_date);
  upsert.bind(8, launch.version);
  upsert.exec();
  // Items stored before their launch was known learn its tenant now.
  CachedStatement tenant(db, "UPDATE items SET tenant = ?1 WHERE launch_id = ?2 AND tenant <> ?1");
  tenant.bind(1, launch.tenant);
  tenant.bind(2, launch.launch_id);
  tenant.exec();
}

namespace {

constexpr char kLaunchColumns[] =
    "launch_id, tenant, display_name, owner, time_zone, target_launch_date, went_live_date, "
    "version";

absl::StatusOr<LaunchInfo> ReadLaunchRow(SQLite::Statement& query) {
  const std::string launch_id = query.getColumn(0).getString();
  LaunchInfo launch;
  launch.launch_id = query.getColumn(0).getString();
  launch.tenant = query.getColumn(1).getString();
  launch.display_name = query.getColumn(2).getString();
  launch.owner = query.getColumn(3).getString();
  launch.time_zone = query.getColumn(4).getString();
  const std::string what = absl::StrCat("launch ", launch_id);
  absl::StatusOr<std::optional<absl::CivilDay>> target =
      OptionalDayColumn(query.getColumn(5), what);
  if (!target.ok()) return target.status();
  launch.target_launch_date = *target;
  absl::StatusOr<std::optional<absl::CivilDay>> went_live =
      OptionalDayColumn(query.getColumn(6), what);
  if (!went_live.ok()) return went_live.status();
  launch.went_live_date = *went_live;
  launch.version = query.getColumn(7).getInt64();
  return launch;
}

}  // namespace

absl::StatusOr<std::optional<LaunchInfo>> FindLaunch(SQLite::Database& db,
                                                     const std::string& launch_id) {
  CachedStatement query(
      db, absl::StrCat("SELECT ", kLaunchColumns, " FROM launches WHERE launch_id = ?"));
  query.bind(1, launch_id);
  if (!query.executeStep()) return std::optional<LaunchInfo>();
  absl::StatusOr<LaunchInfo> launch = ReadLaunchRow(query);
  if (!launch.ok()) return launch.status();
  return std::optional<LaunchInfo>(*std::move(launch));
}

absl::StatusOr<std::vector<LaunchInfo>> ListTenantLaunches(SQLite::Database& db,
                                                           absl::string_view tenant) {
  CachedStatement query(db, absl::StrCat("SELECT ", kLaunchColumns,
                                         " FROM launches WHERE tenant = ? ORDER BY launch_id"));
  query.bind(1, std::string(tenant));
  return ReadSqliteRows(query, ReadLaunchRow);
}

void UpsertItem(SQLite::Database& db, const ItemRecord& record) {
  CachedStatement upsert(
      db,
      "INSERT INTO items (launch_id, code, tenant, info, version, next_check_time, snoozed_until, "
      "acknowledged_version) VALUES (?1, ?2, "
      "COALESCE((SELECT tenant FROM launches WHERE launch_id = ?1), ''), ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT (launch_id, code) DO UPDATE SET tenant = excluded.tenant, "
      "info = excluded.info, version = excluded.version, "
      "next_check_time = excluded.next_check_time, snoozed_until = excluded.snoozed_until, "
      "acknowledged_version = excluded.acknowledged_version");
  upsert.bind(1, record.info.launch_id);
  upsert.bind(2, record.info.code);
  upsert.bind(3, EncodeItemInfo(record.info));
  upsert.bind(4, record.info.version);
  BindOptionalTime(upsert, 5, record.next_check_time);
  BindOptionalTime(upsert, 6, record.snoozed_until);
  upsert.bind(7, record.acknowledged_version);
  upsert.exec();
}

absl::StatusOr<std::optional<ItemRecord>> FindItem(SQLite::Database& db,
                                                   absl::string_view launch_id,
                                                   absl::string_view code) {
  CachedStatement query(
      db, absl::StrCat("SELECT ", kItemColumns, " FROM items WHERE launch_id = ? AND code = ?"));
  query.bind(1, std::string(launch_id));
  query.bind(2, std::string(code));
  if (!query.executeStep()) return std::optional<ItemRecord>();
  absl::StatusOr<ItemRecord> record = ReadItemRow(query);
  if (!record.ok()) return record.status();
  return std::optional<ItemRecord>(*std::move(record));
}

absl::StatusOr<std::vector<ItemRecord>> ListLaunchItems(SQLite::Database& db,
                                                        absl::string_view launch_id) {
  CachedStatement query(
      db, absl::StrCat("SELECT ", kItemColumns, " FROM items WHERE launch_id = ? ORDER BY code"));
  query.bind(1, std::string(launch_id));
  return ReadItemRows(query);
}

}  // namespace preflight::notifier::sql
