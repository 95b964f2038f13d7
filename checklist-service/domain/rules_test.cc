#include "checklist-service/domain/rules.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kLaunch[] = "l-test";

const CompiledTemplate& Wechat() {
  static const CompiledTemplate* const kTemplate = [] {
    absl::StatusOr<TemplateCatalog> catalog = TemplateCatalog::LoadFromDirectories(
        {std::string(PREFLIGHT_SOURCE_DIR) + "/data/templates"});
    EXPECT_TRUE(catalog.ok()) << catalog.status();
    static const TemplateCatalog* const kCatalog = new TemplateCatalog(*std::move(catalog));
    return kCatalog->Find(kDefaultTemplateId);
  }();
  EXPECT_NE(kTemplate, nullptr);
  return *kTemplate;
}

Profile MakeProfile(v1::SubjectType subject, v1::Hosting hosting, bool payments = false,
                    std::vector<std::string> categories = {}) {
  Profile profile;
  profile.subject_type = subject;
  profile.hosting = hosting;
  profile.takes_payments = payments;
  profile.service_categories = std::move(categories);
  return profile;
}

const Item& Get(const std::vector<Item>& items, const std::string& code) {
  const auto it =
      std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.code == code; });
  EXPECT_NE(it, items.end()) << code;
  static const Item kMissing;
  return it == items.end() ? kMissing : *it;
}

Item& Mutable(std::vector<Item>& items, const std::string& code) {
  return const_cast<Item&>(Get(items, code));
}

std::vector<std::string> DependencyCodes(const Item& item) {
  std::vector<std::string> codes;
  for (const Dependency& dependency : item.depends_on) codes.push_back(dependency.code);
  return codes;
}

std::vector<std::string> TemplateCodes(const CompiledTemplate& tmpl) {
  std::vector<std::string> codes;
  for (const v1::ItemDefinition& item : tmpl.proto().items()) codes.push_back(item.code());
  return codes;
}

// ---- ValidateProfile
// -----------------------------------------------------------------------------

TEST(ValidateProfileTest, AcceptsACompleteProfile) {
  EXPECT_TRUE(
      ValidateProfile(Wechat(), MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE,
                                            v1::HOSTING_OWN_MAINLAND_SERVER, true, {"ecommerce"}))
          .ok());
}

TEST(ValidateProfileTest, SubjectAndHostingRequired) {
  const absl::Status no_subject = ValidateProfile(
      Wechat(), MakeProfile(v1::SUBJECT_TYPE_UNSPECIFIED, v1::HOSTING_WECHAT_CLOUD));
  EXPECT_EQ(no_subject.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(no_subject.message(), "profile.subject_type: required");
  const absl::Status no_hosting =
      ValidateProfile(Wechat(), MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_UNSPECIFIED));
  EXPECT_EQ(no_hosting.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(no_hosting.message(), "profile.hosting: required");
}

TEST(ValidateProfileTest, OutOfRangeEnumValues) {
  EXPECT_EQ(ValidateProfile(Wechat(),
                            MakeProfile(static_cast<v1::SubjectType>(42), v1::HOSTING_WECHAT_CLOUD))
                .message(),
            "profile.subject_type: unknown value 42");
  EXPECT_EQ(ValidateProfile(Wechat(),
                            MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, static_cast<v1::Hosting>(9)))
                .message(),
            "profile.hosting: unknown value 9");
}

TEST(ValidateProfileTest, UnknownCategory) {
  const absl::Status status =
      ValidateProfile(Wechat(), MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD,
                                            false, {"food", "gambling"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "profile.service_categories: unknown category 'gambling'");
}

TEST(ValidateProfileTest, IndividualWithPaymentsIsRefused) {
  const absl::Status status = ValidateProfile(
      Wechat(), MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL, v1::HOSTING_WECHAT_CLOUD, true));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("profile.takes_payments: WeChat Pay does not issue merchant numbers to "
                         "individuals"));
  // An individual business may take payments.
  EXPECT_TRUE(ValidateProfile(Wechat(), MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL_BUSINESS,
                                                    v1::HOSTING_WECHAT_CLOUD, true))
                  .ok());
}

