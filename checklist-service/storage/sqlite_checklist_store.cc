#include "checklist-service/storage/sqlite_checklist_store.h"

#include <sqlite3.h>

#include <utility>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/storage/commit_context.h"
#include "checklist-service/storage/day_columns.h"
#include "checklist-service/storage/migrations.h"
#include "checklist-service/storage/snapshot_proto_codec.h"
#include "common/api/resource_names.h"
#include "common/civil_date.h"
#include "common/crypto.h"
#include "common/sqlite/error_status.h"
#include "common/sqlite/query_limit.h"
#include "common/sqlite/rows.h"
#include "common/sqlite/secret.h"
#include "common/sqlite/statement_cache.h"

namespace preflight::checklist {
namespace {

constexpr int kSecretBytes = 32;

std::string Str(absl::string_view s) { return std::string(s); }

std::string ItemName(const Item& item) { return api::ItemName(item.launch_id, item.code); }

// A BLOB column's bytes in place: the decoders parse straight from SQLite's buffer, valid until
// the statement steps on.
absl::string_view Blob(const SQLite::Column& column) {
  const char* data = static_cast<const char*>(column.getBlob());  // before getBytes (SQLite docs)
  return absl::string_view(data, static_cast<size_t>(column.getBytes()));
}

// Payloads bind as BLOBs (a STRICT BLOB column refuses TEXT) without a copy: `payload` outlives
// the statement's exec.
void BindPayload(SQLite::Statement& statement, int index, const std::string& payload) {
  statement.bindNoCopy(index, static_cast<const void*>(payload.data()),
                       static_cast<int>(payload.size()));
}

// ---- Reads (any connection; the caller holds its mutex) ----

absl::StatusOr<std::vector<Item>> ReadItems(SQLite::Database& db, const std::string& launch_id) {
  CachedStatement query(db, "SELECT payload FROM items WHERE launch_id = ? ORDER BY ordinal");
  query.bind(1, launch_id);
  return ReadSqliteRows(query,
                        [](SQLite::Statement& row) { return DecodeItem(Blob(row.getColumn(0))); });
}

absl::StatusOr<std::optional<LaunchState>> ReadLaunchState(SQLite::Database& db,
                                                           const std::string& launch_id) {
  CachedStatement query(db, "SELECT payload FROM launches WHERE id = ?");
  query.bind(1, launch_id);
  if (!query.executeStep()) return std::nullopt;
  absl::StatusOr<Launch> launch = DecodeLaunch(Blob(query.getColumn(0)));
  if (!launch.ok()) return launch.status();
  absl::StatusOr<std::vector<Item>> items = ReadItems(db, launch_id);
  if (!items.ok()) return items.status();
  return LaunchState{*std::move(launch), *std::move(items)};
}

// One row of the events table, as QueryEvents selects it.
absl::StatusOr<Event> ReadEventRow(SQLite::Statement& query) {
  Event event;
  event.sequence = query.getColumn(0).getInt64();
  const std::string type = query.getColumn(1).getString();
  std::optional<EventType> parsed = ParseEventType(type);
  if (!parsed.has_value()) {
    return absl::DataLossError(
        absl::StrCat("event ", event.sequence, " has unknown type '", type, "'"));
  }
  event.type = *parsed;
  event.tenant = query.getColumn(2).getString();
  event.launch_id = query.getColumn(3).getString();
  event.item_code = query.getColumn(4).getString();
  event.actor = query.getColumn(5).getString();
  event.time = absl::FromUnixMicros(query.getColumn(6).getInt64());
  event.summary = query.getColumn(7).getString();
  if (absl::Status s = DecodeEventPayload(Blob(query.getColumn(8)), &event); !s.ok()) {
    return s;
  }
  return event;
}

int64_t ReadLastSequence(SQLite::Database& db) {
  return db.execAndGet("SELECT COALESCE(MAX(sequence), 0) FROM events").getInt64();
}

// ---- Writes (the writer connection inside an IMMEDIATE transaction) ----

absl::Status WriteLaunch(SQLite::Database& db, const Launch& launch) {
  if (launch.version < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("launch ", launch.id, " has invalid version ", launch.version));
  }
  const std::string payload = EncodeLaunch(launch);
  if (launch.version == 1) {
    CachedStatement exists(db, "SELECT 1 FROM launches WHERE id = ?");
    exists.bind(1, launch.id);
    if (exists.executeStep()) {
      return absl::AlreadyExistsError(absl::StrCat("launch ", launch.id, " already exists"));
    }
    if (!launch.request_id.empty()) {
      CachedStatement same_request(db,
                                   "SELECT id FROM launches WHERE tenant = ? AND request_id = ?");
      same_request.bind(1, launch.tenant);
      same_request.bind(2, launch.request_id);
      if (same_request.executeStep()) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id '", launch.request_id, "' of tenant '", launch.tenant,
                         "' was already used by launch ", same_request.getColumn(0).getString()));
      }
    }
    CachedStatement insert(db,
                           "INSERT INTO launches (id, tenant, owner, target_date, request_id, "
                           "request_fingerprint, version, create_time, update_time, payload) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, launch.id);
    insert.bind(2, launch.tenant);
    insert.bind(3, launch.owner);
    insert.bind(4, FormatCivilDay(launch.target_launch_date));
    insert.bind(5, launch.request_id);
    insert.bind(6, launch.request_fingerprint);
    insert.bind(7, launch.version);
    insert.bind(8, absl::ToUnixMicros(launch.create_time));
    insert.bind(9, absl::ToUnixMicros(launch.update_time));
    BindPayload(insert, 10, payload);
    insert.exec();
    return absl::OkStatus();
  }

  CachedStatement update(db,
                         "UPDATE launches SET tenant = ?, owner = ?, target_date = ?, "
                         "request_id = ?, request_fingerprint = ?, version = ?, create_time = ?, "
                         "update_time = ?, payload = ? WHERE id = ? AND version = ?");
  update.bind(1, launch.tenant);
  update.bind(2, launch.owner);
  update.bind(3, FormatCivilDay(launch.target_launch_date));
  update.bind(4, launch.request_id);
  update.bind(5, launch.request_fingerprint);
  update.bind(6, launch.version);
  update.bind(7, absl::ToUnixMicros(launch.create_time));
  update.bind(8, absl::ToUnixMicros(launch.update_time));
  BindPayload(update, 9, payload);
  update.bind(10, launch.id);
  update.bind(11, launch.version - 1);
  if (update.exec() == 1) return absl::OkStatus();

  CachedStatement stored(db, "SELECT version FROM launches WHERE id = ?");
  stored.bind(1, launch.id);
  if (!stored.executeStep()) {
    return absl::NotFoundError(absl::StrCat("launch ", launch.id, " not found"));
  }
  return absl::AbortedError(
      absl::StrCat("launch ", launch.id, " was changed concurrently (stored version ",
                   stored.getColumn(0).getInt64(), ", expected ", launch.version - 1, ")"));
}

