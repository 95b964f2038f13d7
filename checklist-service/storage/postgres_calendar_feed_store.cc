#include "checklist-service/storage/postgres_calendar_feed_store.h"

#include <pqxx/result>
#include <pqxx/transaction>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/sqlite/query_limit.h"

namespace preflight::checklist {
namespace {

constexpr char kColumns[] =
    "id, tenant, launch_id, assignee, creator, create_time, revoke_time, secret_hash";

CalendarFeed FeedFromRow(const pqxx::row& row) {
  CalendarFeed feed;
  feed.id = row[0].as<std::string>();
  feed.tenant = row[1].as<std::string>();
  feed.launch_id = row[2].as<std::string>();
  feed.assignee = row[3].as<std::string>();
  feed.creator = row[4].as<std::string>();
  feed.create_time = absl::FromUnixMicros(row[5].as<int64_t>());
  if (!row[6].is_null()) feed.revoke_time = absl::FromUnixMicros(row[6].as<int64_t>());
  feed.secret_hash = row[7].as<std::string>();
  return feed;
}

std::optional<int64_t> OptionalMicros(const std::optional<absl::Time>& time) {
  if (!time.has_value()) return std::nullopt;
  return absl::ToUnixMicros(*time);
}

}  // namespace

absl::Status PostgresCalendarFeedStore::InsertFeed(const CalendarFeed& feed) {
  return pool_->Transact("creating a calendar feed", [&](pqxx::transaction_base& tx) {
    tx.exec_params(absl::StrCat("INSERT INTO calendar_feeds (", kColumns,
                                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"),
                   feed.id, feed.tenant, feed.launch_id, feed.assignee, feed.creator,
                   absl::ToUnixMicros(feed.create_time), OptionalMicros(feed.revoke_time),
                   feed.secret_hash);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<CalendarFeed>> PostgresCalendarFeedStore::FindFeed(
    absl::string_view id) {
  return pool_->Autocommit(
      "reading a calendar feed", [&](pqxx::transaction_base& tx) -> std::optional<CalendarFeed> {
        pqxx::result rows =
            tx.exec_params(absl::StrCat("SELECT ", kColumns, " FROM calendar_feeds WHERE id = $1"),
                           std::string(id));
        if (rows.empty()) return std::nullopt;
        return FeedFromRow(rows[0]);
      });
}

absl::StatusOr<std::vector<CalendarFeed>> PostgresCalendarFeedStore::ListFeeds(
    absl::string_view tenant, absl::string_view after_id, int limit) {
  if (absl::Status s = CheckQueryLimit(limit); !s.ok()) return s;
  return pool_->Autocommit("listing calendar feeds", [&](pqxx::transaction_base& tx) {
    pqxx::result rows = tx.exec_params(
        absl::StrCat(
            "SELECT ", kColumns,
            " FROM calendar_feeds WHERE revoke_time IS NULL AND id > $1 AND ($2::text = '' "
            "OR tenant = $2::text) ORDER BY id LIMIT $3::bigint"),
        std::string(after_id), std::string(tenant), limit);
    std::vector<CalendarFeed> feeds;
    for (const pqxx::row& row : rows) feeds.push_back(FeedFromRow(row));
    return feeds;
  });
}

absl::StatusOr<int64_t> PostgresCalendarFeedStore::CountFeeds(absl::string_view tenant) {
  return pool_->Autocommit("counting a tenant's calendar feeds", [&](pqxx::transaction_base& tx) {
    return tx
        .exec_params1(
            "SELECT COUNT(*) FROM calendar_feeds WHERE tenant = $1 AND revoke_time IS NULL",
            std::string(tenant))[0]
        .as<int64_t>();
  });
}

absl::StatusOr<bool> PostgresCalendarFeedStore::RevokeFeed(absl::string_view id, absl::Time when) {
  return pool_->Transact("revoking a calendar feed", [&](pqxx::transaction_base& tx) {
    pqxx::result updated = tx.exec_params(
        "UPDATE calendar_feeds SET revoke_time = $1 WHERE id = $2 AND revoke_time IS NULL",
        absl::ToUnixMicros(when), std::string(id));
    return updated.affected_rows() == 1;
  });
}

}  // namespace preflight::checklist
