#pragma once

// The calendar feed use cases: create, list and revoke feeds, and answer a feed's URL with its
// calendar. Plain C++: the gRPC layer maps CalendarFeedService onto it, the HTTP handler
// (checklist-service/calendar/feed_http.h) serves what Resolve returns.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/calendar_entries.h"
#include "checklist-service/domain/calendar_feed_store.h"
#include "checklist-service/domain/launch_service.h"
#include "common/clock.h"
#include "common/working_calendar.h"

namespace preflight::checklist {

// Where an assignee feed finds the assignee's items across a tenant's launches.
class AssigneeItemSource {
 public:
  virtual ~AssigneeItemSource() = default;
  // The tenant's launches that have an item assigned to exactly `assignee`, each with only those
  // items (schedules as of today) and the items_version of all its items (for SEQUENCE).
  virtual absl::StatusOr<std::vector<LaunchRead>> LaunchesWithItemsOf(
      absl::string_view tenant, absl::string_view assignee) = 0;
};

// Reads the assignee's items through the store's cross-launch index (LaunchService::ListItems,
// done items included: their expiry and renewal dates belong in the calendar), so a fetch costs
// the assignee's items, not the tenant's launches. Stops after `max_items` items.
class IndexedAssigneeItemSource final : public AssigneeItemSource {
 public:
  explicit IndexedAssigneeItemSource(LaunchService* launches, int max_items = 5000)
      : launches_(launches), max_items_(max_items) {}
  absl::StatusOr<std::vector<LaunchRead>> LaunchesWithItemsOf(absl::string_view tenant,
                                                              absl::string_view assignee) override;

 private:
  LaunchService* const launches_;
  const int max_items_;
};

struct NewCalendarFeed {
  // Required for an assignee feed; for a launch feed empty or the launch's tenant.
  std::string tenant;
  std::string launch_id;
  std::string assignee;
  std::string creator;
};

struct CreatedCalendarFeed {
  CalendarFeed feed;
  // The secret of the feed's URL; nowhere else after this.
  std::string secret;
};

struct CalendarFeedPage {
  std::vector<CalendarFeed> feeds;
  // Id to resume after; empty on the last page.
  std::string next_after_id;
};

struct CalendarFeedsLimits {
  int max_feeds_per_tenant = 1000;
};

class CalendarFeeds {
 public:
  // Every pointer must outlive this object.
  CalendarFeeds(CalendarFeedStore* store, LaunchService* launches, AssigneeItemSource* assignees,
                const WorkingCalendar* calendar, ReminderLadder ladder, const Clock* clock,
                CalendarFeedsLimits limits = {});

  // NOT_FOUND for a launch that does not exist; INVALID_ARGUMENT naming the field for a request
  // with neither or both of launch and assignee, a tenant that is not the launch's, or an
  // assignee feed without a tenant; RESOURCE_EXHAUSTED over the per-tenant feed limit.
  absl::StatusOr<CreatedCalendarFeed> Create(const NewCalendarFeed& request);
  // The feed, unless it is revoked or there is none (NOT_FOUND).
  absl::StatusOr<CalendarFeed> Get(const std::string& id);
  absl::StatusOr<CalendarFeedPage> List(const std::string& tenant, const std::string& after_id,
                                        int page_size);
  // NOT_FOUND when there is no such feed or it is revoked already.
  absl::Status Revoke(const std::string& id);

  // The calendar of feed `id` when `secret` is its own, compared in constant time. An unknown
  // feed, a revoked one and a wrong secret are all the same NOT_FOUND, so a URL reveals nothing.
  absl::StatusOr<CalendarView> Resolve(absl::string_view id, absl::string_view secret);
  // A launch's calendar (ExportLaunchCalendar); NOT_FOUND when there is no such launch.
  absl::StatusOr<CalendarView> LaunchCalendar(const std::string& launch_id);

 private:
  absl::StatusOr<CalendarView> ViewOf(const CalendarFeed& feed);

  CalendarFeedStore* const store_;
  LaunchService* const launches_;
  AssigneeItemSource* const assignees_;
  const WorkingCalendar* const calendar_;
  const ReminderLadder ladder_;
  const Clock* const clock_;
  const CalendarFeedsLimits limits_;
};

}  // namespace preflight::checklist
