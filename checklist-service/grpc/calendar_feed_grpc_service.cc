#include "checklist-service/grpc/calendar_feed_grpc_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "checklist-service/calendar/feed_http.h"
#include "checklist-service/calendar/ical_writer.h"
#include "checklist-service/domain/limits.h"
#include "common/api/limits.h"
#include "common/api/metadata_keys.h"
#include "common/api/resource_names.h"
#include "common/api/tenant_id.h"
#include "common/auth/principal.h"
#include "common/auth/tenant_scope.h"
#include "common/grpc_status.h"
#include "common/request_text.h"
#include "google/protobuf/util/time_util.h"

namespace preflight::checklist {
namespace {

grpc::Status Invalid(absl::string_view field, absl::string_view problem) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, absl::StrCat(field, ": ", problem));
}

absl::Status LaunchNotFound(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("launch ", id, " not found"));
}

// As ChecklistService records actors: the token's holder, else what the caller says.
std::string CreatorOf(const grpc::ServerContext& context, const auth::Principal& principal) {
  if (principal.token_name != auth::UnauthenticatedPrincipal().token_name) {
    return absl::StrCat(principal.display_name, " (", principal.token_name, ")");
  }
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(api::kActorMetadataKey);
  if (it == metadata.end() || it->second.empty()) return "anonymous";
  return std::string(it->second.data(), std::min(it->second.size(), kMaxActorLength));
}

v1::CalendarFeed ToProto(const CalendarFeed& feed) {
  v1::CalendarFeed out;
  out.set_name(api::CalendarFeedName(feed.id));
  out.set_tenant(feed.tenant);
  if (!feed.launch_id.empty()) {
    out.set_launch(api::LaunchName(feed.launch_id));
  } else {
    out.set_assignee(feed.assignee);
  }
  out.set_creator(feed.creator);
  *out.mutable_create_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(feed.create_time));
  return out;
}

}  // namespace

const auth::CallAuthorizer CalendarFeedGrpcService::kNoAuthentication(nullptr);

CalendarFeedGrpcService::CalendarFeedGrpcService(CalendarFeeds* feeds, LaunchService* launches,
                                                 PageTokenCodec page_tokens,
                                                 std::string feeds_base_url,
                                                 const auth::CallAuthorizer* authorizer)
    : authorizer_(authorizer != nullptr ? authorizer : &kNoAuthentication),
      feeds_(feeds),
      launches_(launches),
      page_tokens_(std::move(page_tokens)),
      feeds_base_url_(std::move(feeds_base_url)) {}

grpc::Status CalendarFeedGrpcService::CreateCalendarFeed(
    grpc::ServerContext* context, const v1::CreateCalendarFeedRequest* request,
    v1::CreateCalendarFeedResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWrite);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->has_calendar_feed()) return Invalid("calendar_feed", "required");
  const v1::CalendarFeed& feed = request->calendar_feed();
  NewCalendarFeed create;
  create.creator = CreatorOf(*context, *principal);
  if (!feed.tenant().empty()) {
    if (absl::Status s = api::ValidateTenantId("calendar_feed.tenant", feed.tenant()); !s.ok()) {
      return ToGrpcStatus(s);
    }
    create.tenant = feed.tenant();
  }
  switch (feed.source_case()) {
    case v1::CalendarFeed::kLaunch: {
      absl::StatusOr<std::string> id = api::ParseLaunchName(feed.launch(), "calendar_feed.launch");
      if (!id.ok()) return ToGrpcStatus(id.status());
      absl::StatusOr<LaunchState> launch = launches_->GetLaunch(*id, /*with_items=*/false);
      if (!launch.ok()) return ToGrpcStatus(launch.status());
      if (!principal->CanSeeTenant(launch->launch.tenant)) {
        return ToGrpcStatus(LaunchNotFound(*id));
      }
      create.launch_id = *id;
      break;
    }
    case v1::CalendarFeed::kAssignee:
      if (feed.assignee().empty()) return Invalid("calendar_feed.assignee", "required");
      if (feed.assignee().size() > kMaxNameLength) {
        return Invalid("calendar_feed.assignee",
                       absl::StrCat("too long (", feed.assignee().size(), " bytes, at most ",
                                    kMaxNameLength, ")"));
      }
      if (create.tenant.empty()) {
        return Invalid("calendar_feed.tenant", "required for an assignee's feed");
      }
      if (!principal->CanSeeTenant(create.tenant)) {
        return ToGrpcStatus(auth::OutOfTenantScope(*principal, create.tenant));
      }
      create.assignee = feed.assignee();
      break;
    case v1::CalendarFeed::SOURCE_NOT_SET:
      return Invalid("calendar_feed",
                     "set launch (a launch's feed) or assignee (an assignee's feed across the "
                     "tenant's launches)");
  }
  if (feeds_base_url_.empty()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this checklist service serves no calendar feeds (start it with "
                        "--feeds_listen=HOST:PORT)");
  }
  absl::StatusOr<CreatedCalendarFeed> created = feeds_->Create(create);
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response->mutable_calendar_feed() = ToProto(created->feed);
  response->set_url(absl::StrCat(feeds_base_url_, kFeedPathPrefix, created->feed.id, "/",
                                 created->secret, ".ics"));
  return grpc::Status::OK;
}

