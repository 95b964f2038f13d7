#pragma once

// How a table or field list is drawn: the choices of -o table|wide, --no-headers, --utc and
// --all, the terminal's width, and the time zone of each launch the answer is about.

#include <functional>
#include <map>
#include <string>

#include "absl/time/time.h"

namespace preflight::cli {

// Time zones by launch name ("launches/l1"): times about a launch are shown in its zone.
using LaunchZones = std::map<std::string, absl::TimeZone, std::less<>>;

struct RenderOptions {
  // -o wide: the extra columns, and no cell cut to fit.
  bool wide = false;
  // --no-headers: tables without their header row (and without footers or hints).
  bool headers = true;
  // Columns the output may take; 0 for no limit (output that is not a terminal, without $COLUMNS).
  int width = 0;
  // --utc: every time in UTC, whatever the launch's zone.
  bool utc = false;
  // `launch show --all`: also the items that do not apply, with their reasons.
  bool all_items = false;
  // The zone of each launch the answer mentions; a launch missing here is shown in UTC.
  LaunchZones zones;
};

}  // namespace preflight::cli
