#pragma once

// The gRPC metadata keys of the API, in one place for the services, the CLI and the tests.

namespace preflight::api {

// "Bearer <token>" (common/auth/bearer_token.h).
inline constexpr char kAuthorizationMetadataKey[] = "authorization";
// Who acts, recorded in the checklist's events; cut to the checklist's kMaxActorLength.
inline constexpr char kActorMetadataKey[] = "x-preflight-actor";
// Initial metadata of an accepted WatchEvents stream: the last committed sequence then...
inline constexpr char kLastSequenceMetadataKey[] = "x-preflight-last-sequence";
// ... and the event log's current epoch, for the next watch's WatchEventsRequest.log_epoch.
inline constexpr char kLogEpochMetadataKey[] = "x-preflight-log-epoch";

}  // namespace preflight::api
