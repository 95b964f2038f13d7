#include "notifier-service/domain/model.h"

namespace preflight::notifier {

absl::string_view RungKindName(RungKind kind) {
  switch (kind) {
    case RungKind::kBeforeStart:
      return "before_start";
    case RungKind::kBeforeDue:
      return "before_due";
    case RungKind::kOverdue:
      return "overdue";
    case RungKind::kPostLaunch:
      return "post_launch";
    case RungKind::kRenewal:
      return "renewal";
    case RungKind::kTest:
      return "test";
    case RungKind::kWeeklyDigest:
      return "weekly_digest";
  }
  return "unknown";
}

}  // namespace preflight::notifier
