// The notifier commands end to end: RunCli with the real gRPC clients against an in-process fake
// NotifierService (and a fake ChecklistService for launch time zones) on 127.0.0.1.

#include "cli/notifier_client.h"

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "cli/cli.h"
#include "cli/testing/cli_testing.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/loopback_server.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/text.h"

namespace preflight::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using testing::FromText;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ParseJson;
using ::testing::StartsWith;

// The fake's clock: 2026-05-06 01:00:00 UTC.
constexpr int64_t kNow = 1778029200;

// Serves `all` a page at a time: the page token is the index of the first entry, page_size 0
// means `default_size`.
template <typename Entry, typename Entries>
grpc::Status Page(const std::vector<Entry>& all, int32_t page_size, const std::string& token,
                  int32_t default_size, Entries* out, std::string* next_token) {
  size_t start = 0;
  if (!token.empty() && !absl::SimpleAtoi(token, &start)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad page token");
  }
  const size_t size = static_cast<size_t>(page_size > 0 ? page_size : default_size);
  for (size_t i = start; i < all.size() && i < start + size; ++i) *out->Add() = all[i];
  if (start + size < all.size()) *next_token = absl::StrCat(start + size);
  return grpc::Status::OK;
}

// Keeps recipients like the real service would (etags, update masks); answers the other calls
// from canned data and records what they were asked.
class FakeNotifierService : public v1::NotifierService::Service {
 public:
  grpc::Status ListReminders(grpc::ServerContext* context, const v1::ListRemindersRequest* request,
                             v1::ListRemindersResponse* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    reminder_requests_.push_back(*request);
    std::vector<v1::Reminder> matching;
    for (const v1::Reminder& reminder : reminders_) {
      // A weekly digest (no item) is the tenant's: the real service lists it in a launch's dry
      // run too.
      if (request->launch().empty() || reminder.item().empty() ||
          reminder.item().rfind(request->launch() + "/items/", 0) == 0) {
        matching.push_back(reminder);
      }
    }
    return Page(matching, request->page_size(), request->page_token(), 100,
                response->mutable_reminders(), response->mutable_next_page_token());
  }

  grpc::Status ListDeliveries(grpc::ServerContext* context,
                              const v1::ListDeliveriesRequest* request,
                              v1::ListDeliveriesResponse* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    delivery_requests_.push_back(*request);
    return Page(deliveries_, request->page_size(), request->page_token(), 50,
                response->mutable_deliveries(), response->mutable_next_page_token());
  }

