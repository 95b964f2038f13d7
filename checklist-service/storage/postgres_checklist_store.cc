#include "checklist-service/storage/postgres_checklist_store.h"

#include <pqxx/binarystring>
#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <pqxx/transaction>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/storage/commit_context.h"
#include "checklist-service/storage/day_columns.h"
#include "checklist-service/storage/postgres_migrations.h"
#include "checklist-service/storage/snapshot_proto_codec.h"
#include "common/api/resource_names.h"
#include "common/civil_date.h"
#include "common/crypto.h"
#include "common/postgres/migration_runner.h"
#include "common/sqlite/query_limit.h"

namespace preflight::checklist {
namespace {

constexpr int kSecretBytes = 32;

std::string ItemName(const Item& item) { return api::ItemName(item.launch_id, item.code); }

// A BYTEA column's bytes (libpqxx unescapes them into the binarystring).
struct Bytes {
  explicit Bytes(const pqxx::field& field) : value(field) {}
  absl::string_view view() const {
    return absl::string_view(reinterpret_cast<const char*>(value.data()), value.size());
  }
  pqxx::binarystring value;
};

pqxx::binarystring Payload(const std::string& bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

// Statement parameters built alongside their SQL: Add returns the placeholder for a value.
class Params {
 public:
  std::string Add(std::string value) {
    values_.push_back(std::move(value));
    return absl::StrCat("$", values_.size());
  }
  auto Dynamic() const { return pqxx::prepare::make_dynamic_params(values_); }

 private:
  std::vector<std::string> values_;
};

// A text[] literal of `values`, for `= ANY($n::text[])`.
std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// ---- Reads ----

absl::StatusOr<Event> ReadEventRow(const pqxx::row& row) {
  Event event;
  event.sequence = row[0].as<int64_t>();
  const std::string type = row[1].as<std::string>();
  std::optional<EventType> parsed = ParseEventType(type);
  if (!parsed.has_value()) {
    return absl::DataLossError(
        absl::StrCat("event ", event.sequence, " has unknown type '", type, "'"));
  }
  event.type = *parsed;
  event.tenant = row[2].as<std::string>();
  event.launch_id = row[3].as<std::string>();
  event.item_code = row[4].as<std::string>();
  event.actor = row[5].as<std::string>();
  event.time = absl::FromUnixMicros(row[6].as<int64_t>());
  event.summary = row[7].as<std::string>();
  if (absl::Status s = DecodeEventPayload(Bytes(row[8]).view(), &event); !s.ok()) return s;
  return event;
}

int64_t ReadLastSequence(pqxx::transaction_base& tx) {
  return tx.exec1("SELECT last_sequence FROM log_head")[0].as<int64_t>();
}

// ---- Writes (inside the batch's transaction, in the change set's savepoint) ----

absl::Status WriteLaunch(pqxx::transaction_base& tx, const Launch& launch) {
  if (launch.version < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("launch ", launch.id, " has invalid version ", launch.version));
  }
  const std::string payload = EncodeLaunch(launch);
  const std::string target = FormatCivilDay(launch.target_launch_date);
  if (launch.version == 1) {
    if (!tx.exec_params("SELECT 1 FROM launches WHERE id = $1", launch.id).empty()) {
      return absl::AlreadyExistsError(absl::StrCat("launch ", launch.id, " already exists"));
    }
    if (!launch.request_id.empty()) {
      pqxx::result same =
          tx.exec_params("SELECT id FROM launches WHERE tenant = $1 AND request_id = $2",
                         launch.tenant, launch.request_id);
      if (!same.empty()) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id '", launch.request_id, "' of tenant '", launch.tenant,
                         "' was already used by launch ", same[0][0].as<std::string>()));
      }
    }
    // A concurrent insert of the same id or request id (another replica) fails on the unique
    // indexes instead: ALREADY_EXISTS all the same.
    tx.exec_params(
        "INSERT INTO launches (id, tenant, owner, target_date, request_id, request_fingerprint, "
        "version, create_time, update_time, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10)",
        launch.id, launch.tenant, launch.owner, target, launch.request_id,
        launch.request_fingerprint, launch.version, Micros(launch.create_time),
        Micros(launch.update_time), Payload(payload));
    return absl::OkStatus();
  }
  // Waits for a concurrent writer of this row, then checks the version it committed.
  pqxx::result updated = tx.exec_params(
      "UPDATE launches SET tenant = $1, owner = $2, target_date = $3, request_id = $4, "
      "request_fingerprint = $5, version = $6, create_time = $7, update_time = $8, payload = $9 "
      "WHERE id = $10 AND version = $11",
      launch.tenant, launch.owner, target, launch.request_id, launch.request_fingerprint,
      launch.version, Micros(launch.create_time), Micros(launch.update_time), Payload(payload),
      launch.id, launch.version - 1);
  if (updated.affected_rows() == 1) return absl::OkStatus();
  pqxx::result stored = tx.exec_params("SELECT version FROM launches WHERE id = $1", launch.id);
  if (stored.empty()) return absl::NotFoundError(absl::StrCat("launch ", launch.id, " not found"));
  return absl::AbortedError(
      absl::StrCat("launch ", launch.id, " was changed concurrently (stored version ",
                   stored[0][0].as<int64_t>(), ", expected ", launch.version - 1, ")"));
}

