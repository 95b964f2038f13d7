#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight {

// One owner per data folder: an exclusive flock(2) on DIR/preflight.lock, held for the life of
// the process (as PostgreSQL's postmaster.pid and etcd's lock guard theirs). The file holds the
// owner's pid and name, so a second process can say who holds it. The kernel drops the lock
// when the process dies however it dies, so a stale file never blocks a restart.
class DataDirLock {
 public:
  static constexpr char kFileName[] = "preflight.lock";

  // Creates the folder if needed and takes the lock. FAILED_PRECONDITION naming the folder and
  // the holder's pid when another process holds it. On a read-only file system, where nothing
  // can write the folder, the lock is taken on an existing lock file if there is one and the
  // result is read_only().
  static absl::StatusOr<DataDirLock> Acquire(const std::string& dir,
                                             absl::string_view process_name);

  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&& other) noexcept;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  // Releases the lock.
  ~DataDirLock();

  // The folder's file system is mounted read-only: serve reads, refuse writes.
  bool read_only() const { return read_only_; }
  const std::string& path() const { return path_; }

 private:
  DataDirLock(int fd, std::string path, bool read_only)
      : fd_(fd), path_(std::move(path)), read_only_(read_only) {}

  int fd_ = -1;
  std::string path_;
  bool read_only_ = false;
};

}  // namespace preflight
