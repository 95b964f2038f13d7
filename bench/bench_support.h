#pragma once

// Shared pieces of the load programs in bench/ (docs/performance.md): flags, statistics, the
// service binaries started as child processes with their output in a log file, a closed-loop
// driver that keeps K gRPC callback calls in flight, and the RESULT lines `./dev bench` collects
// into its table. They drive the services only through their public gRPC API and binaries.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace preflight::bench {

[[noreturn]] inline void Die(absl::string_view what, absl::string_view why) {
  std::fprintf(stderr, "bench: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(why.size()), why.data());
  std::exit(1);
}

// --name=value from argv, or `fallback`.
inline std::string FlagString(int argc, char** argv, absl::string_view name,
                              const std::string& fallback) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (int i = 1; i < argc; ++i) {
    if (absl::string_view(argv[i]).substr(0, prefix.size()) == prefix) {
      return std::string(argv[i] + prefix.size());
    }
  }
  return fallback;
}
inline int64_t FlagInt(int argc, char** argv, absl::string_view name, int64_t fallback) {
  const std::string text = FlagString(argc, argv, name, "");
  if (text.empty()) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) Die(name, "not an integer: " + text);
  return value;
}
inline double FlagDouble(int argc, char** argv, absl::string_view name, double fallback) {
  const std::string text = FlagString(argc, argv, name, "");
  if (text.empty()) return fallback;
  double value = 0;
  if (!absl::SimpleAtod(text, &value)) Die(name, "not a number: " + text);
  return value;
}

inline std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return absl::StrCat(one, " ", five, " ", fifteen);
}

inline double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The `q` quantile (0..1) by the nearest-rank method.
inline double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(q * values.size()));
  rank = std::max<size_t>(rank, 1);
  return values[std::min(rank, values.size()) - 1];
}

// FNV-1a over a file's bytes, as 16 hex digits: the key of cached data made by a binary.
inline std::string FileHash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die(path, "cannot read");
  uint64_t hash = 1469598103934665603ull;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      hash = (hash ^ static_cast<unsigned char>(buffer[i])) * 1099511628211ull;
    }
  }
  return absl::StrFormat("%016x", hash);
}

// A loopback port nobody listens on now (bound, then released).
inline int UnusedLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    Die("port", std::strerror(errno));
  }
  close(fd);
  return ntohs(address.sin_port);
}

inline bool Run(const std::string& command) { return std::system(command.c_str()) == 0; }

// A child process with its stdout and stderr in a log file (never a pipe that could fill up and
// stall it). SIGKILLed on destruction if still running.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path)
      : log_path_(log_path) {
    start_ = absl::Now();
    pid_ = fork();
    if (pid_ < 0) Die("fork", std::strerror(errno));
    if (pid_ == 0) {
      // Ends with the benchmark, however it ends (Die, Ctrl-C): no service is left running.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() == 1) _exit(1);
      const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
      std::vector<char*> args;
      for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
      _exit(127);
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const { return pid_; }
  absl::Time start_time() const { return start_; }
  const std::string& log_path() const { return log_path_; }

  std::string Log() const {
    std::ifstream in(log_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }

  // Waits until the log says "listening on HOST:PORT" and returns the port.
  int WaitForListening(absl::Duration timeout = absl::Seconds(60)) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      const std::string log = Log();
      const size_t at = log.find("listening on ");
      if (at != std::string::npos) {
        const size_t end = log.find_first_of(" \n\"", at + 13);
        const std::string address = log.substr(at + 13, end - at - 13);
        int port = 0;
        if (absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port)) return port;
      }
      if (!Running()) Die(log_path_, "exited before listening:\n" + log);
      absl::SleepFor(absl::Milliseconds(10));
    }
    Die(log_path_, "did not start listening");
  }

  // VmHWM (peak resident set) in KiB, while the process runs.
  int64_t PeakRssKb() const {
    std::ifstream in(absl::StrCat("/proc/", pid_, "/status"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("VmHWM:", 0) == 0) {
        int64_t kb = 0;
        std::istringstream(line.substr(6)) >> kb;
        return kb;
      }
    }
    return 0;
  }

  // SIGTERM, then waits (SIGKILL after `timeout`).
  void Stop(absl::Duration timeout = absl::Seconds(20)) {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const absl::Time deadline = absl::Now() + timeout;
    while (Running() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

 private:
  std::string log_path_;
  pid_t pid_ = -1;
  absl::Time start_;
};

inline std::shared_ptr<grpc::Channel> Connect(int port, int connection_id = 0) {
  grpc::ChannelArguments args;
  // A distinct argument per channel gives each its own connection.
  args.SetInt("preflight.bench_connection", connection_id);
  auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                           grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(30)))) {
    Die("connect", absl::StrCat("127.0.0.1:", port));
  }
  return channel;
}

inline void PrepareContext(grpc::ClientContext& context,
                           absl::Duration timeout = absl::Seconds(30)) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.AddMetadata("x-preflight-actor", "bench");
}

// Starts one asynchronous call numbered `index` on slot `slot`; calls `done(ok)` when it ends
// (on a gRPC thread; `done` may start the next call).
using Starter = std::function<void(int slot, int64_t index, std::function<void(bool)> done)>;

struct LoopResult {
  int64_t calls = 0;
  int64_t errors = 0;
  double seconds = 0;
  std::vector<double> ms;  // each call's latency
  double rate() const { return seconds > 0 ? calls / seconds : 0; }
};

// A closed loop: `in_flight` slots, each starting its next call when the last one ends, until
// `duration` has passed or `max_calls` have been started.
inline LoopResult ClosedLoop(int in_flight, absl::Duration duration, int64_t max_calls,
                             const Starter& start) {
  struct State {
    absl::Mutex mu;
    int active = 0;
    LoopResult result;
    std::atomic<int64_t> issued{0};
    absl::Time end;
  };
  auto state = std::make_shared<State>();
  state->active = in_flight;
  const absl::Time begin = absl::Now();
  state->end = begin + duration;
  std::function<void(int)> issue;
  issue = [state, &start, &issue, max_calls](int slot) {
    const int64_t index = state->issued.fetch_add(1);
    if (index >= max_calls || absl::Now() >= state->end) {
      absl::MutexLock lock(&state->mu);
      --state->active;
      return;
    }
    const absl::Time t0 = absl::Now();
    start(slot, index, [state, &issue, slot, t0](bool ok) {
      const double ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
      {
        absl::MutexLock lock(&state->mu);
        ++state->result.calls;
        if (!ok) ++state->result.errors;
        state->result.ms.push_back(ms);
      }
      issue(slot);
    });
  };
  for (int slot = 0; slot < in_flight; ++slot) issue(slot);
  absl::MutexLock lock(&state->mu);
  state->mu.Await(absl::Condition(
      +[](int* active) { return *active == 0; }, &state->active));
  state->result.seconds = absl::ToDoubleSeconds(absl::Now() - begin);
  return state->result;
}

// One line of `./dev bench`'s table: measure | value | ceiling/peer | ratio | goal | met?
inline void PrintResult(absl::string_view measure, absl::string_view value, absl::string_view peer,
                        double ratio, absl::string_view goal, bool met) {
  std::printf("RESULT\t%.*s\t%.*s\t%.*s\t%.3g\t%.*s\t%s\n", static_cast<int>(measure.size()),
              measure.data(), static_cast<int>(value.size()), value.data(),
              static_cast<int>(peer.size()), peer.data(), ratio, static_cast<int>(goal.size()),
              goal.data(), met ? "yes" : "no");
  std::fflush(stdout);
}

}  // namespace preflight::bench
