#include "notifier-service/storage/delivery_sql.h"

#include <utility>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/rows.h"
#include "common/sqlite/statement_cache.h"
#include "notifier-service/storage/inbox_sql.h"
#include "notifier-service/storage/notifier_row_codec.h"

namespace preflight::notifier::sql {
namespace {

constexpr char kDeliveryColumns[] =
    "id, dedup_key, tenant, launch_id, item_code, rung_id, kind, item_version, recipient_id, "
    "reason, channel, target, secret_ref, state, subject, text, markdown, data_json, urgent, late, "
    "digest, attempts, unit_key, create_time, next_attempt_time, update_time, recipient_tenant";

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

std::string Str(absl::string_view s) { return std::string(s); }

absl::StatusOr<Delivery> ReadDeliveryRow(SQLite::Statement& query) {
  Delivery delivery;
  delivery.id = query.getColumn(0).getInt64();
  delivery.dedup_key = query.getColumn(1).getString();
  delivery.tenant = query.getColumn(2).getString();
  delivery.launch_id = query.getColumn(3).getString();
  delivery.item_code = query.getColumn(4).getString();
  delivery.rung_id = query.getColumn(5).getString();
  const std::string kind = query.getColumn(6).getString();
  std::optional<RungKind> parsed_kind = ParseRungKind(kind);
  if (!parsed_kind.has_value()) {
    return absl::DataLossError(
        absl::StrCat("delivery ", delivery.id, " has unknown kind '", kind, "'"));
  }
  delivery.kind = *parsed_kind;
  delivery.item_version = query.getColumn(7).getInt64();
  delivery.recipient_id = query.getColumn(8).getString();
  delivery.reason = query.getColumn(9).getString();
  const std::string channel = query.getColumn(10).getString();
  std::optional<ChannelType> parsed_channel = ParseChannelType(channel);
  if (!parsed_channel.has_value()) {
    return absl::DataLossError(
        absl::StrCat("delivery ", delivery.id, " has unknown channel '", channel, "'"));
  }
  delivery.channel = *parsed_channel;
  delivery.target = query.getColumn(11).getString();
  delivery.secret_ref = query.getColumn(12).getString();
  const std::string state = query.getColumn(13).getString();
  std::optional<DeliveryState> parsed_state = ParseDeliveryState(state);
  if (!parsed_state.has_value()) {
    return absl::DataLossError(
        absl::StrCat("delivery ", delivery.id, " has unknown state '", state, "'"));
  }
  delivery.state = *parsed_state;
  delivery.subject = query.getColumn(14).getString();
  delivery.text = query.getColumn(15).getString();
  delivery.markdown = query.getColumn(16).getString();
  delivery.data_json = query.getColumn(17).getString();
  delivery.urgent = query.getColumn(18).getInt() != 0;
  delivery.late = query.getColumn(19).getInt() != 0;
  delivery.digest = query.getColumn(20).getInt() != 0;
  delivery.attempts = query.getColumn(21).getInt();
  delivery.unit_key = query.getColumn(22).getString();
  delivery.create_time = absl::FromUnixMicros(query.getColumn(23).getInt64());
  delivery.next_attempt_time = absl::FromUnixMicros(query.getColumn(24).getInt64());
  delivery.update_time = absl::FromUnixMicros(query.getColumn(25).getInt64());
  delivery.recipient_tenant = query.getColumn(26).getString();
  return delivery;
}

absl::StatusOr<std::vector<DeliveryAttempt>> ReadHistory(SQLite::Database& db,
                                                         int64_t delivery_id) {
  CachedStatement query(db,
                        "SELECT attempt, time, outcome, http_status, provider_answer FROM ledger "
                        "WHERE delivery_id = ? ORDER BY id");
  query.bind(1, delivery_id);
  return ReadSqliteRows(query, [](SQLite::Statement& row) {
    DeliveryAttempt attempt;
    attempt.attempt = row.getColumn(0).getInt();
    attempt.time = absl::FromUnixMicros(row.getColumn(1).getInt64());
    attempt.outcome = row.getColumn(2).getString();
    attempt.http_status = row.getColumn(3).getInt();
    attempt.provider_answer = row.getColumn(4).getString();
    return attempt;
  });
}

absl::StatusOr<std::vector<Delivery>> ReadDeliveryRows(SQLite::Database& db,
                                                       SQLite::Statement& query,
                                                       bool with_history) {
  absl::StatusOr<std::vector<Delivery>> deliveries = ReadSqliteRows(query, ReadDeliveryRow);
  if (!deliveries.ok() || !with_history) return deliveries;
  for (Delivery& delivery : *deliveries) {
    absl::StatusOr<std::vector<DeliveryAttempt>> history = ReadHistory(db, delivery.id);
    if (!history.ok()) return history.status();
    delivery.history = *std::move(history);
  }
  return deliveries;
}

void AppendLedger(SQLite::Database& db, int64_t delivery_id, int attempt, absl::Time time,
                  const std::string& outcome, int http_status, const std::string& provider_answer) {
  CachedStatement insert(db,
                         "INSERT INTO ledger (delivery_id, attempt, time, outcome, http_status, "
                         "provider_answer) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, delivery_id);
  insert.bind(2, attempt);
  insert.bind(3, Micros(time));
  insert.bind(4, outcome);
  insert.bind(5, http_status);
  insert.bind(6, provider_answer);
  insert.exec();
}

// The state and attempt count of a delivery, absent when there is no such delivery.
std::optional<std::pair<std::string, int>> DeliveryStateAndAttempts(SQLite::Database& db,
                                                                    int64_t id) {
  CachedStatement query(db, "SELECT state, attempts FROM deliveries WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  return std::make_pair(query.getColumn(0).getString(), query.getColumn(1).getInt());
}

}  // namespace

bool DeliveryExists(SQLite::Database& db, const std::string& dedup_key) {
  CachedStatement query(db, "SELECT 1 FROM deliveries WHERE dedup_key = ?");
  query.bind(1, dedup_key);
  return query.executeStep();
}

std::optional<int64_t> InsertDelivery(SQLite::Database& db, const Delivery& delivery) {
  CachedStatement insert(
      db,
      "INSERT INTO deliveries (dedup_key, tenant, launch_id, item_code, rung_id, kind, "
      "item_version, recipient_id, reason, channel, target, secret_ref, state, subject, text, "
      "markdown, data_json, urgent, late, digest, attempts, unit_key, create_time, "
      "next_attempt_time, update_time, recipient_tenant) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (dedup_key) DO NOTHING RETURNING id");
  int index = 0;
  insert.bind(++index, delivery.dedup_key);
  insert.bind(++index, delivery.tenant);
  insert.bind(++index, delivery.launch_id);
  insert.bind(++index, delivery.item_code);
  insert.bind(++index, delivery.rung_id);
  insert.bind(++index, Str(RungKindName(delivery.kind)));
  insert.bind(++index, delivery.item_version);
  insert.bind(++index, delivery.recipient_id);
  insert.bind(++index, delivery.reason);
  insert.bind(++index, Str(ChannelTypeName(delivery.channel)));
  insert.bind(++index, delivery.target);
  insert.bind(++index, delivery.secret_ref);
  insert.bind(++index, Str(DeliveryStateName(delivery.state)));
  insert.bind(++index, delivery.subject);
  insert.bind(++index, delivery.text);
  insert.bind(++index, delivery.markdown);
  insert.bind(++index, delivery.data_json);
  insert.bind(++index, delivery.urgent ? 1 : 0);
  insert.bind(++index, delivery.late ? 1 : 0);
  insert.bind(++index, delivery.digest ? 1 : 0);
  insert.bind(++index, delivery.attempts);
  insert.bind(++index, delivery.unit_key);
  insert.bind(++index, Micros(delivery.create_time));
  insert.bind(++index, Micros(delivery.next_attempt_time));
  insert.bind(++index, Micros(delivery.update_time));
  insert.bind(++index, delivery.recipient_tenant);
  std::optional<int64_t> id;
  while (insert.executeStep()) id = insert.getColumn(0).getInt64();
  return id;
}

void CancelIfPending(SQLite::Database& db, int64_t id, const std::string& reason, absl::Time now) {
  CachedStatement cancel(db,
                         "UPDATE deliveries SET state = 'cancelled', update_time = ? "
                         "WHERE id = ? AND state = 'pending' RETURNING attempts");
  cancel.bind(1, Micros(now));
  cancel.bind(2, id);
  std::optional<int> attempts;
  while (cancel.executeStep()) attempts = cancel.getColumn(0).getInt();
  if (attempts.has_value()) AppendLedger(db, id, *attempts, now, "cancelled", 0, reason);
}

absl::StatusOr<int> LeaseDeliveries(SQLite::Database& db, const std::vector<int64_t>& ids,
                                    absl::string_view unit_key, absl::Time now) {
  int first_attempt = 0;
  for (int64_t id : ids) {
    CachedStatement query(db,
                          "SELECT state, attempts, next_attempt_time FROM deliveries "
                          "WHERE id = ?");
    query.bind(1, id);
    if (!query.executeStep()) {
      return absl::NotFoundError(absl::StrCat("delivery ", id, " not found"));
    }
    const std::string state = query.getColumn(0).getString();
    if (state != DeliveryStateName(DeliveryState::kPending)) {
      return absl::FailedPreconditionError(
          absl::StrCat("delivery ", id, " is ", state, ", not pending"));
    }
    if (query.getColumn(2).getInt64() > Micros(now)) {
      return absl::FailedPreconditionError(absl::StrCat("delivery ", id, " is not due yet"));
    }
    if (first_attempt == 0) first_attempt = query.getColumn(1).getInt() + 1;
    CachedStatement update(db,
                           "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, "
                           "unit_key = ?, update_time = ? WHERE id = ?");
    update.bind(1, Str(unit_key));
    update.bind(2, Micros(now));
    update.bind(3, id);
    update.exec();
  }
  return first_attempt;
}

absl::Status RecordAttempt(SQLite::Database& db, const AttemptOutcome& outcome) {
  const std::string state(DeliveryStateName(outcome.new_state));
  for (int64_t id : outcome.delivery_ids) {
    std::optional<std::pair<std::string, int>> stored = DeliveryStateAndAttempts(db, id);
    if (!stored.has_value()) {
      return absl::NotFoundError(absl::StrCat("delivery ", id, " not found"));
    }
    // Only a retry moves the next attempt; otherwise it keeps when the last one was due.
    CachedStatement update(db,
                           "UPDATE deliveries SET state = ?1, update_time = ?2, "
                           "next_attempt_time = CASE WHEN ?1 = 'pending' THEN ?3 "
                           "ELSE next_attempt_time END WHERE id = ?4");
    update.bind(1, state);
    update.bind(2, Micros(outcome.attempt.time));
    update.bind(3, Micros(outcome.next_attempt_time));
    update.bind(4, id);
    update.exec();
    AppendLedger(db, id, stored->second, outcome.attempt.time, outcome.attempt.outcome,
                 outcome.attempt.http_status, outcome.attempt.provider_answer);
  }
  for (const InboxMessage& message : outcome.inbox) InsertInboxMessage(db, message);
  return absl::OkStatus();
}

void ReleaseLease(SQLite::Database& db, const std::vector<int64_t>& ids, absl::Time next_attempt) {
  CachedStatement update(db,
                         "UPDATE deliveries SET state = 'pending', attempts = attempts - 1, "
                         "next_attempt_time = ?1 WHERE id = ?2 AND state = 'sending'");
  for (int64_t id : ids) {
    update.bind(1, Micros(next_attempt));
    update.bind(2, id);
    update.exec();
    update.get().reset();
  }
}

void DeferPendingDeliveries(SQLite::Database& db, ChannelType channel, absl::string_view target,
                            absl::Time until) {
  CachedStatement update(db,
                         "UPDATE deliveries SET next_attempt_time = ?1 WHERE state = 'pending' "
                         "AND next_attempt_time < ?1 AND channel = ?2 AND target = ?3");
  update.bind(1, Micros(until));
  update.bind(2, Str(ChannelTypeName(channel)));
  update.bind(3, Str(target));
  update.exec();
}

absl::StatusOr<std::vector<Delivery>> PendingDeliveriesOfItem(SQLite::Database& db,
                                                              absl::string_view launch_id,
                                                              absl::string_view code) {
  CachedStatement query(db, absl::StrCat("SELECT ", kDeliveryColumns,
                                         " FROM deliveries WHERE launch_id = ? AND item_code = ? "
                                         "AND state = 'pending' ORDER BY id"));
  query.bind(1, Str(launch_id));
  query.bind(2, Str(code));
  return ReadDeliveryRows(db, query, /*with_history=*/false);
}

absl::StatusOr<std::vector<Delivery>> DueDeliveries(SQLite::Database& db, absl::Time now,
                                                    int limit) {
  CachedStatement query(
      db, absl::StrCat("SELECT ", kDeliveryColumns,
                       " FROM deliveries WHERE state = 'pending' AND next_attempt_time <= ? "
                       "ORDER BY next_attempt_time, id LIMIT ?"));
  query.bind(1, Micros(now));
  query.bind(2, limit);
  return ReadDeliveryRows(db, query, /*with_history=*/false);
}

absl::StatusOr<std::vector<Delivery>> DeliveriesInState(SQLite::Database& db, DeliveryState state,
                                                        int limit) {
  CachedStatement query(db, absl::StrCat("SELECT ", kDeliveryColumns,
                                         " FROM deliveries WHERE state = ? ORDER BY id LIMIT ?"));
  query.bind(1, Str(DeliveryStateName(state)));
  query.bind(2, limit);
  return ReadDeliveryRows(db, query, /*with_history=*/false);
}

absl::StatusOr<std::vector<Delivery>> ListDeliveries(SQLite::Database& db,
                                                     const DeliveryFilter& filter,
                                                     int64_t before_id, int limit) {
  // Only the filters in use go into the SQL, so SQLite can pick the matching index.
  std::string sql = absl::StrCat("SELECT ", kDeliveryColumns, " FROM deliveries WHERE 1 = 1");
  if (before_id > 0) absl::StrAppend(&sql, " AND id < ?");
  if (!filter.tenant.empty()) absl::StrAppend(&sql, " AND tenant = ?");
  if (!filter.launch_id.empty()) absl::StrAppend(&sql, " AND launch_id = ?");
  if (!filter.item_code.empty()) absl::StrAppend(&sql, " AND item_code = ?");
  if (!filter.recipient_id.empty()) {
    absl::StrAppend(&sql, " AND recipient_tenant = ? AND recipient_id = ?");
  }
  if (filter.state.has_value()) absl::StrAppend(&sql, " AND state = ?");
  if (filter.channel.has_value()) absl::StrAppend(&sql, " AND channel = ?");
  absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ?");

  CachedStatement query(db, sql);
  int index = 0;
  if (before_id > 0) query.bind(++index, before_id);
  if (!filter.tenant.empty()) query.bind(++index, filter.tenant);
  if (!filter.launch_id.empty()) query.bind(++index, filter.launch_id);
  if (!filter.item_code.empty()) query.bind(++index, filter.item_code);
  if (!filter.recipient_id.empty()) {
    query.bind(++index, filter.recipient_tenant);
    query.bind(++index, filter.recipient_id);
  }
  if (filter.state.has_value()) query.bind(++index, Str(DeliveryStateName(*filter.state)));
  if (filter.channel.has_value()) query.bind(++index, Str(ChannelTypeName(*filter.channel)));
  query.bind(++index, limit);
  return ReadDeliveryRows(db, query, /*with_history=*/true);
}

absl::StatusOr<std::optional<Delivery>> FindDelivery(SQLite::Database& db, int64_t id) {
  CachedStatement query(db,
                        absl::StrCat("SELECT ", kDeliveryColumns, " FROM deliveries WHERE id = ?"));
  query.bind(1, id);
  absl::StatusOr<std::vector<Delivery>> found = ReadDeliveryRows(db, query, /*with_history=*/true);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<Delivery>();
  return std::optional<Delivery>(std::move(found->front()));
}

absl::StatusOr<std::vector<DeliveryCount>> CountDeliveries(SQLite::Database& db) {
  CachedStatement query(db,
                        "SELECT state, channel, COUNT(*) FROM deliveries GROUP BY state, channel");
  return ReadSqliteRows(query, [](SQLite::Statement& row) -> absl::StatusOr<DeliveryCount> {
    const std::string state = row.getColumn(0).getString();
    const std::string channel = row.getColumn(1).getString();
    std::optional<DeliveryState> parsed_state = ParseDeliveryState(state);
    std::optional<ChannelType> parsed_channel = ParseChannelType(channel);
    if (!parsed_state.has_value() || !parsed_channel.has_value()) {
      return absl::DataLossError(
          absl::StrCat("a delivery has state '", state, "' and channel '", channel, "'"));
    }
    return DeliveryCount{*parsed_state, *parsed_channel, row.getColumn(2).getInt64()};
  });
}

}  // namespace preflight::notifier::sql
