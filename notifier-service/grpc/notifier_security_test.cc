// Secrets and input limits through the real gRPC surface: URLs with keys are stored whole but
// answered redacted, a redacted URL sent back unchanged keeps the stored one, webhook URLs are
// restricted, secrets resolve from env:/file: at send time with clear errors, and every request
// limit answers INVALID_ARGUMENT naming the field and the limit.

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/api/tenant_id.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/engine/notifier_limits.h"
#include "notifier-service/testing/notifier_engine_testing.h"
#include "notifier-service/testing/notifier_server_testing.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kWecomUrl[] =
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-wecom-secret-key";
constexpr char kWecomRedacted[] = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***";
constexpr char kFeishuUrl[] =
    "https://open.feishu.cn/open-apis/bot/v2/hook/feishu-hook-token-0123456789";
constexpr char kFeishuRedacted[] = "https://open.feishu.cn/open-apis/bot/v2/hook/***";

// Records the endpoint it was given and answers like a provider that echoes the URL.
class EchoingChannel final : public Channel {
 public:
  SendResult Send(const ChannelEndpoint& endpoint, const OutgoingMessage& message) override {
    absl::MutexLock lock(&mu_);
    targets_.push_back(endpoint.target);
    secrets_.push_back(endpoint.secret);
    SendResult result;
    result.kind = SendResult::Kind::kDelivered;
    result.http_status = 200;
    result.provider_answer =
        absl::StrCat("ok for ", endpoint.target, " signed with ", endpoint.secret);
    return result;
  }
  size_t MaxTextBytes() const override { return 4096; }
  bool IdempotentResend() const override { return true; }

  std::vector<std::string> targets() {
    absl::MutexLock lock(&mu_);
    return targets_;
  }
  std::vector<std::string> secrets() {
    absl::MutexLock lock(&mu_);
    return secrets_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> targets_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> secrets_ ABSL_GUARDED_BY(mu_);
};

class NotifierSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  // (Re)starts the engine and the server, on a fresh store.
  void Start(std::vector<std::string> http_allow_hosts) {
    server_.Shutdown();
    engine_ = nullptr;
    notifier_.Close();
    notifier_.channels().clear();
    notifier_.AddLogChannel();
    for (ChannelType type : {ChannelType::kWebhook, ChannelType::kWecom, ChannelType::kFeishu}) {
      auto channel = std::make_unique<EchoingChannel>();
      echo_[type] = channel.get();
      notifier_.channels()[type] = std::move(channel);
    }
    testing::NotifierTestbed::Options options;
    options.db_file = absl::StrCat("notifier", ++opened_, ".db");
    options.engine.engine.http_allow_hosts = std::move(http_allow_hosts);
    ASSERT_OK(notifier_.Open(options));
    engine_ = notifier_.engine();
    ASSERT_OK(server_.Start(engine_));
    stub_ = server_.NewStub();
  }

  void TearDown() override { server_.Shutdown(); }

  static v1::RecipientChannel Channel(v1::ChannelType type, const std::string& target,
                                      const std::string& secret_ref = "") {
    v1::RecipientChannel channel;
    channel.set_type(type);
    channel.set_target(target);
    channel.set_secret_ref(secret_ref);
    return channel;
  }

  grpc::Status Create(const v1::Recipient& recipient, v1::Recipient* out = nullptr) {
    grpc::ClientContext context;
    v1::CreateRecipientRequest request;
    *request.mutable_recipient() = recipient;
    v1::Recipient ignored;
    return stub_->CreateRecipient(&context, request, out != nullptr ? out : &ignored);
  }

  grpc::Status Update(const v1::Recipient& recipient, const std::vector<std::string>& paths,
                      v1::Recipient* out = nullptr) {
    grpc::ClientContext context;
    v1::UpdateRecipientRequest request;
    *request.mutable_recipient() = recipient;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    v1::Recipient ignored;
    return stub_->UpdateRecipient(&context, request, out != nullptr ? out : &ignored);
  }

