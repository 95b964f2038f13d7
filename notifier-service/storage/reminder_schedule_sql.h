#pragma once

// The SQL of the reminder schedule: when each item is looked at next, its snooze and
// acknowledgement, the rungs already handled, and the dispatcher's decisions. See
// launch_item_sql.h for what every *_sql.h function expects.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "notifier-service/domain/delivery.h"
#include "notifier-service/domain/notifier_store.h"

namespace preflight::notifier::sql {

// Items whose next check is at or before `now`, earliest first.
absl::StatusOr<std::vector<ItemRecord>> ItemsToCheck(SQLite::Database& db, absl::Time now,
                                                     int limit);
// Items with a next check after (after_launch_id, after_code), by (launch_id, code); `tenant`
// and `launch_id` filter when not empty.
absl::StatusOr<std::vector<ItemRecord>> ListScheduledItems(SQLite::Database& db,
                                                           absl::string_view tenant,
                                                           absl::string_view launch_id,
                                                           absl::string_view after_launch_id,
                                                           absl::string_view after_code, int limit);
// Writes the record's next check, snooze and acknowledgement; NOT_FOUND for an unknown item.
absl::Status UpdateItemControls(SQLite::Database& db, const ItemRecord& record);
// Items with a next check planned.
int64_t CountScheduledItems(SQLite::Database& db);
// The earlier of the first item check and the first pending delivery's next attempt (two index
// lookups: items_next_check_time, deliveries_state_next_attempt).
std::optional<absl::Time> NextDueTime(SQLite::Database& db);

// Records a handled rung; one already recorded keeps its first outcome.
void InsertHandledRung(SQLite::Database& db, const HandledRung& rung);
// By time, then rung id.
absl::StatusOr<std::vector<HandledRung>> ListHandledRungs(SQLite::Database& db,
                                                          absl::string_view launch_id,
                                                          absl::string_view code);

// Records the decision's rungs, inserts its deliveries (skipping taken dedup keys) and sets the
// item's next check; returns the deliveries inserted, with their ids.
std::vector<Delivery> CommitDecision(SQLite::Database& db, const Decision& decision);

}  // namespace preflight::notifier::sql
