// The service pair end to end: the real checklist-service and notifier-service binaries on free
// loopback ports with temporary data folders, a real HTTP receiver standing in for webhooks and
// bots (tests/peers/http_receiver.py) and a real SMTP server with STARTTLS and AUTH
// (tests/peers/smtp_server.py). Covers delivery over every kind of peer, failing receivers,
// SIGKILL of the notifier during a burst, and the checklist service going away and coming back.

#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/crypto.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/peers.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using testing::Eventually;
using ::testing::HasSubstr;
using testing::HttpReceiver;
using testing::RecordedRequest;
using testing::ScriptedResponse;
using testing::ServiceProcess;
using testing::TempDir;

constexpr absl::Duration kDeliveryTimeout = absl::Seconds(60);
constexpr char kWebhookSecretEnv[] = "PREFLIGHT_TEST_WEBHOOK_SECRET";
constexpr char kWebhookSecret[] = "integration-test-secret";

class PairTest : public testing::ServicePairTest {
 protected:
  void SetUp() override {
    setenv(kWebhookSecretEnv, kWebhookSecret, 1);
    ServicePairTest::SetUp();
  }

  v1::Recipient CreateRecipient(const std::string& id,
                                const std::vector<v1::RecipientChannel>& channels) {
    v1::CreateRecipientRequest request;
    request.mutable_recipient()->set_name("recipients/" + id);
    for (const v1::RecipientChannel& channel : channels) {
      *request.mutable_recipient()->add_channels() = channel;
    }
    return Call(notifier_stub_.get(), &v1::NotifierService::Stub::CreateRecipient, request);
  }

  static v1::RecipientChannel Channel(v1::ChannelType type, const std::string& target = "",
                                      const std::string& secret_ref = "") {
    v1::RecipientChannel channel;
    channel.set_type(type);
    channel.set_target(target);
    channel.set_secret_ref(secret_ref);
    return channel;
  }

  std::string CreateLaunch(const std::string& owner, const std::string& request_id) {
    return Call(checklist_stub_.get(), &v1::ChecklistService::Stub::CreateLaunch,
                testing::LaunchRequest("acme", "Acme shop " + request_id, owner, request_id))
        .name();
  }

  int64_t LastChecklistSequence(const std::string& launch) {
    v1::ListEventsRequest request;
    request.set_parent(launch);
    request.set_page_size(200);
    v1::ListEventsResponse events =
        Call(checklist_stub_.get(), &v1::ChecklistService::Stub::ListEvents, request);
    return events.events().empty() ? 0 : events.events().rbegin()->sequence();
  }

  static int CountIn(const std::vector<v1::Delivery>& deliveries, v1::DeliveryState state) {
    int count = 0;
    for (const v1::Delivery& delivery : deliveries) count += delivery.state() == state ? 1 : 0;
    return count;
  }
};