absl::Status WriteItem(pqxx::transaction_base& tx, const Item& item) {
  if (item.version < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("item ", ItemName(item), " has invalid version ", item.version));
  }
  const std::string payload = EncodeItem(item);
  const std::string status(ItemStatusName(item.status));
  const bool open = !IsDone(item.status);
  const std::string latest_start = DayColumn(item.schedule.latest_start);
  const std::string latest_finish = DayColumn(item.schedule.latest_finish);
  if (item.version == 1) {
    if (tx.exec_params("SELECT 1 FROM launches WHERE id = $1", item.launch_id).empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("item ", ItemName(item), " belongs to no stored launch"));
    }
    if (!tx.exec_params("SELECT 1 FROM items WHERE launch_id = $1 AND code = $2", item.launch_id,
                        item.code)
             .empty()) {
      return absl::AlreadyExistsError(absl::StrCat("item ", ItemName(item), " already exists"));
    }
    tx.exec_params(
        "INSERT INTO items (launch_id, code, ordinal, version, status, payload, tenant, assignee, "
        "open, latest_start, latest_finish) VALUES ($1, $2, "
        "(SELECT COALESCE(MAX(ordinal), 0) + 1 FROM items WHERE launch_id = $1), $3, $4, $5, "
        "(SELECT tenant FROM launches WHERE id = $1), $6, $7, $8, $9)",
        item.launch_id, item.code, item.version, status, Payload(payload), item.assignee, open,
        latest_start, latest_finish);
    return absl::OkStatus();
  }
  pqxx::result updated = tx.exec_params(
      "UPDATE items SET version = $1, status = $2, payload = $3, assignee = $4, open = $5, "
      "latest_start = $6, latest_finish = $7 WHERE launch_id = $8 AND code = $9 AND version = $10",
      item.version, status, Payload(payload), item.assignee, open, latest_start, latest_finish,
      item.launch_id, item.code, item.version - 1);
  if (updated.affected_rows() == 1) return absl::OkStatus();
  pqxx::result stored = tx.exec_params(
      "SELECT version FROM items WHERE launch_id = $1 AND code = $2", item.launch_id, item.code);
  if (stored.empty()) {
    return absl::NotFoundError(absl::StrCat("item ", ItemName(item), " not found"));
  }
  return absl::AbortedError(
      absl::StrCat("item ", ItemName(item), " was changed concurrently (stored version ",
                   stored[0][0].as<int64_t>(), ", expected ", item.version - 1, ")"));
}

