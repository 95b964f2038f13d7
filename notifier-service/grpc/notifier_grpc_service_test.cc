// In-process gRPC tests: the real NotifierGrpcService over a real NotifierEngine, SQLite store,
// default reminder policy, calendar and log channel, served on a loopback port and called through
// a real stub. Time comes from a FakeClock; sends happen inline (send_threads 0).

#include "notifier-service/grpc/notifier_grpc_service.h"

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/api/etag.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/grpc/notifier_proto_mapping.h"
#include "notifier-service/testing/notifier_engine_testing.h"
#include "notifier-service/testing/notifier_server_testing.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

absl::Time Utc(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

int64_t Seconds(absl::Time t) { return absl::ToUnixSeconds(t); }

// Monday 2 March 2026, 08:00 in Shanghai: before the 09:30 send time, after no holiday.
const absl::Time kStart = Utc(2026, 3, 2, 0, 0);

class NotifierGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    notifier_.AddLogChannel();
    ASSERT_OK(notifier_.Open());
    engine_ = notifier_.engine();
    testing::NotifierTestServer::Options options;
    options.subscription_status = [this] {
      absl::MutexLock lock(&status_mu_);
      return subscription_status_;
    };
    ASSERT_OK(server_.Start(engine_, options));
    stub_ = server_.NewStub();
  }

  void TearDown() override { server_.Shutdown(); }

  // ---- Calls ----------------------------------------------------------------------------------

  grpc::Status CreateRecipient(const v1::Recipient& recipient, v1::Recipient* out) {
    grpc::ClientContext context;
    v1::CreateRecipientRequest request;
    *request.mutable_recipient() = recipient;
    return stub_->CreateRecipient(&context, request, out);
  }
  grpc::Status GetRecipient(const std::string& name, v1::Recipient* out) {
    grpc::ClientContext context;
    v1::GetRecipientRequest request;
    request.set_name(name);
    return stub_->GetRecipient(&context, request, out);
  }
  grpc::Status UpdateRecipient(const v1::UpdateRecipientRequest& request, v1::Recipient* out) {
    grpc::ClientContext context;
    return stub_->UpdateRecipient(&context, request, out);
  }
  grpc::Status DeleteRecipient(const std::string& name, const std::string& etag) {
    grpc::ClientContext context;
    v1::DeleteRecipientRequest request;
    request.set_name(name);
    request.set_etag(etag);
    v1::DeleteRecipientResponse response;
    return stub_->DeleteRecipient(&context, request, &response);
  }
  grpc::Status ListRecipients(const v1::ListRecipientsRequest& request,
                              v1::ListRecipientsResponse* out) {
    grpc::ClientContext context;
    return stub_->ListRecipients(&context, request, out);
  }
  grpc::Status ListReminders(const v1::ListRemindersRequest& request,
                             v1::ListRemindersResponse* out) {
    grpc::ClientContext context;
    return stub_->ListReminders(&context, request, out);
  }
  grpc::Status ListDeliveries(const v1::ListDeliveriesRequest& request,
                              v1::ListDeliveriesResponse* out) {
    grpc::ClientContext context;
    return stub_->ListDeliveries(&context, request, out);
  }
  grpc::Status ListInbox(const v1::ListInboxMessagesRequest& request,
                         v1::ListInboxMessagesResponse* out) {
    grpc::ClientContext context;
    return stub_->ListInboxMessages(&context, request, out);
  }
  grpc::Status SendTest(const std::string& recipient, v1::ChannelType channel,
                        v1::SendTestNotificationResponse* out) {
    grpc::ClientContext context;
    v1::SendTestNotificationRequest request;
    request.set_recipient(recipient);
    request.set_channel(channel);
    return stub_->SendTestNotification(&context, request, out);
  }
  grpc::Status Snooze(const v1::SnoozeReminderRequest& request, v1::ItemReminderState* out) {
    grpc::ClientContext context;
    return stub_->SnoozeReminder(&context, request, out);
  }
  grpc::Status Acknowledge(const std::string& item, v1::ItemReminderState* out) {
    grpc::ClientContext context;
    v1::AcknowledgeReminderRequest request;
    request.set_item(item);
    return stub_->AcknowledgeReminder(&context, request, out);
  }

  // ---- Fixtures -------------------------------------------------------------------------------

  static v1::Recipient MakeRecipient(const std::string& id, std::vector<v1::ChannelType> types) {
    v1::Recipient recipient;
    recipient.set_name(absl::StrCat("recipients/", id));
    recipient.set_display_name(id);
    for (v1::ChannelType type : types) recipient.add_channels()->set_type(type);
    return recipient;
  }

  v1::Recipient Create(const v1::Recipient& recipient) {
    v1::Recipient out;
    const grpc::Status status = CreateRecipient(recipient, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  // Launch "shop" of tenant acme (owner wang.wei), and its item ICP_FILING assigned to li.na:
  // latest start Thursday 5 March, due Thursday 12 March 2026.
  void FeedShopEvents() {
    ASSERT_OK(notifier_.Apply(
        testing::LaunchEvent(1, testing::SpringLaunch("shop", "acme", "Acme Shop", clock_.Now()))));
    ASSERT_OK(notifier_.Apply(
        testing::ItemEvent(2, "shop", testing::SpringItem("acme", "li.na", clock_.Now()))));
  }

  // li.na on log + inbox, and "ops" subscribed to the tenant on log with a morning digest.
  void CreateShopRecipients() {
    Create(MakeRecipient("li.na", {v1::CHANNEL_TYPE_LOG, v1::CHANNEL_TYPE_INBOX}));
    v1::Recipient ops = MakeRecipient("ops", {v1::CHANNEL_TYPE_LOG});
    ops.set_digest(true);
    ops.add_subscriptions("tenants/acme");
    Create(ops);
  }

  // "<rung> @<send time, unix seconds>" for each reminder.
  static std::vector<std::string> RungsAndTimes(const v1::ListRemindersResponse& response) {
    std::vector<std::string> out;
    for (const v1::Reminder& reminder : response.reminders()) {
      out.push_back(absl::StrCat(reminder.rung(), " @", reminder.send_time().seconds()));
    }
    return out;
  }

  static std::vector<std::string> Routes(const v1::Reminder& reminder) {
    std::vector<std::string> out;
    for (const v1::Reminder::Route& route : reminder.routes()) {
      out.push_back(absl::StrCat(route.recipient(), " ", v1::ChannelType_Name(route.channel()), " ",
                                 route.reason(), route.digest() ? " digest" : ""));
    }
    return out;
  }

  FakeClock clock_{kStart};
  testing::NotifierTestbed notifier_{&clock_};
  NotifierEngine* engine_ = nullptr;
  absl::Mutex status_mu_;
  v1::SubscriptionStatus subscription_status_ ABSL_GUARDED_BY(status_mu_);
  testing::NotifierTestServer server_;
  std::unique_ptr<v1::NotifierService::Stub> stub_;
};

// ---- Recipients ---------------------------------------------------------------------------------

TEST_F(NotifierGrpcServiceTest, CreatesAndGetsRecipients) {
  // A tenant's recipient may follow only its tenant's launches, so the notifier must know shop.
  FeedShopEvents();
  v1::Recipient recipient = MakeRecipient("li.na", {v1::CHANNEL_TYPE_INBOX});
  recipient.set_tenant("acme");
  recipient.set_language("zh");
  v1::RecipientChannel* hook = recipient.add_channels();
  hook->set_type(v1::CHANNEL_TYPE_WEBHOOK);
  hook->set_target("https://hooks.example.com/preflight");
  hook->set_secret_ref("env:PREFLIGHT_HOOK_SECRET");
  recipient.add_subscriptions("launches/shop");
  recipient.set_etag("ignored");

  v1::Recipient created;
  ASSERT_OK(CreateRecipient(recipient, &created));
  // recipients/{id} with a tenant is that tenant's recipient, named as such.
  EXPECT_EQ(created.name(), "tenants/acme/recipients/li.na");
  EXPECT_EQ(created.tenant(), "acme");
  EXPECT_EQ(created.language(), "zh");
  ASSERT_EQ(created.channels_size(), 2);
  EXPECT_EQ(created.channels(1).target(), "https://hooks.example.com/preflight");
  // A reference, returned as given: never the secret behind it.
  EXPECT_EQ(created.channels(1).secret_ref(), "env:PREFLIGHT_HOOK_SECRET");
  EXPECT_EQ(created.create_time().seconds(), Seconds(kStart));
  EXPECT_EQ(created.etag(), api::MakeEtag("tenants/acme/recipients/li.na", 1));

  v1::Recipient got;
  ASSERT_OK(GetRecipient("tenants/acme/recipients/li.na", &got));
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());
  // The tenant-less li.na is another recipient.
  EXPECT_STATUS(GetRecipient("recipients/li.na", &got), NOT_FOUND, "recipients/li.na");

  v1::Recipient again;
  EXPECT_STATUS(CreateRecipient(recipient, &again), ALREADY_EXISTS, "");
  EXPECT_STATUS(GetRecipient("recipients/nobody", &got), NOT_FOUND, "recipients/nobody");
}