TEST_F(PairTest, RemindersReachWebhookBotsEmailInboxAndLog) {
  absl::StatusOr<testing::CertFiles> cert = testing::MakeSelfSignedCert(dir_.path());
  ASSERT_TRUE(cert.ok()) << cert.status();
  testing::SmtpServerOptions smtp_options;
  smtp_options.mail_dir = dir_.Join("mail");
  smtp_options.tls = *cert;
  smtp_options.require_starttls = true;
  smtp_options.user = "preflight";
  smtp_options.password = "smtp-password";
  absl::StatusOr<std::unique_ptr<testing::SmtpServer>> smtp =
      testing::SmtpServer::Start(smtp_options);
  ASSERT_TRUE(smtp.ok()) << smtp.status();
  setenv("PREFLIGHT_TEST_SMTP_PASSWORD", "smtp-password", 1);
  StartNotifier({"--smtp_url=" + (*smtp)->Url(), "--smtp_from=preflight@example.com",
                 "--smtp_username=preflight",
                 "--smtp_password_ref=env:PREFLIGHT_TEST_SMTP_PASSWORD",
                 "--smtp_ca_file=" + cert->cert_path});

  CreateRecipient(
      "owner@example.com",
      {Channel(v1::CHANNEL_TYPE_WEBHOOK, receiver_->Url("/hook"),
               absl::StrCat("env:", kWebhookSecretEnv)),
       Channel(v1::CHANNEL_TYPE_WECOM, receiver_->Url("/wecom?key=k1")),
       Channel(v1::CHANNEL_TYPE_EMAIL, "owner@example.com"), Channel(v1::CHANNEL_TYPE_INBOX)});
  const std::string launch = CreateLaunch("owner@example.com", "pair-1");

  // Every delivery reaches a final state, and all of them are delivered.
  std::vector<v1::Delivery> deliveries;
  ASSERT_TRUE(Eventually(
      [&] {
        deliveries = Deliveries(launch);
        return !deliveries.empty() &&
               CountIn(deliveries, v1::DELIVERY_STATE_DELIVERED) ==
                   static_cast<int>(deliveries.size()) &&
               Subscription().applied_sequence() >= LastChecklistSequence(launch);
      },
      kDeliveryTimeout))
      << "deliveries: " << deliveries.size();

  std::map<v1::ChannelType, int> per_channel;
  for (const v1::Delivery& delivery : deliveries) ++per_channel[delivery.channel()];
  EXPECT_GT(per_channel[v1::CHANNEL_TYPE_WEBHOOK], 0);
  EXPECT_EQ(per_channel[v1::CHANNEL_TYPE_WEBHOOK], per_channel[v1::CHANNEL_TYPE_INBOX]);
  EXPECT_EQ(per_channel[v1::CHANNEL_TYPE_WEBHOOK], per_channel[v1::CHANNEL_TYPE_EMAIL]);

  // Webhook: one request per delivery, each signed over timestamp + body with the secret.
  absl::StatusOr<std::vector<RecordedRequest>> hooks = receiver_->Requests("/hook");
  ASSERT_TRUE(hooks.ok()) << hooks.status();
  std::set<std::string> keys;
  for (const RecordedRequest& request : *hooks) {
    ASSERT_TRUE(request.idempotency_key.has_value());
    keys.insert(*request.idempotency_key);
    const std::optional<std::string> timestamp = request.Header("X-Preflight-Timestamp");
    const std::optional<std::string> signature = request.Header("X-Preflight-Signature");
    ASSERT_TRUE(timestamp.has_value() && signature.has_value());
    EXPECT_EQ(*signature,
              "v1=" + absl::BytesToHexString(
                          HmacSha256(kWebhookSecret, absl::StrCat(*timestamp, ".", request.body))));
    EXPECT_THAT(request.body, HasSubstr("【Preflight】"));
  }
  EXPECT_EQ(static_cast<int>(keys.size()), per_channel[v1::CHANNEL_TYPE_WEBHOOK]);

  // WeCom: the group bot's JSON, within its rate budget (20 a minute: overflow is folded).
  absl::StatusOr<std::vector<RecordedRequest>> wecom = receiver_->Requests("/wecom");
  ASSERT_TRUE(wecom.ok());
  ASSERT_FALSE(wecom->empty());
  EXPECT_LE(wecom->size(), 20u);
  EXPECT_THAT(wecom->front().body, HasSubstr("\"msgtype\""));

  // Email: through STARTTLS and AUTH, a UTF-8 subject.
  absl::StatusOr<std::vector<testing::ReceivedEmail>> emails = (*smtp)->Emails();
  ASSERT_TRUE(emails.ok()) << emails.status();
  ASSERT_EQ(static_cast<int>(emails->size()), per_channel[v1::CHANNEL_TYPE_EMAIL]);
  EXPECT_TRUE(emails->front().tls);
  EXPECT_EQ(emails->front().login, "preflight");
  absl::StatusOr<testing::ParsedEmail> parsed = testing::ParseEmail(emails->front().raw);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<std::string> subject =
      testing::DecodeEncodedWords(parsed->Header("Subject").value_or(""));
  ASSERT_TRUE(subject.ok()) << subject.status();
  EXPECT_THAT(*subject, HasSubstr("【Preflight】"));

  // Inbox, readable through the API.
  v1::ListInboxMessagesRequest inbox_request;
  inbox_request.set_recipient("recipients/owner@example.com");
  inbox_request.set_page_size(100);
  v1::ListInboxMessagesResponse inbox =
      Call(notifier_stub_.get(), &v1::NotifierService::Stub::ListInboxMessages, inbox_request);
  EXPECT_EQ(inbox.messages_size(), per_channel[v1::CHANNEL_TYPE_INBOX]);
}

