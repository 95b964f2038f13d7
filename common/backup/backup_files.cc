#include "common/backup/backup_files.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "SQLiteCpp/Database.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/logging/log.h"
#include "common/sqlite/error_status.h"
#include "common/sqlite/migration_runner.h"
#include "google/protobuf/util/json_util.h"

namespace preflight::backup {
namespace {

namespace fs = std::filesystem;

std::string ErrnoText() { return std::strerror(errno); }

absl::Status FsyncPath(const std::string& path, bool directory) {
  const int fd = open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot open ", path, ": ", ErrnoText()));
  const bool synced = fsync(fd) == 0;
  close(fd);
  if (!synced) return absl::InternalError(absl::StrCat("cannot fsync ", path, ": ", ErrnoText()));
  return absl::OkStatus();
}

absl::StatusOr<std::string> Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::FailedPreconditionError(absl::StrCat("cannot read ", path));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    EVP_DigestUpdate(context.get(), buffer, static_cast<size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest, &length);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

// A name the manifest may give a file: a plain file name, never a path.
bool IsPlainFileName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos && name.size() <= 255;
}

absl::Status CopyFileDurably(const std::string& from, const std::string& to) {
  std::error_code error;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot copy ", from, " to ", to, ": ", error.message()));
  }
  return FsyncPath(to, /*directory=*/false);
}

}  // namespace

absl::Status SyncPath(const std::string& path, bool directory) {
  return FsyncPath(path, directory);
}

absl::Status CopySqliteDatabase(const std::string& source, const std::string& destination) {
  sqlite3* from = nullptr;
  sqlite3* to = nullptr;
  const auto close_both = [&] {
    if (from != nullptr) sqlite3_close_v2(from);
    if (to != nullptr) sqlite3_close_v2(to);
  };
  if (sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(from);
    close_both();
    return absl::FailedPreconditionError(absl::StrCat("opening ", source, ": ", message));
  }
  // A writer holding the lock for a moment must not fail the backup.
  sqlite3_busy_timeout(from, 10000);
  if (sqlite3_open_v2(destination.c_str(), &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(to);
    close_both();
    return absl::FailedPreconditionError(absl::StrCat("creating ", destination, ": ", message));
  }
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) {
    const std::string message = sqlite3_errmsg(to);
    close_both();
    return absl::InternalError(absl::StrCat("backing up ", source, ": ", message));
  }
  // -1: every page in one step, so the copy is one snapshot of the source.
  const int stepped = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
    const std::string message = sqlite3_errstr(stepped != SQLITE_DONE ? stepped : finished);
    close_both();
    return SqliteErrorToStatus(stepped != SQLITE_DONE ? stepped : finished, message,
                               absl::StrCat("backing up ", source));
  }
  // The copy is one self-contained file (no -wal or -shm beside it, wherever it is read); the
  // service switches it back to WAL when it opens it after a restore.
  char* error = nullptr;
  if (sqlite3_exec(to, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    close_both();
    return absl::InternalError(absl::StrCat("finishing the copy of ", source, ": ", message));
  }
  close_both();
  return FsyncPath(destination, /*directory=*/false);
}

absl::StatusOr<v1::BackupFile> DescribeDatabaseFile(const std::string& path,
                                                    const std::string& name) {
  v1::BackupFile file;
  file.set_name(name);
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": ", error.message()));
  }
  file.set_size_bytes(static_cast<int64_t>(size));
  absl::StatusOr<std::string> digest = Sha256OfFile(path);
  if (!digest.ok()) return digest.status();
  file.set_sha256(*digest);
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    absl::StatusOr<int> version = SqliteSchemaVersion(db);
    if (!version.ok()) return version.status();
    file.set_schema_version(*version);
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, absl::StrCat("reading ", path));
  }
  return file;
}

absl::Status WriteManifest(const std::string& dir, const v1::BackupManifest& manifest) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(manifest, &json, options).ok()) {
    return absl::InternalError("cannot encode the backup manifest");
  }
  const std::string path = absl::StrCat(dir, "/", kManifestFile);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << json;
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return FsyncPath(path, /*directory=*/false);
}

absl::StatusOr<v1::BackupManifest> ReadManifest(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kManifestFile);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is missing: ", dir, " is not a backup folder"));
  }
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  v1::BackupManifest manifest;
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &manifest);
  if (!parsed.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a backup manifest: ", parsed.message().ToString()));
  }
  return manifest;
}

