#pragma once

// The CLI's view of preflight.v1.AdminService, which both services serve.

#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "preflight/v1/admin.pb.h"

namespace preflight::cli {

class AdminClient {
 public:
  virtual ~AdminClient() = default;

  // Streams a backup, handing each message to `on_message`; a false answer cancels the call.
  virtual grpc::Status Backup(const std::function<bool(const v1::BackupResponse&)>& on_message) = 0;
};

// A client over `channel`, with the CLI's metadata; `timeout` bounds the whole backup.
std::unique_ptr<AdminClient> NewGrpcAdminClient(std::shared_ptr<grpc::Channel> channel,
                                                std::string actor, absl::Duration timeout,
                                                std::string bearer_token);

}  // namespace preflight::cli