TEST_F(PairTest, FailingReceiversAreRetriedOrDeadLetteredWithoutStallingOthers) {
  StartNotifier();
  // 500, then 429 with Retry-After, then a hang past the 1 s timeout, then success.
  ScriptedResponse error;
  error.status = 500;
  ScriptedResponse throttled;
  throttled.status = 429;
  throttled.headers = {{"Retry-After", "1"}};
  ScriptedResponse hang;
  hang.hang = absl::Seconds(5);
  ASSERT_TRUE(receiver_->Script("/flaky", {error, throttled, hang}).ok());
  ScriptedResponse gone;
  gone.status = 404;
  std::vector<ScriptedResponse> always_gone(200, gone);
  ASSERT_TRUE(receiver_->Script("/gone", always_gone).ok());

  CreateRecipient("flaky", {Channel(v1::CHANNEL_TYPE_WEBHOOK, receiver_->Url("/flaky"))});
  CreateRecipient("gone", {Channel(v1::CHANNEL_TYPE_WEBHOOK, receiver_->Url("/gone"))});
  CreateRecipient("fine", {Channel(v1::CHANNEL_TYPE_WEBHOOK, receiver_->Url("/fine"))});
  // Everything goes to the owner; the other two subscribe to the tenant for copies.
  v1::UpdateRecipientRequest subscribe;
  for (const std::string id : {"gone", "fine"}) {
    subscribe.mutable_recipient()->set_name("recipients/" + id);
    subscribe.mutable_recipient()->clear_subscriptions();
    subscribe.mutable_recipient()->add_subscriptions("tenants/acme");
    subscribe.mutable_update_mask()->clear_paths();
    subscribe.mutable_update_mask()->add_paths("subscriptions");
    Call(notifier_stub_.get(), &v1::NotifierService::Stub::UpdateRecipient, subscribe);
  }
  const std::string launch = CreateLaunch("flaky", "fail-1");

  std::vector<v1::Delivery> deliveries;
  ASSERT_TRUE(Eventually(
      [&] {
        deliveries = Deliveries(launch);
        if (deliveries.empty()) return false;
        for (const v1::Delivery& delivery : deliveries) {
          if (delivery.state() == v1::DELIVERY_STATE_PENDING ||
              delivery.state() == v1::DELIVERY_STATE_SENDING) {
            return false;
          }
        }
        return true;
      },
      kDeliveryTimeout));
  // The receiver answered the first three requests to /flaky with 500, 429 and a hang. Which
  // deliveries met them depends on timing (a retry may meet the next scripted failure), so the
  // checks are over every attempt: each failure was retried, and every delivery got through.
  bool saw_500 = false;
  bool saw_429 = false;
  bool saw_timeout = false;
  for (const v1::Delivery& delivery : deliveries) {
    const std::string recipient = delivery.recipient();
    if (recipient == "recipients/gone") {
      // 404 is terminal: one attempt, dead-lettered, visible.
      EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DEAD_LETTERED);
      ASSERT_EQ(delivery.attempts_size(), 1) << delivery.DebugString();
      EXPECT_EQ(delivery.attempts(0).http_status(), 404);
      continue;
    }
    EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DELIVERED) << recipient;
    if (recipient != "recipients/flaky" || delivery.attempts_size() < 2) continue;
    const int last = delivery.attempts_size() - 1;
    EXPECT_EQ(delivery.attempts(last).outcome(), "delivered");
    for (int k = 0; k < last; ++k) {
      const v1::DeliveryAttempt& failed = delivery.attempts(k);
      const v1::DeliveryAttempt& next = delivery.attempts(k + 1);
      EXPECT_EQ(failed.outcome(), "retry");
      if (failed.http_status() == 500) saw_500 = true;
      if (failed.http_status() == 0) saw_timeout = true;
      if (failed.http_status() == 429) {
        saw_429 = true;
        // Retry-After: 1 was honoured.
        EXPECT_GE(absl::FromUnixSeconds(next.time().seconds()) +
                      absl::Nanoseconds(next.time().nanos()) -
                      (absl::FromUnixSeconds(failed.time().seconds()) +
                       absl::Nanoseconds(failed.time().nanos())),
                  absl::Seconds(1));
      }
    }
  }
  EXPECT_TRUE(saw_500);
  EXPECT_TRUE(saw_429);
  EXPECT_TRUE(saw_timeout);
}