absl::Status WriteItem(SQLite::Database& db, const Item& item) {
  if (item.version < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("item ", ItemName(item), " has invalid version ", item.version));
  }
  const std::string payload = EncodeItem(item);
  const std::string status(ItemStatusName(item.status));
  if (item.version == 1) {
    CachedStatement launch_exists(db, "SELECT 1 FROM launches WHERE id = ?");
    launch_exists.bind(1, item.launch_id);
    if (!launch_exists.executeStep()) {
      return absl::FailedPreconditionError(
          absl::StrCat("item ", ItemName(item), " belongs to no stored launch"));
    }
    CachedStatement exists(db, "SELECT 1 FROM items WHERE launch_id = ? AND code = ?");
    exists.bind(1, item.launch_id);
    exists.bind(2, item.code);
    if (exists.executeStep()) {
      return absl::AlreadyExistsError(absl::StrCat("item ", ItemName(item), " already exists"));
    }
    // The index columns of migration 4 are written with the payload, so they never disagree.
    CachedStatement insert(
        db,
        "INSERT INTO items (launch_id, code, ordinal, version, status, payload, tenant, assignee, "
        "open, latest_start, latest_finish) VALUES (?1, ?2, "
        "(SELECT COALESCE(MAX(ordinal), 0) + 1 FROM items WHERE launch_id = ?1), ?3, ?4, ?5, "
        "(SELECT tenant FROM launches WHERE id = ?1), ?6, ?7, ?8, ?9)");
    insert.bind(1, item.launch_id);
    insert.bind(2, item.code);
    insert.bind(3, item.version);
    insert.bind(4, status);
    BindPayload(insert, 5, payload);
    insert.bind(6, item.assignee);
    insert.bind(7, IsDone(item.status) ? 0 : 1);
    insert.bind(8, DayColumn(item.schedule.latest_start));
    insert.bind(9, DayColumn(item.schedule.latest_finish));
    insert.exec();
    return absl::OkStatus();
  }

  CachedStatement update(db,
                         "UPDATE items SET version = ?, status = ?, payload = ?, assignee = ?, "
                         "open = ?, latest_start = ?, latest_finish = ? "
                         "WHERE launch_id = ? AND code = ? AND version = ?");
  update.bind(1, item.version);
  update.bind(2, status);
  BindPayload(update, 3, payload);
  update.bind(4, item.assignee);
  update.bind(5, IsDone(item.status) ? 0 : 1);
  update.bind(6, DayColumn(item.schedule.latest_start));
  update.bind(7, DayColumn(item.schedule.latest_finish));
  update.bind(8, item.launch_id);
  update.bind(9, item.code);
  update.bind(10, item.version - 1);
  if (update.exec() == 1) return absl::OkStatus();

  CachedStatement stored(db, "SELECT version FROM items WHERE launch_id = ? AND code = ?");
  stored.bind(1, item.launch_id);
  stored.bind(2, item.code);
  if (!stored.executeStep()) {
    return absl::NotFoundError(absl::StrCat("item ", ItemName(item), " not found"));
  }
  return absl::AbortedError(
      absl::StrCat("item ", ItemName(item), " was changed concurrently (stored version ",
                   stored.getColumn(0).getInt64(), ", expected ", item.version - 1, ")"));
}

