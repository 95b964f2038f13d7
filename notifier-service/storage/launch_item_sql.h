#pragma once

// The SQL of the notifier's picture of the checklist: the launches and items tables, as the
// event stream leaves them. Like every *_sql.h here: the functions run on a connection the caller
// holds (SqliteReaderWriter), throw SQLite::Exception as SQLiteCpp does, and return a status only
// for what the data says; writes expect the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "notifier-service/domain/model.h"
#include "notifier-service/domain/notifier_store.h"

namespace preflight::notifier::sql {

// The items columns ReadItemRows expects, in this order, for SELECTs of whole item records.
inline constexpr char kItemColumns[] =
    "launch_id, code, info, version, next_check_time, snoozed_until, acknowledged_version";

// The records a SELECT of kItemColumns yields; DATA_LOSS for an unreadable info.
absl::StatusOr<std::vector<ItemRecord>> ReadItemRows(SQLite::Statement& query);

// Writes the launch (insert or replace) and gives its items stored before it their tenant.
void UpsertLaunch(SQLite::Database& db, const LaunchInfo& launch);
absl::StatusOr<std::optional<LaunchInfo>> FindLaunch(SQLite::Database& db,
                                                     const std::string& launch_id);

// The launches of one tenant, by id.
absl::StatusOr<std::vector<LaunchInfo>> ListTenantLaunches(SQLite::Database& db,
                                                           absl::string_view tenant);

// Writes the item whole, info and controls; its tenant comes from its launch when known.
void UpsertItem(SQLite::Database& db, const ItemRecord& record);
absl::StatusOr<std::optional<ItemRecord>> FindItem(SQLite::Database& db,
                                                   absl::string_view launch_id,
                                                   absl::string_view code);
// By code.
absl::StatusOr<std::vector<ItemRecord>> ListLaunchItems(SQLite::Database& db,
                                                        absl::string_view launch_id);

}  // namespace preflight::notifier::sql
