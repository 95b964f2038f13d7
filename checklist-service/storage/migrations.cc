#include "checklist-service/storage/migrations.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "checklist-service/storage/legacy_json_codec.h"
#include "checklist-service/storage/snapshot_proto_codec.h"
#include "common/civil_date.h"

namespace preflight::checklist {
namespace {

// ---- Migration 3: JSON payloads to binary (snapshot.proto) ----

// Each converter turns one JSON payload into its binary encoding and checks that the binary
// decodes, so a migrated database never holds a row the new code cannot read.
absl::StatusOr<std::string> LaunchJsonToBinary(absl::string_view json) {
  absl::StatusOr<Launch> launch = legacy_json::DecodeLaunch(json);
  if (!launch.ok()) return launch.status();
  std::string binary = EncodeLaunch(*launch);
  if (absl::StatusOr<Launch> check = DecodeLaunch(binary); !check.ok()) return check.status();
  return binary;
}

absl::StatusOr<std::string> ItemJsonToBinary(absl::string_view json) {
  absl::StatusOr<Item> item = legacy_json::DecodeItem(json);
  if (!item.ok()) return item.status();
  std::string binary = EncodeItem(*item);
  if (absl::StatusOr<Item> check = DecodeItem(binary); !check.ok()) return check.status();
  return binary;
}

absl::StatusOr<std::string> EventJsonToBinary(absl::string_view json) {
  Event event;
  if (absl::Status s = legacy_json::DecodeEventPayload(json, &event); !s.ok()) return s;
  std::string binary = EncodeEventPayload(event);
  Event check;
  if (absl::Status s = DecodeEventPayload(binary, &check); !s.ok()) return s;
  return binary;
}

// Rows converted per round: bounds the memory a large database needs, and keeps the SELECT
// finished before its rows are updated.
constexpr int kConvertBatch = 256;

// Rewrites every payload of `table` (JSON text, cast to BLOB by the rebuild) in binary. `key`
// is the SQL naming a row in an error. DATA_LOSS, naming the row, on a payload that does not
// convert: the caller's transaction then rolls the whole migration back.
absl::Status ConvertPayloads(SQLite::Database& db, absl::string_view table, absl::string_view key,
                             absl::StatusOr<std::string> (*convert)(absl::string_view)) {
  SQLite::Statement select(db,
                           absl::StrCat("SELECT rowid, ", key, ", payload FROM ", table,
                                        " WHERE rowid > ? ORDER BY rowid LIMIT ", kConvertBatch));
  SQLite::Statement update(db, absl::StrCat("UPDATE ", table, " SET payload = ? WHERE rowid = ?"));
  std::vector<std::pair<int64_t, std::string>> converted;
  int64_t after = std::numeric_limits<int64_t>::min();
  while (true) {
    converted.clear();
    select.reset();
    select.bind(1, after);
    while (select.executeStep()) {
      const SQLite::Column payload = select.getColumn(2);
      const char* data = static_cast<const char*>(payload.getBlob());
      absl::StatusOr<std::string> binary =
          convert(absl::string_view(data, static_cast<size_t>(payload.getBytes())));
      if (!binary.ok()) {
        return absl::DataLossError(absl::StrCat("converting ", table, " row ",
                                                select.getColumn(1).getString(),
                                                " to binary: ", binary.status().message()));
      }
      converted.emplace_back(select.getColumn(0).getInt64(), *std::move(binary));
    }
    if (converted.empty()) return absl::OkStatus();
    for (const auto& [rowid, binary] : converted) {
      update.reset();
      update.bindNoCopy(1, binary.data(), static_cast<int>(binary.size()));
      update.bind(2, rowid);
      update.exec();
    }
    after = converted.back().first;
  }
}

absl::Status ConvertJsonPayloadsToBinary(SQLite::Database& db) {
  if (absl::Status s = ConvertPayloads(db, "launches", "id", LaunchJsonToBinary); !s.ok()) {
    return s;
  }
  if (absl::Status s = ConvertPayloads(db, "items", "launch_id || '/' || code", ItemJsonToBinary);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ConvertPayloads(db, "events", "sequence", EventJsonToBinary); !s.ok()) {
    return s;
  }
  // Step 10 of SQLite's table-rebuild procedure: the rebuilt tables must still satisfy every
  // foreign key (items -> launches).
  SQLite::Statement check(db, "PRAGMA foreign_key_check");
  if (check.executeStep()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "foreign key check failed after rebuilding the tables: a row of ",
        check.getColumn(0).getString(), " references a missing ", check.getColumn(2).getString()));
  }
  return absl::OkStatus();
}