// The bounds are lower bounds of a day to come, so "never" sorts after every date.
void WriteRiskBounds(SQLite::Database& db, const RiskBounds& bounds) {
  CachedStatement launch(db, "UPDATE launches SET at_risk_from = ? WHERE id = ?");
  launch.bind(1, DayColumn(bounds.launch_at_risk_from));
  launch.bind(2, bounds.launch_id);
  launch.exec();
  // Only rows whose bound moved are rewritten.
  CachedStatement item(db,
                       "UPDATE items SET at_risk_from = ?1 WHERE launch_id = ?2 AND code = ?3 "
                       "AND at_risk_from IS NOT ?1");
  for (const auto& [code, from] : bounds.item_at_risk_from) {
    item.get().reset();
    item.bind(1, DayColumn(from));
    item.bind(2, bounds.launch_id);
    item.bind(3, code);
    item.exec();
  }
}

void WriteEvent(SQLite::Database& db, const Event& event) {
  const std::string payload = EncodeEventPayload(event);
  CachedStatement insert(db,
                         "INSERT INTO events (sequence, type, tenant, launch_id, item_code, "
                         "actor, time_micros, summary, payload) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, event.sequence);
  insert.bind(2, Str(EventTypeName(event.type)));
  insert.bind(3, event.tenant);
  insert.bind(4, event.launch_id);
  insert.bind(5, event.item_code);
  insert.bind(6, event.actor);
  insert.bind(7, absl::ToUnixMicros(event.time));
  insert.bind(8, event.summary);
  BindPayload(insert, 9, payload);
  insert.exec();
}

// Writes one change set with its events numbered after `last_sequence`. An SQLite failure comes
// back as a status, so the caller can roll back just this change set.
absl::StatusOr<std::vector<Event>> ApplyChangeSet(SQLite::Database& db, const ChangeSet& changes,
                                                  int64_t last_sequence) {
  try {
    if (changes.launch.has_value()) {
      if (absl::Status s = WriteLaunch(db, *changes.launch); !s.ok()) return s;
    }
    for (const Item& item : changes.items) {
      if (absl::Status s = WriteItem(db, item); !s.ok()) return s;
    }
    if (changes.risk_bounds.has_value()) WriteRiskBounds(db, *changes.risk_bounds);
    std::vector<Event> committed = changes.events;
    for (Event& event : committed) {
      event.sequence = ++last_sequence;
      WriteEvent(db, event);
    }
    return committed;
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, CommitContext(changes));
  }
}

}  // namespace

