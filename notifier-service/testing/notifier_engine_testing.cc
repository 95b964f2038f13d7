#include "notifier-service/testing/notifier_engine_testing.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/resource_names.h"
#include "common/testing/working_calendar_testing.h"
#include "notifier-service/channels/log_channel.h"
#include "notifier-service/checklist_link/event_translation.h"

namespace preflight::testing {
namespace {

void SetTime(absl::Time time, google::protobuf::Timestamp* out) {
  // ToUnixSeconds rounds towards the past, so the nanos are never negative.
  const int64_t seconds = absl::ToUnixSeconds(time);
  out->set_seconds(seconds);
  out->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
}

}  // namespace

// ---- FakeVersions -------------------------------------------------------------------------------

absl::StatusOr<std::map<std::string, int64_t>> FakeVersions::ItemVersions(
    absl::string_view launch_id) {
  absl::MutexLock lock(&mu_);
  auto found = versions_.find(std::string(launch_id));
  if (found == versions_.end()) return absl::NotFoundError("no such launch");
  return found->second;
}

void FakeVersions::Set(const std::string& launch_id, const std::string& code, int64_t version) {
  absl::MutexLock lock(&mu_);
  versions_[launch_id][code] = version;
}

// ---- Checklist events ---------------------------------------------------------------------------

v1::Event LaunchEvent(int64_t sequence, const LaunchSpec& spec) {
  v1::Event event;
  event.set_sequence(sequence);
  event.set_type(v1::Event::TYPE_LAUNCH_CREATED);
  event.set_tenant(spec.tenant);
  event.set_launch(api::LaunchName(spec.id));
  if (spec.time.has_value()) SetTime(*spec.time, event.mutable_time());
  v1::Launch* launch = event.mutable_launch_snapshot();
  launch->set_name(api::LaunchName(spec.id));
  launch->set_tenant(spec.tenant);
  launch->set_display_name(spec.display_name);
  launch->set_owner(spec.owner);
  launch->set_time_zone(spec.time_zone);
  launch->set_target_launch_date(spec.target_launch_date);
  launch->set_etag(spec.etag);
  launch->set_version(spec.version);
  return event;
}

v1::Event ItemEvent(int64_t sequence, const std::string& launch_id, const ItemSpec& spec) {
  v1::Event event;
  event.set_sequence(sequence);
  event.set_type(spec.version == 1 ? v1::Event::TYPE_ITEM_CREATED : v1::Event::TYPE_ITEM_UPDATED);
  event.set_tenant(spec.tenant);
  event.set_launch(api::LaunchName(launch_id));
  event.set_item_code(spec.code);
  if (spec.time.has_value()) SetTime(*spec.time, event.mutable_time());
  v1::Item* item = event.mutable_item_snapshot();
  item->set_name(api::ItemName(launch_id, spec.code));
  item->set_code(spec.code);
  item->set_title_en(spec.title_en);
  item->set_title_zh(spec.title_zh);
  item->set_status(spec.status);
  item->set_assignee(spec.assignee);
  item->set_due_date(spec.due_date);
  item->mutable_schedule()->set_latest_start_date(spec.latest_start);
  item->mutable_schedule()->set_latest_finish_date(spec.latest_finish);
  item->set_etag(spec.etag.empty() ? absl::StrCat(spec.version, "-bbbbbbbbbbbb") : spec.etag);
  item->set_version(spec.version);
  return event;
}

LaunchSpec SpringLaunch(const std::string& launch_id, const std::string& tenant,
                        const std::string& display_name, absl::Time now) {
  LaunchSpec launch;
  launch.id = launch_id;
  launch.tenant = tenant;
  launch.display_name = display_name;
  launch.owner = "wang.wei";
  launch.target_launch_date = "2026-04-30";
  launch.etag = "1-abc";
  launch.time = now;
  return launch;
}

ItemSpec SpringItem(const std::string& tenant, const std::string& assignee, absl::Time now) {
  ItemSpec item;
  item.tenant = tenant;
  item.assignee = assignee;
  item.latest_start = "2026-03-05";
  item.latest_finish = "2026-03-12";
  item.etag = "1-abc";
  item.time = now;
  return item;
}

// ---- NotifierTestbed ----------------------------------------------------------------------------

notifier::NotifierEngineOptions NotifierTestbed::InlineSends() {
  notifier::NotifierEngineOptions options;
  options.send_threads = 0;
  return options;
}

NotifierTestbed::~NotifierTestbed() { Close(); }

void NotifierTestbed::AddLogChannel() {
  channels_[notifier::ChannelType::kLog] = std::make_unique<notifier::LogChannel>(&log_, clock_);
}

absl::Status NotifierTestbed::Open(const Options& options) {
  Close();
  if (calendar_ == nullptr) {
    absl::StatusOr<std::unique_ptr<WorkingCalendar>> calendar = LoadBuiltinCalendar();
    if (!calendar.ok()) return calendar.status();
    calendar_ = *std::move(calendar);
  }
  absl::StatusOr<std::unique_ptr<notifier::SqliteNotifierStore>> store =
      notifier::SqliteNotifierStore::Open(dir_.Join(options.db_file),
                                          notifier::SqliteNotifierStore::Options{},
                                          options.store_on_test_clock ? clock_ : nullptr);
  if (!store.ok()) return store.status();
  store_ = *std::move(store);
  engine_ = std::make_unique<notifier::NotifierEngine>(store_.get(), &policy_, calendar_.get(),
                                                       &channels_, &budget_, &versions_, clock_,
                                                       options.engine, options.crash_hook);
  return engine_->Recover();
}

void NotifierTestbed::Close() {
  engine_.reset();
  store_.reset();
}

absl::Status NotifierTestbed::Apply(const v1::Event& event) { return ApplyBatch({event}); }

absl::Status NotifierTestbed::ApplyBatch(const std::vector<v1::Event>& events) {
  std::vector<notifier::ChecklistEvent> translated;
  for (const v1::Event& event : events) {
    absl::StatusOr<notifier::ChecklistEvent> one = notifier::TranslateEvent(event);
    if (!one.ok()) return one.status();
    translated.push_back(*std::move(one));
  }
  absl::Status applied = engine_->event_sink()->ApplyBatch(translated);
  if (!applied.ok()) return applied;
  for (const v1::Event& event : events) {
    if (!event.has_item_snapshot()) continue;
    const std::string launch_id = api::ParseLaunchName(event.launch(), "event.launch").value_or("");
    versions_.Set(launch_id, event.item_snapshot().code(), event.item_snapshot().version());
  }
  return absl::OkStatus();
}

}  // namespace preflight::testing