  static v1::Recipient Bots() {
    v1::Recipient recipient;
    recipient.set_name("tenants/acme/recipients/ops");
    recipient.set_tenant("acme");
    *recipient.add_channels() = Channel(v1::CHANNEL_TYPE_WECOM, kWecomUrl);
    *recipient.add_channels() =
        Channel(v1::CHANNEL_TYPE_FEISHU, kFeishuUrl, "env:PREFLIGHT_TEST_FEISHU_SECRET");
    return recipient;
  }

  int opened_ = 0;
  FakeClock clock_{absl::FromUnixSeconds(1772409600)};
  // Knows no launches: these tests have none.
  testing::NotifierTestbed notifier_{&clock_};
  std::map<ChannelType, EchoingChannel*> echo_;
  NotifierEngine* engine_ = nullptr;
  testing::NotifierTestServer server_;
  std::unique_ptr<v1::NotifierService::Stub> stub_;
};

// ---- Redaction
// -------------------------------------------------------------------------------------

TEST_F(NotifierSecurityTest, AnswersRedactUrlKeysButTheStoreKeepsThem) {
  v1::Recipient created;
  ASSERT_OK(Create(Bots(), &created));
  EXPECT_EQ(created.channels(0).target(), kWecomRedacted);
  EXPECT_EQ(created.channels(1).target(), kFeishuRedacted);
  EXPECT_EQ(created.channels(1).secret_ref(), "env:PREFLIGHT_TEST_FEISHU_SECRET");

  grpc::ClientContext get_context;
  v1::GetRecipientRequest get;
  get.set_name("tenants/acme/recipients/ops");
  v1::Recipient got;
  ASSERT_OK(stub_->GetRecipient(&get_context, get, &got));
  EXPECT_EQ(got.channels(0).target(), kWecomRedacted);

  grpc::ClientContext list_context;
  v1::ListRecipientsResponse listed;
  ASSERT_OK(stub_->ListRecipients(&list_context, v1::ListRecipientsRequest(), &listed));
  ASSERT_EQ(listed.recipients_size(), 1);
  EXPECT_THAT(listed.DebugString(), Not(HasSubstr("secret-key")));
  EXPECT_THAT(listed.DebugString(), Not(HasSubstr("feishu-hook-token")));

  absl::StatusOr<Recipient> stored = engine_->GetRecipient("acme", "ops");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->channels[0].target, kWecomUrl);
  EXPECT_EQ(stored->channels[1].target, kFeishuUrl);
}

TEST_F(NotifierSecurityTest, RedactedUrlSentBackUnchangedKeepsTheStoredUrl) {
  v1::Recipient created;
  ASSERT_OK(Create(Bots(), &created));
  // The client edits what it read: a new display name, channels as answered plus one more.
  v1::Recipient patch = created;
  patch.set_display_name("Ops team");
  *patch.add_channels() = Channel(v1::CHANNEL_TYPE_LOG, "");
  v1::Recipient updated;
  ASSERT_OK(Update(patch, {"display_name", "channels"}, &updated));
  EXPECT_EQ(updated.channels(0).target(), kWecomRedacted);
  absl::StatusOr<Recipient> stored = engine_->GetRecipient("acme", "ops");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->channels.size(), 3u);
  EXPECT_EQ(stored->channels[0].target, kWecomUrl);
  EXPECT_EQ(stored->channels[1].target, kFeishuUrl);
  EXPECT_EQ(stored->display_name, "Ops team");

  // A new URL replaces the old one.
  const std::string new_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=rotated-key";
  patch.mutable_channels(0)->set_target(new_url);
  ASSERT_OK(Update(patch, {"channels"}));
  stored = engine_->GetRecipient("acme", "ops");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->channels[0].target, new_url);

  // A placeholder that matches no stored URL of that type cannot be stored.
  patch.mutable_channels(0)->set_target("https://qyapi.weixin.qq.com/cgi-bin/other?key=***");
  EXPECT_STATUS(Update(patch, {"channels"}), INVALID_ARGUMENT, "recipient.channels[0].target");
  // Nor does a placeholder match a URL of another channel type.
  patch.mutable_channels(0)->set_target(kFeishuRedacted);
  EXPECT_STATUS(Update(patch, {"channels"}), INVALID_ARGUMENT, "***");
  // And a new recipient cannot start with one.
  v1::Recipient copy = Bots();
  copy.set_name("recipients/copy");
  copy.mutable_channels(0)->set_target(kWecomRedacted);
  EXPECT_STATUS(Create(copy), INVALID_ARGUMENT, "placeholder");
}

