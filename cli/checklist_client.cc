#include "cli/checklist_client.h"

#include <utility>

#include "absl/time/clock.h"
#include "cli/rpc_call.h"
#include "grpcpp/client_context.h"
#include "preflight/v1/calendar_feed.grpc.pb.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::cli {

namespace {

grpc::Status NotImplemented() {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "calendar feeds: not in this client");
}

}  // namespace

grpc::Status ChecklistClient::CreateCalendarFeed(const v1::CreateCalendarFeedRequest&,
                                                 v1::CreateCalendarFeedResponse*) {
  return NotImplemented();
}
grpc::Status ChecklistClient::ListCalendarFeeds(const v1::ListCalendarFeedsRequest&,
                                                v1::ListCalendarFeedsResponse*) {
  return NotImplemented();
}
grpc::Status ChecklistClient::DeleteCalendarFeed(const v1::DeleteCalendarFeedRequest&,
                                                 google::protobuf::Empty*) {
  return NotImplemented();
}
grpc::Status ChecklistClient::ExportLaunchCalendar(const v1::ExportLaunchCalendarRequest&,
                                                   v1::ExportLaunchCalendarResponse*) {
  return NotImplemented();
}

namespace {

class GrpcChecklistClient : public ChecklistClient {
 public:
  GrpcChecklistClient(std::shared_ptr<grpc::Channel> channel, std::string actor,
                      absl::Duration timeout, std::string bearer_token)
      : stub_(v1::ChecklistService::NewStub(channel)),
        feeds_(v1::CalendarFeedService::NewStub(std::move(channel))),
        actor_(std::move(actor)),
        timeout_(timeout),
        bearer_token_(std::move(bearer_token)) {}

  grpc::Status CreateLaunch(const v1::CreateLaunchRequest& request, v1::Launch* response) override {
    return Call(&Stub::CreateLaunch, request, response);
  }
  grpc::Status GetLaunch(const v1::GetLaunchRequest& request, v1::Launch* response) override {
    return Call(&Stub::GetLaunch, request, response);
  }
  grpc::Status ListLaunches(const v1::ListLaunchesRequest& request,
                            v1::ListLaunchesResponse* response) override {
    return Call(&Stub::ListLaunches, request, response);
  }
  grpc::Status UpdateLaunch(const v1::UpdateLaunchRequest& request, v1::Launch* response) override {
    return Call(&Stub::UpdateLaunch, request, response);
  }
  grpc::Status UpdateItem(const v1::UpdateItemRequest& request, v1::Item* response) override {
    return Call(&Stub::UpdateItem, request, response);
  }
  grpc::Status AddItem(const v1::AddItemRequest& request, v1::Item* response) override {
    return Call(&Stub::AddItem, request, response);
  }
  grpc::Status GetReadiness(const v1::GetReadinessRequest& request,
                            v1::Readiness* response) override {
    return Call(&Stub::GetReadiness, request, response);
  }
  grpc::Status ListEvents(const v1::ListEventsRequest& request,
                          v1::ListEventsResponse* response) override {
    return Call(&Stub::ListEvents, request, response);
  }
  grpc::Status ListTemplates(const v1::ListTemplatesRequest& request,
                             v1::ListTemplatesResponse* response) override {
    return Call(&Stub::ListTemplates, request, response);
  }
  grpc::Status GetWorkingCalendar(const v1::GetWorkingCalendarRequest& request,
                                  v1::WorkingCalendar* response) override {
    return Call(&Stub::GetWorkingCalendar, request, response);
  }
  grpc::Status CreateCalendarFeed(const v1::CreateCalendarFeedRequest& request,
                                  v1::CreateCalendarFeedResponse* response) override {
    return FeedCall(&FeedStub::CreateCalendarFeed, request, response);
  }
  grpc::Status ListCalendarFeeds(const v1::ListCalendarFeedsRequest& request,
                                 v1::ListCalendarFeedsResponse* response) override {
    return FeedCall(&FeedStub::ListCalendarFeeds, request, response);
  }
  grpc::Status DeleteCalendarFeed(const v1::DeleteCalendarFeedRequest& request,
                                  google::protobuf::Empty* response) override {
    return FeedCall(&FeedStub::DeleteCalendarFeed, request, response);
  }
  grpc::Status ExportLaunchCalendar(const v1::ExportLaunchCalendarRequest& request,
                                    v1::ExportLaunchCalendarResponse* response) override {
    return FeedCall(&FeedStub::ExportLaunchCalendar, request, response);
  }
  grpc::Status ListItems(const v1::ListItemsRequest& request,
                         v1::ListItemsResponse* response) override {
    return Call(&Stub::ListItems, request, response);
  }

 private:
  using Stub = v1::ChecklistService::Stub;

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return CallUnary(stub_.get(), method, request, response, actor_, timeout_, bearer_token_);
  }

  using FeedStub = v1::CalendarFeedService::Stub;

  template <typename Request, typename Response>
  grpc::Status FeedCall(grpc::Status (FeedStub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
                        const Request& request, Response* response) {
    return CallUnary(feeds_.get(), method, request, response, actor_, timeout_, bearer_token_);
  }

  std::unique_ptr<Stub> stub_;
  std::unique_ptr<FeedStub> feeds_;
  const std::string actor_;
  const absl::Duration timeout_;
  const std::string bearer_token_;
};

}  // namespace

std::unique_ptr<ChecklistClient> NewGrpcChecklistClient(std::shared_ptr<grpc::Channel> channel,
                                                        std::string actor, absl::Duration timeout,
                                                        std::string bearer_token) {
  return std::make_unique<GrpcChecklistClient>(std::move(channel), std::move(actor), timeout,
                                               std::move(bearer_token));
}

}  // namespace preflight::cli
