// Input limits of the checklist's domain: field lengths and repeated fields (validation.h, all
// named in limits.h) and the per-tenant and per-launch counts LaunchService enforces.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/limits.h"
#include "checklist-service/domain/validation.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;

NewLaunch Shop(const std::string& tenant = "acme") {
  NewLaunch request;
  request.tenant = tenant;
  request.display_name = "Acme shop";
  request.owner = "zhang.wei";
  request.target_launch_date = absl::CivilDay(2026, 12, 15);
  request.time_zone = "Asia/Shanghai";
  request.template_id = std::string(kDefaultTemplateId);
  request.profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  request.profile.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
  request.profile.service_categories = {"ecommerce"};
  return request;
}

NewItem Custom(const std::string& code) {
  NewItem item;
  item.code = code;
  item.title_en = "Custom step";
  item.due_date = absl::CivilDay(2026, 11, 1);
  return item;
}

TEST(ValidationLimitsTest, LaunchStrings) {
  NewLaunch request = Shop();
  EXPECT_TRUE(ValidateNewLaunch(request, "req-1").ok());
  request.display_name = std::string(kMaxNameLength + 1, 'x');
  EXPECT_STATUS(ValidateNewLaunch(request, ""), INVALID_ARGUMENT,
                "launch.display_name: too long (201 bytes, at most 200)");
  request = Shop();
  request.owner = std::string(kMaxNameLength + 1, 'o');
  EXPECT_STATUS(ValidateNewLaunch(request, ""), INVALID_ARGUMENT, "launch.owner: too long");
  request = Shop(std::string(api::kMaxTenantLength + 1, 't'));
  EXPECT_STATUS(ValidateNewLaunch(request, ""), INVALID_ARGUMENT,
                "launch.tenant: too long (64 bytes, at most 63)");
  request = Shop();
  request.template_id = std::string(api::kMaxTemplateIdLength + 1, 'w');
  EXPECT_STATUS(ValidateNewLaunch(request, ""), INVALID_ARGUMENT, "launch.template_id: too long");
  EXPECT_STATUS(ValidateNewLaunch(Shop(), std::string(api::kMaxRequestIdLength + 1, 'r')),
                INVALID_ARGUMENT, "request_id: too long (at most 64)");
}

TEST(ValidationLimitsTest, ServiceCategories) {
  NewLaunch request = Shop();
  request.profile.service_categories.clear();
  for (size_t i = 0; i <= kMaxCategories; ++i) {
    request.profile.service_categories.push_back(absl::StrCat("c", i));
  }
  EXPECT_STATUS(ValidateNewLaunch(request, ""), INVALID_ARGUMENT,
                "launch.profile.service_categories: at most 32 categories, got 33");
  request.profile.service_categories = {std::string(kMaxCategoryLength + 1, 'c')};
  EXPECT_STATUS(ValidateNewLaunch(request, ""), INVALID_ARGUMENT,
                "launch.profile.service_categories[0]: too long");
  LaunchPatch patch;
  patch.service_categories = std::vector<std::string>{"ok", std::string(100, 'c')};
  EXPECT_STATUS(ValidateLaunchPatch(patch), INVALID_ARGUMENT,
                "launch.profile.service_categories[1]");
}

TEST(ValidationLimitsTest, ItemFieldsAndRepeatedFields) {
  ItemPatch patch;
  patch.assignee = std::string(kMaxNameLength + 1, 'a');
  EXPECT_STATUS(ValidateItemPatch(patch), INVALID_ARGUMENT, "item.assignee: too long");
  patch = ItemPatch();
  patch.notes = std::string(kMaxNotesLength + 1, 'n');
  EXPECT_STATUS(ValidateItemPatch(patch), INVALID_ARGUMENT,
                "item.notes: too long (4001 bytes, at most 4000)");
  patch = ItemPatch();
  patch.evidence = std::vector<Evidence>(kMaxEvidence + 1, Evidence{"https://e.example/x", ""});
  EXPECT_STATUS(ValidateItemPatch(patch), INVALID_ARGUMENT,
                "item.evidence: at most 50 links, got 51");
  patch.evidence = std::vector<Evidence>{{std::string(kMaxUriLength + 1, 'u'), ""}};
  EXPECT_STATUS(ValidateItemPatch(patch), INVALID_ARGUMENT, "item.evidence[0].uri: too long");

  NewItem item = Custom("CUSTOM_STEP");
  EXPECT_TRUE(ValidateNewItem(item).ok());
  item.depends_on = std::vector<std::string>(kMaxDependencies + 1, "ICP_FILING");
  EXPECT_STATUS(ValidateNewItem(item), INVALID_ARGUMENT,
                "item.depends_on: at most 32 items, got 33");
  item.depends_on = {"ICP_FILING", std::string(api::kMaxItemCodeLength + 1, 'A')};
  EXPECT_STATUS(ValidateNewItem(item), INVALID_ARGUMENT,
                "item.depends_on[1]: must be an item code");
  item.depends_on = {"lower"};
  EXPECT_STATUS(ValidateNewItem(item), INVALID_ARGUMENT, "item.depends_on[0]");
  item = Custom("CUSTOM_STEP");
  item.title_en = std::string(kMaxNameLength + 1, 't');
  EXPECT_STATUS(ValidateNewItem(item), INVALID_ARGUMENT, "item.title_en: too long");
}

class LaunchCountLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(checklist_.Open());
    store_ = checklist_.store();
  }

  std::unique_ptr<LaunchService> Service(LaunchServiceLimits limits) {
    return checklist_.NewService(nullptr, nullptr, limits);
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 9, 1, 2, 0, 0), absl::UTCTimeZone())};
  testing::ChecklistTestbed checklist_{&clock_};
  SqliteChecklistStore* store_ = nullptr;
  Actor actor_{"tester"};
};

TEST_F(LaunchCountLimitsTest, DefaultsAreTheDocumentedConstants) {
  const LaunchServiceLimits limits;
  EXPECT_EQ(limits.max_launches_per_tenant, 1000);
  EXPECT_EQ(limits.max_items_per_launch, 200);
}

TEST_F(LaunchCountLimitsTest, LaunchesPerTenant) {
  LaunchServiceLimits limits;
  limits.max_launches_per_tenant = 3;
  std::unique_ptr<LaunchService> service = Service(limits);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(service->CreateLaunch(Shop(), absl::StrCat("req-", i), actor_).ok());
  }
  const absl::StatusOr<LaunchState> over = service->CreateLaunch(Shop(), "req-3", actor_);
  EXPECT_TRUE(absl::IsResourceExhausted(over.status())) << over.status();
  EXPECT_THAT(over.status().message(),
              HasSubstr("tenant acme has 3 launches, the limit (3 per tenant)"));
  // A retry of a create that succeeded is still answered: it adds nothing.
  EXPECT_TRUE(service->CreateLaunch(Shop(), "req-1", actor_).ok());
  // Other tenants have their own count.
  EXPECT_TRUE(service->CreateLaunch(Shop("globex"), "", actor_).ok());
  EXPECT_EQ(*store_->CountLaunches("acme"), 3);
  EXPECT_EQ(*store_->CountLaunches("globex"), 1);
  EXPECT_EQ(*store_->CountLaunches("nobody"), 0);
}

TEST_F(LaunchCountLimitsTest, ItemsPerLaunch) {
  std::unique_ptr<LaunchService> unlimited = Service({});
  absl::StatusOr<LaunchState> launch = unlimited->CreateLaunch(Shop(), "", actor_);
  ASSERT_TRUE(launch.ok()) << launch.status();
  const int template_items = static_cast<int>(launch->items.size());
  LaunchServiceLimits limits;
  limits.max_items_per_launch = template_items + 2;
  std::unique_ptr<LaunchService> service = Service(limits);
  ASSERT_TRUE(service->AddItem(launch->launch.id, Custom("CUSTOM_A"), actor_).ok());
  ASSERT_TRUE(service->AddItem(launch->launch.id, Custom("CUSTOM_B"), actor_).ok());
  const absl::StatusOr<Item> over = service->AddItem(launch->launch.id, Custom("CUSTOM_C"), actor_);
  EXPECT_TRUE(absl::IsResourceExhausted(over.status())) << over.status();
  EXPECT_THAT(over.status().message(),
              HasSubstr(absl::StrCat("launches/", launch->launch.id, " has ", template_items + 2,
                                     " items, the limit (", template_items + 2, " per launch)")));
}

TEST_F(LaunchCountLimitsTest, DefaultCountPagesThroughTheTenant) {
  std::unique_ptr<LaunchService> service = Service({});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(service->CreateLaunch(Shop(), "", actor_).ok());
  ASSERT_TRUE(service->CreateLaunch(Shop("globex"), "", actor_).ok());
  // The store interface's default count, for stores that do not count in SQL: a store that
  // passes everything else through (ForwardingChecklistStore leaves CountLaunches alone).
  testing::ForwardingChecklistStore paging(store_);
  EXPECT_EQ(*paging.CountLaunches("acme"), 3);
  EXPECT_EQ(*paging.CountLaunches("globex"), 1);
}

}  // namespace
}  // namespace preflight::checklist