void WriteRiskBounds(pqxx::transaction_base& tx, const RiskBounds& bounds) {
  tx.exec_params("UPDATE launches SET at_risk_from = $1 WHERE id = $2",
                 DayColumn(bounds.launch_at_risk_from), bounds.launch_id);
  if (bounds.item_at_risk_from.empty()) return;
  // Every item's bound in one statement (a launch has dozens), rewriting only those that moved.
  std::vector<std::string> codes;
  std::vector<std::string> days;
  for (const auto& [code, from] : bounds.item_at_risk_from) {
    codes.push_back(code);
    days.push_back(DayColumn(from));
  }
  tx.exec_params(
      "UPDATE items SET at_risk_from = bound.day FROM unnest($2::text[], $3::text[]) "
      "AS bound(code, day) WHERE items.launch_id = $1 AND items.code = bound.code "
      "AND items.at_risk_from IS DISTINCT FROM bound.day",
      bounds.launch_id, TextArray(codes), TextArray(days));
}

void WriteEvent(pqxx::transaction_base& tx, const Event& event) {
  tx.exec_params(
      "INSERT INTO events (sequence, type, tenant, launch_id, item_code, actor, time_micros, "
      "summary, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      event.sequence, std::string(EventTypeName(event.type)), event.tenant, event.launch_id,
      event.item_code, event.actor, Micros(event.time), event.summary,
      Payload(EncodeEventPayload(event)));
}