  grpc::Status CreateRecipient(grpc::ServerContext* context,
                               const v1::CreateRecipientRequest* request,
                               v1::Recipient* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    const v1::Recipient& recipient = request->recipient();
    if (recipient.channels().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a recipient needs a channel");
    }
    if (recipients_.count(recipient.name()) > 0) {
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                          absl::StrCat(recipient.name(), " already exists"));
    }
    v1::Recipient& stored = recipients_[recipient.name()] = recipient;
    stored.mutable_create_time()->set_seconds(kNow);
    stored.mutable_update_time()->set_seconds(kNow);
    stored.set_etag("1");
    *response = stored;
    return grpc::Status::OK;
  }

  grpc::Status GetRecipient(grpc::ServerContext* context, const v1::GetRecipientRequest* request,
                            v1::Recipient* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    auto it = recipients_.find(request->name());
    if (it == recipients_.end()) return NotFound(request->name());
    *response = it->second;
    return grpc::Status::OK;
  }

  grpc::Status ListRecipients(grpc::ServerContext* context,
                              const v1::ListRecipientsRequest* request,
                              v1::ListRecipientsResponse* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    std::vector<v1::Recipient> matching;
    for (const auto& [name, recipient] : recipients_) {
      if (request->tenant().empty() || recipient.tenant() == request->tenant()) {
        matching.push_back(recipient);
      }
    }
    return Page(matching, request->page_size(), request->page_token(), 100,
                response->mutable_recipients(), response->mutable_next_page_token());
  }

  grpc::Status UpdateRecipient(grpc::ServerContext* context,
                               const v1::UpdateRecipientRequest* request,
                               v1::Recipient* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    auto it = recipients_.find(request->recipient().name());
    if (it == recipients_.end()) return NotFound(request->recipient().name());
    v1::Recipient& stored = it->second;
    if (!request->etag().empty() && request->etag() != stored.etag()) {
      return grpc::Status(
          grpc::StatusCode::ABORTED,
          absl::StrCat("etag ", request->etag(), " is stale; current is ", stored.etag()));
    }
    const v1::Recipient& update = request->recipient();
    for (const std::string& path : request->update_mask().paths()) {
      if (path == "display_name") {
        stored.set_display_name(update.display_name());
      } else if (path == "language") {
        stored.set_language(update.language());
      } else if (path == "channels") {
        *stored.mutable_channels() = update.channels();
      } else if (path == "digest") {
        stored.set_digest(update.digest());
      } else if (path == "subscriptions") {
        *stored.mutable_subscriptions() = update.subscriptions();
      } else {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            absl::StrCat("unknown update path '", path, "'"));
      }
    }
    int64_t version = 0;
    (void)absl::SimpleAtoi(stored.etag(), &version);
    stored.set_etag(absl::StrCat(version + 1));
    *response = stored;
    return grpc::Status::OK;
  }

  grpc::Status DeleteRecipient(grpc::ServerContext* context,
                               const v1::DeleteRecipientRequest* request,
                               v1::DeleteRecipientResponse* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    auto it = recipients_.find(request->name());
    if (it == recipients_.end()) return NotFound(request->name());
    if (!request->etag().empty() && request->etag() != it->second.etag()) {
      return grpc::Status(grpc::StatusCode::ABORTED, "stale etag");
    }
    recipients_.erase(it);
    return grpc::Status::OK;
  }

  grpc::Status SnoozeReminder(grpc::ServerContext* context,
                              const v1::SnoozeReminderRequest* request,
                              v1::ItemReminderState* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    snooze_requests_.push_back(*request);
    response->set_item(request->item());
    response->set_item_version(3);
    if (request->has_snooze_for()) {
      response->mutable_snoozed_until()->set_seconds(kNow + request->snooze_for().seconds());
    } else {
      *response->mutable_snoozed_until() = request->snooze_until();
    }
    *response->mutable_next_send_time() = response->snoozed_until();
    return grpc::Status::OK;
  }

  grpc::Status AcknowledgeReminder(grpc::ServerContext* context,
                                   const v1::AcknowledgeReminderRequest* request,
                                   v1::ItemReminderState* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    if (request->item() != "launches/l1/items/ICP_FILING") return NotFound(request->item());
    response->set_item(request->item());
    response->set_item_version(3);
    response->set_acknowledged_version(3);
    return grpc::Status::OK;
  }

  grpc::Status SendTestNotification(grpc::ServerContext* context,
                                    const v1::SendTestNotificationRequest* request,
                                    v1::SendTestNotificationResponse* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    auto it = recipients_.find(request->recipient());
    if (it == recipients_.end()) return NotFound(request->recipient());
    for (const v1::RecipientChannel& channel : it->second.channels()) {
      if (request->channel() != v1::CHANNEL_TYPE_UNSPECIFIED &&
          request->channel() != channel.type()) {
        continue;
      }
      v1::Delivery* delivery = response->add_deliveries();
      delivery->set_recipient(request->recipient());
      delivery->set_channel(channel.type());
      delivery->set_kind(v1::REMINDER_KIND_TEST);
      delivery->set_state(v1::DELIVERY_STATE_DELIVERED);
      delivery->mutable_update_time()->set_seconds(kNow);
      v1::DeliveryAttempt* attempt = delivery->add_attempts();
      attempt->set_attempt(1);
      attempt->set_outcome("delivered");
    }
    if (response->deliveries().empty()) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "the recipient has no such channel");
    }
    return grpc::Status::OK;
  }

  grpc::Status ListInboxMessages(grpc::ServerContext* context,
                                 const v1::ListInboxMessagesRequest* request,
                                 v1::ListInboxMessagesResponse* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    if (recipients_.count(request->recipient()) == 0) return NotFound(request->recipient());
    std::vector<v1::InboxMessage> messages;
    for (int n = 3; n >= 1; --n) {
      v1::InboxMessage& message = messages.emplace_back();
      message.set_name(absl::StrCat(request->recipient(), "/inbox/", n));
      message.set_subject(absl::StrCat("message ", n));
      message.mutable_create_time()->set_seconds(kNow + n);
    }
    return Page(messages, request->page_size(), request->page_token(), 100,
                response->mutable_messages(), response->mutable_next_page_token());
  }

  grpc::Status GetSubscriptionStatus(grpc::ServerContext* context,
                                     const v1::GetSubscriptionStatusRequest* request,
                                     v1::SubscriptionStatus* response) override {
    absl::MutexLock lock(&mu_);
    Record(*context);
    response->set_checklist_address("127.0.0.1:50051");
    response->set_connected(true);
    response->set_applied_sequence(42);
    return grpc::Status::OK;
  }

  void SetReminders(std::vector<v1::Reminder> reminders) {
    absl::MutexLock lock(&mu_);
    reminders_ = std::move(reminders);
  }
  void SetDeliveries(std::vector<v1::Delivery> deliveries) {
    absl::MutexLock lock(&mu_);
    deliveries_ = std::move(deliveries);
  }
  std::vector<v1::ListRemindersRequest> reminder_requests() {
    absl::MutexLock lock(&mu_);
    return reminder_requests_;
  }
  std::vector<v1::ListDeliveriesRequest> delivery_requests() {
    absl::MutexLock lock(&mu_);
    return delivery_requests_;
  }
  std::vector<v1::SnoozeReminderRequest> snooze_requests() {
    absl::MutexLock lock(&mu_);
    return snooze_requests_;
  }
  // Actor metadata of the last call ("<none>" when absent) and the time it had left.
  std::string actor() {
    absl::MutexLock lock(&mu_);
    return actor_;
  }
  absl::Duration time_left() {
    absl::MutexLock lock(&mu_);
    return time_left_;
  }

 private:
  static grpc::Status NotFound(const std::string& name) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat(name, " not found"));
  }

  void Record(const grpc::ServerContext& context) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = context.client_metadata().find(api::kActorMetadataKey);
    actor_ = it == context.client_metadata().end()
                 ? "<none>"
                 : std::string(it->second.data(), it->second.size());
    time_left_ = absl::FromChrono(context.deadline()) - absl::Now();
  }

  absl::Mutex mu_;
  std::map<std::string, v1::Recipient> recipients_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::Reminder> reminders_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::Delivery> deliveries_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ListRemindersRequest> reminder_requests_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ListDeliveriesRequest> delivery_requests_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::SnoozeReminderRequest> snooze_requests_ ABSL_GUARDED_BY(mu_);
  std::string actor_ ABSL_GUARDED_BY(mu_);
  absl::Duration time_left_ ABSL_GUARDED_BY(mu_);
};

