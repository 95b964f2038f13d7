// Hostile input through the real gRPC surface (issue 9): huge bad values answer with a short
// message that still names the field, time zones are IANA names and never paths, control
// characters are refused in every string field, tenant filters follow the tenant-id grammar, and
// AddItem refuses what it cannot store faithfully (unknown units, min > max, unknown groups).

#include <functional>
#include <memory>
#include <string>
#include <vector>

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

using ::testing::HasSubstr;
using testing::Huge;

absl::Time ShanghaiTime(int y, int m, int d) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilSecond(y, m, d, 10, 0, 0), zone);
}

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open());
    service_ = checklist_.NewService();
    ASSERT_OK(server_.Start(service_.get()));
    stub_ = server_.NewStub();
    grpc::ClientContext context;
    ASSERT_OK(stub_->CreateLaunch(&context, Shop(), &launch_));
  }

  void TearDown() override { server_.Shutdown(); }

  static v1::CreateLaunchRequest Shop() { return testing::ShopLaunchRequest(); }

  grpc::Status CreateWith(const std::function<void(v1::CreateLaunchRequest&)>& set,
                          v1::Launch* out = nullptr) {
    v1::CreateLaunchRequest request = Shop();
    set(request);
    grpc::ClientContext context;
    v1::Launch ignored;
    return stub_->CreateLaunch(&context, request, out != nullptr ? out : &ignored);
  }

  grpc::Status UpdateLaunchWith(const std::function<void(v1::UpdateLaunchRequest&)>& set) {
    v1::UpdateLaunchRequest request;
    request.mutable_launch()->set_name(launch_.name());
    request.mutable_launch()->set_display_name("Renamed");
    request.mutable_update_mask()->add_paths("display_name");
    set(request);
    grpc::ClientContext context;
    v1::Launch out;
    return stub_->UpdateLaunch(&context, request, &out);
  }

  grpc::Status UpdateItemWith(const std::function<void(v1::UpdateItemRequest&)>& set) {
    v1::UpdateItemRequest request;
    request.mutable_item()->set_name(absl::StrCat(launch_.name(), "/items/ICP_FILING"));
    request.mutable_item()->set_notes("ok");
    request.mutable_update_mask()->add_paths("notes");
    set(request);
    grpc::ClientContext context;
    v1::Item out;
    return stub_->UpdateItem(&context, request, &out);
  }

  grpc::Status AddItemWith(const std::function<void(v1::AddItemRequest&)>& set,
                           v1::Item* out = nullptr) {
    v1::AddItemRequest request;
    request.set_parent(launch_.name());
    request.mutable_item()->set_code("EXTRA");
    request.mutable_item()->set_title_en("Extra");
    request.mutable_item()->set_due_date("2026-11-20");
    set(request);
    grpc::ClientContext context;
    v1::Item ignored;
    return stub_->AddItem(&context, request, out != nullptr ? out : &ignored);
  }

  grpc::Status ListLaunchesWith(const std::function<void(v1::ListLaunchesRequest&)>& set) {
    v1::ListLaunchesRequest request;
    set(request);
    grpc::ClientContext context;
    v1::ListLaunchesResponse out;
    return stub_->ListLaunches(&context, request, &out);
  }

  // The status a watch ends with; a watch that was accepted is cut off after 2 s.
  grpc::Status WatchWith(const std::function<void(v1::WatchEventsRequest&)>& set) {
    v1::WatchEventsRequest request;
    set(request);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    std::unique_ptr<grpc::ClientReader<v1::Event>> reader = stub_->WatchEvents(&context, request);
    v1::Event event;
    while (reader->Read(&event)) {
    }
    return reader->Finish();
  }

  FakeClock clock_{ShanghaiTime(2026, 9, 1)};
  testing::ChecklistTestbed checklist_{&clock_};
  std::unique_ptr<LaunchService> service_;
  testing::ChecklistTestServer server_;
  std::unique_ptr<v1::ChecklistService::Stub> stub_;
  v1::Launch launch_;
};

// ---- 1. Huge bad values: short messages that name the field
// --------------------------------------

