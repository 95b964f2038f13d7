// In-process gRPC tests: the real service, domain, SQLite store, templates and calendar, served on
// a loopback port and called through a real channel. Time comes from a FakeClock.

#include "checklist-service/grpc/checklist_grpc_service.h"

#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/testing/checklist_server_testing.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::checklist {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

absl::Time ShanghaiTime(int y, int m, int d, int hh = 10) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), zone);
}

class ChecklistGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open());
    service_ = checklist_.NewService();
    ASSERT_OK(server_.Start(service_.get()));
    stub_ = server_.NewStub();
  }

  void TearDown() override { server_.Shutdown(); }

  // The shop, taking payments for e-commerce.
  static v1::CreateLaunchRequest ShopRequest(const std::string& tenant = "acme") {
    v1::CreateLaunchRequest request = testing::ShopLaunchRequest(tenant);
    v1::LaunchProfile* profile = request.mutable_launch()->mutable_profile();
    profile->set_takes_payments(true);
    profile->add_service_categories("ecommerce");
    return request;
  }

  grpc::Status Create(const v1::CreateLaunchRequest& request, v1::Launch* launch,
                      const std::string& actor = "tester") {
    grpc::ClientContext context;
    context.AddMetadata("x-preflight-actor", actor);
    return stub_->CreateLaunch(&context, request, launch);
  }

  v1::Launch CreateShop(const std::string& tenant = "acme") {
    v1::Launch launch;
    const grpc::Status status = Create(ShopRequest(tenant), &launch);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return launch;
  }

  grpc::Status Get(const std::string& name, v1::Launch* launch,
                   v1::LaunchView view = v1::LAUNCH_VIEW_UNSPECIFIED) {
    grpc::ClientContext context;
    v1::GetLaunchRequest request;
    request.set_name(name);
    request.set_view(view);
    return stub_->GetLaunch(&context, request, launch);
  }

  grpc::Status SetStatus(const std::string& launch, const std::string& code, v1::ItemStatus status,
                         v1::Item* out, const std::string& waiver_reason = "") {
    grpc::ClientContext context;
    v1::UpdateItemRequest request;
    request.mutable_item()->set_name(absl::StrCat(launch, "/items/", code));
    request.mutable_item()->set_status(status);
    request.mutable_update_mask()->add_paths("status");
    if (!waiver_reason.empty()) {
      request.mutable_item()->set_waiver_reason(waiver_reason);
      request.mutable_update_mask()->add_paths("waiver_reason");
    }
    return stub_->UpdateItem(&context, request, out);
  }

  grpc::Status Events(const std::string& launch, v1::ListEventsResponse* out, int page_size = 0,
                      const std::string& token = "") {
    grpc::ClientContext context;
    v1::ListEventsRequest request;
    request.set_parent(launch);
    request.set_page_size(page_size);
    request.set_page_token(token);
    return stub_->ListEvents(&context, request, out);
  }

  std::vector<v1::Event> AllEvents(const std::string& launch) {
    std::vector<v1::Event> events;
    std::string token;
    do {
      v1::ListEventsResponse page;
      const grpc::Status status = Events(launch, &page, 200, token);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      events.insert(events.end(), page.events().begin(), page.events().end());
      token = page.next_page_token();
    } while (!token.empty());
    return events;
  }

  static const v1::Item* FindItem(const v1::Launch& launch, const std::string& code) {
    for (const v1::Item& item : launch.items()) {
      if (item.code() == code) return &item;
    }
    return nullptr;
  }

  FakeClock clock_{ShanghaiTime(2026, 9, 1)};
  testing::ChecklistTestbed checklist_{&clock_};
  std::unique_ptr<LaunchService> service_;
  testing::ChecklistTestServer server_;
  std::unique_ptr<v1::ChecklistService::Stub> stub_;
};

// ---- CreateLaunch -------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, CreateLaunchInstantiatesApplicableItems) {
  const v1::Launch launch = CreateShop();
  EXPECT_THAT(launch.name(), ::testing::StartsWith("launches/"));
  EXPECT_EQ(launch.time_zone(), "Asia/Shanghai");
  EXPECT_EQ(launch.template_id(), "wechat-miniprogram-cn");
  EXPECT_FALSE(launch.etag().empty());
  for (const char* code :
       {"ICP_FILING", "PSB_FILING", "MP_VERIFY", "MP_FILING", "WXPAY_MCH", "WXPAY_BIND"}) {
    const v1::Item* item = FindItem(launch, code);
    ASSERT_NE(item, nullptr) << code;
    EXPECT_EQ(item->status(), v1::ITEM_STATUS_NOT_STARTED) << code;
    EXPECT_FALSE(item->applicability_reason().empty()) << code;
    EXPECT_FALSE(item->schedule().latest_start_date().empty()) << code;
    EXPECT_EQ(item->name(), absl::StrCat(launch.name(), "/items/", code));
  }
  EXPECT_THAT(FindItem(launch, "WXPAY_BIND")->depends_on(), Contains("WXPAY_MCH"));
  EXPECT_EQ(FindItem(launch, "MP_VERIFY")->fee_per_attempt().units(), 300);
  EXPECT_FALSE(launch.schedule().projected_launch_date().empty());
  EXPECT_GT(launch.schedule().critical_path_size(), 0);
}

TEST_F(ChecklistGrpcServiceTest, CreateLaunchRecordsEventsWithActor) {
  const v1::Launch launch = CreateShop();
  const std::vector<v1::Event> events = AllEvents(launch.name());
  ASSERT_EQ(events.size(), 1u + launch.items_size());
  EXPECT_EQ(events[0].type(), v1::Event::TYPE_LAUNCH_CREATED);
  EXPECT_EQ(events[0].actor(), "tester");
  EXPECT_EQ(events[0].launch_snapshot().name(), launch.name());
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].type(), v1::Event::TYPE_ITEM_CREATED);
    EXPECT_EQ(events[i].sequence(), events[i - 1].sequence() + 1);
    EXPECT_EQ(events[i].item_snapshot().code(), events[i].item_code());
  }
}

TEST_F(ChecklistGrpcServiceTest, CreateLaunchWithRequestIdIsIdempotent) {
  v1::CreateLaunchRequest request = ShopRequest();
  request.set_request_id("create-acme-1");
  v1::Launch first, second;
  ASSERT_OK(Create(request, &first));
  ASSERT_OK(Create(request, &second));
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(AllEvents(first.name()).size(), 1u + first.items_size());

  request.mutable_launch()->set_display_name("Something else");
  v1::Launch third;
  EXPECT_STATUS(Create(request, &third), ALREADY_EXISTS, "request_id");

  // The same id under another tenant is a different request.
  v1::CreateLaunchRequest other = ShopRequest("globex");
  other.set_request_id("create-acme-1");
  v1::Launch fourth;
  ASSERT_OK(Create(other, &fourth));
  EXPECT_NE(fourth.name(), first.name());
}

