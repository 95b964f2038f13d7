#include "common/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace preflight {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

bool FileSystemIsReadOnly(const std::string& dir) {
  struct statvfs info;
  return statvfs(dir.c_str(), &info) == 0 && (info.f_flag & ST_RDONLY) != 0;
}

// "pid 1234 (checklist-service)" from the lock file's contents, or a generic phrase.
std::string DescribeHolder(int fd) {
  char buffer[256];
  const ssize_t n = pread(fd, buffer, sizeof(buffer) - 1, 0);
  if (n <= 0) return "another process";
  std::vector<std::string> lines =
      absl::StrSplit(absl::string_view(buffer, static_cast<size_t>(n)), '\n');
  int pid = 0;
  if (lines.empty() || !absl::SimpleAtoi(lines[0], &pid) || pid <= 0) return "another process";
  std::string name = lines.size() > 1 ? std::string(absl::StripAsciiWhitespace(lines[1])) : "";
  return name.empty() ? absl::StrCat("pid ", pid) : absl::StrCat(name, " (pid ", pid, ")");
}

absl::Status WriteOwner(int fd, absl::string_view process_name) {
  const std::string content = absl::StrCat(getpid(), "\n", process_name, "\n");
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, content.data(), content.size(), 0) != static_cast<ssize_t>(content.size())) {
    return absl::InternalError(absl::StrCat("cannot write the lock file: ", ErrnoText(errno)));
  }
  // Not fsync'ed: the lock itself is the kernel's; the text only names the holder.
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DataDirLock> DataDirLock::Acquire(const std::string& dir,
                                                 absl::string_view process_name) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error && !std::filesystem::is_directory(dir)) {
    return absl::FailedPreconditionError(
        absl::StrCat("--data_dir=", dir, ": cannot create the folder: ", error.message()));
  }
  const std::string path = absl::StrCat(dir, "/", kFileName);
  bool read_only = false;
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 && (errno == EROFS || errno == EACCES) && FileSystemIsReadOnly(dir)) {
    read_only = true;
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    // No lock file and no way to make one: nothing can write this folder, so there is nothing
    // to guard.
    if (fd < 0 && errno == ENOENT) return DataDirLock(-1, path, /*read_only=*/true);
  }
  if (fd < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--data_dir=", dir, ": cannot open the lock file ", path, ": ", ErrnoText(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int lock_error = errno;
    const std::string holder = DescribeHolder(fd);
    close(fd);
    if (lock_error == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat("the data folder ", dir, " is in use by ", holder,
                       "; one process per data folder (lock file ", path, ")"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("--data_dir=", dir, ": cannot lock ", path, ": ", ErrnoText(lock_error)));
  }
  if (!read_only) {
    if (absl::Status written = WriteOwner(fd, process_name); !written.ok()) {
      close(fd);
      return written;
    }
  }
  return DataDirLock(fd, path, read_only);
}

DataDirLock::DataDirLock(DataDirLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      read_only_(other.read_only_) {}

DataDirLock& DataDirLock::operator=(DataDirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    read_only_ = other.read_only_;
  }
  return *this;
}

DataDirLock::~DataDirLock() {
  // Closing the descriptor releases the flock. The file stays: removing it would race with a
  // process that just opened it.
  if (fd_ >= 0) close(fd_);
}

}  // namespace preflight