// A receiver that takes 0.8 s to answer the first request with 429 and Retry-After: 2. Nothing
// else reaches it before 2 s after that answer: neither the throttled delivery's retry nor the
// other deliveries queued for the same endpoint. The ledger records each attempt when its
// request went out, not when the pass that found it began.
TEST_F(PairTest, RetryAfterHoldsEveryDeliveryToTheEndpointAndTheLedgerHasSendTimes) {
  StartNotifier();
  ScriptedResponse slow_throttle;
  slow_throttle.status = 429;
  slow_throttle.headers = {{"Retry-After", "2"}};
  slow_throttle.hang = absl::Milliseconds(800);
  ASSERT_TRUE(receiver_->Script("/throttled", {slow_throttle}).ok());
  CreateRecipient("throttled", {Channel(v1::CHANNEL_TYPE_WEBHOOK, receiver_->Url("/throttled"))});
  const std::string launch = CreateLaunch("throttled", "throttle-1");

  std::vector<v1::Delivery> deliveries;
  ASSERT_TRUE(Eventually(
      [&] {
        deliveries = Deliveries(launch);
        if (deliveries.size() < 2) return false;
        return CountIn(deliveries, v1::DELIVERY_STATE_DELIVERED) ==
               static_cast<int>(deliveries.size());
      },
      kDeliveryTimeout))
      << "deliveries: " << deliveries.size();

  absl::StatusOr<std::vector<RecordedRequest>> requests = receiver_->Requests("/throttled");
  ASSERT_TRUE(requests.ok()) << requests.status();
  ASSERT_GE(requests->size(), 3u);  // the 429, its retry and at least one other delivery
  const absl::Time throttled_at =
      absl::FromUnixNanos(static_cast<int64_t>(requests->front().received_at * 1e9));
  // Answered 0.8 s after it arrived. Until then the endpoint had said nothing, so the other send
  // lanes to it may send (100 ms of slack for a send that checked the hold just before the
  // answer, and for the receiver's own timing); after it, nothing may come before 2.8 s after
  // the 429 arrived.
  const absl::Time answered = throttled_at + absl::Milliseconds(800);
  const absl::Time allowed = throttled_at + absl::Milliseconds(2700);
  int before_the_answer = 0;
  for (size_t i = 1; i < requests->size(); ++i) {
    const absl::Time at =
        absl::FromUnixNanos(static_cast<int64_t>((*requests)[i].received_at * 1e9));
    if (at < answered + absl::Milliseconds(100)) {
      ++before_the_answer;
      continue;
    }
    EXPECT_GE(at, allowed) << "request " << i << " came " << absl::FormatDuration(allowed - at)
                           << " early";
  }
  // The throttled delivery's own retry is always among the held ones.
  EXPECT_LT(before_the_answer, static_cast<int>(requests->size()) - 1);

  // Each attempt's time is when its request went out: just before the receiver saw it.
  std::map<std::string, std::vector<absl::Time>> arrivals;
  for (const RecordedRequest& request : *requests) {
    arrivals[request.idempotency_key.value_or("")].push_back(
        absl::FromUnixNanos(static_cast<int64_t>(request.received_at * 1e9)));
  }
  int checked = 0;
  for (const v1::Delivery& delivery : deliveries) {
    const std::string key =
        delivery.digest_key().empty() ? delivery.dedup_key() : delivery.digest_key();
    const std::vector<absl::Time>& seen = arrivals[key];
    ASSERT_EQ(seen.size(), static_cast<size_t>(delivery.attempts_size())) << key;
    for (int k = 0; k < delivery.attempts_size(); ++k) {
      const v1::DeliveryAttempt& attempt = delivery.attempts(k);
      const absl::Time recorded = absl::FromUnixSeconds(attempt.time().seconds()) +
                                  absl::Nanoseconds(attempt.time().nanos());
      EXPECT_LE(recorded, seen[k] + absl::Milliseconds(50)) << key << " attempt " << k + 1;
      EXPECT_GE(recorded, seen[k] - absl::Milliseconds(500)) << key << " attempt " << k + 1;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(requests->size()));
}

TEST_F(PairTest, SigkillDuringABurstLosesNothingAndTheKeyDedupsEveryResend) {
  StartNotifier();
  // Each answer takes a while, so the burst is still going when the notifier is killed.
  ScriptedResponse slow;
  slow.hang = absl::Milliseconds(40);
  ASSERT_TRUE(receiver_->Script("/burst", std::vector<ScriptedResponse>(2000, slow)).ok());
  CreateRecipient("owner", {Channel(v1::CHANNEL_TYPE_WEBHOOK, receiver_->Url("/burst"))});
  std::vector<std::string> launches;
  for (int i = 0; i < 6; ++i) launches.push_back(CreateLaunch("owner", absl::StrCat("burst-", i)));

  ASSERT_TRUE(Eventually(
      [&] {
        absl::StatusOr<std::vector<RecordedRequest>> seen = receiver_->Requests("/burst");
        return seen.ok() && seen->size() >= 10;
      },
      kDeliveryTimeout));
  ASSERT_TRUE(notifier_->process.Stop(SIGKILL).ok());
  StartNotifier();

  std::vector<v1::Delivery> deliveries;
  ASSERT_TRUE(Eventually(
      [&] {
        deliveries = Deliveries("", v1::CHANNEL_TYPE_WEBHOOK);
        int last = 0;
        for (const std::string& launch : launches)
          last = std::max<int>(last, LastChecklistSequence(launch));
        return !deliveries.empty() && Subscription().applied_sequence() >= last &&
               CountIn(deliveries, v1::DELIVERY_STATE_DELIVERED) ==
                   static_cast<int>(deliveries.size());
      },
      absl::Seconds(120)));

  absl::StatusOr<std::vector<RecordedRequest>> received = receiver_->Requests("/burst");
  ASSERT_TRUE(received.ok());
  std::map<std::string, int> per_key;
  for (const RecordedRequest& request : *received) ++per_key[request.idempotency_key.value_or("")];
  std::set<std::string> expected;
  for (const v1::Delivery& delivery : deliveries) expected.insert(delivery.dedup_key());
  // Every delivery arrived, each under its own key; a resend after the kill reuses the key.
  std::set<std::string> got;
  for (const auto& [key, count] : per_key) got.insert(key);
  EXPECT_EQ(got, expected);
  int duplicates = 0;
  for (const auto& [key, count] : per_key) {
    duplicates += count - 1;
    EXPECT_LE(count, 2) << key << ": resent more than once after one kill";
  }
  EXPECT_LE(duplicates, testing::kWebhookSendLanes)
      << "at most the requests in flight at the kill (one per send lane) are resent";
  std::printf("burst: %zu deliveries, %zu requests, %d resent after SIGKILL\n", expected.size(),
              received->size(), duplicates);
}

TEST_F(PairTest, ChecklistRestartLosesNoEvent) {
  StartNotifier();
  CreateRecipient("owner", {Channel(v1::CHANNEL_TYPE_INBOX)});
  const std::string first = CreateLaunch("owner", "restart-1");
  ASSERT_TRUE(
      Eventually([&] { return Subscription().applied_sequence() >= LastChecklistSequence(first); },
                 kDeliveryTimeout));

  // Down: the notifier notices and keeps trying.
  const std::string address = checklist_->address;
  ASSERT_TRUE(checklist_->process.Stop(SIGKILL).ok());
  ASSERT_TRUE(Eventually([&] { return !Subscription().connected(); }, kDeliveryTimeout));
  const int reconnects_before = Subscription().reconnects();
  ASSERT_TRUE(Eventually([&] { return Subscription().reconnects() > reconnects_before + 2; },
                         kDeliveryTimeout));

  // Back on the same address, with new changes made before the notifier reconnects.
  StartChecklist(address);
  const std::string second = CreateLaunch("owner", "restart-2");
  v1::UpdateItemRequest approve;
  approve.mutable_item()->set_name(first + "/items/ICP_FILING");
  approve.mutable_item()->set_status(v1::ITEM_STATUS_IN_PROGRESS);
  approve.mutable_update_mask()->add_paths("status");
  Call(checklist_stub_.get(), &v1::ChecklistService::Stub::UpdateItem, approve);

  const int64_t last = std::max(LastChecklistSequence(first), LastChecklistSequence(second));
  ASSERT_TRUE(
      Eventually([&] { return Subscription().applied_sequence() == last; }, kDeliveryTimeout));
  EXPECT_TRUE(Subscription().connected());
  // The second launch's reminders were decided from events sent while the notifier was away.
  ASSERT_TRUE(Eventually([&] { return !Deliveries(second).empty(); }, kDeliveryTimeout));
  // The started item no longer gets start reminders in the forecast.
  v1::ListRemindersRequest forecast;
  forecast.set_launch(first);
  forecast.set_days(60);
  forecast.set_page_size(1000);
  v1::ListRemindersResponse reminders =
      Call(notifier_stub_.get(), &v1::NotifierService::Stub::ListReminders, forecast);
  for (const v1::Reminder& reminder : reminders.reminders()) {
    if (reminder.item() == first + "/items/ICP_FILING") {
      EXPECT_NE(reminder.kind(), v1::REMINDER_KIND_BEFORE_START) << reminder.rung();
    }
  }
}

TEST_F(PairTest, ServesHealthAndLoadsItsRecipientsFileAndRefusesABrokenOne) {
  std::ofstream(dir_.Join("recipients.textproto")) << R"pb(
    recipients {
      name: "recipients/li.na"
      display_name: "Li Na"
      language: "zh"
      channels { type: CHANNEL_TYPE_INBOX }
      channels {
        type: CHANNEL_TYPE_WEBHOOK
        target: "https://hooks.example/li"
        secret_ref: "env:LI_HOOK"
      }
    }
  )pb";
  StartNotifier({"--recipients_file=" + dir_.Join("recipients.textproto")});
  v1::GetRecipientRequest get;
  get.set_name("recipients/li.na");
  v1::Recipient li = Call(notifier_stub_.get(), &v1::NotifierService::Stub::GetRecipient, get);
  EXPECT_EQ(li.display_name(), "Li Na");
  ASSERT_EQ(li.channels_size(), 2);
  EXPECT_EQ(li.channels(1).secret_ref(), "env:LI_HOOK");

  for (const std::string name : {"", "preflight.v1.NotifierService"}) {
    ASSERT_EQ(testing::HealthOf(notifier_->address, name),
              grpc::health::v1::HealthCheckResponse::SERVING)
        << name;
  }

  // A clean stop, then a file with a bad channel: start-up is refused, naming the file.
  ASSERT_TRUE(notifier_->process.Stop(SIGTERM).ok());
  std::ofstream(dir_.Join("broken.textproto"))
      << "recipients { name: \"recipients/x\" channels { type: CHANNEL_TYPE_WEBHOOK } }\n";
  absl::StatusOr<testing::CommandResult> refused = testing::RunCommand(
      testing::NotifierArgv(dir_.Join("notifier-data"), checklist_->address,
                            {"--recipients_file=" + dir_.Join("broken.textproto")}),
      absl::Seconds(20));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->exit_code, 1);
  EXPECT_THAT(refused->output, HasSubstr("broken.textproto"));
  EXPECT_THAT(refused->output, HasSubstr("recipient.channels[0].target"));
}

}  // namespace
}  // namespace preflight