TEST_F(ChecklistGrpcServiceTest, CreateLaunchRejectsBadInput) {
  v1::Launch out;
  EXPECT_STATUS(Create(v1::CreateLaunchRequest(), &out), INVALID_ARGUMENT, "launch: required");

  struct Case {
    std::function<void(v1::CreateLaunchRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.mutable_launch()->set_target_launch_date("2026-02-30"); },
       "launch.target_launch_date"},
      {[](auto& r) { r.mutable_launch()->set_target_launch_date("15/12/2026"); },
       "launch.target_launch_date"},
      {[](auto& r) { r.mutable_launch()->clear_target_launch_date(); },
       "launch.target_launch_date: required"},
      {[](auto& r) { r.mutable_launch()->clear_tenant(); }, "launch.tenant: required"},
      {[](auto& r) { r.mutable_launch()->set_tenant("Acme Corp"); }, "launch.tenant"},
      {[](auto& r) { r.mutable_launch()->clear_display_name(); }, "launch.display_name: required"},
      {[](auto& r) { r.mutable_launch()->set_display_name(std::string(201, 'x')); },
       "launch.display_name: too long"},
      {[](auto& r) { r.mutable_launch()->clear_owner(); }, "launch.owner: required"},
      {[](auto& r) { r.mutable_launch()->set_time_zone("Mars/Olympus"); }, "launch.time_zone"},
      {[](auto& r) { r.mutable_launch()->clear_profile(); }, "launch.profile: required"},
      {[](auto& r) {
         r.mutable_launch()->mutable_profile()->set_subject_type(static_cast<v1::SubjectType>(99));
       },
       "launch.profile.subject_type: unknown value 99"},
      {[](auto& r) {
         r.mutable_launch()->mutable_profile()->set_hosting(static_cast<v1::Hosting>(42));
       },
       "launch.profile.hosting: unknown value 42"},
      {[](auto& r) {
         r.mutable_launch()->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_UNSPECIFIED);
       },
       "profile.subject_type"},
      {[](auto& r) {
         r.mutable_launch()->mutable_profile()->add_service_categories("space_tourism");
       },
       "space_tourism"},
      {[](auto& r) {
         r.mutable_launch()->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_INDIVIDUAL);
       },
       "profile.takes_payments"},
      {[](auto& r) { r.mutable_launch()->set_template_id("no-such-template"); },
       "launch.template_id"},
      {[](auto& r) { r.set_request_id(std::string(65, 'r')); }, "request_id: too long"},
  };
  for (const Case& c : cases) {
    v1::CreateLaunchRequest request = ShopRequest();
    c.mutate(request);
    EXPECT_STATUS(Create(request, &out), INVALID_ARGUMENT, c.field);
  }
  // Nothing was written by any of them.
  grpc::ClientContext context;
  v1::ListLaunchesResponse all;
  ASSERT_OK(stub_->ListLaunches(&context, v1::ListLaunchesRequest(), &all));
  EXPECT_EQ(all.launches_size(), 0);
}

// ---- GetLaunch ----------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, ProvinceAndMaterialsTravelThroughTheApi) {
  v1::CreateLaunchRequest create = ShopRequest("acme");
  create.mutable_launch()->mutable_profile()->set_province("ZJ");
  v1::Launch launch;
  ASSERT_TRUE(Create(create, &launch).ok());
  EXPECT_EQ(launch.profile().province(), "ZJ");
  const v1::Item* icp = FindItem(launch, "ICP_FILING");
  ASSERT_NE(icp, nullptr);
  EXPECT_EQ(icp->duration().max(), 34);  // Zhejiang
  std::map<std::string, v1::MaterialStatus> statuses;
  for (const v1::Material& m : icp->materials()) statuses[m.code()] = m.status();
  EXPECT_EQ(statuses["residence_permit"], v1::MATERIAL_STATUS_MISSING);  // asked for in ZJ
  EXPECT_EQ(statuses["party_building_certificate"], v1::MATERIAL_STATUS_NOT_APPLICABLE);
  const int missing = icp->materials_missing();

  grpc::ClientContext context;
  v1::UpdateItemRequest request;
  request.mutable_item()->set_name(absl::StrCat(launch.name(), "/items/ICP_FILING"));
  v1::Material* ready = request.mutable_item()->add_materials();
  ready->set_code("business_licence");
  ready->set_status(v1::MATERIAL_STATUS_READY);
  request.mutable_update_mask()->add_paths("materials");
  v1::Item item;
  ASSERT_TRUE(stub_->UpdateItem(&context, request, &item).ok());
  EXPECT_EQ(item.materials_missing(), missing - 1);

  grpc::ClientContext by_hand;
  ready->set_status(v1::MATERIAL_STATUS_NOT_APPLICABLE);
  EXPECT_STATUS(stub_->UpdateItem(&by_hand, request, &item), INVALID_ARGUMENT,
                "item.materials[0].status");

  v1::CreateLaunchRequest bad = ShopRequest("acme");
  bad.mutable_launch()->mutable_profile()->set_province("Zhejiang");
  grpc::ClientContext bad_context;
  EXPECT_STATUS(stub_->CreateLaunch(&bad_context, bad, &launch), INVALID_ARGUMENT,
                "profile.province: unknown province 'Zhejiang'");
}

TEST_F(ChecklistGrpcServiceTest, GoingLiveBeforeCodeReviewIsAFailedPrecondition) {
  const v1::Launch launch = CreateShop();
  clock_.SetTime(ShanghaiTime(2026, 9, 10));
  grpc::ClientContext context;
  v1::UpdateLaunchRequest request;
  request.mutable_launch()->set_name(launch.name());
  request.mutable_launch()->set_went_live_date("2026-09-09");
  request.mutable_update_mask()->add_paths("went_live_date");
  v1::Launch updated;
  EXPECT_STATUS(stub_->UpdateLaunch(&context, request, &updated), FAILED_PRECONDITION,
                "launch.went_live_date: a launch goes live only after MP_FILING (NOT_STARTED), "
                "CODE_REVIEW (NOT_STARTED) are approved or waived");
}

TEST_F(ChecklistGrpcServiceTest, ScheduleNamesMissingCalendarYearsAndEstimates) {
  // A paid mini game with a 2027 target: the 版号 (an estimate) sets the critical path, and the
  // dates counted in unannounced 2027 say so by year.
  v1::CreateLaunchRequest request = ShopRequest();
  request.mutable_launch()->set_target_launch_date("2027-03-15");
  request.mutable_launch()->mutable_profile()->set_mini_game(true);
  v1::Launch launch;
  ASSERT_OK(Create(request, &launch));
  const v1::LaunchSchedule& schedule = launch.schedule();
  EXPECT_TRUE(schedule.unconfirmed_calendar());
  EXPECT_THAT(schedule.unconfirmed_years(), ::testing::ElementsAre(2027));
  EXPECT_THAT(schedule.critical_path(), Contains("PERMIT_GAME"));
  EXPECT_THAT(schedule.estimated_critical_items(), Contains("PERMIT_GAME"));
  const v1::Item* game = FindItem(launch, "PERMIT_GAME");
  ASSERT_NE(game, nullptr);
  EXPECT_TRUE(game->estimate());
  EXPECT_EQ(game->duration().typical(), 60);
  EXPECT_EQ(game->duration().max(), 186);
  EXPECT_TRUE(game->schedule().duration_estimated());
  // Its latest dates count back from March 2027.
  EXPECT_THAT(game->schedule().unconfirmed_years(), ::testing::ElementsAre(2027));
  // Once approved, an estimated item's dates are records, not estimates.
  EXPECT_TRUE(FindItem(launch, "PRIVACY_GUIDE")->schedule().duration_estimated());
  v1::Item item;
  ASSERT_OK(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_APPROVED, &item));
  ASSERT_OK(SetStatus(launch.name(), "PRIVACY_GUIDE", v1::ITEM_STATUS_APPROVED, &item));
  EXPECT_TRUE(item.estimate());
  EXPECT_FALSE(item.schedule().duration_estimated());
}

