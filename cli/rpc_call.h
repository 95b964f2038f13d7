#pragma once

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/metadata_keys.h"
#include "grpcpp/grpcpp.h"

namespace preflight::cli {

// Calls `method` on `stub` with the CLI's deadline and actor. A call that failed to connect never
// reached the server, so it is tried again, up to three more times within the deadline: a
// loaded machine can refuse a fresh connection now and then. Any other answer is returned as is.
template <typename Stub, typename Request, typename Response>
grpc::Status CallUnary(Stub* stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                    Response*),
                       const Request& request, Response* response, absl::string_view actor,
                       absl::Duration timeout, absl::string_view bearer_token = "") {
  const absl::Time deadline = absl::Now() + timeout;
  absl::Duration pause = absl::Milliseconds(100);
  for (int attempt = 0;; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(deadline));
    if (!actor.empty()) context.AddMetadata(api::kActorMetadataKey, std::string(actor));
    if (!bearer_token.empty()) {
      context.AddMetadata(api::kAuthorizationMetadataKey, absl::StrCat("Bearer ", bearer_token));
    }
    grpc::Status status = (stub->*method)(&context, request, response);
    const bool not_sent = status.error_code() == grpc::StatusCode::UNAVAILABLE &&
                          absl::StrContains(status.error_message(), "failed to connect");
    if (!not_sent || attempt == 3 || absl::Now() + pause >= deadline) return status;
    absl::SleepFor(pause);
    pause *= 2;
  }
}

}  // namespace preflight::cli