TEST(ValidateProfileTest, IndividualWithCompanyOnlyCategoryIsRefused) {
  for (const char* category : {"ecommerce_platform", "social_dating", "news", "video"}) {
    const absl::Status status = ValidateProfile(
        Wechat(),
        MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL, v1::HOSTING_WECHAT_CLOUD, false, {category}));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << category;
    EXPECT_THAT(std::string(status.message()),
                StartsWith("profile.service_categories: an individual cannot "
                           "hold the licence"))
        << category;
  }
  EXPECT_TRUE(
      ValidateProfile(Wechat(), MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL, v1::HOSTING_WECHAT_CLOUD,
                                            false, {"tools", "social_community"}))
          .ok());
}

TEST(ValidateProfileTest, IndividualWithOrganisationOnlyPermitIsRefused) {
  for (const char* category : {"social_live", "pharma", "finance", "game"}) {
    const absl::Status status = ValidateProfile(
        Wechat(),
        MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL, v1::HOSTING_WECHAT_CLOUD, false, {category}));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << category;
    EXPECT_THAT(std::string(status.message()),
                StartsWith("profile.service_categories: an individual cannot hold the permits"))
        << category;
  }
  // The same categories are open to a company.
  EXPECT_TRUE(
      ValidateProfile(Wechat(), MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD,
                                            false, {"social_live", "pharma", "finance", "game"}))
          .ok());
}

// ---- ProfileBlockers
// -----------------------------------------------------------------------------

std::vector<std::string> BlockerCodes(const Profile& profile) {
  std::vector<std::string> codes;
  for (const Blocker& blocker : ProfileBlockers(Wechat(), profile)) {
    EXPECT_FALSE(blocker.message.empty());
    EXPECT_TRUE(blocker.item_code.empty());
    codes.push_back(blocker.code);
  }
  return codes;
}

TEST(ProfileBlockersTest, NoneForAnOrdinaryShop) {
  EXPECT_THAT(BlockerCodes(MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER,
                                       true, {"ecommerce"})),
              IsEmpty());
}

TEST(ProfileBlockersTest, VideoIsForStateOwnedEntitiesOnly) {
  EXPECT_THAT(
      BlockerCodes(MakeProfile(v1::SUBJECT_TYPE_MEDIA, v1::HOSTING_WECHAT_CLOUD, false, {"video"})),
      ElementsAre("VIDEO_STATE_OWNED_ONLY"));
}

TEST(ProfileBlockersTest, NewsUnlessGovernmentOrMedia) {
  EXPECT_THAT(BlockerCodes(MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD, false,
                                       {"news"})),
              ElementsAre("NEWS_GOVERNMENT_OR_MEDIA"));
  EXPECT_THAT(BlockerCodes(MakeProfile(v1::SUBJECT_TYPE_GOVERNMENT, v1::HOSTING_WECHAT_CLOUD, false,
                                       {"news"})),
              IsEmpty());
  EXPECT_THAT(
      BlockerCodes(MakeProfile(v1::SUBJECT_TYPE_MEDIA, v1::HOSTING_WECHAT_CLOUD, false, {"news"})),
      IsEmpty());
}

TEST(ProfileBlockersTest, IndividualBusinessCannotHoldTelecomLicence) {
  const std::vector<Blocker> blockers = ProfileBlockers(
      Wechat(), MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL_BUSINESS, v1::HOSTING_WECHAT_CLOUD, false,
                            {"ecommerce_platform"}));
  ASSERT_EQ(blockers.size(), 1u);
  EXPECT_EQ(blockers[0].code, "INDIVIDUAL_BUSINESS_COMPANY_ONLY_LICENCE");
  EXPECT_THAT(blockers[0].message, HasSubstr("issued to companies only"));
}

// ---- ApplyProfile: acceptance criteria
// -----------------------------------------------------------

