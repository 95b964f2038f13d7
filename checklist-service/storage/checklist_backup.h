#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "checklist-service/domain/checklist_store.h"
#include "preflight/v1/admin.pb.h"

namespace preflight::checklist {

// The checklist's part of a backup manifest: the last committed sequence and the log epoch of
// the copied checklist.db (copies: file name -> path of the copy).
absl::Status DescribeChecklistBackup(const std::map<std::string, std::string>& copies,
                                     v1::BackupManifest* manifest);

// After a restore into the database at `path`: a new event log epoch at its last sequence, so a
// watcher that read further before the restore is refused instead of missing events.
absl::StatusOr<LogEpoch> StartLogEpochAfterRestore(const std::string& path);

}  // namespace preflight::checklist
