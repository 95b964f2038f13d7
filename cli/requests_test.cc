#include "cli/requests.h"

#include <string>
#include <vector>

#include "cli/testing/cli_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ParseInvocation;

TEST(LaunchNameTest, AcceptsBareIdsAndFullNames) {
  EXPECT_EQ(LaunchName("abc"), "launches/abc");
  EXPECT_EQ(LaunchName("launches/abc"), "launches/abc");
}

TEST(SplitListTest, TrimsAndDropsEmptyEntries) {
  EXPECT_THAT(SplitList(" ecommerce, social_live ,,"), ElementsAre("ecommerce", "social_live"));
  EXPECT_THAT(SplitList(""), IsEmpty());
}

TEST(ParseEnumTest, AcceptsShortNamesInAnyCase) {
  EXPECT_EQ(*ParseSubjectType("enterprise"), v1::SUBJECT_TYPE_ENTERPRISE);
  EXPECT_EQ(*ParseSubjectType("Individual_Business"), v1::SUBJECT_TYPE_INDIVIDUAL_BUSINESS);
  EXPECT_EQ(*ParseHosting("wechat_cloud"), v1::HOSTING_WECHAT_CLOUD);
  EXPECT_EQ(*ParseItemStatus("IN_PROGRESS"), v1::ITEM_STATUS_IN_PROGRESS);
  EXPECT_EQ(*ParseItemStatus("returned"), v1::ITEM_STATUS_RETURNED);
}

TEST(ParseEnumTest, RefusesUnknownAndUnspecifiedListingTheChoices) {
  absl::StatusOr<v1::Hosting> hosting = ParseHosting("aws");
  EXPECT_EQ(hosting.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(hosting.status().message()),
              HasSubstr("--hosting: unknown value 'aws' (one of: own_mainland_server, "
                        "own_server_outside_mainland, wechat_cloud)"));
  EXPECT_FALSE(ParseSubjectType("unspecified").ok());
  EXPECT_FALSE(ParseItemStatus("").ok());
}

TEST(BuildCreateLaunchRequestTest, MapsEveryFlag) {
  absl::StatusOr<v1::CreateLaunchRequest> request = BuildCreateLaunchRequest(
      ParseInvocation({"launch", "create", "--tenant=acme", "--name=Acme Shop", "--owner=alice",
                       "--target=2026-09-01", "--time_zone=Asia/Urumqi", "--subject=enterprise",
                       "--hosting=own_mainland_server", "--payments", "--categories=ecommerce,food",
                       "--template=wechat-miniprogram-cn", "--request_id=r-1"}));
  ASSERT_TRUE(request.ok()) << request.status();
  const v1::Launch& launch = request->launch();
  EXPECT_EQ(launch.tenant(), "acme");
  EXPECT_EQ(launch.display_name(), "Acme Shop");
  EXPECT_EQ(launch.owner(), "alice");
  EXPECT_EQ(launch.target_launch_date(), "2026-09-01");
  EXPECT_EQ(launch.time_zone(), "Asia/Urumqi");
  EXPECT_EQ(launch.template_id(), "wechat-miniprogram-cn");
  EXPECT_EQ(launch.profile().subject_type(), v1::SUBJECT_TYPE_ENTERPRISE);
  EXPECT_EQ(launch.profile().hosting(), v1::HOSTING_OWN_MAINLAND_SERVER);
  EXPECT_TRUE(launch.profile().takes_payments());
  EXPECT_FALSE(launch.profile().mini_game());
  EXPECT_THAT(launch.profile().service_categories(), ElementsAre("ecommerce", "food"));
  EXPECT_EQ(request->request_id(), "r-1");
}