absl::StatusOr<v1::BackupManifest> VerifyBackup(const std::string& dir,
                                                const std::string& service) {
  absl::StatusOr<v1::BackupManifest> manifest = ReadManifest(dir);
  if (!manifest.ok()) return manifest.status();
  if (manifest->service() != service) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " holds a backup of ", manifest->service().empty() ? "nothing" : manifest->service(),
        ", not of ", service));
  }
  if (manifest->files().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(dir, ": the manifest names no file"));
  }
  for (const v1::BackupFile& file : manifest->files()) {
    if (!IsPlainFileName(file.name())) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir, ": the manifest names a file that is not a plain file name"));
    }
    const std::string path = absl::StrCat(dir, "/", file.name());
    absl::StatusOr<v1::BackupFile> found = DescribeDatabaseFile(path, file.name());
    if (!found.ok()) return found.status();
    if (found->size_bytes() != file.size_bytes() || found->sha256() != file.sha256()) {
      return absl::DataLossError(absl::StrCat(path, " is not the file the backup recorded (",
                                              found->size_bytes(), " bytes, sha256 ",
                                              found->sha256(), "; recorded ", file.size_bytes(),
                                              " bytes, sha256 ", file.sha256(), ")"));
    }
    try {
      SQLite::Database db(path, SQLite::OPEN_READONLY);
      const std::string integrity = db.execAndGet("PRAGMA integrity_check").getString();
      if (integrity != "ok") {
        return absl::DataLossError(absl::StrCat(path, ": integrity_check: ", integrity));
      }
    } catch (const SQLite::Exception& e) {
      return SqliteErrorToStatus(e, absl::StrCat("checking ", path));
    }
  }
  return manifest;
}

absl::StatusOr<std::string> RestoreBackup(const std::string& backup_dir,
                                          const std::string& data_dir,
                                          const v1::BackupManifest& manifest) {
  std::error_code error;
  fs::create_directories(data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(data_dir, ": ", error.message()));
  }
  const std::string replaced = absl::StrCat(
      data_dir, "/replaced-", absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone()));
  bool moved_any = false;
  for (const v1::BackupFile& file : manifest.files()) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      const std::string current = absl::StrCat(data_dir, "/", file.name(), suffix);
      if (!fs::exists(current, error)) continue;
      if (!moved_any) {
        fs::create_directories(replaced, error);
        if (error) {
          return absl::InternalError(
              absl::StrCat("cannot create ", replaced, ": ", error.message()));
        }
        moved_any = true;
      }
      fs::rename(current, absl::StrCat(replaced, "/", file.name(), suffix), error);
      if (error) {
        return absl::InternalError(
            absl::StrCat("cannot move ", current, " aside: ", error.message()));
      }
    }
  }
  for (const v1::BackupFile& file : manifest.files()) {
    const std::string target = absl::StrCat(data_dir, "/", file.name());
    const std::string partial = absl::StrCat(target, ".restoring");
    if (absl::Status s = CopyFileDurably(absl::StrCat(backup_dir, "/", file.name()), partial);
        !s.ok()) {
      return s;
    }
    fs::rename(partial, target, error);
    if (error) {
      return absl::InternalError(
          absl::StrCat("cannot put ", target, " in place: ", error.message()));
    }
  }
  if (absl::Status s = FsyncPath(data_dir, /*directory=*/true); !s.ok()) return s;
  return moved_any ? replaced : std::string();
}

absl::Status RestoreDataDir(const std::string& backup_dir, const std::string& data_dir,
                            const std::string& service,
                            const std::function<absl::Status()>& after_restore) {
  absl::StatusOr<v1::BackupManifest> manifest = VerifyBackup(backup_dir, service);
  if (!manifest.ok()) return manifest.status();
  absl::StatusOr<std::string> replaced = RestoreBackup(backup_dir, data_dir, *manifest);
  if (!replaced.ok()) return replaced.status();
  if (after_restore) {
    if (absl::Status s = after_restore(); !s.ok()) return s;
  }
  std::string files;
  for (const v1::BackupFile& file : manifest->files()) {
    absl::StrAppend(&files, files.empty() ? "" : ",", file.name());
  }
  logging::Info(service, "restored the backup; start the service normally now",
                {{"backup", backup_dir},
                 {"data_dir", data_dir},
                 {"files", files},
                 {"event_sequence", manifest->event_sequence()},
                 {"taken_by", manifest->version()},
                 {"replaced_files_kept_in", replaced->empty() ? "(none)" : *replaced}});
  return absl::OkStatus();
}

}  // namespace preflight::backup
