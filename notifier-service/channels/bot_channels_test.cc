// WeCom, DingTalk, Feishu and Slack against the real HTTP receiver: request formats, signatures
// (recomputed with OpenSSL), error-code classification and size limits.

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "notifier-service/channels/dingtalk_channel.h"
#include "notifier-service/channels/feishu_channel.h"
#include "notifier-service/channels/slack_channel.h"
#include "notifier-service/channels/text_limits.h"
#include "notifier-service/channels/wecom_channel.h"
#include "notifier-service/testing/channel_testing.h"

namespace preflight::notifier {
namespace {

using ::preflight::testing::RecordedRequest;
using ::preflight::testing::ScriptedResponse;
using testing::OpenSslBase64;
using testing::OpenSslHmacSha256;
using testing::PercentDecode;

const absl::Time kNow = absl::FromUnixSeconds(1767225600) + absl::Milliseconds(123);

OutgoingMessage Message() {
  OutgoingMessage message;
  message.subject = "【Preflight】小程序备案 mini-program filing";
  message.text = "Due in 3 working days.\n请尽快提交";
  message.idempotency_key = "l1/MP_FILING/due-3/team/bot";
  return message;
}

OutgoingMessage MarkdownMessage() {
  OutgoingMessage message = Message();
  message.markdown = "- **Due**: 2026-01-06\n- 请尽快提交";
  return message;
}

ScriptedResponse Body(std::string body, int status = 200) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// Generous, so a busy machine cannot turn an answer into a timeout.
HttpClientOptions Options() {
  HttpClientOptions options;
  options.timeout = absl::Seconds(10);
  options.connect_timeout = absl::Seconds(5);
  return options;
}

// For the hang cases: fails fast.
HttpClientOptions ImpatientOptions() {
  HttpClientOptions options;
  options.timeout = absl::Seconds(1);
  return options;
}

std::string Repeat(absl::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) absl::StrAppend(&out, piece);
  return out;
}

class BotChannelTest : public testing::ReceiverTest {
 protected:
  BotChannelTest() : clock_(kNow) {}

  ChannelEndpoint Endpoint(ChannelType type, const std::string& path_and_query,
                           const std::string& secret = "") {
    ChannelEndpoint endpoint;
    endpoint.type = type;
    endpoint.target = receiver_->Url(path_and_query);
    endpoint.secret = secret;
    return endpoint;
  }

  FakeClock clock_;
};

// ---- WeCom -------------------------------------------------------------------------------------

TEST_F(BotChannelTest, WecomText) {
  WecomChannel channel(Options(), &clock_);
  const SendResult result =
      channel.Send(Endpoint(ChannelType::kWecom, "/cgi-bin/webhook/send?key=abc-123"), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kDelivered) << result.provider_answer;
  const RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.PathWithoutQuery(), "/cgi-bin/webhook/send");
  EXPECT_EQ(request.QueryParameter("key"), "abc-123");
  EXPECT_EQ(request.Header("Content-Type"), "application/json; charset=utf-8");
  const nlohmann::json body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["msgtype"], "text");
  EXPECT_EQ(body["text"]["content"],
            "【Preflight】小程序备案 mini-program filing\nDue in 3 working days.\n请尽快提交");
  EXPECT_FALSE(channel.IdempotentResend());
}