TEST_F(NotifierSecurityTest, LedgerAnswersHideUrlKeysAndSigningSecrets) {
  ::setenv("PREFLIGHT_TEST_FEISHU_SECRET", "feishu-signing-secret", 1);
  ASSERT_OK(Create(Bots()));
  grpc::ClientContext context;
  v1::SendTestNotificationRequest request;
  request.set_recipient("tenants/acme/recipients/ops");
  v1::SendTestNotificationResponse response;
  ASSERT_OK(stub_->SendTestNotification(&context, request, &response));
  ASSERT_EQ(response.deliveries_size(), 2);
  for (const v1::Delivery& delivery : response.deliveries()) {
    EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DELIVERED);
  }
  // The channels got the real URL and secret...
  EXPECT_THAT(echo_[ChannelType::kWecom]->targets(), ::testing::ElementsAre(kWecomUrl));
  EXPECT_THAT(echo_[ChannelType::kFeishu]->secrets(),
              ::testing::ElementsAre("feishu-signing-secret"));
  // ...the API shows neither.
  grpc::ClientContext list_context;
  v1::ListDeliveriesResponse listed;
  ASSERT_OK(stub_->ListDeliveries(&list_context, v1::ListDeliveriesRequest(), &listed));
  const std::string text = listed.DebugString() + response.DebugString();
  EXPECT_THAT(text, Not(HasSubstr("secret-key")));
  EXPECT_THAT(text, Not(HasSubstr("feishu-hook-token")));
  EXPECT_THAT(text, Not(HasSubstr("feishu-signing-secret")));
  EXPECT_THAT(text, HasSubstr("key=***"));
  ::unsetenv("PREFLIGHT_TEST_FEISHU_SECRET");
}

// ---- Secrets from env: and file:
// ------------------------------------------------------------------

TEST_F(NotifierSecurityTest, MissingSecretDeadLettersWithAClearErrorAndNoValue) {
  ::unsetenv("PREFLIGHT_TEST_MISSING_SECRET");
  v1::Recipient recipient;
  recipient.set_name("recipients/hook");
  *recipient.add_channels() = Channel(v1::CHANNEL_TYPE_WEBHOOK, "https://hooks.example.com/x",
                                      "env:PREFLIGHT_TEST_MISSING_SECRET");
  // One test message per channel type: the file reference goes on a second type.
  *recipient.add_channels() =
      Channel(v1::CHANNEL_TYPE_FEISHU, kFeishuUrl,
              absl::StrCat("file:", notifier_.dir().Join("no-such-secret")));
  ASSERT_OK(Create(recipient));
  grpc::ClientContext context;
  v1::SendTestNotificationRequest request;
  request.set_recipient("recipients/hook");
  v1::SendTestNotificationResponse response;
  ASSERT_OK(stub_->SendTestNotification(&context, request, &response));
  ASSERT_EQ(response.deliveries_size(), 2);
  for (const v1::Delivery& delivery : response.deliveries()) {
    EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DEAD_LETTERED);
    ASSERT_EQ(delivery.attempts_size(), 1);
  }
  EXPECT_THAT(response.deliveries(0).attempts(0).provider_answer(),
              HasSubstr("env:PREFLIGHT_TEST_MISSING_SECRET: environment variable "
                        "PREFLIGHT_TEST_MISSING_SECRET is not set"));
  EXPECT_THAT(response.deliveries(1).attempts(0).provider_answer(),
              HasSubstr("cannot read the file"));
  EXPECT_TRUE(echo_[ChannelType::kWebhook]->targets().empty());
  EXPECT_TRUE(echo_[ChannelType::kFeishu]->targets().empty());
}