SqliteChecklistStore::SqliteChecklistStore(std::unique_ptr<SqliteReaderWriter> db)
    : db_(std::move(db)) {}

SqliteChecklistStore::~SqliteChecklistStore() = default;

absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> SqliteChecklistStore::Open(
    const std::string& path, Options options) {
  absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> db =
      SqliteReaderWriter::Open(path, options, ChecklistMigrations(), "the checklist store");
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteChecklistStore>(new SqliteChecklistStore(*std::move(db)));
}

absl::StatusOr<LaunchState> SqliteChecklistStore::LoadLaunch(absl::string_view launch_id) {
  const std::string id(launch_id);
  // One read transaction: the launch and its items come from the same snapshot.
  return db_->ReadSnapshot(
      absl::StrCat("loading launch ", id),
      [&](SQLite::Database& reader) -> absl::StatusOr<LaunchState> {
        absl::StatusOr<std::optional<LaunchState>> state = ReadLaunchState(reader, id);
        if (!state.ok()) return state.status();
        if (!state->has_value()) {
          return absl::NotFoundError(absl::StrCat("launch ", id, " not found"));
        }
        return **std::move(state);
      });
}

absl::StatusOr<LaunchRead> SqliteChecklistStore::ReadLaunch(absl::string_view launch_id,
                                                            bool with_items) {
  // With items: LoadLaunch and the sum of their versions, as the port does by default.
  if (with_items) return ChecklistStore::ReadLaunch(launch_id, with_items);
  const std::string id(launch_id);
  // One statement is one snapshot: no BEGIN/COMMIT round (a tenth of a cached GetLaunch's CPU),
  // and the items' versions come from their column, so no item is decoded.
  return db_->Read(absl::StrCat("reading launch ", id),
                   [&](SQLite::Database& reader) -> absl::StatusOr<LaunchRead> {
                     CachedStatement query(
                         reader,
                         "SELECT payload, (SELECT COALESCE(SUM(version), 0) FROM items "
                         "WHERE launch_id = ?1) FROM launches WHERE id = ?1");
                     query.bind(1, id);
                     if (!query.executeStep()) {
                       return absl::NotFoundError(absl::StrCat("launch ", id, " not found"));
                     }
                     absl::StatusOr<Launch> launch = DecodeLaunch(Blob(query.getColumn(0)));
                     if (!launch.ok()) return launch.status();
                     LaunchRead read;
                     read.state.launch = *std::move(launch);
                     read.items_version = query.getColumn(1).getInt64();
                     return read;
                   });
}

absl::StatusOr<ItemRead> SqliteChecklistStore::ReadItem(absl::string_view launch_id,
                                                        absl::string_view code) {
  const std::string id(launch_id);
  const std::string item_code(code);
  // One statement, one snapshot: the item and the versions that name its launch's state.
  return db_->Read(absl::StrCat("reading item ", id, "/", item_code),
                   [&](SQLite::Database& reader) -> absl::StatusOr<ItemRead> {
                     CachedStatement query(
                         reader,
                         "SELECT payload, (SELECT version FROM launches WHERE id = ?1), "
                         "(SELECT COALESCE(SUM(version), 0) FROM items WHERE launch_id = ?1) "
                         "FROM items WHERE launch_id = ?1 AND code = ?2");
                     query.bind(1, id);
                     query.bind(2, item_code);
                     if (!query.executeStep()) {
                       return absl::NotFoundError(
                           absl::StrCat("item ", api::ItemName(id, item_code), " not found"));
                     }
                     absl::StatusOr<Item> item = DecodeItem(Blob(query.getColumn(0)));
                     if (!item.ok()) return item.status();
                     return ItemRead{*std::move(item), query.getColumn(1).getInt64(),
                                     query.getColumn(2).getInt64()};
                   });
}

