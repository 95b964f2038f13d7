#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/grpc/encoded_event_cache.h"
#include "checklist-service/grpc/encoded_launch_cache.h"
#include "common/auth/call_authorizer.h"
#include "common/page_token.h"
#include "common/serial_executor.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::checklist {

// preflight.v1.ChecklistService over gRPC: maps requests onto LaunchService and answers with its
// results or its status. The writes are synchronous (gRPC's sync pool runs them, since they wait
// for a durable commit); GetLaunch is a raw callback method answered from encoded responses;
// WatchEvents is on the callback API, so an open stream holds no thread: its watch is driven by
// gRPC's reactions and the event hub's notifications, on a few worker threads.
// Holds no state of its own beyond the page-token key, the encoded caches and the open streams.
using ChecklistServiceBase = v1::ChecklistService::WithRawCallbackMethod_GetLaunch<
    v1::ChecklistService::WithRawCallbackMethod_WatchEvents<v1::ChecklistService::Service>>;
class ChecklistGrpcService final : public ChecklistServiceBase {
 public:
  // An accepted WatchEvents stream's initial metadata carries api::kLastSequenceMetadataKey and
  // api::kLogEpochMetadataKey (common/api/metadata_keys.h).

  // `stalled_write_grace`: how long a WatchEvents stream that has to end (overflow, shutdown)
  // waits for its outstanding write to a client that stopped reading before the call is
  // cancelled. `authorizer` checks each call's token, role and tenant; nullptr serves without
  // authentication (every caller may do everything, as on the loopback demo).
  ChecklistGrpcService(LaunchService* service, PageTokenCodec page_tokens,
                       WatchOptions watch_options = {},
                       absl::Duration stalled_write_grace = absl::Milliseconds(500),
                       const auth::CallAuthorizer* authorizer = nullptr);
  // Waits until every WatchEvents stream is gone: destroy the server first.
  ~ChecklistGrpcService() override;

  grpc::Status CreateLaunch(grpc::ServerContext* context, const v1::CreateLaunchRequest* request,
                            v1::Launch* response) override;
  // Raw (ByteBuffer) on the callback API: the answer comes from EncodedLaunchCache while the
  // launch is unchanged, so a repeated read costs neither a conversion nor a serialization.
  grpc::ServerUnaryReactor* GetLaunch(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
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
  grpc::Status ListItems(grpc::ServerContext* context, const v1::ListItemsRequest* request,
                         v1::ListItemsResponse* response) override;
  grpc::Status ListTemplates(grpc::ServerContext* context, const v1::ListTemplatesRequest* request,
                             v1::ListTemplatesResponse* response) override;
  // A callback-API stream: holds no thread while it waits or writes.
  // Raw (ByteBuffer) on the wire, so that each event is serialized once for every stream that
  // sends it (EncodedEventCache); the request is parsed here.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchEvents(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request) override;
  // Any authenticated caller: the calendar holds no tenant's data.
  grpc::Status GetWorkingCalendar(grpc::ServerContext* context,
                                  const v1::GetWorkingCalendarRequest* request,
                                  v1::WorkingCalendar* response) override;

 private:
  class WatchReactor;

  // NOT_FOUND, worded as for a missing launch, when the launch is another tenant's.
  absl::Status CheckLaunchVisible(const auth::Principal& principal,
                                  const std::string& launch_id) const;
  grpc::Status GetLaunchEncoded(const grpc::CallbackServerContext& context,
                                const v1::GetLaunchRequest& request, grpc::ByteBuffer* response);
  // Authorizes a WatchEvents call and maps its request (this may read the store).
  absl::StatusOr<WatchRequest> PrepareWatch(const grpc::CallbackServerContext& context,
                                            const v1::WatchEventsRequest& request) const;
  void AddWatchReactor();
  void RemoveWatchReactor();

  static const auth::CallAuthorizer kNoAuthentication;
  const auth::CallAuthorizer* const authorizer_;
  LaunchService* const service_;
  const PageTokenCodec page_tokens_;
  const WatchOptions watch_options_;
  const absl::Duration stalled_write_grace_;

  EncodedLaunchCache encoded_launches_;

  absl::Mutex reactors_mu_;
  int watch_reactors_ ABSL_GUARDED_BY(reactors_mu_) = 0;
  // A serial worker that drives WatchEvents streams, and the wire forms its streams share. Each
  // stream is pinned to one worker, so its state needs no lock; streams are spread over a few
  // workers so that a commit's fan-out to many watchers uses every core.
  struct WatchWorker {
    explicit WatchWorker(const std::string& name) : executor(name) {}
    EncodedEventCache encoded_events;
    SerialExecutor executor;  // last: stopped first, while the cache still exists
  };
  WatchWorker& NextWatchWorker();

  std::atomic<size_t> next_watch_worker_{0};
  // Declared last, so they are stopped first, while everything their tasks use still exists.
  std::vector<std::unique_ptr<WatchWorker>> watch_workers_;
};

}  // namespace preflight::checklist
