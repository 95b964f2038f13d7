#include "notifier-service/storage/notifier_migrations.h"

namespace preflight::notifier {

const std::vector<SqliteMigration>& NotifierMigrations() {
  static const std::vector<SqliteMigration>* const kMigrations = new std::vector<SqliteMigration>{
      {1,
       {
           // Times are unix microseconds, dates "YYYY-MM-DD" (which sorts like the date).
           // Where the notifier is in the checklist's event stream: exactly one row.
           "CREATE TABLE cursor ("
           "  id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"
           "  applied_sequence INTEGER NOT NULL CHECK (applied_sequence >= 0)"
           ") STRICT",
           "INSERT INTO cursor (id, applied_sequence) VALUES (1, 0)",

           "CREATE TABLE launches ("
           "  launch_id TEXT PRIMARY KEY NOT NULL,"
           "  tenant TEXT NOT NULL,"
           "  display_name TEXT NOT NULL,"
           "  owner TEXT NOT NULL,"
           "  time_zone TEXT NOT NULL,"
           "  target_launch_date TEXT,"
           "  went_live_date TEXT,"
           "  version INTEGER NOT NULL"
           ") STRICT",

           // No foreign key to launches: the stream may describe an item before its launch.
           // `tenant` is copied from the launch (empty until it is known) for tenant filters.
           "CREATE TABLE items ("
           "  launch_id TEXT NOT NULL,"
           "  code TEXT NOT NULL,"
           "  tenant TEXT NOT NULL,"
           "  info TEXT NOT NULL CHECK (json_valid(info)),"
           "  version INTEGER NOT NULL,"
           "  next_check_time INTEGER,"
           "  snoozed_until INTEGER,"
           "  acknowledged_version INTEGER NOT NULL DEFAULT 0,"
           "  PRIMARY KEY (launch_id, code)"
           ") STRICT",
           "CREATE INDEX items_next_check_time ON items (next_check_time, launch_id, code)",
           "CREATE INDEX items_tenant ON items (tenant, launch_id, code)",

           "CREATE TABLE handled_rungs ("
           "  launch_id TEXT NOT NULL,"
           "  code TEXT NOT NULL,"
           "  rung_id TEXT NOT NULL,"
           "  outcome TEXT NOT NULL,"
           "  time INTEGER NOT NULL,"
           "  PRIMARY KEY (launch_id, code, rung_id)"
           ") STRICT",

           // Never deleted, so the rowid id only grows: it orders deliveries and pages them.
           "CREATE TABLE deliveries ("
           "  id INTEGER PRIMARY KEY NOT NULL,"
           "  dedup_key TEXT NOT NULL UNIQUE,"
           "  tenant TEXT NOT NULL,"
           "  launch_id TEXT NOT NULL,"
           "  item_code TEXT NOT NULL,"
           "  rung_id TEXT NOT NULL,"
           "  kind TEXT NOT NULL,"
           "  item_version INTEGER NOT NULL,"
           "  recipient_id TEXT NOT NULL,"
           "  reason TEXT NOT NULL,"
           "  channel TEXT NOT NULL,"
           "  target TEXT NOT NULL,"
           "  secret_ref TEXT NOT NULL,"
           "  state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', "
           "'dead_lettered', 'outcome_unknown', 'cancelled')),"
           "  subject TEXT NOT NULL,"
           "  text TEXT NOT NULL,"
           "  markdown TEXT NOT NULL,"
           "  data_json TEXT NOT NULL,"
           "  urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),"
           "  late INTEGER NOT NULL CHECK (late IN (0, 1)),"
           "  digest INTEGER NOT NULL CHECK (digest IN (0, 1)),"
           "  attempts INTEGER NOT NULL CHECK (attempts >= 0),"
           "  unit_key TEXT NOT NULL,"
           "  create_time INTEGER NOT NULL,"
           "  next_attempt_time INTEGER NOT NULL,"
           "  update_time INTEGER NOT NULL"
           ") STRICT",
           "CREATE INDEX deliveries_state_next_attempt ON deliveries (state, next_attempt_time)",
           "CREATE INDEX deliveries_item ON deliveries (launch_id, item_code, state)",
           "CREATE INDEX deliveries_tenant ON deliveries (tenant, id)",
           "CREATE INDEX deliveries_recipient ON deliveries (recipient_id, id)",
           "CREATE INDEX deliveries_unit_key ON deliveries (unit_key) WHERE unit_key <> ''",

           // The audit trail of every attempt and cancellation: rows are only ever appended.
           "CREATE TABLE ledger ("
           "  id INTEGER PRIMARY KEY NOT NULL,"
           "  delivery_id INTEGER NOT NULL REFERENCES deliveries (id),"
           "  attempt INTEGER NOT NULL,"
           "  time INTEGER NOT NULL,"
           "  outcome TEXT NOT NULL,"
           "  http_status INTEGER NOT NULL,"
           "  provider_answer TEXT NOT NULL"
           ") STRICT",
           "CREATE INDEX ledger_delivery ON ledger (delivery_id, id)",
           "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger "
           "BEGIN SELECT RAISE(ABORT, 'the delivery ledger is append-only'); END",
           "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger "
           "BEGIN SELECT RAISE(ABORT, 'the delivery ledger is append-only'); END",

           "CREATE TABLE recipients ("
           "  id TEXT PRIMARY KEY NOT NULL,"
           "  tenant TEXT NOT NULL,"
           "  display_name TEXT NOT NULL,"
           "  language TEXT NOT NULL,"
           "  channels TEXT NOT NULL CHECK (json_valid(channels)),"
           "  digest INTEGER NOT NULL CHECK (digest IN (0, 1)),"
           "  subscriptions TEXT NOT NULL CHECK (json_valid(subscriptions)),"
           "  version INTEGER NOT NULL CHECK (version >= 1),"
           "  create_time INTEGER NOT NULL,"
           "  update_time INTEGER NOT NULL"
           ") STRICT",
           "CREATE INDEX recipients_tenant ON recipients (tenant, id)",
           // The subscriptions again, one row each, so SubscribersOf is an index lookup.
           "CREATE TABLE recipient_subscriptions ("
           "  recipient_id TEXT NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,"
           "  target TEXT NOT NULL,"
           "  PRIMARY KEY (recipient_id, target)"
           ") STRICT",
           "CREATE INDEX recipient_subscriptions_target ON recipient_subscriptions "
           "(target, recipient_id)",

           // Kept when the recipient is deleted: the messages were delivered.
           "CREATE TABLE inbox ("
           "  id INTEGER PRIMARY KEY NOT NULL,"
           "  recipient_id TEXT NOT NULL,"
           "  delivery_id INTEGER NOT NULL UNIQUE REFERENCES deliveries (id),"
           "  subject TEXT NOT NULL,"
           "  body TEXT NOT NULL,"
           "  create_time INTEGER NOT NULL"
           ") STRICT",
           "CREATE INDEX inbox_recipient ON inbox (recipient_id, id)",

           "CREATE TABLE secrets ("
           "  name TEXT PRIMARY KEY NOT NULL,"
           "  value BLOB NOT NULL"
           ") STRICT",
       }},
      {2,
       {
           // Recipients are per tenant: tenant acme's "li.na" and tenant globex's "li.na" are two
           // records, and a tenant-less "li.na" (tenant '') a third. The key becomes (tenant, id),
           // so both tables keyed by the id alone are rebuilt; every row keeps its tenant.
           "CREATE TABLE recipients_v2 ("
           "  tenant TEXT NOT NULL,"
           "  id TEXT NOT NULL,"
           "  display_name TEXT NOT NULL,"
           "  language TEXT NOT NULL,"
           "  channels TEXT NOT NULL CHECK (json_valid(channels)),"
           "  digest INTEGER NOT NULL CHECK (digest IN (0, 1)),"
           "  subscriptions TEXT NOT NULL CHECK (json_valid(subscriptions)),"
           "  version INTEGER NOT NULL CHECK (version >= 1),"
           "  create_time INTEGER NOT NULL,"
           "  update_time INTEGER NOT NULL,"
           "  PRIMARY KEY (tenant, id)"
           ") STRICT",
           "INSERT INTO recipients_v2 (tenant, id, display_name, language, channels, digest, "
           "subscriptions, version, create_time, update_time) "
           "SELECT tenant, id, display_name, language, channels, digest, subscriptions, version, "
           "create_time, update_time FROM recipients",
           "CREATE TABLE recipient_subscriptions_v2 ("
           "  recipient_tenant TEXT NOT NULL,"
           "  recipient_id TEXT NOT NULL,"
           "  target TEXT NOT NULL,"
           "  PRIMARY KEY (recipient_tenant, recipient_id, target),"
           "  FOREIGN KEY (recipient_tenant, recipient_id) REFERENCES recipients_v2 (tenant, id) "
           "ON DELETE CASCADE"
           ") STRICT",
           "INSERT INTO recipient_subscriptions_v2 (recipient_tenant, recipient_id, target) "
           "SELECT r.tenant, s.recipient_id, s.target FROM recipient_subscriptions s "
           "JOIN recipients r ON r.id = s.recipient_id",
           // The child first, so dropping the parent cascades into nothing. Renaming a table
           // rewrites the foreign keys that name it.
           "DROP TABLE recipient_subscriptions",
           "DROP TABLE recipients",
           "ALTER TABLE recipients_v2 RENAME TO recipients",
           "ALTER TABLE recipient_subscriptions_v2 RENAME TO recipient_subscriptions",
           "CREATE INDEX recipient_subscriptions_target ON recipient_subscriptions "
           "(target, recipient_tenant, recipient_id)",

           // Which recipient a delivery went to: a launch reached a tenant's record when the
           // record's tenant was the launch's, otherwise the tenant-less record (or, without
           // one, the default channels): tenant ''.
           "ALTER TABLE deliveries ADD COLUMN recipient_tenant TEXT NOT NULL DEFAULT ''",
           "UPDATE deliveries SET recipient_tenant = tenant WHERE tenant <> '' AND EXISTS ("
           "SELECT 1 FROM recipients r WHERE r.id = deliveries.recipient_id "
           "AND r.tenant = deliveries.tenant)",
           "DROP INDEX deliveries_recipient",
           "CREATE INDEX deliveries_recipient ON deliveries (recipient_tenant, recipient_id, id)",

           // Inbox messages belong to the recipient their delivery went to.
           "ALTER TABLE inbox ADD COLUMN recipient_tenant TEXT NOT NULL DEFAULT ''",
           "UPDATE inbox SET recipient_tenant = COALESCE((SELECT d.recipient_tenant FROM "
           "deliveries d WHERE d.id = inbox.delivery_id), '')",
           "DROP INDEX inbox_recipient",
           "CREATE INDEX inbox_recipient ON inbox (recipient_tenant, recipient_id, id)",
       }},
      {3,
       {
           // The checklist's event log epoch the cursor was read in (empty: not known yet);
           // sent with every WatchEvents so a restored checklist can refuse a cursor it lost.
           "ALTER TABLE cursor ADD COLUMN log_epoch TEXT NOT NULL DEFAULT ''",
       }},
      {4,
       {
           // Recipients' roles (["manager"]: gets the tenant's weekly digest); none before.
           "ALTER TABLE recipients ADD COLUMN roles TEXT NOT NULL DEFAULT '[]' "
           "CHECK (json_valid(roles))",
           // The weekly digest reads a tenant's launches.
           "CREATE INDEX launches_tenant ON launches (tenant, launch_id)",
       }},
  };
  return *kMigrations;
}

}  // namespace preflight::notifier