v1::Reminder MakeReminder(const std::string& item, int n) {
  v1::Reminder reminder;
  reminder.set_item(item);
  reminder.set_rung(absl::StrCat("due:2026-05-11:-", n));
  reminder.set_kind(v1::REMINDER_KIND_BEFORE_DUE);
  reminder.set_working_days_left(n);
  reminder.mutable_send_time()->set_seconds(kNow + n * 86400);
  v1::Reminder::Route* route = reminder.add_routes();
  route->set_recipient("recipients/li.na");
  route->set_channel(v1::CHANNEL_TYPE_WECOM);
  return reminder;
}

class NotifierCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(server_.Start({&notifier_, &checklist_}));
    address_ = server_.address();
  }
  void TearDown() override { server_.Shutdown(); }

  // Runs `preflight --notifier=<fake> --server=<fake> ARGS` with the real clients, counting the
  // connections made.
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--notifier=" + address_, "--server=" + address_});
    out_.str("");
    err_.str("");
    const Connectors real = DefaultConnectors();
    const Connectors counted{[&](const GlobalOptions& options) {
                               ++checklist_connects_;
                               return real.checklist(options);
                             },
                             [&](const GlobalOptions& options) {
                               ++notifier_connects_;
                               return real.notifier(options);
                             }};
    return RunCli(args, "alice", counted, out_, err_);
  }

  // Runs a command that must succeed.
  std::string Ok(const std::vector<std::string>& args) {
    const int code = Run(args);
    EXPECT_EQ(code, kExitOk) << err_.str();
    EXPECT_EQ(err_.str(), "");
    return out_.str();
  }

  FakeNotifierService notifier_;
  testing::FakeChecklistService checklist_;
  testing::LoopbackServer server_;
  std::string address_;
  int checklist_connects_ = 0;
  int notifier_connects_ = 0;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(NotifierCliTest, ClientSendsActorAndDeadline) {
  std::unique_ptr<NotifierClient> client = NewGrpcNotifierClient(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()), "bob", absl::Seconds(30));
  v1::SubscriptionStatus status;
  ASSERT_TRUE(client->GetSubscriptionStatus(v1::GetSubscriptionStatusRequest(), &status).ok());
  EXPECT_EQ(status.applied_sequence(), 42);
  EXPECT_EQ(notifier_.actor(), "bob");
  EXPECT_GT(notifier_.time_left(), absl::Seconds(20));
  EXPECT_LT(notifier_.time_left(), absl::Seconds(31));

  client = NewGrpcNotifierClient(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()),
                                 "", absl::Seconds(5));
  ASSERT_TRUE(client->GetSubscriptionStatus(v1::GetSubscriptionStatusRequest(), &status).ok());
  EXPECT_EQ(notifier_.actor(), "<none>");
}

