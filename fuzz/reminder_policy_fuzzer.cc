// Fuzzes the notifier's reminder policy loader: text-format parsing with field locations, then
// validation. A policy that validates must satisfy what the schedulers rely on (non-negative
// offsets, times within the day, a positive overdue interval). Also fuzzes the
// strict "HH:MM" parser, whose results must format back to the same text.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "common/text_proto.h"
#include "google/protobuf/text_format.h"
#include "notifier-service/domain/reminder_policy.h"
#include "preflight/v1/reminder_policy.pb.h"

namespace {

bool InDay(int minute) { return minute >= 0 && minute < 24 * 60; }

bool AllNonNegative(const std::vector<int>& offsets) {
  for (int offset : offsets) {
    if (offset < 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using preflight::notifier::ReminderPolicy;
  const std::string text(reinterpret_cast<const char*>(data), size);

  const std::optional<int> minute = preflight::notifier::ParseMinuteOfDay(text);
  if (minute.has_value() &&
      (!InDay(*minute) || preflight::notifier::FormatMinuteOfDay(*minute) != text)) {
    std::abort();
  }

  preflight::v1::ReminderPolicy proto;
  google::protobuf::TextFormat::ParseInfoTree info;
  if (!preflight::ParseTextProto(text, "fuzz.textproto", &proto, &info).ok()) return 0;
  absl::StatusOr<ReminderPolicy> policy =
      preflight::notifier::ReminderPolicyFromProto(proto, "fuzz.textproto", &info);
  if (!policy.ok()) {
    if (policy.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (!InDay(policy->send_minute_of_day) || policy->overdue_every_working_days < 1 ||
      !AllNonNegative(policy->before_start_working_days) ||
      !AllNonNegative(policy->before_due_working_days) ||
      !AllNonNegative(policy->post_launch_working_days) ||
      !AllNonNegative(policy->renewal_calendar_days)) {
    std::abort();
  }
  if (policy->quiet_start_minute.has_value() != policy->quiet_end_minute.has_value()) std::abort();
  if (policy->quiet_start_minute.has_value() &&
      (!InDay(*policy->quiet_start_minute) || !InDay(*policy->quiet_end_minute))) {
    std::abort();
  }
  // Validation is deterministic: the same proto gives the same policy.
  absl::StatusOr<ReminderPolicy> again =
      preflight::notifier::ReminderPolicyFromProto(proto, "fuzz.textproto", &info);
  if (!again.ok() || *again != *policy) std::abort();
  return 0;
}
