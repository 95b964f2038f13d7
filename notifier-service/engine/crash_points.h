#pragma once

#include <functional>
#include <string>

#include "absl/strings/string_view.h"

namespace preflight::notifier {

// Named points between the steps of a delivery where tests stop the engine as a crash would:
// kAfterDecide (deliveries committed, nothing sent), kAfterLease (marked SENDING, not sent),
// kAfterSend (sent, outcome not recorded). When the hook returns true the engine returns at once
// with ABORTED and writes nothing more, like a process killed at that point.
inline constexpr absl::string_view kAfterDecide = "after_decide";
inline constexpr absl::string_view kAfterLease = "after_lease";
inline constexpr absl::string_view kAfterSend = "after_send";

using CrashHook = std::function<bool(absl::string_view point)>;

}  // namespace preflight::notifier