// ---- Migration 4: index columns for queries across launches ----

// Fills the new item columns from each payload: tenant from the launch, assignee, open, and the
// latest dates of the schedule persisted with the item (the backward pass does not depend on
// today, so they are exact). The at-risk bounds keep their default, the earliest day: every row
// is a candidate, verified by the reader, until the launch's next write computes real bounds.
absl::Status FillItemIndexColumns(SQLite::Database& db) {
  SQLite::Statement select(db, absl::StrCat("SELECT rowid, payload FROM items WHERE rowid > ? "
                                            "ORDER BY rowid LIMIT ",
                                            kConvertBatch));
  SQLite::Statement update(db,
                           "UPDATE items SET tenant = (SELECT tenant FROM launches WHERE id = "
                           "items.launch_id), assignee = ?, open = ?, latest_start = ?, "
                           "latest_finish = ? WHERE rowid = ?");
  struct Row {
    int64_t rowid;
    Item item;
  };
  std::vector<Row> rows;
  int64_t after = std::numeric_limits<int64_t>::min();
  while (true) {
    rows.clear();
    select.reset();
    select.bind(1, after);
    while (select.executeStep()) {
      const SQLite::Column payload = select.getColumn(1);
      const char* data = static_cast<const char*>(payload.getBlob());
      absl::StatusOr<Item> item =
          DecodeItem(absl::string_view(data, static_cast<size_t>(payload.getBytes())));
      if (!item.ok()) {
        return absl::DataLossError(absl::StrCat(
            "reading items row ", select.getColumn(0).getInt64(), ": ", item.status().message()));
      }
      rows.push_back(Row{select.getColumn(0).getInt64(), *std::move(item)});
    }
    if (rows.empty()) return absl::OkStatus();
    for (const Row& row : rows) {
      update.reset();
      update.bind(1, row.item.assignee);
      update.bind(2, IsDone(row.item.status) ? 0 : 1);
      update.bind(3, DayColumn(row.item.schedule.latest_start));
      update.bind(4, DayColumn(row.item.schedule.latest_finish));
      update.bind(5, row.rowid);
      update.exec();
    }
    after = rows.back().rowid;
  }
}

}  // namespace

