#include "notifier-service/domain/url_safety.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/channels/http_client.h"
#include "notifier-service/channels/http_outcome.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// ---- Redaction, one provider URL form at a time -------------------------------------------------

TEST(RedactUrlTest, WecomKey) {
  EXPECT_EQ(RedactUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***");
}

TEST(RedactUrlTest, DingtalkAccessTokenAndSignature) {
  EXPECT_EQ(RedactUrl("https://oapi.dingtalk.com/robot/send?access_token=abc123def456"
                      "&timestamp=1700000000000&sign=xyz%2B%3D"),
            "https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=***&sign=***");
}

TEST(RedactUrlTest, FeishuAndLarkHookToken) {
  EXPECT_EQ(
      RedactUrl(
          "https://open.feishu.cn/open-apis/bot/v2/hook/2e9a4b1c-aaaa-bbbb-cccc-0123456789ab"),
      "https://open.feishu.cn/open-apis/bot/v2/hook/***");
  // A short token is still the secret: the path tells.
  EXPECT_EQ(RedactUrl("https://open.larksuite.com/open-apis/bot/v2/hook/abc"),
            "https://open.larksuite.com/open-apis/bot/v2/hook/***");
}

TEST(RedactUrlTest, SlackServicesSecret) {
  EXPECT_EQ(RedactUrl("https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnopqrstuvwx"),
            "https://hooks.slack.com/services/T0001/B0002/***");
  EXPECT_EQ(RedactUrl("https://hooks.slack.com/services/T0001/B0002/short"),
            "https://hooks.slack.com/services/T0001/B0002/***");
}

TEST(RedactUrlTest, GenericWebhookKeepsReadablePathButHidesTokens) {
  EXPECT_EQ(RedactUrl("http://127.0.0.1:8080/hooks/preflight"),
            "http://127.0.0.1:8080/hooks/preflight");
  EXPECT_EQ(RedactUrl("https://example.com/api/webhooks/123/a1b2c3d4e5f6a7b8c9d0"),
            "https://example.com/api/webhooks/123/***");
  EXPECT_EQ(RedactUrl("https://example.com/hook?token=s3cret&team=ops#frag"),
            "https://example.com/hook?token=***&team=***#***");
  EXPECT_EQ(RedactUrl("https://user:password@example.com/x"), "https://***@example.com/x");
  EXPECT_EQ(RedactUrl("https://[::1]:8443/x?k=v"), "https://[::1]:8443/x?k=***");
}

TEST(RedactUrlTest, UnparseableTextIsHiddenWhole) {
  EXPECT_EQ(RedactUrl("not a url with key=secret"), "***");
  EXPECT_EQ(RedactUrl(""), "***");
}

TEST(RedactSecretsTest, RedactsEveryUrlInFreeText) {
  EXPECT_EQ(RedactSecrets("POST https://qyapi.weixin.qq.com/send?key=k1 failed; retry "
                          "\"https://oapi.dingtalk.com/robot/send?access_token=t2\" later"),
            "POST https://qyapi.weixin.qq.com/send?key=*** failed; retry "
            "\"https://oapi.dingtalk.com/robot/send?access_token=***\" later");
  // Without a scheme it is no URL; with one but unparseable, it is hidden whole.
  EXPECT_EQ(RedactSecrets("odd ://x"), "odd ://x");
  EXPECT_EQ(RedactSecrets("broken a://"), "broken ***");
  EXPECT_EQ(RedactSecrets("plain text"), "plain text");
  EXPECT_EQ(RedactSecrets("smtp://me:hunter2@mail.example.com:587"),
            "smtp://***@mail.example.com:587");
}

TEST(RedactValueTest, ReplacesEveryOccurrence) {
  EXPECT_EQ(RedactValue("pw hunter2 and hunter2", "hunter2"), "pw *** and ***");
  EXPECT_EQ(RedactValue("unchanged", ""), "unchanged");
}

TEST(IsRedactedFormOfTest, MatchesOnlyTheRedactionOfTheSameUrl) {
  const std::string full = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-1";
  EXPECT_TRUE(IsRedactedFormOf(RedactUrl(full), full));
  EXPECT_FALSE(IsRedactedFormOf("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***",
                                "https://qyapi.weixin.qq.com/cgi-bin/webhook/other?key=s"));
  // Nothing to restore when nothing was redacted.
  EXPECT_FALSE(IsRedactedFormOf("http://127.0.0.1/x", "http://127.0.0.1/x"));
}

// ---- Destination rules
// -----------------------------------------------------------------------------

TEST(CheckWebhookUrlTest, HttpsAnywherePublic) {
  EXPECT_TRUE(CheckWebhookUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", {}).ok());
  EXPECT_TRUE(CheckWebhookUrl("https://93.184.216.34/hook", {}).ok());
}

TEST(CheckWebhookUrlTest, HttpOnlyForLoopbackOrAllowList) {
  EXPECT_TRUE(CheckWebhookUrl("http://127.0.0.1:8080/x", {}).ok());
  EXPECT_TRUE(CheckWebhookUrl("http://127.5.6.7/x", {}).ok());
  EXPECT_TRUE(CheckWebhookUrl("http://localhost:9/x", {}).ok());
  EXPECT_TRUE(CheckWebhookUrl("http://[::1]:9/x", {}).ok());
  const absl::Status refused = CheckWebhookUrl("http://hooks.example.com/x", {});
  EXPECT_TRUE(absl::IsInvalidArgument(refused));
  EXPECT_THAT(refused.message(), HasSubstr("use https"));
  EXPECT_TRUE(CheckWebhookUrl("http://hooks.example.com/x", {"HOOKS.example.com"}).ok());
  EXPECT_TRUE(CheckWebhookUrl("http://[fd00::5]/x", {"[fd00::5]"}).ok());
}

TEST(CheckWebhookUrlTest, OtherSchemesUserinfoAndJunkAreRefused) {
  for (const char* url :
       {"ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/",
        "https://user:pw@example.com/x", "https://@example.com/x", "https://example.com:0/x",
        "https://example.com:99999/x", "https://exa mple.com/x", "https://example.com/x\n",
        "https:///x", "https://example.com\\@evil.com/", "example.com/x", ""}) {
    EXPECT_TRUE(absl::IsInvalidArgument(CheckWebhookUrl(url, {}))) << url;
  }
  // The refusal never repeats the URL's secret.
  EXPECT_THAT(CheckWebhookUrl("https://user:topsecret@example.com/x", {}).message(),
              Not(HasSubstr("topsecret")));
}

TEST(CheckWebhookUrlTest, InternalLiteralsNeedTheAllowList) {
  for (const char* url : {"https://10.1.2.3/x", "https://192.168.0.1/x", "https://172.20.0.1/x",
                          "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/x",
                          "https://0.0.0.0/x", "https://[fe80::1]/x", "https://[fd12::1]/x",
                          "https://[::ffff:10.0.0.1]/x", "https://[::]/x", "https://224.0.0.1/x"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(CheckWebhookUrl(url, {}))) << url;
  }
  EXPECT_TRUE(CheckWebhookUrl("https://10.1.2.3/x", {"10.1.2.3"}).ok());
  // Legacy numeric forms would hide 127.0.0.1 or 10.0.0.1 from the literal check.
  EXPECT_TRUE(absl::IsInvalidArgument(CheckWebhookUrl("https://2130706433/x", {})));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckWebhookUrl("https://0x0a.1/x", {})));
}

