#pragma once

// Test-only (headers are not globbed into the library): a NotifierGrpcService over a real engine
// and SQLite store, served in-process, with bearer tokens checked by a fake authenticator so tests
// can call as a tenant-scoped or an all-tenant admin. Time is a FakeClock; sends are inline.

#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/api/resource_names.h"
#include "common/auth/authenticator.h"
#include "common/auth/call_authorizer.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "common/working_calendar.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "notifier-service/checklist_link/event_translation.h"
#include "notifier-service/channels/log_channel.h"
#include "notifier-service/engine/rate_budget.h"
#include "notifier-service/domain/reminder_policy.h"
#include "notifier-service/engine/item_version_source.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/grpc/notifier_grpc_service.h"
#include "notifier-service/grpc/notifier_proto_mapping.h"
#include "notifier-service/storage/sqlite_notifier_store.h"
#include "tests/testing/loopback_channel.h"
#include "tests/testing/temp_dir.h"

namespace preflight::notifier::testing_util {

// Bearer tokens of the fake authenticator: "pft_<12 hex>_<43 base64url>".
inline std::string FakeToken(char id) {
  return absl::StrCat("pft_", std::string(12, id), "_", std::string(43, 'S'));
}
// An all-tenant admin, and admins of tenants acme and globex.
inline const std::string kAllTenantsAdmin = FakeToken('a');
inline const std::string kAcmeAdmin = FakeToken('b');
inline const std::string kGlobexAdmin = FakeToken('c');

class FakeAuthenticator final : public auth::Authenticator {
 public:
  absl::StatusOr<auth::Principal> Authenticate(const auth::BearerToken& token) override {
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
};

// The checklist's item versions as a test sets them.
class SettableVersions final : public ItemVersionSource {
 public:
  absl::StatusOr<std::map<std::string, int64_t>> ItemVersions(
      absl::string_view launch_id) override {
    absl::MutexLock lock(&mu_);
    auto found = versions_.find(std::string(launch_id));
    if (found == versions_.end()) return absl::NotFoundError("no such launch");
    return found->second;
  }
  void Set(const std::string& launch_id, const std::string& code, int64_t version) {
    absl::MutexLock lock(&mu_);
    versions_[launch_id][code] = version;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::map<std::string, int64_t>> versions_ ABSL_GUARDED_BY(mu_);
};

class NotifierServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<WorkingCalendar> calendar =
        WorkingCalendar::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/calendar"});
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = std::make_unique<WorkingCalendar>(*std::move(calendar));
    absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> store = SqliteNotifierStore::Open(
        dir_.Join("notifier.db"), SqliteNotifierStore::Options{}, &clock_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    channels_[ChannelType::kLog] = std::make_unique<LogChannel>(&log_, &clock_);
    NotifierEngineOptions options;
    options.send_threads = 0;
    engine_ = std::make_unique<NotifierEngine>(store_.get(), &policy_, calendar_.get(), &channels_,
                                               &budget_, &versions_, &clock_, options);
    ASSERT_TRUE(engine_->Recover().ok());
    service_ = std::make_unique<NotifierGrpcService>(
        engine_.get(), PageTokenCodec("test-key"), [] { return v1::SubscriptionStatus(); },
        &authorizer_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::NotifierService::NewStub(preflight::testing::ConnectedLoopbackChannel(port));
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  // A client context carrying `token` (the all-tenant admin by default).
  static std::unique_ptr<grpc::ClientContext> As(const std::string& token = kAllTenantsAdmin) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return context;
  }

  // Tells the engine about launch `launch_id` of `tenant`, with one item ICP_FILING assigned to
  // `assignee`: latest start Thursday 5 March, due Thursday 12 March 2026.
  void FeedLaunch(const std::string& launch_id, const std::string& tenant,
                  const std::string& assignee) {
    v1::Event launch_event;
    launch_event.set_sequence(++sequence_);
    launch_event.set_type(v1::Event::TYPE_LAUNCH_CREATED);
    launch_event.set_tenant(tenant);
    launch_event.set_launch(api::LaunchName(launch_id));
    *launch_event.mutable_time() = ToTimestamp(clock_.Now());
    v1::Launch* launch = launch_event.mutable_launch_snapshot();
    launch->set_name(api::LaunchName(launch_id));
    launch->set_tenant(tenant);
    launch->set_display_name(absl::StrCat(tenant, " shop"));
    launch->set_owner("wang.wei");
    launch->set_time_zone("Asia/Shanghai");
    launch->set_target_launch_date("2026-04-30");
    launch->set_etag("1-abc");
    launch->set_version(1);
    ASSERT_TRUE(TranslateAndApply(*engine_->event_sink(), launch_event).ok());

    v1::Event item_event;
    item_event.set_sequence(++sequence_);
    item_event.set_type(v1::Event::TYPE_ITEM_CREATED);
    item_event.set_tenant(tenant);
    item_event.set_launch(api::LaunchName(launch_id));
    item_event.set_item_code("ICP_FILING");
    *item_event.mutable_time() = ToTimestamp(clock_.Now());
    v1::Item* item = item_event.mutable_item_snapshot();
    item->set_name(api::ItemName(launch_id, "ICP_FILING"));
    item->set_code("ICP_FILING");
    item->set_title_en("ICP filing");
    item->set_title_zh("ICP 备案");
    item->set_status(v1::ITEM_STATUS_NOT_STARTED);
    item->set_assignee(assignee);
    item->set_etag("1-abc");
    item->set_version(1);
    item->mutable_schedule()->set_latest_start_date("2026-03-05");
    item->mutable_schedule()->set_latest_finish_date("2026-03-12");
    absl::Status applied = TranslateAndApply(*engine_->event_sink(), item_event);
    ASSERT_TRUE(applied.ok()) << applied;
    versions_.Set(launch_id, "ICP_FILING", 1);
  }

  preflight::testing::TempDir dir_;
  // Monday 2 March 2026, 08:00 in Shanghai.
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 3, 2, 0, 0, 0), absl::UTCTimeZone())};
  ReminderPolicy policy_ = DefaultReminderPolicy();
  std::unique_ptr<WorkingCalendar> calendar_;
  std::unique_ptr<SqliteNotifierStore> store_;
  std::ostringstream log_;
  ChannelSet channels_;
  RateBudget budget_;
  SettableVersions versions_;
  FakeAuthenticator authenticator_;
  auth::CallAuthorizer authorizer_{&authenticator_};
  std::unique_ptr<NotifierEngine> engine_;
  std::unique_ptr<NotifierGrpcService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::NotifierService::Stub> stub_;
  int64_t sequence_ = 0;
};

}  // namespace preflight::notifier::testing_util