TEST_F(HostileInputTest, CreateLaunchAnswersHugeValuesShortly) {
  const std::string huge = Huge();
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.mutable_launch()->set_tenant(huge); }),
                       INVALID_ARGUMENT, "launch.tenant");
  EXPECT_SHORT_REFUSAL(
      CreateWith([&](auto& r) { r.mutable_launch()->set_target_launch_date(huge); }),
      INVALID_ARGUMENT, "launch.target_launch_date");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.mutable_launch()->set_time_zone(huge); }),
                       INVALID_ARGUMENT, "launch.time_zone");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.mutable_launch()->set_display_name(huge); }),
                       INVALID_ARGUMENT, "launch.display_name");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.mutable_launch()->set_owner(huge); }),
                       INVALID_ARGUMENT, "launch.owner");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.mutable_launch()->set_template_id(huge); }),
                       INVALID_ARGUMENT, "launch.template_id");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) {
                         r.mutable_launch()->mutable_profile()->add_service_categories(huge);
                       }),
                       INVALID_ARGUMENT, "launch.profile.service_categories[0]");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.set_request_id(huge); }), INVALID_ARGUMENT,
                       "request_id");
  // Short but unknown values are still quoted, so the message says what was wrong.
  EXPECT_STATUS(CreateWith([](auto& r) { r.mutable_launch()->set_template_id("no-such"); }),
                INVALID_ARGUMENT, "'no-such'");
  EXPECT_STATUS(CreateWith([](auto& r) { r.mutable_launch()->set_target_launch_date("2026-2-3"); }),
                INVALID_ARGUMENT, "'2026-2-3'");
}

TEST_F(HostileInputTest, NamedResourceRpcsAnswerHugeNamesShortly) {
  const std::string huge_launch = absl::StrCat("launches/", Huge('a'));
  const std::string huge_item = absl::StrCat(launch_.name(), "/items/", Huge('A'));
  {
    grpc::ClientContext context;
    v1::GetLaunchRequest request;
    request.set_name(huge_launch);
    v1::Launch out;
    EXPECT_SHORT_REFUSAL(stub_->GetLaunch(&context, request, &out), INVALID_ARGUMENT, "name");
  }
  {
    grpc::ClientContext context;
    v1::GetLaunchRequest request;
    request.set_name(Huge('/'));
    v1::Launch out;
    EXPECT_SHORT_REFUSAL(stub_->GetLaunch(&context, request, &out), INVALID_ARGUMENT, "name");
  }
  {
    grpc::ClientContext context;
    v1::GetReadinessRequest request;
    request.set_name(huge_launch);
    v1::Readiness out;
    EXPECT_SHORT_REFUSAL(stub_->GetReadiness(&context, request, &out), INVALID_ARGUMENT, "name");
  }
  {
    grpc::ClientContext context;
    v1::ListEventsRequest request;
    request.set_parent(huge_launch);
    v1::ListEventsResponse out;
    EXPECT_SHORT_REFUSAL(stub_->ListEvents(&context, request, &out), INVALID_ARGUMENT, "parent");
  }
  {
    grpc::ClientContext context;
    v1::ListEventsRequest request;
    request.set_parent(launch_.name());
    request.set_page_token(Huge());
    v1::ListEventsResponse out;
    EXPECT_SHORT_REFUSAL(stub_->ListEvents(&context, request, &out), INVALID_ARGUMENT,
                         "page_token");
  }
  {
    grpc::ClientContext context;
    v1::ListTemplatesRequest request;
    request.set_page_token(Huge());
    v1::ListTemplatesResponse out;
    EXPECT_SHORT_REFUSAL(stub_->ListTemplates(&context, request, &out), INVALID_ARGUMENT,
                         "page_token");
  }
  EXPECT_SHORT_REFUSAL(
      UpdateLaunchWith([&](auto& r) { r.mutable_launch()->set_name(huge_launch); }),
      INVALID_ARGUMENT, "launch.name");
  EXPECT_SHORT_REFUSAL(UpdateItemWith([&](auto& r) { r.mutable_item()->set_name(huge_item); }),
                       INVALID_ARGUMENT, "item.name");
  EXPECT_SHORT_REFUSAL(AddItemWith([&](auto& r) { r.set_parent(huge_launch); }), INVALID_ARGUMENT,
                       "parent");
  EXPECT_SHORT_REFUSAL(WatchWith([&](auto& r) { r.set_launch(huge_launch); }), INVALID_ARGUMENT,
                       "launch");
  EXPECT_SHORT_REFUSAL(WatchWith([&](auto& r) { r.set_tenant(Huge()); }), INVALID_ARGUMENT,
                       "tenant");
}