TEST_F(ChecklistGrpcServiceTest, GetLaunchReturnsViews) {
  const v1::Launch created = CreateShop();
  v1::Launch full, basic;
  ASSERT_OK(Get(created.name(), &full));
  EXPECT_EQ(full.items_size(), created.items_size());
  EXPECT_EQ(full.etag(), created.etag());
  ASSERT_OK(Get(created.name(), &basic, v1::LAUNCH_VIEW_BASIC));
  EXPECT_EQ(basic.items_size(), 0);
  EXPECT_EQ(basic.display_name(), "Acme shop");
}

TEST_F(ChecklistGrpcServiceTest, GetLaunchRejectsBadNames) {
  v1::Launch out;
  EXPECT_STATUS(Get("", &out), INVALID_ARGUMENT, "name: required");
  EXPECT_STATUS(Get("projects/x", &out), INVALID_ARGUMENT, "name:");
  EXPECT_STATUS(Get("launches/../../etc", &out), INVALID_ARGUMENT, "name:");
  EXPECT_STATUS(Get("launches/doesnotexist", &out), NOT_FOUND, "doesnotexist");
  EXPECT_STATUS(Get(CreateShop().name(), &out, static_cast<v1::LaunchView>(7)), INVALID_ARGUMENT,
                "view");
}

// ---- ListLaunches -------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, ListLaunchesPaginatesAndFilters) {
  std::set<std::string> acme;
  for (int i = 0; i < 5; ++i) acme.insert(CreateShop("acme").name());
  const std::string globex = CreateShop("globex").name();

  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    v1::ListLaunchesRequest request;
    request.set_tenant("acme");
    request.set_page_size(2);
    request.set_page_token(token);
    v1::ListLaunchesResponse response;
    ASSERT_OK(stub_->ListLaunches(&context, request, &response));
    EXPECT_LE(response.launches_size(), 2);
    for (const v1::Launch& launch : response.launches()) {
      EXPECT_EQ(launch.tenant(), "acme");
      EXPECT_EQ(launch.items_size(), 0);  // BASIC by default
      EXPECT_TRUE(seen.insert(launch.name()).second) << "duplicate " << launch.name();
    }
    token = response.next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen, acme);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.count(globex), 0u);
}

TEST_F(ChecklistGrpcServiceTest, ListLaunchesFiltersByOwnerDatesAndRisk) {
  CreateShop();  // target 2026-12-15, comfortably reachable from 2026-09-01
  v1::CreateLaunchRequest rushed = ShopRequest();
  rushed.mutable_launch()->set_owner("li.na@acme.cn");
  rushed.mutable_launch()->set_target_launch_date("2026-09-15");  // ICP filing alone takes longer
  v1::Launch rushed_launch;
  ASSERT_OK(Create(rushed, &rushed_launch));
  EXPECT_TRUE(rushed_launch.schedule().at_risk());

  const auto list = [&](const std::function<void(v1::ListLaunchesRequest&)>& set) {
    grpc::ClientContext context;
    v1::ListLaunchesRequest request;
    set(request);
    v1::ListLaunchesResponse response;
    EXPECT_TRUE(stub_->ListLaunches(&context, request, &response).ok());
    std::vector<std::string> names;
    for (const v1::Launch& l : response.launches()) names.push_back(l.name());
    return names;
  };
  EXPECT_THAT(list([](auto& r) { r.set_owner("li.na@acme.cn"); }),
              ::testing::ElementsAre(rushed_launch.name()));
  EXPECT_THAT(list([](auto& r) { r.set_at_risk_only(true); }),
              ::testing::ElementsAre(rushed_launch.name()));
  EXPECT_THAT(list([](auto& r) { r.set_target_date_to("2026-10-01"); }),
              ::testing::ElementsAre(rushed_launch.name()));
  EXPECT_EQ(list([](auto& r) { r.set_target_date_from("2026-10-01"); }).size(), 1u);
  EXPECT_EQ(list([](auto& r) { r.set_tenant("nobody"); }).size(), 0u);
}

TEST_F(ChecklistGrpcServiceTest, ListLaunchesRejectsBadInput) {
  for (int i = 0; i < 3; ++i) CreateShop();
  const auto call = [&](const v1::ListLaunchesRequest& request, v1::ListLaunchesResponse* out) {
    grpc::ClientContext context;
    return stub_->ListLaunches(&context, request, out);
  };
  v1::ListLaunchesResponse response;
  v1::ListLaunchesRequest request;
  request.set_page_size(201);
  EXPECT_STATUS(call(request, &response), INVALID_ARGUMENT, "page_size");
  request.set_page_size(-1);
  EXPECT_STATUS(call(request, &response), INVALID_ARGUMENT, "page_size");

  request = v1::ListLaunchesRequest();
  request.set_target_date_from("tomorrow");
  EXPECT_STATUS(call(request, &response), INVALID_ARGUMENT, "target_date_from");

  request = v1::ListLaunchesRequest();
  request.set_page_size(1);
  ASSERT_OK(call(request, &response));
  ASSERT_FALSE(response.next_page_token().empty());
  std::string token = response.next_page_token();
  // A tampered token.
  request.set_page_token(token.substr(0, token.size() - 2) + (token.back() == 'A' ? "BB" : "AA"));
  EXPECT_STATUS(call(request, &response), INVALID_ARGUMENT, "page_token");
  // A token reused with other filters.
  request.set_page_token(token);
  request.set_tenant("globex");
  EXPECT_STATUS(call(request, &response), INVALID_ARGUMENT, "page_token");
}

