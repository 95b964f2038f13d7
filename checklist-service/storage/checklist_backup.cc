#include "checklist-service/storage/checklist_backup.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "checklist-service/storage/sqlite_checklist_store.h"

namespace preflight::checklist {

absl::Status DescribeChecklistBackup(const std::map<std::string, std::string>& copies,
                                     v1::BackupManifest* manifest) {
  auto copy = copies.find("checklist.db");
  if (copy == copies.end()) return absl::InternalError("the backup has no checklist.db");
  SqliteChecklistStore::Options options;
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
      SqliteChecklistStore::Open(copy->second, options);
  if (!store.ok()) return store.status();
  absl::StatusOr<int64_t> head = (*store)->LastSequence();
  if (!head.ok()) return head.status();
  absl::StatusOr<std::vector<LogEpoch>> epochs = (*store)->LogEpochs();
  if (!epochs.ok()) return epochs.status();
  manifest->set_event_sequence(*head);
  manifest->set_log_epoch(epochs->back().id);
  return absl::OkStatus();
}

absl::StatusOr<LogEpoch> StartLogEpochAfterRestore(const std::string& path) {
  // Opening read-write applies the migrations a backup from an older version needs.
  absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
      SqliteChecklistStore::Open(path, SqliteChecklistStore::Options{});
  if (!store.ok()) return store.status();
  return (*store)->StartLogEpoch();
}

}  // namespace preflight::checklist