TEST_F(HostileInputTest, UpdatesAnswerHugeMaskPathsDatesZonesAndEtagsShortly) {
  const std::string huge = Huge();
  EXPECT_SHORT_REFUSAL(UpdateLaunchWith([&](auto& r) { r.mutable_update_mask()->add_paths(huge); }),
                       INVALID_ARGUMENT, "update_mask.paths[1]");
  EXPECT_SHORT_REFUSAL(UpdateLaunchWith([&](auto& r) {
                         r.mutable_update_mask()->add_paths("time_zone");
                         r.mutable_launch()->set_time_zone(huge);
                       }),
                       INVALID_ARGUMENT, "launch.time_zone");
  EXPECT_SHORT_REFUSAL(UpdateLaunchWith([&](auto& r) {
                         r.mutable_update_mask()->add_paths("target_launch_date");
                         r.mutable_launch()->set_target_launch_date(huge);
                       }),
                       INVALID_ARGUMENT, "launch.target_launch_date");
  EXPECT_SHORT_REFUSAL(UpdateLaunchWith([&](auto& r) {
                         r.mutable_update_mask()->add_paths("went_live_date");
                         r.mutable_launch()->set_went_live_date(huge);
                       }),
                       INVALID_ARGUMENT, "launch.went_live_date");
  // A stale or forged etag is ABORTED, as before, and just as short.
  EXPECT_SHORT_REFUSAL(UpdateLaunchWith([&](auto& r) { r.set_etag(huge); }), ABORTED, "etag");

  EXPECT_SHORT_REFUSAL(UpdateItemWith([&](auto& r) { r.mutable_update_mask()->add_paths(huge); }),
                       INVALID_ARGUMENT, "update_mask.paths[1]");
  EXPECT_SHORT_REFUSAL(UpdateItemWith([&](auto& r) {
                         r.mutable_update_mask()->add_paths("expiry_date");
                         r.mutable_item()->set_expiry_date(huge);
                       }),
                       INVALID_ARGUMENT, "item.expiry_date");
  EXPECT_SHORT_REFUSAL(UpdateItemWith([&](auto& r) {
                         r.mutable_update_mask()->add_paths("due_date");
                         r.mutable_item()->set_due_date(huge);
                       }),
                       INVALID_ARGUMENT, "item.due_date");
  EXPECT_SHORT_REFUSAL(UpdateItemWith([&](auto& r) {
                         r.mutable_update_mask()->add_paths("evidence");
                         r.mutable_item()->add_evidence()->set_uri(huge);
                       }),
                       INVALID_ARGUMENT, "item.evidence[0].uri");
  EXPECT_SHORT_REFUSAL(UpdateItemWith([&](auto& r) { r.set_etag(huge); }), ABORTED, "etag");
}

TEST_F(HostileInputTest, AddItemAnswersHugeValuesShortly) {
  const std::string huge = Huge('A');
  EXPECT_SHORT_REFUSAL(AddItemWith([&](auto& r) { r.mutable_item()->set_code(huge); }),
                       INVALID_ARGUMENT, "item.code");
  EXPECT_SHORT_REFUSAL(AddItemWith([&](auto& r) { r.mutable_item()->set_due_date(huge); }),
                       INVALID_ARGUMENT, "item.due_date");
  EXPECT_SHORT_REFUSAL(AddItemWith([&](auto& r) { r.mutable_item()->set_group(huge); }),
                       INVALID_ARGUMENT, "item.group");
  EXPECT_SHORT_REFUSAL(AddItemWith([&](auto& r) { r.mutable_item()->add_depends_on(huge); }),
                       INVALID_ARGUMENT, "item.depends_on[0]");
  EXPECT_SHORT_REFUSAL(AddItemWith([&](auto& r) { r.mutable_item()->set_title_en(huge); }),
                       INVALID_ARGUMENT, "item.title_en");
}