// ---- UpdateLaunch -------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, UpdateLaunchAppliesMaskAndChecksEtag) {
  const v1::Launch created = CreateShop();
  grpc::ClientContext context;
  v1::UpdateLaunchRequest request;
  request.mutable_launch()->set_name(created.name());
  request.mutable_launch()->set_display_name("Acme shop v2");
  request.mutable_launch()->set_owner("ignored because not in mask");
  request.mutable_update_mask()->add_paths("display_name");
  request.set_etag(created.etag());
  v1::Launch updated;
  ASSERT_OK(stub_->UpdateLaunch(&context, request, &updated));
  EXPECT_EQ(updated.display_name(), "Acme shop v2");
  EXPECT_EQ(updated.owner(), "zhang.wei@acme.cn");
  EXPECT_NE(updated.etag(), created.etag());
  // The version counts the launch's changes; readers compare it instead of parsing etags.
  EXPECT_EQ(created.version(), 1);
  EXPECT_EQ(updated.version(), 2);
  for (const v1::Item& item : created.items()) EXPECT_GE(item.version(), 1) << item.code();

  // The old etag is now stale.
  grpc::ClientContext again;
  EXPECT_STATUS(stub_->UpdateLaunch(&again, request, &updated), ABORTED, "etag");
  grpc::ClientContext forged;
  request.set_etag("999-abcdef");
  EXPECT_STATUS(stub_->UpdateLaunch(&forged, request, &updated), ABORTED, "etag");
}

TEST_F(ChecklistGrpcServiceTest, UpdateLaunchProfileReevaluatesItems) {
  const v1::Launch created = CreateShop();
  const size_t events_before = AllEvents(created.name()).size();
  grpc::ClientContext context;
  v1::UpdateLaunchRequest request;
  request.mutable_launch()->set_name(created.name());
  request.mutable_launch()->mutable_profile()->set_hosting(v1::HOSTING_WECHAT_CLOUD);
  request.mutable_update_mask()->add_paths("profile.hosting");
  v1::Launch updated;
  ASSERT_OK(stub_->UpdateLaunch(&context, request, &updated));
  EXPECT_EQ(updated.items_size(), created.items_size());  // nothing deleted
  for (const char* code : {"SERVER", "DOMAIN", "ICP_FILING", "PSB_FILING"}) {
    const v1::Item* item = FindItem(updated, code);
    ASSERT_NE(item, nullptr) << code;
    EXPECT_EQ(item->status(), v1::ITEM_STATUS_NOT_APPLICABLE) << code;
    EXPECT_FALSE(item->applicability_reason().empty()) << code;
  }
  const std::vector<v1::Event> events = AllEvents(created.name());
  ASSERT_GT(events.size(), events_before);
  EXPECT_EQ(events[events_before].type(), v1::Event::TYPE_LAUNCH_UPDATED);
  EXPECT_THAT(events[events_before].summary(), HasSubstr("profile.hosting"));
  bool icp_event = false;
  for (size_t i = events_before; i < events.size(); ++i) {
    if (events[i].item_code() == "ICP_FILING") {
      icp_event = true;
      EXPECT_EQ(events[i].item_snapshot().status(), v1::ITEM_STATUS_NOT_APPLICABLE);
    }
  }
  EXPECT_TRUE(icp_event);
}

TEST_F(ChecklistGrpcServiceTest, UpdateLaunchRejectsBadInput) {
  const v1::Launch created = CreateShop();
  const auto update = [&](const std::function<void(v1::UpdateLaunchRequest&)>& set) {
    grpc::ClientContext context;
    v1::UpdateLaunchRequest request;
    request.mutable_launch()->set_name(created.name());
    set(request);
    v1::Launch out;
    return stub_->UpdateLaunch(&context, request, &out);
  };
  EXPECT_STATUS(update([](auto& r) { r.clear_launch(); }), INVALID_ARGUMENT, "launch: required");
  EXPECT_STATUS(update([](auto&) {}), INVALID_ARGUMENT, "update_mask: required");
  EXPECT_STATUS(update([](auto& r) { r.mutable_update_mask()->add_paths("tenant"); }),
                INVALID_ARGUMENT, "update_mask.paths[0]");
  EXPECT_STATUS(update([](auto& r) { r.mutable_update_mask()->add_paths("colour"); }),
                INVALID_ARGUMENT, "colour");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_launch()->set_target_launch_date("2026-13-01");
                  r.mutable_update_mask()->add_paths("target_launch_date");
                }),
                INVALID_ARGUMENT, "launch.target_launch_date");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_launch()->set_went_live_date("2026-10-01");  // after "today"
                  r.mutable_update_mask()->add_paths("went_live_date");
                }),
                INVALID_ARGUMENT, "launch.went_live_date");
  EXPECT_STATUS(
      update([](auto& r) {
        r.mutable_launch()->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_INDIVIDUAL);
        r.mutable_update_mask()->add_paths("profile.subject_type");
      }),
      INVALID_ARGUMENT, "profile.takes_payments");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_launch()->set_name("launches/nope");
                  r.mutable_update_mask()->add_paths("owner");
                  r.mutable_launch()->set_owner("x");
                }),
                NOT_FOUND, "nope");
  // None of it changed anything.
  v1::Launch now;
  ASSERT_OK(Get(created.name(), &now));
  EXPECT_EQ(now.etag(), created.etag());
  EXPECT_EQ(AllEvents(created.name()).size(), 1u + created.items_size());
}

// ---- UpdateItem ---------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, UpdateItemWalksTheLifecycleAndCountsFees) {
  const v1::Launch launch = CreateShop();
  v1::Item item;
  ASSERT_OK(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_IN_PROGRESS, &item));
  EXPECT_EQ(item.started_date(), "2026-09-01");
  ASSERT_OK(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_APPROVED, &item));
  ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_SUBMITTED, &item));
  EXPECT_EQ(item.attempts(), 1);
  ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_REJECTED, &item));
  clock_.AdvanceTime(absl::Hours(24 * 3));
  ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_SUBMITTED, &item));
  EXPECT_EQ(item.attempts(), 2);
  EXPECT_EQ(item.fees_paid().units(), 600);
  clock_.AdvanceTime(absl::Hours(24));
  ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_APPROVED, &item));
  EXPECT_EQ(item.approved_date(), "2026-09-05");
  EXPECT_EQ(item.expiry_date(), "2027-09-05");  // WeChat verification lasts a year

  v1::Launch after;
  ASSERT_OK(Get(launch.name(), &after));
  EXPECT_EQ(after.schedule().fees_paid().units(), 600);
}

