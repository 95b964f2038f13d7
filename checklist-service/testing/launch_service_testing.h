#pragma once

// Fixtures for tests of the checklist's domain and of what runs on it: a LaunchService with its
// real collaborators (the built-in templates and calendar, a SQLite store in a temporary folder)
// and a clock the test owns, and ChecklistStore wrappers that fail or observe chosen calls.
// Library checklist_testing (checklist_domain, checklist_storage; no gRPC).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/template_catalog.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "common/clock.h"
#include "common/working_calendar.h"
#include "tests/testing/temp_dir.h"

namespace preflight::testing {

// How long a test waits for something that should happen at once.
inline constexpr absl::Duration kPatience = absl::Seconds(30);

// data/templates, the folder the checklist service loads its templates from by default.
extern const char kBuiltinTemplatesDir[];

// The built-in templates, loaded as the service loads them.
absl::StatusOr<std::unique_ptr<checklist::TemplateCatalog>> LoadBuiltinTemplates();

// What a LaunchService runs on, real but for the clock: the built-in templates and calendar and
// a SQLite store in a temporary folder of its own.
//
//   FakeClock clock_{...};
//   testing::ChecklistTestbed checklist_{&clock_};
//   void SetUp() override {
//     ASSERT_OK(checklist_.Open());
//     service_ = checklist_.NewService();
//   }
class ChecklistTestbed {
 public:
  // `clock` (owned by the test, outliving the testbed) is what the services made here read.
  explicit ChecklistTestbed(const Clock* clock) : clock_(clock) {}
  ChecklistTestbed(const ChecklistTestbed&) = delete;
  ChecklistTestbed& operator=(const ChecklistTestbed&) = delete;

  // Loads the templates and calendar and opens the store with `options`.
  absl::Status Open(const checklist::SqliteChecklistStore::Options& options = {});

  // The options of a store whose durability is not under test: no fsyncs to slow writers down.
  static checklist::SqliteChecklistStore::Options FastStore();

  // A LaunchService on `store` (the SQLite store when null) with `hub` and `limits`.
  std::unique_ptr<checklist::LaunchService> NewService(checklist::ChecklistStore* store = nullptr,
                                                       checklist::EventHub* hub = nullptr,
                                                       checklist::LaunchServiceLimits limits = {});

  const TempDir& dir() const { return dir_; }
  const Clock* clock() const { return clock_; }
  const checklist::TemplateCatalog* catalog() const { return catalog_.get(); }
  const WorkingCalendar* calendar() const { return calendar_.get(); }
  checklist::SqliteChecklistStore* store() const { return store_.get(); }

 private:
  const Clock* const clock_;
  TempDir dir_;
  std::unique_ptr<checklist::TemplateCatalog> catalog_;
  std::unique_ptr<WorkingCalendar> calendar_;
  std::unique_ptr<checklist::SqliteChecklistStore> store_;
};

// ---- Launches and events
// --------------------------------------------------------------------------

// A launch of `tenant` named "Shop" (owner zhang.wei, target 15 December 2026): an enterprise on
// its own mainland server, with the default template.
checklist::NewLaunch ShopLaunch(const std::string& tenant = "acme");

// Creates ShopLaunch(tenant) as actor "tester" and returns its id ("" when refused, which fails
// the test).
std::string CreateShopLaunch(checklist::LaunchService& service, const std::string& tenant = "acme");

// One change, one event: sets the notes of the launch's item MP_ACCOUNT as actor "tester".
void TouchItem(checklist::LaunchService& service, const std::string& launch_id,
               const std::string& notes);

// The store's last event sequence (0 when it cannot be read, which fails the test).
int64_t LastSequence(checklist::ChecklistStore& store);

// first, first + 1, ..., last (empty when last < first).
std::vector<int64_t> Iota(int64_t first, int64_t last);

// ---- Stores
// --------------------------------------------------------------------------------------

// A ChecklistStore that passes every call on to another store. Tests derive from it to fail or
// watch the calls they care about. CountLaunches is left to the interface's default (it pages
// through ListLaunches).
class ForwardingChecklistStore : public checklist::ChecklistStore {
 public:
  explicit ForwardingChecklistStore(checklist::ChecklistStore* real) : real_(real) {}

  absl::StatusOr<checklist::LaunchState> LoadLaunch(absl::string_view id) override;
  absl::StatusOr<checklist::LaunchRead> ReadLaunch(absl::string_view id, bool with_items) override;
  absl::StatusOr<checklist::ItemRead> ReadItem(absl::string_view id,
                                               absl::string_view code) override;
  absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(
      absl::string_view tenant, absl::string_view request_id) override;
  absl::StatusOr<std::vector<checklist::LaunchState>> ListLaunches(
      const checklist::LaunchFilter& filter, absl::string_view after_id, int limit) override;
  absl::StatusOr<std::vector<checklist::ItemKey>> ListItemKeys(
      const checklist::ItemFilter& filter, const std::optional<checklist::ItemKey>& after,
      int limit) override;
  absl::StatusOr<std::vector<checklist::Event>> ListLaunchEvents(absl::string_view id,
                                                                 int64_t after, int limit) override;
  absl::StatusOr<std::vector<checklist::Event>> ReadEvents(int64_t after, int limit) override;
  absl::StatusOr<int64_t> LastSequence() override;
  absl::StatusOr<std::vector<checklist::LogEpoch>> LogEpochs() override;
  absl::StatusOr<std::vector<checklist::Event>> Commit(
      const checklist::ChangeSet& changes) override;
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) override;

 protected:
  checklist::ChecklistStore* real() const { return real_; }

 private:
  checklist::ChecklistStore* const real_;
};

// Passes reads through to the real store and counts backlog reads that found the end of the log,
// so a test knows when a watcher has switched to live events.
class ObservedChecklistStore final : public ForwardingChecklistStore {
 public:
  using ForwardingChecklistStore::ForwardingChecklistStore;

  absl::StatusOr<std::vector<checklist::Event>> ListLaunchEvents(absl::string_view id,
                                                                 int64_t after, int limit) override;
  absl::StatusOr<std::vector<checklist::Event>> ReadEvents(int64_t after, int limit) override;

  // Makes every backlog read fail with `status` from now on.
  void FailReads(absl::Status status);
  // Waits (up to kPatience) until `count` backlog reads have come back short (the end of the log).
  bool WaitForShortReads(int count);

 private:
  absl::StatusOr<std::vector<checklist::Event>> Observe(
      absl::StatusOr<std::vector<checklist::Event>> page, int limit);

  absl::Mutex mu_;
  int short_reads_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status read_failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::testing
