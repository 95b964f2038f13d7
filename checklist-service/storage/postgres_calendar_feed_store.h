#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/calendar_feed_store.h"
#include "common/postgres/postgres_pool.h"

namespace preflight::checklist {

// CalendarFeedStore in the calendar_feeds table of the checklist's PostgreSQL schema, which
// PostgresChecklistStore::Open creates. Nothing throws.
class PostgresCalendarFeedStore final : public CalendarFeedStore {
 public:
  // `pool` must outlive this object.
  explicit PostgresCalendarFeedStore(PostgresPool* pool) : pool_(pool) {}

  absl::Status InsertFeed(const CalendarFeed& feed) override;
  absl::StatusOr<std::optional<CalendarFeed>> FindFeed(absl::string_view id) override;
  absl::StatusOr<std::vector<CalendarFeed>> ListFeeds(absl::string_view tenant,
                                                      absl::string_view after_id,
                                                      int limit) override;
  absl::StatusOr<int64_t> CountFeeds(absl::string_view tenant) override;
  absl::StatusOr<bool> RevokeFeed(absl::string_view id, absl::Time when) override;

 private:
  PostgresPool* const pool_;
};

}  // namespace preflight::checklist
