#include "notifier-service/storage/sqlite_notifier_store.h"

#include <utility>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/crypto.h"
#include "common/sqlite/query_limit.h"
#include "common/sqlite/secret.h"
#include "notifier-service/storage/delivery_sql.h"
#include "notifier-service/storage/inbox_sql.h"
#include "notifier-service/storage/launch_item_sql.h"
#include "notifier-service/storage/notifier_migrations.h"
#include "notifier-service/storage/recipient_sql.h"
#include "notifier-service/storage/reminder_schedule_sql.h"
#include "notifier-service/storage/stream_sql.h"

namespace preflight::notifier {
namespace {

constexpr int kSecretBytes = 32;

const Clock& DefaultClock() {
  static const Clock* const kClock = new RealClock();
  return *kClock;
}

}  // namespace

SqliteNotifierStore::SqliteNotifierStore(std::unique_ptr<SqliteReaderWriter> db, const Clock* clock)
    // Room for a whole dispatch pass (EngineOptions::batch_size, 200) in one transaction.
    : db_(std::move(db)), grouped_(db_.get(), /*max_batch=*/256), clock_(clock) {}

SqliteNotifierStore::~SqliteNotifierStore() = default;

absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> SqliteNotifierStore::Open(
    const std::string& path, Options options, const Clock* clock) {
  absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> db =
      SqliteReaderWriter::Open(path, options, NotifierMigrations(), "the notifier store");
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteNotifierStore>(
      new SqliteNotifierStore(*std::move(db), clock != nullptr ? clock : &DefaultClock()));
}

// ---- The event stream ----

absl::StatusOr<int64_t> SqliteNotifierStore::AppliedSequence() {
  return db_->Read("reading the applied sequence", sql::ReadAppliedSequence);
}

absl::StatusOr<std::string> SqliteNotifierStore::StreamLogEpoch() {
  return db_->Read("reading the stream's log epoch", sql::ReadStreamLogEpoch);
}

absl::Status SqliteNotifierStore::SetStreamLogEpoch(absl::string_view epoch) {
  return db_->Write("recording the stream's log epoch", [&](SQLite::Database& db) {
    sql::WriteStreamLogEpoch(db, epoch);
    return absl::OkStatus();
  });
}

absl::Status SqliteNotifierStore::ResetStream() {
  return db_->WriteTransaction("resetting the event stream", [&](SQLite::Database& db) {
    sql::ResetStream(db);
    return absl::OkStatus();
  });
}

absl::Status SqliteNotifierStore::ApplyEvents(absl::Span<const EventEffects> batch) {
  if (batch.empty()) return absl::OkStatus();
  // Replayable: after a power loss the cursor goes back with the effects, and the checklist
  // streams the events again. Deliveries, leases and outcomes stay fsync'd per commit.
  const std::string context =
      batch.size() == 1
          ? absl::StrCat("applying event ", batch.front().sequence)
          : absl::StrCat("applying events ", batch.front().sequence, " to ", batch.back().sequence);
  return db_->ReplayableWriteTransaction(context, [&](SQLite::Database& db) -> absl::Status {
    for (const EventEffects& effects : batch) {
      if (absl::Status s = sql::ApplyEventEffects(db, effects, *clock_); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

// ---- Launches and items ----

absl::StatusOr<std::optional<LaunchInfo>> SqliteNotifierStore::GetLaunch(
    absl::string_view launch_id) {
  const std::string id(launch_id);
  return db_->Read(absl::StrCat("reading launch ", id),
                   [&](SQLite::Database& db) { return sql::FindLaunch(db, id); });
}

absl::StatusOr<std::vector<LaunchInfo>> SqliteNotifierStore::ListTenantLaunches(
    absl::string_view tenant) {
  return db_->Read(absl::StrCat("listing the launches of tenant ", tenant),
                   [&](SQLite::Database& db) { return sql::ListTenantLaunches(db, tenant); });
}

absl::StatusOr<bool> SqliteNotifierStore::DeliveryExists(absl::string_view dedup_key) {
  const std::string key(dedup_key);
  return db_->Read("looking up a delivery by its dedup key", [&](SQLite::Database& db) {
    return absl::StatusOr<bool>(sql::DeliveryExists(db, key));
  });
}

absl::StatusOr<std::vector<Recipient>> SqliteNotifierStore::ListManagers() {
  return db_->Read("listing managers", [&](SQLite::Database& db) { return sql::ListManagers(db); });
}

absl::StatusOr<std::optional<ItemRecord>> SqliteNotifierStore::GetItem(absl::string_view launch_id,
                                                                       absl::string_view code) {
  return db_->Read(absl::StrCat("reading item ", api::ItemName(launch_id, code)),
                   [&](SQLite::Database& db) { return sql::FindItem(db, launch_id, code); });
}

absl::StatusOr<std::vector<ItemRecord>> SqliteNotifierStore::ListLaunchItems(
    absl::string_view launch_id) {
  return db_->Read(absl::StrCat("listing the items of launch ", launch_id),
                   [&](SQLite::Database& db) { return sql::ListLaunchItems(db, launch_id); });
}

absl::StatusOr<std::vector<ItemRecord>> SqliteNotifierStore::ItemsToCheck(absl::Time now,
                                                                          int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  return db_->Read("listing items to check",
                   [&](SQLite::Database& db) { return sql::ItemsToCheck(db, now, limit); });
}

absl::StatusOr<std::vector<ItemRecord>> SqliteNotifierStore::ListScheduledItems(
    absl::string_view tenant, absl::string_view launch_id, absl::string_view after_launch_id,
    absl::string_view after_code, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  return db_->Read("listing scheduled items", [&](SQLite::Database& db) {
    return sql::ListScheduledItems(db, tenant, launch_id, after_launch_id, after_code, limit);
  });
}

absl::Status SqliteNotifierStore::UpdateItemControls(const ItemRecord& record) {
  return db_->WriteTransaction(
      absl::StrCat("updating the controls of item ",
                   api::ItemName(record.info.launch_id, record.info.code)),
      [&](SQLite::Database& db) { return sql::UpdateItemControls(db, record); });
}

absl::StatusOr<std::vector<HandledRung>> SqliteNotifierStore::HandledRungs(
    absl::string_view launch_id, absl::string_view code) {
  return db_->Read(
      absl::StrCat("reading the handled rungs of item ", api::ItemName(launch_id, code)),
      [&](SQLite::Database& db) { return sql::ListHandledRungs(db, launch_id, code); });
}

// ---- Deliveries ----

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::CommitDecision(
    const Decision& decision) {
  return db_->WriteTransaction(
      absl::StrCat("committing the decision for item ",
                   api::ItemName(decision.launch_id, decision.item_code)),
      [&](SQLite::Database& db) { return sql::CommitDecision(db, decision); });
}

std::vector<absl::StatusOr<std::vector<Delivery>>> SqliteNotifierStore::CommitDecisions(
    const std::vector<Decision>& decisions) {
  std::vector<std::vector<Delivery>> inserted(decisions.size());
  std::vector<SqliteGroupWriter::Body> bodies;
  bodies.reserve(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) {
    bodies.push_back([&, i](SQLite::Database& db) -> absl::Status {
      inserted[i] = sql::CommitDecision(db, decisions[i]);
      return absl::OkStatus();
    });
  }
  std::vector<absl::Status> written = grouped_.WriteEach("committing a pass's decisions", bodies);
  std::vector<absl::StatusOr<std::vector<Delivery>>> results;
  results.reserve(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (written[i].ok()) {
      results.push_back(std::move(inserted[i]));
    } else {
      results.push_back(absl::Status(
          written[i].code(),
          absl::StrCat("item ", api::ItemName(decisions[i].launch_id, decisions[i].item_code), ": ",
                       written[i].message())));
    }
  }
  return results;
}

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::PendingDeliveriesOfItem(
    absl::string_view launch_id, absl::string_view code) {
  return db_->Read(
      absl::StrCat("reading the pending deliveries of item ", api::ItemName(launch_id, code)),
      [&](SQLite::Database& db) { return sql::PendingDeliveriesOfItem(db, launch_id, code); });
}

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::DueDeliveries(absl::Time now,
                                                                         int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  return db_->Read("reading due deliveries",
                   [&](SQLite::Database& db) { return sql::DueDeliveries(db, now, limit); });
}

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::DeliveriesInState(DeliveryState state,
                                                                             int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  return db_->Read(absl::StrCat("reading ", DeliveryStateName(state), " deliveries"),
                   [&](SQLite::Database& db) { return sql::DeliveriesInState(db, state, limit); });
}

absl::StatusOr<int> SqliteNotifierStore::LeaseDeliveries(const std::vector<int64_t>& ids,
                                                         absl::string_view unit_key,
                                                         absl::Time now) {
  int first_attempt = 0;
  absl::Status leased = grouped_.Write("leasing deliveries", [&](SQLite::Database& db) {
    absl::StatusOr<int> attempt = sql::LeaseDeliveries(db, ids, unit_key, now);
    if (!attempt.ok()) return attempt.status();
    first_attempt = *attempt;
    return absl::OkStatus();
  });
  if (!leased.ok()) return leased;
  return first_attempt;
}

absl::Status SqliteNotifierStore::ReleaseLease(const std::vector<int64_t>& ids,
                                               absl::Time next_attempt_time) {
  return grouped_.Write("releasing a lease", [&](SQLite::Database& db) {
    sql::ReleaseLease(db, ids, next_attempt_time);
    return absl::OkStatus();
  });
}

absl::Status SqliteNotifierStore::RecordAttempt(const AttemptOutcome& outcome) {
  return grouped_.Write("recording a delivery attempt",
                        [&](SQLite::Database& db) { return sql::RecordAttempt(db, outcome); });
}

absl::Status SqliteNotifierStore::DeferPendingDeliveries(ChannelType channel,
                                                         absl::string_view target,
                                                         absl::Time until) {
  return db_->WriteTransaction("deferring deliveries", [&](SQLite::Database& db) {
    sql::DeferPendingDeliveries(db, channel, target, until);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Delivery>> SqliteNotifierStore::ListDeliveries(
    const DeliveryFilter& filter, int64_t before_id, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  // One read transaction: deliveries and their histories come from the same snapshot.
  return db_->ReadSnapshot("listing deliveries", [&](SQLite::Database& db) {
    return sql::ListDeliveries(db, filter, before_id, limit);
  });
}

absl::StatusOr<std::optional<Delivery>> SqliteNotifierStore::GetDelivery(int64_t id) {
  return db_->ReadSnapshot(absl::StrCat("reading delivery ", id),
                           [&](SQLite::Database& db) { return sql::FindDelivery(db, id); });
}

// ---- Recipients ----

absl::Status SqliteNotifierStore::CreateRecipient(const Recipient& recipient) {
  return db_->WriteTransaction(
      absl::StrCat("creating recipient ", api::RecipientName(recipient.tenant, recipient.id)),
      [&](SQLite::Database& db) { return sql::CreateRecipient(db, recipient); });
}

absl::StatusOr<std::optional<Recipient>> SqliteNotifierStore::GetRecipient(absl::string_view tenant,
                                                                           absl::string_view id) {
  return db_->Read(absl::StrCat("reading recipient ", api::RecipientName(tenant, id)),
                   [&](SQLite::Database& db) { return sql::FindRecipient(db, tenant, id); });
}

absl::StatusOr<std::vector<Recipient>> SqliteNotifierStore::ListRecipients(
    absl::string_view tenant, absl::string_view after_tenant, absl::string_view after_id,
    int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  return db_->Read("listing recipients", [&](SQLite::Database& db) {
    return sql::ListRecipients(db, tenant, after_tenant, after_id, limit);
  });
}

absl::StatusOr<std::vector<Recipient>> SqliteNotifierStore::SubscribersOf(
    absl::string_view tenant, absl::string_view launch_id) {
  return db_->Read(absl::StrCat("finding the subscribers of launch ", launch_id),
                   [&](SQLite::Database& db) { return sql::SubscribersOf(db, tenant, launch_id); });
}

absl::Status SqliteNotifierStore::UpdateRecipient(const Recipient& recipient) {
  return db_->WriteTransaction(
      absl::StrCat("updating recipient ", api::RecipientName(recipient.tenant, recipient.id)),
      [&](SQLite::Database& db) { return sql::UpdateRecipient(db, recipient); });
}

absl::Status SqliteNotifierStore::DeleteRecipient(absl::string_view tenant, absl::string_view id,
                                                  std::optional<int64_t> expected_version) {
  return db_->WriteTransaction(
      absl::StrCat("deleting recipient ", api::RecipientName(tenant, id)),
      [&](SQLite::Database& db) { return sql::DeleteRecipient(db, tenant, id, expected_version); });
}

// ---- Inbox and secrets ----

absl::StatusOr<std::vector<InboxMessage>> SqliteNotifierStore::ListInbox(absl::string_view tenant,
                                                                         absl::string_view id,
                                                                         int64_t before_id,
                                                                         int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  return db_->Read(
      absl::StrCat("listing the inbox of ", api::RecipientName(tenant, id)),
      [&](SQLite::Database& db) { return sql::ListInbox(db, tenant, id, before_id, limit); });
}

absl::StatusOr<std::string> SqliteNotifierStore::GetOrCreateSecret(absl::string_view name) {
  return GetOrCreateSqliteSecret(*db_, name, [] { return RandomSecretBytes(kSecretBytes); });
}

// ---- Counts for the metrics ----

absl::StatusOr<std::vector<DeliveryCount>> SqliteNotifierStore::CountDeliveries() {
  return db_->Read("counting deliveries", sql::CountDeliveries);
}

absl::StatusOr<int64_t> SqliteNotifierStore::CountScheduledItems() {
  return db_->Read("counting scheduled items", sql::CountScheduledItems);
}

absl::StatusOr<std::optional<absl::Time>> SqliteNotifierStore::NextDueTime() {
  return db_->Read("finding the next due time", sql::NextDueTime);
}

}  // namespace preflight::notifier
