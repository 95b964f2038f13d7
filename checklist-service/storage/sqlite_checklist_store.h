#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/checklist_store.h"
#include "common/sqlite/reader_writer.h"
#include "common/sqlite/sqlite_options.h"

namespace preflight::checklist {

// ChecklistStore in one SQLite file (WAL), through a SqliteReaderWriter: writes go through a
// single connection, each Commit one IMMEDIATE transaction; reads use a second, read-only
// connection, so a read never waits for a commit's fsync. Every SQLite failure comes back as a
// status (see SqliteErrorToStatus); nothing throws.
class SqliteChecklistStore final : public ChecklistStore {
 public:
  // synchronous=FULL and a 5 s busy timeout by default; `read_only` serves reads and answers
  // writes with FAILED_PRECONDITION; `max_page_count` caps the file size (tests).
  using Options = SqliteOptions;

  // Opens or creates the database at `path` (a file: the two connections must share it) and
  // applies pending schema migrations. FAILED_PRECONDITION when the file was written by a newer
  // schema, or is opened read-only before being migrated.
  static absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> Open(const std::string& path,
                                                                    Options options);

  ~SqliteChecklistStore() override;
  SqliteChecklistStore(const SqliteChecklistStore&) = delete;
  SqliteChecklistStore& operator=(const SqliteChecklistStore&) = delete;

  absl::StatusOr<LaunchState> LoadLaunch(absl::string_view launch_id) override;
  absl::StatusOr<LaunchRead> ReadLaunch(absl::string_view launch_id, bool with_items) override;
  absl::StatusOr<ItemRead> ReadItem(absl::string_view launch_id, absl::string_view code) override;
  absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(
      absl::string_view tenant, absl::string_view request_id) override;
  absl::StatusOr<std::vector<LaunchState>> ListLaunches(const LaunchFilter& filter,
                                                        absl::string_view after_id,
                                                        int limit) override;
  absl::StatusOr<std::vector<ItemKey>> ListItemKeys(const ItemFilter& filter,
                                                    const std::optional<ItemKey>& after,
                                                    int limit) override;
  absl::StatusOr<std::vector<Event>> ListLaunchEvents(absl::string_view launch_id,
                                                      int64_t after_sequence, int limit) override;
  absl::StatusOr<int64_t> CountLaunches(absl::string_view tenant) override;
  absl::StatusOr<std::vector<Event>> ReadEvents(int64_t after_sequence, int limit) override;
  absl::StatusOr<int64_t> LastSequence() override;
  absl::StatusOr<std::vector<LogEpoch>> LogEpochs() override;
  // Starts a new log epoch at the last committed sequence and returns it: what a restore from a
  // backup does, so watchers that read past that point in the old epoch are refused.
  absl::StatusOr<LogEpoch> StartLogEpoch();
  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes) override;
  // One IMMEDIATE transaction, one savepoint per change set, one fsync for the lot.
  std::vector<absl::StatusOr<std::vector<Event>>> CommitBatch(
      const std::vector<const ChangeSet*>& batch) override;
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) override;

  // The connections, for the other tables of checklist.db (SqliteCalendarFeedStore).
  SqliteReaderWriter* database() const { return db_.get(); }

 private:
  explicit SqliteChecklistStore(std::unique_ptr<SqliteReaderWriter> db);

  absl::StatusOr<std::vector<Event>> QueryEvents(std::optional<std::string> launch_id,
                                                 int64_t after_sequence, int limit);

  const std::unique_ptr<SqliteReaderWriter> db_;
};

}  // namespace preflight::checklist
