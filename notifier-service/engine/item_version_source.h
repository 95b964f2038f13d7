#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight::notifier {

// The checklist's current item versions: the fence every send passes. The notifier learns of
// changes through the event stream, which may lag; before anything is sent, the item's version
// at the source must not be newer than the one the reminder was decided on.
class ItemVersionSource {
 public:
  virtual ~ItemVersionSource() = default;
  // Item code -> version for every item of the launch. NOT_FOUND when the launch is gone;
  // UNAVAILABLE when the checklist cannot be asked (sends then wait: never on stale knowledge).
  virtual absl::StatusOr<std::map<std::string, int64_t>> ItemVersions(
      absl::string_view launch_id) = 0;
};

}  // namespace preflight::notifier
