#include "common/api/resource_names.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace preflight::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::StatusMessage;

TEST(ResourceNamesTest, ParsesRecipientNames) {
  absl::StatusOr<RecipientKey> id = ParseRecipientName("recipients/li.na@acme-cn_1", "name");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->id, "li.na@acme-cn_1");
  EXPECT_EQ(id->tenant, "");
  EXPECT_EQ(RecipientName(*id), "recipients/li.na@acme-cn_1");

  // A tenant's recipient.
  absl::StatusOr<RecipientKey> tenant =
      ParseRecipientName("tenants/acme.cn/recipients/li.na", "name");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  EXPECT_EQ(tenant->tenant, "acme.cn");
  EXPECT_EQ(tenant->id, "li.na");
  EXPECT_EQ(RecipientName(*tenant), "tenants/acme.cn/recipients/li.na");

  absl::StatusOr<RecipientKey> empty = ParseRecipientName("", "recipient.name");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(StatusMessage(empty.status()), StartsWith("recipient.name: required"));

  for (const char* bad :
       {"li.na", "recipients/", "recipients/Li.Na", "recipients/a/b", "recipient/li.na",
        "recipients/li na", "tenants/acme/li.na", "tenants//recipients/li.na",
        "tenants/Acme/recipients/li.na", "tenants/acme/recipients/", "tenants/acme",
        "tenants/a b/recipients/x", "/recipients/x"}) {
    absl::StatusOr<RecipientKey> parsed = ParseRecipientName(bad, "name");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(StatusMessage(parsed.status()), StartsWith("name: ")) << bad;
  }
  EXPECT_TRUE(ParseRecipientName("recipients/" + std::string(128, 'a'), "name").ok());
  EXPECT_FALSE(ParseRecipientName("recipients/" + std::string(129, 'a'), "name").ok());
}

TEST(ResourceNamesTest, ParsesLaunchAndItemNames) {
  absl::StatusOr<std::string> launch = ParseLaunchName("launches/shop-1", "launch");
  ASSERT_TRUE(launch.ok());
  EXPECT_EQ(*launch, "shop-1");
  EXPECT_THAT(StatusMessage(ParseLaunchName("launches/Shop", "launch").status()),
              StartsWith("launch: "));
  EXPECT_FALSE(ParseLaunchName("launches/a/items/B", "launch").ok());

  absl::StatusOr<ItemKey> item = ParseItemName("launches/shop/items/ICP_FILING", "item");
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->launch_id, "shop");
  EXPECT_EQ(item->code, "ICP_FILING");
  EXPECT_EQ(ItemName("shop", "ICP_FILING"), "launches/shop/items/ICP_FILING");
  for (const char* bad :
       {"launches/shop", "launches/shop/items/", "launches/shop/items/icp",
        "launches/shop/things/ICP", "launches//items/ICP", "launches/shop/items/ICP/x"}) {
    absl::StatusOr<ItemKey> parsed = ParseItemName(bad, "item");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(StatusMessage(parsed.status()), StartsWith("item: ")) << bad;
  }
  EXPECT_THAT(StatusMessage(ParseItemName("", "item").status()), StartsWith("item: required"));
}

