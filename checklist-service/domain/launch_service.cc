#include "checklist-service/domain/launch_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "checklist-service/domain/item_lifecycle.h"
#include "checklist-service/domain/risk_bounds.h"
#include "checklist-service/domain/rules.h"
#include "checklist-service/domain/schedule.h"
#include "checklist-service/domain/validation.h"
#include "common/api/resource_names.h"
#include "common/civil_date.h"
#include "common/crypto.h"
#include "common/error_text.h"
#include "common/time_zone_name.h"

namespace preflight::checklist {
namespace {

// ListLaunches filters "at risk" after computing schedules, so one call reads at most this many
// stored launches before answering with what it has and a token to continue.
constexpr int kMaxLaunchesScannedPerCall = 2000;
// The same for ListItems' candidates.
constexpr int kMaxItemsScannedPerCall = 2000;

std::string DateOrNone(const std::optional<absl::CivilDay>& day) {
  return day ? FormatCivilDay(*day) : "none";
}

// A stable description of a create request, to tell an idempotent retry from a reused id.
std::string Fingerprint(const NewLaunch& r) {
  return Sha256Hex(absl::StrCat(
      r.tenant, "\x1f", r.display_name, "\x1f", r.owner, "\x1f", DateOrNone(r.target_launch_date),
      "\x1f", r.time_zone, "\x1f", r.template_id, "\x1f", r.profile.subject_type, "\x1f",
      r.profile.hosting, "\x1f", r.profile.takes_payments, "\x1f", r.profile.mini_game, "\x1f",
      absl::StrJoin(r.profile.service_categories, ","), "\x1f", r.profile.province));
}

absl::Status CheckExpectedVersion(absl::string_view what, int64_t current,
                                  std::optional<int64_t> expected) {
  if (expected && *expected != current) {
    return absl::AbortedError(absl::StrCat("etag mismatch: ", what,
                                           " changed since it was read; read it again and retry"));
  }
  return absl::OkStatus();
}

Event MakeEvent(EventType type, const Launch& launch, const Actor& actor, absl::Time now,
                std::string summary) {
  Event event;
  event.type = type;
  event.tenant = launch.tenant;
  event.launch_id = launch.id;
  event.actor = actor.name;
  event.time = now;
  event.summary = std::move(summary);
  return event;
}

Event LaunchEvent(EventType type, const Launch& launch, const Actor& actor, absl::Time now,
                  std::string summary) {
  Event event = MakeEvent(type, launch, actor, now, std::move(summary));
  event.launch = launch;
  return event;
}

Event ItemEvent(EventType type, const Launch& launch, const Item& item, const Actor& actor,
                absl::Time now, std::string summary) {
  Event event = MakeEvent(type, launch, actor, now, std::move(summary));
  event.item_code = item.code;
  event.item = item;
  return event;
}

void Touch(Item& item, absl::Time now) {
  ++item.version;
  item.update_time = now;
}

// "field: old -> new" for the audit summary.
template <typename T, typename Format>
void NoteChange(std::vector<std::string>& notes, absl::string_view field, const T& before,
                const T& after, Format format) {
  if (!(before == after)) {
    notes.push_back(absl::StrCat(field, ": ", format(before), " -> ", format(after)));
  }
}

std::string Quoted(const std::string& s) { return absl::StrCat("'", s, "'"); }

// Sets the status of each named material of `item`; returns a "material X: A -> B" note per
// change. A code the item does not have is INVALID_ARGUMENT naming the entry; a material the
// profile does not call for is FAILED_PRECONDITION.
absl::StatusOr<std::vector<std::string>> SetMaterials(
    Item& item, const std::vector<std::pair<std::string, MaterialStatus>>& wanted) {
  std::vector<std::string> notes;
  for (size_t i = 0; i < wanted.size(); ++i) {
    // Named copies: C++17 lambdas cannot capture structured bindings.
    const std::string& code = wanted[i].first;
    const MaterialStatus status = wanted[i].second;
    auto it = std::find_if(item.materials.begin(), item.materials.end(),
                           [&](const Material& m) { return m.code == code; });
    if (it == item.materials.end()) {
      std::vector<std::string> known;
      for (const Material& m : item.materials) known.push_back(m.code);
      return absl::InvalidArgumentError(absl::StrCat(
          "item.materials[", i, "].code: item ", item.code, " has no material ",
          QuoteForError(code),
          known.empty() ? std::string(" (it lists none)")
                        : absl::StrCat(" (expected one of: ", absl::StrJoin(known, ", "), ")")));
    }
    if (!it->applies) {
      return absl::FailedPreconditionError(
          absl::StrCat("item.materials[", i, "]: material ", code, " of item ", item.code,
                       " does not apply to this launch's profile"));
    }
    if (it->status == status) continue;
    notes.push_back(absl::StrCat("material ", code, ": ", MaterialStatusName(it->status), " -> ",
                                 MaterialStatusName(status)));
    it->status = status;
  }
  return notes;
}

// A subject change after the account items (the mini program account) were approved leaves
// those accounts under the old subject: remember it, so that the template's conditions can ask
// for the migration. Changing back to the account's subject forgets it again.
void RecordAccountSubject(const CompiledTemplate& tmpl, LaunchState& state,
                          v1::SubjectType subject_before) {
  Profile& profile = state.launch.profile;
  if (profile.subject_type == subject_before) return;
  if (profile.account_subject_type == profile.subject_type) {
    profile.account_subject_type = v1::SUBJECT_TYPE_UNSPECIFIED;
    return;
  }
  if (profile.account_subject_type != v1::SUBJECT_TYPE_UNSPECIFIED) return;
  for (const v1::ItemDefinition& definition : tmpl.proto().items()) {
    if (!definition.records_account_subject()) continue;
    const Item* item = state.FindItem(definition.code());
    if (item != nullptr && !item->custom && item->status == ItemStatus::kApproved) {
      profile.account_subject_type = subject_before;
      return;
    }
  }
}

// A launch goes live only once the items the template requires before going live (mini program
// filing, code review) are approved or waived: WeChat publishes nothing before that, so a go-live
// date recorded earlier would anchor post-launch deadlines on a day that did not happen.
absl::Status CheckReadyToGoLive(const CompiledTemplate& tmpl, const LaunchState& state) {
  std::vector<std::string> open;
  for (const v1::ItemDefinition& definition : tmpl.proto().items()) {
    if (!definition.required_before_go_live()) continue;
    const Item* item = state.FindItem(definition.code());
    if (item == nullptr || item->custom || IsDone(item->status)) continue;
    open.push_back(absl::StrCat(item->code, " (", ItemStatusName(item->status), ")"));
  }
  if (open.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "launch.went_live_date: a launch goes live only after ", absl::StrJoin(open, ", "),
      open.size() == 1 ? " is" : " are", " approved or waived"));
}

}  // namespace

