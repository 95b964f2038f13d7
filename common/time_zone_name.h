#pragma once

// Time zones arrive from clients as names, and absl::LoadTimeZone reads whatever file a name
// points at (an absolute path, "../" out of the zoneinfo folder, a FIFO that blocks the thread).
// Every zone a client names is checked against the tz database's name grammar here before
// anything is loaded.

#include <cstddef>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace preflight {

inline constexpr size_t kMaxTimeZoneNameLength = 64;

// Whether `name` is shaped like an IANA time zone name (the tz database's Theory file): one or
// more components separated by '/', each 1 to 14 ASCII letters, digits, '-', '_' or '+', not
// starting with '-'; no leading or trailing '/', no empty, "." or ".." component; at most
// kMaxTimeZoneNameLength bytes. "UTC", "Asia/Shanghai", "Etc/GMT+8" and
// "America/Argentina/ComodRivadavia" are; "/etc/localtime", "../zoneinfo/UTC" and
// "Asia/../UTC" are not. The zoneinfo folder's non-zone files "localtime" (a link to the
// server's own /etc/localtime) and "posixrules" are refused too.
bool IsIanaTimeZoneName(absl::string_view name);

// absl::LoadTimeZone, for names that pass IsIanaTimeZoneName only: false, with nothing opened,
// for any other name.
bool LoadIanaTimeZone(absl::string_view name, absl::TimeZone* zone);

}  // namespace preflight