TEST_F(NotifierSecurityTest, SecretFromAFileSignsTheDelivery) {
  const std::string path = notifier_.dir().Join("hook-secret");
  std::ofstream(path) << "file-signing-secret\n";
  v1::Recipient recipient;
  recipient.set_name("recipients/hook");
  *recipient.add_channels() =
      Channel(v1::CHANNEL_TYPE_WEBHOOK, "https://hooks.example.com/x", absl::StrCat("file:", path));
  ASSERT_OK(Create(recipient));
  grpc::ClientContext context;
  v1::SendTestNotificationRequest request;
  request.set_recipient("recipients/hook");
  v1::SendTestNotificationResponse response;
  ASSERT_OK(stub_->SendTestNotification(&context, request, &response));
  EXPECT_THAT(echo_[ChannelType::kWebhook]->secrets(),
              ::testing::ElementsAre("file-signing-secret"));
  EXPECT_THAT(response.DebugString(), Not(HasSubstr("file-signing-secret")));
}

TEST_F(NotifierSecurityTest, LiteralSecretIsRefusedAndNotEchoed) {
  v1::Recipient recipient = Bots();
  recipient.mutable_channels(1)->set_secret_ref("SEC0123456789literal");
  grpc::ClientContext context;
  v1::CreateRecipientRequest request;
  *request.mutable_recipient() = recipient;
  v1::Recipient out;
  const grpc::Status status = stub_->CreateRecipient(&context, request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("recipient.channels[1].secret_ref"));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("SEC0123456789literal")));
}

// ---- URL restriction
// --------------------------------------------------------------------------------

TEST_F(NotifierSecurityTest, WebhookUrlsMustBeHttpsOrLoopback) {
  v1::Recipient recipient;
  recipient.set_name("recipients/hook");
  *recipient.add_channels() = Channel(v1::CHANNEL_TYPE_WEBHOOK, "http://hooks.example.com/x");
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.channels[0].target");
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "use https");
  recipient.mutable_channels(0)->set_target("https://169.254.169.254/latest/meta-data");
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "private");
  recipient.mutable_channels(0)->set_target("https://bot:pw@hooks.example.com/x");
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "user:password@");
  recipient.mutable_channels(0)->set_target("ftp://hooks.example.com/x");
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "scheme 'ftp'");
  recipient.mutable_channels(0)->set_target("http://127.0.0.1:8080/hook");
  ASSERT_OK(Create(recipient));
}

TEST_F(NotifierSecurityTest, AllowListPermitsNamedInternalHosts) {
  Start({"hooks.corp", "10.0.0.9"});
  v1::Recipient recipient;
  recipient.set_name("recipients/hook");
  *recipient.add_channels() = Channel(v1::CHANNEL_TYPE_WEBHOOK, "http://hooks.corp/x");
  *recipient.add_channels() = Channel(v1::CHANNEL_TYPE_WEBHOOK, "https://10.0.0.9/x");
  ASSERT_OK(Create(recipient));
  recipient.set_name("recipients/other");
  recipient.mutable_channels(1)->set_target("https://10.0.0.10/x");
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.channels[1].target");
}

// ---- Request limits
// ---------------------------------------------------------------------------------