LaunchService::LaunchService(ChecklistStore* store, const TemplateCatalog* catalog,
                             const WorkingCalendar* calendar, const Clock* clock,
                             EventHub* event_hub, LaunchServiceLimits limits)
    : store_(store),
      catalog_(catalog),
      calendar_(calendar),
      clock_(clock),
      event_hub_(event_hub),
      limits_(limits),
      schedule_cache_(limits.schedule_cache_entries),
      written_(limits.written_launch_entries),
      committer_(store, [this](const std::vector<Event>& events) {
        // Handed to the publisher in commit order; it fans them out while the writers return.
        if (event_hub_ != nullptr && limits_.publish_commits) {
          publisher_.Post([this, events] { event_hub_->Publish(events); });
        }
      }) {}

absl::StatusOr<std::vector<Event>> LaunchService::CommitAndPublish(const ChangeSet& changes) {
  return committer_.Commit(changes);
}

void LaunchService::AwaitPublished() {
  // The publisher runs tasks in order: once this one runs, everything posted before it has.
  absl::Notification done;
  publisher_.Post([&done] { done.Notify(); });
  done.WaitForNotification();
}

absl::StatusOr<LaunchState> LaunchService::LoadForWrite(const std::string& launch_id) {
  absl::StatusOr<LaunchRead> stamp = store_->ReadLaunch(launch_id, /*with_items=*/false);
  if (!stamp.ok()) return stamp.status();
  if (std::optional<LaunchState> written =
          written_.Take(launch_id, stamp->state.launch.version, stamp->items_version)) {
    return *std::move(written);
  }
  return store_->LoadLaunch(launch_id);
}

absl::StatusOr<std::unique_ptr<EventWatch>> LaunchService::StartWatch(
    const WatchRequest& request, const WatchOptions& options, EventWatch::WakeCallback wake) {
  if (event_hub_ == nullptr) {
    return absl::UnimplementedError("this server does not serve the event stream");
  }
  return EventWatch::Start(*store_, *event_hub_, request, options, std::move(wake));
}

absl::CivilDay LaunchService::Today(const Launch& launch) const {
  absl::TimeZone zone;
  // The zone was validated when it was stored; fall back to the default rather than fail a read.
  if (!LoadIanaTimeZone(launch.time_zone, &zone)) {
    LoadIanaTimeZone(kDefaultTimeZone, &zone);
  }
  return absl::ToCivilDay(clock_->Now(), zone);
}

const CompiledTemplate* LaunchService::TemplateOf(const Launch& launch) const {
  return catalog_->Find(launch.template_id);
}

absl::CivilDay LaunchService::LatestToday() const {
  // UTC+14 (Line Islands) is the furthest ahead of any zone.
  return absl::ToCivilDay(clock_->Now(), absl::FixedTimeZone(14 * 60 * 60));
}

void LaunchService::AttachRiskBounds(const LaunchState& state, ChangeSet& changes) const {
  changes.risk_bounds =
      ComputeRiskBounds(state, Today(state.launch), *calendar_, TemplateOf(state.launch));
}

void LaunchService::Recompute(LaunchState& state) const {
  ScheduleResult result = ComputeSchedule(state.launch, state.items, Today(state.launch),
                                          *calendar_, TemplateOf(state.launch));
  for (Item& item : state.items) {
    auto it = result.items.find(item.code);
    item.schedule = it != result.items.end() ? it->second : ItemSchedule{};
  }
  state.launch.schedule = std::move(result.launch);
}

namespace {

// Sets the schedules of `result` on `state` (items absent from `result` get none).
void ApplySchedule(const ScheduleResult& result, LaunchState& state) {
  for (Item& item : state.items) {
    auto it = result.items.find(item.code);
    item.schedule = it != result.items.end() ? it->second : ItemSchedule{};
  }
  state.launch.schedule = result.launch;
}

}  // namespace

