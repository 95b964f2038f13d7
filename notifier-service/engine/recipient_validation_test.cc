#include "notifier-service/engine/recipient_validation.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/engine/notifier_limits.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Recipient WithChannel(ChannelType type, std::string target, std::string secret_ref = "") {
  Recipient recipient;
  recipient.id = "li.na";
  recipient.channels.push_back(RecipientChannel{type, std::move(target), std::move(secret_ref)});
  return recipient;
}

void ExpectInvalid(const Recipient& recipient, const std::string& text,
                   const std::vector<std::string>& allow = {}) {
  EXPECT_STATUS(ValidateRecipient(recipient, allow), INVALID_ARGUMENT, text);
}

TEST(RecipientValidationTest, EveryBotTypeFollowsTheUrlRules) {
  for (ChannelType type : {ChannelType::kWebhook, ChannelType::kWecom, ChannelType::kDingtalk,
                           ChannelType::kFeishu, ChannelType::kSlack}) {
    EXPECT_TRUE(ValidateRecipient(WithChannel(type, "https://bots.example.com/x?key=k")).ok());
    EXPECT_TRUE(ValidateRecipient(WithChannel(type, "http://127.0.0.1:9/x")).ok());
    ExpectInvalid(WithChannel(type, "http://bots.example.com/x"), "recipient.channels[0].target");
    ExpectInvalid(WithChannel(type, ""), "needs an https URL");
  }
}

TEST(RecipientValidationTest, UrlErrorsShowTheUrlRedacted) {
  const Recipient recipient =
      WithChannel(ChannelType::kWecom, "http://qyapi.weixin.qq.com/send?key=the-wecom-key");
  const absl::Status status = ValidateRecipient(recipient);
  EXPECT_THAT(status.message(), HasSubstr("key=***"));
  EXPECT_THAT(status.message(), Not(HasSubstr("the-wecom-key")));
}

TEST(RecipientValidationTest, AllowListCoversHttpAndInternalAddresses) {
  const Recipient recipient = WithChannel(ChannelType::kWebhook, "http://hooks.corp:8080/x");
  ExpectInvalid(recipient, "--http_allow_hosts");
  EXPECT_TRUE(ValidateRecipient(recipient, {"hooks.corp"}).ok());
  ExpectInvalid(WithChannel(ChannelType::kWebhook, "https://192.168.1.20/x"), "private");
  EXPECT_TRUE(ValidateRecipient(WithChannel(ChannelType::kWebhook, "https://192.168.1.20/x"),
                                {"192.168.1.20"})
                  .ok());
}

TEST(RecipientValidationTest, PlaceholdersAreNotUrls) {
  ExpectInvalid(WithChannel(ChannelType::kSlack, "https://hooks.slack.com/services/T1/B2/***"),
                "placeholder");
}

TEST(RecipientValidationTest, OtherChannelsAndFields) {
  ExpectInvalid(WithChannel(ChannelType::kLog, "https://x.example.com"), "takes no target");
  ExpectInvalid(WithChannel(ChannelType::kEmail, "not-an-address"), "not an email address");
  ExpectInvalid(WithChannel(ChannelType::kEmail, std::string(300, 'a') + "@example.com"),
                "at most 254");
  ExpectInvalid(WithChannel(ChannelType::kWebhook, "https://h.example.com/x", "literal-secret"),
                "secret_ref");
  Recipient recipient = WithChannel(ChannelType::kInbox, "");
  recipient.display_name = "tab\there is fine, a bell \a is not";
  ExpectInvalid(recipient, "recipient.display_name: contains control characters");
  recipient.display_name = "";
  recipient.subscriptions = {"tenants/Acme"};
  ExpectInvalid(recipient, "recipient.subscriptions[0]");
  recipient.subscriptions = {"launches/l1/items/X"};
  ExpectInvalid(recipient, "must be tenants/{tenant} or launches/{launch}");
  recipient.subscriptions = {"tenants/acme", "launches/l1abc"};
  EXPECT_TRUE(ValidateRecipient(recipient).ok());
  recipient.id = std::string(api::kMaxRecipientIdLength + 1, 'a');
  ExpectInvalid(recipient, "1 to 128");
}

}  // namespace
}  // namespace preflight::notifier
