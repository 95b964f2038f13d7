// The manager's weekly digest end to end: the real checklist-service and notifier-service
// binaries, a real HTTP receiver as the manager's webhook, and the preflight CLI's dry run. The
// binaries have no controllable clock, so the test runs on the real one: its policy puts the
// digest at 00:00 of the week's first working day with no quiet hours, which makes this week's
// digest due (late) whenever the test runs after that moment, and the test asks the notifier's
// own forecast whether it is.

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/peers.h"
#include "tests/testing/subprocess.h"

namespace preflight {
namespace {

using testing::Eventually;
using ::testing::HasSubstr;
using testing::RecordedRequest;

constexpr absl::Duration kTimeout = absl::Seconds(60);

class WeeklyDigestPairTest : public testing::ServicePairTest {
 protected:
  void SetUp() override {
    ServicePairTest::SetUp();
    // kAnyHourPolicy (no quiet hours) with the weekly digest at the start of the working day.
    std::ofstream(dir_.Join("notifier-data") + "/notifier/reminder_policy.textproto")
        << testing::kAnyHourPolicy << "\nweekly_digest_time: \"00:00\"\n";
  }

  void CreateManager(const std::string& id) {
    v1::CreateRecipientRequest request;
    v1::Recipient* recipient = request.mutable_recipient();
    recipient->set_name("tenants/acme/recipients/" + id);
    recipient->set_language("en");
    recipient->add_roles(v1::RECIPIENT_ROLE_MANAGER);
    v1::RecipientChannel* channel = recipient->add_channels();
    channel->set_type(v1::CHANNEL_TYPE_WEBHOOK);
    channel->set_target(receiver_->Url("/digest/" + id));
    Call(notifier_stub_.get(), &v1::NotifierService::Stub::CreateRecipient, request);
  }

  std::vector<RecordedRequest> DigestRequests(const std::string& id) {
    absl::StatusOr<std::vector<RecordedRequest>> requests = receiver_->Requests("/digest/" + id);
    EXPECT_TRUE(requests.ok()) << requests.status();
    return requests.ok() ? *requests : std::vector<RecordedRequest>{};
  }