TEST(ApplyProfileTest, EnterpriseOnMainlandServerWithPayments) {
  std::vector<Item> items;
  const std::vector<std::string> changed =
      ApplyProfile(Wechat(),
                   MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER, true,
                               {"ecommerce"}),
                   kLaunch, &items);
  EXPECT_EQ(changed, TemplateCodes(Wechat()));
  ASSERT_EQ(items.size(), changed.size());

  for (const char* code : {"BIZ", "CLOUD_RN", "SERVER", "DOMAIN", "DOMAIN_RN", "ICP_FILING",
                           "PSB_FILING", "MP_ACCOUNT", "MP_SUBJECT", "MP_CATEGORY", "MP_VERIFY",
                           "MP_FILING", "CODE_REVIEW", "WXPAY_MCH", "WXPAY_BIND"}) {
    const Item& item = Get(items, code);
    EXPECT_EQ(item.status, ItemStatus::kNotStarted) << code;
    EXPECT_EQ(item.applicability_reason, Wechat().FindItem(code)->applies_reason()) << code;
  }
  // Own goods only: no telecom licence, no permits, no cyberspace report.
  for (const char* code : {"ICP_LICENSE", "PERMIT_EDI", "CAC_REVIEW", "PERMIT_FOOD",
                           "MINIGAME_VERIFY_BEFORE_FILING"}) {
    EXPECT_EQ(Get(items, code).status, ItemStatus::kNotApplicable) << code;
  }

  EXPECT_THAT(DependencyCodes(Get(items, "WXPAY_BIND")), ElementsAre("WXPAY_MCH", "MP_VERIFY"));
  EXPECT_THAT(DependencyCodes(Get(items, "PSB_FILING")), ElementsAre("ICP_FILING"));
  const Item& icp = Get(items, "ICP_FILING");
  EXPECT_THAT(icp.depends_on, Contains(Dependency{"SERVER", 0}));
  EXPECT_THAT(icp.depends_on, Contains(Dependency{"DOMAIN_RN", 3}));
  EXPECT_THAT(DependencyCodes(Get(items, "WXPAY_MCH")), ElementsAre("BIZ", "MP_VERIFY"));
}

TEST(ApplyProfileTest, CopiesEveryDefinitionField) {
  std::vector<Item> items;
  ApplyProfile(Wechat(),
               MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER, true),
               kLaunch, &items);
  const Item& verify = Get(items, "MP_VERIFY");
  EXPECT_EQ(verify.launch_id, kLaunch);
  EXPECT_EQ(verify.title_en, "WeChat verification");
  EXPECT_EQ(verify.title_zh, "微信认证");
  EXPECT_EQ(verify.group, "mini_program_account");
  EXPECT_FALSE(verify.custom);
  EXPECT_FALSE(verify.external);
  EXPECT_EQ(verify.duration.unit, v1::DAY_UNIT_WORKING_DAYS);
  EXPECT_EQ(verify.duration.min, 1);
  EXPECT_EQ(verify.duration.typical, 3);
  EXPECT_EQ(verify.duration.max, 15);
  EXPECT_EQ(verify.fee_per_attempt, 30000);
  EXPECT_FALSE(verify.fee_charged_per_attempt);
  EXPECT_TRUE(verify.fee_charged_per_order);
  EXPECT_EQ(verify.resubmissions_per_order, 3);
  EXPECT_EQ(verify.validity_months, 12);
  EXPECT_EQ(verify.source, "W9,W10,W8,W7");
  EXPECT_FALSE(verify.estimate);
  EXPECT_EQ(verify.deadline.anchor, DeadlineAnchor::kBeforeLaunch);

  const Item& psb = Get(items, "PSB_FILING");
  EXPECT_EQ(psb.group, "post_launch");
  EXPECT_EQ(psb.deadline.anchor, DeadlineAnchor::kAfterGoLive);
  EXPECT_EQ(psb.deadline.days, 30);
  EXPECT_EQ(psb.deadline.unit, v1::DAY_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(psb.official_number_label, "公安备案号");
  EXPECT_TRUE(psb.estimate);

  EXPECT_TRUE(Get(items, "BIZ").external);
  EXPECT_EQ(Get(items, "ICP_FILING").official_number_label, "ICP备案号");
  EXPECT_EQ(Get(items, "ICP_LICENSE").validity_months, 60);
  EXPECT_EQ(Get(items, "ICP_LICENSE").duration.unit, v1::DAY_UNIT_CALENDAR_DAYS);
  // A one-off fee with an estimate: ¥80 for the domain.
  const Item& domain = Get(items, "DOMAIN");
  EXPECT_EQ(domain.fee_per_attempt, 8000);
  EXPECT_FALSE(domain.fee_charged_per_attempt);
  EXPECT_TRUE(domain.estimate);
  // Free items.
  EXPECT_EQ(Get(items, "ICP_FILING").fee_per_attempt, 0);
  for (const Item& item : items) {
    EXPECT_EQ(item.version, 1) << item.code;
    EXPECT_EQ(item.update_time, absl::UnixEpoch()) << item.code;
  }
}

