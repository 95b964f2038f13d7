#include "checklist-service/storage/sqlite_calendar_feed_store.h"

#include <string>
#include <utility>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/query_limit.h"
#include "common/sqlite/statement_cache.h"
#include "common/sqlite/time_columns.h"

namespace preflight::checklist {
namespace {

constexpr char kColumns[] =
    "id, tenant, launch_id, assignee, creator, create_time, revoke_time, secret_hash";

CalendarFeed FeedFromRow(SQLite::Statement& row) {
  CalendarFeed feed;
  feed.id = row.getColumn(0).getString();
  feed.tenant = row.getColumn(1).getString();
  feed.launch_id = row.getColumn(2).getString();
  feed.assignee = row.getColumn(3).getString();
  feed.creator = row.getColumn(4).getString();
  feed.create_time = absl::FromUnixMicros(row.getColumn(5).getInt64());
  feed.revoke_time = OptionalTimeColumn(row.getColumn(6));
  feed.secret_hash = row.getColumn(7).getString();
  return feed;
}

}  // namespace

absl::Status SqliteCalendarFeedStore::InsertFeed(const CalendarFeed& feed) {
  return db_->Write("creating a calendar feed", [&](SQLite::Database& writer) -> absl::Status {
    CachedStatement insert(writer, absl::StrCat("INSERT INTO calendar_feeds (", kColumns,
                                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.bind(1, feed.id);
    insert.bind(2, feed.tenant);
    insert.bind(3, feed.launch_id);
    insert.bind(4, feed.assignee);
    insert.bind(5, feed.creator);
    insert.bind(6, absl::ToUnixMicros(feed.create_time));
    BindOptionalTime(insert, 7, feed.revoke_time);
    insert.bind(8, feed.secret_hash);
    insert.exec();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<CalendarFeed>> SqliteCalendarFeedStore::FindFeed(
    absl::string_view id) {
  return db_->Read(
      "reading a calendar feed", [&](SQLite::Database& reader) -> std::optional<CalendarFeed> {
        CachedStatement query(
            reader, absl::StrCat("SELECT ", kColumns, " FROM calendar_feeds WHERE id = ?"));
        query.bind(1, std::string(id));
        if (!query.executeStep()) return std::nullopt;
        return FeedFromRow(query);
      });
}

absl::StatusOr<std::vector<CalendarFeed>> SqliteCalendarFeedStore::ListFeeds(
    absl::string_view tenant, absl::string_view after_id, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  std::string sql = absl::StrCat("SELECT ", kColumns,
                                 " FROM calendar_feeds WHERE revoke_time IS NULL AND id > ?");
  if (!tenant.empty()) absl::StrAppend(&sql, " AND tenant = ?");
  absl::StrAppend(&sql, " ORDER BY id LIMIT ?");
  return db_->Read("listing calendar feeds", [&](SQLite::Database& reader) {
    CachedStatement query(reader, sql);
    int index = 0;
    query.bind(++index, std::string(after_id));
    if (!tenant.empty()) query.bind(++index, std::string(tenant));
    query.bind(++index, limit);
    std::vector<CalendarFeed> feeds;
    while (query.executeStep()) feeds.push_back(FeedFromRow(query));
    return feeds;
  });
}

absl::StatusOr<int64_t> SqliteCalendarFeedStore::CountFeeds(absl::string_view tenant) {
  return db_->Read("counting a tenant's calendar feeds", [&](SQLite::Database& reader) -> int64_t {
    CachedStatement query(
        reader, "SELECT COUNT(*) FROM calendar_feeds WHERE tenant = ? AND revoke_time IS NULL");
    query.bind(1, std::string(tenant));
    query.executeStep();
    return query.getColumn(0).getInt64();
  });
}

absl::StatusOr<bool> SqliteCalendarFeedStore::RevokeFeed(absl::string_view id, absl::Time when) {
  return db_->Write("revoking a calendar feed", [&](SQLite::Database& writer) -> bool {
    CachedStatement update(
        writer, "UPDATE calendar_feeds SET revoke_time = ? WHERE id = ? AND revoke_time IS NULL");
    update.bind(1, absl::ToUnixMicros(when));
    update.bind(2, std::string(id));
    return update.exec() == 1;
  });
}

}  // namespace preflight::checklist
