#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/calendar_feed_store.h"
#include "common/sqlite/reader_writer.h"

namespace preflight::checklist {

// CalendarFeedStore in checklist.db's calendar_feeds table (migration 5), on the connections of
// the SqliteChecklistStore that opened and migrated the file. Nothing throws.
class SqliteCalendarFeedStore final : public CalendarFeedStore {
 public:
  // `db` must outlive this object.
  explicit SqliteCalendarFeedStore(SqliteReaderWriter* db) : db_(db) {}

  absl::Status InsertFeed(const CalendarFeed& feed) override;
  absl::StatusOr<std::optional<CalendarFeed>> FindFeed(absl::string_view id) override;
  absl::StatusOr<std::vector<CalendarFeed>> ListFeeds(absl::string_view tenant,
                                                      absl::string_view after_id,
                                                      int limit) override;
  absl::StatusOr<int64_t> CountFeeds(absl::string_view tenant) override;
  absl::StatusOr<bool> RevokeFeed(absl::string_view id, absl::Time when) override;

 private:
  SqliteReaderWriter* const db_;
};

}  // namespace preflight::checklist
