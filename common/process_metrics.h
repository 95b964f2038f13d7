#pragma once

#include "absl/strings/string_view.h"
#include "common/metrics/metrics.h"

namespace preflight {

// What every Preflight process exports besides its own metrics: preflight_build_info (version,
// git revision, build type) and the standard process_* metrics Prometheus clients export
// (start time, CPU seconds, resident and virtual memory, open file descriptors), from /proc.
void RegisterProcessMetrics(metrics::Registry& registry, absl::string_view program);

}  // namespace preflight