absl::StatusOr<std::optional<std::string>> SqliteChecklistStore::FindLaunchByRequestId(
    absl::string_view tenant, absl::string_view request_id) {
  if (request_id.empty()) return std::optional<std::string>();
  return db_->Read("finding a launch by request id",
                   [&](SQLite::Database& reader) -> std::optional<std::string> {
                     CachedStatement query(
                         reader, "SELECT id FROM launches WHERE tenant = ? AND request_id = ?");
                     query.bind(1, Str(tenant));
                     query.bind(2, Str(request_id));
                     if (!query.executeStep()) return std::nullopt;
                     return query.getColumn(0).getString();
                   });
}

absl::StatusOr<int64_t> SqliteChecklistStore::CountLaunches(absl::string_view tenant) {
  return db_->Read("counting a tenant's launches", [&](SQLite::Database& reader) -> int64_t {
    CachedStatement query(reader, "SELECT COUNT(*) FROM launches WHERE tenant = ?");
    query.bind(1, Str(tenant));
    query.executeStep();
    return query.getColumn(0).getInt64();
  });
}

absl::StatusOr<std::vector<LaunchState>> SqliteChecklistStore::ListLaunches(
    const LaunchFilter& filter, absl::string_view after_id, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  // Only the filters in use go into the SQL, so SQLite can pick the matching index.
  std::string sql = "SELECT id, payload FROM launches WHERE id > ?";
  if (!filter.tenant.empty()) absl::StrAppend(&sql, " AND tenant = ?");
  if (!filter.owner.empty()) absl::StrAppend(&sql, " AND owner = ?");
  if (filter.target_from.has_value()) absl::StrAppend(&sql, " AND target_date >= ?");
  if (filter.target_to.has_value()) absl::StrAppend(&sql, " AND target_date <= ?");
  if (filter.at_risk_by.has_value()) absl::StrAppend(&sql, " AND at_risk_from <= ?");
  absl::StrAppend(&sql, " ORDER BY id LIMIT ?");

  return db_->ReadSnapshot("listing launches", [&](SQLite::Database& reader) {
    CachedStatement query(reader, sql);
    int index = 0;
    query.bind(++index, Str(after_id));
    if (!filter.tenant.empty()) query.bind(++index, filter.tenant);
    if (!filter.owner.empty()) query.bind(++index, filter.owner);
    if (filter.target_from.has_value()) query.bind(++index, FormatCivilDay(*filter.target_from));
    if (filter.target_to.has_value()) query.bind(++index, FormatCivilDay(*filter.target_to));
    if (filter.at_risk_by.has_value()) query.bind(++index, FormatCivilDay(*filter.at_risk_by));
    query.bind(++index, limit);
    return ReadSqliteRows(query, [&](SQLite::Statement& row) -> absl::StatusOr<LaunchState> {
      absl::StatusOr<Launch> launch = DecodeLaunch(Blob(row.getColumn(1)));
      if (!launch.ok()) return launch.status();
      absl::StatusOr<std::vector<Item>> items = ReadItems(reader, row.getColumn(0).getString());
      if (!items.ok()) return items.status();
      return LaunchState{*std::move(launch), *std::move(items)};
    });
  });
}