TEST_F(NotifierSecurityTest, RecipientFieldLimits) {
  v1::Recipient recipient;
  recipient.set_name("recipients/many");
  recipient.set_display_name(std::string(limits::kMaxDisplayNameLength + 1, 'x'));
  *recipient.add_channels() = Channel(v1::CHANNEL_TYPE_INBOX, "");
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.display_name: too long (201");

  recipient.set_display_name("ok");
  recipient.set_tenant(std::string(api::kMaxTenantLength + 1, 'a'));
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT,
                "recipient.tenant: too long (64 bytes, at most 63)");
  recipient.set_tenant("Acme Corp");
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.tenant");
  recipient.set_tenant("acme");

  for (size_t i = 0; i < limits::kMaxChannelsPerRecipient; ++i) {
    *recipient.add_channels() = Channel(v1::CHANNEL_TYPE_LOG, "");
  }
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.channels: at most 16 channels");
  recipient.clear_channels();
  *recipient.add_channels() = Channel(v1::CHANNEL_TYPE_INBOX, "");

  for (size_t i = 0; i <= limits::kMaxSubscriptions; ++i) {
    recipient.add_subscriptions(absl::StrCat("tenants/t", i));
  }
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.subscriptions: at most 64");
  recipient.clear_subscriptions();
  recipient.add_subscriptions(absl::StrCat("launches/", std::string(65, 'l')));
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.subscriptions[0]: too long");
  recipient.clear_subscriptions();

  *recipient.add_channels() = Channel(
      v1::CHANNEL_TYPE_WEBHOOK, absl::StrCat("https://hooks.example.com/", std::string(2048, 'p')));
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "at most 2048");
  recipient.mutable_channels(1)->set_type(v1::CHANNEL_TYPE_EMAIL);
  recipient.mutable_channels(1)->set_target(absl::StrCat(std::string(250, 'a'), "@example.com"));
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.channels[1].target: too long");
  recipient.mutable_channels(1)->set_target("a@example.com");
  recipient.mutable_channels(1)->set_secret_ref(absl::StrCat("file:/", std::string(1100, 's')));
  EXPECT_STATUS(Create(recipient), INVALID_ARGUMENT, "recipient.channels[1].secret_ref: too long");
  recipient.mutable_channels(1)->set_secret_ref("");
  ASSERT_OK(Create(recipient));
}

TEST_F(NotifierSecurityTest, ListFiltersAndPageTokensAreBounded) {
  const std::string long_tenant(api::kMaxTenantLength + 1, 't');
  const std::string long_token(api::kMaxPageTokenLength + 1, 'p');
  {
    grpc::ClientContext context;
    v1::ListDeliveriesRequest request;
    request.set_tenant(long_tenant);
    v1::ListDeliveriesResponse response;
    EXPECT_STATUS(stub_->ListDeliveries(&context, request, &response), INVALID_ARGUMENT,
                  "tenant: too long (64 bytes, at most 63)");
  }
  {
    grpc::ClientContext context;
    v1::ListRemindersRequest request;
    request.set_page_token(long_token);
    v1::ListRemindersResponse response;
    EXPECT_STATUS(stub_->ListReminders(&context, request, &response), INVALID_ARGUMENT,
                  "page_token: too long (1025 bytes, at most 1024)");
  }
  {
    grpc::ClientContext context;
    v1::ListRecipientsRequest request;
    request.set_tenant(long_tenant);
    v1::ListRecipientsResponse response;
    EXPECT_STATUS(stub_->ListRecipients(&context, request, &response), INVALID_ARGUMENT,
                  "tenant: too long");
  }
  {
    grpc::ClientContext context;
    v1::ListInboxMessagesRequest request;
    request.set_recipient("recipients/ops");
    request.set_page_token(long_token);
    v1::ListInboxMessagesResponse response;
    EXPECT_STATUS(stub_->ListInboxMessages(&context, request, &response), INVALID_ARGUMENT,
                  "page_token: too long");
  }
  {
    grpc::ClientContext context;
    v1::ListDeliveriesRequest request;
    request.set_page_size(limits::kMaxDeliveryPageSize + 1);
    v1::ListDeliveriesResponse response;
    EXPECT_STATUS(stub_->ListDeliveries(&context, request, &response), INVALID_ARGUMENT,
                  "page_size: must be between 0 and 500");
  }
}

}  // namespace
}  // namespace preflight::notifier