TEST_F(HostileInputTest, ListLaunchesAnswersHugeFiltersShortly) {
  const std::string huge = Huge();
  EXPECT_SHORT_REFUSAL(ListLaunchesWith([&](auto& r) { r.set_tenant(huge); }), INVALID_ARGUMENT,
                       "tenant");
  EXPECT_SHORT_REFUSAL(ListLaunchesWith([&](auto& r) { r.set_owner(huge); }), INVALID_ARGUMENT,
                       "owner");
  EXPECT_SHORT_REFUSAL(ListLaunchesWith([&](auto& r) { r.set_target_date_from(huge); }),
                       INVALID_ARGUMENT, "target_date_from");
  EXPECT_SHORT_REFUSAL(ListLaunchesWith([&](auto& r) { r.set_target_date_to(huge); }),
                       INVALID_ARGUMENT, "target_date_to");
  EXPECT_SHORT_REFUSAL(ListLaunchesWith([&](auto& r) { r.set_page_token(huge); }), INVALID_ARGUMENT,
                       "page_token");
}

// ---- 2. Time zones are IANA names, never paths; no control characters anywhere
// --------------------

TEST_F(HostileInputTest, TimeZonesArePathsNever) {
  for (const std::string& zone : std::vector<std::string>{
           "/etc/localtime", "../zoneinfo/UTC", "Asia/../UTC", "./UTC", "Asia//Shanghai", "/UTC",
           "UTC/", "/usr/share/zoneinfo/Asia/Shanghai", "Asia/Shanghai/..", "localtime",
           "posixrules", "-UTC", "Asia/Sh anghai", "UTC\n", std::string("UTC\0x", 5)}) {
    SCOPED_TRACE(zone);
    EXPECT_STATUS(CreateWith([&](auto& r) { r.mutable_launch()->set_time_zone(zone); }),
                  INVALID_ARGUMENT, "launch.time_zone");
    EXPECT_STATUS(UpdateLaunchWith([&](auto& r) {
                    r.mutable_update_mask()->add_paths("time_zone");
                    r.mutable_launch()->set_time_zone(zone);
                  }),
                  INVALID_ARGUMENT, "launch.time_zone");
  }
  for (const std::string& zone : std::vector<std::string>{
           "UTC", "Etc/GMT+8", "Etc/GMT-14", "America/Argentina/ComodRivadavia", "Asia/Shanghai",
           "America/Port-au-Prince", "EST5EDT"}) {
    SCOPED_TRACE(zone);
    v1::Launch created;
    EXPECT_OK(CreateWith([&](auto& r) { r.mutable_launch()->set_time_zone(zone); }, &created));
    EXPECT_EQ(created.time_zone(), zone);
  }
}

