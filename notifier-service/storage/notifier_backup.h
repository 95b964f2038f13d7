#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "preflight/v1/admin.pb.h"

namespace preflight::notifier {

// The notifier's part of a backup manifest: the sequence it had applied and the checklist log
// epoch of it, in the copied notifier.db (copies: file name -> path of the copy).
absl::Status DescribeNotifierBackup(const std::map<std::string, std::string>& copies,
                                    v1::BackupManifest* manifest);

}  // namespace preflight::notifier
