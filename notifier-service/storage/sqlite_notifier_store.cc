#include "notifier-service/storage/sqlite_notifier_store.h"

#include <exception>
#include <stdexcept>
#include <utility>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/civil_date.h"
#include "nlohmann/json.hpp"
#include "notifier-service/storage/notifier_migrations.h"

namespace preflight::notifier {
namespace {

using Json = nlohmann::json;

constexpr int kSecretBytes = 32;

constexpr char kDeliveryColumns[] =
    "id, dedup_key, tenant, launch_id, item_code, rung_id, kind, item_version, recipient_id, "
    "reason, channel, target, secret_ref, state, subject, text, markdown, data_json, urgent, late, "
    "digest, attempts, unit_key, create_time, next_attempt_time, update_time, recipient_tenant";

constexpr char kItemColumns[] =
    "launch_id, code, info, version, next_check_time, snoozed_until, acknowledged_version";

constexpr char kRecipientColumns[] =
    "id, tenant, display_name, language, channels, digest, subscriptions, version, create_time, "
    "update_time";

std::string Str(absl::string_view s) { return std::string(s); }

std::string ItemName(absl::string_view launch_id, absl::string_view code) {
  return absl::StrCat("launches/", launch_id, "/items/", code);
}

absl::Status CheckLimit(int limit) {
  if (limit <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("limit must be positive, got ", limit));
  }
  return absl::OkStatus();
}

// Runs `body` and turns any exception into a status, so none crosses the store's API.
template <typename T, typename Body>
absl::StatusOr<T> Guarded(absl::string_view context, Body body) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, context);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(context, ": ", e.what()));
  }
}

template <typename Body>
absl::Status GuardedStatus(absl::string_view context, Body body) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, context);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(context, ": ", e.what()));
  }
}

// ---- Value conversions ----

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

void BindOptionalTime(SQLite::Statement& statement, int index,
                      const std::optional<absl::Time>& time) {
  if (time.has_value()) {
    statement.bind(index, Micros(*time));
  } else {
    statement.bind(index);  // NULL
  }
}

std::optional<absl::Time> OptionalTimeColumn(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return absl::FromUnixMicros(column.getInt64());
}

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

std::optional<DeliveryState> ParseDeliveryState(absl::string_view name) {
  for (DeliveryState state :
       {DeliveryState::kPending, DeliveryState::kSending, DeliveryState::kDelivered,
        DeliveryState::kDeadLettered, DeliveryState::kOutcomeUnknown, DeliveryState::kCancelled}) {
    if (DeliveryStateName(state) == name) return state;
  }
  return std::nullopt;
}