TEST_F(HostileInputTest, ControlCharactersAreRefusedInEveryStringField) {
  const std::string nul("Acme\0shop", 9);
  EXPECT_STATUS(CreateWith([&](auto& r) { r.mutable_launch()->set_display_name(nul); }),
                INVALID_ARGUMENT, "launch.display_name");
  // Single-line fields take neither newlines nor DEL.
  EXPECT_STATUS(CreateWith([](auto& r) { r.mutable_launch()->set_display_name("Acme\nshop"); }),
                INVALID_ARGUMENT, "launch.display_name");
  EXPECT_STATUS(CreateWith([](auto& r) { r.mutable_launch()->set_owner("zhang\x7f"); }),
                INVALID_ARGUMENT, "launch.owner");
  EXPECT_STATUS(CreateWith([](auto& r) { r.mutable_launch()->set_tenant("acme\x1b"); }),
                INVALID_ARGUMENT, "launch.tenant");
  EXPECT_STATUS(CreateWith([](auto& r) {
                  r.mutable_launch()->mutable_profile()->add_service_categories("e\tcommerce");
                }),
                INVALID_ARGUMENT, "launch.profile.service_categories[0]");
  // C1 controls are control characters too.
  EXPECT_STATUS(CreateWith([](auto& r) { r.mutable_launch()->set_display_name("Acme \xc2\x9b"); }),
                INVALID_ARGUMENT, "launch.display_name");
  EXPECT_STATUS(ListLaunchesWith([&](auto& r) { r.set_owner(nul); }), INVALID_ARGUMENT, "owner");
  EXPECT_STATUS(UpdateLaunchWith([](auto& r) { r.mutable_update_mask()->add_paths("owner\r"); }),
                INVALID_ARGUMENT, "update_mask.paths[1]");
  EXPECT_STATUS(UpdateItemWith([](auto& r) {
                  r.mutable_update_mask()->add_paths("assignee");
                  r.mutable_item()->set_assignee("li.na\n");
                }),
                INVALID_ARGUMENT, "item.assignee");
  EXPECT_STATUS(UpdateItemWith([](auto& r) {
                  r.mutable_update_mask()->add_paths("evidence");
                  v1::Evidence* evidence = r.mutable_item()->add_evidence();
                  evidence->set_uri("https://drive.example.com/a.pdf");
                  evidence->set_description("scan\x7f");
                }),
                INVALID_ARGUMENT, "item.evidence[0].description");
  EXPECT_STATUS(UpdateItemWith([](auto& r) { r.mutable_item()->set_notes("bell\a"); }),
                INVALID_ARGUMENT, "item.notes");
  EXPECT_STATUS(AddItemWith([](auto& r) { r.mutable_item()->set_title_zh("备案\x01"); }),
                INVALID_ARGUMENT, "item.title_zh");
  EXPECT_STATUS(WatchWith([](auto& r) { r.set_tenant(std::string("ac\0me", 5)); }),
                INVALID_ARGUMENT, "tenant");

  // Multi-line text keeps its newlines and tabs.
  EXPECT_OK(UpdateItemWith(
      [](auto& r) { r.mutable_item()->set_notes("Called the bureau.\n\t- they want form B\n"); }));
  EXPECT_OK(UpdateItemWith([](auto& r) {
    r.mutable_update_mask()->Clear();
    r.mutable_update_mask()->add_paths("waiver_reason");
    r.mutable_item()->set_waiver_reason("Not needed:\nno payments");
  }));
  EXPECT_OK(AddItemWith([](auto& r) { r.mutable_item()->set_notes("line one\nline two"); }));
}

// Broken UTF-8 in a string field never reaches a handler: protobuf refuses to parse the request
// (gRPC answers INTERNAL before the service sees it), so nothing is stored.
TEST_F(HostileInputTest, BrokenUtf8IsRefusedBeforeAnyHandler) {
  const grpc::Status refused =
      CreateWith([](auto& r) { r.mutable_launch()->set_display_name("Acme \xff shop"); });
  EXPECT_FALSE(refused.ok());
  grpc::ClientContext context;
  v1::ListLaunchesResponse listed;
  ASSERT_OK(stub_->ListLaunches(&context, v1::ListLaunchesRequest(), &listed));
  EXPECT_EQ(listed.launches_size(), 1);  // only the fixture's
}

// ---- 5. Tenant filters follow the tenant-id grammar ---------------------------------------------

TEST_F(HostileInputTest, TenantFiltersFollowTheTenantGrammar) {
  for (const std::string& tenant :
       std::vector<std::string>{"BAD TENANT", "acme'", "\"acme\"", "-acme", "ac/me", "Acme"}) {
    SCOPED_TRACE(tenant);
    EXPECT_STATUS(ListLaunchesWith([&](auto& r) { r.set_tenant(tenant); }), INVALID_ARGUMENT,
                  "tenant");
    EXPECT_STATUS(WatchWith([&](auto& r) { r.set_tenant(tenant); }), INVALID_ARGUMENT, "tenant");
  }
  EXPECT_OK(ListLaunchesWith([](auto& r) { r.set_tenant("acme"); }));
  EXPECT_OK(ListLaunchesWith([](auto& r) { r.set_tenant("a-b_c.d9"); }));
}

// ---- 7. AddItem refuses what it cannot store faithfully
// ------------------------------------------