TEST_F(NotifierCliTest, RecipientLifecycle) {
  std::string out = Ok({"recipients", "create", "li.na", "--tenant=acme", "--display_name=Li Na",
                        "--channel=wecom:https://qyapi.weixin.qq.com/x?key=k", "--channel=inbox",
                        "--subscribe=launches/l1"});
  EXPECT_THAT(out, StartsWith("recipients/li.na  Li Na\n"));
  EXPECT_THAT(out, HasSubstr("channels       1. wecom  https://qyapi.weixin.qq.com/x?key=k\n"
                             "               2. inbox\n"));
  EXPECT_THAT(out, HasSubstr("etag           1\n"));
  EXPECT_EQ(notifier_.actor(), "alice");
  EXPECT_EQ(checklist_connects_, 0);
  EXPECT_EQ(notifier_connects_, 1);

  Ok({"recipients", "create", "ops", "--channel=log"});
  out = Ok({"recipients", "list", "--tenant=acme"});
  EXPECT_THAT(out, HasSubstr("recipients/li.na  Li Na"));
  EXPECT_THAT(out, Not(HasSubstr("recipients/ops")));
  EXPECT_THAT(Ok({"recipients", "list", "--page_size=1", "--all"}), HasSubstr("recipients/ops"));

  out = Ok({"recipients", "update", "recipients/li.na", "--digest", "--channel=email:l@x.cn",
            "--etag=1"});
  EXPECT_THAT(out, HasSubstr("digest         yes"));
  EXPECT_THAT(out, HasSubstr("channels       1. email  l@x.cn\n"));
  EXPECT_THAT(out, HasSubstr("subscriptions  launches/l1\n"));  // untouched: not in the mask
  EXPECT_THAT(out, HasSubstr("etag           2\n"));

  // A stale etag is the server's refusal: exit 1 with its code and message.
  EXPECT_EQ(Run({"recipients", "update", "li.na", "--language=en", "--etag=1"}), kExitRpcError);
  EXPECT_EQ(err_.str(), "error: ABORTED: etag 1 is stale; current is 2\n");
  EXPECT_EQ(out_.str(), "");

  const v1::Recipient shown =
      ParseJson<v1::Recipient>(Ok({"recipients", "show", "li.na", "--json"}));
  EXPECT_EQ(shown.language(), "");
  EXPECT_TRUE(shown.digest());

  EXPECT_EQ(Ok({"recipients", "delete", "li.na", "--etag=2"}), "deleted recipients/li.na\n");
  EXPECT_EQ(Run({"recipients", "show", "li.na"}), kExitRpcError);
  EXPECT_EQ(err_.str(), "error: NOT_FOUND: recipients/li.na not found\n");
}

