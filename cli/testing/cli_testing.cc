#include "cli/testing/cli_testing.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/metadata_keys.h"
#include "gtest/gtest.h"

namespace preflight::testing {

cli::Invocation ParseInvocation(const std::vector<std::string>& args) {
  cli::Invocation invocation;
  const absl::Status status = cli::ParseCommandLine(args, &invocation);
  EXPECT_TRUE(status.ok()) << status;
  return invocation;
}

grpc::Status FakeChecklistService::GetLaunch(grpc::ServerContext* context,
                                             const v1::GetLaunchRequest* request,
                                             v1::Launch* response) {
  absl::MutexLock lock(&mu_);
  Record(*context);
  asked_.push_back(absl::StrCat(request->name(), " view ", request->view()));
  if (request->name() != "launches/l1") {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such launch");
  }
  response->set_name(request->name());
  response->set_time_zone("Asia/Shanghai");
  return grpc::Status::OK;
}

grpc::Status FakeChecklistService::UpdateItem(grpc::ServerContext* context,
                                              const v1::UpdateItemRequest* request,
                                              v1::Item* response) {
  absl::MutexLock lock(&mu_);
  Record(*context);
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      "item BIZ: illegal transition NOT_STARTED -> REJECTED");
}

std::string FakeChecklistService::actor() {
  absl::MutexLock lock(&mu_);
  return actor_;
}

absl::Duration FakeChecklistService::time_left() {
  absl::MutexLock lock(&mu_);
  return time_left_;
}

std::vector<std::string> FakeChecklistService::asked() {
  absl::MutexLock lock(&mu_);
  return asked_;
}

void FakeChecklistService::Record(const grpc::ServerContext& context) {
  auto it = context.client_metadata().find(api::kActorMetadataKey);
  actor_ = it == context.client_metadata().end()
               ? "<none>"
               : std::string(it->second.data(), it->second.size());
  time_left_ = absl::FromChrono(context.deadline()) - absl::Now();
}

}  // namespace preflight::testing
