#pragma once

// Backups of a service's SQLite databases: the consistent copy taken online, the manifest that
// describes a backup folder, and the offline restore that puts one back in a data folder.
// Plain C++ over files and SQLite; the gRPC edge is admin_grpc_service.h.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "preflight/v1/admin.pb.h"

namespace preflight::backup {

// The manifest's name in a backup folder.
inline constexpr char kManifestFile[] = "MANIFEST.json";

// Copies the database at `source` to `destination` with SQLite's online backup API, in one step
// under one read transaction: a consistent snapshot, while the service goes on reading and
// writing (WAL). The copy is one file in rollback-journal mode (no -wal or -shm), fsync'ed.
absl::Status CopySqliteDatabase(const std::string& source, const std::string& destination);

// Size, SHA-256 and schema version of the database file at `path`, named `name`.
absl::StatusOr<v1::BackupFile> DescribeDatabaseFile(const std::string& path,
                                                    const std::string& name);

// fsync(2)s the file (or folder) at `path`.
absl::Status SyncPath(const std::string& path, bool directory = false);

// Writes `manifest` as DIR/MANIFEST.json (protobuf's JSON mapping), fsync'ed.
absl::Status WriteManifest(const std::string& dir, const v1::BackupManifest& manifest);
absl::StatusOr<v1::BackupManifest> ReadManifest(const std::string& dir);

// Checks the backup in `dir` before anything is replaced: a manifest for `service`, and every
// file it names present with its size and SHA-256, a database SQLite finds intact. The first
// problem as FAILED_PRECONDITION (DATA_LOSS for a file whose bytes do not match).
absl::StatusOr<v1::BackupManifest> VerifyBackup(const std::string& dir, const std::string& service);

// Puts the verified backup in `backup_dir` into `data_dir`, which no service may hold (the
// caller has its DataDirLock). The databases there now, with their -wal and -shm files, are
// moved to DATA_DIR/replaced-<UTC time>/, never deleted; each backup file is copied beside its
// final name, fsync'ed and renamed into place. Returns the folder the old files went to, empty
// when there were none.
absl::StatusOr<std::string> RestoreBackup(const std::string& backup_dir,
                                          const std::string& data_dir,
                                          const v1::BackupManifest& manifest);

// --restore_from in a service's main: verifies the backup in `backup_dir` (of `service`), puts
// it into `data_dir` (whose DataDirLock the caller holds), then runs `after_restore` (the
// checklist starts a new event log epoch there). Logs what it did.
absl::Status RestoreDataDir(const std::string& backup_dir, const std::string& data_dir,
                            const std::string& service,
                            const std::function<absl::Status()>& after_restore);

}  // namespace preflight::backup