void LaunchService::RecomputeCached(LaunchState& state, int64_t items_version) {
  ScheduleKey key{state.launch.id, state.launch.version, items_version, Today(state.launch)};
  std::shared_ptr<const ScheduleResult> result = schedule_cache_.Find(key);
  if (result == nullptr) {
    result = std::make_shared<const ScheduleResult>(ComputeSchedule(
        state.launch, state.items, key.today, *calendar_, TemplateOf(state.launch)));
    schedule_cache_.Insert(std::move(key), result);
  }
  ApplySchedule(*result, state);
}

std::map<std::string, ItemSchedule> LaunchService::PersistedSchedules(const LaunchState& state) {
  std::map<std::string, ItemSchedule> schedules;
  for (const Item& item : state.items) schedules[item.code] = item.schedule;
  return schedules;
}

void LaunchService::RecordScheduleMoves(LaunchState& state,
                                        const std::map<std::string, ItemSchedule>& persisted,
                                        const std::vector<std::string>& changed_codes,
                                        const Actor& actor, absl::Time now,
                                        ChangeSet& changes) const {
  for (Item& item : state.items) {
    if (std::find(changed_codes.begin(), changed_codes.end(), item.code) != changed_codes.end()) {
      continue;  // already written with its own event
    }
    const auto before = persisted.find(item.code);
    if (before == persisted.end() || before->second.SameDates(item.schedule)) continue;
    const ItemSchedule& old = before->second;
    Touch(item, now);
    changes.items.push_back(item);
    changes.events.push_back(ItemEvent(
        EventType::kScheduleChanged, state.launch, item, actor, now,
        absl::StrCat("schedule: latest start ", DateOrNone(old.latest_start), " -> ",
                     DateOrNone(item.schedule.latest_start), ", due ",
                     DateOrNone(old.latest_finish), " -> ", DateOrNone(item.schedule.latest_finish),
                     ", projected finish ", DateOrNone(old.projected_finish), " -> ",
                     DateOrNone(item.schedule.projected_finish))));
  }
}

std::string LaunchService::NewLaunchId() {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  absl::BitGen gen;
  std::string id = "l";
  for (int i = 0; i < 11; ++i) id += kAlphabet[absl::Uniform<size_t>(gen, 0, sizeof kAlphabet - 1)];
  return id;
}

absl::StatusOr<LaunchState> LaunchService::CreateLaunch(const NewLaunch& original,
                                                        const std::string& request_id,
                                                        const Actor& actor, WriteMode mode) {
  NewLaunch request = original;
  if (request.time_zone.empty()) request.time_zone = std::string(kDefaultTimeZone);
  if (request.template_id.empty()) request.template_id = std::string(kDefaultTemplateId);
  NormalizeCategories(request.profile.service_categories);

  if (absl::Status s = ValidateNewLaunch(request, request_id); !s.ok()) return s;
  const CompiledTemplate* tmpl = catalog_->Find(request.template_id);
  if (tmpl == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("launch.template_id: unknown template ", QuoteForError(request.template_id)));
  }
  if (absl::Status s = ValidateProfile(*tmpl, request.profile); !s.ok()) return s;

  // Per tenant: the request-id check and the launch count below must not race another create.
  KeyedMutex::Lock lock = tenant_locks_.Acquire(request.tenant);
  const std::string fingerprint = Fingerprint(request);
  if (!request_id.empty()) {
    absl::StatusOr<std::optional<std::string>> existing =
        store_->FindLaunchByRequestId(request.tenant, request_id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      absl::StatusOr<LaunchState> state = store_->LoadLaunch(**existing);
      if (!state.ok()) return state.status();
      if (state->launch.request_fingerprint != fingerprint) {
        return absl::AlreadyExistsError(absl::StrCat(
            "request_id: ", QuoteForError(request_id), " was already used by tenant '",
            request.tenant, "' for a different request (", api::LaunchName(state->launch.id), ")"));
      }
      Recompute(*state);
      return state;
    }
  }
  // Counted under the tenant's lock, so concurrent creates cannot both take the last place.
  absl::StatusOr<int64_t> launches = store_->CountLaunches(request.tenant);
  if (!launches.ok()) return launches.status();
  if (*launches >= limits_.max_launches_per_tenant) {
    return absl::ResourceExhaustedError(
        absl::StrCat("tenant ", request.tenant, " has ", *launches, " launches, the limit (",
                     limits_.max_launches_per_tenant, " per tenant)"));
  }

  const absl::Time now = clock_->Now();
  LaunchState state;
  Launch& launch = state.launch;
  launch.id = NewLaunchId();
  launch.tenant = request.tenant;
  launch.display_name = request.display_name;
  launch.owner = request.owner;
  launch.target_launch_date = *request.target_launch_date;
  launch.time_zone = request.time_zone;
  launch.profile = request.profile;
  launch.template_id = request.template_id;
  launch.blockers = ProfileBlockers(*tmpl, launch.profile);
  launch.request_id = request_id;
  launch.request_fingerprint = fingerprint;
  launch.create_time = now;
  launch.update_time = now;
  ApplyProfile(*tmpl, launch.profile, launch.id, &state.items);
  for (Item& item : state.items) item.update_time = now;
  Recompute(state);

  ChangeSet changes;
  changes.launch = launch;
  changes.events.push_back(
      LaunchEvent(EventType::kLaunchCreated, launch, actor, now,
                  absl::StrCat("created '", launch.display_name, "' for ", launch.tenant,
                               ", target ", FormatCivilDay(launch.target_launch_date))));
  for (const Item& item : state.items) {
    changes.items.push_back(item);
    changes.events.push_back(
        ItemEvent(EventType::kItemCreated, launch, item, actor, now,
                  absl::StrCat(ItemStatusName(item.status), ": ", item.applicability_reason)));
  }
  if (mode == WriteMode::kValidateOnly) return state;
  AttachRiskBounds(state, changes);
  absl::StatusOr<std::vector<Event>> committed = CommitAndPublish(changes);
  if (!committed.ok()) return committed.status();
  return state;
}

