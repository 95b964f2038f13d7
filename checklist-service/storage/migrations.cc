#include "checklist-service/storage/migrations.h"

namespace preflight::checklist {

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
  };
  return *kMigrations;
}

}  // namespace preflight::checklist