TEST_F(NotifierCliTest, RemindersListFollowsPagesAndShowsLaunchZones) {
  notifier_.SetReminders({MakeReminder("launches/l1/items/ICP_FILING", 1),
                          MakeReminder("launches/l9/items/MP_VERIFY", 2),
                          MakeReminder("launches/l1/items/MP_FILING", 3)});
  const std::string out = Ok({"reminders", "list", "--days=30", "--tenant=acme", "--page_size=2",
                              "--all", "--recipient=li.na"});
  const std::vector<v1::ListRemindersRequest> requests = notifier_.reminder_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].page_token(), "");
  EXPECT_EQ(requests[1].page_token(), "2");
  for (const v1::ListRemindersRequest& request : requests) {
    EXPECT_EQ(request.days(), 30);
    EXPECT_EQ(request.tenant(), "acme");
    EXPECT_EQ(request.recipient(), "recipients/li.na");
    EXPECT_EQ(request.page_size(), 2);
  }
  // l1 is in Shanghai; the checklist service does not know l9, so it is shown in UTC. Each launch
  // is asked about once.
  EXPECT_THAT(out, HasSubstr("2026-05-07 09:00 +08:00  launches/l1/items/ICP_FILING"));
  EXPECT_THAT(out, HasSubstr("2026-05-08 01:00Z        launches/l9/items/MP_VERIFY"));
  EXPECT_THAT(out, HasSubstr("2026-05-09 09:00 +08:00  launches/l1/items/MP_FILING"));
  EXPECT_THAT(out, HasSubstr("in UTC (Z) where it was not known"));
  EXPECT_THAT(out, Not(HasSubstr("more:")));
  EXPECT_THAT(checklist_.asked(), ElementsAre("launches/l1 view 1", "launches/l9 view 1"));
}

TEST_F(NotifierCliTest, RemindersWithoutAllShowOnePageAndJsonAsksNoZones) {
  notifier_.SetReminders(
      {MakeReminder("launches/l1/items/A", 1), MakeReminder("launches/l1/items/B", 2)});
  EXPECT_THAT(Ok({"reminders", "list", "--page_size=1"}), HasSubstr("more: --page_token=1"));
  const v1::ListRemindersResponse json =
      ParseJson<v1::ListRemindersResponse>(Ok({"reminders", "list", "--json"}));
  EXPECT_EQ(json.reminders_size(), 2);
  EXPECT_EQ(json.reminders(0).rung(), "due:2026-05-11:-1");
  // Only the table run asked the checklist service.
  EXPECT_THAT(checklist_.asked(), ElementsAre("launches/l1 view 1"));
}