absl::StatusOr<LaunchState> LaunchService::GetLaunch(const std::string& launch_id,
                                                     bool with_items) {
  absl::StatusOr<LaunchRead> read = store_->ReadLaunch(launch_id, with_items);
  if (!read.ok()) return read.status();
  if (!with_items) {
    // Without items only a cached schedule can be used; on a miss read them after all (a commit
    // in between just means the newer state is what gets computed and cached).
    const ScheduleKey key{read->state.launch.id, read->state.launch.version, read->items_version,
                          Today(read->state.launch)};
    if (std::shared_ptr<const ScheduleResult> cached = schedule_cache_.Find(key)) {
      read->state.launch.schedule = cached->launch;
      return std::move(read->state);
    }
    read = store_->ReadLaunch(launch_id, /*with_items=*/true);
    if (!read.ok()) return read.status();
  }
  RecomputeCached(read->state, read->items_version);
  if (!with_items) read->state.items.clear();
  return std::move(read->state);
}

absl::StatusOr<LaunchService::LaunchStamp> LaunchService::GetLaunchStamp(
    const std::string& launch_id) {
  absl::StatusOr<LaunchRead> read = store_->ReadLaunch(launch_id, /*with_items=*/false);
  if (!read.ok()) return read.status();
  return LaunchStamp{read->state.launch.tenant, read->state.launch.version, read->items_version,
                     Today(read->state.launch)};
}

absl::StatusOr<LaunchPage> LaunchService::ListLaunches(const LaunchListFilter& filter,
                                                       const std::string& after_id, int page_size) {
  if (page_size < 0 || page_size > kMaxLaunchPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 0 and ", kMaxLaunchPageSize, ", got ", page_size));
  }
  if (page_size == 0) page_size = kDefaultLaunchPageSize;
  if (filter.store_filter.target_from && filter.store_filter.target_to &&
      *filter.store_filter.target_from > *filter.store_filter.target_to) {
    return absl::InvalidArgumentError("target_date_from: must not be after target_date_to");
  }
  LaunchFilter store_filter = filter.store_filter;
  // Only launches whose stored bound has come in any zone can be at risk; each is verified below.
  if (filter.at_risk_only) store_filter.at_risk_by = LatestToday();
  LaunchPage page;
  std::string cursor = after_id;
  int scanned = 0;
  while (static_cast<int>(page.launches.size()) < page_size) {
    // Read one more than needed so we know whether another page exists.
    const int want = page_size - static_cast<int>(page.launches.size()) + 1;
    absl::StatusOr<std::vector<LaunchState>> batch =
        store_->ListLaunches(store_filter, cursor, want);
    if (!batch.ok()) return batch.status();
    for (LaunchState& state : *batch) {
      if (static_cast<int>(page.launches.size()) == page_size) {
        page.next_after_id = page.launches.back().launch.id;
        return page;
      }
      cursor = state.launch.id;
      ++scanned;
      RecomputeCached(state, state.ItemsVersion());
      if (!filter.at_risk_only || state.launch.schedule.at_risk) {
        page.launches.push_back(std::move(state));
      }
    }
    if (static_cast<int>(batch->size()) < want) return page;  // the store has no more
    // The batch's last launch filled the page (at_risk_only skipped some before it): the store
    // has more, so the page needs a token even though no launch is left over to prove it.
    if (static_cast<int>(page.launches.size()) == page_size) {
      page.next_after_id = cursor;
      return page;
    }
    if (scanned >= kMaxLaunchesScannedPerCall) {
      page.next_after_id = cursor;
      return page;
    }
  }
  return page;
}

