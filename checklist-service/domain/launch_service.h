#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/event_watch.h"
#include "checklist-service/domain/group_commit.h"
#include "checklist-service/domain/keyed_mutex.h"
#include "checklist-service/domain/limits.h"
#include "checklist-service/domain/model.h"
#include "checklist-service/domain/schedule_cache.h"
#include "checklist-service/domain/template_catalog.h"
#include "checklist-service/domain/written_launch_cache.h"
#include "common/clock.h"
#include "common/serial_executor.h"
#include "common/working_calendar.h"

namespace preflight::checklist {

struct NewLaunch {
  std::string tenant;
  std::string display_name;
  std::string owner;
  std::optional<absl::CivilDay> target_launch_date;
  std::string time_zone;    // empty: Asia/Shanghai
  std::string template_id;  // empty: the built-in WeChat template
  Profile profile;
};

// Fields to change; an unset optional leaves the field alone.
struct LaunchPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> owner;
  std::optional<absl::CivilDay> target_launch_date;
  std::optional<std::string> time_zone;
  std::optional<std::optional<absl::CivilDay>> went_live_date;
  std::optional<v1::SubjectType> subject_type;
  std::optional<v1::Hosting> hosting;
  std::optional<bool> takes_payments;
  std::optional<bool> mini_game;
  std::optional<std::vector<std::string>> service_categories;
  std::optional<std::string> province;
};

struct ItemPatch {
  std::optional<ItemStatus> status;
  std::optional<std::string> assignee;
  std::optional<std::string> notes;
  std::optional<std::vector<Evidence>> evidence;
  // Materials named by code, each with the status to set; the others keep theirs.
  std::optional<std::vector<std::pair<std::string, MaterialStatus>>> materials;
  std::optional<std::string> official_number;
  std::optional<std::optional<absl::CivilDay>> expiry_date;
  std::optional<std::string> waiver_reason;
  std::optional<std::optional<absl::CivilDay>> due_date;
};

struct NewItem {
  std::string code;
  std::string title_en;
  std::string title_zh;
  // Empty: "custom" (kCustomItemGroup); otherwise "custom" or one of the launch's template's
  // groups.
  std::string group;
  std::vector<std::string> depends_on;
  std::optional<absl::CivilDay> due_date;
  std::string assignee;
  std::string notes;
  // Working days: the typical duration and, when given, the range around it (0 <= min <=
  // typical <= max); unset bounds are the typical duration.
  int duration_working_days = 1;
  std::optional<int> duration_min;
  std::optional<int> duration_max;
};

struct LaunchListFilter {
  LaunchFilter store_filter;
  bool at_risk_only = false;
};

struct ItemListFilter {
  // Tenant (required unless launch_id is set), launch, assignee, statuses, open_only and the
  // latest-date bounds, all answered by the store.
  ItemFilter store_filter;
  // Today-dependent: the store narrows these to candidates, the schedule decides.
  bool at_risk_only = false;
  bool critical_only = false;
};

struct ItemPage {
  // Schedules as of today in each launch's zone, in ItemKey order.
  std::vector<Item> items;
  // The launches of those items, by id, with their schedules and without items.
  std::map<std::string, Launch> launches;
  // Where the next page starts after; unset on the last page.
  std::optional<ItemKey> next_after;
};

struct LaunchPage {
  std::vector<LaunchState> launches;
  // Id to resume after; empty on the last page.
  std::string next_after_id;
};

struct Readiness {
  bool ready = false;
  std::vector<Blocker> blockers;
  LaunchSchedule schedule;
  int items_total = 0;
  int items_done = 0;
};

struct EventPage {
  std::vector<Event> events;
  // Sequence to resume after; 0 on the last page.
  int64_t next_after_sequence = 0;
};

// The counts a LaunchService enforces (defaults from limits.h; tests lower them). Over a limit a
// create is RESOURCE_EXHAUSTED.
struct LaunchServiceLimits {
  int max_launches_per_tenant = kMaxLaunchesPerTenant;
  int max_items_per_launch = kMaxItemsPerLaunch;
  // Schedules kept for reads (ScheduleCache); 0 recomputes on every read.
  size_t schedule_cache_entries = 4096;
  // Launches kept as last written, for the next write to them (WrittenLaunchCache); 0 loads
  // every write's launch from the store.
  size_t written_launch_entries = WrittenLaunchCache::kDefaultCapacity;
  // Publish this service's commits to its event hub as they commit (one node). Off when
  // something else feeds the hub every replica's events in log order (PostgreSQL's event
  // follower), so that a watcher never sees this replica's events ahead of another's.
  bool publish_commits = true;
};

