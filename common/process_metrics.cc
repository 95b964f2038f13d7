#include "common/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/build_info.h"

namespace preflight {
namespace {

// Fields of /proc/self/stat after the command name (which may hold spaces): field 3 (state) is
// index 0.
std::vector<std::string> StatFields() {
  std::ifstream file("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t end_of_name = content.rfind(')');
  if (end_of_name == std::string::npos) return {};
  return absl::StrSplit(content.substr(end_of_name + 2), ' ', absl::SkipEmpty());
}

double StatField(const std::vector<std::string>& fields, int number) {
  const size_t index = static_cast<size_t>(number - 3);
  double value = 0;
  if (index < fields.size()) (void)absl::SimpleAtod(fields[index], &value);
  return value;
}

double BootTimeSeconds() {
  std::ifstream file("/proc/stat");
  std::string line;
  while (std::getline(file, line)) {
    double value = 0;
    if (line.rfind("btime ", 0) == 0 && absl::SimpleAtod(line.substr(6), &value)) return value;
  }
  return 0;
}

double OpenFileDescriptors() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the descriptor opendir itself holds
}

}  // namespace

void RegisterProcessMetrics(metrics::Registry& registry, absl::string_view program) {
  const BuildInfo& info = GetBuildInfo();
  registry
      .AddGauge("preflight_build_info", "The running build; always 1.",
                {"program", "version", "revision", "build_type"})
      .WithLabels({std::string(program), std::string(info.version), std::string(info.git_revision),
                   std::string(info.build_type)})
      .Set(1);

  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page_bytes = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double start_time = BootTimeSeconds() + StatField(StatFields(), 22) / ticks;
  registry.AddCallbackGauge("process_start_time_seconds",
                            "Start time of the process since the Unix epoch in seconds.", {},
                            [start_time] {
                              return std::vector<metrics::Sample>{{{}, start_time}};
                            });
  registry.AddCallbackCounter("process_cpu_seconds_total",
                              "Total user and system CPU time spent in seconds.", {}, [ticks] {
                                const std::vector<std::string> fields = StatFields();
                                return std::vector<metrics::Sample>{
                                    {{}, (StatField(fields, 14) + StatField(fields, 15)) / ticks}};
                              });
  registry.AddCallbackGauge(
      "process_resident_memory_bytes", "Resident memory size in bytes.", {}, [page_bytes] {
        return std::vector<metrics::Sample>{{{}, StatField(StatFields(), 24) * page_bytes}};
      });
  registry.AddCallbackGauge(
      "process_virtual_memory_bytes", "Virtual memory size in bytes.", {}, [] {
        return std::vector<metrics::Sample>{{{}, StatField(StatFields(), 23)}};
      });
  registry.AddCallbackGauge("process_open_fds", "Number of open file descriptors.", {}, [] {
    return std::vector<metrics::Sample>{{{}, OpenFileDescriptors()}};
  });
  rlimit limit{};
  const double max_fds =
      getrlimit(RLIMIT_NOFILE, &limit) == 0 ? static_cast<double>(limit.rlim_cur) : 0;
  registry.AddCallbackGauge("process_max_fds", "Maximum number of open file descriptors.", {},
                            [max_fds] {
                              return std::vector<metrics::Sample>{{{}, max_fds}};
                            });
}

}  // namespace preflight