TEST_F(NotifierCliTest, RoleManagerMakesARecipientGetTheWeeklyDigest) {
  const std::string out =
      Ok({"recipients", "create", "boss", "--tenant=acme", "--channel=inbox", "--role=manager"});
  EXPECT_THAT(out, HasSubstr("roles          manager (gets the tenant's weekly digest)\n"));
  const v1::Recipient shown =
      ParseJson<v1::Recipient>(Ok({"recipients", "show", "boss", "--json"}));
  ASSERT_EQ(shown.roles_size(), 1);
  EXPECT_EQ(shown.roles(0), v1::RECIPIENT_ROLE_MANAGER);
  EXPECT_EQ(Run({"recipients", "create", "x", "--channel=inbox", "--role=admin"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--role"));
}

TEST_F(NotifierCliTest, DryRunShowsTheWeeklyDigestWithItsText) {
  v1::Reminder digest;
  digest.set_tenant("acme");
  digest.set_kind(v1::REMINDER_KIND_WEEKLY_DIGEST);
  digest.set_rung("weekly-digest:2026-05-11");
  digest.set_deadline_date("2026-05-11");
  digest.mutable_send_time()->set_seconds(kNow + 86400);
  v1::Reminder::Route* route = digest.add_routes();
  route->set_recipient("tenants/acme/recipients/boss");
  route->set_channel(v1::CHANNEL_TYPE_WEBHOOK);
  route->set_reason("manager");
  route->set_text(
      "Tenant acme, Mon 2026-05-11 to Sun 2026-05-17, as of 2026-05-11:\n\n"
      "Overdue (1)\n- due 2026-05-08, overdue by 1 working day: ICP filing\n");
  notifier_.SetReminders({MakeReminder("launches/l1/items/ICP_FILING", 1), digest});
  const std::string out = Ok({"reminders", "dry-run", "l1"});
  EXPECT_THAT(out, HasSubstr("reminders of launches/l1"));  // the digest is no second launch
  EXPECT_THAT(out, HasSubstr("tenants/acme"));
  // About no deadline: DAYS LEFT is "-", not a number of days.
  EXPECT_THAT(out, ContainsRegex("weekly_digest +- +tenants/acme/recipients/boss/webhook"));
  EXPECT_THAT(out, HasSubstr("weekly digest 2026-05-11 to tenants/acme/recipients/boss/webhook"));
  EXPECT_THAT(out, HasSubstr("  Overdue (1)\n  - due 2026-05-08, overdue by 1 working day"));
}

TEST_F(NotifierCliTest, DryRunIsTheWholeForecastOfOneLaunch) {
  std::vector<v1::Reminder> reminders;
  for (int i = 1; i <= 101; ++i) reminders.push_back(MakeReminder("launches/l1/items/X", i));
  reminders.push_back(MakeReminder("launches/l2/items/Y", 1));
  notifier_.SetReminders(reminders);
  const v1::ListRemindersResponse json = ParseJson<v1::ListRemindersResponse>(
      Ok({"reminders", "dry-run", "l1", "--days=90", "--json"}));
  EXPECT_EQ(json.reminders_size(), 101);
  EXPECT_THAT(json.next_page_token(), IsEmpty());
  const std::vector<v1::ListRemindersRequest> requests = notifier_.reminder_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].launch(), "launches/l1");
  EXPECT_EQ(requests[0].days(), 90);
}

TEST_F(NotifierCliTest, RemindersFallBackToUtcWhenTheChecklistIsUnreachable) {
  notifier_.SetReminders(
      {MakeReminder("launches/l1/items/A", 1), MakeReminder("launches/l2/items/B", 1)});
  out_.str("");
  err_.str("");
  const int code = RunCli(
      {"--notifier=" + address_, "--server=127.0.0.1:1", "--timeout=5s", "reminders", "list"},
      "alice", DefaultConnectors(), out_, err_);
  EXPECT_EQ(code, kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("2026-05-07 01:00Z  launches/l1/items/A"));
  EXPECT_THAT(out_.str(), HasSubstr("in UTC (Z) where it was not known"));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(NotifierCliTest, SnoozeAndAcknowledge) {
  std::string out = Ok({"reminders", "snooze", "l1", "ICP_FILING", "--for=2h"});
  EXPECT_EQ(out,
            "launches/l1/items/ICP_FILING\n"
            "snoozed until  2026-05-06 11:00 +08:00\n"
            "acknowledged   no\n"
            "next send      2026-05-06 11:00 +08:00\n");
  out = Ok(
      {"reminders", "snooze", "launches/l1/items/ICP_FILING", "--until=2026-05-08 09:00 +08:00"});
  // The time given is the time echoed: in the launch's zone, not in UTC.
  EXPECT_THAT(out, HasSubstr("snoozed until  2026-05-08 09:00 +08:00\n"));
  const std::vector<v1::SnoozeReminderRequest> snoozes = notifier_.snooze_requests();
  ASSERT_EQ(snoozes.size(), 2u);
  EXPECT_EQ(snoozes[0].snooze_for().seconds(), 7200);
  EXPECT_FALSE(snoozes[0].has_snooze_until());
  EXPECT_EQ(snoozes[1].item(), "launches/l1/items/ICP_FILING");
  EXPECT_EQ(snoozes[1].snooze_until().seconds(), kNow + 2 * 86400);

  out = Ok({"reminders", "ack", "launches/l1", "ICP_FILING"});
  EXPECT_THAT(out, HasSubstr("acknowledged   yes, at item version 3"));
  EXPECT_EQ(Run({"reminders", "ack", "l1/items/NOPE"}), kExitRpcError);
  EXPECT_EQ(err_.str(), "error: NOT_FOUND: launches/l1/items/NOPE not found\n");
}

TEST_F(NotifierCliTest, DeliveriesListFiltersAndPages) {
  std::vector<v1::Delivery> deliveries;
  for (int i = 3; i >= 1; --i) {
    v1::Delivery& delivery = deliveries.emplace_back();
    delivery.set_name(absl::StrCat("deliveries/", i));
    delivery.set_recipient("recipients/li.na");
    delivery.set_channel(v1::CHANNEL_TYPE_WECOM);
    delivery.set_state(v1::DELIVERY_STATE_DEAD_LETTERED);
    delivery.set_item("launches/l1/items/ICP_FILING");
    delivery.mutable_create_time()->set_seconds(kNow + i);
  }
  notifier_.SetDeliveries(deliveries);
  const v1::ListDeliveriesResponse all = ParseJson<v1::ListDeliveriesResponse>(
      Ok({"deliveries", "list", "--state=dead_lettered", "--channel=wecom", "--launch=l1",
          "--item=launches/l1/items/ICP_FILING", "--recipient=li.na", "--tenant=acme",
          "--page_size=2", "--all", "--json"}));
  ASSERT_EQ(all.deliveries_size(), 3);
  EXPECT_EQ(all.deliveries(0).name(), "deliveries/3");
  EXPECT_EQ(all.deliveries(2).name(), "deliveries/1");
  const std::vector<v1::ListDeliveriesRequest> requests = notifier_.delivery_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].page_token(), "2");
  EXPECT_EQ(requests[0].state(), v1::DELIVERY_STATE_DEAD_LETTERED);
  EXPECT_EQ(requests[0].channel(), v1::CHANNEL_TYPE_WECOM);
  EXPECT_EQ(requests[0].launch(), "launches/l1");
  EXPECT_EQ(requests[0].item(), "launches/l1/items/ICP_FILING");
  EXPECT_EQ(requests[0].recipient(), "recipients/li.na");
  EXPECT_EQ(requests[0].tenant(), "acme");

  const std::string table = Ok({"deliveries", "list"});
  EXPECT_THAT(table, HasSubstr("li.na      wecom    dead_lettered  0"));
}

