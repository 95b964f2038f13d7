#include "notifier-service/storage/notifier_row_codec.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ItemInfo FullInfo() {
  ItemInfo info;
  info.launch_id = "L1";
  info.code = "ICP_FILING";
  info.version = 7;
  info.title_en = "ICP filing";
  info.title_zh = "ICP 备案";
  info.status = "IN_PROGRESS";
  info.done = false;
  info.assignee = "li.na";
  info.latest_start = absl::CivilDay(2025, 3, 1);
  info.due = absl::CivilDay(2025, 4, 15);
  info.post_launch = true;
  info.expiry = absl::CivilDay(2026, 4, 15);
  info.started = true;
  return info;
}

void ExpectInfoEq(const ItemInfo& want, const ItemInfo& got) {
  EXPECT_EQ(got.launch_id, want.launch_id);
  EXPECT_EQ(got.code, want.code);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.title_en, want.title_en);
  EXPECT_EQ(got.title_zh, want.title_zh);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.done, want.done);
  EXPECT_EQ(got.assignee, want.assignee);
  EXPECT_EQ(got.latest_start, want.latest_start);
  EXPECT_EQ(got.due, want.due);
  EXPECT_EQ(got.post_launch, want.post_launch);
  EXPECT_EQ(got.expiry, want.expiry);
  EXPECT_EQ(got.started, want.started);
  EXPECT_EQ(got.renewal_days, want.renewal_days);
  EXPECT_EQ(got.approved, want.approved);
}

// An approved 47-day certificate: its template's renewal days and its approval day.
ItemInfo CertificateInfo() {
  ItemInfo info;
  info.launch_id = "L1";
  info.code = "TLS_CERT";
  info.version = 3;
  info.title_en = "HTTPS certificate";
  info.status = "APPROVED";
  info.done = true;
  info.started = true;
  info.expiry = absl::CivilDay(2026, 12, 23);
  info.approved = absl::CivilDay(2026, 11, 6);
  info.renewal_days = {30, 14, 7};
  return info;
}

// The exact texts databases in the field hold: any change here needs a migration.
TEST(NotifierRowCodecTest, ItemInfoTextIsStable) {
  EXPECT_EQ(EncodeItemInfo(FullInfo()),
            R"({"assignee":"li.na","done":false,"due":"2025-04-15","expiry":"2026-04-15",)"
            R"("latest_start":"2025-03-01","post_launch":true,"started":true,)"
            R"("status":"IN_PROGRESS","title_en":"ICP filing","title_zh":"ICP 备案"})");
  EXPECT_EQ(EncodeItemInfo(ItemInfo{}),
            R"({"assignee":"","done":false,"due":null,"expiry":null,"latest_start":null,)"
            R"("post_launch":false,"started":false,"status":"","title_en":"","title_zh":""})");
}

// Items without renewal days or an approval day keep the text above; the new members are added
// only when present.
TEST(NotifierRowCodecTest, ItemInfoTextWithRenewalDaysAndApproval) {
  EXPECT_EQ(EncodeItemInfo(CertificateInfo()),
            R"({"approved":"2026-11-06","assignee":"","done":true,"due":null,)"
            R"("expiry":"2026-12-23","latest_start":null,"post_launch":false,)"
            R"("renewal_days":[30,14,7],"started":true,"status":"APPROVED",)"
            R"("title_en":"HTTPS certificate","title_zh":""})");
}

TEST(NotifierRowCodecTest, ItemInfoRoundTrips) {
  const ItemInfo info = FullInfo();
  absl::StatusOr<ItemInfo> decoded = DecodeItemInfo("L1", "ICP_FILING", 7, EncodeItemInfo(info));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectInfoEq(info, *decoded);

  ItemInfo bare;
  bare.launch_id = "L2";
  bare.code = "X";
  decoded = DecodeItemInfo("L2", "X", 0, EncodeItemInfo(bare));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectInfoEq(bare, *decoded);

  const ItemInfo certificate = CertificateInfo();
  decoded = DecodeItemInfo("L1", "TLS_CERT", 3, EncodeItemInfo(certificate));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectInfoEq(certificate, *decoded);
}

// A row written before items carried renewal days and an approval day: the policy's days, no
// approval day.
TEST(NotifierRowCodecTest, OldItemInfoRowHasNoRenewalDaysNorApproval) {
  absl::StatusOr<ItemInfo> decoded = DecodeItemInfo(
      "L1", "MP_VERIFY", 2,
      R"({"assignee":"li.na","done":true,"due":null,"expiry":"2026-11-04",)"
      R"("latest_start":null,"post_launch":false,"started":true,)"
      R"("status":"APPROVED","title_en":"WeChat verification","title_zh":"微信认证"})");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_THAT(decoded->renewal_days, ElementsAre());
  EXPECT_FALSE(decoded->approved.has_value());
  EXPECT_EQ(decoded->expiry, absl::CivilDay(2026, 11, 4));
}