// WeChat verification: a return for more material (RETURNED) is resubmitted within the ¥300 order
// up to 3 times; the fourth resubmission is a second order.
TEST_F(ChecklistGrpcServiceTest, ReturnedVerificationIsResubmittedWithinItsPaidOrder) {
  const v1::Launch launch = CreateShop();
  v1::Item item;
  ASSERT_OK(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_APPROVED, &item));
  ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_SUBMITTED, &item));
  EXPECT_EQ(item.paid_orders(), 1);
  EXPECT_EQ(item.free_resubmissions_left(), 3);
  EXPECT_FALSE(item.fee_charged_per_attempt());
  for (int left = 2; left >= 0; --left) {
    ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_RETURNED, &item));
    EXPECT_EQ(item.status(), v1::ITEM_STATUS_RETURNED);
    EXPECT_FALSE(item.schedule().done());
    ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_SUBMITTED, &item));
    EXPECT_EQ(item.free_resubmissions_left(), left);
    EXPECT_EQ(item.paid_orders(), 1);
    EXPECT_EQ(item.fees_paid().units(), 300);
  }
  v1::Launch covered;
  ASSERT_OK(Get(launch.name(), &covered));
  ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_RETURNED, &item));
  EXPECT_EQ(item.free_resubmissions_left(), 0);
  v1::Launch returned;
  ASSERT_OK(Get(launch.name(), &returned));
  EXPECT_EQ(returned.schedule().fees_paid().units(), 300);
  // The next submission is a new order: ¥300 more still to pay than while it was covered.
  EXPECT_EQ(returned.schedule().fees_expected().units(),
            covered.schedule().fees_expected().units() + 300);
  ASSERT_OK(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_SUBMITTED, &item));
  EXPECT_EQ(item.attempts(), 5);
  EXPECT_EQ(item.paid_orders(), 2);
  EXPECT_EQ(item.free_resubmissions_left(), 3);
  EXPECT_EQ(item.fees_paid().units(), 600);
  v1::Launch after;
  ASSERT_OK(Get(launch.name(), &after));
  EXPECT_EQ(after.schedule().fees_paid().units(), 600);
  const std::vector<v1::Event> events = AllEvents(launch.name());
  std::vector<std::string> notes;
  for (const v1::Event& event : events) {
    if (event.item_code() == "MP_VERIFY" && event.type() == v1::Event::TYPE_ITEM_UPDATED) {
      notes.push_back(event.summary());
    }
  }
  ASSERT_FALSE(notes.empty());
  EXPECT_THAT(notes.back(), HasSubstr("RETURNED -> SUBMITTED; attempts: 4 -> 5; new paid order"));

  // Output only, like attempts.
  grpc::ClientContext context;
  v1::UpdateItemRequest request;
  request.mutable_item()->set_name(item.name());
  request.mutable_item()->set_paid_orders(1);
  request.mutable_update_mask()->add_paths("paid_orders");
  EXPECT_STATUS(stub_->UpdateItem(&context, request, &item), INVALID_ARGUMENT, "paid_orders");
  // Returned is only for a submitted item.
  EXPECT_STATUS(SetStatus(launch.name(), "DOMAIN", v1::ITEM_STATUS_RETURNED, &item),
                FAILED_PRECONDITION, "NOT_STARTED -> RETURNED");
}

TEST_F(ChecklistGrpcServiceTest, UpdateItemEnforcesTransitionsDependenciesAndEtags) {
  const v1::Launch launch = CreateShop();
  v1::Item item;
  // Straight from NOT_STARTED to REJECTED is not a thing.
  EXPECT_STATUS(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_REJECTED, &item),
                FAILED_PRECONDITION, "NOT_STARTED -> REJECTED");
  // MP_VERIFY waits for MP_ACCOUNT.
  EXPECT_STATUS(SetStatus(launch.name(), "MP_VERIFY", v1::ITEM_STATUS_SUBMITTED, &item),
                FAILED_PRECONDITION, "MP_ACCOUNT");
  // Only the rules set NOT_APPLICABLE.
  EXPECT_STATUS(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_NOT_APPLICABLE, &item),
                FAILED_PRECONDITION, "NOT_APPLICABLE");
  // A waiver needs a reason.
  EXPECT_STATUS(SetStatus(launch.name(), "DOMAIN", v1::ITEM_STATUS_WAIVED, &item), INVALID_ARGUMENT,
                "item.waiver_reason");

  // Etags: a stale one aborts, the current one passes.
  v1::Item first;
  ASSERT_OK(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_IN_PROGRESS, &first));
  v1::Item second;
  ASSERT_OK(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_APPROVED, &second));
  grpc::ClientContext context;
  v1::UpdateItemRequest request;
  request.mutable_item()->set_name(first.name());
  request.mutable_item()->set_assignee("wang.fang");
  request.mutable_update_mask()->add_paths("assignee");
  request.set_etag(first.etag());
  EXPECT_STATUS(stub_->UpdateItem(&context, request, &item), ABORTED, "etag");
  grpc::ClientContext retry;
  request.set_etag(second.etag());
  ASSERT_OK(stub_->UpdateItem(&retry, request, &item));
  EXPECT_EQ(item.assignee(), "wang.fang");
}

TEST_F(ChecklistGrpcServiceTest, UpdateItemRejectsBadInputWithoutWriting) {
  const v1::Launch launch = CreateShop();
  const std::string item_name = absl::StrCat(launch.name(), "/items/ICP_FILING");
  const auto update = [&](const std::function<void(v1::UpdateItemRequest&)>& set) {
    grpc::ClientContext context;
    v1::UpdateItemRequest request;
    request.mutable_item()->set_name(item_name);
    set(request);
    v1::Item out;
    return stub_->UpdateItem(&context, request, &out);
  };
  EXPECT_STATUS(update([](auto& r) { r.clear_item(); }), INVALID_ARGUMENT, "item: required");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_update_mask()->add_paths("notes");
                  r.mutable_item()->set_name("launches/x");
                }),
                INVALID_ARGUMENT, "item.name");
  EXPECT_STATUS(update([](auto&) {}), INVALID_ARGUMENT, "update_mask");
  EXPECT_STATUS(update([](auto& r) { r.mutable_update_mask()->add_paths("attempts"); }),
                INVALID_ARGUMENT, "attempts");
  EXPECT_STATUS(update([](auto& r) { r.mutable_update_mask()->add_paths("status"); }),
                INVALID_ARGUMENT, "item.status: required");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_item()->set_status(static_cast<v1::ItemStatus>(77));
                  r.mutable_update_mask()->add_paths("status");
                }),
                INVALID_ARGUMENT, "item.status: unknown value 77");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_item()->set_expiry_date("next year");
                  r.mutable_update_mask()->add_paths("expiry_date");
                }),
                INVALID_ARGUMENT, "item.expiry_date");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_item()->set_notes(std::string(5000, 'n'));
                  r.mutable_update_mask()->add_paths("notes");
                }),
                INVALID_ARGUMENT, "item.notes: too long");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_item()->add_evidence()->set_uri("not a link");
                  r.mutable_update_mask()->add_paths("evidence");
                }),
                INVALID_ARGUMENT, "item.evidence[0].uri");
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_item()->set_name(absl::StrCat(r.item().name(), "X"));
                  r.mutable_item()->set_notes("n");
                  r.mutable_update_mask()->add_paths("notes");
                }),
                NOT_FOUND, "ICP_FILINGX");
  // A valid field together with an illegal transition writes neither.
  EXPECT_STATUS(update([](auto& r) {
                  r.mutable_item()->set_assignee("someone");
                  r.mutable_item()->set_status(v1::ITEM_STATUS_APPROVED);
                  r.mutable_update_mask()->add_paths("assignee");
                  r.mutable_update_mask()->add_paths("status");
                }),
                FAILED_PRECONDITION, "dependencies");
  v1::Launch now;
  ASSERT_OK(Get(launch.name(), &now));
  EXPECT_EQ(FindItem(now, "ICP_FILING")->assignee(), "");
  EXPECT_EQ(FindItem(now, "ICP_FILING")->etag(), FindItem(launch, "ICP_FILING")->etag());
  EXPECT_EQ(AllEvents(launch.name()).size(), 1u + launch.items_size());
}

