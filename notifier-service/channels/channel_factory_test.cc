#include "notifier-service/channels/channel_factory.h"

#include <sstream>

#include "gtest/gtest.h"
#include "notifier-service/channels/dingtalk_channel.h"
#include "notifier-service/channels/email_channel.h"
#include "notifier-service/channels/feishu_channel.h"
#include "notifier-service/channels/log_channel.h"
#include "notifier-service/channels/slack_channel.h"
#include "notifier-service/channels/webhook_channel.h"
#include "notifier-service/channels/wecom_channel.h"

namespace preflight::notifier {
namespace {

ChannelSettings Settings() {
  ChannelSettings settings;
  settings.smtp.url = "smtp://127.0.0.1:2525";
  settings.smtp.from_address = "preflight@example.com";
  return settings;
}

TEST(ChannelFactoryTest, MakesEveryDeliveryChannel) {
  const ChannelSettings settings = Settings();
  struct Expectation {
    ChannelType type;
    size_t max_text_bytes;
    bool idempotent;
  };
  const Expectation expectations[] = {
      {ChannelType::kLog, 64 * 1024, false},     {ChannelType::kWebhook, 64 * 1024, true},
      {ChannelType::kWecom, 2048, false},        {ChannelType::kDingtalk, 20000, false},
      {ChannelType::kFeishu, 20000, false},      {ChannelType::kSlack, 40000, false},
      {ChannelType::kEmail, 1024 * 1024, false},
  };
  for (const Expectation& expected : expectations) {
    auto channel = MakeChannel(expected.type, settings);
    ASSERT_TRUE(channel.ok()) << ChannelTypeName(expected.type) << ": " << channel.status();
    EXPECT_EQ((*channel)->MaxTextBytes(), expected.max_text_bytes)
        << ChannelTypeName(expected.type);
    EXPECT_EQ((*channel)->IdempotentResend(), expected.idempotent)
        << ChannelTypeName(expected.type);
  }
  EXPECT_NE(dynamic_cast<WecomChannel*>(MakeChannel(ChannelType::kWecom, settings)->get()),
            nullptr);
  EXPECT_NE(dynamic_cast<FeishuChannel*>(MakeChannel(ChannelType::kFeishu, settings)->get()),
            nullptr);
}

TEST(ChannelFactoryTest, InboxIsNotAChannel) {
  auto channel = MakeChannel(ChannelType::kInbox, Settings());
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ChannelFactoryTest, EmailNeedsValidSmtpSettings) {
  ChannelSettings settings = Settings();
  settings.smtp.url.clear();
  EXPECT_EQ(MakeChannel(ChannelType::kEmail, settings).status().code(),
            absl::StatusCode::kInvalidArgument);
  settings = Settings();
  settings.smtp.from_address = "nobody";
  EXPECT_EQ(MakeChannel(ChannelType::kEmail, settings).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Other channels do not care about SMTP.
  EXPECT_TRUE(MakeChannel(ChannelType::kSlack, settings).ok());
}

TEST(ChannelFactoryTest, LogChannelUsesTheGivenStreamAndClock) {
  std::ostringstream out;
  FakeClock clock(absl::FromUnixSeconds(1767225600));
  ChannelSettings settings = Settings();
  settings.log_stream = &out;
  settings.clock = &clock;
  auto channel = MakeChannel(ChannelType::kLog, settings);
  ASSERT_TRUE(channel.ok());
  OutgoingMessage message;
  message.subject = "hello";
  EXPECT_EQ((*channel)->Send(ChannelEndpoint{}, message).kind, SendResult::Kind::kDelivered);
  EXPECT_EQ(out.str().rfind("2026-01-01T00:00:00Z notify", 0), 0u) << out.str();
}

TEST(ChannelFactoryTest, UnknownTypeIsInvalid) {
  EXPECT_EQ(MakeChannel(static_cast<ChannelType>(42), Settings()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace preflight::notifier
