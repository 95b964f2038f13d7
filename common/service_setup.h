#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace preflight {

// Start-up shared by both services' mains: parses the command line (absl flags, including
// --flagfile), answers --version with VersionLine(program) instead of absl's text, and sets up
// logging from --log_format and --log_level, with gRPC's own log lines routed into it. Exits
// with status 2 on a bad --log_format or --log_level. Call first in main, after
// BlockTerminationSignals.
void SetUpService(int argc, char** argv, absl::string_view program, absl::string_view usage);

// --metrics_listen: where the service serves Prometheus metrics; empty when off.
std::string MetricsListenFlag();

// Writes out pending log lines; call last in main.
void ShutDownLogging();

// A service's whole main: blocks SIGINT/SIGTERM for the server's signal thread, parses the flags
// (SetUpService), calls `run`, logs why it could not serve if it failed, flushes the log and
// returns the process's exit status (0 only when `run` returned OK).
int RunServiceMain(int argc, char** argv, absl::string_view program, absl::string_view usage,
                   const std::function<absl::Status()>& run);

}  // namespace preflight
