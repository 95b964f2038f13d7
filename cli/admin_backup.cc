#include "cli/admin_backup.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/backup/backup_files.h"

namespace preflight::cli {

absl::StatusOr<v1::BackupManifest> ReceiveBackup(AdminClient& client, const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", dir, ": ", std::strerror(errno),
                     errno == EEXIST ? " (a backup is never written over another)" : ""));
  }
  std::optional<v1::BackupManifest> manifest;
  std::map<std::string, std::unique_ptr<std::ofstream>> files;
  absl::Status problem;
  const grpc::Status status = client.Backup([&](const v1::BackupResponse& message) {
    if (!manifest.has_value()) {
      if (!message.has_manifest()) {
        problem = absl::DataLossError("the backup did not start with its manifest");
        return false;
      }
      manifest = message.manifest();
      for (const v1::BackupFile& file : manifest->files()) {
        if (file.name().empty() || file.name().find('/') != std::string::npos ||
            file.name() == "." || file.name() == ".." || files.count(file.name()) > 0) {
          problem = absl::DataLossError("the manifest names a file that is not a plain name");
          return false;
        }
        files[file.name()] = std::make_unique<std::ofstream>(absl::StrCat(dir, "/", file.name()),
                                                             std::ios::binary | std::ios::trunc);
      }
      return true;
    }
    auto file = files.find(message.file());
    if (file == files.end()) {
      problem = absl::DataLossError("the backup sent a file its manifest does not name");
      return false;
    }
    file->second->write(message.data().data(), static_cast<std::streamsize>(message.data().size()));
    if (!*file->second) {
      problem = absl::InternalError(absl::StrCat("cannot write ", dir, "/", message.file()));
      return false;
    }
    return true;
  });
  if (!problem.ok()) return problem;
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  if (!manifest.has_value()) return absl::DataLossError("the backup sent nothing");
  for (auto& [name, stream] : files) {
    stream->close();
    if (!*stream) return absl::InternalError(absl::StrCat("cannot write ", dir, "/", name));
    if (absl::Status s = backup::SyncPath(absl::StrCat(dir, "/", name)); !s.ok()) return s;
  }
  // Only a backup whose files match their manifest gets one.
  if (absl::Status s = backup::WriteManifest(dir, *manifest); !s.ok()) return s;
  absl::StatusOr<v1::BackupManifest> verified = backup::VerifyBackup(dir, manifest->service());
  if (verified.ok()) {
    if (absl::Status s = backup::SyncPath(dir, /*directory=*/true); !s.ok()) return s;
  } else {
    std::remove(absl::StrCat(dir, "/", backup::kManifestFile).c_str());
    return verified.status();
  }
  return verified;
}

std::string RenderBackup(const std::string& dir, const v1::BackupManifest& manifest) {
  int64_t bytes = 0;
  for (const v1::BackupFile& file : manifest.files()) bytes += file.size_bytes();
  return absl::StrCat(manifest.service(), ": ", dir, " (", manifest.files_size(), " file",
                      manifest.files_size() == 1 ? "" : "s", ", ", bytes, " bytes, event sequence ",
                      manifest.event_sequence(), ")\n");
}

}  // namespace preflight::cli