TEST(NotifierRowCodecTest, ItemInfoDatesMayBeLeftOut) {
  absl::StatusOr<ItemInfo> decoded = DecodeItemInfo(
      "L1", "A", 1,
      R"({"title_en":"a","title_zh":"b","status":"NOT_STARTED","done":false,"assignee":"",)"
      R"("post_launch":false,"started":false,"extra":1})");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_FALSE(decoded->latest_start.has_value());
  EXPECT_FALSE(decoded->due.has_value());
  EXPECT_FALSE(decoded->expiry.has_value());
}

TEST(NotifierRowCodecTest, UnreadableItemInfoIsDataLossNamingTheItem) {
  const std::string good = EncodeItemInfo(FullInfo());
  for (const std::string& text :
       {std::string("not json"), std::string("{}"), std::string("[]"),
        std::string(R"({"title_en":1})"),
        std::string(good).replace(good.find("2025-04-15"), 10, "2025-13-45"),
        std::string(R"({"title_en":"a","title_zh":"b","status":"APPROVED","done":true,)"
                    R"("assignee":"","post_launch":false,"started":true,)"
                    R"("renewal_days":["thirty"]})"),
        std::string(R"({"title_en":"a","title_zh":"b","status":"APPROVED","done":true,)"
                    R"("assignee":"","post_launch":false,"started":true,"approved":"soon"})")}) {
    absl::StatusOr<ItemInfo> decoded = DecodeItemInfo("L1", "ICP_FILING", 7, text);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << text;
    EXPECT_THAT(decoded.status().message(),
                HasSubstr("stored item launches/L1/items/ICP_FILING is unreadable"))
        << text;
  }
}

TEST(NotifierRowCodecTest, ChannelsTextIsStableAndRoundTrips) {
  const std::vector<RecipientChannel> channels = {
      {ChannelType::kWebhook, "https://hooks.example/x", "env:HOOK_SECRET"},
      {ChannelType::kInbox, "", ""},
  };
  const std::string text = EncodeChannels(channels);
  EXPECT_EQ(text, R"([{"secret_ref":"env:HOOK_SECRET","target":"https://hooks.example/x",)"
                  R"("type":"webhook"},{"secret_ref":"","target":"","type":"inbox"}])");
  absl::StatusOr<std::vector<RecipientChannel>> decoded = DecodeChannels(text, "recipients/a");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, channels);
  EXPECT_EQ(EncodeChannels({}), "[]");
  EXPECT_THAT(DecodeChannels("[]", "recipients/a").value_or(channels), ElementsAre());
}

TEST(NotifierRowCodecTest, UnreadableChannelsAreDataLossNamingTheRecipient) {
  for (const std::string text :
       {"{", R"([{"type":"pigeon","target":"","secret_ref":""}])", R"([{"type":"log"}])",
        R"([{"type":3,"target":"","secret_ref":""}])"}) {
    absl::StatusOr<std::vector<RecipientChannel>> decoded =
        DecodeChannels(text, "tenants/acme/recipients/a");
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << text;
    EXPECT_THAT(decoded.status().message(),
                HasSubstr("stored channels of recipient tenants/acme/recipients/a are unreadable"));
  }
}

TEST(NotifierRowCodecTest, SubscriptionsTextIsStableAndRoundTrips) {
  const std::vector<std::string> subscriptions = {"tenants/acme", "launches/L1"};
  const std::string text = EncodeSubscriptions(subscriptions);
  EXPECT_EQ(text, R"(["tenants/acme","launches/L1"])");
  EXPECT_EQ(DecodeSubscriptions(text, "recipients/a").value_or(std::vector<std::string>{}),
            subscriptions);
  EXPECT_EQ(EncodeSubscriptions({}), "[]");
}

TEST(NotifierRowCodecTest, UnreadableSubscriptionsAreDataLoss) {
  for (const std::string text : {"", "[1]", R"({"a":"b"})"}) {
    absl::StatusOr<std::vector<std::string>> decoded = DecodeSubscriptions(text, "recipients/a");
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << text;
    EXPECT_THAT(decoded.status().message(),
                HasSubstr("stored subscriptions of recipient recipients/a are unreadable"));
  }
}

TEST(NotifierRowCodecTest, EnumNamesParseBack) {
  for (DeliveryState state :
       {DeliveryState::kPending, DeliveryState::kSending, DeliveryState::kDelivered,
        DeliveryState::kDeadLettered, DeliveryState::kOutcomeUnknown, DeliveryState::kCancelled}) {
    EXPECT_EQ(ParseDeliveryState(DeliveryStateName(state)), state);
  }
  for (RungKind kind : {RungKind::kBeforeStart, RungKind::kBeforeDue, RungKind::kOverdue,
                        RungKind::kPostLaunch, RungKind::kRenewal, RungKind::kTest}) {
    EXPECT_EQ(ParseRungKind(RungKindName(kind)), kind);
  }
  EXPECT_EQ(ParseDeliveryState("lost"), std::nullopt);
  EXPECT_EQ(ParseDeliveryState("PENDING"), std::nullopt);
  EXPECT_EQ(ParseRungKind(""), std::nullopt);
}

}  // namespace
}  // namespace preflight::notifier