absl::StatusOr<std::vector<ItemKey>> SqliteChecklistStore::ListItemKeys(
    const ItemFilter& filter, const std::optional<ItemKey>& after, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  // Only the filters in use go into the SQL, so SQLite can pick the matching index: (tenant,
  // [assignee,] open, latest_start, launch_id, code) walks in the answer's order, and carries the
  // other filtered columns so rows it passes over are not read from the table.
  std::string sql = "SELECT latest_start, launch_id, code FROM items WHERE 1";
  if (!filter.tenant.empty()) absl::StrAppend(&sql, " AND tenant = ?");
  if (!filter.launch_id.empty()) absl::StrAppend(&sql, " AND launch_id = ?");
  if (!filter.assignee.empty()) absl::StrAppend(&sql, " AND assignee = ?");
  if (filter.open_only) absl::StrAppend(&sql, " AND open = 1");
  if (!filter.statuses.empty()) {
    absl::StrAppend(&sql, " AND status IN (?");
    for (size_t i = 1; i < filter.statuses.size(); ++i) absl::StrAppend(&sql, ", ?");
    absl::StrAppend(&sql, ")");
  }
  if (filter.start_before.has_value()) absl::StrAppend(&sql, " AND latest_start <= ?");
  if (filter.due_before.has_value()) absl::StrAppend(&sql, " AND latest_finish <= ?");
  if (filter.at_risk_by.has_value()) absl::StrAppend(&sql, " AND at_risk_from <= ?");
  if (after.has_value()) absl::StrAppend(&sql, " AND (latest_start, launch_id, code) > (?, ?, ?)");
  absl::StrAppend(&sql, " ORDER BY latest_start, launch_id, code LIMIT ?");

  return db_->Read("listing items", [&](SQLite::Database& reader) {
    CachedStatement query(reader, sql);
    int index = 0;
    if (!filter.tenant.empty()) query.bind(++index, filter.tenant);
    if (!filter.launch_id.empty()) query.bind(++index, filter.launch_id);
    if (!filter.assignee.empty()) query.bind(++index, filter.assignee);
    for (ItemStatus status : filter.statuses) query.bind(++index, Str(ItemStatusName(status)));
    if (filter.start_before.has_value()) {
      query.bind(++index, FormatCivilDay(*filter.start_before));
    }
    if (filter.due_before.has_value()) query.bind(++index, FormatCivilDay(*filter.due_before));
    if (filter.at_risk_by.has_value()) query.bind(++index, FormatCivilDay(*filter.at_risk_by));
    if (after.has_value()) {
      query.bind(++index, DayColumn(after->latest_start));
      query.bind(++index, after->launch_id);
      query.bind(++index, after->code);
    }
    query.bind(++index, limit);
    return ReadSqliteRows(query, [](SQLite::Statement& row) -> absl::StatusOr<ItemKey> {
      ItemKey key;
      key.latest_start = DayFromColumn(row.getColumn(0).getString());
      key.launch_id = row.getColumn(1).getString();
      key.code = row.getColumn(2).getString();
      return key;
    });
  });
}

absl::StatusOr<std::vector<Event>> SqliteChecklistStore::ListLaunchEvents(
    absl::string_view launch_id, int64_t after_sequence, int limit) {
  return QueryEvents(std::string(launch_id), after_sequence, limit);
}

absl::StatusOr<std::vector<Event>> SqliteChecklistStore::ReadEvents(int64_t after_sequence,
                                                                    int limit) {
  return QueryEvents(std::nullopt, after_sequence, limit);
}

absl::StatusOr<std::vector<Event>> SqliteChecklistStore::QueryEvents(
    std::optional<std::string> launch_id, int64_t after_sequence, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  std::string sql =
      "SELECT sequence, type, tenant, launch_id, item_code, actor, time_micros, summary, payload "
      "FROM events WHERE sequence > ?";
  if (launch_id.has_value()) absl::StrAppend(&sql, " AND launch_id = ?");
  absl::StrAppend(&sql, " ORDER BY sequence LIMIT ?");

  return db_->Read("reading events", [&](SQLite::Database& reader) {
    CachedStatement query(reader, sql);
    int index = 0;
    query.bind(++index, after_sequence);
    if (launch_id.has_value()) query.bind(++index, *launch_id);
    query.bind(++index, limit);
    return ReadSqliteRows(query, ReadEventRow);
  });
}