TEST_F(NotifierGrpcServiceTest, CreateRecipientRefusesBadRecipients) {
  v1::Recipient out;
  v1::Recipient no_channels = MakeRecipient("li.na", {});
  EXPECT_STATUS(CreateRecipient(no_channels, &out), INVALID_ARGUMENT, "recipient.channels");
  v1::Recipient unspecified = MakeRecipient("li.na", {v1::CHANNEL_TYPE_UNSPECIFIED});
  EXPECT_STATUS(CreateRecipient(unspecified, &out), INVALID_ARGUMENT,
                "recipient.channels[0].type: required");
  v1::Recipient bad_name = MakeRecipient("li.na", {v1::CHANNEL_TYPE_LOG});
  bad_name.set_name("people/li.na");
  EXPECT_STATUS(CreateRecipient(bad_name, &out), INVALID_ARGUMENT, "recipient.name");
  v1::Recipient webhook = MakeRecipient("li.na", {v1::CHANNEL_TYPE_WEBHOOK});
  EXPECT_STATUS(CreateRecipient(webhook, &out), INVALID_ARGUMENT, "recipient.channels[0].target");
  v1::Recipient language = MakeRecipient("li.na", {v1::CHANNEL_TYPE_LOG});
  language.set_language("fr");
  EXPECT_STATUS(CreateRecipient(language, &out), INVALID_ARGUMENT, "recipient.language");
}

TEST_F(NotifierGrpcServiceTest, UpdatesRecipientsWithEtags) {
  const v1::Recipient created = Create(MakeRecipient("li.na", {v1::CHANNEL_TYPE_LOG}));
  clock_.AdvanceTime(absl::Minutes(5));

  v1::UpdateRecipientRequest request;
  request.mutable_recipient()->set_name("recipients/li.na");
  request.mutable_recipient()->set_display_name("Li Na 李娜");
  request.mutable_recipient()->set_digest(true);
  request.mutable_update_mask()->add_paths("display_name");
  request.set_etag(created.etag());
  v1::Recipient updated;
  ASSERT_OK(UpdateRecipient(request, &updated));
  EXPECT_EQ(updated.display_name(), "Li Na 李娜");
  // Not in the mask: unchanged.
  EXPECT_FALSE(updated.digest());
  ASSERT_EQ(updated.channels_size(), 1);
  EXPECT_EQ(updated.etag(), api::MakeEtag("recipients/li.na", 2));
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(updated.create_time().seconds(), Seconds(kStart));
  EXPECT_EQ(updated.update_time().seconds(), Seconds(kStart + absl::Minutes(5)));

  // The old etag is stale now.
  v1::Recipient out;
  request.mutable_update_mask()->add_paths("digest");
  EXPECT_STATUS(UpdateRecipient(request, &out), ABORTED, "etag");
  // Without an etag the update goes through.
  request.clear_etag();
  ASSERT_OK(UpdateRecipient(request, &out));
  EXPECT_TRUE(out.digest());
  EXPECT_EQ(out.etag(), api::MakeEtag("recipients/li.na", 3));

  // Channels and subscriptions replace the lists.
  v1::UpdateRecipientRequest channels;
  channels.mutable_recipient()->set_name("recipients/li.na");
  v1::RecipientChannel* email = channels.mutable_recipient()->add_channels();
  email->set_type(v1::CHANNEL_TYPE_EMAIL);
  email->set_target("li.na@acme.cn");
  channels.mutable_recipient()->add_subscriptions("tenants/acme");
  channels.mutable_update_mask()->add_paths("channels");
  channels.mutable_update_mask()->add_paths("subscriptions");
  ASSERT_OK(UpdateRecipient(channels, &out));
  ASSERT_EQ(out.channels_size(), 1);
  EXPECT_EQ(out.channels(0).type(), v1::CHANNEL_TYPE_EMAIL);
  EXPECT_THAT(out.subscriptions(), ElementsAre("tenants/acme"));

  v1::Recipient got;
  ASSERT_OK(GetRecipient("recipients/li.na", &got));
  EXPECT_EQ(got.SerializeAsString(), out.SerializeAsString());
}

