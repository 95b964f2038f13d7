#include "checklist-service/storage/postgres_migrations.h"

namespace preflight::checklist {

const std::vector<PostgresMigration>& ChecklistPostgresMigrations() {
  // Keys and the columns filters compare are COLLATE "C": byte order, as SQLite sorts, whatever
  // the database's locale, so pages and ranges mean the same on both backends. Dates are
  // "YYYY-MM-DD" text with '9999-12-31' for none (day_columns.h); times are Unix microseconds.
  static const auto* const kMigrations = new std::vector<PostgresMigration>{
      {1,
       {
           R"sql(CREATE TABLE launches (
             id TEXT COLLATE "C" PRIMARY KEY,
             tenant TEXT COLLATE "C" NOT NULL,
             owner TEXT COLLATE "C" NOT NULL,
             target_date TEXT COLLATE "C" NOT NULL,
             request_id TEXT COLLATE "C" NOT NULL,
             request_fingerprint TEXT NOT NULL,
             version BIGINT NOT NULL CHECK (version >= 1),
             create_time BIGINT NOT NULL,
             update_time BIGINT NOT NULL,
             payload BYTEA NOT NULL,
             at_risk_from TEXT COLLATE "C" NOT NULL DEFAULT '0001-01-01'))sql",
           "CREATE UNIQUE INDEX launches_tenant_request_id ON launches (tenant, request_id) "
           "WHERE request_id <> ''",
           "CREATE INDEX launches_tenant_id_risk ON launches (tenant, id, at_risk_from)",
           "CREATE INDEX launches_owner_id ON launches (owner, id)",
           "CREATE INDEX launches_target_date ON launches (target_date, id)",
           R"sql(CREATE TABLE items (
             launch_id TEXT COLLATE "C" NOT NULL REFERENCES launches (id),
             code TEXT COLLATE "C" NOT NULL,
             ordinal INTEGER NOT NULL,
             version BIGINT NOT NULL CHECK (version >= 1),
             status TEXT COLLATE "C" NOT NULL,
             payload BYTEA NOT NULL,
             tenant TEXT COLLATE "C" NOT NULL,
             assignee TEXT COLLATE "C" NOT NULL,
             open BOOLEAN NOT NULL,
             latest_start TEXT COLLATE "C" NOT NULL,
             latest_finish TEXT COLLATE "C" NOT NULL,
             at_risk_from TEXT COLLATE "C" NOT NULL DEFAULT '0001-01-01',
             PRIMARY KEY (launch_id, code)))sql",
           // ListItems' order (latest start, launch, code), carrying the other filtered columns.
           "CREATE INDEX items_tenant_open_start ON items (tenant, open, latest_start, launch_id, "
           "code) INCLUDE (at_risk_from, latest_finish, status)",
           "CREATE INDEX items_tenant_assignee_open_start ON items (tenant, assignee, open, "
           "latest_start, launch_id, code) INCLUDE (at_risk_from, latest_finish, status)",
           R"sql(CREATE TABLE events (
             sequence BIGINT PRIMARY KEY CHECK (sequence >= 1),
             type TEXT NOT NULL,
             tenant TEXT NOT NULL,
             launch_id TEXT COLLATE "C" NOT NULL,
             item_code TEXT NOT NULL,
             actor TEXT NOT NULL,
             time_micros BIGINT NOT NULL,
             summary TEXT NOT NULL,
             payload BYTEA NOT NULL))sql",
           "CREATE INDEX events_launch_sequence ON events (launch_id, sequence)",
           // The last sequence handed out, in one row that every commit updates last: the lock
           // that keeps the log gap-free and in commit order across replicas.
           R"sql(CREATE TABLE log_head (
             singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
             last_sequence BIGINT NOT NULL CHECK (last_sequence >= 0)))sql",
           "INSERT INTO log_head (last_sequence) VALUES (0)",
           R"sql(CREATE TABLE log_epochs (
             ordinal INTEGER PRIMARY KEY,
             id TEXT NOT NULL UNIQUE,
             base_sequence BIGINT NOT NULL CHECK (base_sequence >= 0),
             create_time TIMESTAMPTZ NOT NULL DEFAULT now()))sql",
           "INSERT INTO log_epochs (ordinal, id, base_sequence) VALUES "
           "(1, substr(md5(gen_random_uuid()::text), 1, 16), 0)",
           "CREATE TABLE secrets (name TEXT PRIMARY KEY, value BYTEA NOT NULL)",
           // Calendar feeds: only the SHA-256 of each URL's secret; a deleted feed keeps its row.
           R"sql(CREATE TABLE calendar_feeds (
             id TEXT COLLATE "C" PRIMARY KEY,
             tenant TEXT COLLATE "C" NOT NULL,
             launch_id TEXT NOT NULL,
             assignee TEXT NOT NULL,
             creator TEXT NOT NULL,
             create_time BIGINT NOT NULL,
             revoke_time BIGINT,
             secret_hash TEXT NOT NULL,
             CHECK ((launch_id = '') <> (assignee = ''))))sql",
           "CREATE INDEX calendar_feeds_tenant_live ON calendar_feeds (tenant, id) "
           "WHERE revoke_time IS NULL",
       }},
  };
  return *kMigrations;
}

}  // namespace preflight::checklist