// Counts across every launch, as of today (for the metrics).
struct LaunchSummary {
  int64_t launches = 0;
  // Launches with a go-live date.
  int64_t launches_live = 0;
  // Launches not yet live whose projected launch date is after their target.
  int64_t launches_at_risk = 0;
  // Items of every launch by status (not-applicable ones included).
  std::map<ItemStatus, int64_t> items_by_status;
};

// Who is acting, for the audit trail.
struct Actor {
  std::string name;
};

// The checklist's use cases. Plain C++: the transport maps requests onto these calls and the store
// hides SQL. Every change runs under its launch's lock (a create under its tenant's): load,
// validate, apply, recompute the schedule, then commit the new state and its events as one
// all-or-nothing change set, so a change is either wholly durable with its events or not made at
// all. Changes to one launch are serialized; changes to different launches run side by side and
// share a transaction and its fsync (GroupCommitter).
class LaunchService {
 public:
  // With an `event_hub`, every committed change's events are published to it (for WatchEvents).
  LaunchService(ChecklistStore* store, const TemplateCatalog* catalog,
                const WorkingCalendar* calendar, const Clock* clock, EventHub* event_hub = nullptr,
                LaunchServiceLimits limits = {});

  // How a change is carried out: committed with its events, or previewed (AIP-163's
  // validate_only): checked and computed exactly as the commit would be, then dropped, so nothing
  // is written and no event is emitted.
  enum class WriteMode { kCommit, kValidateOnly };

  // Creates a launch. With a request id, a retry of the same request returns the launch it
  // created; the same id with a different request is ALREADY_EXISTS. RESOURCE_EXHAUSTED when the
  // tenant already has max_launches_per_tenant launches. A preview's launch has an id that
  // nothing stores.
  absl::StatusOr<LaunchState> CreateLaunch(const NewLaunch& request, const std::string& request_id,
                                           const Actor& actor, WriteMode mode = WriteMode::kCommit);
  // The launch, schedules computed as of today (once per stored state and day: ScheduleCache);
  // with its items unless `with_items` is false (then `items` is empty).
  absl::StatusOr<LaunchState> GetLaunch(const std::string& launch_id, bool with_items = true);

  // What names the answer GetLaunch would give now, read without the items: a transport that
  // keeps encoded answers can tell from it whether its copy is current.
  struct LaunchStamp {
    std::string tenant;
    int64_t version = 0;
    // The sum of the items' versions (LaunchRead::items_version).
    int64_t items_version = 0;
    // The day the schedule is computed for.
    absl::CivilDay today;
  };
  absl::StatusOr<LaunchStamp> GetLaunchStamp(const std::string& launch_id);
  absl::StatusOr<LaunchPage> ListLaunches(const LaunchListFilter& filter,
                                          const std::string& after_id, int page_size);
  // Items across launches (or of one), sorted by latest start, launch, code. At-risk and
  // critical are verified on the stored candidates, and a call reads at most a bounded number of
  // them: a short page with `next_after` set may mean there was more to scan.
  absl::StatusOr<ItemPage> ListItems(const ItemListFilter& filter,
                                     const std::optional<ItemKey>& after, int page_size);
  // `expected_version` (from an etag), when set, must match or the call is ABORTED.
  absl::StatusOr<LaunchState> UpdateLaunch(const std::string& launch_id, const LaunchPatch& patch,
                                           std::optional<int64_t> expected_version,
                                           const Actor& actor, WriteMode mode = WriteMode::kCommit);
  absl::StatusOr<Item> UpdateItem(const std::string& launch_id, const std::string& code,
                                  const ItemPatch& patch, std::optional<int64_t> expected_version,
                                  const Actor& actor);
  // RESOURCE_EXHAUSTED when the launch already has max_items_per_launch items.
  absl::StatusOr<Item> AddItem(const std::string& launch_id, const NewItem& request,
                               const Actor& actor);
  absl::StatusOr<Readiness> GetReadiness(const std::string& launch_id);
  absl::StatusOr<EventPage> ListEvents(const std::string& launch_id, int64_t after_sequence,
                                       int page_size);

