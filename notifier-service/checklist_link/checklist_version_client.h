#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "notifier-service/engine/item_version_source.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::notifier {

// The version fence's source of truth: asks the checklist service for a launch (full view) and
// reads each item's `version`. Thread-safe (one stub, one call per request).
class ChecklistVersionClient final : public ItemVersionSource {
 public:
  struct Options {
    // Per call; a checklist that does not answer in time counts as unavailable.
    absl::Duration deadline = absl::Seconds(3);
    // Sent with every call (e.g. credentials), as (key, value); keys must be lowercase.
    std::vector<std::pair<std::string, std::string>> metadata;
  };

  explicit ChecklistVersionClient(std::shared_ptr<grpc::Channel> channel)
      : ChecklistVersionClient(std::move(channel), Options()) {}
  ChecklistVersionClient(std::shared_ptr<grpc::Channel> channel, Options options);

  // NOT_FOUND when the checklist has no such launch; UNAVAILABLE (with the reason) for any other
  // failure, including an answer whose etags carry no version.
  absl::StatusOr<std::map<std::string, int64_t>> ItemVersions(absl::string_view launch_id) override;

 private:
  const std::unique_ptr<v1::ChecklistService::Stub> stub_;
  const Options options_;
};

}  // namespace preflight::notifier
