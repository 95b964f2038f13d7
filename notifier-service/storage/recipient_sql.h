#pragma once

// The SQL of recipients and their subscriptions (a recipient is its (tenant, id); subscriptions
// are kept both in the row and in recipient_subscriptions, which SubscribersOf searches). See
// launch_item_sql.h for what every *_sql.h function expects.

#include <cstdint>
#include <optional>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "notifier-service/domain/recipient.h"

namespace preflight::notifier::sql {

// ALREADY_EXISTS for a (tenant, id) that is taken.
absl::Status CreateRecipient(SQLite::Database& db, const Recipient& recipient);
absl::StatusOr<std::optional<Recipient>> FindRecipient(SQLite::Database& db,
                                                       absl::string_view tenant,
                                                       absl::string_view id);
// By (tenant, id) after (`after_tenant`, `after_id`); `tenant` empty lists all.
absl::StatusOr<std::vector<Recipient>> ListRecipients(SQLite::Database& db,
                                                      absl::string_view tenant,
                                                      absl::string_view after_tenant,
                                                      absl::string_view after_id, int limit);
// Subscribed to "tenants/{tenant}" or "launches/{launch_id}"; an empty name matches nothing.
absl::StatusOr<std::vector<Recipient>> SubscribersOf(SQLite::Database& db, absl::string_view tenant,
                                                     absl::string_view launch_id);
// Every tenant's recipients with the manager role, by (tenant, id). Tenant-less ones are never
// managers.
absl::StatusOr<std::vector<Recipient>> ListManagers(SQLite::Database& db);
// Writes all but create_time if the stored version is recipient.version - 1: NOT_FOUND when
// there is none, ABORTED when it differs.
absl::Status UpdateRecipient(SQLite::Database& db, const Recipient& recipient);
// NOT_FOUND when absent; ABORTED when `expected_version` is set and differs.
absl::Status DeleteRecipient(SQLite::Database& db, absl::string_view tenant, absl::string_view id,
                             std::optional<int64_t> expected_version);

}  // namespace preflight::notifier::sql