grpc::Status CalendarFeedGrpcService::ListCalendarFeeds(grpc::ServerContext* context,
                                                        const v1::ListCalendarFeedsRequest* request,
                                                        v1::ListCalendarFeedsResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  if (!request->tenant().empty()) {
    if (absl::Status s = api::ValidateTenantId("tenant", request->tenant()); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  if (request->page_token().size() > api::kMaxPageTokenLength) {
    return Invalid("page_token", absl::StrCat("too long (", request->page_token().size(),
                                              " bytes, at most ", api::kMaxPageTokenLength, ")"));
  }
  absl::StatusOr<std::string> tenant = auth::ScopedTenantFilter(*principal, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  const std::string scope = absl::StrCat("calendarFeeds|", *tenant);
  std::string after_id;
  if (!request->page_token().empty()) {
    absl::StatusOr<std::string> position = page_tokens_.Decode(request->page_token(), scope);
    if (!position.ok()) return ToGrpcStatus(position.status());
    after_id = *position;
  }
  absl::StatusOr<CalendarFeedPage> page = feeds_->List(*tenant, after_id, request->page_size());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const CalendarFeed& feed : page->feeds) *response->add_calendar_feeds() = ToProto(feed);
  if (!page->next_after_id.empty()) {
    response->set_next_page_token(page_tokens_.Encode(scope, page->next_after_id));
  }
  return grpc::Status::OK;
}

grpc::Status CalendarFeedGrpcService::DeleteCalendarFeed(
    grpc::ServerContext* context, const v1::DeleteCalendarFeedRequest* request,
    google::protobuf::Empty* /*response*/) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kWrite);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = api::ParseCalendarFeedName(request->name(), "name");
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<CalendarFeed> feed = feeds_->Get(*id);
  if (!feed.ok()) return ToGrpcStatus(feed.status());
  if (!principal->CanSeeTenant(feed->tenant)) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat("calendar feed ", *id, " not found")));
  }
  return ToGrpcStatus(feeds_->Revoke(*id));
}

grpc::Status CalendarFeedGrpcService::ExportLaunchCalendar(
    grpc::ServerContext* context, const v1::ExportLaunchCalendarRequest* request,
    v1::ExportLaunchCalendarResponse* response) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kRead);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status s = CheckRequestText(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = api::ParseLaunchName(request->name(), "name");
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<LaunchState> launch = launches_->GetLaunch(*id, /*with_items=*/false);
  if (!launch.ok()) return ToGrpcStatus(launch.status());
  if (!principal->CanSeeTenant(launch->launch.tenant)) return ToGrpcStatus(LaunchNotFound(*id));
  absl::StatusOr<CalendarView> view = feeds_->LaunchCalendar(*id);
  if (!view.ok()) return ToGrpcStatus(view.status());
  response->set_content_type("text/calendar; charset=utf-8");
  response->set_data(WriteICalendar(*view));
  return grpc::Status::OK;
}

}  // namespace preflight::checklist
