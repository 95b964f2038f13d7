#pragma once

// The notifier's gRPC surface for in-process tests: the real NotifierGrpcService over a
// NotifierEngine, served on a free loopback port, bearer tokens checked by a fake authenticator
// so tests can call as a tenant-scoped or an all-tenant admin, and NotifierServerTest, the
// fixture of the tests that need only that. Library notifier_grpc_testing.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/call_authorizer.h"
#include "common/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/grpc/notifier_grpc_service.h"
#include "notifier-service/testing/notifier_engine_testing.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/loopback_server.h"

namespace preflight::testing {

// Bearer tokens of the fake authenticator: "pft_<12 hex>_<43 base64url>".
std::string FakeToken(char id);
// An all-tenant admin, and admins of tenants acme and globex.
extern const std::string kAllTenantsAdmin;
extern const std::string kAcmeAdmin;
extern const std::string kGlobexAdmin;

// Knows the three tokens above; refuses every other one.
class FakeAuthenticator final : public auth::Authenticator {
 public:
  absl::StatusOr<auth::Principal> Authenticate(const auth::BearerToken& token) override;
};

// A client context carrying `token`.
std::unique_ptr<grpc::ClientContext> ContextWithToken(const std::string& token);

class NotifierTestServer {
 public:
  struct Options {
    // What GetSubscriptionStatus answers; null: an empty status.
    std::function<v1::SubscriptionStatus()> subscription_status;
    // Checks every call's token; null: no authentication.
    const auth::CallAuthorizer* authorizer = nullptr;
  };

  NotifierTestServer() = default;
  NotifierTestServer(const NotifierTestServer&) = delete;
  NotifierTestServer& operator=(const NotifierTestServer&) = delete;
  ~NotifierTestServer() { Shutdown(); }

  // Serves `engine` (which must outlive the server) and connects a channel to it.
  absl::Status Start(notifier::NotifierEngine* engine, const Options& options);
  absl::Status Start(notifier::NotifierEngine* engine) { return Start(engine, Options()); }
  // Stops serving, waiting for in-flight calls. Does nothing when not serving.
  void Shutdown() { server_.Shutdown(); }

  int port() const { return server_.port(); }
  std::unique_ptr<v1::NotifierService::Stub> NewStub() const {
    return v1::NotifierService::NewStub(channel_);
  }

 private:
  std::unique_ptr<notifier::NotifierGrpcService> service_;
  LoopbackServer server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A NotifierGrpcService over a real engine (log channel, inline sends) with bearer tokens checked
// by FakeAuthenticator. Time is a FakeClock at Monday 2 March 2026, 08:00 in Shanghai.
class NotifierServerTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // A client context carrying `token` (the all-tenant admin by default).
  static std::unique_ptr<grpc::ClientContext> As(const std::string& token = kAllTenantsAdmin) {
    return ContextWithToken(token);
  }

  // Tells the engine about launch `launch_id` of `tenant`, with one item ICP_FILING assigned to
  // `assignee`: latest start Thursday 5 March, due Thursday 12 March 2026 (SpringLaunch).
  void FeedLaunch(const std::string& launch_id, const std::string& tenant,
                  const std::string& assignee);

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 3, 2, 0, 0, 0), absl::UTCTimeZone())};
  NotifierTestbed notifier_{&clock_};
  notifier::NotifierEngine* engine_ = nullptr;
  FakeAuthenticator authenticator_;
  auth::CallAuthorizer authorizer_{&authenticator_};
  NotifierTestServer server_;
  std::unique_ptr<v1::NotifierService::Stub> stub_;
  int64_t sequence_ = 0;
};

}  // namespace preflight::testing
