#include "notifier-service/channels/log_channel.h"

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "notifier-service/channels/text_limits.h"

namespace preflight::notifier {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

TEST(LogChannelTest, WritesOneLinePerMessage) {
  std::ostringstream out;
  FakeClock clock(kNow);
  LogChannel channel(&out, &clock);
  OutgoingMessage message;
  message.subject = "【Preflight】ICP 备案";
  message.text = "line one\nline two\\end";
  message.idempotency_key = "l1/ICP_FILING/due-3/ops/log";
  ChannelEndpoint endpoint;
  const SendResult result = channel.Send(endpoint, message);
  EXPECT_EQ(result.kind, SendResult::Kind::kDelivered);
  EXPECT_EQ(out.str(),
            "2026-01-01T00:00:00Z notify key=l1/ICP_FILING/due-3/ops/log to= "
            "subject=【Preflight】ICP 备案 text=line one\\nline two\\\\end\n");
  clock.AdvanceTime(absl::Seconds(1));
  channel.Send(endpoint, message);
  const std::vector<std::string> lines = absl::StrSplit(out.str(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(lines[1], "2026-01-01T00:00:01Z "));
  EXPECT_FALSE(channel.IdempotentResend());
}

TEST(LogChannelTest, NeverLogsAUrlKey) {
  std::ostringstream out;
  FakeClock clock(kNow);
  LogChannel channel(&out, &clock);
  OutgoingMessage message;
  message.subject = "s";
  message.text = "see https://oapi.dingtalk.com/robot/send?access_token=tok-in-text";
  ChannelEndpoint endpoint;
  endpoint.target = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=key-in-target";
  channel.Send(endpoint, message);
  EXPECT_FALSE(absl::StrContains(out.str(), "key-in-target")) << out.str();
  EXPECT_TRUE(
      absl::StrContains(out.str(), "to=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"))
      << out.str();
}

TEST(LogChannelTest, CutsLongTexts) {
  std::ostringstream out;
  FakeClock clock(kNow);
  LogChannel channel(&out, &clock);
  OutgoingMessage message;
  message.text = std::string(200000, 'x');
  channel.Send(ChannelEndpoint{}, message);
  EXPECT_LT(out.str().size(), LogChannel::kMaxTextBytes + 200);
  EXPECT_TRUE(absl::StrContains(out.str(), kTruncationMarker));
}

TEST(LogChannelTest, ConcurrentSendsDoNotInterleave) {
  std::ostringstream out;
  FakeClock clock(kNow);
  LogChannel channel(&out, &clock);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        OutgoingMessage message;
        message.subject = absl::StrCat("thread ", t);
        message.text = std::string(500, static_cast<char>('a' + t));
        channel.Send(ChannelEndpoint{}, message);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::vector<std::string> lines = absl::StrSplit(out.str(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 800u);
  for (const std::string& line : lines) {
    const size_t at = line.find("text=");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(line.substr(at + 5), std::string(500, line[at + 5]));
  }
}

}  // namespace
}  // namespace preflight::notifier
