#include "cli/admin_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "cli/rpc_call.h"
#include "preflight/v1/admin.grpc.pb.h"

namespace preflight::cli {
namespace {

class GrpcAdminClient : public AdminClient {
 public:
  GrpcAdminClient(std::shared_ptr<grpc::Channel> channel, std::string actor, absl::Duration timeout,
                  std::string bearer_token)
      : stub_(v1::AdminService::NewStub(std::move(channel))),
        actor_(std::move(actor)),
        timeout_(timeout),
        bearer_token_(std::move(bearer_token)) {}

  grpc::Status Backup(const std::function<bool(const v1::BackupResponse&)>& on_message) override {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
    if (!actor_.empty()) context.AddMetadata(api::kActorMetadataKey, actor_);
    if (!bearer_token_.empty()) {
      context.AddMetadata(api::kAuthorizationMetadataKey, absl::StrCat("Bearer ", bearer_token_));
    }
    std::unique_ptr<grpc::ClientReader<v1::BackupResponse>> reader =
        stub_->Backup(&context, v1::BackupRequest());
    v1::BackupResponse message;
    while (reader->Read(&message)) {
      if (!on_message(message)) {
        context.TryCancel();
        break;
      }
    }
    return reader->Finish();
  }

 private:
  std::unique_ptr<v1::AdminService::Stub> stub_;
  const std::string actor_;
  const absl::Duration timeout_;
  const std::string bearer_token_;
};

}  // namespace

std::unique_ptr<AdminClient> NewGrpcAdminClient(std::shared_ptr<grpc::Channel> channel,
                                                std::string actor, absl::Duration timeout,
                                                std::string bearer_token) {
  return std::make_unique<GrpcAdminClient>(std::move(channel), std::move(actor), timeout,
                                           std::move(bearer_token));
}

}  // namespace preflight::cli
