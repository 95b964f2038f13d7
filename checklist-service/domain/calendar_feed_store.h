#pragma once

// Calendar feeds (a secret URL serving a launch's or an assignee's iCalendar) and the port that
// stores them. Only a hash of each feed's secret is kept.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace preflight::checklist {

struct CalendarFeed {
  std::string id;
  std::string tenant;
  // Exactly one of them is set: a launch's feed, or an assignee's across the tenant's launches.
  std::string launch_id;
  std::string assignee;
  std::string creator;
  absl::Time create_time = absl::UnixEpoch();
  // Set once deleted: the URL answers 404 from then on.
  std::optional<absl::Time> revoke_time;
  // Lowercase hex SHA-256 of the secret in the feed's URL.
  std::string secret_hash;
};

// Durable storage of calendar feeds. Implementations are thread-safe.
class CalendarFeedStore {
 public:
  virtual ~CalendarFeedStore() = default;

  // ALREADY_EXISTS when a feed with this id exists.
  virtual absl::Status InsertFeed(const CalendarFeed& feed) = 0;
  // The feed, revoked or not; nullopt when there is none.
  virtual absl::StatusOr<std::optional<CalendarFeed>> FindFeed(absl::string_view id) = 0;
  // Feeds not revoked, of `tenant` (empty: every tenant), with id > `after_id`, in id order, at
  // most `limit`.
  virtual absl::StatusOr<std::vector<CalendarFeed>> ListFeeds(absl::string_view tenant,
                                                              absl::string_view after_id,
                                                              int limit) = 0;
  // Feeds of `tenant` not revoked, for the per-tenant limit.
  virtual absl::StatusOr<int64_t> CountFeeds(absl::string_view tenant) = 0;
  // Marks the feed revoked at `when`; false when there is no such feed or it was revoked already.
  virtual absl::StatusOr<bool> RevokeFeed(absl::string_view id, absl::Time when) = 0;
};

}  // namespace preflight::checklist
