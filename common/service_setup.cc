#include "common/service_setup.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/build_info.h"
#include "common/logging/log.h"
#include "common/server_runner.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"

ABSL_FLAG(std::string, log_format, "text",
          "Log line format on stderr: text (time level component: message key=value...) or json "
          "(one object per line)");
ABSL_FLAG(std::string, log_level, "info", "Lowest level logged: debug, info, warning or error");
ABSL_FLAG(std::string, metrics_listen, "",
          "Serve Prometheus metrics over HTTP at http://HOST:PORT/metrics; empty: off");

namespace preflight {
namespace {

// gRPC's own lines (connection errors, TLS handshake failures), in the same format as ours.
void LogFromGrpc(gpr_log_func_args* args) {
  logging::Level level = logging::Level::kDebug;
  if (args->severity == GPR_LOG_SEVERITY_INFO) level = logging::Level::kInfo;
  if (args->severity == GPR_LOG_SEVERITY_ERROR) level = logging::Level::kError;
  absl::string_view file = args->file != nullptr ? args->file : "";
  if (const size_t slash = file.rfind('/'); slash != absl::string_view::npos) {
    file.remove_prefix(slash + 1);
  }
  logging::Log(level, "grpc", args->message != nullptr ? args->message : "",
               {{"source", absl::StrCat(file, ":", args->line)}});
}

// protobuf's own lines (a request with invalid UTF-8 in a string field), in the same format. They
// are about input, so never above a warning.
void LogFromProtobuf(google::protobuf::LogLevel level, const char* filename, int line,
                     const std::string& message) {
  const logging::Level ours =
      level == google::protobuf::LOGLEVEL_INFO ? logging::Level::kInfo : logging::Level::kWarning;
  absl::string_view file = filename != nullptr ? filename : "";
  if (const size_t slash = file.rfind('/'); slash != absl::string_view::npos) {
    file.remove_prefix(slash + 1);
  }
  logging::Log(ours, "protobuf", message, {{"source", absl::StrCat(file, ":", line)}});
}

}  // namespace

void SetUpService(int argc, char** argv, absl::string_view program, absl::string_view usage) {
  absl::FlagsUsageConfig config;
  const std::string version = VersionLine(program) + "\n";
  config.version_string = [version] { return version; };
  absl::SetFlagsUsageConfig(config);
  absl::SetProgramUsageMessage(std::string(usage));
  absl::ParseCommandLine(argc, argv);

  absl::StatusOr<logging::Format> format = logging::ParseFormat(absl::GetFlag(FLAGS_log_format));
  absl::StatusOr<logging::Level> level = logging::ParseLevel(absl::GetFlag(FLAGS_log_level));
  for (const auto& [flag, status] : {std::make_pair("--log_format", format.status()),
                                     std::make_pair("--log_level", level.status())}) {
    if (!status.ok()) {
      std::fprintf(stderr, "%s: %s: %s\n", std::string(program).c_str(), flag,
                   std::string(status.message()).c_str());
      std::exit(2);
    }
  }
  logging::Options options;
  options.format = *format;
  options.level = *level;
  logging::Configure(options);
  gpr_set_log_function(&LogFromGrpc);
  google::protobuf::SetLogHandler(&LogFromProtobuf);
  // gRPC's info lines are about its internals; only --log_level=debug lets them through.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) {
    gpr_set_log_verbosity(*level == logging::Level::kDebug ? GPR_LOG_SEVERITY_INFO
                                                           : GPR_LOG_SEVERITY_ERROR);
  }
}

std::string MetricsListenFlag() { return absl::GetFlag(FLAGS_metrics_listen); }

void ShutDownLogging() { logging::Shutdown(); }

int RunServiceMain(int argc, char** argv, absl::string_view program, absl::string_view usage,
                   const std::function<absl::Status()>& run) {
  BlockTerminationSignals();
  // Debian's Abseil is built with Mutex deadlock detection on: a graph update on every lock,
  // measurable on the hot paths. In-process tests (which do not come through here) keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  SetUpService(argc, argv, program, usage);
  const absl::Status status = run();
  if (!status.ok()) logging::Error(program, "cannot serve", {{"error", status.ToString()}});
  ShutDownLogging();
  return status.ok() ? 0 : 1;
}

}  // namespace preflight