namespace {

// The today-independent filters, checked again on the item as read: the key and the launch come
// from two reads, and a write may fall between them.
bool MatchesStoredFilters(const ItemFilter& filter, const Item& item) {
  if (!filter.assignee.empty() && item.assignee != filter.assignee) return false;
  if (filter.open_only && IsDone(item.status)) return false;
  if (!filter.statuses.empty() && std::find(filter.statuses.begin(), filter.statuses.end(),
                                            item.status) == filter.statuses.end()) {
    return false;
  }
  const ItemSchedule& schedule = item.schedule;
  if (filter.start_before &&
      (!schedule.latest_start || *schedule.latest_start > *filter.start_before)) {
    return false;
  }
  if (filter.due_before &&
      (!schedule.latest_finish || *schedule.latest_finish > *filter.due_before)) {
    return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::optional<Item>> LaunchService::ReadItemAsOfToday(
    const ItemKey& key, std::map<std::string, ListedLaunch>& launches) {
  auto listed = launches.find(key.launch_id);
  if (listed == launches.end()) {
    // The launch without its items, and its schedule as of today when cached.
    absl::StatusOr<LaunchRead> read = store_->ReadLaunch(key.launch_id, /*with_items=*/false);
    if (absl::IsNotFound(read.status())) return std::nullopt;
    if (!read.ok()) return read.status();
    ListedLaunch entry;
    entry.key = ScheduleKey{read->state.launch.id, read->state.launch.version, read->items_version,
                            Today(read->state.launch)};
    entry.schedule = schedule_cache_.Find(entry.key);
    entry.launch = std::move(read->state.launch);
    if (entry.schedule != nullptr) entry.launch.schedule = entry.schedule->launch;
    listed = launches.emplace(key.launch_id, std::move(entry)).first;
  }
  ListedLaunch& entry = listed->second;
  if (entry.schedule != nullptr) {
    // One item read, checked to come from the state the cached schedule was computed for.
    absl::StatusOr<ItemRead> read = store_->ReadItem(key.launch_id, key.code);
    if (absl::IsNotFound(read.status())) return std::nullopt;
    if (!read.ok()) return read.status();
    if (read->launch_version == entry.key.launch_version &&
        read->items_version == entry.key.items_version) {
      const auto it = entry.schedule->items.find(key.code);
      read->item.schedule = it != entry.schedule->items.end() ? it->second : ItemSchedule{};
      return std::optional<Item>(std::move(read->item));
    }
  }
  // Not cached, or written since: the whole launch, computed (and cached) as GetLaunch does.
  absl::StatusOr<LaunchState> state = GetLaunch(key.launch_id);
  if (absl::IsNotFound(state.status())) return std::nullopt;
  if (!state.ok()) return state.status();
  entry.key = ScheduleKey{state->launch.id, state->launch.version, state->ItemsVersion(),
                          Today(state->launch)};
  entry.schedule = schedule_cache_.Find(entry.key);
  entry.launch = state->launch;
  const Item* item = state->FindItem(key.code);
  if (item == nullptr) return std::nullopt;
  return std::optional<Item>(*item);
}

absl::StatusOr<ItemPage> LaunchService::ListItems(const ItemListFilter& filter,
                                                  const std::optional<ItemKey>& after,
                                                  int page_size) {
  if (page_size < 0 || page_size > kMaxItemPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 0 and ", kMaxItemPageSize, ", got ", page_size));
  }
  if (page_size == 0) page_size = kDefaultItemPageSize;
  if (filter.store_filter.tenant.empty() && filter.store_filter.launch_id.empty()) {
    return absl::InvalidArgumentError("tenant: required when listing the items of every launch");
  }
  ItemFilter store_filter = filter.store_filter;
  // Candidates only; each is verified against its launch's schedule as of its own today.
  if (filter.at_risk_only) store_filter.at_risk_by = LatestToday();

  ItemPage page;
  std::optional<ItemKey> cursor = after;
  // Launches read for this page: several of its items often share one.
  std::map<std::string, ListedLaunch> launches;
  int scanned = 0;
  while (true) {
    const int want = page_size - static_cast<int>(page.items.size()) + 1;
    absl::StatusOr<std::vector<ItemKey>> keys = store_->ListItemKeys(store_filter, cursor, want);
    if (!keys.ok()) return keys.status();
    for (const ItemKey& key : *keys) {
      if (static_cast<int>(page.items.size()) == page_size) {
        page.next_after = cursor;
        return page;
      }
      cursor = key;
      ++scanned;
      absl::StatusOr<std::optional<Item>> item = ReadItemAsOfToday(key, launches);
      if (!item.ok()) return item.status();
      if (!item->has_value()) continue;
      const Launch& launch = launches.at(key.launch_id).launch;
      if (!store_filter.tenant.empty() && launch.tenant != store_filter.tenant) continue;
      if (!MatchesStoredFilters(store_filter, **item)) continue;
      if (filter.at_risk_only && !(*item)->schedule.at_risk) continue;
      if (filter.critical_only && !(*item)->schedule.critical) continue;
      page.items.push_back(**std::move(item));
      if (page.launches.count(key.launch_id) == 0) page.launches.emplace(key.launch_id, launch);
    }
    if (static_cast<int>(keys->size()) < want) return page;  // the store has no more
    if (static_cast<int>(page.items.size()) == page_size || scanned >= kMaxItemsScannedPerCall) {
      page.next_after = cursor;
      return page;
    }
  }
}

absl::StatusOr<LaunchState> LaunchService::UpdateLaunch(const std::string& launch_id,
                                                        const LaunchPatch& original_patch,
                                                        std::optional<int64_t> expected_version,
                                                        const Actor& actor, WriteMode mode) {
  LaunchPatch patch = original_patch;
  if (patch.service_categories) NormalizeCategories(*patch.service_categories);
  if (absl::Status s = ValidateLaunchPatch(patch); !s.ok()) return s;

  KeyedMutex::Lock lock = launch_locks_.Acquire(launch_id);
  absl::StatusOr<LaunchState> loaded = LoadForWrite(launch_id);
  if (!loaded.ok()) return loaded.status();
  LaunchState state = *std::move(loaded);
  Launch& launch = state.launch;
  if (absl::Status s = CheckExpectedVersion("the launch", launch.version, expected_version);
      !s.ok()) {
    return s;
  }
  const CompiledTemplate* tmpl = TemplateOf(launch);
  if (tmpl == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("launch uses template '", launch.template_id, "', which is no longer loaded"));
  }
  const std::map<std::string, ItemSchedule> persisted = PersistedSchedules(state);

  const Launch before = launch;
  if (patch.display_name) launch.display_name = *patch.display_name;
  if (patch.owner) launch.owner = *patch.owner;
  if (patch.target_launch_date) launch.target_launch_date = *patch.target_launch_date;
  if (patch.time_zone) {
    launch.time_zone = patch.time_zone->empty() ? std::string(kDefaultTimeZone) : *patch.time_zone;
  }
  if (patch.went_live_date) launch.went_live_date = *patch.went_live_date;
  if (patch.subject_type) launch.profile.subject_type = *patch.subject_type;
  if (patch.hosting) launch.profile.hosting = *patch.hosting;
  if (patch.takes_payments) launch.profile.takes_payments = *patch.takes_payments;
  if (patch.mini_game) launch.profile.mini_game = *patch.mini_game;
  if (patch.service_categories) launch.profile.service_categories = *patch.service_categories;
  if (patch.province) launch.profile.province = *patch.province;
  RecordAccountSubject(*tmpl, state, before.profile.subject_type);
  if (absl::Status s = ValidateProfile(*tmpl, launch.profile); !s.ok()) return s;
  if (launch.went_live_date && *launch.went_live_date > Today(launch)) {
    return absl::InvalidArgumentError(
        absl::StrCat("launch.went_live_date: ", FormatCivilDay(*launch.went_live_date),
                     " is in the future; record the go-live date once it has happened"));
  }

  std::vector<std::string> notes;
  NoteChange(notes, "display_name", before.display_name, launch.display_name, Quoted);
  NoteChange(notes, "owner", before.owner, launch.owner, Quoted);
  NoteChange(notes, "target_launch_date", before.target_launch_date, launch.target_launch_date,
             FormatCivilDay);
  NoteChange(notes, "time_zone", before.time_zone, launch.time_zone, Quoted);
  NoteChange(notes, "went_live_date", before.went_live_date, launch.went_live_date, DateOrNone);
  NoteChange(notes, "profile.subject_type", before.profile.subject_type,
             launch.profile.subject_type, SubjectTypeName);
  NoteChange(notes, "profile.hosting", before.profile.hosting, launch.profile.hosting, HostingName);
  NoteChange(notes, "profile.takes_payments", before.profile.takes_payments,
             launch.profile.takes_payments, [](bool b) { return b ? "true" : "false"; });
  NoteChange(notes, "profile.mini_game", before.profile.mini_game, launch.profile.mini_game,
             [](bool b) { return b ? "true" : "false"; });
  NoteChange(notes, "profile.service_categories", before.profile.service_categories,
             launch.profile.service_categories, [](const std::vector<std::string>& v) {
               return absl::StrCat("[", absl::StrJoin(v, ","), "]");
             });
  NoteChange(notes, "profile.province", before.profile.province, launch.profile.province,
             [](const std::string& p) { return p.empty() ? std::string("(none)") : Quoted(p); });
  NoteChange(notes, "account_subject_type", before.profile.account_subject_type,
             launch.profile.account_subject_type, [](v1::SubjectType t) {
               return t == v1::SUBJECT_TYPE_UNSPECIFIED ? std::string("(none)")
                                                        : std::string(SubjectTypeName(t));
             });
  if (notes.empty()) {
    // Nothing changed: no write, no event.
    return state;
  }

  const absl::Time now = clock_->Now();
  launch.blockers = ProfileBlockers(*tmpl, launch.profile);
  ++launch.version;
  launch.update_time = now;

  ChangeSet changes;
  std::vector<std::string> changed_codes;
  if (!(before.profile == launch.profile)) {
    std::vector<Item> previous = state.items;
    changed_codes = ApplyProfile(*tmpl, launch.profile, launch.id, &state.items);
    for (const std::string& code : changed_codes) {
      Item* item = state.FindItem(code);
      const auto old = std::find_if(previous.begin(), previous.end(),
                                    [&](const Item& p) { return p.code == code; });
      item->update_time = now;
      item->version = old == previous.end() ? 1 : old->version + 1;
    }
  }
  // Checked on the items as this change leaves them: a profile change in the same request may
  // make an item apply or not.
  if (launch.went_live_date && launch.went_live_date != before.went_live_date) {
    if (absl::Status s = CheckReadyToGoLive(*tmpl, state); !s.ok()) return s;
  }
  // The launch event first, then what it caused, in template order.
  Recompute(state);
  changes.launch = launch;
  changes.events.push_back(
      LaunchEvent(EventType::kLaunchUpdated, launch, actor, now, absl::StrJoin(notes, "; ")));
  for (const std::string& code : changed_codes) {
    const Item& item = *state.FindItem(code);
    changes.items.push_back(item);
    changes.events.push_back(
        ItemEvent(item.version == 1 ? EventType::kItemCreated : EventType::kItemUpdated, launch,
                  item, actor, now,
                  absl::StrCat("profile change: ", ItemStatusName(item.status), ": ",
                               item.applicability_reason)));
  }
  RecordScheduleMoves(state, persisted, changed_codes, actor, now, changes);
  if (mode == WriteMode::kValidateOnly) return state;
  AttachRiskBounds(state, changes);
  absl::StatusOr<std::vector<Event>> committed = CommitAndPublish(changes);
  if (!committed.ok()) return committed.status();
  return state;
}

}  // namespace preflight::checklist

namespace preflight::checklist {

absl::StatusOr<Item> LaunchService::UpdateItem(const std::string& launch_id,
                                               const std::string& code, const ItemPatch& patch,
                                               std::optional<int64_t> expected_version,
                                               const Actor& actor) {
  if (absl::Status s = ValidateItemPatch(patch); !s.ok()) return s;

  KeyedMutex::Lock lock = launch_locks_.Acquire(launch_id);
  absl::StatusOr<LaunchState> loaded = LoadForWrite(launch_id);
  if (!loaded.ok()) return loaded.status();
  LaunchState state = *std::move(loaded);
  Item* item = state.FindItem(code);
  if (item == nullptr) {
    return absl::NotFoundError(absl::StrCat("item ", api::ItemName(launch_id, code), " not found"));
  }
  if (absl::Status s = CheckExpectedVersion("the item", item->version, expected_version); !s.ok()) {
    return s;
  }
  const std::map<std::string, ItemSchedule> persisted = PersistedSchedules(state);
  const Item before = *item;
  const absl::CivilDay today = Today(state.launch);

  if (patch.assignee) item->assignee = *patch.assignee;
  if (patch.notes) item->notes = *patch.notes;
  if (patch.evidence) item->evidence = *patch.evidence;
  std::vector<std::string> material_notes;
  if (patch.materials) {
    absl::StatusOr<std::vector<std::string>> changed = SetMaterials(*item, *patch.materials);
    if (!changed.ok()) return changed.status();
    material_notes = *std::move(changed);
  }
  if (patch.official_number) item->official_number = *patch.official_number;
  if (patch.waiver_reason) item->waiver_reason = *patch.waiver_reason;
  if (patch.due_date) {
    if (item->custom && !patch.due_date->has_value()) {
      return absl::InvalidArgumentError("item.due_date: a custom item needs a due date");
    }
    item->due_date = *patch.due_date;
  }
  if (patch.status && *patch.status != item->status) {
    if (absl::Status s = CheckTransition(*item, *patch.status); !s.ok()) return s;
    if (absl::Status s = CheckDependenciesFinished(state, *item, *patch.status); !s.ok()) return s;
    if (*patch.status == ItemStatus::kWaived && item->waiver_reason.empty()) {
      return absl::InvalidArgumentError(
          "item.waiver_reason: required when status is WAIVED (say why the item is not needed)");
    }
    ApplyTransition(*item, *patch.status, today, patch.expiry_date.has_value());
  }
  if (patch.expiry_date) item->expiry_date = *patch.expiry_date;

  std::vector<std::string> notes;
  NoteChange(notes, "status", before.status, item->status, ItemStatusName);
  NoteChange(notes, "attempts", before.attempts, item->attempts,
             [](int n) { return absl::StrCat(n); });
  // Whether the submission cost a new order, so the audit log shows what was paid.
  if (std::string fee = DescribeFeeChange(before, *item); !fee.empty()) {
    notes.push_back(std::move(fee));
  }
  NoteChange(notes, "assignee", before.assignee, item->assignee, Quoted);
  NoteChange(notes, "notes", before.notes, item->notes, Quoted);
  NoteChange(notes, "evidence", before.evidence, item->evidence,
             [](const std::vector<Evidence>& v) { return absl::StrCat(v.size(), " link(s)"); });
  for (std::string& note : material_notes) notes.push_back(std::move(note));
  NoteChange(notes, "official_number", before.official_number, item->official_number, Quoted);
  NoteChange(notes, "expiry_date", before.expiry_date, item->expiry_date, DateOrNone);
  NoteChange(notes, "waiver_reason", before.waiver_reason, item->waiver_reason, Quoted);
  NoteChange(notes, "due_date", before.due_date, item->due_date, DateOrNone);
  if (notes.empty()) {
    Recompute(state);
    return *state.FindItem(code);
  }

  const absl::Time now = clock_->Now();
  Touch(*item, now);
  Recompute(state);
  item = state.FindItem(code);
  ChangeSet changes;
  changes.items.push_back(*item);
  changes.events.push_back(ItemEvent(EventType::kItemUpdated, state.launch, *item, actor, now,
                                     absl::StrJoin(notes, "; ")));
  RecordScheduleMoves(state, persisted, {code}, actor, now, changes);
  AttachRiskBounds(state, changes);
  absl::StatusOr<std::vector<Event>> committed = CommitAndPublish(changes);
  if (!committed.ok()) return committed.status();
  Item updated = *state.FindItem(code);
  written_.Put(std::move(state));
  return updated;
}

absl::StatusOr<Item> LaunchService::AddItem(const std::string& launch_id, const NewItem& request,
                                            const Actor& actor) {
  if (absl::Status s = ValidateNewItem(request); !s.ok()) return s;

  KeyedMutex::Lock lock = launch_locks_.Acquire(launch_id);
  absl::StatusOr<LaunchState> loaded = LoadForWrite(launch_id);
  if (!loaded.ok()) return loaded.status();
  LaunchState state = *std::move(loaded);
  const CompiledTemplate* tmpl = TemplateOf(state.launch);
  if (!request.group.empty() && request.group != kCustomItemGroup &&
      (tmpl == nullptr || !tmpl->HasGroup(request.group))) {
    std::vector<std::string> groups = {std::string(kCustomItemGroup)};
    if (tmpl != nullptr) {
      for (const v1::ItemGroup& group : tmpl->proto().groups()) groups.push_back(group.code());
    }
    return absl::InvalidArgumentError(
        absl::StrCat("item.group: unknown group ", QuoteForError(request.group),
                     " (expected one of: ", absl::StrJoin(groups, ", "), ")"));
  }
  if (state.FindItem(request.code) != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("item.code: ", api::LaunchName(launch_id),
                                                 " already has an item ", request.code));
  }
  if (static_cast<int64_t>(state.items.size()) >= limits_.max_items_per_launch) {
    return absl::ResourceExhaustedError(absl::StrCat(api::LaunchName(launch_id), " has ",
                                                     state.items.size(), " items, the limit (",
                                                     limits_.max_items_per_launch, " per launch)"));
  }
  Item item;
  item.launch_id = launch_id;
  item.code = request.code;
  item.title_en = request.title_en;
  item.title_zh = request.title_zh;
  item.group = request.group.empty() ? std::string(kCustomItemGroup) : request.group;
  item.custom = true;
  item.applicability_reason = absl::StrCat("custom item added by ", actor.name);
  for (const std::string& dependency : request.depends_on) {
    if (state.FindItem(dependency) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("item.depends_on: ", api::LaunchName(launch_id), " has no item ",
                       QuoteForError(dependency)));
    }
    item.depends_on.push_back(Dependency{dependency, 0});
  }
  item.duration = DurationSpec{
      v1::DAY_UNIT_WORKING_DAYS, request.duration_min.value_or(request.duration_working_days),
      request.duration_working_days, request.duration_max.value_or(request.duration_working_days)};
  item.due_date = request.due_date;
  item.assignee = request.assignee;
  item.notes = request.notes;

