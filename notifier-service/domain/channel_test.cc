#include "notifier-service/domain/channel.h"

#include "gtest/gtest.h"

namespace preflight::notifier {
namespace {

TEST(ChannelTypeNameTest, NamesEveryTypeAndParsesItBack) {
  const ChannelType all[] = {ChannelType::kLog,   ChannelType::kInbox,    ChannelType::kWebhook,
                             ChannelType::kWecom, ChannelType::kDingtalk, ChannelType::kFeishu,
                             ChannelType::kSlack, ChannelType::kEmail};
  for (const ChannelType type : all) {
    const absl::string_view name = ChannelTypeName(type);
    EXPECT_NE(name, "unknown");
    EXPECT_EQ(ParseChannelType(name), type) << name;
  }
  EXPECT_EQ(ChannelTypeName(ChannelType::kDingtalk), "dingtalk");
  EXPECT_EQ(ChannelTypeName(ChannelType::kWecom), "wecom");
}

TEST(ChannelTypeNameTest, RejectsUnknownNames) {
  EXPECT_EQ(ParseChannelType(""), std::nullopt);
  EXPECT_EQ(ParseChannelType("Slack"), std::nullopt);
  EXPECT_EQ(ParseChannelType("sms"), std::nullopt);
  EXPECT_EQ(ChannelTypeName(static_cast<ChannelType>(99)), "unknown");
}

}  // namespace
}  // namespace preflight::notifier
