#include "checklist-service/testing/checklist_server_testing.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/page_token.h"
#include "tests/testing/loopback_channel.h"

namespace preflight::testing {

v1::CreateLaunchRequest ShopLaunchRequest(const std::string& tenant) {
  v1::CreateLaunchRequest request;
  v1::Launch* launch = request.mutable_launch();
  launch->set_tenant(tenant);
  launch->set_display_name("Acme shop");
  launch->set_owner("zhang.wei@acme.cn");
  launch->set_target_launch_date("2026-12-15");
  launch->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_ENTERPRISE);
  launch->mutable_profile()->set_hosting(v1::HOSTING_OWN_MAINLAND_SERVER);
  return request;
}

absl::Status ChecklistTestServer::Start(checklist::LaunchService* service, const Options& options) {
  grpc_service_ = std::make_unique<checklist::ChecklistGrpcService>(
      service, PageTokenCodec("test-key"), options.watch, options.stalled_write_grace);
  absl::StatusOr<StartedServer> started = StartServer(
      ServerOptions{absl::StrCat("127.0.0.1:", options.port), "test", absl::Seconds(5), {}},
      {grpc_service_.get()});
  if (!started.ok()) return started.status();
  started_ = *std::move(started);
  channel_ = ConnectedLoopbackChannel(started_.port);
  return absl::OkStatus();
}

void ChecklistTestServer::Shutdown(absl::Duration grace) {
  if (started_.server == nullptr) return;
  if (grace == absl::InfiniteDuration()) {
    started_.server->Shutdown();
  } else {
    started_.server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  }
  started_.server->Wait();
  started_.server.reset();
}

}  // namespace preflight::testing