// The change set's rows (not its events, which are numbered once the batch is known good).
absl::Status WriteRows(pqxx::transaction_base& tx, const ChangeSet& changes) {
  if (changes.launch.has_value()) {
    if (absl::Status s = WriteLaunch(tx, *changes.launch); !s.ok()) return s;
  }
  for (const Item& item : changes.items) {
    if (absl::Status s = WriteItem(tx, item); !s.ok()) return s;
  }
  if (changes.risk_bounds.has_value()) WriteRiskBounds(tx, *changes.risk_bounds);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresChecklistStore>> PostgresChecklistStore::Open(
    PostgresPool* pool) {
  if (absl::Status migrated =
          ApplyPostgresMigrations(*pool, "checklist", ChecklistPostgresMigrations());
      !migrated.ok()) {
    return migrated;
  }
  return std::unique_ptr<PostgresChecklistStore>(new PostgresChecklistStore(pool));
}

absl::StatusOr<LaunchState> PostgresChecklistStore::LoadLaunch(absl::string_view launch_id) {
  const std::string id(launch_id);
  // One statement is one snapshot: the launch (ordinal 0) and its items, in one round trip.
  return pool_->Autocommit(
      absl::StrCat("loading launch ", id),
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<LaunchState> {
        pqxx::result rows = tx.exec_params(
            "SELECT 0 AS ordinal, payload FROM launches WHERE id = $1 UNION ALL "
            "SELECT ordinal, payload FROM items WHERE launch_id = $1 ORDER BY ordinal",
            id);
        if (rows.empty() || rows[0][0].as<int>() != 0) {
          return absl::NotFoundError(absl::StrCat("launch ", id, " not found"));
        }
        absl::StatusOr<Launch> launch = DecodeLaunch(Bytes(rows[0][1]).view());
        if (!launch.ok()) return launch.status();
        LaunchState state{*std::move(launch), {}};
        state.items.reserve(rows.size() - 1);
        for (size_t i = 1; i < rows.size(); ++i) {
          absl::StatusOr<Item> item = DecodeItem(Bytes(rows[i][1]).view());
          if (!item.ok()) return item.status();
          state.items.push_back(*std::move(item));
        }
        return state;
      });
}

absl::StatusOr<LaunchRead> PostgresChecklistStore::ReadLaunch(absl::string_view launch_id,
                                                              bool with_items) {
  if (with_items) return ChecklistStore::ReadLaunch(launch_id, with_items);
  const std::string id(launch_id);
  // One statement is one snapshot.
  return pool_->Autocommit(
      absl::StrCat("reading launch ", id),
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<LaunchRead> {
        pqxx::result rows = tx.exec_params(
            "SELECT payload, (SELECT COALESCE(SUM(version), 0) FROM items WHERE launch_id = $1) "
            "FROM launches WHERE id = $1",
            id);
        if (rows.empty()) return absl::NotFoundError(absl::StrCat("launch ", id, " not found"));
        absl::StatusOr<Launch> launch = DecodeLaunch(Bytes(rows[0][0]).view());
        if (!launch.ok()) return launch.status();
        LaunchRead read;
        read.state.launch = *std::move(launch);
        read.items_version = rows[0][1].as<int64_t>();
        return read;
      });
}

absl::StatusOr<ItemRead> PostgresChecklistStore::ReadItem(absl::string_view launch_id,
                                                          absl::string_view code) {
  const std::string id(launch_id);
  const std::string item_code(code);
  return pool_->Autocommit(
      absl::StrCat("reading item ", id, "/", item_code),
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<ItemRead> {
        pqxx::result rows = tx.exec_params(
            "SELECT payload, (SELECT version FROM launches WHERE id = $1), "
            "(SELECT COALESCE(SUM(version), 0) FROM items WHERE launch_id = $1) "
            "FROM items WHERE launch_id = $1 AND code = $2",
            id, item_code);
        if (rows.empty()) {
          return absl::NotFoundError(
              absl::StrCat("item ", api::ItemName(id, item_code), " not found"));
        }
        absl::StatusOr<Item> item = DecodeItem(Bytes(rows[0][0]).view());
        if (!item.ok()) return item.status();
        return ItemRead{*std::move(item), rows[0][1].as<int64_t>(), rows[0][2].as<int64_t>()};
      });
}

absl::StatusOr<std::optional<std::string>> PostgresChecklistStore::FindLaunchByRequestId(
    absl::string_view tenant, absl::string_view request_id) {
  if (request_id.empty()) return std::optional<std::string>();
  return pool_->Autocommit("finding a launch by request id",
                           [&](pqxx::transaction_base& tx) -> std::optional<std::string> {
                             pqxx::result rows = tx.exec_params(
                                 "SELECT id FROM launches WHERE tenant = $1 AND request_id = $2",
                                 std::string(tenant), std::string(request_id));
                             if (rows.empty()) return std::nullopt;
                             return rows[0][0].as<std::string>();
                           });
}

absl::StatusOr<int64_t> PostgresChecklistStore::CountLaunches(absl::string_view tenant) {
  return pool_->Autocommit("counting a tenant's launches", [&](pqxx::transaction_base& tx) {
    return tx
        .exec_params1("SELECT COUNT(*) FROM launches WHERE tenant = $1", std::string(tenant))[0]
        .as<int64_t>();
  });
}

absl::StatusOr<std::vector<LaunchState>> PostgresChecklistStore::ListLaunches(
    const LaunchFilter& filter, absl::string_view after_id, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  Params params;
  std::string sql = absl::StrCat("SELECT id, payload FROM launches WHERE id > ",
                                 params.Add(std::string(after_id)));
  if (!filter.tenant.empty()) absl::StrAppend(&sql, " AND tenant = ", params.Add(filter.tenant));
  if (!filter.owner.empty()) absl::StrAppend(&sql, " AND owner = ", params.Add(filter.owner));
  if (filter.target_from.has_value()) {
    absl::StrAppend(&sql, " AND target_date >= ", params.Add(FormatCivilDay(*filter.target_from)));
  }
  if (filter.target_to.has_value()) {
    absl::StrAppend(&sql, " AND target_date <= ", params.Add(FormatCivilDay(*filter.target_to)));
  }
  if (filter.at_risk_by.has_value()) {
    absl::StrAppend(&sql, " AND at_risk_from <= ", params.Add(FormatCivilDay(*filter.at_risk_by)));
  }
  absl::StrAppend(&sql, " ORDER BY id LIMIT ", params.Add(absl::StrCat(limit)), "::bigint");

  return pool_->Transact<pqxx::repeatable_read>(
      "listing launches",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<std::vector<LaunchState>> {
        pqxx::result rows = tx.exec_params(sql, params.Dynamic());
        std::vector<LaunchState> launches;
        std::vector<std::string> ids;
        launches.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          absl::StatusOr<Launch> launch = DecodeLaunch(Bytes(row[1]).view());
          if (!launch.ok()) return launch.status();
          ids.push_back(row[0].as<std::string>());
          launches.push_back(LaunchState{*std::move(launch), {}});
        }
        if (launches.empty()) return launches;
        // The page's items in one round trip, from the same snapshot.
        pqxx::result items = tx.exec_params(
            "SELECT launch_id, payload FROM items WHERE launch_id = ANY($1::text[]) "
            "ORDER BY launch_id, ordinal",
            TextArray(ids));
        size_t next = 0;
        for (const pqxx::row& row : items) {
          const std::string launch_id = row[0].as<std::string>();
          // Both lists are in id order (COLLATE "C"): walk them together.
          while (next < ids.size() && ids[next] != launch_id) ++next;
          if (next == ids.size()) break;
          absl::StatusOr<Item> item = DecodeItem(Bytes(row[1]).view());
          if (!item.ok()) return item.status();
          launches[next].items.push_back(*std::move(item));
        }
        return launches;
      });
}

