#pragma once

#include <string>

#include "checklist-service/domain/calendar_feeds.h"
#include "checklist-service/domain/launch_service.h"
#include "common/auth/call_authorizer.h"
#include "common/page_token.h"
#include "preflight/v1/calendar_feed.grpc.pb.h"

namespace preflight::checklist {

// preflight.v1.CalendarFeedService: maps requests onto CalendarFeeds. Creating and deleting a
// feed need write access to its tenant, listing and exporting read access; another tenant's
// launch or feed answers exactly as a missing one.
class CalendarFeedGrpcService final : public v1::CalendarFeedService::Service {
 public:
  // `feeds_base_url` ("https://calendar.example.com", no trailing slash) begins every feed URL;
  // empty when the service serves no feeds (no --feeds_listen): CreateCalendarFeed is then
  // FAILED_PRECONDITION, the rest works. `authorizer` nullptr serves without authentication.
  CalendarFeedGrpcService(CalendarFeeds* feeds, LaunchService* launches, PageTokenCodec page_tokens,
                          std::string feeds_base_url,
                          const auth::CallAuthorizer* authorizer = nullptr);

  grpc::Status CreateCalendarFeed(grpc::ServerContext* context,
                                  const v1::CreateCalendarFeedRequest* request,
                                  v1::CreateCalendarFeedResponse* response) override;
  grpc::Status ListCalendarFeeds(grpc::ServerContext* context,
                                 const v1::ListCalendarFeedsRequest* request,
                                 v1::ListCalendarFeedsResponse* response) override;
  grpc::Status DeleteCalendarFeed(grpc::ServerContext* context,
                                  const v1::DeleteCalendarFeedRequest* request,
                                  google::protobuf::Empty* response) override;
  grpc::Status ExportLaunchCalendar(grpc::ServerContext* context,
                                    const v1::ExportLaunchCalendarRequest* request,
                                    v1::ExportLaunchCalendarResponse* response) override;

 private:
  static const auth::CallAuthorizer kNoAuthentication;
  const auth::CallAuthorizer* const authorizer_;
  CalendarFeeds* const feeds_;
  LaunchService* const launches_;
  const PageTokenCodec page_tokens_;
  const std::string feeds_base_url_;
};

}  // namespace preflight::checklist