  const std::map<std::string, ItemSchedule> persisted = PersistedSchedules(state);
  const absl::Time now = clock_->Now();
  item.update_time = now;
  state.items.push_back(item);
  Recompute(state);
  const Item& added = *state.FindItem(request.code);
  ChangeSet changes;
  changes.items.push_back(added);
  changes.events.push_back(ItemEvent(
      EventType::kItemCreated, state.launch, added, actor, now,
      absl::StrCat("custom item '", added.title_en, "', due ", DateOrNone(added.due_date))));
  RecordScheduleMoves(state, persisted, {request.code}, actor, now, changes);
  AttachRiskBounds(state, changes);
  absl::StatusOr<std::vector<Event>> committed = CommitAndPublish(changes);
  if (!committed.ok()) return committed.status();
  Item created = *state.FindItem(request.code);
  written_.Put(std::move(state));
  return created;
}

absl::StatusOr<Readiness> LaunchService::GetReadiness(const std::string& launch_id) {
  absl::StatusOr<LaunchState> state = GetLaunch(launch_id);
  if (!state.ok()) return state.status();
  Readiness readiness;
  readiness.schedule = state->launch.schedule;
  readiness.blockers = state->launch.blockers;
  for (const Item& item : state->items) {
    if (item.status == ItemStatus::kNotApplicable) continue;
    ++readiness.items_total;
    if (IsDone(item.status)) {
      ++readiness.items_done;
      continue;
    }
    // Post-launch obligations (public-security filing) are due after going live, so they do not
    // hold the launch back.
    if (DueAfterLaunch(item.deadline)) continue;
    readiness.blockers.push_back(Blocker{
        item.code,
        absl::StrCat(item.code, " (", item.title_en, ") is ", ItemStatusName(item.status),
                     item.schedule.latest_finish
                         ? absl::StrCat(", due ", FormatCivilDay(*item.schedule.latest_finish))
                         : "",
                     item.schedule.at_risk ? ", at risk" : ""),
        item.code});
  }
  readiness.ready = readiness.blockers.empty();
  return readiness;
}

absl::StatusOr<EventPage> LaunchService::ListEvents(const std::string& launch_id,
                                                    int64_t after_sequence, int page_size) {
  if (page_size < 0 || page_size > kMaxEventPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 0 and ", kMaxEventPageSize, ", got ", page_size));
  }
  if (page_size == 0) page_size = kDefaultEventPageSize;
  absl::StatusOr<std::vector<Event>> events =
      store_->ListLaunchEvents(launch_id, after_sequence, page_size + 1);
  if (!events.ok()) return events.status();
  if (events->empty()) {
    // Tell an unknown launch from one with no further events.
    absl::StatusOr<LaunchState> state = store_->LoadLaunch(launch_id);
    if (!state.ok()) return state.status();
  }
  EventPage page;
  if (static_cast<int>(events->size()) > page_size) {
    events->resize(page_size);
    page.next_after_sequence = events->back().sequence;
  }
  page.events = *std::move(events);
  return page;
}

}  // namespace preflight::checklist
