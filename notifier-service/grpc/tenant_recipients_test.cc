// Recipients are per tenant (issue 9): a tenant's "li.na" and another tenant's "li.na" are
// different records, named tenants/{tenant}/recipients/{id}; tenant-less recipients stay
// recipients/{id}. Each tenant sees only its own, creating one never reveals another tenant's,
// routing picks the launch's tenant's record before the tenant-less one, and subscriptions stay
// inside the recipient's tenant.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/testing/notifier_server_testing.h"
#include "tests/testing/status_matchers.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kAcmeAdmin;
using testing::kAllTenantsAdmin;
using testing::kGlobexAdmin;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

class TenantRecipientsTest : public testing::NotifierServerTest {
 protected:
  static v1::Recipient Inbox(const std::string& name, const std::string& tenant = "",
                             const std::string& display_name = "") {
    v1::Recipient recipient;
    recipient.set_name(name);
    recipient.set_tenant(tenant);
    recipient.set_display_name(display_name);
    recipient.add_channels()->set_type(v1::CHANNEL_TYPE_INBOX);
    return recipient;
  }

  grpc::Status Create(const std::string& token, const v1::Recipient& recipient,
                      v1::Recipient* out = nullptr) {
    v1::CreateRecipientRequest request;
    *request.mutable_recipient() = recipient;
    v1::Recipient ignored;
    return stub_->CreateRecipient(As(token).get(), request, out != nullptr ? out : &ignored);
  }

  grpc::Status Get(const std::string& token, const std::string& name, v1::Recipient* out) {
    v1::GetRecipientRequest request;
    request.set_name(name);
    return stub_->GetRecipient(As(token).get(), request, out);
  }

  std::vector<std::string> ListNames(const std::string& token, const std::string& tenant = "") {
    std::vector<std::string> names;
    std::string page_token;
    do {
      v1::ListRecipientsRequest request;
      request.set_tenant(tenant);
      request.set_page_size(1);
      request.set_page_token(page_token);
      v1::ListRecipientsResponse response;
      const grpc::Status status = stub_->ListRecipients(As(token).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const v1::Recipient& recipient : response.recipients()) {
        names.push_back(recipient.name());
      }
      page_token = response.next_page_token();
    } while (!page_token.empty());
    return names;
  }

