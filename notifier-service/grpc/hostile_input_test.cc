// Hostile input through the notifier's real gRPC surface (issue 9): huge bad values answer with
// a short message that still names the field, control characters are refused in every string
// field, and tenant filters follow the tenant-id grammar.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/testing/notifier_server_testing.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::HasSubstr;
using testing::Huge;

class NotifierHostileInputTest : public testing::NotifierServerTest {
 protected:
  static v1::Recipient Inbox(const std::string& name) {
    v1::Recipient recipient;
    recipient.set_name(name);
    recipient.add_channels()->set_type(v1::CHANNEL_TYPE_INBOX);
    return recipient;
  }

  grpc::Status CreateWith(const std::function<void(v1::Recipient&)>& set) {
    v1::CreateRecipientRequest request;
    *request.mutable_recipient() = Inbox("recipients/li.na");
    set(*request.mutable_recipient());
    v1::Recipient out;
    return stub_->CreateRecipient(As().get(), request, &out);
  }

  grpc::Status UpdateWith(const std::function<void(v1::UpdateRecipientRequest&)>& set) {
    v1::UpdateRecipientRequest request;
    request.mutable_recipient()->set_name("recipients/ops");
    request.mutable_recipient()->set_display_name("Ops");
    request.mutable_update_mask()->add_paths("display_name");
    set(request);
    v1::Recipient out;
    return stub_->UpdateRecipient(As().get(), request, &out);
  }

  grpc::Status RemindersWith(const std::function<void(v1::ListRemindersRequest&)>& set) {
    v1::ListRemindersRequest request;
    set(request);
    v1::ListRemindersResponse out;
    return stub_->ListReminders(As().get(), request, &out);
  }

  grpc::Status DeliveriesWith(const std::function<void(v1::ListDeliveriesRequest&)>& set) {
    v1::ListDeliveriesRequest request;
    set(request);
    v1::ListDeliveriesResponse out;
    return stub_->ListDeliveries(As().get(), request, &out);
  }

  grpc::Status RecipientsWith(const std::function<void(v1::ListRecipientsRequest&)>& set) {
    v1::ListRecipientsRequest request;
    set(request);
    v1::ListRecipientsResponse out;
    return stub_->ListRecipients(As().get(), request, &out);
  }

  void SetUp() override {
    NotifierServerTest::SetUp();
    v1::CreateRecipientRequest request;
    *request.mutable_recipient() = Inbox("recipients/ops");
    v1::Recipient out;
    const grpc::Status created = stub_->CreateRecipient(As().get(), request, &out);
    ASSERT_TRUE(created.ok()) << created.error_message();
  }
};

// ---- 1. Huge bad values: short messages that name the field
// --------------------------------------

TEST_F(NotifierHostileInputTest, RecipientWritesAnswerHugeValuesShortly) {
  const std::string huge = Huge();
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.set_name(absl::StrCat("recipients/", huge)); }),
                       INVALID_ARGUMENT, "recipient.name");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.set_name(huge); }), INVALID_ARGUMENT,
                       "recipient.name");
  EXPECT_SHORT_REFUSAL(
      CreateWith([&](auto& r) { r.set_name(absl::StrCat("tenants/", huge, "/recipients/x")); }),
      INVALID_ARGUMENT, "recipient.name");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.set_tenant(huge); }), INVALID_ARGUMENT,
                       "recipient.tenant");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.set_display_name(huge); }), INVALID_ARGUMENT,
                       "recipient.display_name");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.set_language(huge); }), INVALID_ARGUMENT,
                       "recipient.language");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.add_subscriptions(huge); }), INVALID_ARGUMENT,
                       "recipient.subscriptions[0]");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) {
                         r.clear_channels();
                         v1::RecipientChannel* channel = r.add_channels();
                         channel->set_type(v1::CHANNEL_TYPE_EMAIL);
                         channel->set_target(huge);
                       }),
                       INVALID_ARGUMENT, "recipient.channels[0].target");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) {
                         r.clear_channels();
                         v1::RecipientChannel* channel = r.add_channels();
                         channel->set_type(v1::CHANNEL_TYPE_WEBHOOK);
                         channel->set_target(absl::StrCat("https://hooks.example.com/", huge));
                       }),
                       INVALID_ARGUMENT, "recipient.channels[0].target");
  EXPECT_SHORT_REFUSAL(CreateWith([&](auto& r) { r.mutable_channels(0)->set_secret_ref(huge); }),
                       INVALID_ARGUMENT, "recipient.channels[0].secret_ref");

  EXPECT_SHORT_REFUSAL(UpdateWith([&](auto& r) {
                         r.mutable_recipient()->set_name(absl::StrCat("recipients/", huge));
                       }),
                       INVALID_ARGUMENT, "recipient.name");
  EXPECT_SHORT_REFUSAL(UpdateWith([&](auto& r) { r.mutable_update_mask()->add_paths(huge); }),
                       INVALID_ARGUMENT, "update_mask.paths[1]");
  EXPECT_SHORT_REFUSAL(UpdateWith([&](auto& r) { r.set_etag(huge); }), ABORTED, "etag");
  {
    v1::DeleteRecipientRequest request;
    request.set_name("recipients/ops");
    request.set_etag(huge);
    v1::DeleteRecipientResponse out;
    EXPECT_SHORT_REFUSAL(stub_->DeleteRecipient(As().get(), request, &out), ABORTED, "etag");
  }
}

