#pragma once

// Fixtures of the fault tests (tests/fault_*_test.cc): round counts raised by environment
// variables, and the "figure:" lines that docs/reliability.md quotes. The rest of what they use is
// in integration_testing.h and process.h.

#include <stdlib.h>

#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace preflight::testing {

// Whether this build runs under AddressSanitizer, where every process is several times slower:
// the fault tests then default to fewer rounds (the figures in docs/reliability.md come from
// the plain build's defaults).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// A positive integer from the environment (for longer runs), else `fallback`.
inline int EnvInt(const char* name, int fallback) {
  const char* value = getenv(name);
  int parsed = 0;
  if (value != nullptr && absl::SimpleAtoi(value, &parsed) && parsed > 0) return parsed;
  return fallback;
}

// One measured figure, printed as "figure: <test>: <text>" so it can be grepped from the log.
inline void Figure(const std::string& test, const std::string& text) {
  std::printf("figure: %s: %s\n", test.c_str(), text.c_str());
  std::fflush(stdout);
}

inline absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace preflight::testing