  std::vector<v1::Delivery> DigestDeliveries() {
    std::vector<v1::Delivery> digests;
    for (const v1::Delivery& delivery : Deliveries()) {
      if (delivery.kind() == v1::REMINDER_KIND_WEEKLY_DIGEST) digests.push_back(delivery);
    }
    return digests;
  }
};

TEST_F(WeeklyDigestPairTest, TheDigestArrivesOnceAcrossARestartAndTheDryRunShowsIt) {
  StartNotifier();
  const std::string launch = Call(checklist_stub_.get(), &v1::ChecklistService::Stub::CreateLaunch,
                                  testing::LaunchRequest("acme", "Acme shop", "owner", "digest-1"))
                                 .name();

  // The digest is a snapshot of what the notifier has applied when it is decided, and with no
  // manager yet nothing waits for it: let the notifier apply the launch's events first, or a
  // digest decided at once (on a day past the week's send time) would rightly leave it out.
  v1::ListEventsRequest events;
  events.set_parent(launch);
  events.set_page_size(200);  // a new launch has a handful
  const v1::ListEventsResponse listed =
      Call(checklist_stub_.get(), &v1::ChecklistService::Stub::ListEvents, events);
  int64_t head = 0;
  for (const v1::Event& event : listed.events()) head = std::max(head, event.sequence());
  ASSERT_GT(head, 0);
  ASSERT_TRUE(Eventually([&] { return Subscription().applied_sequence() >= head; }, kTimeout));

  // Before any manager exists nothing is planned; once one does, the forecast (and the CLI's dry
  // run) shows this week's digest for the manager's webhook, with its text.
  CreateManager("boss");
  v1::ListRemindersRequest forecast;
  forecast.set_launch(launch);
  forecast.set_days(7);
  forecast.set_page_size(1000);
  v1::Reminder digest;
  ASSERT_TRUE(Eventually(
      [&] {
        v1::ListRemindersResponse reminders =
            Call(notifier_stub_.get(), &v1::NotifierService::Stub::ListReminders, forecast);
        for (const v1::Reminder& reminder : reminders.reminders()) {
          if (reminder.kind() == v1::REMINDER_KIND_WEEKLY_DIGEST) {
            digest = reminder;
            return true;
          }
        }
        // Already decided and sent: the forecast no longer lists this week's.
        return !DigestRequests("boss").empty();
      },
      kTimeout));
  // A digest planned later means this week's start has not come (a Monday holiday, or it is
  // sent already and the next week's is listed: then its request is on its way).
  if (digest.routes_size() > 0 &&
      digest.send_time().seconds() > absl::ToUnixSeconds(absl::Now()) + 60 &&
      !Eventually([&] { return !DigestRequests("boss").empty(); }, absl::Seconds(3))) {
    GTEST_SKIP() << "this week's first working day has not begun (digest planned for "
                 << digest.deadline_date() << ")";
  }

  // The digest arrives, once, with its deterministic idempotency key.
  ASSERT_TRUE(Eventually([&] { return DigestRequests("boss").size() == 1; }, kTimeout));
  std::vector<RecordedRequest> requests = DigestRequests("boss");
  ASSERT_TRUE(requests[0].idempotency_key.has_value());
  EXPECT_TRUE(absl::StartsWith(*requests[0].idempotency_key, "weekly-digest/acme/"))
      << *requests[0].idempotency_key;
  EXPECT_TRUE(
      absl::EndsWith(*requests[0].idempotency_key, "/tenants/acme/recipients/boss/webhook"));
  EXPECT_THAT(requests[0].body, HasSubstr("Weekly digest for acme"));
  // Decided once the notifier had caught up with the stream: every item of the launch is known,
  // so the digest's overdue count is the checklist's (items not done, due before the day).
  EXPECT_THAT(requests[0].body, HasSubstr("Launches at risk (1)"));
  const std::string& body = requests[0].body;
  const size_t as_of_at = body.find("\"as_of\":\"");
  const size_t overdue_at = body.find("\"overdue\":", body.find("\"counts\":"));
  ASSERT_NE(as_of_at, std::string::npos);
  ASSERT_NE(overdue_at, std::string::npos);
  const std::string as_of = body.substr(as_of_at + 9, 10);
  const int digest_overdue = std::stoi(body.substr(overdue_at + 10));
  v1::GetLaunchRequest get;
  get.set_name(launch);
  const v1::Launch full = Call(checklist_stub_.get(), &v1::ChecklistService::Stub::GetLaunch, get);
  int overdue = 0;
  for (const v1::Item& item : full.items()) {
    if (item.status() == v1::ITEM_STATUS_APPROVED || item.status() == v1::ITEM_STATUS_WAIVED ||
        item.status() == v1::ITEM_STATUS_NOT_APPLICABLE) {
      continue;
    }
    const std::string due =
        item.due_date().empty() ? item.schedule().latest_finish_date() : item.due_date();
    if (!due.empty() && due < as_of) ++overdue;
  }
  EXPECT_GT(overdue, 0);
  EXPECT_EQ(digest_overdue, overdue) << body;
  EXPECT_THAT(requests[0].body, HasSubstr("Acme shop"));

  // Restart the notifier: a second manager's digest arriving proves a digest pass ran after the
  // restart, and the first manager still got exactly one.
  ASSERT_TRUE(notifier_->process.Stop(SIGTERM).ok());
  StartNotifier();
  CreateManager("deputy");
  ASSERT_TRUE(Eventually([&] { return DigestRequests("deputy").size() == 1; }, kTimeout));
  EXPECT_EQ(DigestRequests("boss").size(), 1u);
  // Both recorded delivered (the receiver may have the request before the ledger the outcome).
  std::vector<v1::Delivery> deliveries;
  ASSERT_TRUE(Eventually(
      [&] {
        deliveries = DigestDeliveries();
        for (const v1::Delivery& delivery : deliveries) {
          if (delivery.state() != v1::DELIVERY_STATE_DELIVERED) return false;
        }
        return deliveries.size() == 2;
      },
      kTimeout))
      << deliveries.size() << " digest deliveries";
  for (const v1::Delivery& delivery : deliveries) EXPECT_TRUE(delivery.item().empty());

  // The dry run through the CLI: this week's digests are sent, so the next week's is listed.
  absl::StatusOr<testing::CommandResult> dry_run = testing::RunCommand(
      {PREFLIGHT_CLI_BIN, "--server=" + checklist_->address, "--notifier=" + notifier_->address,
       "reminders", "dry-run", launch, "--days=8"},
      kTimeout);
  ASSERT_TRUE(dry_run.ok()) << dry_run.status();
  EXPECT_EQ(dry_run->exit_code, 0) << dry_run->output;
  EXPECT_THAT(dry_run->output, HasSubstr("tenants/acme"));
  EXPECT_THAT(dry_run->output, HasSubstr("weekly digest "));
  EXPECT_THAT(dry_run->output, HasSubstr("boss/webhook"));
  EXPECT_THAT(dry_run->output, HasSubstr("Tenant acme, "));
  // Nothing was sent by looking.
  EXPECT_EQ(DigestDeliveries().size(), 2u);
  std::cout << "--- preflight reminders dry-run " << launch << " --days=8\n"
            << dry_run->output << "--- the digest as received\n"
            << requests[0].body << "\n";
}

}  // namespace
}  // namespace preflight
