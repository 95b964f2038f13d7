#include "notifier-service/storage/stream_sql.h"

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/statement_cache.h"
#include "notifier-service/storage/delivery_sql.h"
#include "notifier-service/storage/launch_item_sql.h"
#include "notifier-service/storage/reminder_schedule_sql.h"

namespace preflight::notifier::sql {

int64_t ReadAppliedSequence(SQLite::Database& db) {
  return db.execAndGet("SELECT applied_sequence FROM cursor WHERE id = 1").getInt64();
}

std::string ReadStreamLogEpoch(SQLite::Database& db) {
  return db.execAndGet("SELECT log_epoch FROM cursor WHERE id = 1").getString();
}

void WriteStreamLogEpoch(SQLite::Database& db, absl::string_view epoch) {
  CachedStatement update(db, "UPDATE cursor SET log_epoch = ? WHERE id = 1");
  update.bind(1, std::string(epoch));
  update.exec();
}

void ResetStream(SQLite::Database& db) {
  db.exec("DELETE FROM items");
  db.exec("DELETE FROM launches");
  db.exec("UPDATE cursor SET applied_sequence = 0, log_epoch = '' WHERE id = 1");
}

absl::Status ApplyEventEffects(SQLite::Database& db, const EventEffects& effects,
                               const Clock& clock) {
  const int64_t applied = ReadAppliedSequence(db);
  if (effects.sequence <= applied) {
    return absl::FailedPreconditionError(
        absl::StrCat("event ", effects.sequence, " is not after the applied sequence ", applied));
  }
  if (effects.launch.has_value()) UpsertLaunch(db, *effects.launch);
  for (const ItemRecord& record : effects.items) UpsertItem(db, record);
  for (const HandledRung& rung : effects.handled) InsertHandledRung(db, rung);
  if (!effects.cancel_delivery_ids.empty()) {
    const absl::Time now = clock.Now();
    for (int64_t id : effects.cancel_delivery_ids) {
      CancelIfPending(db, id, effects.cancel_reason, now);
    }
  }
  CachedStatement cursor(db, "UPDATE cursor SET applied_sequence = ? WHERE id = 1");
  cursor.bind(1, effects.sequence);
  cursor.exec();
  return absl::OkStatus();
}

}  // namespace preflight::notifier::sql