TEST_F(NotifierGrpcServiceTest, UpdateRecipientRefusesBadRequests) {
  Create(MakeRecipient("li.na", {v1::CHANNEL_TYPE_LOG}));
  v1::Recipient out;
  v1::UpdateRecipientRequest request;
  EXPECT_STATUS(UpdateRecipient(request, &out), INVALID_ARGUMENT, "recipient: required");
  request.mutable_recipient();
  EXPECT_STATUS(UpdateRecipient(request, &out), INVALID_ARGUMENT, "recipient.name: required");
  request.mutable_recipient()->set_name("recipients/li.na");
  EXPECT_STATUS(UpdateRecipient(request, &out), INVALID_ARGUMENT, "update_mask: required");
  request.mutable_update_mask()->add_paths("tenant");
  EXPECT_STATUS(UpdateRecipient(request, &out), INVALID_ARGUMENT, "update_mask.paths[0]");
  request.mutable_update_mask()->set_paths(0, "language");
  request.mutable_recipient()->set_language("klingon");
  EXPECT_STATUS(UpdateRecipient(request, &out), INVALID_ARGUMENT, "recipient.language");
  request.mutable_recipient()->set_language("en");
  request.set_etag("1-000000000000");
  EXPECT_STATUS(UpdateRecipient(request, &out), ABORTED, "etag");
  request.clear_etag();
  request.mutable_recipient()->set_name("recipients/nobody");
  EXPECT_STATUS(UpdateRecipient(request, &out), NOT_FOUND, "recipients/nobody");
}

TEST_F(NotifierGrpcServiceTest, DeletesRecipientsWithOptionalEtag) {
  const v1::Recipient li = Create(MakeRecipient("li.na", {v1::CHANNEL_TYPE_LOG}));
  Create(MakeRecipient("wang", {v1::CHANNEL_TYPE_LOG}));

  // An etag of another recipient, or of an older version, does not delete.
  EXPECT_STATUS(DeleteRecipient("recipients/li.na", api::MakeEtag("recipients/wang", 1)), ABORTED,
                "etag");
  v1::UpdateRecipientRequest update;
  update.mutable_recipient()->set_name("recipients/li.na");
  update.mutable_update_mask()->add_paths("digest");
  v1::Recipient updated;
  ASSERT_OK(UpdateRecipient(update, &updated));
  EXPECT_STATUS(DeleteRecipient("recipients/li.na", li.etag()), ABORTED, "");

  ASSERT_OK(DeleteRecipient("recipients/li.na", updated.etag()));
  v1::Recipient got;
  EXPECT_STATUS(GetRecipient("recipients/li.na", &got), NOT_FOUND, "");
  EXPECT_STATUS(DeleteRecipient("recipients/li.na", ""), NOT_FOUND, "");
  ASSERT_OK(DeleteRecipient("recipients/wang", ""));
  EXPECT_STATUS(DeleteRecipient("wang", ""), INVALID_ARGUMENT, "name:");
}