absl::StatusOr<std::vector<ItemKey>> PostgresChecklistStore::ListItemKeys(
    const ItemFilter& filter, const std::optional<ItemKey>& after, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  Params params;
  std::string sql = "SELECT latest_start, launch_id, code FROM items WHERE TRUE";
  if (!filter.tenant.empty()) absl::StrAppend(&sql, " AND tenant = ", params.Add(filter.tenant));
  if (!filter.launch_id.empty()) {
    absl::StrAppend(&sql, " AND launch_id = ", params.Add(filter.launch_id));
  }
  if (!filter.assignee.empty()) {
    absl::StrAppend(&sql, " AND assignee = ", params.Add(filter.assignee));
  }
  if (filter.open_only) absl::StrAppend(&sql, " AND open");
  if (!filter.statuses.empty()) {
    absl::StrAppend(&sql, " AND status IN (");
    for (size_t i = 0; i < filter.statuses.size(); ++i) {
      absl::StrAppend(&sql, i > 0 ? ", " : "",
                      params.Add(std::string(ItemStatusName(filter.statuses[i]))));
    }
    absl::StrAppend(&sql, ")");
  }
  if (filter.start_before.has_value()) {
    absl::StrAppend(&sql,
                    " AND latest_start <= ", params.Add(FormatCivilDay(*filter.start_before)));
  }
  if (filter.due_before.has_value()) {
    absl::StrAppend(&sql, " AND latest_finish <= ", params.Add(FormatCivilDay(*filter.due_before)));
  }
  if (filter.at_risk_by.has_value()) {
    absl::StrAppend(&sql, " AND at_risk_from <= ", params.Add(FormatCivilDay(*filter.at_risk_by)));
  }
  if (after.has_value()) {
    absl::StrAppend(&sql, " AND (latest_start, launch_id, code) > (",
                    params.Add(DayColumn(after->latest_start)), ", ", params.Add(after->launch_id),
                    ", ", params.Add(after->code), ")");
  }
  absl::StrAppend(&sql, " ORDER BY latest_start, launch_id, code LIMIT ",
                  params.Add(absl::StrCat(limit)), "::bigint");

  return pool_->Autocommit("listing items", [&](pqxx::transaction_base& tx) {
    pqxx::result rows = tx.exec_params(sql, params.Dynamic());
    std::vector<ItemKey> keys;
    keys.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      ItemKey key;
      key.latest_start = DayFromColumn(row[0].as<std::string>());
      key.launch_id = row[1].as<std::string>();
      key.code = row[2].as<std::string>();
      keys.push_back(std::move(key));
    }
    return keys;
  });
}