std::optional<RungKind> ParseRungKind(absl::string_view name) {
  for (RungKind kind : {RungKind::kBeforeStart, RungKind::kBeforeDue, RungKind::kOverdue,
                        RungKind::kPostLaunch, RungKind::kRenewal, RungKind::kTest}) {
    if (RungKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Json DayToJson(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? Json(FormatCivilDay(*day)) : Json(nullptr);
}

// Reads an optional date member; throws std::invalid_argument on a malformed one.
std::optional<absl::CivilDay> DayFromJson(const Json& object, const char* key) {
  auto member = object.find(key);
  if (member == object.end() || member->is_null()) return std::nullopt;
  const std::string text = member->get<std::string>();
  std::optional<absl::CivilDay> day = ParseCivilDay(text);
  if (!day.has_value()) {
    throw std::invalid_argument(absl::StrCat(key, " is not a date: '", text, "'"));
  }
  return day;
}

// The item fields that no SQL looks at, as one JSON object.
std::string EncodeItemInfo(const ItemInfo& info) {
  Json json = {
      {"title_en", info.title_en},
      {"title_zh", info.title_zh},
      {"status", info.status},
      {"done", info.done},
      {"assignee", info.assignee},
      {"latest_start", DayToJson(info.latest_start)},
      {"due", DayToJson(info.due)},
      {"post_launch", info.post_launch},
      {"expiry", DayToJson(info.expiry)},
      {"started", info.started},
  };
  return json.dump();
}

absl::StatusOr<ItemInfo> DecodeItemInfo(std::string launch_id, std::string code, int64_t version,
                                        const std::string& text) {
  ItemInfo info;
  info.launch_id = std::move(launch_id);
  info.code = std::move(code);
  info.version = version;
  try {
    const Json json = Json::parse(text);
    info.title_en = json.at("title_en").get<std::string>();
    info.title_zh = json.at("title_zh").get<std::string>();
    info.status = json.at("status").get<std::string>();
    info.done = json.at("done").get<bool>();
    info.assignee = json.at("assignee").get<std::string>();
    info.latest_start = DayFromJson(json, "latest_start");
    info.due = DayFromJson(json, "due");
    info.post_launch = json.at("post_launch").get<bool>();
    info.expiry = DayFromJson(json, "expiry");
    info.started = json.at("started").get<bool>();
  } catch (const std::exception& e) {
    return absl::DataLossError(absl::StrCat("stored item ", ItemName(info.launch_id, info.code),
                                            " is unreadable: ", e.what()));
  }
  return info;
}

std::string EncodeChannels(const std::vector<RecipientChannel>& channels) {
  Json json = Json::array();
  for (const RecipientChannel& channel : channels) {
    json.push_back({{"type", Str(ChannelTypeName(channel.type))},
                    {"target", channel.target},
                    {"secret_ref", channel.secret_ref}});
  }
  return json.dump();
}

absl::StatusOr<std::vector<RecipientChannel>> DecodeChannels(const std::string& text,
                                                             absl::string_view recipient_id) {
  std::vector<RecipientChannel> channels;
  try {
    for (const Json& entry : Json::parse(text)) {
      RecipientChannel channel;
      const std::string type = entry.at("type").get<std::string>();
      std::optional<ChannelType> parsed = ParseChannelType(type);
      if (!parsed.has_value()) throw std::invalid_argument(absl::StrCat("channel type ", type));
      channel.type = *parsed;
      channel.target = entry.at("target").get<std::string>();
      channel.secret_ref = entry.at("secret_ref").get<std::string>();
      channels.push_back(std::move(channel));
    }
  } catch (const std::exception& e) {
    return absl::DataLossError(
        absl::StrCat("stored channels of recipient ", recipient_id, " are unreadable: ", e.what()));
  }
  return channels;
}

absl::StatusOr<std::vector<std::string>> DecodeSubscriptions(const std::string& text,
                                                             absl::string_view recipient_id) {
  try {
    return Json::parse(text).get<std::vector<std::string>>();
  } catch (const std::exception& e) {
    return absl::DataLossError(absl::StrCat("stored subscriptions of recipient ", recipient_id,
                                            " are unreadable: ", e.what()));
  }
}

// ---- Row readers (any connection; the caller holds its mutex) ----

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

absl::StatusOr<std::vector<ItemRecord>> ReadItemRows(SQLite::Statement& query) {
  std::vector<ItemRecord> records;
  while (query.executeStep()) {
    absl::StatusOr<ItemRecord> record = ReadItemRow(query);
    if (!record.ok()) return record.status();
    records.push_back(*std::move(record));
  }
  return records;
}

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

std::vector<DeliveryAttempt> ReadHistory(SQLite::Database& db, int64_t delivery_id) {
  SQLite::Statement query(db,
                          "SELECT attempt, time, outcome, http_status, provider_answer FROM ledger "
                          "WHERE delivery_id = ? ORDER BY id");
  query.bind(1, delivery_id);
  std::vector<DeliveryAttempt> history;
  while (query.executeStep()) {
    DeliveryAttempt attempt;
    attempt.attempt = query.getColumn(0).getInt();
    attempt.time = absl::FromUnixMicros(query.getColumn(1).getInt64());
    attempt.outcome = query.getColumn(2).getString();
    attempt.http_status = query.getColumn(3).getInt();
    attempt.provider_answer = query.getColumn(4).getString();
    history.push_back(std::move(attempt));
  }
  return history;
}

absl::StatusOr<std::vector<Delivery>> ReadDeliveryRows(SQLite::Database& db,
                                                       SQLite::Statement& query,
                                                       bool with_history) {
  std::vector<Delivery> deliveries;
  while (query.executeStep()) {
    absl::StatusOr<Delivery> delivery = ReadDeliveryRow(query);
    if (!delivery.ok()) return delivery.status();
    deliveries.push_back(*std::move(delivery));
  }
  if (with_history) {
    for (Delivery& delivery : deliveries) delivery.history = ReadHistory(db, delivery.id);
  }
  return deliveries;
}

absl::StatusOr<Recipient> ReadRecipientRow(SQLite::Statement& query) {
  Recipient recipient;
  recipient.id = query.getColumn(0).getString();
  recipient.tenant = query.getColumn(1).getString();
  recipient.display_name = query.getColumn(2).getString();
  recipient.language = query.getColumn(3).getString();
  const std::string name = RecipientResourceName(recipient.tenant, recipient.id);
  absl::StatusOr<std::vector<RecipientChannel>> channels =
      DecodeChannels(query.getColumn(4).getString(), name);
  if (!channels.ok()) return channels.status();
  recipient.channels = *std::move(channels);
  recipient.digest = query.getColumn(5).getInt() != 0;
  absl::StatusOr<std::vector<std::string>> subscriptions =
      DecodeSubscriptions(query.getColumn(6).getString(), name);
  if (!subscriptions.ok()) return subscriptions.status();
  recipient.subscriptions = *std::move(subscriptions);
  recipient.version = query.getColumn(7).getInt64();
  recipient.create_time = absl::FromUnixMicros(query.getColumn(8).getInt64());
  recipient.update_time = absl::FromUnixMicros(query.getColumn(9).getInt64());
  return recipient;
}

absl::StatusOr<std::vector<Recipient>> ReadRecipientRows(SQLite::Statement& query) {
  std::vector<Recipient> recipients;
  while (query.executeStep()) {
    absl::StatusOr<Recipient> recipient = ReadRecipientRow(query);
    if (!recipient.ok()) return recipient.status();
    recipients.push_back(*std::move(recipient));
  }
  return recipients;
}

int64_t ReadAppliedSequence(SQLite::Database& db) {
  return db.execAndGet("SELECT applied_sequence FROM cursor WHERE id = 1").getInt64();
}

// ---- Writes (the writer connection inside an IMMEDIATE transaction) ----

void UpsertLaunch(SQLite::Database& db, const LaunchInfo& launch) {
  SQLite::Statement upsert(
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
  SQLite::Statement tenant(db,
                           "UPDATE items SET tenant = ?1 WHERE launch_id = ?2 AND tenant <> ?1");
  tenant.bind(1, launch.tenant);
  tenant.bind(2, launch.launch_id);
  tenant.exec();
}

// Records a handled rung; one already recorded keeps its first outcome.
void InsertHandledRung(SQLite::Database& db, const HandledRung& rung) {
  SQLite::Statement insert(db,
                           "INSERT INTO handled_rungs (launch_id, code, rung_id, outcome, time) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  insert.bind(1, rung.launch_id);
  insert.bind(2, rung.item_code);
  insert.bind(3, rung.rung_id);
  insert.bind(4, rung.outcome);
  insert.bind(5, Micros(rung.time));
  insert.exec();
}

void UpsertItem(SQLite::Database& db, const ItemRecord& record) {
  SQLite::Statement upsert(
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

void AppendLedger(SQLite::Database& db, int64_t delivery_id, int attempt, absl::Time time,
                  const std::string& outcome, int http_status, const std::string& provider_answer) {
  SQLite::Statement insert(db,
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

// Cancels one delivery if it is still pending; anything else is left as it is.
void CancelIfPending(SQLite::Database& db, int64_t id, const std::string& reason, absl::Time now) {
  SQLite::Statement cancel(db,
                           "UPDATE deliveries SET state = 'cancelled', update_time = ? "
                           "WHERE id = ? AND state = 'pending' RETURNING attempts");
  cancel.bind(1, Micros(now));
  cancel.bind(2, id);
  std::optional<int> attempts;
  while (cancel.executeStep()) attempts = cancel.getColumn(0).getInt();
  if (attempts.has_value()) AppendLedger(db, id, *attempts, now, "cancelled", 0, reason);
}

// Inserts the delivery unless its dedup key is taken; returns its new id.
std::optional<int64_t> InsertDelivery(SQLite::Database& db, const Delivery& delivery) {
  SQLite::Statement insert(
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

// The state and attempt count of a delivery, absent when there is no such delivery.
std::optional<std::pair<std::string, int>> DeliveryStateAndAttempts(SQLite::Database& db,
                                                                    int64_t id) {
  SQLite::Statement query(db, "SELECT state, attempts FROM deliveries WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  return std::make_pair(query.getColumn(0).getString(), query.getColumn(1).getInt());
}

void WriteSubscriptions(SQLite::Database& db, const Recipient& recipient) {
  SQLite::Statement clear(db,
                          "DELETE FROM recipient_subscriptions WHERE recipient_tenant = ? AND "
                          "recipient_id = ?");
  clear.bind(1, recipient.tenant);
  clear.bind(2, recipient.id);
  clear.exec();
  for (const std::string& target : recipient.subscriptions) {
    SQLite::Statement insert(db,
                             "INSERT INTO recipient_subscriptions (recipient_tenant, recipient_id, "
                             "target) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    insert.bind(1, recipient.tenant);
    insert.bind(2, recipient.id);
    insert.bind(3, target);
    insert.exec();
  }
}

std::string EncodeSubscriptions(const std::vector<std::string>& subscriptions) {
  return Json(subscriptions).dump();
}

std::optional<int64_t> StoredRecipientVersion(SQLite::Database& db, const std::string& tenant,
                                              const std::string& id) {
  SQLite::Statement query(db, "SELECT version FROM recipients WHERE tenant = ? AND id = ?");
  query.bind(1, tenant);
  query.bind(2, id);
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

const Clock& DefaultClock() {
  static const Clock* const kClock = new RealClock();
  return *kClock;
}

}  // namespace

SqliteNotifierStore::SqliteNotifierStore(std::unique_ptr<SQLite::Database> writer,
                                         std::unique_ptr<SQLite::Database> reader,
                                         const Clock* clock)
    : clock_(clock), writer_(std::move(writer)), reader_(std::move(reader)) {}

SqliteNotifierStore::~SqliteNotifierStore() = default;

absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> SqliteNotifierStore::Open(
    const std::string& path, Options options, const Clock* clock) {
  if (path.empty() || path == ":memory:" || path.rfind("file::memory:", 0) == 0) {
    return absl::InvalidArgumentError(
        "the notifier store needs a database file: its two connections must share it");
  }
  absl::StatusOr<std::unique_ptr<SQLite::Database>> writer =
      OpenSqliteDatabase(path, options, NotifierMigrations());
  if (!writer.ok()) return writer.status();
  absl::StatusOr<std::unique_ptr<SQLite::Database>> reader = OpenSqliteReader(path, options);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<SqliteNotifierStore>(new SqliteNotifierStore(
      *std::move(writer), *std::move(reader), clock != nullptr ? clock : &DefaultClock()));
}

// ---- The event stream ----

absl::StatusOr<int64_t> SqliteNotifierStore::AppliedSequence() {
  absl::MutexLock lock(&read_mu_);
  return Guarded<int64_t>("reading the applied sequence",
                          [&] { return ReadAppliedSequence(*reader_); });
}

absl::StatusOr<std::string> SqliteNotifierStore::StreamLogEpoch() {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::string>("reading the stream's log epoch", [&] {
    return reader_->execAndGet("SELECT log_epoch FROM cursor WHERE id = 1").getString();
  });
}

absl::Status SqliteNotifierStore::SetStreamLogEpoch(absl::string_view epoch) {
  absl::MutexLock lock(&write_mu_);
  return GuardedStatus("recording the stream's log epoch", [&]() -> absl::Status {
    SQLite::Statement update(*writer_, "UPDATE cursor SET log_epoch = ? WHERE id = 1");
    update.bind(1, Str(epoch));
    update.exec();
    return absl::OkStatus();
  });
}

absl::Status SqliteNotifierStore::ResetStream() {
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  return GuardedStatus("resetting the event stream", [&]() -> absl::Status {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec("DELETE FROM items");
    db.exec("DELETE FROM launches");
    db.exec("UPDATE cursor SET applied_sequence = 0, log_epoch = '' WHERE id = 1");
    tx.commit();
    return absl::OkStatus();
  });
}

absl::Status SqliteNotifierStore::ApplyEvent(const EventEffects& effects) {
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  return GuardedStatus(absl::StrCat("applying event ", effects.sequence), [&]() -> absl::Status {
    // Returning early destroys `tx`, which rolls everything back.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const int64_t applied = ReadAppliedSequence(db);
    if (effects.sequence <= applied) {
      return absl::FailedPreconditionError(
          absl::StrCat("event ", effects.sequence, " is not after the applied sequence ", applied));
    }
    if (effects.launch.has_value()) UpsertLaunch(db, *effects.launch);
    for (const ItemRecord& record : effects.items) UpsertItem(db, record);
    for (const HandledRung& rung : effects.handled) InsertHandledRung(db, rung);
    if (!effects.cancel_delivery_ids.empty()) {
      const absl::Time now = clock_->Now();
      for (int64_t id : effects.cancel_delivery_ids) {
        CancelIfPending(db, id, effects.cancel_reason, now);
      }
    }
    SQLite::Statement cursor(db, "UPDATE cursor SET applied_sequence = ? WHERE id = 1");
    cursor.bind(1, effects.sequence);
    cursor.exec();
    tx.commit();
    return absl::OkStatus();
  });
}

// ---- Launches and items ----

absl::StatusOr<std::optional<LaunchInfo>> SqliteNotifierStore::GetLaunch(
    absl::string_view launch_id) {
  const std::string id(launch_id);
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::optional<LaunchInfo>>(
      absl::StrCat("reading launch ", id), [&]() -> absl::StatusOr<std::optional<LaunchInfo>> {
        SQLite::Statement query(*reader_,
                                "SELECT launch_id, tenant, display_name, owner, time_zone, "
                                "target_launch_date, went_live_date, version FROM launches "
                                "WHERE launch_id = ?");
        query.bind(1, id);
        if (!query.executeStep()) return std::optional<LaunchInfo>();
        LaunchInfo launch;
        launch.launch_id = query.getColumn(0).getString();
        launch.tenant = query.getColumn(1).getString();
        launch.display_name = query.getColumn(2).getString();
        launch.owner = query.getColumn(3).getString();
        launch.time_zone = query.getColumn(4).getString();
        const std::string what = absl::StrCat("launch ", id);
        absl::StatusOr<std::optional<absl::CivilDay>> target =
            OptionalDayColumn(query.getColumn(5), what);
        if (!target.ok()) return target.status();
        launch.target_launch_date = *target;
        absl::StatusOr<std::optional<absl::CivilDay>> went_live =
            OptionalDayColumn(query.getColumn(6), what);
        if (!went_live.ok()) return went_live.status();
        launch.went_live_date = *went_live;
        launch.version = query.getColumn(7).getInt64();
        return std::optional<LaunchInfo>(std::move(launch));
      });
}

absl::StatusOr<std::optional<ItemRecord>> SqliteNotifierStore::GetItem(absl::string_view launch_id,
                                                                       absl::string_view code) {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::optional<ItemRecord>>(
      absl::StrCat("reading item ", ItemName(launch_id, code)),
      [&]() -> absl::StatusOr<std::optional<ItemRecord>> {
        SQLite::Statement query(
            *reader_,
            absl::StrCat("SELECT ", kItemColumns, " FROM items WHERE launch_id = ? AND code = ?"));
        query.bind(1, Str(launch_id));
        query.bind(2, Str(code));
        if (!query.executeStep()) return std::optional<ItemRecord>();
        absl::StatusOr<ItemRecord> record = ReadItemRow(query);
        if (!record.ok()) return record.status();
        return std::optional<ItemRecord>(*std::move(record));
      });
}

absl::StatusOr<std::vector<ItemRecord>> SqliteNotifierStore::ListLaunchItems(
    absl::string_view launch_id) {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<ItemRecord>>(
      absl::StrCat("listing the items of launch ", launch_id),
      [&]() -> absl::StatusOr<std::vector<ItemRecord>> {
        SQLite::Statement query(
            *reader_,
            absl::StrCat("SELECT ", kItemColumns, " FROM items WHERE launch_id = ? ORDER BY code"));
        query.bind(1, Str(launch_id));
        return ReadItemRows(query);
      });
}

absl::StatusOr<std::vector<ItemRecord>> SqliteNotifierStore::ItemsToCheck(absl::Time now,
                                                                          int limit) {
  if (absl::Status s = CheckLimit(limit); !s.ok()) return s;
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<ItemRecord>>(
      "listing items to check", [&]() -> absl::StatusOr<std::vector<ItemRecord>> {
        SQLite::Statement query(*reader_,
                                absl::StrCat("SELECT ", kItemColumns,
                                             " FROM items WHERE next_check_time <= ? "
                                             "ORDER BY next_check_time, launch_id, code LIMIT ?"));
        query.bind(1, Micros(now));
        query.bind(2, limit);
        return ReadItemRows(query);
      });
}

absl::StatusOr<std::vector<ItemRecord>> SqliteNotifierStore::ListScheduledItems(
    absl::string_view tenant, absl::string_view launch_id, absl::string_view after_launch_id,
    absl::string_view after_code, int limit) {
  if (absl::Status s = CheckLimit(limit); !s.ok()) return s;
  std::string sql = absl::StrCat("SELECT ", kItemColumns,
                                 " FROM items WHERE next_check_time IS NOT NULL "
                                 "AND (launch_id, code) > (?, ?)");
  if (!tenant.empty()) absl::StrAppend(&sql, " AND tenant = ?");
  if (!launch_id.empty()) absl::StrAppend(&sql, " AND launch_id = ?");
  absl::StrAppend(&sql, " ORDER BY launch_id, code LIMIT ?");
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<ItemRecord>>("listing scheduled items",
                                          [&]() -> absl::StatusOr<std::vector<ItemRecord>> {
                                            SQLite::Statement query(*reader_, sql);
                                            int index = 0;
                                            query.bind(++index, Str(after_launch_id));
                                            query.bind(++index, Str(after_code));
                                            if (!tenant.empty()) query.bind(++index, Str(tenant));
                                            if (!launch_id.empty())
                                              query.bind(++index, Str(launch_id));
                                            query.bind(++index, limit);
                                            return ReadItemRows(query);
                                          });
}

absl::Status SqliteNotifierStore::UpdateItemControls(const ItemRecord& record) {
  const std::string name = ItemName(record.info.launch_id, record.info.code);
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  return GuardedStatus(absl::StrCat("updating the controls of item ", name), [&]() -> absl::Status {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement update(db,
                             "UPDATE items SET next_check_time = ?, snoozed_until = ?, "
                             "acknowledged_version = ? WHERE launch_id = ? AND code = ?");
    BindOptionalTime(update, 1, record.next_check_time);
    BindOptionalTime(update, 2, record.snoozed_until);
    update.bind(3, record.acknowledged_version);
    update.bind(4, record.info.launch_id);
    update.bind(5, record.info.code);
    if (update.exec() == 0) {
      return absl::NotFoundError(absl::StrCat("item ", name, " not found"));
    }
    tx.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<HandledRung>> SqliteNotifierStore::HandledRungs(
    absl::string_view launch_id, absl::string_view code) {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<HandledRung>>(
      absl::StrCat("reading the handled rungs of item ", ItemName(launch_id, code)), [&] {
        SQLite::Statement query(*reader_,
                                "SELECT launch_id, code, rung_id, outcome, time FROM handled_rungs "
                                "WHERE launch_id = ? AND code = ? ORDER BY time, rung_id");
        query.bind(1, Str(launch_id));
        query.bind(2, Str(code));
        std::vector<HandledRung> rungs;
        while (query.executeStep()) {
          HandledRung rung;
          rung.launch_id = query.getColumn(0).getString();
          rung.item_code = query.getColumn(1).getString();
          rung.rung_id = query.getColumn(2).getString();
          rung.outcome = query.getColumn(3).getString();
          rung.time = absl::FromUnixMicros(query.getColumn(4).getInt64());
          rungs.push_back(std::move(rung));
        }
        return rungs;
      });
}

// ---- Deliveries ----

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::CommitDecision(
    const Decision& decision) {
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  return Guarded<std::vector<Delivery>>(
      absl::StrCat("committing the decision for item ",
                   ItemName(decision.launch_id, decision.item_code)),
      [&]() -> absl::StatusOr<std::vector<Delivery>> {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        for (const HandledRung& rung : decision.handled) InsertHandledRung(db, rung);
        std::vector<Delivery> inserted;
        for (const Delivery& delivery : decision.deliveries) {
          std::optional<int64_t> id = InsertDelivery(db, delivery);
          if (!id.has_value()) continue;
          inserted.push_back(delivery);
          inserted.back().id = *id;
          inserted.back().history.clear();
        }
        SQLite::Statement update(
            db, "UPDATE items SET next_check_time = ? WHERE launch_id = ? AND code = ?");
        BindOptionalTime(update, 1, decision.next_check_time);
        update.bind(2, decision.launch_id);
        update.bind(3, decision.item_code);
        update.exec();
        tx.commit();
        return inserted;
      });
}

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::PendingDeliveriesOfItem(
    absl::string_view launch_id, absl::string_view code) {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<Delivery>>(
      absl::StrCat("reading the pending deliveries of item ", ItemName(launch_id, code)), [&] {
        SQLite::Statement query(
            *reader_, absl::StrCat("SELECT ", kDeliveryColumns,
                                   " FROM deliveries WHERE launch_id = ? AND item_code = ? "
                                   "AND state = 'pending' ORDER BY id"));
        query.bind(1, Str(launch_id));
        query.bind(2, Str(code));
        return ReadDeliveryRows(*reader_, query, /*with_history=*/false);
      });
}

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::DueDeliveries(absl::Time now,
                                                                         int limit) {
  if (absl::Status s = CheckLimit(limit); !s.ok()) return s;
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<Delivery>>("reading due deliveries", [&] {
    SQLite::Statement query(
        *reader_,
        absl::StrCat("SELECT ", kDeliveryColumns,
                     " FROM deliveries WHERE state = 'pending' AND next_attempt_time <= ? "
                     "ORDER BY next_attempt_time, id LIMIT ?"));
    query.bind(1, Micros(now));
    query.bind(2, limit);
    return ReadDeliveryRows(*reader_, query, /*with_history=*/false);
  });
}

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::DeliveriesInState(DeliveryState state,
                                                                             int limit) {
  if (absl::Status s = CheckLimit(limit); !s.ok()) return s;
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<Delivery>>(
      absl::StrCat("reading ", DeliveryStateName(state), " deliveries"), [&] {
        SQLite::Statement query(
            *reader_, absl::StrCat("SELECT ", kDeliveryColumns,
                                   " FROM deliveries WHERE state = ? ORDER BY id LIMIT ?"));
        query.bind(1, Str(DeliveryStateName(state)));
        query.bind(2, limit);
        return ReadDeliveryRows(*reader_, query, /*with_history=*/false);
      });
}

absl::StatusOr<int> SqliteNotifierStore::LeaseDeliveries(const std::vector<int64_t>& ids,
                                                         absl::string_view unit_key,
                                                         absl::Time now) {
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  int first_attempt = 0;
  absl::Status status = GuardedStatus("leasing deliveries", [&]() -> absl::Status {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (int64_t id : ids) {
      SQLite::Statement query(db,
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
      SQLite::Statement update(db,
                               "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, "
                               "unit_key = ?, update_time = ? WHERE id = ?");
      update.bind(1, Str(unit_key));
      update.bind(2, Micros(now));
      update.bind(3, id);
      update.exec();
    }
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return first_attempt;
}

absl::Status SqliteNotifierStore::RecordAttempt(const AttemptOutcome& outcome) {
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  const std::string state(DeliveryStateName(outcome.new_state));
  return GuardedStatus("recording a delivery attempt", [&]() -> absl::Status {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (int64_t id : outcome.delivery_ids) {
      std::optional<std::pair<std::string, int>> stored = DeliveryStateAndAttempts(db, id);
      if (!stored.has_value()) {
        return absl::NotFoundError(absl::StrCat("delivery ", id, " not found"));
      }
      // Only a retry moves the next attempt; otherwise it keeps when the last one was due.
      SQLite::Statement update(db,
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
    for (const InboxMessage& message : outcome.inbox) {
      SQLite::Statement insert(db,
                               "INSERT INTO inbox (recipient_tenant, recipient_id, delivery_id, "
                               "subject, body, create_time) VALUES (?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (delivery_id) DO NOTHING");
      insert.bind(1, message.recipient_tenant);
      insert.bind(2, message.recipient_id);
      insert.bind(3, message.delivery_id);
      insert.bind(4, message.subject);
      insert.bind(5, message.body);
      insert.bind(6, Micros(message.create_time));
      insert.exec();
    }
    tx.commit();
    return absl::OkStatus();
  });
}

absl::Status SqliteNotifierStore::DeferPendingDeliveries(ChannelType channel,
                                                         absl::string_view target,
                                                         absl::Time until) {
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  return GuardedStatus("deferring deliveries", [&]() -> absl::Status {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement update(db,
                             "UPDATE deliveries SET next_attempt_time = ?1 WHERE state = 'pending' "
                             "AND next_attempt_time < ?1 AND channel = ?2 AND target = ?3");
    update.bind(1, Micros(until));
    update.bind(2, Str(ChannelTypeName(channel)));
    update.bind(3, Str(target));
    update.exec();
    tx.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::ListDeliveries(
    const DeliveryFilter& filter, int64_t before_id, int limit) {
  if (absl::Status s = CheckLimit(limit); !s.ok()) return s;
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

  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<Delivery>>(
      "listing deliveries", [&]() -> absl::StatusOr<std::vector<Delivery>> {
        // One read transaction: deliveries and their histories come from the same snapshot.
        SQLite::Transaction tx(*reader_, SQLite::TransactionBehavior::DEFERRED);
        SQLite::Statement query(*reader_, sql);
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
        absl::StatusOr<std::vector<Delivery>> deliveries =
            ReadDeliveryRows(*reader_, query, /*with_history=*/true);
        if (!deliveries.ok()) return deliveries.status();
        tx.commit();
        return deliveries;
      });
}

absl::StatusOr<std::optional<Delivery>> SqliteNotifierStore::GetDelivery(int64_t id) {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::optional<Delivery>>(
      absl::StrCat("reading delivery ", id), [&]() -> absl::StatusOr<std::optional<Delivery>> {
        SQLite::Transaction tx(*reader_, SQLite::TransactionBehavior::DEFERRED);
        SQLite::Statement query(
            *reader_, absl::StrCat("SELECT ", kDeliveryColumns, " FROM deliveries WHERE id = ?"));
        query.bind(1, id);
        absl::StatusOr<std::vector<Delivery>> found =
            ReadDeliveryRows(*reader_, query, /*with_history=*/true);
        if (!found.ok()) return found.status();
        tx.commit();
        if (found->empty()) return std::optional<Delivery>();
        return std::optional<Delivery>(std::move(found->front()));
      });
}

// ---- Recipients ----

absl::Status SqliteNotifierStore::CreateRecipient(const Recipient& recipient) {
  const std::string name = RecipientResourceName(recipient.tenant, recipient.id);
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  return GuardedStatus(absl::StrCat("creating recipient ", name), [&]() -> absl::Status {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (StoredRecipientVersion(db, recipient.tenant, recipient.id).has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("recipient ", name, " already exists"));
    }
    SQLite::Statement insert(db, absl::StrCat("INSERT INTO recipients (", kRecipientColumns,
                                              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.bind(1, recipient.id);
    insert.bind(2, recipient.tenant);
    insert.bind(3, recipient.display_name);
    insert.bind(4, recipient.language);
    insert.bind(5, EncodeChannels(recipient.channels));
    insert.bind(6, recipient.digest ? 1 : 0);
    insert.bind(7, EncodeSubscriptions(recipient.subscriptions));
    insert.bind(8, recipient.version);
    insert.bind(9, Micros(recipient.create_time));
    insert.bind(10, Micros(recipient.update_time));
    insert.exec();
    WriteSubscriptions(db, recipient);
    tx.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<Recipient>> SqliteNotifierStore::GetRecipient(absl::string_view tenant,
                                                                           absl::string_view id) {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::optional<Recipient>>(
      absl::StrCat("reading recipient ", RecipientResourceName(tenant, id)),
      [&]() -> absl::StatusOr<std::optional<Recipient>> {
        SQLite::Statement query(*reader_,
                                absl::StrCat("SELECT ", kRecipientColumns,
                                             " FROM recipients WHERE tenant = ? AND id = ?"));
        query.bind(1, Str(tenant));
        query.bind(2, Str(id));
        if (!query.executeStep()) return std::optional<Recipient>();
        absl::StatusOr<Recipient> recipient = ReadRecipientRow(query);
        if (!recipient.ok()) return recipient.status();
        return std::optional<Recipient>(*std::move(recipient));
      });
}

absl::StatusOr<std::vector<Recipient>> SqliteNotifierStore::ListRecipients(
    absl::string_view tenant, absl::string_view after_tenant, absl::string_view after_id,
    int limit) {
  if (absl::Status s = CheckLimit(limit); !s.ok()) return s;
  std::string sql =
      absl::StrCat("SELECT ", kRecipientColumns, " FROM recipients WHERE (tenant, id) > (?, ?)");
  if (!tenant.empty()) absl::StrAppend(&sql, " AND tenant = ?");
  absl::StrAppend(&sql, " ORDER BY tenant, id LIMIT ?");
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<Recipient>>("listing recipients", [&] {
    SQLite::Statement query(*reader_, sql);
    int index = 0;
    query.bind(++index, Str(after_tenant));
    query.bind(++index, Str(after_id));
    if (!tenant.empty()) query.bind(++index, Str(tenant));
    query.bind(++index, limit);
    return ReadRecipientRows(query);
  });
}

absl::StatusOr<std::vector<Recipient>> SqliteNotifierStore::SubscribersOf(
    absl::string_view tenant, absl::string_view launch_id) {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<Recipient>>(
      absl::StrCat("finding the subscribers of launch ", launch_id), [&] {
        SQLite::Statement query(
            *reader_,
            absl::StrCat("SELECT ", kRecipientColumns,
                         " FROM recipients WHERE (tenant, id) IN (SELECT recipient_tenant, "
                         "recipient_id FROM recipient_subscriptions WHERE target IN (?, ?)) "
                         "ORDER BY tenant, id"));
        // An empty name matches nothing (NULL never equals a target).
        if (tenant.empty()) {
          query.bind(1);
        } else {
          query.bind(1, absl::StrCat("tenants/", tenant));
        }
        if (launch_id.empty()) {
          query.bind(2);
        } else {
          query.bind(2, absl::StrCat("launches/", launch_id));
        }
        return ReadRecipientRows(query);
      });
}

absl::Status SqliteNotifierStore::UpdateRecipient(const Recipient& recipient) {
  const std::string name = RecipientResourceName(recipient.tenant, recipient.id);
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  return GuardedStatus(absl::StrCat("updating recipient ", name), [&]() -> absl::Status {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    std::optional<int64_t> stored = StoredRecipientVersion(db, recipient.tenant, recipient.id);
    if (!stored.has_value()) {
      return absl::NotFoundError(absl::StrCat("recipient ", name, " not found"));
    }
    if (*stored != recipient.version - 1) {
      return absl::AbortedError(absl::StrCat("recipient ", name,
                                             " was changed concurrently (stored version ", *stored,
                                             ", expected ", recipient.version - 1, ")"));
    }
    // create_time is the stored one: a recipient is created once. The tenant is part of the key.
    SQLite::Statement update(db,
                             "UPDATE recipients SET display_name = ?, language = ?, channels = ?, "
                             "digest = ?, subscriptions = ?, version = ?, update_time = ? "
                             "WHERE tenant = ? AND id = ?");
    update.bind(1, recipient.display_name);
    update.bind(2, recipient.language);
    update.bind(3, EncodeChannels(recipient.channels));
    update.bind(4, recipient.digest ? 1 : 0);
    update.bind(5, EncodeSubscriptions(recipient.subscriptions));
    update.bind(6, recipient.version);
    update.bind(7, Micros(recipient.update_time));
    update.bind(8, recipient.tenant);
    update.bind(9, recipient.id);
    update.exec();
    WriteSubscriptions(db, recipient);
    tx.commit();
    return absl::OkStatus();
  });
}

absl::Status SqliteNotifierStore::DeleteRecipient(absl::string_view tenant, absl::string_view id,
                                                  std::optional<int64_t> expected_version) {
  const std::string tenant_key(tenant);
  const std::string key(id);
  const std::string name = RecipientResourceName(tenant, id);
  absl::MutexLock lock(&write_mu_);
  SQLite::Database& db = *writer_;
  return GuardedStatus(absl::StrCat("deleting recipient ", name), [&]() -> absl::Status {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    std::optional<int64_t> stored = StoredRecipientVersion(db, tenant_key, key);
    if (!stored.has_value()) {
      return absl::NotFoundError(absl::StrCat("recipient ", name, " not found"));
    }
    if (expected_version.has_value() && *expected_version != *stored) {
      return absl::AbortedError(absl::StrCat("recipient ", name, " is at version ", *stored,
                                             ", not ", *expected_version));
    }
    // Subscriptions go with it (ON DELETE CASCADE).
    SQLite::Statement remove(db, "DELETE FROM recipients WHERE tenant = ? AND id = ?");
    remove.bind(1, tenant_key);
    remove.bind(2, key);
    remove.exec();
    tx.commit();
    return absl::OkStatus();
  });
}

// ---- Inbox and secrets ----

absl::StatusOr<std::vector<InboxMessage>> SqliteNotifierStore::ListInbox(absl::string_view tenant,
                                                                         absl::string_view id,
                                                                         int64_t before_id,
                                                                         int limit) {
  if (absl::Status s = CheckLimit(limit); !s.ok()) return s;
  std::string sql =
      "SELECT id, recipient_tenant, recipient_id, delivery_id, subject, body, create_time "
      "FROM inbox WHERE recipient_tenant = ? AND recipient_id = ?";
  if (before_id > 0) absl::StrAppend(&sql, " AND id < ?");
  absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ?");
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<InboxMessage>>(
      absl::StrCat("listing the inbox of ", RecipientResourceName(tenant, id)), [&] {
        SQLite::Statement query(*reader_, sql);
        int index = 0;
        query.bind(++index, Str(tenant));
        query.bind(++index, Str(id));
        if (before_id > 0) query.bind(++index, before_id);
        query.bind(++index, limit);
        std::vector<InboxMessage> messages;
        while (query.executeStep()) {
          InboxMessage message;
          message.id = query.getColumn(0).getInt64();
          message.recipient_tenant = query.getColumn(1).getString();
          message.recipient_id = query.getColumn(2).getString();
          message.delivery_id = query.getColumn(3).getInt64();
          message.subject = query.getColumn(4).getString();
          message.body = query.getColumn(5).getString();
          message.create_time = absl::FromUnixMicros(query.getColumn(6).getInt64());
          messages.push_back(std::move(message));
        }
        return messages;
      });
}

absl::StatusOr<std::string> SqliteNotifierStore::GetOrCreateSecret(absl::string_view name) {
  const std::string key(name);
  const std::string context = absl::StrCat("secret '", key, "'");
  {
    absl::MutexLock lock(&read_mu_);
    absl::StatusOr<std::optional<std::string>> stored =
        Guarded<std::optional<std::string>>(context, [&]() -> std::optional<std::string> {
          SQLite::Statement query(*reader_, "SELECT value FROM secrets WHERE name = ?");
          query.bind(1, key);
          if (!query.executeStep()) return std::nullopt;
          return query.getColumn(0).getString();
        });
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) return **stored;
  }

  absl::StatusOr<std::string> fresh = RandomSecretBytes(kSecretBytes);
  if (!fresh.ok())
    return absl::InternalError(absl::StrCat(context, ": ", fresh.status().message()));
  absl::MutexLock lock(&write_mu_);
  return Guarded<std::string>(context,
                              [&] { return ReadOrInsertSqliteSecret(*writer_, key, *fresh); });
}

absl::StatusOr<std::vector<DeliveryCount>> SqliteNotifierStore::CountDeliveries() {
  absl::MutexLock lock(&read_mu_);
  return Guarded<std::vector<DeliveryCount>>(
      "counting deliveries", [&]() -> absl::StatusOr<std::vector<DeliveryCount>> {
        SQLite::Statement query(
            *reader_, "SELECT state, channel, COUNT(*) FROM deliveries GROUP BY state, channel");
        std::vector<DeliveryCount> counts;
        while (query.executeStep()) {
          const std::string state = query.getColumn(0).getString();
          const std::string channel = query.getColumn(1).getString();
          std::optional<DeliveryState> parsed_state = ParseDeliveryState(state);
          std::optional<ChannelType> parsed_channel = ParseChannelType(channel);
          if (!parsed_state.has_value() || !parsed_channel.has_value()) {
            return absl::DataLossError(
                absl::StrCat("a delivery has state '", state, "' and channel '", channel, "'"));
          }
          counts.push_back({*parsed_state, *parsed_channel, query.getColumn(2).getInt64()});
        }
        return counts;
      });
}

absl::StatusOr<int64_t> SqliteNotifierStore::CountScheduledItems() {
  absl::MutexLock lock(&read_mu_);
  return Guarded<int64_t>("counting scheduled items", [&]() -> int64_t {
    return reader_->execAndGet("SELECT COUNT(*) FROM items WHERE next_check_time IS NOT NULL")
        .getInt64();
  });
}

}  // namespace preflight::notifier