const std::vector<SqliteMigration>& ChecklistMigrations() {
  static const std::vector<SqliteMigration>* const kMigrations = new std::vector<SqliteMigration>{
      {1,
       {
           // Columns duplicate the payload fields that SQL filters, orders or checks on; the
           // payload is the full snapshot. Times are unix microseconds, dates "YYYY-MM-DD"
           // (which sorts like the date).
           "CREATE TABLE launches ("
           "  id TEXT PRIMARY KEY NOT NULL,"
           "  tenant TEXT NOT NULL,"
           "  owner TEXT NOT NULL,"
           "  target_date TEXT NOT NULL,"
           "  request_id TEXT NOT NULL,"
           "  request_fingerprint TEXT NOT NULL,"
           "  version INTEGER NOT NULL CHECK (version >= 1),"
           "  create_time INTEGER NOT NULL,"
           "  update_time INTEGER NOT NULL,"
           "  payload TEXT NOT NULL CHECK (json_valid(payload))"
           ") STRICT",
           // Idempotent create: a request id names at most one launch per tenant.
           "CREATE UNIQUE INDEX launches_tenant_request_id ON launches (tenant, request_id) "
           "WHERE request_id <> ''",
           "CREATE INDEX launches_tenant_id ON launches (tenant, id)",
           "CREATE INDEX launches_owner_id ON launches (owner, id)",
           "CREATE INDEX launches_target_date ON launches (target_date, id)",
           // `ordinal` keeps template order explicitly: rowids of a table without an INTEGER
           // PRIMARY KEY may be renumbered by VACUUM.
           "CREATE TABLE items ("
           "  launch_id TEXT NOT NULL REFERENCES launches (id),"
           "  code TEXT NOT NULL,"
           "  ordinal INTEGER NOT NULL,"
           "  version INTEGER NOT NULL CHECK (version >= 1),"
           "  status TEXT NOT NULL,"
           "  payload TEXT NOT NULL CHECK (json_valid(payload)),"
           "  PRIMARY KEY (launch_id, code)"
           ") STRICT",
           // No AUTOINCREMENT: the store assigns last + 1 inside the writing transaction, so a
           // rolled-back commit leaves no gap.
           "CREATE TABLE events ("
           "  sequence INTEGER PRIMARY KEY NOT NULL,"
           "  type TEXT NOT NULL,"
           "  tenant TEXT NOT NULL,"
           "  launch_id TEXT NOT NULL,"
           "  item_code TEXT NOT NULL,"
           "  actor TEXT NOT NULL,"
           "  time_micros INTEGER NOT NULL,"
           "  summary TEXT NOT NULL,"
           "  payload TEXT NOT NULL CHECK (json_valid(payload))"
           ") STRICT",
           "CREATE INDEX events_launch_sequence ON events (launch_id, sequence)",
           "CREATE TABLE secrets ("
           "  name TEXT PRIMARY KEY NOT NULL,"
           "  value BLOB NOT NULL"
           ") STRICT",
       }},
      {2,
       {
           // The event log's epochs (checklist_store.h: LogEpoch); a restore adds one.
           "CREATE TABLE log_epochs ("
           "  ordinal INTEGER PRIMARY KEY NOT NULL,"
           "  id TEXT NOT NULL UNIQUE,"
           "  base_sequence INTEGER NOT NULL CHECK (base_sequence >= 0),"
           "  create_time TEXT NOT NULL"
           ") STRICT",
           "INSERT INTO log_epochs (ordinal, id, base_sequence, create_time) "
           "VALUES (1, lower(hex(randomblob(8))), 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
       }},
      {3,
       {
           // Payloads become binary snapshots (snapshot.proto): decoding JSON was most of a
           // launch read's CPU. SQLite cannot change a column's type in place, so the three
           // tables are rebuilt by its documented procedure (create new, copy, drop old, rename,
           // recreate the indexes), the JSON copied as a BLOB; the transform then rewrites each
           // payload. One transaction: a row that does not convert leaves schema 2 untouched.
           // The new tables keep every other column and constraint of migration 1.
           "CREATE TABLE launches_v3 ("
           "  id TEXT PRIMARY KEY NOT NULL,"
           "  tenant TEXT NOT NULL,"
           "  owner TEXT NOT NULL,"
           "  target_date TEXT NOT NULL,"
           "  request_id TEXT NOT NULL,"
           "  request_fingerprint TEXT NOT NULL,"
           "  version INTEGER NOT NULL CHECK (version >= 1),"
           "  create_time INTEGER NOT NULL,"
           "  update_time INTEGER NOT NULL,"
           "  payload BLOB NOT NULL"
           ") STRICT",
           // References launches_v3: renaming that to launches below rewrites this reference,
           // while the old launches can be dropped without items_v3 rows pointing at it.
           "CREATE TABLE items_v3 ("
           "  launch_id TEXT NOT NULL REFERENCES launches_v3 (id),"
           "  code TEXT NOT NULL,"
           "  ordinal INTEGER NOT NULL,"
           "  version INTEGER NOT NULL CHECK (version >= 1),"
           "  status TEXT NOT NULL,"
           "  payload BLOB NOT NULL,"
           "  PRIMARY KEY (launch_id, code)"
           ") STRICT",
           "CREATE TABLE events_v3 ("
           "  sequence INTEGER PRIMARY KEY NOT NULL,"
           "  type TEXT NOT NULL,"
           "  tenant TEXT NOT NULL,"
           "  launch_id TEXT NOT NULL,"
           "  item_code TEXT NOT NULL,"
           "  actor TEXT NOT NULL,"
           "  time_micros INTEGER NOT NULL,"
           "  summary TEXT NOT NULL,"
           "  payload BLOB NOT NULL"
           ") STRICT",
           "INSERT INTO launches_v3 (id, tenant, owner, target_date, request_id, "
           "request_fingerprint, version, create_time, update_time, payload) "
           "SELECT id, tenant, owner, target_date, request_id, request_fingerprint, version, "
           "create_time, update_time, CAST(payload AS BLOB) FROM launches ORDER BY rowid",
           "INSERT INTO items_v3 (launch_id, code, ordinal, version, status, payload) "
           "SELECT launch_id, code, ordinal, version, status, CAST(payload AS BLOB) FROM items "
           "ORDER BY rowid",
           "INSERT INTO events_v3 (sequence, type, tenant, launch_id, item_code, actor, "
           "time_micros, summary, payload) "
           "SELECT sequence, type, tenant, launch_id, item_code, actor, time_micros, summary, "
           "CAST(payload AS BLOB) FROM events",
           // Children first: with foreign keys on, dropping launches while items referenced it
           // would fail.
           "DROP TABLE items",
           "DROP TABLE events",
           "DROP TABLE launches",
           "ALTER TABLE launches_v3 RENAME TO launches",
           "ALTER TABLE items_v3 RENAME TO items",
           "ALTER TABLE events_v3 RENAME TO events",
           // The indexes of migration 1, which went with the old tables.
           "CREATE UNIQUE INDEX launches_tenant_request_id ON launches (tenant, request_id) "
           "WHERE request_id <> ''",
           "CREATE INDEX launches_tenant_id ON launches (tenant, id)",
           "CREATE INDEX launches_owner_id ON launches (owner, id)",
           "CREATE INDEX launches_target_date ON launches (target_date, id)",
           "CREATE INDEX events_launch_sequence ON events (launch_id, sequence)",
       },
       ConvertJsonPayloadsToBinary},
      {4,
       {
           // What queries across launches filter and sort on (ListItems, ListLaunches with
           // at_risk_only), kept queryable instead of computed by reading every launch. The
           // today-independent fields are exact copies of the payload, written with it. Whether
           // something is at risk depends on today, so a write stores a lower bound of the first
           // day it can be (at_risk_from; risk_bounds.h) and readers verify the candidates.
           // Dates "YYYY-MM-DD", '9999-12-31' for none / never; the default '0001-01-01' makes
           // every existing row a candidate until its launch is written again.
           "ALTER TABLE launches ADD COLUMN at_risk_from TEXT NOT NULL DEFAULT '0001-01-01'",
           "ALTER TABLE items ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE items ADD COLUMN assignee TEXT NOT NULL DEFAULT ''",
           // 1 unless approved, waived or not applicable.
           "ALTER TABLE items ADD COLUMN open INTEGER NOT NULL DEFAULT 1",
           "ALTER TABLE items ADD COLUMN latest_start TEXT NOT NULL DEFAULT '9999-12-31'",
           "ALTER TABLE items ADD COLUMN latest_finish TEXT NOT NULL DEFAULT '9999-12-31'",
           "ALTER TABLE items ADD COLUMN at_risk_from TEXT NOT NULL DEFAULT '0001-01-01'",
           // Walk in ListItems' order (latest start, launch, code), carrying the other filtered
           // columns so that rows passed over are judged from the index alone.
           "CREATE INDEX items_tenant_open_start ON items (tenant, open, latest_start, launch_id, "
           "code, at_risk_from, latest_finish, status)",
           "CREATE INDEX items_tenant_assignee_open_start ON items (tenant, assignee, open, "
           "latest_start, launch_id, code, at_risk_from, latest_finish, status)",
           // ListLaunches walks a tenant's launches by id; at_risk_only judges from the index.
           "CREATE INDEX launches_tenant_id_risk ON launches (tenant, id, at_risk_from)",
       },
       FillItemIndexColumns},
      {5,
       {
           // Calendar feeds (calendar_feed_store.h): only the SHA-256 of each URL's secret is
           // kept. A deleted feed keeps its row with revoke_time set, so its id is never reused.
           "CREATE TABLE calendar_feeds ("
           "  id TEXT PRIMARY KEY NOT NULL,"
           "  tenant TEXT NOT NULL,"
           "  launch_id TEXT NOT NULL,"
           "  assignee TEXT NOT NULL,"
           "  creator TEXT NOT NULL,"
           "  create_time INTEGER NOT NULL,"
           "  revoke_time INTEGER,"
           "  secret_hash TEXT NOT NULL,"
           "  CHECK ((launch_id = '') <> (assignee = ''))"
           ") STRICT",
           "CREATE INDEX calendar_feeds_tenant_live ON calendar_feeds (tenant, id) "
           "WHERE revoke_time IS NULL",
       }},
  };
  return *kMigrations;
}

}  // namespace preflight::checklist