absl::StatusOr<std::vector<Event>> PostgresChecklistStore::ListLaunchEvents(
    absl::string_view launch_id, int64_t after_sequence, int limit) {
  return QueryEvents(std::string(launch_id), after_sequence, limit);
}

absl::StatusOr<std::vector<Event>> PostgresChecklistStore::ReadEvents(int64_t after_sequence,
                                                                      int limit) {
  return QueryEvents(std::nullopt, after_sequence, limit);
}

absl::StatusOr<std::vector<Event>> PostgresChecklistStore::QueryEvents(
    std::optional<std::string> launch_id, int64_t after_sequence, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  Params params;
  std::string sql = absl::StrCat(
      "SELECT sequence, type, tenant, launch_id, item_code, actor, time_micros, summary, payload "
      "FROM events WHERE sequence > ",
      params.Add(absl::StrCat(after_sequence)), "::bigint");
  if (launch_id.has_value()) absl::StrAppend(&sql, " AND launch_id = ", params.Add(*launch_id));
  absl::StrAppend(&sql, " ORDER BY sequence LIMIT ", params.Add(absl::StrCat(limit)), "::bigint");
  return pool_->Autocommit("reading events",
                           [&](pqxx::transaction_base& tx) -> absl::StatusOr<std::vector<Event>> {
                             pqxx::result rows = tx.exec_params(sql, params.Dynamic());
                             std::vector<Event> events;
                             events.reserve(rows.size());
                             for (const pqxx::row& row : rows) {
                               absl::StatusOr<Event> event = ReadEventRow(row);
                               if (!event.ok()) return event.status();
                               events.push_back(*std::move(event));
                             }
                             return events;
                           });
}

absl::StatusOr<int64_t> PostgresChecklistStore::LastSequence() {
  return pool_->Autocommit("reading the last event sequence", ReadLastSequence);
}

absl::StatusOr<std::vector<LogEpoch>> PostgresChecklistStore::LogEpochs() {
  return pool_->Autocommit(
      "reading the log epochs",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<std::vector<LogEpoch>> {
        pqxx::result rows = tx.exec("SELECT id, base_sequence FROM log_epochs ORDER BY ordinal");
        if (rows.empty()) return absl::DataLossError("the event log has no epoch");
        std::vector<LogEpoch> epochs;
        for (const pqxx::row& row : rows) {
          epochs.push_back(LogEpoch{row[0].as<std::string>(), row[1].as<int64_t>()});
        }
        return epochs;
      });
}

absl::StatusOr<LogEpoch> PostgresChecklistStore::StartLogEpoch() {
  return pool_->Transact("starting a log epoch", [&](pqxx::transaction_base& tx) {
    // Holding log_head's lock: no commit can slip in between the head read and the epoch.
    LogEpoch epoch;
    epoch.base_sequence =
        tx.exec1("SELECT last_sequence FROM log_head FOR UPDATE")[0].as<int64_t>();
    pqxx::row row = tx.exec_params1(
        "INSERT INTO log_epochs (ordinal, id, base_sequence) VALUES ((SELECT MAX(ordinal) + 1 "
        "FROM log_epochs), substr(md5(gen_random_uuid()::text), 1, 16), $1) RETURNING id",
        epoch.base_sequence);
    epoch.id = row[0].as<std::string>();
    return epoch;
  });
}

absl::StatusOr<std::vector<Event>> PostgresChecklistStore::Commit(const ChangeSet& changes) {
  std::vector<absl::StatusOr<std::vector<Event>>> results = CommitBatch({&changes});
  return std::move(results.front());
}