absl::StatusOr<int64_t> SqliteChecklistStore::LastSequence() {
  return db_->Read("reading the last event sequence", ReadLastSequence);
}

absl::StatusOr<std::vector<LogEpoch>> SqliteChecklistStore::LogEpochs() {
  return db_->Read(
      "reading the log epochs",
      [&](SQLite::Database& reader) -> absl::StatusOr<std::vector<LogEpoch>> {
        CachedStatement query(reader, "SELECT id, base_sequence FROM log_epochs ORDER BY ordinal");
        absl::StatusOr<std::vector<LogEpoch>> epochs =
            ReadSqliteRows(query, [](SQLite::Statement& row) {
              return LogEpoch{row.getColumn(0).getString(), row.getColumn(1).getInt64()};
            });
        if (epochs.ok() && epochs->empty()) {
          return absl::DataLossError("the event log has no epoch");
        }
        return epochs;
      });
}

absl::StatusOr<LogEpoch> SqliteChecklistStore::StartLogEpoch() {
  return db_->WriteTransaction("starting a log epoch", [&](SQLite::Database& db) {
    LogEpoch epoch;
    epoch.base_sequence = ReadLastSequence(db);
    epoch.id = db.execAndGet("SELECT lower(hex(randomblob(8)))").getString();
    CachedStatement insert(db,
                           "INSERT INTO log_epochs (ordinal, id, base_sequence, create_time) "
                           "VALUES ((SELECT MAX(ordinal) + 1 FROM log_epochs), ?, ?, "
                           "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    insert.bind(1, epoch.id);
    insert.bind(2, epoch.base_sequence);
    insert.exec();
    return epoch;
  });
}

absl::StatusOr<std::vector<Event>> SqliteChecklistStore::Commit(const ChangeSet& changes) {
  std::vector<absl::StatusOr<std::vector<Event>>> results = CommitBatch({&changes});
  return std::move(results.front());
}

std::vector<absl::StatusOr<std::vector<Event>>> SqliteChecklistStore::CommitBatch(
    const std::vector<const ChangeSet*>& batch) {
  std::vector<absl::StatusOr<std::vector<Event>>> results;
  if (batch.empty()) return results;
  const std::string context = batch.size() == 1
                                  ? CommitContext(*batch.front())
                                  : absl::StrCat("committing ", batch.size(), " change sets");
  // One IMMEDIATE transaction holds the write lock throughout, so the version checks and the
  // sequence read below cannot be invalidated by another process before we commit. Each change
  // set runs in its own savepoint: a failed check rolls back only that change set.
  absl::Status whole = db_->WriteTransaction(context, [&](SQLite::Database& db) -> absl::Status {
    results.clear();
    int64_t sequence = ReadLastSequence(db);
    for (const ChangeSet* changes : batch) {
      db.exec("SAVEPOINT change_set");
      absl::StatusOr<std::vector<Event>> applied = ApplyChangeSet(db, *changes, sequence);
      if (applied.ok()) {
        db.exec("RELEASE change_set");
        sequence += static_cast<int64_t>(applied->size());
      } else {
        // Some failures (a full disk, an I/O error) make SQLite roll the whole transaction
        // back: then nothing of the batch can commit.
        if (sqlite3_get_autocommit(db.getHandle()) != 0) return applied.status();
        db.exec("ROLLBACK TO change_set");
        db.exec("RELEASE change_set");
      }
      results.push_back(std::move(applied));
    }
    return absl::OkStatus();
  });
  // Nothing of the batch is durable unless the transaction committed.
  if (!whole.ok()) results.assign(batch.size(), whole);
  return results;
}

absl::StatusOr<std::string> SqliteChecklistStore::GetOrCreateSecret(absl::string_view name) {
  return GetOrCreateSqliteSecret(*db_, name, [] { return RandomSecretBytes(kSecretBytes); });
}

}  // namespace preflight::checklist