TEST_F(BotChannelTest, WecomMarkdown) {
  WecomChannel channel(Options(), &clock_);
  ASSERT_EQ(channel.Send(Endpoint(ChannelType::kWecom, "/wecom?key=k"), MarkdownMessage()).kind,
            SendResult::Kind::kDelivered);
  const nlohmann::json body = nlohmann::json::parse(OnlyRequest().body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_EQ(body["markdown"]["content"],
            "**【Preflight】小程序备案 mini-program filing**\n\n- **Due**: 2026-01-06\n- "
            "请尽快提交");
}

TEST_F(BotChannelTest, WecomSizeLimits) {
  WecomChannel channel(Options(), &clock_);
  OutgoingMessage message = Message();
  message.text = Repeat("备案", 2000);  // 12000 bytes
  ASSERT_EQ(channel.Send(Endpoint(ChannelType::kWecom, "/wecom?key=k"), message).kind,
            SendResult::Kind::kDelivered);
  message.markdown = message.text;
  ASSERT_EQ(channel.Send(Endpoint(ChannelType::kWecom, "/wecom?key=k"), message).kind,
            SendResult::Kind::kDelivered);
  auto requests = receiver_->Requests();
  ASSERT_TRUE(requests.ok());
  ASSERT_EQ(requests->size(), 2u);
  const std::string text = nlohmann::json::parse((*requests)[0].body)["text"]["content"];
  EXPECT_LE(text.size(), 2048u);
  EXPECT_GT(text.size(), 2048u - 20);
  EXPECT_TRUE(absl::EndsWith(text, kTruncationMarker));
  const std::string markdown = nlohmann::json::parse((*requests)[1].body)["markdown"]["content"];
  EXPECT_LE(markdown.size(), 4096u);
  EXPECT_GT(markdown.size(), 4096u - 20);
  EXPECT_EQ(channel.MaxTextBytes(), 2048u);
}

TEST_F(BotChannelTest, WecomErrorCodes) {
  ASSERT_TRUE(receiver_
                  ->Script("/wecom", {Body(R"({"errcode":45009,"errmsg":"api freq out of limit"})"),
                                      Body(R"({"errcode":-1,"errmsg":"system busy"})"),
                                      Body(R"({"errcode":93000,"errmsg":"invalid webhook url"})"),
                                      Body("", 502), Body(R"({"errcode":0,"errmsg":"ok"})")})
                  .ok());
  WecomChannel channel(Options(), &clock_);
  const ChannelEndpoint endpoint = Endpoint(ChannelType::kWecom, "/wecom?key=k");
  SendResult result = channel.Send(endpoint, Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.retry_after, absl::Minutes(1));
  EXPECT_EQ(result.provider_answer,
            R"(HTTP 200: {"errcode":45009,"errmsg":"api freq out of limit"})");
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kDelivered);
}

// ---- DingTalk ----------------------------------------------------------------------------------

TEST_F(BotChannelTest, DingtalkSignedTextRequest) {
  DingtalkChannel channel(Options(), &clock_);
  const std::string secret = "SEC0123456789abcdef";
  const SendResult result = channel.Send(
      Endpoint(ChannelType::kDingtalk, "/robot/send?access_token=tok", secret), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kDelivered) << result.provider_answer;

  const RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.PathWithoutQuery(), "/robot/send");
  EXPECT_EQ(request.QueryParameter("access_token"), "tok");
  // Milliseconds since the epoch, from the injected clock.
  EXPECT_EQ(request.QueryParameter("timestamp"), "1767225600123");
  const std::optional<std::string> sign = request.QueryParameter("sign");
  ASSERT_TRUE(sign.has_value());
  const std::string expected =
      OpenSslBase64(OpenSslHmacSha256(secret, absl::StrCat("1767225600123\n", secret)));
  EXPECT_EQ(PercentDecode(*sign), expected);
  // Base64's '+', '/' and '=' must not appear raw in the query.
  EXPECT_EQ(sign->find_first_of("+/="), std::string::npos);

  const nlohmann::json body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["msgtype"], "text");
  EXPECT_EQ(body["text"]["content"],
            "【Preflight】小程序备案 mini-program filing\nDue in 3 working days.\n请尽快提交");
}

TEST_F(BotChannelTest, DingtalkUnsignedMarkdown) {
  DingtalkChannel channel(Options(), &clock_);
  ASSERT_EQ(
      channel
          .Send(Endpoint(ChannelType::kDingtalk, "/robot/send?access_token=tok"), MarkdownMessage())
          .kind,
      SendResult::Kind::kDelivered);
  const RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.QueryParameter("timestamp"), std::nullopt);
  EXPECT_EQ(request.QueryParameter("sign"), std::nullopt);
  const nlohmann::json body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_EQ(body["markdown"]["title"], "【Preflight】小程序备案 mini-program filing");
  EXPECT_TRUE(absl::StrContains(std::string(body["markdown"]["text"]), "- **Due**: 2026-01-06"));
}

TEST_F(BotChannelTest, DingtalkSignatureOnAUrlWithoutQuery) {
  DingtalkChannel channel(Options(), &clock_);
  ASSERT_EQ(channel.Send(Endpoint(ChannelType::kDingtalk, "/plain", "SECx"), Message()).kind,
            SendResult::Kind::kDelivered);
  const RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.PathWithoutQuery(), "/plain");
  EXPECT_TRUE(request.QueryParameter("timestamp").has_value());
  EXPECT_EQ(DingtalkSignature("SECx", "1767225600123"),
            OpenSslBase64(OpenSslHmacSha256("SECx", "1767225600123\nSECx")));
}