TEST_F(NotifierHostileInputTest, NamedResourceRpcsAnswerHugeNamesShortly) {
  const std::string huge_recipient = absl::StrCat("recipients/", Huge('a'));
  const std::string huge_item = absl::StrCat("launches/shop/items/", Huge('A'));
  {
    v1::GetRecipientRequest request;
    request.set_name(huge_recipient);
    v1::Recipient out;
    EXPECT_SHORT_REFUSAL(stub_->GetRecipient(As().get(), request, &out), INVALID_ARGUMENT, "name");
  }
  {
    v1::DeleteRecipientRequest request;
    request.set_name(huge_recipient);
    v1::DeleteRecipientResponse out;
    EXPECT_SHORT_REFUSAL(stub_->DeleteRecipient(As().get(), request, &out), INVALID_ARGUMENT,
                         "name");
  }
  {
    v1::SendTestNotificationRequest request;
    request.set_recipient(huge_recipient);
    v1::SendTestNotificationResponse out;
    EXPECT_SHORT_REFUSAL(stub_->SendTestNotification(As().get(), request, &out), INVALID_ARGUMENT,
                         "recipient");
  }
  {
    v1::ListInboxMessagesRequest request;
    request.set_recipient(huge_recipient);
    v1::ListInboxMessagesResponse out;
    EXPECT_SHORT_REFUSAL(stub_->ListInboxMessages(As().get(), request, &out), INVALID_ARGUMENT,
                         "recipient");
  }
  {
    v1::ListInboxMessagesRequest request;
    request.set_recipient("recipients/ops");
    request.set_page_token(Huge());
    v1::ListInboxMessagesResponse out;
    EXPECT_SHORT_REFUSAL(stub_->ListInboxMessages(As().get(), request, &out), INVALID_ARGUMENT,
                         "page_token");
  }
  {
    v1::SnoozeReminderRequest request;
    request.set_item(huge_item);
    request.mutable_snooze_for()->set_seconds(3600);
    v1::ItemReminderState out;
    EXPECT_SHORT_REFUSAL(stub_->SnoozeReminder(As().get(), request, &out), INVALID_ARGUMENT,
                         "item");
  }
  {
    v1::AcknowledgeReminderRequest request;
    request.set_item(huge_item);
    v1::ItemReminderState out;
    EXPECT_SHORT_REFUSAL(stub_->AcknowledgeReminder(As().get(), request, &out), INVALID_ARGUMENT,
                         "item");
  }
}

TEST_F(NotifierHostileInputTest, ListFiltersAnswerHugeValuesShortly) {
  const std::string huge = Huge();
  EXPECT_SHORT_REFUSAL(RemindersWith([&](auto& r) { r.set_tenant(huge); }), INVALID_ARGUMENT,
                       "tenant");
  EXPECT_SHORT_REFUSAL(
      RemindersWith([&](auto& r) { r.set_launch(absl::StrCat("launches/", huge)); }),
      INVALID_ARGUMENT, "launch");
  EXPECT_SHORT_REFUSAL(
      RemindersWith([&](auto& r) { r.set_recipient(absl::StrCat("recipients/", huge)); }),
      INVALID_ARGUMENT, "recipient");
  EXPECT_SHORT_REFUSAL(RemindersWith([&](auto& r) { r.set_page_token(huge); }), INVALID_ARGUMENT,
                       "page_token");
  EXPECT_SHORT_REFUSAL(DeliveriesWith([&](auto& r) { r.set_tenant(huge); }), INVALID_ARGUMENT,
                       "tenant");
  EXPECT_SHORT_REFUSAL(
      DeliveriesWith([&](auto& r) { r.set_launch(absl::StrCat("launches/", huge)); }),
      INVALID_ARGUMENT, "launch");
  EXPECT_SHORT_REFUSAL(DeliveriesWith([&](auto& r) { r.set_item(huge); }), INVALID_ARGUMENT,
                       "item");
  EXPECT_SHORT_REFUSAL(DeliveriesWith([&](auto& r) { r.set_recipient(huge); }), INVALID_ARGUMENT,
                       "recipient");
  EXPECT_SHORT_REFUSAL(RecipientsWith([&](auto& r) { r.set_tenant(huge); }), INVALID_ARGUMENT,
                       "tenant");
  EXPECT_SHORT_REFUSAL(RecipientsWith([&](auto& r) { r.set_page_token(huge); }), INVALID_ARGUMENT,
                       "page_token");
}