TEST_F(NotifierGrpcServiceTest, PagesThroughRecipients) {
  for (const char* id : {"e", "a", "d", "c", "b"})
    Create(MakeRecipient(id, {v1::CHANNEL_TYPE_LOG}));
  v1::ListRecipientsRequest request;
  request.set_page_size(2);
  std::vector<std::string> names;
  std::vector<int> page_sizes;
  for (int page = 0; page < 5; ++page) {
    v1::ListRecipientsResponse response;
    ASSERT_OK(ListRecipients(request, &response));
    page_sizes.push_back(response.recipients_size());
    for (const v1::Recipient& r : response.recipients()) names.push_back(r.name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(2, 2, 1));
  EXPECT_THAT(names, ElementsAre("recipients/a", "recipients/b", "recipients/c", "recipients/d",
                                 "recipients/e"));

  // A token only resumes the listing it came from.
  v1::ListRecipientsRequest first;
  first.set_page_size(2);
  v1::ListRecipientsResponse response;
  ASSERT_OK(ListRecipients(first, &response));
  ASSERT_FALSE(response.next_page_token().empty());
  v1::ListRecipientsRequest other = first;
  other.set_tenant("acme");
  other.set_page_token(response.next_page_token());
  EXPECT_STATUS(ListRecipients(other, &response), INVALID_ARGUMENT, "page_token");
  other.set_tenant("");
  other.set_page_token("garbage!");
  EXPECT_STATUS(ListRecipients(other, &response), INVALID_ARGUMENT, "page_token");

  v1::ListRecipientsRequest bad;
  bad.set_page_size(501);
  EXPECT_STATUS(ListRecipients(bad, &response), INVALID_ARGUMENT, "page_size");
  bad.set_page_size(-1);
  EXPECT_STATUS(ListRecipients(bad, &response), INVALID_ARGUMENT, "page_size");
  bad.set_page_size(500);
  ASSERT_OK(ListRecipients(bad, &response));
  EXPECT_EQ(response.recipients_size(), 5);
  EXPECT_EQ(response.next_page_token(), "");
}

// ---- Validation of every RPC
// ---------------------------------------------------------------------

TEST_F(NotifierGrpcServiceTest, EmptyRequestsNameTheMissingField) {
  {
    grpc::ClientContext context;
    v1::Recipient out;
    EXPECT_STATUS(stub_->CreateRecipient(&context, v1::CreateRecipientRequest(), &out),
                  INVALID_ARGUMENT, "recipient: required");
  }
  {
    grpc::ClientContext context;
    v1::Recipient out;
    EXPECT_STATUS(stub_->GetRecipient(&context, v1::GetRecipientRequest(), &out), INVALID_ARGUMENT,
                  "name: required");
  }
  {
    grpc::ClientContext context;
    v1::Recipient out;
    EXPECT_STATUS(stub_->UpdateRecipient(&context, v1::UpdateRecipientRequest(), &out),
                  INVALID_ARGUMENT, "recipient: required");
  }
  {
    grpc::ClientContext context;
    v1::DeleteRecipientResponse out;
    EXPECT_STATUS(stub_->DeleteRecipient(&context, v1::DeleteRecipientRequest(), &out),
                  INVALID_ARGUMENT, "name: required");
  }
  {
    grpc::ClientContext context;
    v1::ItemReminderState out;
    EXPECT_STATUS(stub_->SnoozeReminder(&context, v1::SnoozeReminderRequest(), &out),
                  INVALID_ARGUMENT, "item: required");
  }
  {
    grpc::ClientContext context;
    v1::ItemReminderState out;
    EXPECT_STATUS(stub_->AcknowledgeReminder(&context, v1::AcknowledgeReminderRequest(), &out),
                  INVALID_ARGUMENT, "item: required");
  }
  {
    grpc::ClientContext context;
    v1::SendTestNotificationResponse out;
    EXPECT_STATUS(stub_->SendTestNotification(&context, v1::SendTestNotificationRequest(), &out),
                  INVALID_ARGUMENT, "recipient: required");
  }
  {
    grpc::ClientContext context;
    v1::ListInboxMessagesResponse out;
    EXPECT_STATUS(stub_->ListInboxMessages(&context, v1::ListInboxMessagesRequest(), &out),
                  INVALID_ARGUMENT, "recipient: required");
  }
  // The lists whose fields are all optional answer an empty request.
  {
    grpc::ClientContext context;
    v1::ListRemindersResponse out;
    ASSERT_OK(stub_->ListReminders(&context, v1::ListRemindersRequest(), &out));
    EXPECT_EQ(out.reminders_size(), 0);
  }
  {
    grpc::ClientContext context;
    v1::ListDeliveriesResponse out;
    ASSERT_OK(stub_->ListDeliveries(&context, v1::ListDeliveriesRequest(), &out));
    EXPECT_EQ(out.deliveries_size(), 0);
  }
}

TEST_F(NotifierGrpcServiceTest, ListRemindersRefusesBadFilters) {
  v1::ListRemindersResponse out;
  v1::ListRemindersRequest request;
  request.set_days(-1);
  EXPECT_STATUS(ListReminders(request, &out), INVALID_ARGUMENT, "days:");
  request.set_days(367);
  EXPECT_STATUS(ListReminders(request, &out), INVALID_ARGUMENT, "days:");
  request.set_days(366);
  ASSERT_OK(ListReminders(request, &out));
  request.set_page_size(1001);
  EXPECT_STATUS(ListReminders(request, &out), INVALID_ARGUMENT, "page_size:");
  request.set_page_size(-5);
  EXPECT_STATUS(ListReminders(request, &out), INVALID_ARGUMENT, "page_size:");
  request.set_page_size(0);
  request.set_launch("shop");
  EXPECT_STATUS(ListReminders(request, &out), INVALID_ARGUMENT, "launch:");
  request.set_launch("");
  request.set_recipient("recipients/Li Na");
  EXPECT_STATUS(ListReminders(request, &out), INVALID_ARGUMENT, "recipient:");
  request.set_recipient("");
  request.set_page_token("not-a-token");
  EXPECT_STATUS(ListReminders(request, &out), INVALID_ARGUMENT, "page_token");
}

TEST_F(NotifierGrpcServiceTest, ListDeliveriesRefusesBadFilters) {
  v1::ListDeliveriesResponse out;
  v1::ListDeliveriesRequest request;
  request.set_page_size(501);
  EXPECT_STATUS(ListDeliveries(request, &out), INVALID_ARGUMENT, "page_size:");
  request.set_page_size(-1);
  EXPECT_STATUS(ListDeliveries(request, &out), INVALID_ARGUMENT, "page_size:");
  request.set_page_size(0);
  request.set_state(static_cast<v1::DeliveryState>(42));
  EXPECT_STATUS(ListDeliveries(request, &out), INVALID_ARGUMENT, "state:");
  request.set_state(v1::DELIVERY_STATE_UNSPECIFIED);
  request.set_channel(static_cast<v1::ChannelType>(99));
  EXPECT_STATUS(ListDeliveries(request, &out), INVALID_ARGUMENT, "channel:");
  request.set_channel(v1::CHANNEL_TYPE_UNSPECIFIED);
  request.set_item("launches/shop/ICP");
  EXPECT_STATUS(ListDeliveries(request, &out), INVALID_ARGUMENT, "item:");
  request.set_item("launches/shop/items/ICP");
  request.set_launch("launches/other");
  EXPECT_STATUS(ListDeliveries(request, &out), INVALID_ARGUMENT, "item:");
  request.set_launch("");
  request.set_recipient("li.na");
  EXPECT_STATUS(ListDeliveries(request, &out), INVALID_ARGUMENT, "recipient:");
  request.set_recipient("");
  request.set_page_token("AAAA");
  EXPECT_STATUS(ListDeliveries(request, &out), INVALID_ARGUMENT, "page_token");
}

TEST_F(NotifierGrpcServiceTest, SnoozeRefusesBadTimes) {
  FeedShopEvents();
  v1::ItemReminderState out;
  v1::SnoozeReminderRequest request;
  request.set_item("launches/shop/items/ICP_FILING");
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "snooze_until: required");
  request.mutable_snooze_for()->set_seconds(3600);
  *request.mutable_snooze_until() = ToTimestamp(kStart + absl::Hours(2));
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "not both");
  request.clear_snooze_until();
  request.mutable_snooze_for()->set_seconds(-3600);
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "snooze_for: must be positive");
  request.mutable_snooze_for()->set_seconds(0);
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "snooze_for: must be positive");
  request.mutable_snooze_for()->set_seconds(30 * 86400 + 1);
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "snooze_for: at most 30 days");
  request.mutable_snooze_for()->set_seconds(1);
  request.mutable_snooze_for()->set_nanos(-1);
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "snooze_for:");
  request.clear_snooze_for();
  *request.mutable_snooze_until() = ToTimestamp(kStart - absl::Hours(1));
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "snooze_until");
  *request.mutable_snooze_until() = ToTimestamp(kStart + absl::Hours(24 * 31));
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "snooze_until");
  request.mutable_snooze_until()->set_nanos(-3);
  EXPECT_STATUS(Snooze(request, &out), INVALID_ARGUMENT, "snooze_until:");
  // Exactly 30 days is allowed.
  request.clear_snooze_until();
  request.mutable_snooze_for()->set_seconds(30 * 86400);
  ASSERT_OK(Snooze(request, &out));
  EXPECT_EQ(out.snoozed_until().seconds(), Seconds(kStart + absl::Hours(24 * 30)));
}