TEST(ApplyProfileTest, WechatCloudNeedsNoServerDomainOrFilings) {
  std::vector<Item> items;
  ApplyProfile(
      Wechat(),
      MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD, true, {"ecommerce"}),
      kLaunch, &items);
  for (const char* code :
       {"SERVER", "DOMAIN", "DOMAIN_RN", "ICP_FILING", "PSB_FILING", "CLOUD_RN"}) {
    const Item& item = Get(items, code);
    EXPECT_EQ(item.status, ItemStatus::kNotApplicable) << code;
    EXPECT_FALSE(item.applicability_reason.empty()) << code;
    EXPECT_EQ(item.applicability_reason, Wechat().FindItem(code)->not_applicable_reason()) << code;
  }
  EXPECT_THAT(Get(items, "DOMAIN").applicability_reason, HasSubstr("callContainer"));
  for (const char* code : {"MP_ACCOUNT", "MP_FILING", "MP_VERIFY", "WXPAY_MCH", "CODE_REVIEW"}) {
    EXPECT_EQ(Get(items, code).status, ItemStatus::kNotStarted) << code;
  }
}

// A mini program can only call ICP-filed server domains, so a backend outside the mainland still
// needs the filing track, in order (domain.md §9.1).
TEST(ApplyProfileTest, ServerOutsideMainlandStillFilesItsRequestDomain) {
  std::vector<Item> items;
  ApplyProfile(Wechat(),
               MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_SERVER_OUTSIDE_MAINLAND),
               kLaunch, &items);
  for (const char* code :
       {"CLOUD_RN", "SERVER", "DOMAIN", "DOMAIN_RN", "ICP_FILING", "PSB_FILING"}) {
    EXPECT_EQ(Get(items, code).status, ItemStatus::kNotStarted) << code;
  }
  EXPECT_THAT(Get(items, "ICP_FILING").applicability_reason,
              HasSubstr("must be filed wherever the server is"));
  const auto depends_on = [&](const char* code, const char* on) {
    for (const Dependency& dependency : Get(items, code).depends_on) {
      if (dependency.code == on) return true;
    }
    return false;
  };
  EXPECT_TRUE(depends_on("ICP_FILING", "SERVER"));
  EXPECT_TRUE(depends_on("ICP_FILING", "DOMAIN_RN"));
  EXPECT_TRUE(depends_on("PSB_FILING", "ICP_FILING"));
}

TEST(ApplyProfileTest, WechatCloudNeedsNoDomainOrFilings) {
  std::vector<Item> items;
  ApplyProfile(Wechat(), MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD),
               kLaunch, &items);
  for (const char* code :
       {"CLOUD_RN", "SERVER", "DOMAIN", "DOMAIN_RN", "ICP_FILING", "PSB_FILING"}) {
    EXPECT_EQ(Get(items, code).status, ItemStatus::kNotApplicable) << code;
  }
}

TEST(ApplyProfileTest, IndividualWithoutPayments) {
  const Profile profile = MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL, v1::HOSTING_WECHAT_CLOUD);
  ASSERT_TRUE(ValidateProfile(Wechat(), profile).ok());
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  const Item& verify = Get(items, "MP_VERIFY");
  EXPECT_EQ(verify.fee_per_attempt, 3000);
  EXPECT_TRUE(verify.fee_charged_per_order);
  EXPECT_EQ(verify.resubmissions_per_order, 3);
  EXPECT_TRUE(verify.estimate);  // the ¥30 fee is from secondary sources only
  EXPECT_EQ(verify.status, ItemStatus::kNotApplicable);
  EXPECT_THAT(verify.applicability_reason, HasSubstr("individual"));
  for (const char* code : {"WXPAY_MCH", "WXPAY_BIND", "BIZ", "MP_SUBJECT"}) {
    EXPECT_EQ(Get(items, code).status, ItemStatus::kNotApplicable) << code;
  }
  for (const char* code : {"MP_ACCOUNT", "MP_CATEGORY", "MP_FILING", "CODE_REVIEW"}) {
    EXPECT_EQ(Get(items, code).status, ItemStatus::kNotStarted) << code;
  }
}