TEST(BuildCreateLaunchRequestTest, LeavesDatesToTheServer) {
  absl::StatusOr<v1::CreateLaunchRequest> request = BuildCreateLaunchRequest(
      ParseInvocation({"launch", "create", "--tenant=t", "--name=n", "--owner=o",
                       "--target=2026-02-30", "--subject=media", "--hosting=wechat_cloud"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->launch().target_launch_date(), "2026-02-30");
  EXPECT_EQ(request->launch().time_zone(), "");
}

TEST(BuildCreateLaunchRequestTest, RefusesUnknownSubject) {
  absl::StatusOr<v1::CreateLaunchRequest> request = BuildCreateLaunchRequest(
      ParseInvocation({"launch", "create", "--tenant=t", "--name=n", "--owner=o",
                       "--target=2026-02-01", "--subject=company", "--hosting=wechat_cloud"}));
  EXPECT_THAT(std::string(request.status().message()), HasSubstr("--subject: unknown value"));
}

TEST(BuildUpdateLaunchRequestTest, MaskHoldsExactlyTheGivenFlags) {
  absl::StatusOr<v1::UpdateLaunchRequest> request = BuildUpdateLaunchRequest(
      ParseInvocation({"launch", "update", "abc", "--target=2026-10-01", "--payments=false",
                       "--categories=", "--etag=3-xyz"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->launch().name(), "launches/abc");
  EXPECT_EQ(request->launch().target_launch_date(), "2026-10-01");
  EXPECT_FALSE(request->launch().profile().takes_payments());
  EXPECT_THAT(request->launch().profile().service_categories(), IsEmpty());
  EXPECT_THAT(
      request->update_mask().paths(),
      ElementsAre("target_launch_date", "profile.takes_payments", "profile.service_categories"));
  EXPECT_EQ(request->etag(), "3-xyz");
}

TEST(BuildUpdateLaunchRequestTest, EveryFieldFlagHasItsPath) {
  absl::StatusOr<v1::UpdateLaunchRequest> request = BuildUpdateLaunchRequest(ParseInvocation(
      {"launch", "update", "launches/abc", "--name=N", "--owner=O", "--target=2026-10-01",
       "--time_zone=UTC", "--went_live=", "--subject=government", "--hosting=wechat_cloud",
       "--payments", "--mini_game", "--categories=a"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->launch().display_name(), "N");
  EXPECT_EQ(request->launch().went_live_date(), "");
  EXPECT_EQ(request->launch().profile().subject_type(), v1::SUBJECT_TYPE_GOVERNMENT);
  EXPECT_THAT(
      request->update_mask().paths(),
      ElementsAre("display_name", "owner", "target_launch_date", "time_zone", "went_live_date",
                  "profile.subject_type", "profile.hosting", "profile.takes_payments",
                  "profile.mini_game", "profile.service_categories"));
  EXPECT_EQ(request->etag(), "");
}

TEST(BuildUpdateLaunchRequestTest, RefusesAnEmptyUpdate) {
  absl::StatusOr<v1::UpdateLaunchRequest> request =
      BuildUpdateLaunchRequest(ParseInvocation({"launch", "update", "abc", "--etag=1-a"}));
  EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(request.status().message()), HasSubstr("changes nothing"));
}

TEST(BuildUpdateItemRequestTest, StatusAndWaiverReason) {
  absl::StatusOr<v1::UpdateItemRequest> request = BuildUpdateItemRequest(ParseInvocation(
      {"item", "update", "abc", "PSB_FILING", "--status=waived", "--waiver_reason=no own domain"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->item().name(), "launches/abc/items/PSB_FILING");
  EXPECT_EQ(request->item().status(), v1::ITEM_STATUS_WAIVED);
  EXPECT_EQ(request->item().waiver_reason(), "no own domain");
  EXPECT_THAT(request->update_mask().paths(), ElementsAre("status", "waiver_reason"));
}

TEST(BuildUpdateItemRequestTest, EveryFieldFlagHasItsPath) {
  absl::StatusOr<v1::UpdateItemRequest> request = BuildUpdateItemRequest(
      ParseInvocation({"item", "update", "launches/abc", "ICP_FILING", "--assignee=bob",
                       "--notes=n", "--official_number=粤ICP备12345678号", "--expiry=2027-01-01",
                       "--due=", "--evidence=https://a/1.pdf, https://a/2.pdf", "--etag=4-abc"}));
  ASSERT_TRUE(request.ok()) << request.status();
  const v1::Item& item = request->item();
  EXPECT_EQ(item.name(), "launches/abc/items/ICP_FILING");
  EXPECT_EQ(item.assignee(), "bob");
  EXPECT_EQ(item.official_number(), "粤ICP备12345678号");
  EXPECT_EQ(item.expiry_date(), "2027-01-01");
  ASSERT_EQ(item.evidence_size(), 2);
  EXPECT_EQ(item.evidence(0).uri(), "https://a/1.pdf");
  EXPECT_EQ(item.evidence(1).uri(), "https://a/2.pdf");
  EXPECT_THAT(request->update_mask().paths(), ElementsAre("assignee", "notes", "official_number",
                                                          "expiry_date", "due_date", "evidence"));
  EXPECT_EQ(request->etag(), "4-abc");
}

TEST(BuildUpdateItemRequestTest, MaterialsAreCodeStatusPairs) {
  absl::StatusOr<v1::UpdateItemRequest> request = BuildUpdateItemRequest(
      ParseInvocation({"item", "update", "abc", "ICP_FILING",
                       "--materials=business_licence=ready, authorisation_letter=not_needed"}));
  ASSERT_TRUE(request.ok()) << request.status();
  ASSERT_EQ(request->item().materials_size(), 2);
  EXPECT_EQ(request->item().materials(0).code(), "business_licence");
  EXPECT_EQ(request->item().materials(0).status(), v1::MATERIAL_STATUS_READY);
  EXPECT_EQ(request->item().materials(1).status(), v1::MATERIAL_STATUS_NOT_NEEDED);
  EXPECT_THAT(request->update_mask().paths(), ElementsAre("materials"));

  request = BuildUpdateItemRequest(
      ParseInvocation({"item", "update", "abc", "ICP_FILING", "--materials=business_licence"}));
  EXPECT_THAT(std::string(request.status().message()),
              HasSubstr("--materials: expected CODE=STATUS, got 'business_licence'"));
  request = BuildUpdateItemRequest(
      ParseInvocation({"item", "update", "abc", "ICP_FILING", "--materials=a=done"}));
  EXPECT_THAT(std::string(request.status().message()),
              HasSubstr("--materials: unknown value 'done' (one of: missing, ready, not_needed, "
                        "not_applicable)"));
}

TEST(BuildUpdateItemRequestTest, RefusesEmptyUpdateAndUnknownStatus) {
  EXPECT_FALSE(BuildUpdateItemRequest(ParseInvocation({"item", "update", "abc", "BIZ"})).ok());
  absl::StatusOr<v1::UpdateItemRequest> request =
      BuildUpdateItemRequest(ParseInvocation({"item", "update", "abc", "BIZ", "--status=done"}));
  EXPECT_THAT(std::string(request.status().message()), HasSubstr("--status: unknown value 'done'"));
}

TEST(BuildAddItemRequestTest, MapsFlags) {
  absl::StatusOr<v1::AddItemRequest> request = BuildAddItemRequest(
      ParseInvocation({"item", "add", "abc", "--code=PRIVACY_POLICY", "--title=Privacy policy",
                       "--title_zh=隐私政策", "--due=2026-06-01", "--depends_on=MP_ACCOUNT, BIZ",
                       "--assignee=carol", "--duration_days=4"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->parent(), "launches/abc");
  const v1::Item& item = request->item();
  EXPECT_EQ(item.code(), "PRIVACY_POLICY");
  EXPECT_EQ(item.title_en(), "Privacy policy");
  EXPECT_EQ(item.title_zh(), "隐私政策");
  EXPECT_EQ(item.due_date(), "2026-06-01");
  EXPECT_THAT(item.depends_on(), ElementsAre("MP_ACCOUNT", "BIZ"));
  EXPECT_EQ(item.assignee(), "carol");
  EXPECT_EQ(item.duration().unit(), v1::DAY_UNIT_WORKING_DAYS);
  EXPECT_EQ(item.duration().typical(), 4);
}

TEST(BuildAddItemRequestTest, WithoutDurationLeavesItToTheServer) {
  absl::StatusOr<v1::AddItemRequest> request = BuildAddItemRequest(
      ParseInvocation({"item", "add", "abc", "--code=X", "--title=T", "--due=2026-06-01"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_FALSE(request->item().has_duration());
  EXPECT_FALSE(BuildAddItemRequest(ParseInvocation({"item", "add", "abc", "--code=X", "--title=T",
                                                    "--due=2026-06-01", "--duration_days=two"}))
                   .ok());
}

TEST(BuildListLaunchesRequestTest, MapsFilters) {
  absl::StatusOr<v1::ListLaunchesRequest> request = BuildListLaunchesRequest(ParseInvocation(
      {"launch", "list", "--tenant=acme", "--owner=alice", "--at_risk", "--from=2026-01-01",
       "--to=2026-12-31", "--page_size=20", "--page_token=tok"}));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->tenant(), "acme");
  EXPECT_EQ(request->owner(), "alice");
  EXPECT_TRUE(request->at_risk_only());
  EXPECT_EQ(request->target_date_from(), "2026-01-01");
  EXPECT_EQ(request->target_date_to(), "2026-12-31");
  EXPECT_EQ(request->page_size(), 20);
  EXPECT_EQ(request->page_token(), "tok");
  EXPECT_FALSE(
      BuildListLaunchesRequest(ParseInvocation({"launch", "list", "--page_size=many"})).ok());
}

TEST(SimpleRequestsTest, NameTheLaunch) {
  EXPECT_EQ(BuildGetLaunchRequest(ParseInvocation({"launch", "show", "abc"})).name(),
            "launches/abc");
  EXPECT_EQ(BuildGetLaunchRequest(ParseInvocation({"launch", "show", "abc"})).view(),
            v1::LAUNCH_VIEW_FULL);
  EXPECT_EQ(BuildGetReadinessRequest(ParseInvocation({"readiness", "launches/abc"})).name(),
            "launches/abc");
  absl::StatusOr<v1::ListEventsRequest> events =
      BuildListEventsRequest(ParseInvocation({"events", "abc", "--page_size=5", "--page_token=t"}));
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->parent(), "launches/abc");
  EXPECT_EQ(events->page_size(), 5);
  EXPECT_EQ(events->page_token(), "t");
}

}  // namespace
}  // namespace preflight::cli
