#pragma once

#include "absl/time/time.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/grpc/write_gate.h"
#include "common/auth/call_authorizer.h"
#include "common/page_token.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::checklist {

// preflight.v1.ChecklistService over gRPC: maps requests onto LaunchService and answers with its
// results or its status. Holds no state of its own beyond the page-token key (and the timer that
// cancels watch writes stuck on stalled clients).
class ChecklistGrpcService final : public v1::ChecklistService::Service {
 public:
  // An accepted WatchEvents stream's initial metadata carries api::kLastSequenceMetadataKey and
  // api::kLogEpochMetadataKey (common/api/metadata_keys.h).

  // `stalled_write_grace`: how long a WatchEvents write may stay blocked on a client that stopped
  // reading, once its watch has to end (overflow, shutdown), before the call is cancelled.
  // `authorizer` checks each call's token, role and tenant; nullptr serves without
  // authentication (every caller may do everything, as on the loopback demo).
  ChecklistGrpcService(LaunchService* service, PageTokenCodec page_tokens,
                       WatchOptions watch_options = {},
                       absl::Duration stalled_write_grace = absl::Milliseconds(500),
                       const auth::CallAuthorizer* authorizer = nullptr);

  grpc::Status CreateLaunch(grpc::ServerContext* context, const v1::CreateLaunchRequest* request,
                            v1::Launch* response) override;
  grpc::Status GetLaunch(grpc::ServerContext* context, const v1::GetLaunchRequest* request,
                         v1::Launch* response) override;
  grpc::Status ListLaunches(grpc::ServerContext* context, const v1::ListLaunchesRequest* request,
                            v1::ListLaunchesResponse* response) override;
  grpc::Status UpdateLaunch(grpc::ServerContext* context, const v1::UpdateLaunchRequest* request,
                            v1::Launch* response) override;
  grpc::Status UpdateItem(grpc::ServerContext* context, const v1::UpdateItemRequest* request,
                          v1::Item* response) override;
  grpc::Status AddItem(grpc::ServerContext* context, const v1::AddItemRequest* request,
                       v1::Item* response) override;
  grpc::Status GetReadiness(grpc::ServerContext* context, const v1::GetReadinessRequest* request,
                            v1::Readiness* response) override;
  grpc::Status ListEvents(grpc::ServerContext* context, const v1::ListEventsRequest* request,
                          v1::ListEventsResponse* response) override;
  grpc::Status ListTemplates(grpc::ServerContext* context, const v1::ListTemplatesRequest* request,
                             v1::ListTemplatesResponse* response) override;
  // Holds one thread of the server's pool for as long as the stream is open.
  grpc::Status WatchEvents(grpc::ServerContext* context, const v1::WatchEventsRequest* request,
                           grpc::ServerWriter<v1::Event>* writer) override;

 private:
  // NOT_FOUND, worded as for a missing launch, when the launch is another tenant's.
  absl::Status CheckLaunchVisible(const auth::Principal& principal,
                                  const std::string& launch_id) const;

  static const auth::CallAuthorizer kNoAuthentication;
  const auth::CallAuthorizer* const authorizer_;
  LaunchService* const service_;
  const PageTokenCodec page_tokens_;
  const WatchOptions watch_options_;
  StalledWriteCanceller stalled_writes_;
};

}  // namespace preflight::checklist