TEST_F(NotifierCliTest, TestNotificationInboxAndSubscription) {
  Ok({"recipients", "create", "li.na", "--channel=inbox", "--channel=email:l@x.cn"});
  std::string out = Ok({"notify", "test", "li.na", "--channel=inbox"});
  EXPECT_THAT(out, HasSubstr("li.na      inbox    delivered"));
  EXPECT_THAT(out, Not(HasSubstr("email")));
  EXPECT_EQ(Run({"notify", "test", "li.na", "--channel=slack"}), kExitRpcError);
  EXPECT_EQ(err_.str(), "error: FAILED_PRECONDITION: the recipient has no such channel\n");

  out = Ok({"inbox", "li.na", "--page_size=2", "--all"});
  EXPECT_THAT(out, StartsWith("recipients/li.na/inbox/3  2026-05-06 01:00Z  -\n"
                              "  message 3\n"));
  EXPECT_THAT(out, HasSubstr("recipients/li.na/inbox/1"));
  EXPECT_THAT(out, Not(HasSubstr("more:")));

  EXPECT_EQ(Ok({"subscription"}),
            "checklist   127.0.0.1:50051  connected\n"
            "applied     event 42\n"
            "last event  -\n"
            "reconnects  0\n");
}

TEST_F(NotifierCliTest, UsageErrorsConnectToNothing) {
  EXPECT_EQ(Run({"reminders", "snooze", "l1", "X"}), kExitUsage);
  EXPECT_THAT(
      err_.str(),
      StartsWith("error: 'reminders snooze' needs one of --for=DURATION and --until=TIME\n"));
  EXPECT_THAT(err_.str(), HasSubstr("Run 'preflight reminders snooze --help'"));
  EXPECT_EQ(Run({"recipients", "update", "li.na"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("changes nothing"));
  EXPECT_EQ(Run({"deliveries", "list", "--state=lost"}), kExitUsage);
  EXPECT_EQ(Run({"inbox"}), kExitUsage);
  EXPECT_EQ(checklist_connects_ + notifier_connects_, 0);
  EXPECT_EQ(out_.str(), "");
}

TEST(ConnectToNotifierTest, UnreachableNotifierIsAnRpcError) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCli({"--notifier=127.0.0.1:1", "--timeout=5s", "subscription"}, "alice",
                          DefaultConnectors(), out, err);
  EXPECT_EQ(code, kExitRpcError);
  EXPECT_THAT(err.str(), StartsWith("error: UNAVAILABLE: "));
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace preflight::cli
