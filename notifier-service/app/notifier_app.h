#pragma once

// The notifier's wiring: opens its data, connects to the checklist, builds the engine and the
// channels, and serves until SIGINT or SIGTERM.

#include "absl/status/status.h"
#include "notifier-service/app/notifier_config.h"

namespace preflight::notifier {

// The program name in logs, metrics, backups and the data-folder lock.
inline constexpr char kNotifierProgram[] = "notifier-service";

// Returns when the server has stopped: OK after a signal, else why it could not serve.
absl::Status RunNotifier(const NotifierConfig& config);

}  // namespace preflight::notifier
