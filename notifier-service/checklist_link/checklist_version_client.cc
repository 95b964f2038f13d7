#include "notifier-service/checklist_link/checklist_version_client.h"

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "grpcpp/client_context.h"

namespace preflight::notifier {

ChecklistVersionClient::ChecklistVersionClient(std::shared_ptr<grpc::Channel> channel,
                                               Options options)
    : stub_(v1::ChecklistService::NewStub(channel)), options_(std::move(options)) {}

absl::StatusOr<std::map<std::string, int64_t>> ChecklistVersionClient::ItemVersions(
    absl::string_view launch_id) {
  const std::string name = api::LaunchName(launch_id);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
  for (const auto& [key, value] : options_.metadata) context.AddMetadata(key, value);
  v1::GetLaunchRequest request;
  request.set_name(name);
  request.set_view(v1::LAUNCH_VIEW_FULL);
  v1::Launch launch;
  const grpc::Status status = stub_->GetLaunch(&context, request, &launch);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return absl::NotFoundError(
        absl::StrCat("checklist has no ", name, ": ", status.error_message()));
  }
  if (!status.ok()) {
    // Whatever went wrong, the fence cannot pass on stale knowledge: the caller retries later.
    return absl::UnavailableError(absl::StrCat(
        "checklist GetLaunch(", name,
        ") failed: ", absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
        ": ", status.error_message()));
  }
  std::map<std::string, int64_t> versions;
  for (const v1::Item& item : launch.items()) {
    if (item.code().empty() || item.version() <= 0) {
      return absl::UnavailableError(
          absl::StrCat("checklist GetLaunch(", name, "): item '", item.code(),
                       "' has no version (is the checklist service older than the notifier?)"));
    }
    versions[item.code()] = item.version();
  }
  return versions;
}

}  // namespace preflight::notifier