  std::vector<std::string> RoutesOf(const std::string& launch) {
    v1::ListRemindersRequest request;
    request.set_launch(launch);
    v1::ListRemindersResponse response;
    const grpc::Status status = stub_->ListReminders(As().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> routes;
    if (response.reminders().empty()) return routes;
    for (const v1::Reminder::Route& route : response.reminders(0).routes()) {
      routes.push_back(absl::StrCat(route.recipient(), " ", v1::ChannelType_Name(route.channel()),
                                    " ", route.reason()));
    }
    return routes;
  }

  // The answer with what differs between two records anyway (name, etag) blanked out.
  static std::string Shape(v1::Recipient recipient) {
    recipient.clear_name();
    recipient.clear_etag();
    recipient.clear_display_name();
    return recipient.DebugString();
  }
};

TEST_F(TenantRecipientsTest, TwoTenantsMayEachHaveLiNa) {
  v1::Recipient acme;
  // The name and tenant of before (recipients/{id} plus tenant) still create a tenant's record.
  ASSERT_OK(Create(kAcmeAdmin, Inbox("recipients/li.na", "acme", "Acme Li"), &acme));
  EXPECT_EQ(acme.name(), "tenants/acme/recipients/li.na");
  EXPECT_EQ(acme.tenant(), "acme");

  // Globex's li.na is a different record: created, and answered exactly like a fresh id.
  v1::Recipient globex;
  ASSERT_OK(Create(kGlobexAdmin, Inbox("recipients/li.na", "globex", "Globex Li"), &globex));
  v1::Recipient fresh;
  ASSERT_OK(Create(kGlobexAdmin, Inbox("recipients/fresh.id", "globex", "Fresh"), &fresh));
  EXPECT_EQ(globex.name(), "tenants/globex/recipients/li.na");
  EXPECT_EQ(globex.tenant(), "globex");
  EXPECT_EQ(Shape(globex), Shape(fresh));
  EXPECT_THAT(globex.etag(), StartsWith("1-"));
  EXPECT_THAT(fresh.etag(), StartsWith("1-"));

  // The canonical name works just as well, and a taken id is taken only within its tenant.
  ASSERT_OK(Create(kAcmeAdmin, Inbox("tenants/acme/recipients/wang.wei", "", "Acme Wang")));
  ASSERT_OK(Create(kGlobexAdmin, Inbox("tenants/globex/recipients/wang.wei")));
  EXPECT_STATUS(Create(kAcmeAdmin, Inbox("tenants/acme/recipients/li.na")), ALREADY_EXISTS,
                "tenants/acme/recipients/li.na");

  // A tenant-less li.na stays possible beside them (all-tenant admins only).
  v1::Recipient anywhere;
  ASSERT_OK(Create(kAllTenantsAdmin, Inbox("recipients/li.na", "", "Li anywhere"), &anywhere));
  EXPECT_EQ(anywhere.name(), "recipients/li.na");
  EXPECT_EQ(anywhere.tenant(), "");
  EXPECT_STATUS(Create(kAcmeAdmin, Inbox("recipients/li.na2")), PERMISSION_DENIED, "tenant");

  // The name and the tenant field must agree.
  EXPECT_STATUS(Create(kAllTenantsAdmin, Inbox("tenants/acme/recipients/x", "globex")),
                INVALID_ARGUMENT, "recipient.tenant");
  EXPECT_STATUS(Create(kAllTenantsAdmin, Inbox("tenants/Acme/recipients/x")), INVALID_ARGUMENT,
                "recipient.name");
}

TEST_F(TenantRecipientsTest, EachTenantSeesOnlyItsOwn) {
  ASSERT_OK(Create(kAcmeAdmin, Inbox("tenants/acme/recipients/li.na", "", "Acme Li")));
  ASSERT_OK(Create(kGlobexAdmin, Inbox("tenants/globex/recipients/li.na", "", "Globex Li")));
  ASSERT_OK(Create(kAllTenantsAdmin, Inbox("recipients/li.na", "", "Li anywhere")));

  v1::Recipient got;
  ASSERT_OK(Get(kAcmeAdmin, "tenants/acme/recipients/li.na", &got));
  EXPECT_EQ(got.display_name(), "Acme Li");
  ASSERT_OK(Get(kGlobexAdmin, "tenants/globex/recipients/li.na", &got));
  EXPECT_EQ(got.display_name(), "Globex Li");
  ASSERT_OK(Get(kAllTenantsAdmin, "recipients/li.na", &got));
  EXPECT_EQ(got.display_name(), "Li anywhere");

  // Another tenant's record, or a tenant-less one, answers exactly like a missing one.
  v1::Recipient none;
  const grpc::Status other = Get(kAcmeAdmin, "tenants/globex/recipients/li.na", &none);
  const grpc::Status missing = Get(kAcmeAdmin, "tenants/acme/recipients/nobody", &none);
  const grpc::Status tenantless = Get(kAcmeAdmin, "recipients/li.na", &none);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(tenantless.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(other.error_message(),
            absl::StrReplaceAll(missing.error_message(), {{"tenants/acme/recipients/nobody",
                                                           "tenants/globex/recipients/li.na"}}));

  EXPECT_THAT(ListNames(kAcmeAdmin), ElementsAre("tenants/acme/recipients/li.na"));
  EXPECT_THAT(ListNames(kGlobexAdmin), ElementsAre("tenants/globex/recipients/li.na"));
  EXPECT_THAT(ListNames(kAllTenantsAdmin),
              UnorderedElementsAre("recipients/li.na", "tenants/acme/recipients/li.na",
                                   "tenants/globex/recipients/li.na"));
  EXPECT_THAT(ListNames(kAllTenantsAdmin, "globex"),
              ElementsAre("tenants/globex/recipients/li.na"));

  // Updating and deleting one tenant's li.na leaves the others alone.
  v1::UpdateRecipientRequest update;
  update.mutable_recipient()->set_name("tenants/acme/recipients/li.na");
  update.mutable_recipient()->set_display_name("Acme Li Na");
  update.mutable_update_mask()->add_paths("display_name");
  v1::Recipient updated;
  ASSERT_OK(stub_->UpdateRecipient(As(kAcmeAdmin).get(), update, &updated));
  EXPECT_EQ(updated.name(), "tenants/acme/recipients/li.na");
  EXPECT_EQ(updated.display_name(), "Acme Li Na");
  update.mutable_recipient()->set_name("tenants/globex/recipients/li.na");
  EXPECT_STATUS(stub_->UpdateRecipient(As(kAcmeAdmin).get(), update, &updated), NOT_FOUND,
                "tenants/globex/recipients/li.na");
  v1::DeleteRecipientRequest remove;
  remove.set_name("tenants/globex/recipients/li.na");
  v1::DeleteRecipientResponse removed;
  ASSERT_OK(stub_->DeleteRecipient(As(kGlobexAdmin).get(), remove, &removed));
  ASSERT_OK(Get(kAcmeAdmin, "tenants/acme/recipients/li.na", &got));
  EXPECT_EQ(got.display_name(), "Acme Li Na");
  ASSERT_OK(Get(kAllTenantsAdmin, "recipients/li.na", &got));
}

TEST_F(TenantRecipientsTest, RoutingPicksTheLaunchsTenantsRecipientElseTheTenantlessOne) {
  FeedLaunch("a1", "acme", "li.na");
  FeedLaunch("g1", "globex", "li.na");
  FeedLaunch("i1", "initech", "li.na");
  ASSERT_OK(Create(kAcmeAdmin, Inbox("tenants/acme/recipients/li.na", "", "Acme Li")));
  v1::Recipient anywhere;
  anywhere.set_name("recipients/li.na");
  anywhere.add_channels()->set_type(v1::CHANNEL_TYPE_LOG);
  ASSERT_OK(Create(kAllTenantsAdmin, anywhere));
  ASSERT_OK(Create(kGlobexAdmin, Inbox("tenants/globex/recipients/someone.else")));

  EXPECT_THAT(RoutesOf("launches/a1"),
              ElementsAre("tenants/acme/recipients/li.na CHANNEL_TYPE_INBOX assignee"));
  EXPECT_THAT(RoutesOf("launches/g1"), ElementsAre("recipients/li.na CHANNEL_TYPE_LOG assignee"));
  EXPECT_THAT(RoutesOf("launches/i1"), ElementsAre("recipients/li.na CHANNEL_TYPE_LOG assignee"));

  // Sent the same way, and the inbox message lands in acme's li.na's inbox.
  clock_.AdvanceTime(absl::Hours(2));  // 10:00 Shanghai: the first start rung is due.
  absl::StatusOr<int> ran = engine_->RunOnce();
  ASSERT_TRUE(ran.ok()) << ran.status();
  v1::ListDeliveriesRequest deliveries_request;
  deliveries_request.set_recipient("tenants/acme/recipients/li.na");
  v1::ListDeliveriesResponse deliveries;
  ASSERT_OK(stub_->ListDeliveries(As(kAcmeAdmin).get(), deliveries_request, &deliveries));
  ASSERT_EQ(deliveries.deliveries_size(), 1);
  EXPECT_EQ(deliveries.deliveries(0).recipient(), "tenants/acme/recipients/li.na");
  EXPECT_EQ(deliveries.deliveries(0).item(), "launches/a1/items/ICP_FILING");
  EXPECT_EQ(deliveries.deliveries(0).state(), v1::DELIVERY_STATE_DELIVERED);

  deliveries_request.set_recipient("recipients/li.na");
  ASSERT_OK(stub_->ListDeliveries(As().get(), deliveries_request, &deliveries));
  std::vector<std::string> items;
  for (const v1::Delivery& delivery : deliveries.deliveries()) items.push_back(delivery.item());
  EXPECT_THAT(items,
              UnorderedElementsAre("launches/g1/items/ICP_FILING", "launches/i1/items/ICP_FILING"));

  v1::ListInboxMessagesRequest inbox_request;
  inbox_request.set_recipient("tenants/acme/recipients/li.na");
  v1::ListInboxMessagesResponse inbox;
  ASSERT_OK(stub_->ListInboxMessages(As(kAcmeAdmin).get(), inbox_request, &inbox));
  ASSERT_EQ(inbox.messages_size(), 1);
  EXPECT_THAT(inbox.messages(0).name(), StartsWith("tenants/acme/recipients/li.na/inbox/"));
  EXPECT_EQ(inbox.messages(0).recipient(), "tenants/acme/recipients/li.na");
  // Globex cannot read it.
  EXPECT_STATUS(stub_->ListInboxMessages(As(kGlobexAdmin).get(), inbox_request, &inbox), NOT_FOUND,
                "tenants/acme/recipients/li.na");
}

TEST_F(TenantRecipientsTest, SubscriptionsStayInsideTheRecipientsTenant) {
  FeedLaunch("a1", "acme", "li.na");
  FeedLaunch("g1", "globex", "li.na");

  v1::Recipient watcher = Inbox("tenants/acme/recipients/watcher");
  // A caller scoped to acme naming another tenant: PERMISSION_DENIED, naming the entry.
  watcher.add_subscriptions("tenants/acme");
  watcher.add_subscriptions("tenants/globex");
  EXPECT_STATUS(Create(kAcmeAdmin, watcher), PERMISSION_DENIED, "recipient.subscriptions[1]");
  // An all-tenant caller making an acme recipient follow globex: INVALID_ARGUMENT.
  EXPECT_STATUS(Create(kAllTenantsAdmin, watcher), INVALID_ARGUMENT, "recipient.subscriptions[1]");

  // Another tenant's launch is refused exactly like a launch that does not exist.
  watcher.clear_subscriptions();
  watcher.add_subscriptions("launches/g1");
  const grpc::Status other_launch = Create(kAcmeAdmin, watcher);
  watcher.set_subscriptions(0, "launches/nope");
  const grpc::Status no_launch = Create(kAcmeAdmin, watcher);
  EXPECT_EQ(other_launch.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(no_launch.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(other_launch.error_message(), HasSubstr("recipient.subscriptions[0]"));
  EXPECT_EQ(other_launch.error_message(),
            absl::StrReplaceAll(no_launch.error_message(), {{"launches/nope", "launches/g1"}}));
  watcher.set_subscriptions(0, "launches/g1");
  EXPECT_STATUS(Create(kAllTenantsAdmin, watcher), INVALID_ARGUMENT, "recipient.subscriptions[0]");

  // Its own tenant and launches are fine.
  watcher.clear_subscriptions();
  watcher.add_subscriptions("tenants/acme");
  watcher.add_subscriptions("launches/a1");
  ASSERT_OK(Create(kAcmeAdmin, watcher));

  // Updates are held to the same rule.
  v1::UpdateRecipientRequest update;
  update.mutable_recipient()->set_name("tenants/acme/recipients/watcher");
  update.mutable_recipient()->add_subscriptions("tenants/globex");
  update.mutable_update_mask()->add_paths("subscriptions");
  v1::Recipient updated;
  EXPECT_STATUS(stub_->UpdateRecipient(As(kAcmeAdmin).get(), update, &updated), PERMISSION_DENIED,
                "recipient.subscriptions[0]");
  update.mutable_recipient()->set_subscriptions(0, "launches/g1");
  EXPECT_STATUS(stub_->UpdateRecipient(As(kAcmeAdmin).get(), update, &updated), INVALID_ARGUMENT,
                "recipient.subscriptions[0]");

  // A tenant-less recipient may follow any tenant and any launch.
  v1::Recipient everywhere = Inbox("recipients/auditor");
  everywhere.add_subscriptions("tenants/globex");
  everywhere.add_subscriptions("launches/a1");
  ASSERT_OK(Create(kAllTenantsAdmin, everywhere));
}

}  // namespace
}  // namespace preflight::notifier
