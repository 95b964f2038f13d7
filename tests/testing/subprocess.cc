#include "tests/testing/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

extern char** environ;

namespace preflight::testing {
namespace {

absl::StatusOr<std::pair<pid_t, int>> Spawn(const std::vector<std::string>& argv) {
  if (argv.empty()) return absl::InvalidArgumentError("empty argv");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError(std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return absl::InternalError(absl::StrCat("cannot start ", argv[0], ": ", std::strerror(rc)));
  }
  return std::make_pair(pid, fds[0]);
}

// Reads what is available within `wait`; returns false at end of file.
bool ReadSome(int fd, std::string* out, absl::Duration wait) {
  pollfd pfd{fd, POLLIN, 0};
  const int ms = static_cast<int>(absl::ToInt64Milliseconds(wait));
  if (poll(&pfd, 1, ms < 0 ? 0 : ms) <= 0) return true;
  char buffer[4096];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n <= 0) return n < 0 && errno == EINTR;
  out->append(buffer, static_cast<size_t>(n));
  return true;
}

}  // namespace

absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         absl::Duration timeout) {
  absl::StatusOr<std::pair<pid_t, int>> spawned = Spawn(argv);
  if (!spawned.ok()) return spawned.status();
  const auto [pid, fd] = *spawned;
  CommandResult result;
  const absl::Time deadline = absl::Now() + timeout;
  while (ReadSome(fd, &result.output, absl::Milliseconds(100))) {
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      close(fd);
      return absl::DeadlineExceededError(
          absl::StrCat("timed out: ", absl::StrJoin(argv, " "), "\n", result.output));
    }
  }
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

absl::StatusOr<Subprocess> Subprocess::Start(const std::vector<std::string>& argv) {
  absl::StatusOr<std::pair<pid_t, int>> spawned = Spawn(argv);
  if (!spawned.ok()) return spawned.status();
  return Subprocess(spawned->first, spawned->second);
}

Subprocess::Subprocess(Subprocess&& other) noexcept { *this = std::move(other); }

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
  if (this != &other) {
    Reset();
    pid_ = std::exchange(other.pid_, -1);
    output_fd_ = std::exchange(other.output_fd_, -1);
    output_ = std::move(other.output_);
    scanned_ = other.scanned_;
  }
  return *this;
}

Subprocess::~Subprocess() { Reset(); }

void Subprocess::Reset() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  if (output_fd_ >= 0) {
    close(output_fd_);
    output_fd_ = -1;
  }
}

absl::StatusOr<std::string> Subprocess::WaitForLine(const std::string& needle,
                                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    // Look for a complete line holding the needle among what has not been matched yet.
    size_t start = scanned_;
    while (true) {
      const size_t end = output_.find('\n', start);
      if (end == std::string::npos) break;
      std::string line = output_.substr(start, end - start);
      start = end + 1;
      if (line.find(needle) != std::string::npos) {
        scanned_ = start;
        return line;
      }
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat("no line with '", needle, "' within ",
                                                      absl::FormatDuration(timeout),
                                                      "; output so far:\n", output_));
    }
    if (!ReadSome(output_fd_, &output_, absl::Milliseconds(100))) {
      return absl::FailedPreconditionError(
          absl::StrCat("process exited before printing '", needle, "'; output:\n", output_));
    }
  }
}

absl::StatusOr<int> Subprocess::Stop(int signal, absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("process not running");
  kill(pid_, signal);
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      // Drain what the process printed on its way out.
      while (output_fd_ >= 0 && ReadSome(output_fd_, &output_, absl::ZeroDuration())) {
      }
      return status;
    }
    if (absl::Now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
      return absl::DeadlineExceededError("process did not exit in time; killed");
    }
    ReadSome(output_fd_, &output_, absl::Milliseconds(50));
  }
}

}  // namespace preflight::testing