TEST_F(ChecklistGrpcServiceTest, UpdateItemRecordsEventAndScheduleMoves) {
  const v1::Launch launch = CreateShop();
  const size_t before = AllEvents(launch.name()).size();
  // Approving the business licence today pulls nothing later, but assigning must be recorded.
  grpc::ClientContext context;
  context.AddMetadata("x-preflight-actor", "li.na");
  v1::UpdateItemRequest request;
  request.mutable_item()->set_name(absl::StrCat(launch.name(), "/items/ICP_FILING"));
  request.mutable_item()->set_assignee("wang.fang");
  request.mutable_item()->set_due_date("2026-10-30");
  request.mutable_update_mask()->add_paths("assignee");
  request.mutable_update_mask()->add_paths("due_date");
  v1::Item item;
  ASSERT_OK(stub_->UpdateItem(&context, request, &item));
  EXPECT_EQ(item.schedule().latest_finish_date(), "2026-10-30");
  const std::vector<v1::Event> events = AllEvents(launch.name());
  ASSERT_GT(events.size(), before);
  EXPECT_EQ(events[before].type(), v1::Event::TYPE_ITEM_UPDATED);
  EXPECT_EQ(events[before].actor(), "li.na");
  EXPECT_EQ(events[before].item_snapshot().assignee(), "wang.fang");
  EXPECT_THAT(events[before].summary(), HasSubstr("assignee"));
  // An earlier ICP deadline pulls its predecessors' latest dates earlier.
  bool moved_predecessor = false;
  for (size_t i = before + 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].type(), v1::Event::TYPE_SCHEDULE_CHANGED);
    if (events[i].item_code() == "DOMAIN_RN" || events[i].item_code() == "SERVER") {
      moved_predecessor = true;
    }
  }
  EXPECT_TRUE(moved_predecessor);
}

// ---- AddItem ------------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, AddItemCreatesCustomItem) {
  const v1::Launch launch = CreateShop();
  grpc::ClientContext context;
  v1::AddItemRequest request;
  request.set_parent(launch.name());
  v1::Item* item = request.mutable_item();
  item->set_code("PRIVACY_POLICY");
  item->set_title_en("Privacy policy reviewed by counsel");
  item->set_due_date("2026-11-20");
  item->add_depends_on("MP_ACCOUNT");
  v1::Item added;
  ASSERT_OK(stub_->AddItem(&context, request, &added));
  EXPECT_TRUE(added.custom());
  EXPECT_EQ(added.name(), absl::StrCat(launch.name(), "/items/PRIVACY_POLICY"));
  EXPECT_EQ(added.schedule().latest_finish_date(), "2026-11-20");
  EXPECT_THAT(added.depends_on(), Contains("MP_ACCOUNT"));
  v1::Launch after;
  ASSERT_OK(Get(launch.name(), &after));
  EXPECT_NE(FindItem(after, "PRIVACY_POLICY"), nullptr);

  grpc::ClientContext duplicate;
  EXPECT_STATUS(stub_->AddItem(&duplicate, request, &added), ALREADY_EXISTS, "PRIVACY_POLICY");
}

TEST_F(ChecklistGrpcServiceTest, AddItemRejectsBadInput) {
  const v1::Launch launch = CreateShop();
  const auto add = [&](const std::function<void(v1::AddItemRequest&)>& set) {
    grpc::ClientContext context;
    v1::AddItemRequest request;
    request.set_parent(launch.name());
    request.mutable_item()->set_code("EXTRA");
    request.mutable_item()->set_title_en("Extra");
    request.mutable_item()->set_due_date("2026-11-20");
    set(request);
    v1::Item out;
    return stub_->AddItem(&context, request, &out);
  };
  EXPECT_STATUS(add([](auto& r) { r.clear_parent(); }), INVALID_ARGUMENT, "parent: required");
  EXPECT_STATUS(add([](auto& r) { r.clear_item(); }), INVALID_ARGUMENT, "item: required");
  EXPECT_STATUS(add([](auto& r) { r.mutable_item()->set_code("lower case"); }), INVALID_ARGUMENT,
                "item.code");
  EXPECT_STATUS(add([](auto& r) { r.mutable_item()->clear_title_en(); }), INVALID_ARGUMENT,
                "item.title_en: required");
  EXPECT_STATUS(add([](auto& r) { r.mutable_item()->clear_due_date(); }), INVALID_ARGUMENT,
                "item.due_date");
  EXPECT_STATUS(add([](auto& r) { r.mutable_item()->add_depends_on("NOPE"); }), INVALID_ARGUMENT,
                "item.depends_on");
  EXPECT_STATUS(add([](auto& r) { r.set_parent("launches/missing"); }), NOT_FOUND, "missing");
  EXPECT_EQ(AllEvents(launch.name()).size(), 1u + launch.items_size());
}

// ---- GetReadiness -------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, ReadinessListsBlockersUntilEverythingIsDone) {
  v1::CreateLaunchRequest request = ShopRequest();
  request.mutable_launch()->mutable_profile()->set_hosting(v1::HOSTING_WECHAT_CLOUD);
  request.mutable_launch()->mutable_profile()->set_takes_payments(false);
  v1::Launch launch;
  ASSERT_OK(Create(request, &launch));

  const auto readiness = [&] {
    grpc::ClientContext context;
    v1::GetReadinessRequest r;
    r.set_name(launch.name());
    v1::Readiness out;
    EXPECT_TRUE(stub_->GetReadiness(&context, r, &out).ok());
    return out;
  };
  v1::Readiness before = readiness();
  EXPECT_FALSE(before.ready());
  EXPECT_GT(before.blockers_size(), 0);
  EXPECT_EQ(before.items_done(), 0);
  EXPECT_FALSE(before.schedule().projected_launch_date().empty());

  // Waive every applicable item (no dependency checks for waivers).
  for (const v1::Item& item : launch.items()) {
    if (item.status() == v1::ITEM_STATUS_NOT_APPLICABLE) continue;
    v1::Item out;
    ASSERT_OK(SetStatus(launch.name(), item.code(), v1::ITEM_STATUS_WAIVED, &out,
                        "handled by the agency"));
  }
  v1::Readiness after = readiness();
  EXPECT_TRUE(after.ready());
  EXPECT_EQ(after.blockers_size(), 0);
  EXPECT_EQ(after.items_done(), after.items_total());

  grpc::ClientContext context;
  v1::Readiness out;
  EXPECT_STATUS(stub_->GetReadiness(&context, v1::GetReadinessRequest(), &out), INVALID_ARGUMENT,
                "name: required");
}

TEST_F(ChecklistGrpcServiceTest, ReadinessReportsProfileBlockers) {
  v1::CreateLaunchRequest request = ShopRequest();
  request.mutable_launch()->mutable_profile()->add_service_categories("video");
  v1::Launch launch;
  ASSERT_OK(Create(request, &launch));
  EXPECT_GT(launch.blockers_size(), 0);
  grpc::ClientContext context;
  v1::GetReadinessRequest r;
  r.set_name(launch.name());
  v1::Readiness out;
  ASSERT_OK(stub_->GetReadiness(&context, r, &out));
  bool has_profile_blocker = false;
  for (const v1::Blocker& b : out.blockers()) has_profile_blocker |= b.item().empty();
  EXPECT_TRUE(has_profile_blocker);
}

