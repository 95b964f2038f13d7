// Input limits of the checklist's domain: field lengths and repeated fields (validation.h, all
// named in limits.h) and the per-tenant and per-launch counts LaunchService enforces.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/limits.h"
#include "checklist-service/domain/validation.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;

void ExpectInvalid(const absl::Status& status, const std::string& text) {
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr(text));
}

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
  ExpectInvalid(ValidateNewLaunch(request, ""),
                "launch.display_name: too long (201 bytes, at most 200)");
  request = Shop();
  request.owner = std::string(kMaxNameLength + 1, 'o');
  ExpectInvalid(ValidateNewLaunch(request, ""), "launch.owner: too long");
  request = Shop(std::string(api::kMaxTenantLength + 1, 't'));
  ExpectInvalid(ValidateNewLaunch(request, ""), "launch.tenant: too long (64 bytes, at most 63)");
  request = Shop();
  request.template_id = std::string(api::kMaxTemplateIdLength + 1, 'w');
  ExpectInvalid(ValidateNewLaunch(request, ""), "launch.template_id: too long");
  ExpectInvalid(ValidateNewLaunch(Shop(), std::string(api::kMaxRequestIdLength + 1, 'r')),
                "request_id: too long (at most 64)");
}

TEST(ValidationLimitsTest, ServiceCategories) {
  NewLaunch request = Shop();
  request.profile.service_categories.clear();
  for (size_t i = 0; i <= kMaxCategories; ++i) {
    request.profile.service_categories.push_back(absl::StrCat("c", i));
  }
  ExpectInvalid(ValidateNewLaunch(request, ""),
                "launch.profile.service_categories: at most 32 categories, got 33");
  request.profile.service_categories = {std::string(kMaxCategoryLength + 1, 'c')};
  ExpectInvalid(ValidateNewLaunch(request, ""), "launch.profile.service_categories[0]: too long");
  LaunchPatch patch;
  patch.service_categories = std::vector<std::string>{"ok", std::string(100, 'c')};
  ExpectInvalid(ValidateLaunchPatch(patch), "launch.profile.service_categories[1]");
}

TEST(ValidationLimitsTest, ItemFieldsAndRepeatedFields) {
  ItemPatch patch;
  patch.assignee = std::string(kMaxNameLength + 1, 'a');
  ExpectInvalid(ValidateItemPatch(patch), "item.assignee: too long");
  patch = ItemPatch();
  patch.notes = std::string(kMaxNotesLength + 1, 'n');
  ExpectInvalid(ValidateItemPatch(patch), "item.notes: too long (4001 bytes, at most 4000)");
  patch = ItemPatch();
  patch.evidence = std::vector<Evidence>(kMaxEvidence + 1, Evidence{"https://e.example/x", ""});
  ExpectInvalid(ValidateItemPatch(patch), "item.evidence: at most 50 links, got 51");
  patch.evidence = std::vector<Evidence>{{std::string(kMaxUriLength + 1, 'u'), ""}};
  ExpectInvalid(ValidateItemPatch(patch), "item.evidence[0].uri: too long");

  NewItem item = Custom("CUSTOM_STEP");
  EXPECT_TRUE(ValidateNewItem(item).ok());
  item.depends_on = std::vector<std::string>(kMaxDependencies + 1, "ICP_FILING");
  ExpectInvalid(ValidateNewItem(item), "item.depends_on: at most 32 items, got 33");
  item.depends_on = {"ICP_FILING", std::string(api::kMaxItemCodeLength + 1, 'A')};
  ExpectInvalid(ValidateNewItem(item), "item.depends_on[1]: must be an item code");
  item.depends_on = {"lower"};
  ExpectInvalid(ValidateNewItem(item), "item.depends_on[0]");
  item = Custom("CUSTOM_STEP");
  item.title_en = std::string(kMaxNameLength + 1, 't');
  ExpectInvalid(ValidateNewItem(item), "item.title_en: too long");
}

class LaunchCountLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TemplateCatalog> catalog =
        TemplateCatalog::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/templates"});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = std::make_unique<TemplateCatalog>(*std::move(catalog));
    absl::StatusOr<WorkingCalendar> calendar =
        WorkingCalendar::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/calendar"});
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = std::make_unique<WorkingCalendar>(*std::move(calendar));
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
        SqliteChecklistStore::Open(dir_.Join("checklist.db"), SqliteChecklistStore::Options{});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::unique_ptr<LaunchService> Service(LaunchServiceLimits limits) {
    return std::make_unique<LaunchService>(store_.get(), catalog_.get(), calendar_.get(), &clock_,
                                           nullptr, limits);
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 9, 1, 2, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<TemplateCatalog> catalog_;
  std::unique_ptr<WorkingCalendar> calendar_;
  std::unique_ptr<SqliteChecklistStore> store_;
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

// The store interface's default count, for stores that do not count in SQL.
class PagingOnlyStore final : public ChecklistStore {
 public:
  explicit PagingOnlyStore(ChecklistStore* inner) : inner_(inner) {}
  absl::StatusOr<LaunchState> LoadLaunch(absl::string_view id) override {
    return inner_->LoadLaunch(id);
  }
  absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(
      absl::string_view tenant, absl::string_view request_id) override {
    return inner_->FindLaunchByRequestId(tenant, request_id);
  }
  absl::StatusOr<std::vector<LaunchState>> ListLaunches(const LaunchFilter& filter,
                                                        absl::string_view after_id,
                                                        int limit) override {
    return inner_->ListLaunches(filter, after_id, limit);
  }
  absl::StatusOr<std::vector<Event>> ListLaunchEvents(absl::string_view id, int64_t after,
                                                      int limit) override {
    return inner_->ListLaunchEvents(id, after, limit);
  }
  absl::StatusOr<std::vector<Event>> ReadEvents(int64_t after, int limit) override {
    return inner_->ReadEvents(after, limit);
  }
  absl::StatusOr<int64_t> LastSequence() override { return inner_->LastSequence(); }
  absl::StatusOr<std::vector<LogEpoch>> LogEpochs() override { return inner_->LogEpochs(); }
  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes) override {
    return inner_->Commit(changes);
  }
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) override {
    return inner_->GetOrCreateSecret(name);
  }

 private:
  ChecklistStore* inner_;
};

TEST_F(LaunchCountLimitsTest, DefaultCountPagesThroughTheTenant) {
  std::unique_ptr<LaunchService> service = Service({});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(service->CreateLaunch(Shop(), "", actor_).ok());
  ASSERT_TRUE(service->CreateLaunch(Shop("globex"), "", actor_).ok());
  PagingOnlyStore paging(store_.get());
  EXPECT_EQ(*paging.CountLaunches("acme"), 3);
  EXPECT_EQ(*paging.CountLaunches("globex"), 1);
}

}  // namespace
}  // namespace preflight::checklist
