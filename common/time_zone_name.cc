#include "common/time_zone_name.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace preflight {
namespace {

// The Theory file's limit on a file name component.
constexpr size_t kMaxComponentLength = 14;

bool IsComponentChar(char c) { return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '+'; }

bool IsComponent(absl::string_view component) {
  if (component.empty() || component.size() > kMaxComponentLength) return false;
  // "-" first could read as an option, and POSIX TZ strings are not names.
  if (component.front() == '-') return false;
  for (char c : component) {
    if (!IsComponentChar(c)) return false;
  }
  return true;
}

}  // namespace

bool IsIanaTimeZoneName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxTimeZoneNameLength) return false;
  // Files in the zoneinfo folder that are not zones of their own.
  if (name == "localtime" || name == "posixrules") return false;
  for (absl::string_view component : absl::StrSplit(name, '/')) {
    if (!IsComponent(component)) return false;
  }
  return true;
}

bool LoadIanaTimeZone(absl::string_view name, absl::TimeZone* zone) {
  if (!IsIanaTimeZoneName(name)) return false;
  return absl::LoadTimeZone(std::string(name), zone);
}

}  // namespace preflight