// ---- ListEvents ---------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, ListEventsPaginatesInOrder) {
  const v1::Launch launch = CreateShop();
  CreateShop("globex");  // interleaved events of another launch must not show up
  v1::Item item;
  ASSERT_OK(SetStatus(launch.name(), "MP_ACCOUNT", v1::ITEM_STATUS_IN_PROGRESS, &item));

  std::vector<v1::Event> paged;
  std::string token;
  do {
    v1::ListEventsResponse page;
    ASSERT_OK(Events(launch.name(), &page, 3, token));
    EXPECT_LE(page.events_size(), 3);
    paged.insert(paged.end(), page.events().begin(), page.events().end());
    token = page.next_page_token();
  } while (!token.empty());
  ASSERT_GE(paged.size(), 2u + launch.items_size());
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].launch(), launch.name());
    if (i > 0) {
      EXPECT_GT(paged[i].sequence(), paged[i - 1].sequence());
    }
  }
  EXPECT_EQ(paged.back().item_code(), "MP_ACCOUNT");
}

TEST_F(ChecklistGrpcServiceTest, ListEventsRejectsBadInput) {
  const v1::Launch launch = CreateShop();
  v1::ListEventsResponse page;
  EXPECT_STATUS(Events("", &page), INVALID_ARGUMENT, "parent: required");
  EXPECT_STATUS(Events("launches/none", &page), NOT_FOUND, "none");
  EXPECT_STATUS(Events(launch.name(), &page, 1000), INVALID_ARGUMENT, "page_size");
  EXPECT_STATUS(Events(launch.name(), &page, 0, "garbage!"), INVALID_ARGUMENT, "page_token");
  // A token from one launch's history does not page another's.
  ASSERT_OK(Events(launch.name(), &page, 1));
  const std::string other = CreateShop().name();
  EXPECT_STATUS(Events(other, &page, 1, page.next_page_token()), INVALID_ARGUMENT, "page_token");
}

// ---- ListTemplates ------------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, ListTemplatesReturnsTheCatalogue) {
  grpc::ClientContext context;
  v1::ListTemplatesResponse response;
  ASSERT_OK(stub_->ListTemplates(&context, v1::ListTemplatesRequest(), &response));
  ASSERT_GE(response.templates_size(), 1);
  bool found = false;
  for (const v1::Template& t : response.templates()) {
    if (t.id() == "wechat-miniprogram-cn") {
      found = true;
      EXPECT_GT(t.items_size(), 15);
      EXPECT_GT(t.categories_size(), 10);
    }
  }
  EXPECT_TRUE(found);
  grpc::ClientContext bad;
  v1::ListTemplatesRequest request;
  request.set_page_size(-5);
  EXPECT_STATUS(stub_->ListTemplates(&bad, request, &response), INVALID_ARGUMENT, "page_size");
}

// ---- GetWorkingCalendar -------------------------------------------------------------------------

TEST_F(ChecklistGrpcServiceTest, GetWorkingCalendarAnswersTheLoadedCalendar) {
  grpc::ClientContext context;
  v1::GetWorkingCalendarRequest request;
  request.set_start_date("2026-02-13");
  request.set_end_date("2026-02-24");
  v1::WorkingCalendar calendar;
  ASSERT_OK(stub_->GetWorkingCalendar(&context, request, &calendar));
  EXPECT_THAT(calendar.regions(), ElementsAre("CN-mainland"));
  EXPECT_EQ(calendar.start_date(), "2026-02-13");
  EXPECT_EQ(calendar.end_date(), "2026-02-24");
  // Spring Festival 2026: Feb 15-23 off; Saturday Feb 14 is a make-up working day.
  std::vector<std::string> off;
  for (const v1::NonWorkingDay& day : calendar.non_working_days()) {
    off.push_back(day.date());
    EXPECT_EQ(day.holiday_name_zh(), "春节") << day.date();
    EXPECT_EQ(day.holiday_name_en(), "Spring Festival") << day.date();
  }
  EXPECT_THAT(off, ElementsAre("2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
                               "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"));
  EXPECT_THAT(calendar.makeup_workdays(), ElementsAre("2026-02-14"));
  EXPECT_THAT(calendar.unconfirmed_years(), IsEmpty());
}

TEST_F(ChecklistGrpcServiceTest, GetWorkingCalendarRejectsBadRanges) {
  v1::WorkingCalendar calendar;
  const auto call = [&](const std::string& start, const std::string& end) {
    grpc::ClientContext context;
    v1::GetWorkingCalendarRequest request;
    request.set_start_date(start);
    request.set_end_date(end);
    return stub_->GetWorkingCalendar(&context, request, &calendar);
  };
  EXPECT_STATUS(call("", "2026-01-01"), INVALID_ARGUMENT, "start_date: required");
  EXPECT_STATUS(call("2026-01-01", ""), INVALID_ARGUMENT, "end_date: required");
  EXPECT_STATUS(call("2026-02-30", "2026-03-01"), INVALID_ARGUMENT, "start_date");
  EXPECT_STATUS(call("2026-03-01", "2026-02-01"), INVALID_ARGUMENT, "end_date");
  EXPECT_STATUS(call("2026-01-01", "2029-01-01"), INVALID_ARGUMENT, "end_date");
  EXPECT_OK(call("2026-01-01", "2028-12-31"));
  EXPECT_GT(calendar.non_working_days_size(), 300);
  EXPECT_THAT(calendar.unconfirmed_years(), ElementsAre(2027, 2028));
}

// ---- ListItems ----------------------------------------------------------------------------------

v1::ListItemsRequest AllItemsOf(const std::string& tenant) {
  v1::ListItemsRequest request;
  request.set_parent("launches/-");
  request.set_tenant(tenant);
  return request;
}

class ListItemsTest : public ChecklistGrpcServiceTest {
 protected:
  grpc::Status List(const v1::ListItemsRequest& request, v1::ListItemsResponse* response) {
    grpc::ClientContext context;
    return stub_->ListItems(&context, request, response);
  }