TEST(ApplyProfileTest, FeeFollowsSubjectType) {
  std::vector<Item> items;
  ApplyProfile(Wechat(), MakeProfile(v1::SUBJECT_TYPE_GOVERNMENT, v1::HOSTING_WECHAT_CLOUD),
               kLaunch, &items);
  EXPECT_EQ(Get(items, "MP_VERIFY").status, ItemStatus::kNotStarted);
  EXPECT_EQ(Get(items, "MP_VERIFY").fee_per_attempt, 0);
  EXPECT_FALSE(Get(items, "MP_VERIFY").estimate);
  // Becoming a media subject switches to the default rule and reports the item.
  const std::vector<std::string> changed = ApplyProfile(
      Wechat(), MakeProfile(v1::SUBJECT_TYPE_MEDIA, v1::HOSTING_WECHAT_CLOUD), kLaunch, &items);
  EXPECT_THAT(changed, ElementsAre("MP_VERIFY"));
  EXPECT_EQ(Get(items, "MP_VERIFY").fee_per_attempt, 30000);
}

// An item stored under the old per-attempt rule takes the per-order one at the next ApplyProfile,
// keeps its counts (and so its fees), and is reported as changed.
TEST(ApplyProfileTest, PerOrderFeeRuleReachesAStoredPerAttemptItem) {
  const Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD, true);
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  Item& verify = Mutable(items, "MP_VERIFY");
  verify.fee_charged_per_attempt = true;
  verify.fee_charged_per_order = false;
  verify.resubmissions_per_order = 0;
  verify.status = ItemStatus::kRejected;
  verify.attempts = 2;
  verify.paid_orders = 2;
  EXPECT_EQ(FeesPaid(verify), 60000);
  EXPECT_THAT(ApplyProfile(Wechat(), profile, kLaunch, &items), ElementsAre("MP_VERIFY"));
  EXPECT_TRUE(verify.fee_charged_per_order);
  EXPECT_FALSE(verify.fee_charged_per_attempt);
  EXPECT_EQ(verify.resubmissions_per_order, 3);
  EXPECT_EQ(verify.paid_orders, 2);
  EXPECT_EQ(FeesPaid(verify), 60000);

  // A changed resubmission limit alone is a change too.
  verify.resubmissions_per_order = 2;
  EXPECT_THAT(ApplyProfile(Wechat(), profile, kLaunch, &items), ElementsAre("MP_VERIFY"));
  EXPECT_THAT(ApplyProfile(Wechat(), profile, kLaunch, &items), IsEmpty());
}

TEST(ApplyProfileTest, EnterpriseMiniGameFilingWaitsForVerification) {
  Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD);
  profile.mini_game = true;
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "MINIGAME_VERIFY_BEFORE_FILING").status, ItemStatus::kNotStarted);
  EXPECT_THAT(DependencyCodes(Get(items, "MINIGAME_VERIFY_BEFORE_FILING")),
              ElementsAre("MP_VERIFY"));
  EXPECT_THAT(DependencyCodes(Get(items, "MP_FILING")), Contains("MINIGAME_VERIFY_BEFORE_FILING"));
  // Ads-only mini game: no publishing number; with payments (IAP) it needs one.
  EXPECT_EQ(Get(items, "PERMIT_GAME").status, ItemStatus::kNotApplicable);
  profile.takes_payments = true;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "PERMIT_GAME").status, ItemStatus::kNotStarted);
}

TEST(ApplyProfileTest, SensitiveCategoriesGetPermitsAndCyberspaceReview) {
  std::vector<Item> items;
  ApplyProfile(Wechat(),
               MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER, false,
                           {"ecommerce_platform", "social_live"}),
               kLaunch, &items);
  for (const char* code : {"ICP_LICENSE", "PERMIT_EDI", "PERMIT_LIVE_STREAMING", "CAC_REVIEW"}) {
    EXPECT_EQ(Get(items, code).status, ItemStatus::kNotStarted) << code;
  }
  for (const char* code : {"PERMIT_NEWS", "PERMIT_VIDEO", "PERMIT_FOOD", "PERMIT_GAME"}) {
    EXPECT_EQ(Get(items, code).status, ItemStatus::kNotApplicable) << code;
  }
  EXPECT_THAT(DependencyCodes(Get(items, "MP_CATEGORY")), Contains("PERMIT_LIVE_STREAMING"));
}

