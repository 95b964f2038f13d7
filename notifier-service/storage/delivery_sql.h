#pragma once

// The SQL of deliveries and their append-only ledger: inserting, leasing, recording attempts
// (with their inbox messages), cancelling, deferring, and reading them back. See
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

// Whether a delivery with this dedup key exists, in any state.
bool DeliveryExists(SQLite::Database& db, const std::string& dedup_key);
// Inserts the delivery unless its dedup key is taken; returns its new id.
std::optional<int64_t> InsertDelivery(SQLite::Database& db, const Delivery& delivery);
// Cancels one delivery, with a ledger entry carrying `reason`, if it is still pending; anything
// else (unknown, no longer pending) is left as it is.
void CancelIfPending(SQLite::Database& db, int64_t id, const std::string& reason, absl::Time now);

// See NotifierStore::LeaseDeliveries: the first delivery's new attempt count.
absl::StatusOr<int> LeaseDeliveries(SQLite::Database& db, const std::vector<int64_t>& ids,
                                    absl::string_view unit_key, absl::Time now);
// New states, a ledger entry per delivery carrying its own attempt count, and the inbox
// messages; NOT_FOUND for an unknown delivery.
absl::Status RecordAttempt(SQLite::Database& db, const AttemptOutcome& outcome);
// See NotifierStore::ReleaseLease.
void ReleaseLease(SQLite::Database& db, const std::vector<int64_t>& ids, absl::Time next_attempt);
void DeferPendingDeliveries(SQLite::Database& db, ChannelType channel, absl::string_view target,
                            absl::Time until);

// Reads, without history, by id.
absl::StatusOr<std::vector<Delivery>> PendingDeliveriesOfItem(SQLite::Database& db,
                                                              absl::string_view launch_id,
                                                              absl::string_view code);
// Oldest due first.
absl::StatusOr<std::vector<Delivery>> DueDeliveries(SQLite::Database& db, absl::Time now,
                                                    int limit);
absl::StatusOr<std::vector<Delivery>> DeliveriesInState(SQLite::Database& db, DeliveryState state,
                                                        int limit);
// Reads with history (run them in one snapshot): newest first, ids below `before_id` (0: all).
absl::StatusOr<std::vector<Delivery>> ListDeliveries(SQLite::Database& db,
                                                     const DeliveryFilter& filter,
                                                     int64_t before_id, int limit);
absl::StatusOr<std::optional<Delivery>> FindDelivery(SQLite::Database& db, int64_t id);

// Deliveries by state and channel, for the metrics.
absl::StatusOr<std::vector<DeliveryCount>> CountDeliveries(SQLite::Database& db);

}  // namespace preflight::notifier::sql