  // Starts a watch of every event after `request.after_sequence` (see EventWatch in
  // event_watch.h; this reads the store). UNIMPLEMENTED when the service was built without an
  // event hub.
  absl::StatusOr<std::unique_ptr<EventWatch>> StartWatch(const WatchRequest& request,
                                                         const WatchOptions& options,
                                                         EventWatch::WakeCallback wake);

  // Reads every launch and recomputes its schedule: proportional to the whole store, so callers
  // cache the answer (checklist-service/metrics). Defined in launch_summary.cc.
  absl::StatusOr<LaunchSummary> Summarize() const;

  // Returns once the events of every write that has returned are in the hub. Events are
  // published just after their writer is answered; tests that look at the hub right after a
  // write call this first.
  void AwaitPublished();

  const TemplateCatalog& catalog() const { return *catalog_; }
  // The working-day calendar the schedules are counted on.
  const WorkingCalendar& calendar() const { return *calendar_; }

 private:
  // Today's date in the launch's time zone.
  absl::CivilDay Today(const Launch& launch) const;
  // Today's date in the zone furthest ahead (UTC+14): no launch's today is later.
  absl::CivilDay LatestToday() const;
  // A launch ListItems has read for its page: without items, with its schedule when cached.
  struct ListedLaunch {
    Launch launch;
    ScheduleKey key;
    std::shared_ptr<const ScheduleResult> schedule;
  };
  // The item named by `key` with its schedule as of today, through `launches` (this call's
  // launches): with its launch's schedule cached, one item read instead of the whole launch.
  // Unset when the launch or item is gone.
  absl::StatusOr<std::optional<Item>> ReadItemAsOfToday(
      const ItemKey& key, std::map<std::string, ListedLaunch>& launches);
  // Sets the change set's at-risk bounds from `state` (recomputed, all items).
  void AttachRiskBounds(const LaunchState& state, ChangeSet& changes) const;
  // Fills in every item's and the launch's schedule as of today.
  void Recompute(LaunchState& state) const;
  // Recompute for reads, through the schedule cache; `items_version` as in LaunchRead.
  void RecomputeCached(LaunchState& state, int64_t items_version);
  // Item schedules as last stored, keyed by code: what subscribers of the event stream last saw.
  static std::map<std::string, ItemSchedule> PersistedSchedules(const LaunchState& state);
  // For every item of the (recomputed) `state` not in `changed_codes` whose dates moved from
  // `persisted`, bumps its version and adds it to `changes` with a TYPE_SCHEDULE_CHANGED event.
  void RecordScheduleMoves(LaunchState& state, const std::map<std::string, ItemSchedule>& persisted,
                           const std::vector<std::string>& changed_codes, const Actor& actor,
                           absl::Time now, ChangeSet& changes) const;
  const CompiledTemplate* TemplateOf(const Launch& launch) const;
  std::string NewLaunchId();
  // Commits `changes` (group commit) and, when it succeeds, has their events published: in
  // sequence order, by publisher_, shortly after the writer is answered. Call with the launch's
  // lock held.
  absl::StatusOr<std::vector<Event>> CommitAndPublish(const ChangeSet& changes);
  // The launch a write starts from: as this process last committed it when the store still holds
  // that state (WrittenLaunchCache), else loaded. Call with the launch's lock held.
  absl::StatusOr<LaunchState> LoadForWrite(const std::string& launch_id);

  ChecklistStore* const store_;
  const TemplateCatalog* const catalog_;
  const WorkingCalendar* const calendar_;
  const Clock* const clock_;
  EventHub* const event_hub_;
  const LaunchServiceLimits limits_;

  ScheduleCache schedule_cache_;
  WrittenLaunchCache written_;
  // Serialise read-modify-write changes of one launch, and creates of one tenant; reads go
  // straight to the store.
  KeyedMutex launch_locks_;
  KeyedMutex tenant_locks_;
  GroupCommitter committer_;
  // Publishes committed events to the hub, one batch at a time in commit order, so no writer
  // waits for the fan-out to watchers. Declared last: it is stopped, and everything posted
  // published, before the rest goes.
  SerialExecutor publisher_{"event-publisher"};
};

}  // namespace preflight::checklist