TEST(ResourceNamesTest, ParsesDeliveryNames) {
  absl::StatusOr<int64_t> id = ParseDeliveryName("deliveries/42", "delivery");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 42);
  EXPECT_EQ(DeliveryName(42), "deliveries/42");
  for (const char* bad : {"deliveries/", "deliveries/0", "deliveries/-3", "deliveries/+3",
                          "deliveries/x", "delivery/3", ""}) {
    EXPECT_EQ(ParseDeliveryName(bad, "delivery").status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(InboxMessageName("", "li.na", 7), "recipients/li.na/inbox/7");
  EXPECT_EQ(InboxMessageName("acme", "li.na", 7), "tenants/acme/recipients/li.na/inbox/7");
}

TEST(ResourceNamesTest, IdGrammarsAndLimits) {
  EXPECT_TRUE(IsLaunchId("l0123456789abcdef"));
  EXPECT_TRUE(IsLaunchId(std::string(kMaxLaunchIdLength, 'a')));
  EXPECT_FALSE(IsLaunchId(std::string(kMaxLaunchIdLength + 1, 'a')));
  for (const char* bad : {"", "Shop", "a/b", "a b", "a.b"}) EXPECT_FALSE(IsLaunchId(bad)) << bad;
  EXPECT_TRUE(IsItemCode("ICP_FILING"));
  EXPECT_FALSE(IsItemCode(std::string(kMaxItemCodeLength + 1, 'A')));
  for (const char* bad : {"", "icp", "ICP-FILING", "ICP/X"}) EXPECT_FALSE(IsItemCode(bad)) << bad;
  EXPECT_TRUE(IsRecipientId("li.na@acme-cn_1"));
  EXPECT_FALSE(IsRecipientId("Li.Na"));
  EXPECT_TRUE(IsTokenId("0123456789ab"));
  for (const char* bad : {"0123456789AB", "0123456789a", "0123456789abc", "0123456789ag"}) {
    EXPECT_FALSE(IsTokenId(bad)) << bad;
  }
}

TEST(ResourceNamesTest, TenantAndTokenNamesRoundTrip) {
  EXPECT_EQ(TenantName("acme"), "tenants/acme");
  absl::StatusOr<std::string> tenant = ParseTenantName("tenants/acme.cn", "parent");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  EXPECT_EQ(*tenant, "acme.cn");
  for (const char* bad : {"tenants/", "tenants/Acme", "tenant/acme", "tenants/a/b"}) {
    EXPECT_THAT(StatusMessage(ParseTenantName(bad, "parent").status()), StartsWith("parent: "))
        << bad;
  }
  EXPECT_EQ(TokenName("0123456789ab"), "tokens/0123456789ab");
  absl::StatusOr<std::string> token = ParseTokenName("tokens/0123456789ab", "name");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(*token, "0123456789ab");
  EXPECT_THAT(StatusMessage(ParseTokenName("tokens/xyz", "name").status()),
              HasSubstr("is not a token name (tokens/{id}"));
  EXPECT_THAT(StatusMessage(ParseTokenName("", "name").status()), StartsWith("name: required"));
}

TEST(ResourceNamesTest, CalendarFeedNamesRoundTrip) {
  EXPECT_EQ(CalendarFeedName("0123456789abcdef"), "calendarFeeds/0123456789abcdef");
  absl::StatusOr<std::string> feed =
      ParseCalendarFeedName("calendarFeeds/0123456789abcdef", "name");
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(*feed, "0123456789abcdef");
  for (const char* bad : {"calendarFeeds/0123456789ABCDEF", "calendarFeeds/0123",
                          "feeds/0123456789abcdef", "calendarFeeds/0123456789abcdef/x"}) {
    EXPECT_THAT(StatusMessage(ParseCalendarFeedName(bad, "name").status()),
                HasSubstr("is not a calendar feed name"))
        << bad;
  }
  EXPECT_THAT(StatusMessage(ParseCalendarFeedName("", "name").status()),
              StartsWith("name: required"));
  EXPECT_EQ(CalendarFeedNameFromShorthand("0123456789abcdef"), "calendarFeeds/0123456789abcdef");
  EXPECT_EQ(CalendarFeedNameFromShorthand("calendarFeeds/0123456789abcdef"),
            "calendarFeeds/0123456789abcdef");
}

TEST(ResourceNamesTest, SubscriptionTargetsAreTenantsOrLaunches) {
  absl::StatusOr<SubscriptionTarget> tenant = ParseSubscriptionTarget("tenants/acme", "sub");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  EXPECT_EQ(tenant->kind, SubscriptionTarget::Kind::kTenant);
  EXPECT_EQ(tenant->id, "acme");
  EXPECT_EQ(SubscriptionTargetName(*tenant), "tenants/acme");
  absl::StatusOr<SubscriptionTarget> launch = ParseSubscriptionTarget("launches/shop", "sub");
  ASSERT_TRUE(launch.ok()) << launch.status();
  EXPECT_EQ(launch->kind, SubscriptionTarget::Kind::kLaunch);
  EXPECT_EQ(SubscriptionTargetName(*launch), "launches/shop");
  for (const char* bad : {"", "tenants/BAD TENANT", "launches/", "recipients/li.na", "acme"}) {
    absl::StatusOr<SubscriptionTarget> parsed = ParseSubscriptionTarget(bad, "sub");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(StatusMessage(parsed.status()), StartsWith("sub: ")) << bad;
  }
}

TEST(ResourceNamesTest, ErrorsQuoteOnlyAShortPrefixOfHugeNames) {
  const std::string huge = "launches/" + std::string(70000, 'a');
  const std::string message = StatusMessage(ParseLaunchName(huge, "name").status());
  EXPECT_LT(message.size(), 200u);
  EXPECT_THAT(message, HasSubstr("(70009 bytes) is not a launch name (launches/{launch})"));
  EXPECT_LT(StatusMessage(ParseItemName(huge, "item").status()).size(), 200u);
  EXPECT_LT(StatusMessage(ParseRecipientName(huge, "name").status()).size(), 300u);
}

TEST(ResourceNamesTest, ShorthandsAddTheCollection) {
  EXPECT_EQ(LaunchNameFromShorthand("l1"), "launches/l1");
  EXPECT_EQ(LaunchNameFromShorthand("launches/l1"), "launches/l1");
  EXPECT_EQ(RecipientNameFromShorthand("li.na"), "recipients/li.na");
  EXPECT_EQ(RecipientNameFromShorthand("tenants/acme/recipients/li.na"),
            "tenants/acme/recipients/li.na");
  EXPECT_EQ(TokenNameFromShorthand("0123456789ab"), "tokens/0123456789ab");
  EXPECT_EQ(TokenNameFromShorthand("tokens/0123456789ab"), "tokens/0123456789ab");
  EXPECT_EQ(ItemNameFromShorthand("l1/items/ICP_FILING"), "launches/l1/items/ICP_FILING");
  EXPECT_EQ(ItemNameFromShorthand("launches/l1/items/ICP_FILING"), "launches/l1/items/ICP_FILING");
  EXPECT_EQ(ItemNameFromShorthand("l1", "ICP_FILING"), "launches/l1/items/ICP_FILING");
  for (const char* bad : {"l1", "l1/items/", "/items/ICP", "a/b/items/C", "l1/items/C/D"}) {
    EXPECT_EQ(ItemNameFromShorthand(bad), std::nullopt) << bad;
  }
  EXPECT_TRUE(MentionsItem("l1/items/C"));
  EXPECT_FALSE(MentionsItem("launches/l1"));
  EXPECT_EQ(LaunchNameOfItem("launches/l1/items/ICP_FILING"), "launches/l1");
  EXPECT_EQ(LaunchNameOfItem("recipients/li.na"), "");
}

}  // namespace
}  // namespace preflight::api
