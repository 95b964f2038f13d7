#include "notifier-service/channels/http_outcome.h"

#include <string>

#include "gtest/gtest.h"

namespace preflight::notifier {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // Thu, 01 Jan 2026 00:00:00 GMT

HttpResponse Answer(int status, std::string body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

HttpResponse Failure(TransportError error) {
  HttpResponse response;
  response.error = error;
  response.error_message = "something broke";
  return response;
}

TEST(ParseRetryAfterTest, Seconds) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), absl::Seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", kNow), absl::ZeroDuration());
}

TEST(ParseRetryAfterTest, HttpDates) {
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 00:01:30 GMT", kNow), absl::Seconds(90));
  EXPECT_EQ(ParseRetryAfter("Thursday, 01-Jan-26 00:00:10 GMT", kNow), absl::Seconds(10));
  EXPECT_EQ(ParseRetryAfter("Thu Jan  1 00:00:05 2026", kNow), absl::Seconds(5));
  // In the past: retry now.
  EXPECT_EQ(ParseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", kNow), absl::ZeroDuration());
}

TEST(ParseRetryAfterTest, Garbage) {
  EXPECT_EQ(ParseRetryAfter("", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("12abc", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", kNow), std::nullopt);
}

TEST(ClassifyHttpStatusTest, FollowsHttpSemantics) {
  EXPECT_EQ(ClassifyHttpStatus(Answer(200), kNow).kind, SendResult::Kind::kDelivered);
  EXPECT_EQ(ClassifyHttpStatus(Answer(204), kNow).kind, SendResult::Kind::kDelivered);
  for (const int status : {408, 425, 429, 500, 502, 503, 504}) {
    EXPECT_EQ(ClassifyHttpStatus(Answer(status), kNow).kind, SendResult::Kind::kRetryable)
        << status;
  }
  for (const int status : {301, 302, 400, 401, 403, 404, 410, 413, 422}) {
    EXPECT_EQ(ClassifyHttpStatus(Answer(status), kNow).kind, SendResult::Kind::kPermanent)
        << status;
  }
}

TEST(ClassifyHttpStatusTest, HonoursRetryAfterAndKeepsTheAnswer) {
  const SendResult result =
      ClassifyHttpStatus(Answer(429, "slow down", {{"retry-after", "7"}}), kNow);
  EXPECT_EQ(result.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(result.retry_after, absl::Seconds(7));
  EXPECT_EQ(result.http_status, 429);
  EXPECT_EQ(result.provider_answer, "HTTP 429: slow down");
  EXPECT_EQ(ClassifyHttpStatus(Answer(503), kNow).retry_after, std::nullopt);
}

TEST(ClassifyHttpStatusTest, ProviderAnswerIsCapped) {
  const SendResult result = ClassifyHttpStatus(Answer(500, std::string(5000, 'x')), kNow);
  EXPECT_LE(result.provider_answer.size(), kMaxProviderAnswerBytes);
}

TEST(ClassifyHttpStatusTest, TransportFailures) {
  EXPECT_EQ(ClassifyHttpStatus(Failure(TransportError::kTimeout), kNow).kind,
            SendResult::Kind::kRetryable);
  EXPECT_EQ(ClassifyHttpStatus(Failure(TransportError::kConnection), kNow).kind,
            SendResult::Kind::kRetryable);
  EXPECT_EQ(ClassifyHttpStatus(Failure(TransportError::kOther), kNow).kind,
            SendResult::Kind::kRetryable);
  EXPECT_EQ(ClassifyHttpStatus(Failure(TransportError::kBadUrl), kNow).kind,
            SendResult::Kind::kPermanent);
  EXPECT_EQ(ClassifyHttpStatus(Failure(TransportError::kTlsVerification), kNow).kind,
            SendResult::Kind::kPermanent);
  const SendResult timeout = ClassifyHttpStatus(Failure(TransportError::kTimeout), kNow);
  EXPECT_EQ(timeout.http_status, 0);
  EXPECT_EQ(timeout.provider_answer, "transport error (timeout): something broke");
}

const BotErrorRules kRules = {{"errcode", "code"}, {{45009, absl::Minutes(1)}, {-1, std::nullopt}}};

TEST(ClassifyBotAnswerTest, CodesInsideHttp200) {
  EXPECT_EQ(ClassifyBotAnswer(Answer(200, R"({"errcode":0,"errmsg":"ok"})"), kNow, kRules).kind,
            SendResult::Kind::kDelivered);
  const SendResult throttled = ClassifyBotAnswer(
      Answer(200, R"({"errcode":45009,"errmsg":"api freq out of limit"})"), kNow, kRules);
  EXPECT_EQ(throttled.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(throttled.retry_after, absl::Minutes(1));
  const SendResult busy = ClassifyBotAnswer(Answer(200, R"({"errcode":-1})"), kNow, kRules);
  EXPECT_EQ(busy.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(busy.retry_after, std::nullopt);
  EXPECT_EQ(ClassifyBotAnswer(Answer(200, R"({"errcode":93000})"), kNow, kRules).kind,
            SendResult::Kind::kPermanent);
  // The second field name is used when the first is absent.
  EXPECT_EQ(ClassifyBotAnswer(Answer(200, R"({"code":0})"), kNow, kRules).kind,
            SendResult::Kind::kDelivered);
}

TEST(ClassifyBotAnswerTest, NotABotAnswerIsPermanent) {
  EXPECT_EQ(ClassifyBotAnswer(Answer(200, "<html>hello</html>"), kNow, kRules).kind,
            SendResult::Kind::kPermanent);
  EXPECT_EQ(ClassifyBotAnswer(Answer(200, R"({"errcode":"0"})"), kNow, kRules).kind,
            SendResult::Kind::kPermanent);
}

TEST(ClassifyBotAnswerTest, HttpErrorsAndRetryAfter) {
  EXPECT_EQ(ClassifyBotAnswer(Answer(502, ""), kNow, kRules).kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(ClassifyBotAnswer(Answer(404, R"({"errcode":0})"), kNow, kRules).kind,
            SendResult::Kind::kPermanent);
  // A throttle code wins even in a 4xx, and Retry-After wins over the documented wait.
  const SendResult throttled =
      ClassifyBotAnswer(Answer(400, R"({"errcode":45009})", {{"retry-after", "15"}}), kNow, kRules);
  EXPECT_EQ(throttled.kind, SendResult::Kind::kRetryable);
  EXPECT_EQ(throttled.retry_after, absl::Seconds(15));
  EXPECT_EQ(ClassifyBotAnswer(Failure(TransportError::kTimeout), kNow, kRules).kind,
            SendResult::Kind::kRetryable);
}

}  // namespace
}  // namespace preflight::notifier