TEST_F(NotifierGrpcServiceTest, SnoozeAndAcknowledgeUnknownItemsAreNotFound) {
  FeedShopEvents();
  v1::ItemReminderState out;
  EXPECT_STATUS(Acknowledge("launches/shop/items/NOPE", &out), NOT_FOUND,
                "launches/shop/items/NOPE");
  EXPECT_STATUS(Acknowledge("launches/elsewhere/items/ICP_FILING", &out), NOT_FOUND, "");
  EXPECT_STATUS(Acknowledge("launches/shop/items/icp", &out), INVALID_ARGUMENT, "item:");
  v1::SnoozeReminderRequest request;
  request.set_item("launches/shop/items/NOPE");
  request.mutable_snooze_for()->set_seconds(3600);
  EXPECT_STATUS(Snooze(request, &out), NOT_FOUND, "launches/shop/items/NOPE");
}

TEST_F(NotifierGrpcServiceTest, GetSubscriptionStatusAnswersFromTheSubscriber) {
  {
    absl::MutexLock lock(&status_mu_);
    subscription_status_.set_checklist_address("checklist:50051");
    subscription_status_.set_connected(true);
    subscription_status_.set_applied_sequence(42);
    subscription_status_.set_reconnects(3);
    subscription_status_.set_last_error("stream reset");
  }
  grpc::ClientContext context;
  v1::SubscriptionStatus status;
  ASSERT_OK(stub_->GetSubscriptionStatus(&context, v1::GetSubscriptionStatusRequest(), &status));
  EXPECT_EQ(status.checklist_address(), "checklist:50051");
  EXPECT_TRUE(status.connected());
  EXPECT_EQ(status.applied_sequence(), 42);
  EXPECT_EQ(status.reconnects(), 3);
  EXPECT_EQ(status.last_error(), "stream reset");
}

