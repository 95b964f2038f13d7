#pragma once

// The SQL of the inbox: the messages of inbox deliveries, kept for their recipients to read. See
// launch_item_sql.h for what every *_sql.h function expects.

#include <cstdint>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "notifier-service/domain/notifier_store.h"

namespace preflight::notifier::sql {

// Stores the message unless its delivery already has one (a resend after a lost outcome must not
// show twice).
void InsertInboxMessage(SQLite::Database& db, const InboxMessage& message);
// The inbox of recipient (`tenant`, `id`), newest first, ids below `before_id` (0: from the
// newest).
absl::StatusOr<std::vector<InboxMessage>> ListInbox(SQLite::Database& db, absl::string_view tenant,
                                                    absl::string_view id, int64_t before_id,
                                                    int limit);

}  // namespace preflight::notifier::sql
