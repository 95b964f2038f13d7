#include "checklist-service/testing/launch_service_testing.h"

#include <utility>

#include "absl/time/civil_time.h"
#include "common/testing/working_calendar_testing.h"
#include "gtest/gtest.h"

namespace preflight::testing {

using checklist::ChangeSet;
using checklist::Event;
using checklist::ItemFilter;
using checklist::ItemKey;
using checklist::LaunchFilter;
using checklist::LaunchRead;
using checklist::LaunchState;
using checklist::LogEpoch;

const char kBuiltinTemplatesDir[] = PREFLIGHT_SOURCE_DIR "/data/templates";

absl::StatusOr<std::unique_ptr<checklist::TemplateCatalog>> LoadBuiltinTemplates() {
  absl::StatusOr<checklist::TemplateCatalog> catalog =
      checklist::TemplateCatalog::LoadFromDirectories({kBuiltinTemplatesDir});
  if (!catalog.ok()) return catalog.status();
  return std::make_unique<checklist::TemplateCatalog>(*std::move(catalog));
}

// ---- ChecklistTestbed ---------------------------------------------------------------------------

absl::Status ChecklistTestbed::Open(const checklist::SqliteChecklistStore::Options& options) {
  absl::StatusOr<std::unique_ptr<checklist::TemplateCatalog>> catalog = LoadBuiltinTemplates();
  if (!catalog.ok()) return catalog.status();
  catalog_ = *std::move(catalog);
  absl::StatusOr<std::unique_ptr<WorkingCalendar>> calendar = LoadBuiltinCalendar();
  if (!calendar.ok()) return calendar.status();
  calendar_ = *std::move(calendar);
  absl::StatusOr<std::unique_ptr<checklist::SqliteChecklistStore>> store =
      checklist::SqliteChecklistStore::Open(dir_.Join("checklist.db"), options);
  if (!store.ok()) return store.status();
  store_ = *std::move(store);
  return absl::OkStatus();
}

checklist::SqliteChecklistStore::Options ChecklistTestbed::FastStore() {
  checklist::SqliteChecklistStore::Options options;
  options.synchronous = checklist::SqliteChecklistStore::Options::Synchronous::kOff;
  return options;
}

std::unique_ptr<checklist::LaunchService> ChecklistTestbed::NewService(
    checklist::ChecklistStore* store, checklist::EventHub* hub,
    checklist::LaunchServiceLimits limits) {
  return std::make_unique<checklist::LaunchService>(store != nullptr ? store : store_.get(),
                                                    catalog_.get(), calendar_.get(), clock_, hub,
                                                    limits);
}

// ---- Launches and events
// --------------------------------------------------------------------------

checklist::NewLaunch ShopLaunch(const std::string& tenant) {
  checklist::NewLaunch request;
  request.tenant = tenant;
  request.display_name = "Shop";
  request.owner = "zhang.wei";
  request.target_launch_date = absl::CivilDay(2026, 12, 15);
  request.profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  request.profile.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
  return request;
}

std::string CreateShopLaunch(checklist::LaunchService& service, const std::string& tenant) {
  absl::StatusOr<LaunchState> state =
      service.CreateLaunch(ShopLaunch(tenant), "", checklist::Actor{"tester"});
  EXPECT_TRUE(state.ok()) << state.status();
  return state.ok() ? state->launch.id : "";
}

void TouchItem(checklist::LaunchService& service, const std::string& launch_id,
               const std::string& notes) {
  checklist::ItemPatch patch;
  patch.notes = notes;
  absl::Status status =
      service.UpdateItem(launch_id, "MP_ACCOUNT", patch, std::nullopt, checklist::Actor{"tester"})
          .status();
  EXPECT_TRUE(status.ok()) << status;
}

int64_t LastSequence(checklist::ChecklistStore& store) {
  absl::StatusOr<int64_t> head = store.LastSequence();
  EXPECT_TRUE(head.ok()) << head.status();
  return head.value_or(0);
}

std::vector<int64_t> Iota(int64_t first, int64_t last) {
  std::vector<int64_t> out;
  for (int64_t s = first; s <= last; ++s) out.push_back(s);
  return out;
}

// ---- ForwardingChecklistStore -------------------------------------------------------------------

absl::StatusOr<LaunchState> ForwardingChecklistStore::LoadLaunch(absl::string_view id) {
  return real_->LoadLaunch(id);
}
absl::StatusOr<LaunchRead> ForwardingChecklistStore::ReadLaunch(absl::string_view id,
                                                                bool with_items) {
  return real_->ReadLaunch(id, with_items);
}
absl::StatusOr<std::optional<std::string>> ForwardingChecklistStore::FindLaunchByRequestId(
    absl::string_view tenant, absl::string_view request_id) {
  return real_->FindLaunchByRequestId(tenant, request_id);
}
absl::StatusOr<std::vector<LaunchState>> ForwardingChecklistStore::ListLaunches(
    const LaunchFilter& filter, absl::string_view after_id, int limit) {
  return real_->ListLaunches(filter, after_id, limit);
}
absl::StatusOr<checklist::ItemRead> ForwardingChecklistStore::ReadItem(absl::string_view id,
                                                                       absl::string_view code) {
  return real_->ReadItem(id, code);
}
absl::StatusOr<std::vector<ItemKey>> ForwardingChecklistStore::ListItemKeys(
    const ItemFilter& filter, const std::optional<ItemKey>& after, int limit) {
  return real_->ListItemKeys(filter, after, limit);
}
absl::StatusOr<std::vector<Event>> ForwardingChecklistStore::ListLaunchEvents(absl::string_view id,
                                                                              int64_t after,
                                                                              int limit) {
  return real_->ListLaunchEvents(id, after, limit);
}
absl::StatusOr<std::vector<Event>> ForwardingChecklistStore::ReadEvents(int64_t after, int limit) {
  return real_->ReadEvents(after, limit);
}
absl::StatusOr<int64_t> ForwardingChecklistStore::LastSequence() { return real_->LastSequence(); }
absl::StatusOr<std::vector<LogEpoch>> ForwardingChecklistStore::LogEpochs() {
  return real_->LogEpochs();
}
absl::StatusOr<std::vector<Event>> ForwardingChecklistStore::Commit(const ChangeSet& changes) {
  return real_->Commit(changes);
}
absl::StatusOr<std::string> ForwardingChecklistStore::GetOrCreateSecret(absl::string_view name) {
  return real_->GetOrCreateSecret(name);
}

// ---- ObservedChecklistStore ---------------------------------------------------------------------

absl::StatusOr<std::vector<Event>> ObservedChecklistStore::ListLaunchEvents(absl::string_view id,
                                                                            int64_t after,
                                                                            int limit) {
  return Observe(real()->ListLaunchEvents(id, after, limit), limit);
}

absl::StatusOr<std::vector<Event>> ObservedChecklistStore::ReadEvents(int64_t after, int limit) {
  return Observe(real()->ReadEvents(after, limit), limit);
}

void ObservedChecklistStore::FailReads(absl::Status status) {
  absl::MutexLock lock(&mu_);
  read_failure_ = std::move(status);
}

bool ObservedChecklistStore::WaitForShortReads(int count) {
  absl::MutexLock lock(&mu_);
  const auto reached = [&] { return short_reads_ >= count; };
  return mu_.AwaitWithTimeout(absl::Condition(&reached), kPatience);
}

absl::StatusOr<std::vector<Event>> ObservedChecklistStore::Observe(
    absl::StatusOr<std::vector<Event>> page, int limit) {
  absl::MutexLock lock(&mu_);
  if (!read_failure_.ok()) return read_failure_;
  if (page.ok() && static_cast<int>(page->size()) < limit) ++short_reads_;
  return page;
}

}  // namespace preflight::testing