TEST(NotifierGrpcServiceStandaloneTest, GetSubscriptionStatusWithoutSubscriberIsUnavailable) {
  NotifierGrpcService service(nullptr, PageTokenCodec("k"), nullptr);
  grpc::ServerContext context;
  v1::GetSubscriptionStatusRequest request;
  v1::SubscriptionStatus response;
  EXPECT_EQ(service.GetSubscriptionStatus(&context, &request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// ---- Test notifications, the ledger and the inbox
// ------------------------------------------------

TEST_F(NotifierGrpcServiceTest, TestNotificationGoesToLogAndInbox) {
  Create(MakeRecipient("li.na", {v1::CHANNEL_TYPE_LOG, v1::CHANNEL_TYPE_INBOX}));
  v1::SendTestNotificationResponse sent;
  ASSERT_OK(SendTest("recipients/li.na", v1::CHANNEL_TYPE_UNSPECIFIED, &sent));
  ASSERT_EQ(sent.deliveries_size(), 2);
  for (const v1::Delivery& delivery : sent.deliveries()) {
    EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DELIVERED) << delivery.ShortDebugString();
    EXPECT_EQ(delivery.kind(), v1::REMINDER_KIND_TEST);
    EXPECT_EQ(delivery.recipient(), "recipients/li.na");
    EXPECT_EQ(delivery.item(), "");
    EXPECT_THAT(delivery.name(), StartsWith("deliveries/"));
    EXPECT_FALSE(delivery.subject().empty());
    ASSERT_EQ(delivery.attempts_size(), 1);
    EXPECT_EQ(delivery.attempts(0).outcome(), "delivered");
    EXPECT_EQ(delivery.attempts(0).time().seconds(), Seconds(kStart));
  }
  EXPECT_EQ(sent.deliveries(0).channel(), v1::CHANNEL_TYPE_LOG);
  EXPECT_EQ(sent.deliveries(1).channel(), v1::CHANNEL_TYPE_INBOX);
  // The log line carries the subject.
  EXPECT_THAT(notifier_.log(), HasSubstr(absl::StrCat("subject=", sent.deliveries(0).subject())));

  v1::ListInboxMessagesRequest inbox_request;
  inbox_request.set_recipient("recipients/li.na");
  v1::ListInboxMessagesResponse inbox;
  ASSERT_OK(ListInbox(inbox_request, &inbox));
  ASSERT_EQ(inbox.messages_size(), 1);
  EXPECT_EQ(inbox.messages(0).recipient(), "recipients/li.na");
  EXPECT_EQ(inbox.messages(0).delivery(), sent.deliveries(1).name());
  EXPECT_EQ(inbox.messages(0).subject(), sent.deliveries(1).subject());
  EXPECT_THAT(inbox.messages(0).name(), StartsWith("recipients/li.na/inbox/"));
  EXPECT_EQ(inbox.next_page_token(), "");

  v1::ListDeliveriesRequest ledger_request;
  v1::ListDeliveriesResponse ledger;
  ASSERT_OK(ListDeliveries(ledger_request, &ledger));
  ASSERT_EQ(ledger.deliveries_size(), 2);
  // Newest first.
  EXPECT_EQ(ledger.deliveries(0).name(), sent.deliveries(1).name());
  EXPECT_EQ(ledger.deliveries(1).name(), sent.deliveries(0).name());
  EXPECT_EQ(ledger.deliveries(1).attempts_size(), 1);

  ledger_request.set_channel(v1::CHANNEL_TYPE_INBOX);
  ASSERT_OK(ListDeliveries(ledger_request, &ledger));
  ASSERT_EQ(ledger.deliveries_size(), 1);
  EXPECT_EQ(ledger.deliveries(0).channel(), v1::CHANNEL_TYPE_INBOX);
  ledger_request.set_channel(v1::CHANNEL_TYPE_UNSPECIFIED);
  ledger_request.set_recipient("recipients/someone.else");
  ASSERT_OK(ListDeliveries(ledger_request, &ledger));
  EXPECT_EQ(ledger.deliveries_size(), 0);
  ledger_request.set_recipient("");
  ledger_request.set_state(v1::DELIVERY_STATE_PENDING);
  ASSERT_OK(ListDeliveries(ledger_request, &ledger));
  EXPECT_EQ(ledger.deliveries_size(), 0);
}

TEST_F(NotifierGrpcServiceTest, TestNotificationOverOneChannel) {
  Create(MakeRecipient("li.na", {v1::CHANNEL_TYPE_LOG, v1::CHANNEL_TYPE_INBOX}));
  v1::SendTestNotificationResponse sent;
  ASSERT_OK(SendTest("recipients/li.na", v1::CHANNEL_TYPE_INBOX, &sent));
  ASSERT_EQ(sent.deliveries_size(), 1);
  EXPECT_EQ(sent.deliveries(0).channel(), v1::CHANNEL_TYPE_INBOX);
  EXPECT_EQ(notifier_.log(), "");

  EXPECT_STATUS(SendTest("recipients/li.na", v1::CHANNEL_TYPE_EMAIL, &sent), INVALID_ARGUMENT,
                "channel");
  EXPECT_STATUS(SendTest("recipients/li.na", static_cast<v1::ChannelType>(77), &sent),
                INVALID_ARGUMENT, "channel:");
  EXPECT_STATUS(SendTest("recipients/nobody", v1::CHANNEL_TYPE_UNSPECIFIED, &sent), NOT_FOUND,
                "recipients/nobody");
  EXPECT_STATUS(SendTest("nobody", v1::CHANNEL_TYPE_UNSPECIFIED, &sent), INVALID_ARGUMENT,
                "recipient:");
}

TEST_F(NotifierGrpcServiceTest, PagesThroughInboxAndDeliveries) {
  Create(MakeRecipient("li.na", {v1::CHANNEL_TYPE_INBOX}));
  Create(MakeRecipient("wang", {v1::CHANNEL_TYPE_INBOX}));
  std::vector<std::string> sent_names;
  for (int i = 0; i < 3; ++i) {
    v1::SendTestNotificationResponse sent;
    ASSERT_OK(SendTest("recipients/li.na", v1::CHANNEL_TYPE_UNSPECIFIED, &sent));
    ASSERT_EQ(sent.deliveries_size(), 1);
    sent_names.push_back(sent.deliveries(0).name());
    ASSERT_OK(SendTest("recipients/wang", v1::CHANNEL_TYPE_UNSPECIFIED, &sent));
    // Each test message is its own rung ("test:<time>"): move time so they differ.
    clock_.AdvanceTime(absl::Seconds(1));
  }

  // Inbox, newest first, two at a time.
  v1::ListInboxMessagesRequest inbox_request;
  inbox_request.set_recipient("recipients/li.na");
  inbox_request.set_page_size(2);
  v1::ListInboxMessagesResponse page1;
  ASSERT_OK(ListInbox(inbox_request, &page1));
  ASSERT_EQ(page1.messages_size(), 2);
  EXPECT_EQ(page1.messages(0).delivery(), sent_names[2]);
  EXPECT_EQ(page1.messages(1).delivery(), sent_names[1]);
  ASSERT_FALSE(page1.next_page_token().empty());
  inbox_request.set_page_token(page1.next_page_token());
  v1::ListInboxMessagesResponse page2;
  ASSERT_OK(ListInbox(inbox_request, &page2));
  ASSERT_EQ(page2.messages_size(), 1);
  EXPECT_EQ(page2.messages(0).delivery(), sent_names[0]);
  EXPECT_EQ(page2.next_page_token(), "");
  // The token is li.na's: it does not page wang's inbox.
  inbox_request.set_recipient("recipients/wang");
  EXPECT_STATUS(ListInbox(inbox_request, &page2), INVALID_ARGUMENT, "page_token");
  inbox_request.set_page_token("");
  inbox_request.set_page_size(501);
  EXPECT_STATUS(ListInbox(inbox_request, &page2), INVALID_ARGUMENT, "page_size");
  // Somebody with no record and no messages has an empty inbox.
  v1::ListInboxMessagesRequest nobody;
  nobody.set_recipient("recipients/nobody");
  ASSERT_OK(ListInbox(nobody, &page2));
  EXPECT_EQ(page2.messages_size(), 0);

  // The ledger filtered to li.na, two at a time.
  v1::ListDeliveriesRequest ledger_request;
  ledger_request.set_recipient("recipients/li.na");
  ledger_request.set_page_size(2);
  std::vector<std::string> listed;
  for (int page = 0; page < 4; ++page) {
    v1::ListDeliveriesResponse response;
    ASSERT_OK(ListDeliveries(ledger_request, &response));
    for (const v1::Delivery& d : response.deliveries()) listed.push_back(d.name());
    if (response.next_page_token().empty()) break;
    ledger_request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(listed, ElementsAre(sent_names[2], sent_names[1], sent_names[0]));
  // All six, in pages of four: a token from the filtered listing does not fit.
  v1::ListDeliveriesRequest all;
  all.set_page_size(4);
  all.set_page_token(ledger_request.page_token());
  v1::ListDeliveriesResponse response;
  EXPECT_STATUS(ListDeliveries(all, &response), INVALID_ARGUMENT, "page_token");
  all.clear_page_token();
  ASSERT_OK(ListDeliveries(all, &response));
  EXPECT_EQ(response.deliveries_size(), 4);
  all.set_page_token(response.next_page_token());
  ASSERT_OK(ListDeliveries(all, &response));
  EXPECT_EQ(response.deliveries_size(), 2);
  EXPECT_EQ(response.next_page_token(), "");
}

// ---- The forecast, snooze and acknowledgement
// ----------------------------------------------------

TEST_F(NotifierGrpcServiceTest, ListRemindersShowsTheForecastWithRoutes) {
  CreateShopRecipients();
  FeedShopEvents();

  v1::ListRemindersRequest request;  // 14 days
  v1::ListRemindersResponse response;
  ASSERT_OK(ListReminders(request, &response));
  // 09:30 Shanghai is 01:30 UTC. Start rungs count back from Thursday 5 March, due rungs from
  // Thursday 12 March; the first overdue rung is Friday 13 March, the second (Monday 16 March)
  // lies beyond the 14 days.
  EXPECT_THAT(
      RungsAndTimes(response),
      ElementsAre(absl::StrCat("start:2026-03-05:-3 @", Seconds(Utc(2026, 3, 2, 1, 30))),
                  absl::StrCat("due:2026-03-12:-7 @", Seconds(Utc(2026, 3, 3, 1, 30))),
                  absl::StrCat("start:2026-03-05:-0 @", Seconds(Utc(2026, 3, 5, 1, 30))),
                  absl::StrCat("due:2026-03-12:-3 @", Seconds(Utc(2026, 3, 9, 1, 30))),
                  absl::StrCat("due:2026-03-12:-1 @", Seconds(Utc(2026, 3, 11, 1, 30))),
                  absl::StrCat("overdue:2026-03-12:+1 @", Seconds(Utc(2026, 3, 13, 1, 30)))));
  ASSERT_EQ(response.reminders_size(), 6);
  const v1::Reminder& due = response.reminders(3);
  EXPECT_EQ(due.item(), "launches/shop/items/ICP_FILING");
  EXPECT_EQ(due.tenant(), "acme");
  EXPECT_EQ(due.launch_display_name(), "Acme Shop");
  EXPECT_EQ(due.item_title(), "ICP 备案 ICP filing");
  EXPECT_EQ(due.kind(), v1::REMINDER_KIND_BEFORE_DUE);
  EXPECT_EQ(due.deadline_date(), "2026-03-12");
  EXPECT_EQ(due.working_days_left(), 3);
  EXPECT_FALSE(due.urgent());
  EXPECT_FALSE(due.escalation());
  EXPECT_THAT(Routes(due), ElementsAre("recipients/li.na CHANNEL_TYPE_LOG assignee",
                                       "recipients/li.na CHANNEL_TYPE_INBOX assignee",
                                       "recipients/ops CHANNEL_TYPE_LOG subscription:tenants/acme "
                                       "digest"));
  // Overdue is urgent: never held for the digest.
  const v1::Reminder& overdue = response.reminders(5);
  EXPECT_EQ(overdue.kind(), v1::REMINDER_KIND_OVERDUE);
  EXPECT_EQ(overdue.working_days_left(), -1);
  EXPECT_TRUE(overdue.urgent());
  EXPECT_THAT(Routes(overdue), ElementsAre("recipients/li.na CHANNEL_TYPE_LOG assignee",
                                           "recipients/li.na CHANNEL_TYPE_INBOX assignee",
                                           "recipients/ops CHANNEL_TYPE_LOG "
                                           "subscription:tenants/acme"));
  EXPECT_EQ(response.reminders(0).kind(), v1::REMINDER_KIND_BEFORE_START);

  // Filters.
  request.set_recipient("recipients/ops");
  ASSERT_OK(ListReminders(request, &response));
  ASSERT_EQ(response.reminders_size(), 6);
  EXPECT_THAT(Routes(response.reminders(0)),
              ElementsAre("recipients/ops CHANNEL_TYPE_LOG subscription:tenants/acme digest"));
  request.set_recipient("recipients/stranger");
  ASSERT_OK(ListReminders(request, &response));
  EXPECT_EQ(response.reminders_size(), 0);
  request.set_recipient("");
  request.set_launch("launches/other");
  ASSERT_OK(ListReminders(request, &response));
  EXPECT_EQ(response.reminders_size(), 0);
  request.set_launch("launches/shop");
  request.set_tenant("acme");
  request.set_days(3);
  ASSERT_OK(ListReminders(request, &response));
  EXPECT_THAT(RungsAndTimes(response),
              ElementsAre(absl::StrCat("start:2026-03-05:-3 @", Seconds(Utc(2026, 3, 2, 1, 30))),
                          absl::StrCat("due:2026-03-12:-7 @", Seconds(Utc(2026, 3, 3, 1, 30)))));
  request.set_tenant("globex");
  ASSERT_OK(ListReminders(request, &response));
  EXPECT_EQ(response.reminders_size(), 0);
}

TEST_F(NotifierGrpcServiceTest, PagesThroughReminders) {
  CreateShopRecipients();
  FeedShopEvents();
  v1::ListRemindersRequest request;
  request.set_page_size(4);
  v1::ListRemindersResponse page1;
  ASSERT_OK(ListReminders(request, &page1));
  ASSERT_EQ(page1.reminders_size(), 4);
  ASSERT_FALSE(page1.next_page_token().empty());
  request.set_page_token(page1.next_page_token());
  v1::ListRemindersResponse page2;
  ASSERT_OK(ListReminders(request, &page2));
  ASSERT_EQ(page2.reminders_size(), 2);
  EXPECT_EQ(page2.next_page_token(), "");
  EXPECT_EQ(page2.reminders(0).rung(), "due:2026-03-12:-1");
  EXPECT_EQ(page2.reminders(1).rung(), "overdue:2026-03-12:+1");

  // A token from a different query is refused.
  request.set_days(30);
  v1::ListRemindersResponse other;
  EXPECT_STATUS(ListReminders(request, &other), INVALID_ARGUMENT, "page_token");
  request.set_days(0);
  request.set_recipient("recipients/ops");
  EXPECT_STATUS(ListReminders(request, &other), INVALID_ARGUMENT, "page_token");
}

TEST_F(NotifierGrpcServiceTest, SnoozeDefersAndAcknowledgeStopsTheLadder) {
  CreateShopRecipients();
  FeedShopEvents();

  // Until Thursday 5 March 08:00 Shanghai (00:00 UTC).
  v1::SnoozeReminderRequest snooze;
  snooze.set_item("launches/shop/items/ICP_FILING");
  snooze.mutable_snooze_for()->set_seconds(3 * 86400);
  v1::ItemReminderState state;
  ASSERT_OK(Snooze(snooze, &state));
  EXPECT_EQ(state.item(), "launches/shop/items/ICP_FILING");
  EXPECT_EQ(state.snoozed_until().seconds(), Seconds(Utc(2026, 3, 5)));
  EXPECT_EQ(state.item_version(), 1);
  EXPECT_EQ(state.acknowledged_version(), 0);
  EXPECT_EQ(state.next_send_time().seconds(), Seconds(Utc(2026, 3, 5)));

  // The two rungs inside the snooze go out when quiet hours end that morning (08:30 Shanghai).
  v1::ListRemindersRequest request;
  request.set_launch("launches/shop");
  v1::ListRemindersResponse response;
  ASSERT_OK(ListReminders(request, &response));
  EXPECT_THAT(
      RungsAndTimes(response),
      ElementsAre(absl::StrCat("due:2026-03-12:-7 @", Seconds(Utc(2026, 3, 5, 0, 30))),
                  absl::StrCat("start:2026-03-05:-3 @", Seconds(Utc(2026, 3, 5, 0, 30))),
                  absl::StrCat("start:2026-03-05:-0 @", Seconds(Utc(2026, 3, 5, 1, 30))),
                  absl::StrCat("due:2026-03-12:-3 @", Seconds(Utc(2026, 3, 9, 1, 30))),
                  absl::StrCat("due:2026-03-12:-1 @", Seconds(Utc(2026, 3, 11, 1, 30))),
                  absl::StrCat("overdue:2026-03-12:+1 @", Seconds(Utc(2026, 3, 13, 1, 30)))));

  ASSERT_OK(Acknowledge("launches/shop/items/ICP_FILING", &state));
  EXPECT_EQ(state.acknowledged_version(), 1);
  EXPECT_EQ(state.item_version(), 1);
  EXPECT_FALSE(state.has_next_send_time());
  ASSERT_OK(ListReminders(request, &response));
  EXPECT_EQ(response.reminders_size(), 0);
}

TEST_F(NotifierGrpcServiceTest, DispatchedRemindersReachTheLedger) {
  CreateShopRecipients();
  FeedShopEvents();
  // Monday 09:30 Shanghai: the first start rung is due.
  clock_.SetTime(Utc(2026, 3, 2, 1, 30));
  absl::StatusOr<int> ran = engine_->RunOnce();
  ASSERT_TRUE(ran.ok()) << ran.status();
  engine_->WaitIdle();

  v1::ListDeliveriesRequest request;
  request.set_item("launches/shop/items/ICP_FILING");
  v1::ListDeliveriesResponse response;
  ASSERT_OK(ListDeliveries(request, &response));
  ASSERT_GE(response.deliveries_size(), 2);
  int delivered_to_li = 0;
  for (const v1::Delivery& delivery : response.deliveries()) {
    EXPECT_EQ(delivery.item(), "launches/shop/items/ICP_FILING");
    EXPECT_EQ(delivery.rung(), "start:2026-03-05:-3");
    EXPECT_EQ(delivery.kind(), v1::REMINDER_KIND_BEFORE_START);
    EXPECT_EQ(delivery.tenant(), "acme");
    if (delivery.recipient() == "recipients/li.na") {
      EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DELIVERED) << delivery.ShortDebugString();
      ++delivered_to_li;
    }
  }
  EXPECT_EQ(delivered_to_li, 2);
  // The same launch filter finds them; another launch's does not.
  request.set_item("");
  request.set_launch("launches/shop");
  v1::ListDeliveriesResponse by_launch;
  ASSERT_OK(ListDeliveries(request, &by_launch));
  EXPECT_EQ(by_launch.deliveries_size(), response.deliveries_size());
  request.set_launch("launches/other");
  ASSERT_OK(ListDeliveries(request, &by_launch));
  EXPECT_EQ(by_launch.deliveries_size(), 0);

  // The forecast no longer lists the handled rung.
  v1::ListRemindersResponse reminders;
  ASSERT_OK(ListReminders(v1::ListRemindersRequest(), &reminders));
  ASSERT_GT(reminders.reminders_size(), 0);
  EXPECT_EQ(reminders.reminders(0).rung(), "due:2026-03-12:-7");
}

}  // namespace
}  // namespace preflight::notifier
