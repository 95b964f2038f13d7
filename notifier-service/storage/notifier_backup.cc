#include "notifier-service/storage/notifier_backup.h"

#include <memory>

#include "notifier-service/storage/sqlite_notifier_store.h"

namespace preflight::notifier {

absl::Status DescribeNotifierBackup(const std::map<std::string, std::string>& copies,
                                    v1::BackupManifest* manifest) {
  auto copy = copies.find("notifier.db");
  if (copy == copies.end()) return absl::InternalError("the backup has no notifier.db");
  SqliteOptions options;
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> store =
      SqliteNotifierStore::Open(copy->second, options);
  if (!store.ok()) return store.status();
  absl::StatusOr<int64_t> applied = (*store)->AppliedSequence();
  if (!applied.ok()) return applied.status();
  absl::StatusOr<std::string> epoch = (*store)->StreamLogEpoch();
  if (!epoch.ok()) return epoch.status();
  manifest->set_event_sequence(*applied);
  manifest->set_log_epoch(*epoch);
  return absl::OkStatus();
}

}  // namespace preflight::notifier
