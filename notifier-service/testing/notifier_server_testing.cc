#include "notifier-service/testing/notifier_server_testing.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/page_token.h"
#include "tests/testing/status_matchers.h"

namespace preflight::testing {

std::string FakeToken(char id) {
  return absl::StrCat("pft_", std::string(12, id), "_", std::string(43, 'S'));
}

const std::string kAllTenantsAdmin = FakeToken('a');
const std::string kAcmeAdmin = FakeToken('b');
const std::string kGlobexAdmin = FakeToken('c');

absl::StatusOr<auth::Principal> FakeAuthenticator::Authenticate(const auth::BearerToken& token) {
  if (token.id == std::string(12, 'a')) {
    return auth::Principal{"tokens/aaaaaaaaaaaa", auth::kAllTenants, auth::Role::kAdmin, "root"};
  }
  if (token.id == std::string(12, 'b')) {
    return auth::Principal{"tokens/bbbbbbbbbbbb", "acme", auth::Role::kAdmin, "acme-admin"};
  }
  if (token.id == std::string(12, 'c')) {
    return auth::Principal{"tokens/cccccccccccc", "globex", auth::Role::kAdmin, "globex-admin"};
  }
  return absl::UnauthenticatedError("the bearer token is not valid");
}

std::unique_ptr<grpc::ClientContext> ContextWithToken(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return context;
}

// ---- NotifierTestServer -------------------------------------------------------------------------

absl::Status NotifierTestServer::Start(notifier::NotifierEngine* engine, const Options& options) {
  std::function<v1::SubscriptionStatus()> subscription_status = options.subscription_status;
  if (!subscription_status) subscription_status = [] { return v1::SubscriptionStatus(); };
  service_ = std::make_unique<notifier::NotifierGrpcService>(
      engine, PageTokenCodec("test-key"), std::move(subscription_status), options.authorizer);
  absl::Status started = server_.Start({service_.get()});
  if (!started.ok()) return started;
  channel_ = server_.Connect();
  return absl::OkStatus();
}

// ---- NotifierServerTest -------------------------------------------------------------------------

void NotifierServerTest::SetUp() {
  notifier_.AddLogChannel();
  ASSERT_OK(notifier_.Open());
  engine_ = notifier_.engine();
  NotifierTestServer::Options options;
  options.authorizer = &authorizer_;
  ASSERT_OK(server_.Start(engine_, options));
  stub_ = server_.NewStub();
}

void NotifierServerTest::FeedLaunch(const std::string& launch_id, const std::string& tenant,
                                    const std::string& assignee) {
  ASSERT_OK(notifier_.Apply(LaunchEvent(
      ++sequence_, SpringLaunch(launch_id, tenant, absl::StrCat(tenant, " shop"), clock_.Now()))));
  ASSERT_OK(notifier_.Apply(
      ItemEvent(++sequence_, launch_id, SpringItem(tenant, assignee, clock_.Now()))));
}

}  // namespace preflight::testing
