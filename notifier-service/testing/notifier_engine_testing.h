#pragma once

// Fixtures for tests of the notifier's engine and of what runs on it: a NotifierEngine with its
// real collaborators (SQLite store in a temporary folder, default reminder policy, built-in
// calendar, rate budget) and the clock and channels the test chooses, a settable source of the
// checklist's item versions, and builders of the checklist events the engine is fed. Library
// notifier_testing (notifier_engine, notifier_storage; no gRPC).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/working_calendar.h"
#include "notifier-service/domain/reminder_policy.h"
#include "notifier-service/engine/crash_points.h"
#include "notifier-service/engine/delivery_worker.h"
#include "notifier-service/engine/item_version_source.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/engine/rate_budget.h"
#include "notifier-service/storage/sqlite_notifier_store.h"
#include "preflight/v1/checklist.pb.h"
#include "tests/testing/temp_dir.h"

namespace preflight::testing {

// The checklist's item versions as a test sets them. A launch nobody set is gone (NOT_FOUND).
class FakeVersions final : public notifier::ItemVersionSource {
 public:
  absl::StatusOr<std::map<std::string, int64_t>> ItemVersions(absl::string_view launch_id) override;
  void Set(const std::string& launch_id, const std::string& code, int64_t version);

 private:
  absl::Mutex mu_;
  std::map<std::string, std::map<std::string, int64_t>> versions_ ABSL_GUARDED_BY(mu_);
};

// ---- Checklist events
// ------------------------------------------------------------------------------

struct LaunchSpec {
  std::string id = "l1";
  std::string tenant = "acme";
  std::string display_name = "Acme shop";
  std::string owner = "boss";
  std::string time_zone = "Asia/Shanghai";
  std::string target_launch_date = "2026-10-30";
  std::string etag = "1-aaaaaaaaaaaa";
  int64_t version = 1;
  // The event's time; unset when absent.
  std::optional<absl::Time> time;
};

// TYPE_LAUNCH_CREATED with the launch's snapshot.
v1::Event LaunchEvent(int64_t sequence, const LaunchSpec& spec);
inline v1::Event LaunchEvent(int64_t sequence, const std::string& id) {
  LaunchSpec spec;
  spec.id = id;
  return LaunchEvent(sequence, spec);
}

struct ItemSpec {
  std::string code = "ICP_FILING";
  std::string assignee = "li.na";
  int64_t version = 1;
  v1::ItemStatus status = v1::ITEM_STATUS_NOT_STARTED;
  std::string latest_start = "2026-09-21";
  std::string latest_finish = "2026-10-09";
  std::string due_date;
  std::string title_en = "ICP filing";
  std::string title_zh = "ICP 备案";
  std::string tenant = "acme";
  // Empty: "<version>-bbbbbbbbbbbb".
  std::string etag;
  // The event's time; unset when absent.
  std::optional<absl::Time> time;
};

// TYPE_ITEM_CREATED (version 1) or TYPE_ITEM_UPDATED with the item's snapshot.
v1::Event ItemEvent(int64_t sequence, const std::string& launch_id, const ItemSpec& spec);

// The launch and item the gRPC tests feed: launch `launch_id` of `tenant` (owner wang.wei, target
// 30 April 2026) and its item ICP_FILING assigned to `assignee`, latest start Thursday 5 March and
// latest finish Thursday 12 March 2026; etags "1-abc", both events at `now`.
LaunchSpec SpringLaunch(const std::string& launch_id, const std::string& tenant,
                        const std::string& display_name, absl::Time now);
ItemSpec SpringItem(const std::string& tenant, const std::string& assignee, absl::Time now);

// ---- The engine --------------------------------------------------------------------------------

// A NotifierEngine on what it runs on in production, but for the clock and the channels.
//
//   FakeClock clock_{...};
//   testing::NotifierTestbed notifier_{&clock_};
//   void SetUp() override {
//     notifier_.AddLogChannel();
//     ASSERT_OK(notifier_.Open());
//   }
class NotifierTestbed {
 public:
  struct Options {
    notifier::NotifierEngineOptions engine = InlineSends();
    // Called at the engine's crash points (crash_points.h).
    notifier::CrashHook crash_hook;
    // The store's file in dir().
    std::string db_file = "notifier.db";
    // Whether the store dates what it writes by the test's clock (else by the real one).
    bool store_on_test_clock = true;
  };
  // Sends inline, as a test that steps the engine by hand with RunOnce wants.
  static notifier::NotifierEngineOptions InlineSends();

  // `clock` (owned by the test, outliving the testbed) is what the engine, the store and the log
  // channel read.
  explicit NotifierTestbed(const Clock* clock) : clock_(clock) {}
  NotifierTestbed(const NotifierTestbed&) = delete;
  NotifierTestbed& operator=(const NotifierTestbed&) = delete;
  ~NotifierTestbed();

  // The channels the engine sends through; set them up before Open.
  notifier::ChannelSet& channels() { return channels_; }
  // Adds a LogChannel writing to log().
  void AddLogChannel();

  // (Re)opens the store and a new engine on it, as a process start does, and recovers it.
  absl::Status Open(const Options& options);
  absl::Status Open() { return Open(Options()); }
  // Closes the engine, then the store.
  void Close();

  // Feeds `event` to the engine's event sink, as the subscriber does; an item snapshot's version
  // becomes the checklist's current version of that item (versions()).
  absl::Status Apply(const v1::Event& event);
  // Feeds `events` as one batch, as the subscriber does with a backlog page.
  absl::Status ApplyBatch(const std::vector<v1::Event>& events);

  const TempDir& dir() const { return dir_; }
  notifier::NotifierEngine* engine() const { return engine_.get(); }
  notifier::SqliteNotifierStore* store() const { return store_.get(); }
  const WorkingCalendar* calendar() const { return calendar_.get(); }
  FakeVersions& versions() { return versions_; }
  notifier::ReminderPolicy& policy() { return policy_; }
  // What the log channel wrote.
  std::string log() const { return log_.str(); }

 private:
  const Clock* const clock_;
  TempDir dir_;
  notifier::ReminderPolicy policy_ = notifier::DefaultReminderPolicy();
  std::unique_ptr<WorkingCalendar> calendar_;
  std::ostringstream log_;
  notifier::ChannelSet channels_;
  notifier::RateBudget budget_;
  FakeVersions versions_;
  std::unique_ptr<notifier::SqliteNotifierStore> store_;
  std::unique_ptr<notifier::NotifierEngine> engine_;
};

}  // namespace preflight::testing
