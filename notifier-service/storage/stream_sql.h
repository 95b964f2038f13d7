#pragma once

// The SQL of the notifier's place in the checklist's event stream: the one-row cursor table and
// applying an event's effects together with it. See launch_item_sql.h for what every *_sql.h
// function expects.

#include <cstdint>
#include <string>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "notifier-service/domain/notifier_store.h"

namespace preflight::notifier::sql {

int64_t ReadAppliedSequence(SQLite::Database& db);
std::string ReadStreamLogEpoch(SQLite::Database& db);
void WriteStreamLogEpoch(SQLite::Database& db, absl::string_view epoch);
// Forgets the cursor, its epoch, launches and items (see NotifierStore::ResetStream).
void ResetStream(SQLite::Database& db);
// Writes the effects and advances the cursor; FAILED_PRECONDITION, before writing anything, when
// effects.sequence is not after the applied sequence. `clock` dates the cancellations.
absl::Status ApplyEventEffects(SQLite::Database& db, const EventEffects& effects,
                               const Clock& clock);

}  // namespace preflight::notifier::sql