// ---- 2. No control characters or broken UTF-8 in any string field
// --------------------------------

TEST_F(NotifierHostileInputTest, ControlCharactersAreRefusedInEveryStringField) {
  EXPECT_STATUS(CreateWith([](auto& r) { r.set_display_name(std::string("Li\0Na", 5)); }),
                INVALID_ARGUMENT, "recipient.display_name");
  EXPECT_STATUS(CreateWith([](auto& r) { r.set_display_name("Li\x7fNa"); }), INVALID_ARGUMENT,
                "recipient.display_name");
  EXPECT_STATUS(CreateWith([](auto& r) { r.set_display_name("Li Na\n"); }), INVALID_ARGUMENT,
                "recipient.display_name");
  EXPECT_STATUS(CreateWith([](auto& r) { r.mutable_channels(0)->set_secret_ref("env:A\tB"); }),
                INVALID_ARGUMENT, "recipient.channels[0].secret_ref");
  EXPECT_STATUS(CreateWith([](auto& r) { r.add_subscriptions("tenants/acme\n"); }),
                INVALID_ARGUMENT, "recipient.subscriptions[0]");
  EXPECT_STATUS(UpdateWith([](auto& r) { r.mutable_update_mask()->add_paths("digest\x01"); }),
                INVALID_ARGUMENT, "update_mask.paths[1]");
  EXPECT_STATUS(RemindersWith([](auto& r) { r.set_tenant(std::string("ac\0me", 5)); }),
                INVALID_ARGUMENT, "tenant");
  EXPECT_STATUS(DeliveriesWith([](auto& r) { r.set_page_token("AAAA\x1b"); }), INVALID_ARGUMENT,
                "page_token");
  {
    v1::ListInboxMessagesRequest request;
    request.set_recipient("recipients/ops\x7f");
    v1::ListInboxMessagesResponse out;
    EXPECT_STATUS(stub_->ListInboxMessages(As().get(), request, &out), INVALID_ARGUMENT,
                  "recipient");
  }
  EXPECT_OK(CreateWith([](auto& r) { r.set_display_name("李娜 Li Na"); }));
}

// ---- 5. Tenant filters follow the tenant-id grammar ---------------------------------------------

TEST_F(NotifierHostileInputTest, TenantFiltersFollowTheTenantGrammar) {
  for (const std::string& tenant :
       std::vector<std::string>{"BAD TENANT", "acme'", "\"acme\"", "-acme", "ac/me", "Acme"}) {
    SCOPED_TRACE(tenant);
    EXPECT_STATUS(RemindersWith([&](auto& r) { r.set_tenant(tenant); }), INVALID_ARGUMENT,
                  "tenant");
    EXPECT_STATUS(DeliveriesWith([&](auto& r) { r.set_tenant(tenant); }), INVALID_ARGUMENT,
                  "tenant");
    EXPECT_STATUS(RecipientsWith([&](auto& r) { r.set_tenant(tenant); }), INVALID_ARGUMENT,
                  "tenant");
    EXPECT_STATUS(
        CreateWith([&](auto& r) { r.add_subscriptions(absl::StrCat("tenants/", tenant)); }),
        INVALID_ARGUMENT, "recipient.subscriptions[0]");
  }
  EXPECT_OK(RemindersWith([](auto& r) { r.set_tenant("acme"); }));
  EXPECT_OK(DeliveriesWith([](auto& r) { r.set_tenant("a-b_c.d9"); }));
  EXPECT_OK(RecipientsWith([](auto& r) { r.set_tenant("acme"); }));
}

}  // namespace
}  // namespace preflight::notifier
