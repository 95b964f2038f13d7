#include "notifier-service/channels/webhook_channel.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "notifier-service/channels/text_limits.h"
#include "notifier-service/testing/channel_testing.h"

namespace preflight::notifier {
namespace {

using ::preflight::testing::RecordedRequest;
using ::preflight::testing::ScriptedResponse;
using testing::OpenSslHmacSha256;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

OutgoingMessage Message() {
  OutgoingMessage message;
  message.subject = "【Preflight】ICP 备案 ICP filing: due in 3 working days";
  message.text = "ICP 备案 is due on 2026-01-06.\nOwner: 张三";
  message.markdown = "**ICP 备案** is due";
  message.idempotency_key = "launch-1/ICP_FILING/due-3/alice/webhook";
  message.data_json = R"({"launch_id":"launch-1","item":"ICP_FILING","due":"2026-01-06"})";
  return message;
}

class WebhookChannelTest : public testing::ReceiverTest {
 protected:
  WebhookChannelTest()
      : clock_(kNow),
        channel_(Options(absl::Seconds(10)), &clock_),
        impatient_(Options(absl::Seconds(1)), &clock_) {}

  static HttpClientOptions Options(absl::Duration timeout) {
    HttpClientOptions options;
    options.timeout = timeout;
    options.connect_timeout = absl::Seconds(5);
    return options;
  }

  ChannelEndpoint Endpoint(const std::string& path, const std::string& secret = "s3cret") {
    ChannelEndpoint endpoint;
    endpoint.type = ChannelType::kWebhook;
    endpoint.target = receiver_->Url(path);
    endpoint.secret = secret;
    return endpoint;
  }

  FakeClock clock_;
  WebhookChannel channel_;
  // For the hang case: fails fast.
  WebhookChannel impatient_;
};

TEST_F(WebhookChannelTest, SendsTheDocumentedRequest) {
  const SendResult result = channel_.Send(Endpoint("/hook"), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kDelivered) << result.provider_answer;
  EXPECT_EQ(result.http_status, 200);

  const RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/hook");
  EXPECT_EQ(request.Header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(request.idempotency_key, "launch-1/ICP_FILING/due-3/alice/webhook");
  EXPECT_EQ(request.Header("X-Preflight-Timestamp"), "1767225600");

  const nlohmann::json body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["idempotency_key"], "launch-1/ICP_FILING/due-3/alice/webhook");
  EXPECT_EQ(body["subject"], Message().subject);
  EXPECT_EQ(body["text"], Message().text);
  EXPECT_EQ(body["data"]["item"], "ICP_FILING");
  EXPECT_EQ(body["data"]["due"], "2026-01-06");
  EXPECT_EQ(body.size(), 4u);
}

TEST_F(WebhookChannelTest, SignatureVerifiesIndependently) {
  clock_.SetTime(kNow + absl::Seconds(42));
  ASSERT_EQ(channel_.Send(Endpoint("/hook", "whsec-例"), Message()).kind,
            SendResult::Kind::kDelivered);
  const RecordedRequest request = OnlyRequest();
  const std::optional<std::string> timestamp = request.Header("X-Preflight-Timestamp");
  ASSERT_TRUE(timestamp.has_value());
  EXPECT_EQ(*timestamp, "1767225642");
  const std::string expected =
      "v1=" + absl::BytesToHexString(
                  OpenSslHmacSha256("whsec-例", absl::StrCat(*timestamp, ".", request.body)));
  EXPECT_EQ(request.Header("X-Preflight-Signature"), expected);
  // A tampered body or another secret would not verify.
  EXPECT_NE(expected, "v1=" + absl::BytesToHexString(OpenSslHmacSha256(
                                  "other", absl::StrCat(*timestamp, ".", request.body))));
  EXPECT_EQ(WebhookSignature("whsec-例", *timestamp, request.body), expected);
}

TEST_F(WebhookChannelTest, NoSecretNoSignature) {
  ASSERT_EQ(channel_.Send(Endpoint("/hook", ""), Message()).kind, SendResult::Kind::kDelivered);
  const RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.Header("X-Preflight-Signature"), std::nullopt);
  EXPECT_TRUE(request.Header("X-Preflight-Timestamp").has_value());
}

TEST_F(WebhookChannelTest, EmptyDataIsAnEmptyObject) {
  OutgoingMessage message = Message();
  message.data_json.clear();
  ASSERT_EQ(channel_.Send(Endpoint("/hook"), message).kind, SendResult::Kind::kDelivered);
  const nlohmann::json body = nlohmann::json::parse(OnlyRequest().body);
  EXPECT_TRUE(body["data"].is_object());
  EXPECT_TRUE(body["data"].empty());
}

TEST_F(WebhookChannelTest, InvalidDataIsPermanentAndSendsNothing) {
  OutgoingMessage message = Message();
  message.data_json = "[1,2]";
  const SendResult result = channel_.Send(Endpoint("/hook"), message);
  EXPECT_EQ(result.kind, SendResult::Kind::kPermanent);
  auto requests = receiver_->Requests();
  ASSERT_TRUE(requests.ok());
  EXPECT_TRUE(requests->empty());
}

TEST_F(WebhookChannelTest, ResendsCarryTheSameIdempotencyKey) {
  ScriptedResponse failure;
  failure.status = 503;
  ASSERT_TRUE(receiver_->Script("/hook", {failure}).ok());
  EXPECT_EQ(channel_.Send(Endpoint("/hook"), Message()).kind, SendResult::Kind::kRetryable);
  clock_.AdvanceTime(absl::Minutes(1));
  EXPECT_EQ(channel_.Send(Endpoint("/hook"), Message()).kind, SendResult::Kind::kDelivered);
  auto requests = receiver_->Requests();
  ASSERT_TRUE(requests.ok());
  ASSERT_EQ(requests->size(), 2u);
  EXPECT_EQ((*requests)[0].idempotency_key, (*requests)[1].idempotency_key);
  EXPECT_TRUE(channel_.IdempotentResend());
}

TEST_F(WebhookChannelTest, ClassifiesAnswers) {
  ScriptedResponse server_error;
  server_error.status = 500;
  server_error.body = "boom";
  ScriptedResponse throttled;
  throttled.status = 429;
  throttled.headers = {{"Retry-After", "2"}};
  ScriptedResponse throttled_until;
  throttled_until.status = 503;
  throttled_until.headers = {{"Retry-After", "Thu, 01 Jan 2026 00:05:00 GMT"}};
  ScriptedResponse timeout;
  timeout.status = 408;
  ScriptedResponse hang;
  hang.hang = absl::Seconds(20);
  ScriptedResponse bad_request;
  bad_request.status = 400;
  ScriptedResponse gone;
  gone.status = 410;
  ASSERT_TRUE(receiver_
                  ->Script("/c", {server_error, throttled, throttled_until, timeout, hang,
                                  bad_request, gone})
                  .ok());

  SendResult result = channel_.Send(Endpoint("/c"), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.http_status, 500);
  EXPECT_EQ(result.provider_answer, "HTTP 500: boom");
  EXPECT_EQ(result.retry_after, std::nullopt);

  result = channel_.Send(Endpoint("/c"), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.http_status, 429);
  EXPECT_EQ(result.retry_after, absl::Seconds(2));

  result = channel_.Send(Endpoint("/c"), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.retry_after, absl::Minutes(5));  // measured from the injected clock

  EXPECT_EQ(channel_.Send(Endpoint("/c"), Message()).kind, SendResult::Kind::kRetryable);

  result = impatient_.Send(Endpoint("/c"), Message());
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.http_status, 0);
  EXPECT_NE(result.provider_answer.find("timeout"), std::string::npos) << result.provider_answer;