// ---- ApplyProfile: re-applying ------------------------------------------------------------------

TEST(ApplyProfileTest, ReapplyingTheSameProfileChangesNothing) {
  const Profile profile =
      MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER, true);
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_THAT(ApplyProfile(Wechat(), profile, kLaunch, &items), IsEmpty());
}

TEST(ApplyProfileTest, TogglingHostingRestoresEarlierStatuses) {
  const Profile mainland =
      MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER, false);
  std::vector<Item> items;
  ApplyProfile(Wechat(), mainland, kLaunch, &items);
  const size_t count = items.size();
  Mutable(items, "SERVER").status = ItemStatus::kApproved;
  Mutable(items, "ICP_FILING").status = ItemStatus::kApproved;
  Mutable(items, "DOMAIN_RN").status = ItemStatus::kSubmitted;
  Mutable(items, "ICP_FILING").version = 7;

  Profile cloud = mainland;
  cloud.hosting = v1::HOSTING_WECHAT_CLOUD;
  EXPECT_THAT(ApplyProfile(Wechat(), cloud, kLaunch, &items),
              ElementsAre("CLOUD_RN", "SERVER", "DOMAIN", "DOMAIN_RN", "ICP_FILING", "TLS_CERT",
                          "SERVER_DOMAIN_CONFIG", "PSB_FILING"));
  EXPECT_EQ(items.size(), count);
  EXPECT_EQ(Get(items, "ICP_FILING").status, ItemStatus::kNotApplicable);
  EXPECT_EQ(Get(items, "ICP_FILING").status_before_not_applicable, ItemStatus::kApproved);
  EXPECT_EQ(Get(items, "DOMAIN_RN").status_before_not_applicable, ItemStatus::kSubmitted);
  // The caller bumps versions; the rules leave them alone.
  EXPECT_EQ(Get(items, "ICP_FILING").version, 7);

  EXPECT_THAT(ApplyProfile(Wechat(), mainland, kLaunch, &items),
              ElementsAre("CLOUD_RN", "SERVER", "DOMAIN", "DOMAIN_RN", "ICP_FILING", "TLS_CERT",
                          "SERVER_DOMAIN_CONFIG", "PSB_FILING"));
  EXPECT_EQ(items.size(), count);
  EXPECT_EQ(Get(items, "SERVER").status, ItemStatus::kApproved);
  EXPECT_EQ(Get(items, "ICP_FILING").status, ItemStatus::kApproved);
  EXPECT_EQ(Get(items, "ICP_FILING").applicability_reason,
            Wechat().FindItem("ICP_FILING")->applies_reason());
  EXPECT_EQ(Get(items, "DOMAIN_RN").status, ItemStatus::kSubmitted);
  EXPECT_EQ(Get(items, "PSB_FILING").status, ItemStatus::kNotStarted);
}

TEST(ApplyProfileTest, StayingNotApplicableKeepsTheRememberedStatus) {
  Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER);
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  Mutable(items, "ICP_FILING").status = ItemStatus::kApproved;
  profile.hosting = v1::HOSTING_WECHAT_CLOUD;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  // A second profile under which it still does not apply must not overwrite what was remembered.
  profile.takes_payments = !profile.takes_payments;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "ICP_FILING").status_before_not_applicable, ItemStatus::kApproved);
  profile.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "ICP_FILING").status, ItemStatus::kApproved);
}

TEST(ApplyProfileTest, NewlyApplicableItemsAppearAndNothingIsRemoved) {
  Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD);
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  Item custom;
  custom.launch_id = kLaunch;
  custom.code = "TRADEMARK";
  custom.custom = true;
  custom.status = ItemStatus::kInProgress;
  items.push_back(custom);
  const size_t count = items.size();
  EXPECT_EQ(Get(items, "WXPAY_MCH").status, ItemStatus::kNotApplicable);

  profile.takes_payments = true;
  EXPECT_THAT(ApplyProfile(Wechat(), profile, kLaunch, &items),
              ElementsAre("WXPAY_MCH", "WXPAY_BIND", "WXPAY_TEST_WINDOW"));
  EXPECT_EQ(Get(items, "WXPAY_MCH").status, ItemStatus::kNotStarted);
  EXPECT_EQ(Get(items, "WXPAY_MCH").applicability_reason,
            Wechat().FindItem("WXPAY_MCH")->applies_reason());

  profile.takes_payments = false;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(items.size(), count);
  EXPECT_EQ(Get(items, "WXPAY_MCH").status, ItemStatus::kNotApplicable);
  EXPECT_EQ(Get(items, "TRADEMARK").status, ItemStatus::kInProgress);
}