  // Every page, following the tokens.
  std::vector<v1::Item> ListAll(v1::ListItemsRequest request) {
    std::vector<v1::Item> items;
    do {
      v1::ListItemsResponse page;
      const grpc::Status status = List(request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const v1::Item& item : page.items()) {
        const std::string launch = item.name().substr(0, item.name().find("/items/"));
        EXPECT_EQ(page.launches().count(launch), 1u) << item.name();
        items.push_back(item);
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return items;
  }
};

TEST_F(ListItemsTest, ListsOpenItemsOfATenantByLatestStart) {
  const v1::Launch first = CreateShop();
  const v1::Launch second = CreateShop();
  CreateShop("globex");
  v1::ListItemsRequest request = AllItemsOf("acme");
  request.set_page_size(7);
  const std::vector<v1::Item> items = ListAll(request);
  int expected = 0;
  for (const v1::Launch* launch : {&first, &second}) {
    for (const v1::Item& item : launch->items()) expected += item.schedule().done() ? 0 : 1;
  }
  ASSERT_EQ(static_cast<int>(items.size()), expected);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_FALSE(items[i].schedule().done()) << items[i].name();
    EXPECT_THAT(items[i].name(), Not(HasSubstr("globex")));
    EXPECT_FALSE(items[i].schedule().latest_start_date().empty()) << items[i].name();
    if (i > 0) {
      EXPECT_LE(items[i - 1].schedule().latest_start_date(),
                items[i].schedule().latest_start_date());
    }
  }
  // The launch map carries the display name, target and the portfolio figures.
  v1::ListItemsResponse page;
  ASSERT_TRUE(List(AllItemsOf("acme"), &page).ok());
  const v1::Launch& launch = page.launches().begin()->second;
  EXPECT_EQ(launch.display_name(), first.display_name());
  EXPECT_EQ(launch.target_launch_date(), "2026-12-15");
  EXPECT_EQ(launch.items_size(), 0);
  EXPECT_FALSE(launch.schedule().next_deadline_date().empty());
  EXPECT_FALSE(launch.schedule().next_deadline_item().empty());
}

TEST_F(ListItemsTest, FiltersByAssigneeStatusAndDates) {
  const v1::Launch launch = CreateShop();
  v1::Item updated;
  {
    grpc::ClientContext context;
    v1::UpdateItemRequest request;
    request.mutable_item()->set_name(launch.name() + "/items/ICP_FILING");
    request.mutable_item()->set_assignee("li.na");
    request.mutable_update_mask()->add_paths("assignee");
    ASSERT_TRUE(stub_->UpdateItem(&context, request, &updated).ok());
  }
  v1::ListItemsRequest mine = AllItemsOf("acme");
  mine.set_assignee("li.na");
  std::vector<v1::Item> items = ListAll(mine);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].name(), launch.name() + "/items/ICP_FILING");

  mine.add_statuses(v1::ITEM_STATUS_SUBMITTED);
  EXPECT_TRUE(ListAll(mine).empty());
  mine.add_statuses(v1::ITEM_STATUS_NOT_STARTED);
  EXPECT_EQ(ListAll(mine).size(), 1u);

  v1::ListItemsRequest early = AllItemsOf("acme");
  early.set_start_before(updated.schedule().latest_start_date());
  for (const v1::Item& item : ListAll(early)) {
    EXPECT_LE(item.schedule().latest_start_date(), updated.schedule().latest_start_date());
  }
  v1::ListItemsRequest due = AllItemsOf("acme");
  due.set_due_before(updated.schedule().latest_finish_date());
  const std::vector<v1::Item> due_items = ListAll(due);
  EXPECT_FALSE(due_items.empty());
  for (const v1::Item& item : due_items) {
    EXPECT_LE(item.schedule().latest_finish_date(), updated.schedule().latest_finish_date());
  }

  // One launch by name.
  v1::ListItemsRequest one;
  one.set_parent(launch.name());
  one.set_include_done(true);
  EXPECT_EQ(static_cast<int>(ListAll(one).size()), launch.items_size());
}

TEST_F(ListItemsTest, AtRiskItemsAppearAsTheDaysPass) {
  const v1::Launch launch = CreateShop();
  v1::ListItemsRequest at_risk = AllItemsOf("acme");
  at_risk.set_at_risk_only(true);
  EXPECT_TRUE(ListAll(at_risk).empty());
  v1::ListLaunchesRequest risky_launches;
  risky_launches.set_at_risk_only(true);
  // No write in between: only the clock moves.
  for (int day = 0; day < 200 && ListAll(at_risk).empty(); ++day) {
    clock_.AdvanceTime(absl::Hours(24));
  }
  const std::vector<v1::Item> items = ListAll(at_risk);
  ASSERT_FALSE(items.empty());
  for (const v1::Item& item : items) EXPECT_TRUE(item.schedule().at_risk()) << item.name();
  v1::Launch now;
  ASSERT_TRUE(Get(launch.name(), &now).ok());
  int expected = 0;
  for (const v1::Item& item : now.items()) {
    expected += item.schedule().at_risk() && !item.schedule().done() ? 1 : 0;
  }
  EXPECT_EQ(static_cast<int>(items.size()), expected);
  EXPECT_EQ(now.schedule().at_risk_items(), expected);

  v1::ListItemsRequest critical = AllItemsOf("acme");
  critical.set_critical_only(true);
  for (const v1::Item& item : ListAll(critical)) EXPECT_TRUE(item.schedule().critical());
}

TEST_F(ListItemsTest, RefusesBadRequestsNamingTheField) {
  CreateShop();
  const auto refusal = [&](const v1::ListItemsRequest& request) {
    v1::ListItemsResponse response;
    const grpc::Status status = List(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    return status.error_message();
  };
  v1::ListItemsRequest no_tenant;
  no_tenant.set_parent("launches/-");
  EXPECT_THAT(refusal(no_tenant), HasSubstr("tenant"));
  v1::ListItemsRequest bad_parent = AllItemsOf("acme");
  bad_parent.set_parent("projects/x");
  EXPECT_THAT(refusal(bad_parent), HasSubstr("parent"));
  v1::ListItemsRequest bad_date = AllItemsOf("acme");
  bad_date.set_start_before("next friday");
  EXPECT_THAT(refusal(bad_date), HasSubstr("start_before"));
  v1::ListItemsRequest bad_due = AllItemsOf("acme");
  bad_due.set_due_before("2026-13-01");
  EXPECT_THAT(refusal(bad_due), HasSubstr("due_before"));
  v1::ListItemsRequest bad_status = AllItemsOf("acme");
  bad_status.add_statuses(v1::ITEM_STATUS_UNSPECIFIED);
  EXPECT_THAT(refusal(bad_status), HasSubstr("statuses[0]"));
  v1::ListItemsRequest big = AllItemsOf("acme");
  big.set_page_size(201);
  EXPECT_THAT(refusal(big), HasSubstr("page_size"));
  v1::ListItemsRequest huge = AllItemsOf("acme");
  huge.set_assignee(std::string(100000, 'x'));
  const std::string message = refusal(huge);
  EXPECT_THAT(message, HasSubstr("assignee"));
  EXPECT_LT(message.size(), 200u);

  // A token is bound to its filters and cannot be forged.
  v1::ListItemsRequest paged = AllItemsOf("acme");
  paged.set_page_size(2);
  v1::ListItemsResponse first;
  ASSERT_TRUE(List(paged, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  v1::ListItemsRequest other = AllItemsOf("acme");
  other.set_assignee("someone");
  other.set_page_token(first.next_page_token());
  EXPECT_THAT(refusal(other), HasSubstr("page_token"));
  v1::ListItemsRequest forged = paged;
  forged.set_page_token(first.next_page_token() + "x");
  EXPECT_THAT(refusal(forged), HasSubstr("page_token"));
}

}  // namespace
}  // namespace preflight::checklist
