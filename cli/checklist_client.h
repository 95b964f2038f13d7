#pragma once

// The CLI's view of the checklist service: one method per RPC. Commands talk to this interface so
// that request building and rendering are tested without a server.

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "cli/rpc_call.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "preflight/v1/calendar_feed.pb.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::cli {

class ChecklistClient {
 public:
  virtual ~ChecklistClient() = default;

  virtual grpc::Status CreateLaunch(const v1::CreateLaunchRequest& request,
                                    v1::Launch* response) = 0;
  virtual grpc::Status GetLaunch(const v1::GetLaunchRequest& request, v1::Launch* response) = 0;
  virtual grpc::Status ListLaunches(const v1::ListLaunchesRequest& request,
                                    v1::ListLaunchesResponse* response) = 0;
  virtual grpc::Status UpdateLaunch(const v1::UpdateLaunchRequest& request,
                                    v1::Launch* response) = 0;
  virtual grpc::Status UpdateItem(const v1::UpdateItemRequest& request, v1::Item* response) = 0;
  virtual grpc::Status AddItem(const v1::AddItemRequest& request, v1::Item* response) = 0;
  virtual grpc::Status GetReadiness(const v1::GetReadinessRequest& request,
                                    v1::Readiness* response) = 0;
  virtual grpc::Status ListEvents(const v1::ListEventsRequest& request,
                                  v1::ListEventsResponse* response) = 0;
  virtual grpc::Status ListTemplates(const v1::ListTemplatesRequest& request,
                                     v1::ListTemplatesResponse* response) = 0;
  virtual grpc::Status GetWorkingCalendar(const v1::GetWorkingCalendarRequest& request,
                                          v1::WorkingCalendar* response) = 0;

  // preflight.v1.CalendarFeedService, served by the same process. Not pure, so that fakes which
  // do not need calendars stay as they are: UNIMPLEMENTED unless overridden.
  virtual grpc::Status CreateCalendarFeed(const v1::CreateCalendarFeedRequest& request,
                                          v1::CreateCalendarFeedResponse* response);
  virtual grpc::Status ListCalendarFeeds(const v1::ListCalendarFeedsRequest& request,
                                         v1::ListCalendarFeedsResponse* response);
  virtual grpc::Status DeleteCalendarFeed(const v1::DeleteCalendarFeedRequest& request,
                                          google::protobuf::Empty* response);
  virtual grpc::Status ExportLaunchCalendar(const v1::ExportLaunchCalendarRequest& request,
                                            v1::ExportLaunchCalendarResponse* response);
  // Not pure: test doubles written before it need not answer it.
  virtual grpc::Status ListItems(const v1::ListItemsRequest& request,
                                 v1::ListItemsResponse* response) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "ListItems");
  }
};

// A client over `channel`: every call carries `actor` (when not empty) as x-preflight-actor
// metadata, `bearer_token` (when not empty) as authorization metadata, and a deadline of
// `timeout` from the moment it starts.
std::unique_ptr<ChecklistClient> NewGrpcChecklistClient(std::shared_ptr<grpc::Channel> channel,
                                                        std::string actor, absl::Duration timeout,
                                                        std::string bearer_token = "");

}  // namespace preflight::cli
