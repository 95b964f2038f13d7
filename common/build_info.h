#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace preflight {

// What was built: stamped into every binary at build time (cmake/build_info.cmake).
struct BuildInfo {
  // The project's version, e.g. "0.1.0".
  absl::string_view version;
  // `git describe --always --dirty` of the source tree, "unknown" outside a git checkout.
  absl::string_view git_revision;
  // The CMake build type, e.g. "RelWithDebInfo".
  absl::string_view build_type;
};

const BuildInfo& GetBuildInfo();

// One line for `--version`: "checklist-service 0.1.0 (git 5bd4eb85bb08, RelWithDebInfo)".
std::string VersionLine(absl::string_view program);

}  // namespace preflight
