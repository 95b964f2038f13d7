#pragma once

// `preflight config ...`: the contexts of the config file (config_file.h), kubectl's way:
// get-contexts, current-context, use-context, set-context, delete-context, view.

#include <ostream>

#include "cli/command_line.h"
#include "cli/global_options.h"

namespace preflight::cli {

// Runs a `config` command and returns its exit code (0, or 2 for a usage error or a config file
// that cannot be read or written).
int RunConfigCommand(const Invocation& invocation, const Environment& env, std::ostream& out,
                     std::ostream& err);

}  // namespace preflight::cli
