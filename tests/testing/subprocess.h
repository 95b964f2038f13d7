#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace preflight::testing {

// Output and exit code of a finished command.
struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};

// Runs `argv` to completion, capturing its output. Fails if it cannot be started or runs longer
// than `timeout` (it is then killed).
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         absl::Duration timeout = absl::Seconds(60));

// A child process whose stdout and stderr are read through a pipe. Killed (SIGKILL) on
// destruction if still running.
class Subprocess {
 public:
  static absl::StatusOr<Subprocess> Start(const std::vector<std::string>& argv);

  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  ~Subprocess();

  // Reads output until a line containing `needle` arrives; returns that line. Fails when the
  // process exits first or `timeout` passes.
  absl::StatusOr<std::string> WaitForLine(const std::string& needle, absl::Duration timeout);

  // Sends `signal` and waits for the process to exit; returns its wait status.
  absl::StatusOr<int> Stop(int signal, absl::Duration timeout = absl::Seconds(30));

  pid_t pid() const { return pid_; }
  // Everything read from the process so far.
  const std::string& output() const { return output_; }

 private:
  Subprocess(pid_t pid, int output_fd) : pid_(pid), output_fd_(output_fd) {}
  void Reset();

  pid_t pid_ = -1;
  int output_fd_ = -1;
  std::string output_;
  size_t scanned_ = 0;  // output_ before this offset holds no unmatched complete line
};

}  // namespace preflight::testing