TEST_F(HostileInputTest, AddItemRefusesUnknownDurationUnits) {
  EXPECT_STATUS(AddItemWith([](auto& r) {
                  r.mutable_item()->mutable_duration()->set_unit(static_cast<v1::DayUnit>(7));
                  r.mutable_item()->mutable_duration()->set_typical(5);
                }),
                INVALID_ARGUMENT, "item.duration.unit");
  EXPECT_STATUS(AddItemWith([](auto& r) {
                  r.mutable_item()->mutable_duration()->set_unit(v1::DAY_UNIT_CALENDAR_DAYS);
                  r.mutable_item()->mutable_duration()->set_typical(5);
                }),
                INVALID_ARGUMENT, "item.duration.unit");
}

TEST_F(HostileInputTest, AddItemRefusesMinAboveMax) {
  EXPECT_STATUS(AddItemWith([](auto& r) {
                  v1::DurationSpec* d = r.mutable_item()->mutable_duration();
                  d->set_unit(v1::DAY_UNIT_WORKING_DAYS);
                  d->set_min(10);
                  d->set_typical(5);
                  d->set_max(2);
                }),
                INVALID_ARGUMENT, "item.duration");
  EXPECT_STATUS(AddItemWith([](auto& r) {
                  v1::DurationSpec* d = r.mutable_item()->mutable_duration();
                  d->set_min(6);
                  d->set_typical(5);
                  d->set_max(9);
                }),
                INVALID_ARGUMENT, "item.duration");
  EXPECT_STATUS(AddItemWith([](auto& r) {
                  v1::DurationSpec* d = r.mutable_item()->mutable_duration();
                  d->set_min(-1);
                  d->set_typical(5);
                  d->set_max(9);
                }),
                INVALID_ARGUMENT, "item.duration");
  // A consistent range is stored as given.
  v1::Item added;
  ASSERT_OK(AddItemWith(
      [](auto& r) {
        v1::DurationSpec* d = r.mutable_item()->mutable_duration();
        d->set_unit(v1::DAY_UNIT_WORKING_DAYS);
        d->set_min(2);
        d->set_typical(5);
        d->set_max(10);
      },
      &added));
  EXPECT_EQ(added.duration().unit(), v1::DAY_UNIT_WORKING_DAYS);
  EXPECT_EQ(added.duration().min(), 2);
  EXPECT_EQ(added.duration().typical(), 5);
  EXPECT_EQ(added.duration().max(), 10);
  // Only a typical duration: min and max are the typical one, as before.
  v1::Item typical_only;
  ASSERT_OK(AddItemWith(
      [](auto& r) {
        r.mutable_item()->set_code("EXTRA_TWO");
        r.mutable_item()->mutable_duration()->set_typical(4);
      },
      &typical_only));
  EXPECT_EQ(typical_only.duration().min(), 4);
  EXPECT_EQ(typical_only.duration().max(), 4);
}

TEST_F(HostileInputTest, AddItemRefusesUnknownGroups) {
  EXPECT_STATUS(AddItemWith([](auto& r) { r.mutable_item()->set_group("no_such_group"); }),
                INVALID_ARGUMENT, "item.group");
  EXPECT_STATUS(AddItemWith([](auto& r) { r.mutable_item()->set_group("Domain ICP"); }),
                INVALID_ARGUMENT, "item.group");
  v1::Item in_template_group;
  ASSERT_OK(
      AddItemWith([](auto& r) { r.mutable_item()->set_group("domain_icp"); }, &in_template_group));
  EXPECT_EQ(in_template_group.group(), "domain_icp");
  v1::Item custom;
  ASSERT_OK(AddItemWith([](auto& r) { r.mutable_item()->set_code("EXTRA_TWO"); }, &custom));
  EXPECT_EQ(custom.group(), "custom");
  v1::Item explicit_custom;
  ASSERT_OK(AddItemWith(
      [](auto& r) {
        r.mutable_item()->set_code("EXTRA_THREE");
        r.mutable_item()->set_group("custom");
      },
      &explicit_custom));
  EXPECT_EQ(explicit_custom.group(), "custom");
}

}  // namespace
}  // namespace preflight::checklist