TEST_F(BotChannelTest, DingtalkThrottleBlocksTenMinutes) {
  ASSERT_TRUE(
      receiver_
          ->Script(
              "/robot",
              {Body(R"({"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"})"),
               Body(R"({"errcode":310000,"errmsg":"sign not match"})"),
               Body(R"({"errcode":300001,"errmsg":"token is not exist"})"),
               Body(R"({"errcode":-1,"errmsg":"system busy"})")})
          .ok());
  DingtalkChannel channel(Options(), &clock_);
  const ChannelEndpoint endpoint = Endpoint(ChannelType::kDingtalk, "/robot?access_token=t");
  SendResult result = channel.Send(endpoint, Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.retry_after, absl::Minutes(10));
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kRetryable);
}

// ---- Feishu ------------------------------------------------------------------------------------

TEST_F(BotChannelTest, FeishuSignedText) {
  FeishuChannel channel(Options(), &clock_);
  const std::string secret = "feishu-secret";
  const SendResult result =
      channel.Send(Endpoint(ChannelType::kFeishu, "/open-apis/bot/v2/hook/abc", secret), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kDelivered) << result.provider_answer;
  const RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.path, "/open-apis/bot/v2/hook/abc");
  const nlohmann::json body = nlohmann::json::parse(request.body);
  // Seconds, as a string, in the body.
  EXPECT_EQ(body["timestamp"], "1767225600");
  // key = timestamp + "\n" + secret, message empty.
  EXPECT_EQ(body["sign"], OpenSslBase64(OpenSslHmacSha256("1767225600\nfeishu-secret", "")));
  EXPECT_EQ(body["msg_type"], "text");
  EXPECT_EQ(body["content"]["text"],
            "【Preflight】小程序备案 mini-program filing\nDue in 3 working days.\n请尽快提交");
}

TEST_F(BotChannelTest, FeishuMarkdownCardUnsigned) {
  FeishuChannel channel(Options(), &clock_);
  ASSERT_EQ(channel.Send(Endpoint(ChannelType::kFeishu, "/hook/x"), MarkdownMessage()).kind,
            SendResult::Kind::kDelivered);
  const nlohmann::json body = nlohmann::json::parse(OnlyRequest().body);
  EXPECT_FALSE(body.contains("sign"));
  EXPECT_FALSE(body.contains("timestamp"));
  EXPECT_EQ(body["msg_type"], "interactive");
  EXPECT_EQ(body["card"]["header"]["title"]["content"],
            "【Preflight】小程序备案 mini-program filing");
  EXPECT_EQ(body["card"]["elements"][0]["text"]["tag"], "lark_md");
  EXPECT_EQ(body["card"]["elements"][0]["text"]["content"], MarkdownMessage().markdown);
}

TEST_F(BotChannelTest, FeishuBodyStaysWithin20KB) {
  FeishuChannel channel(Options(), &clock_);
  OutgoingMessage message = Message();
  // Newlines and quotes double in size when escaped: the text limit alone would not keep the
  // body within 20 KB.
  message.text = Repeat("\"备\"\n", 4000);
  ASSERT_EQ(channel.Send(Endpoint(ChannelType::kFeishu, "/hook/x", "s"), message).kind,
            SendResult::Kind::kDelivered);
  const RecordedRequest request = OnlyRequest();
  EXPECT_LE(request.body.size(), FeishuChannel::kMaxBodyBytes);
  EXPECT_GT(request.body.size(), FeishuChannel::kMaxBodyBytes - 64);
  const std::string text = nlohmann::json::parse(request.body)["content"]["text"];
  EXPECT_TRUE(absl::EndsWith(text, kTruncationMarker));
}

TEST_F(BotChannelTest, FeishuErrorCodes) {
  ASSERT_TRUE(
      receiver_
          ->Script(
              "/hook/codes",
              {Body(R"({"code":11232,"msg":"frequency limited psm[...]"})"),
               Body(
                   R"({"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"})"),
               Body(R"({"code":9499,"msg":"Bad Request"})", 400),
               Body(R"({"StatusCode":0,"StatusMessage":"success"})"),
               Body(R"({"code":0,"msg":"success","data":{}})")})
          .ok());
  FeishuChannel channel(Options(), &clock_);
  const ChannelEndpoint endpoint = Endpoint(ChannelType::kFeishu, "/hook/codes", "s");
  SendResult result = channel.Send(endpoint, Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.retry_after, absl::Minutes(1));
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kDelivered);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kDelivered);
}