std::vector<absl::StatusOr<std::vector<Event>>> PostgresChecklistStore::CommitBatch(
    const std::vector<const ChangeSet*>& batch) {
  std::vector<absl::StatusOr<std::vector<Event>>> results;
  if (batch.empty()) return results;
  const std::string context = batch.size() == 1
                                  ? CommitContext(*batch.front())
                                  : absl::StrCat("committing ", batch.size(), " change sets");
  absl::Status whole = pool_->Transact(context, [&](pqxx::transaction_base& tx) -> absl::Status {
    results.clear();
    int64_t event_count = 0;
    for (const ChangeSet* changes : batch) {
      // A failed statement aborts a PostgreSQL transaction until its savepoint is rolled back;
      // rolling back to it loses only this change set. (Plain SQL: libpqxx's subtransaction
      // class did not roll back here.) A batch of one needs none: its failure fails the whole
      // transaction, two round trips saved on the common path.
      const bool alone = batch.size() == 1;
      if (!alone) tx.exec("SAVEPOINT change_set");
      absl::Status written;
      try {
        written = WriteRows(tx, *changes);
      } catch (const pqxx::broken_connection&) {
        throw;  // nothing of the batch can commit; Transact reports it
      } catch (const pqxx::in_doubt_error&) {
        throw;
      } catch (const std::exception& e) {
        written = PostgresExceptionToStatus(e, CommitContext(*changes));
      }
      if (alone && !written.ok()) return written;  // rolls the transaction back
      if (!alone) {
        tx.exec(written.ok() ? "RELEASE SAVEPOINT change_set" : "ROLLBACK TO SAVEPOINT change_set");
      }
      if (written.ok()) {
        results.push_back(changes->events);
        event_count += static_cast<int64_t>(changes->events.size());
      } else {
        results.push_back(written);
      }
    }
    if (event_count == 0) return absl::OkStatus();
    // Last, so that the lock every committer queues on is held for the shortest time.
    int64_t sequence = tx.exec_params1(
                             "UPDATE log_head SET last_sequence = last_sequence + $1 "
                             "RETURNING last_sequence - $1",
                             event_count)[0]
                           .as<int64_t>();
    for (absl::StatusOr<std::vector<Event>>& result : results) {
      if (!result.ok()) continue;
      for (Event& event : *result) {
        event.sequence = ++sequence;
        WriteEvent(tx, event);
      }
    }
    // Delivered at COMMIT, to every replica's event follower (postgres_event_follower.h).
    tx.exec(absl::StrCat("NOTIFY ", kChecklistEventsChannel));
    return absl::OkStatus();
  });
  // Nothing of the batch is durable unless the transaction committed.
  if (!whole.ok()) results.assign(batch.size(), whole);
  return results;
}

absl::StatusOr<std::string> PostgresChecklistStore::GetOrCreateSecret(absl::string_view name) {
  const std::string key(name);
  const std::string context = absl::StrCat("secret '", key, "'");
  auto read = [&](pqxx::transaction_base& tx) -> std::optional<std::string> {
    pqxx::result rows = tx.exec_params("SELECT value FROM secrets WHERE name = $1", key);
    if (rows.empty()) return std::nullopt;
    return std::string(Bytes(rows[0][0]).view());
  };
  // The common case, a secret made long ago, writes nothing.
  absl::StatusOr<std::optional<std::string>> stored = pool_->Autocommit(context, read);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return **stored;
  absl::StatusOr<std::string> fresh = RandomSecretBytes(kSecretBytes);
  if (!fresh.ok())
    return absl::InternalError(absl::StrCat(context, ": ", fresh.status().message()));
  // The first replica to insert wins; every caller gets the stored value.
  return pool_->Transact(context, [&](pqxx::transaction_base& tx) {
    tx.exec_params(
        "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", key,
        Payload(*fresh));
    return read(tx).value_or(*fresh);
  });
}

}  // namespace preflight::checklist
