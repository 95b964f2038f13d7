#pragma once

// The checklist's wiring: loads the templates and the calendar, opens the store, wires the
// layers and serves until SIGINT or SIGTERM.

#include "absl/status/status.h"
#include "checklist-service/app/checklist_config.h"

namespace preflight::checklist {

// The program name in logs, metrics, backups and the data-folder lock.
inline constexpr char kChecklistProgram[] = "checklist-service";

// Returns when the server has stopped: OK after a signal, else why it could not serve.
absl::Status RunChecklist(const ChecklistConfig& config);

}  // namespace preflight::checklist