// ---- Slack -------------------------------------------------------------------------------------

TEST_F(BotChannelTest, SlackText) {
  SlackChannel channel(Options(), &clock_);
  ASSERT_TRUE(receiver_->Script("/services", {Body("ok")}).ok());
  const SendResult result =
      channel.Send(Endpoint(ChannelType::kSlack, "/services/T000/B000/XXXX"), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kDelivered) << result.provider_answer;
  const nlohmann::json body = nlohmann::json::parse(OnlyRequest().body);
  EXPECT_EQ(body, nlohmann::json({{"text",
                                   "【Preflight】小程序备案 mini-program filing\nDue in 3 working "
                                   "days.\n请尽快提交"}}));
}

TEST_F(BotChannelTest, SlackMrkdwn) {
  SlackChannel channel(Options(), &clock_);
  ASSERT_EQ(channel.Send(Endpoint(ChannelType::kSlack, "/services/x"), MarkdownMessage()).kind,
            SendResult::Kind::kDelivered);
  const nlohmann::json body = nlohmann::json::parse(OnlyRequest().body);
  EXPECT_TRUE(absl::StartsWith(std::string(body["text"]),
                               "*【Preflight】小程序备案 mini-program filing*\n\n"));
}

TEST_F(BotChannelTest, SlackThrottlingAndErrors) {
  ScriptedResponse throttled = Body("rate_limited", 429);
  throttled.headers = {{"Retry-After", "30"}};
  ASSERT_TRUE(
      receiver_
          ->Script("/services", {throttled, Body("invalid_payload", 400), Body("no_service", 404),
                                 Body("", 500), Body("channel_is_archived", 410)})
          .ok());
  SlackChannel channel(Options(), &clock_);
  const ChannelEndpoint endpoint = Endpoint(ChannelType::kSlack, "/services/x");
  SendResult result = channel.Send(endpoint, Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.retry_after, absl::Seconds(30));
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(channel.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_FALSE(channel.IdempotentResend());
}

TEST_F(BotChannelTest, SlackSizeLimit) {
  SlackChannel channel(Options(), &clock_);
  OutgoingMessage message = Message();
  message.text = Repeat("😀", 20000);  // 80000 bytes
  ASSERT_EQ(channel.Send(Endpoint(ChannelType::kSlack, "/services/x"), message).kind,
            SendResult::Kind::kDelivered);
  const std::string text = nlohmann::json::parse(OnlyRequest().body)["text"];
  EXPECT_LE(text.size(), 40000u);
  EXPECT_GT(text.size(), 40000u - 20);
  EXPECT_TRUE(absl::EndsWith(text, kTruncationMarker));
}

// ---- Shared behaviour --------------------------------------------------------------------------

TEST_F(BotChannelTest, EveryBotTimesOutAsRetryable) {
  ScriptedResponse hang;
  hang.hang = absl::Seconds(20);
  ASSERT_TRUE(receiver_->Script("/slow", {hang, hang, hang, hang}).ok());
  WecomChannel wecom(ImpatientOptions(), &clock_);
  DingtalkChannel dingtalk(ImpatientOptions(), &clock_);
  FeishuChannel feishu(ImpatientOptions(), &clock_);
  SlackChannel slack(ImpatientOptions(), &clock_);
  Channel* channels[] = {&wecom, &dingtalk, &feishu, &slack};
  for (Channel* channel : channels) {
    const SendResult result = channel->Send(Endpoint(ChannelType::kWecom, "/slow"), Message());
    EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
    EXPECT_EQ(result.http_status, 0);
  }
}

TEST_F(BotChannelTest, AnswersThatAreNotTheBotsArePermanent) {
  ASSERT_TRUE(receiver_->Script("/proxy", {Body("<html>captive portal</html>")}).ok());
  WecomChannel channel(Options(), &clock_);
  EXPECT_EQ(channel.Send(Endpoint(ChannelType::kWecom, "/proxy"), Message()).kind,
            SendResult::Kind::kPermanent);
}

}  // namespace
}  // namespace preflight::notifier