// ---- ApplyProfile against a template that changed
// -------------------------------------------------

CompiledTemplate Compile(const std::string& items) {
  absl::StatusOr<CompiledTemplate> compiled = TemplateCatalog::CompileText(
      absl::StrCat("id: \"tiny\" title_en: \"Tiny\" title_zh: \"小\"\n"
                   "groups { code: \"g\" title_en: \"G\" title_zh: \"组\" }\n",
                   items),
      "tiny.textproto");
  EXPECT_TRUE(compiled.ok()) << compiled.status();
  return compiled.ok() ? *std::move(compiled) : CompiledTemplate();
}

std::string TinyItem(const std::string& code, const std::string& title) {
  return absl::StrCat("items { code: \"", code, "\" title_en: \"", title,
                      "\" title_zh: \"项\" group: \"g\" applies_reason: \"always\"\n"
                      "  duration { unit: DAY_UNIT_WORKING_DAYS min: 1 typical: 1 max: 2 } }\n");
}

TEST(ApplyProfileTest, TemplateGrowthAddsItemsAndKeepsRetiredOnes) {
  const Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD);
  std::vector<Item> items;
  ApplyProfile(Compile(TinyItem("OLD", "Old") + TinyItem("KEPT", "Kept")), profile, kLaunch,
               &items);
  Mutable(items, "KEPT").status = ItemStatus::kInProgress;

  const CompiledTemplate next = Compile(TinyItem("KEPT", "Kept, renamed") + TinyItem("NEW", "New"));
  EXPECT_THAT(ApplyProfile(next, profile, kLaunch, &items), ElementsAre("KEPT", "NEW"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(Get(items, "OLD").title_en, "Old");
  EXPECT_EQ(Get(items, "KEPT").title_en, "Kept, renamed");
  EXPECT_EQ(Get(items, "KEPT").status, ItemStatus::kInProgress);
  EXPECT_EQ(Get(items, "NEW").status, ItemStatus::kNotStarted);
  EXPECT_EQ(Get(items, "NEW").launch_id, kLaunch);
}

TEST(ApplyProfileTest, CustomItemWithATemplateCodeIsLeftAlone) {
  Item custom;
  custom.code = "KEPT";
  custom.title_en = "Mine";
  custom.custom = true;
  std::vector<Item> items = {custom};
  const std::vector<std::string> changed = ApplyProfile(
      Compile(TinyItem("KEPT", "Template's")),
      MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD), kLaunch, &items);
  EXPECT_THAT(changed, IsEmpty());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].title_en, "Mine");
  EXPECT_TRUE(items[0].custom);
}

// ---- Province, materials, obligations (issue 12)
// -----------------------------------------------------------------------------

const Material* FindMaterial(const Item& item, const std::string& code) {
  for (const Material& material : item.materials) {
    if (material.code == code) return &material;
  }
  return nullptr;
}

TEST(ValidateProfileTest, ProvinceMustBeOneOfTheTemplates) {
  Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER);
  profile.province = "ZJ";
  EXPECT_TRUE(ValidateProfile(Wechat(), profile).ok());
  profile.province = "zj";
  const absl::Status status = ValidateProfile(Wechat(), profile);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("profile.province: unknown province 'zj'"));
}

TEST(ApplyProfileTest, ZhejiangFilingsTakeLongerAndSayWhy) {
  Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER);
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "ICP_FILING").duration.max, 24);

  profile.province = "ZJ";
  EXPECT_THAT(ApplyProfile(Wechat(), profile, kLaunch, &items), Contains("ICP_FILING"));
  const Item& zhejiang = Get(items, "ICP_FILING");
  EXPECT_EQ(zhejiang.duration.max, 34);
  EXPECT_THAT(zhejiang.applicability_reason, HasSubstr("Zhejiang's bureau may take up to 30 WD"));
  EXPECT_THAT(zhejiang.source, HasSubstr("S15"));

  profile.province = "BJ";
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "ICP_FILING").duration.typical, 15);
  EXPECT_TRUE(Get(items, "ICP_FILING").estimate);

  profile.province = "SC";  // a province with no rule of its own
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "ICP_FILING").duration.max, 24);
  EXPECT_THAT(Get(items, "ICP_FILING").applicability_reason, Not(HasSubstr("bureau")));
}

