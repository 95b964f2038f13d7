#pragma once

// Shared pieces of the fault tests (tests/fault_*_test.cc): round counts raised by environment
// variables, and the "figure:" lines that docs/reliability.md quotes. Processes are started and
// polled with tests/testing/process.h.

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/grpcpp.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::fault {

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

inline void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(absl::ToInt64Milliseconds(timeout)));
  context.AddMetadata("x-preflight-actor", "fault-test");
}

// A launch due 20 days from now with the profile the integration tests use: several items are
// already past their latest start, so the notifier has reminders to send at once.
inline v1::CreateLaunchRequest LaunchRequest(const std::string& owner,
                                             const std::string& request_id) {
  v1::CreateLaunchRequest request;
  v1::Launch* launch = request.mutable_launch();
  launch->set_tenant("acme");
  launch->set_display_name("Fault " + request_id);
  launch->set_owner(owner);
  launch->set_target_launch_date(
      absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * 20), absl::UTCTimeZone()));
  launch->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_ENTERPRISE);
  launch->mutable_profile()->set_hosting(v1::HOSTING_OWN_MAINLAND_SERVER);
  launch->mutable_profile()->set_takes_payments(true);
  request.set_request_id(request_id);
  return request;
}

}  // namespace preflight::fault