  EXPECT_EQ(channel_.Send(Endpoint("/c"), Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel_.Send(Endpoint("/c"), Message()).kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(channel_.Send(Endpoint("/c"), Message()).kind, SendResult::Kind::kDelivered);
}

TEST_F(WebhookChannelTest, BadUrlIsPermanent) {
  ChannelEndpoint endpoint = Endpoint("/x");
  endpoint.target = "file:///etc/passwd";
  EXPECT_EQ(channel_.Send(endpoint, Message()).kind, SendResult::Kind::kPermanent);
}

TEST_F(WebhookChannelTest, LongTextIsCutAtACharacterBoundary) {
  OutgoingMessage message = Message();
  message.text.clear();
  for (int i = 0; i < 30000; ++i) message.text += "备";  // 90000 bytes
  ASSERT_EQ(channel_.Send(Endpoint("/hook"), message).kind, SendResult::Kind::kDelivered);
  const nlohmann::json body = nlohmann::json::parse(OnlyRequest().body);
  const std::string text = body["text"];
  EXPECT_LE(text.size(), WebhookChannel::kMaxTextBytes);
  EXPECT_GT(text.size(), WebhookChannel::kMaxTextBytes - 20);
  EXPECT_TRUE(absl::EndsWith(text, kTruncationMarker));
  // Only whole characters before the marker.
  EXPECT_EQ((text.size() - kTruncationMarker.size()) % 3, 0u);
  EXPECT_EQ(channel_.MaxTextBytes(), 64u * 1024u);
}

TEST_F(WebhookChannelTest, HeaderValuesCannotInjectLines) {
  OutgoingMessage message = Message();
  message.idempotency_key = "k1\r\nX-Evil: yes";
  ASSERT_EQ(channel_.Send(Endpoint("/hook"), message).kind, SendResult::Kind::kDelivered);
  const RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.Header("X-Evil"), std::nullopt);
  EXPECT_EQ(request.idempotency_key, "k1X-Evil: yes");
}

}  // namespace
}  // namespace preflight::notifier