TEST(ApplyProfileTest, IcpFilingMaterialsFollowTheProvinceAndKeepTheirStatus) {
  Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER);
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  const Item& icp = Get(items, "ICP_FILING");
  std::vector<std::string> codes;
  for (const Material& material : icp.materials) codes.push_back(material.code);
  EXPECT_THAT(codes, IsSupersetOf({"business_licence", "subject_principal_id", "site_principal_id",
                                   "verification_form", "face_check", "residence_permit"}));
  ASSERT_NE(FindMaterial(icp, "residence_permit"), nullptr);
  EXPECT_FALSE(FindMaterial(icp, "residence_permit")->applies);  // no province yet
  EXPECT_TRUE(FindMaterial(icp, "business_licence")->applies);
  EXPECT_EQ(MaterialsMissing(icp), 6);

  Mutable(items, "ICP_FILING").materials[0].status = MaterialStatus::kReady;
  profile.province = "SH";
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  const Item& shanghai = Get(items, "ICP_FILING");
  EXPECT_TRUE(FindMaterial(shanghai, "residence_permit")->applies);
  EXPECT_EQ(FindMaterial(shanghai, "business_licence")->status, MaterialStatus::kReady);
  EXPECT_FALSE(FindMaterial(shanghai, "party_building_certificate")->applies);

  profile.province = "XJ";
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_TRUE(FindMaterial(Get(items, "ICP_FILING"), "party_building_certificate")->applies);
  EXPECT_FALSE(FindMaterial(Get(items, "ICP_FILING"), "residence_permit")->applies);

  // An individual has no business licence to upload.
  profile.subject_type = v1::SUBJECT_TYPE_INDIVIDUAL;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_FALSE(FindMaterial(Get(items, "ICP_FILING"), "business_licence")->applies);
}

TEST(ApplyProfileTest, PermitsWithAValidityHaveOne) {
  Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER, false,
                                {"pharma", "medical", "food"});
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "PERMIT_PHARMA").validity_months, 60);
  EXPECT_EQ(Get(items, "PERMIT_MEDICAL").validity_months, 12);
  EXPECT_EQ(Get(items, "PERMIT_FOOD").validity_months, 60);
  EXPECT_EQ(Get(items, "DOMAIN").validity_months, 12);
  EXPECT_EQ(Get(items, "TLS_CERT").validity_steps.size(), 4u);
}

TEST(ApplyProfileTest, SubjectChangeAfterTheAccountNeedsAMigration) {
  Profile profile = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD);
  std::vector<Item> items;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  EXPECT_EQ(Get(items, "MP_SUBJECT_MIGRATION").status, ItemStatus::kNotApplicable);

  profile.account_subject_type = v1::SUBJECT_TYPE_INDIVIDUAL;
  ApplyProfile(Wechat(), profile, kLaunch, &items);
  const Item& migration = Get(items, "MP_SUBJECT_MIGRATION");
  EXPECT_EQ(migration.status, ItemStatus::kNotStarted);
  EXPECT_EQ(migration.fee_per_attempt, 30000);
  for (const char* code : {"MP_SUBJECT", "MP_VERIFY", "MP_FILING"}) {
    EXPECT_THAT(DependencyCodes(Get(items, code)), Contains("MP_SUBJECT_MIGRATION")) << code;
  }

  // Back to an individual: WeChat migrates only to organisations, so that is a blocker.
  profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  profile.account_subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  EXPECT_THAT(ProfileBlockers(Wechat(), profile), IsEmpty());
  Profile to_individual = MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL, v1::HOSTING_WECHAT_CLOUD);
  to_individual.account_subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  std::vector<std::string> blockers;
  for (const Blocker& blocker : ProfileBlockers(Wechat(), to_individual)) {
    blockers.push_back(blocker.code);
  }
  EXPECT_THAT(blockers, Contains("ACCOUNT_SUBJECT_TO_INDIVIDUAL"));
}

}  // namespace
}  // namespace preflight::checklist