TEST(AddressTest, Classification) {
  EXPECT_TRUE(IsNonPublicAddress("127.0.0.1"));
  EXPECT_TRUE(IsNonPublicAddress("10.0.0.1"));
  EXPECT_TRUE(IsNonPublicAddress("172.31.255.255"));
  EXPECT_FALSE(IsNonPublicAddress("172.32.0.1"));
  EXPECT_TRUE(IsNonPublicAddress("192.168.1.1"));
  EXPECT_TRUE(IsNonPublicAddress("169.254.1.1"));
  EXPECT_TRUE(IsNonPublicAddress("::1"));
  EXPECT_TRUE(IsNonPublicAddress("fe80::1"));
  EXPECT_TRUE(IsNonPublicAddress("fc00::1"));
  EXPECT_TRUE(IsNonPublicAddress("::ffff:192.168.1.1"));
  EXPECT_TRUE(IsNonPublicAddress("64:ff9b::a00:1"));
  EXPECT_FALSE(IsNonPublicAddress("8.8.8.8"));
  EXPECT_FALSE(IsNonPublicAddress("2001:4860:4860::8888"));
  EXPECT_FALSE(IsNonPublicAddress("::ffff:8.8.8.8"));
  EXPECT_FALSE(IsNonPublicAddress("not-an-address"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("127.9.9.9"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("localhost.example.com"));
}

// ---- Send-time checks with a scripted resolver
// -----------------------------------------------------

HostResolver Answer(std::vector<std::string> addresses) {
  return [addresses](const std::string&) -> absl::StatusOr<std::vector<std::string>> {
    return addresses;
  };
}

TEST(CheckDestinationTest, PublicNameIsPinnedToItsAddresses) {
  auto pinned = CheckDestination("https://hooks.example.com/x", {},
                                 Answer({"93.184.216.34", "2606:2800:220:1::1"}));
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  EXPECT_THAT(*pinned, ElementsAre("93.184.216.34", "2606:2800:220:1::1"));
}

TEST(CheckDestinationTest, NameResolvingInsideIsRefused) {
  for (const char* address : {"10.0.0.7", "127.0.0.1", "169.254.169.254", "fd00::1"}) {
    auto refused =
        CheckDestination("https://hooks.example.com/x", {}, Answer({"93.184.216.34", address}));
    EXPECT_TRUE(absl::IsPermissionDenied(refused.status())) << address;
    EXPECT_THAT(refused.status().message(), HasSubstr("--http_allow_hosts"));
  }
}

TEST(CheckDestinationTest, AllowListedNameMayResolveInside) {
  auto allowed = CheckDestination("http://hooks.corp/x", {"hooks.corp"}, Answer({"10.0.0.7"}));
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_TRUE(allowed->empty());
}

TEST(CheckDestinationTest, LocalhostMustStayLoopback) {
  EXPECT_TRUE(CheckDestination("http://localhost:8/x", {}, Answer({"127.0.0.1", "::1"})).ok());
  EXPECT_TRUE(absl::IsPermissionDenied(
      CheckDestination("http://localhost:8/x", {}, Answer({"93.184.216.34"})).status()));
}

TEST(CheckDestinationTest, LiteralsNeedNoLookup) {
  const HostResolver never =
      [](const std::string& host) -> absl::StatusOr<std::vector<std::string>> {
    ADD_FAILURE() << "resolved " << host;
    return absl::UnavailableError("unexpected");
  };
  auto loopback = CheckDestination("http://127.0.0.1:9/x", {}, never);
  ASSERT_TRUE(loopback.ok());
  EXPECT_TRUE(loopback->empty());
  EXPECT_TRUE(absl::IsInvalidArgument(CheckDestination("https://10.0.0.1/x", {}, never).status()));
}

TEST(CheckDestinationTest, UnresolvableIsUnavailable) {
  const HostResolver failing = [](const std::string&) -> absl::StatusOr<std::vector<std::string>> {
    return absl::UnavailableError("cannot resolve");
  };
  EXPECT_TRUE(
      absl::IsUnavailable(CheckDestination("https://nowhere.invalid/x", {}, failing).status()));
}

// ---- The HTTP client applies the same check before connecting
// ---------------------------------------

TEST(HttpClientDestinationTest, RefusesInternalDestinationsWithoutConnecting) {
  HttpClientOptions options;
  options.resolver = Answer({"10.0.0.7"});
  HttpClient client(options);
  const HttpResponse internal = client.Post({"https://hooks.example.com/x?key=k3y", {}, "{}"});
  EXPECT_EQ(internal.error, TransportError::kForbiddenDestination);
  EXPECT_THAT(internal.error_message, Not(HasSubstr("k3y")));
  const HttpResponse plain = client.Post({"http://hooks.example.com/x", {}, "{}"});
  EXPECT_EQ(plain.error, TransportError::kBadUrl);
  const HttpResponse userinfo = client.Post({"https://u:p@hooks.example.com/x", {}, "{}"});
  EXPECT_EQ(userinfo.error, TransportError::kBadUrl);

  // Dead-lettered at once: no retry makes the destination acceptable.
  EXPECT_EQ(TransportFailure(internal).kind, SendResult::Kind::kPermanent);
  EXPECT_THAT(TransportFailure(internal).provider_answer, HasSubstr("forbidden destination"));
}

TEST(HttpClientDestinationTest, ProviderAnswersAreRedacted) {
  HttpResponse response;
  response.status = 400;
  response.body = "bad request for https://qyapi.weixin.qq.com/send?key=leaked-key";
  const SendResult result = ClassifyHttpStatus(response, absl::UnixEpoch());
  EXPECT_THAT(result.provider_answer, Not(HasSubstr("leaked-key")));
  EXPECT_THAT(result.provider_answer, HasSubstr("key=***"));
}

}  // namespace
}  // namespace preflight::notifier
