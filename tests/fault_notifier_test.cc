// Faults around the notifier (docs/reliability.md): SIGKILL at random moments during deliveries,
// the checklist service unreachable for a while, and a channel failing in each way. Each test
// prints its measured figures as "figure:" lines.
//
// PREFLIGHT_FAULT_NOTIFIER_ROUNDS raises the number of notifier kills (default 5);
// PREFLIGHT_FAULT_OUTAGE_SECONDS lengthens the checklist outage (default 20).

#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"
#include "tests/testing/fault_testing.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/peers.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::preflight::testing::Eventually;
using ::preflight::testing::ServiceProcess;
using ::preflight::testing::StartProcess;
using testing::Figure;
using testing::HttpReceiver;
using testing::RecordedRequest;
using testing::ScriptedResponse;
using testing::SetDeadline;
using testing::TempDir;
using testing::ToTime;

constexpr int kDefaultNotifierKills = 5;
constexpr int kDefaultOutageSeconds = 20;
constexpr absl::Duration kRpcTimeout = absl::Seconds(10);
// The subscriber's first reconnect delay (EventSubscriberOptions::initial_backoff).
constexpr absl::Duration kReconnectInitial = absl::Milliseconds(500);

std::string Ms(absl::Duration d) { return absl::StrCat(absl::ToInt64Milliseconds(d), "ms"); }

// A TCP listener that never accepts: connections complete in the kernel's backlog and then hear
// nothing, the "hanging connection" a receiver can leave a sender with.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof(address);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(fd_, 128) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      port_ = -1;
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() {
    if (fd_ >= 0) close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = -1;
};

class NotifierFaultTest : public testing::ServicePairTest {
 protected:
  void CreateWebhookRecipient(const std::string& id, const std::string& url,
                              bool subscribe_tenant = false) {
    v1::CreateRecipientRequest request;
    request.mutable_recipient()->set_name("recipients/" + id);
    v1::RecipientChannel* channel = request.mutable_recipient()->add_channels();
    channel->set_type(url.empty() ? v1::CHANNEL_TYPE_INBOX : v1::CHANNEL_TYPE_WEBHOOK);
    channel->set_target(url);
    if (subscribe_tenant) request.mutable_recipient()->add_subscriptions("tenants/acme");
    Call(notifier_stub_.get(), &v1::NotifierService::Stub::CreateRecipient, request);
  }

  std::string CreateLaunch(const std::string& owner, const std::string& request_id) {
    return Call(checklist_stub_.get(), &v1::ChecklistService::Stub::CreateLaunch,
                testing::LaunchRequest(owner, request_id))
        .name();
  }

  int64_t LastChecklistSequence(const std::vector<std::string>& launches) {
    int64_t last = 0;
    for (const std::string& launch : launches) {
      v1::ListEventsRequest request;
      request.set_parent(launch);
      request.set_page_size(200);
      while (true) {
        v1::ListEventsResponse page =
            Call(checklist_stub_.get(), &v1::ChecklistService::Stub::ListEvents, request);
        for (const v1::Event& event : page.events()) last = std::max(last, event.sequence());
        if (page.next_page_token().empty()) break;
        request.set_page_token(page.next_page_token());
      }
    }
    return last;
  }

  static bool AllFinal(const std::vector<v1::Delivery>& deliveries) {
    for (const v1::Delivery& delivery : deliveries) {
      if (delivery.state() == v1::DELIVERY_STATE_PENDING ||
          delivery.state() == v1::DELIVERY_STATE_SENDING) {
        return false;
      }
    }
    return !deliveries.empty();
  }
};

TEST_F(NotifierFaultTest, SigkillDuringDeliveriesLosesNoReminderAndDuplicatesShareTheirKey) {
  const int kills = testing::EnvInt("PREFLIGHT_FAULT_NOTIFIER_ROUNDS", kDefaultNotifierKills);
  // Slow answers keep a request in flight most of the time, so kills land mid-send.
  ScriptedResponse slow;
  slow.hang = absl::Milliseconds(60);
  ASSERT_TRUE(receiver_->Script("/hook", std::vector<ScriptedResponse>(5000, slow)).ok());
  StartNotifier();
  CreateWebhookRecipient("owner", receiver_->Url("/hook"));
  std::vector<std::string> launches;
  for (int i = 0; i < 10; ++i) launches.push_back(CreateLaunch("owner", absl::StrCat("kill-", i)));

  absl::BitGen random;
  int kills_mid_burst = 0;
  size_t seen = 0;
  for (int kill = 0; kill < kills; ++kill) {
    // A random moment: after 1..8 more requests reached the receiver.
    const size_t target = seen + absl::Uniform<size_t>(random, 1, 9);
    const bool reached = Eventually(
        [&] {
          absl::StatusOr<std::vector<RecordedRequest>> got = receiver_->Requests("/hook");
          if (got.ok()) seen = got->size();
          return seen >= target;
        },
        absl::Seconds(20), absl::Milliseconds(5));
    if (reached) ++kills_mid_burst;
    ASSERT_TRUE(notifier_->process.Stop(SIGKILL).ok());
    StartNotifier();
  }

  std::vector<v1::Delivery> deliveries;
  const int64_t last = LastChecklistSequence(launches);
  ASSERT_TRUE(Eventually(
      [&] {
        deliveries = Deliveries();
        if (deliveries.empty() || Subscription().applied_sequence() < last) return false;
        for (const v1::Delivery& delivery : deliveries) {
          if (delivery.state() != v1::DELIVERY_STATE_DELIVERED) return false;
        }
        return true;
      },
      absl::Seconds(120)));

  absl::StatusOr<std::vector<RecordedRequest>> received = receiver_->Requests("/hook");
  ASSERT_TRUE(received.ok()) << received.status();
  std::map<std::string, int> per_key;
  for (const RecordedRequest& request : *received) {
    ASSERT_TRUE(request.idempotency_key.has_value());
    ++per_key[*request.idempotency_key];
  }
  std::set<std::string> expected;
  for (const v1::Delivery& delivery : deliveries) expected.insert(delivery.dedup_key());
  std::set<std::string> got;
  int duplicates = 0;
  for (const auto& [key, count] : per_key) {
    got.insert(key);
    duplicates += count - 1;
  }
  // None lost, and each delivery arrived under exactly one key: every duplicate is a resend
  // under its original's key, which the receiver can drop.
  EXPECT_EQ(got, expected);
  const int lost = static_cast<int>(std::count_if(
      expected.begin(), expected.end(), [&](const std::string& key) { return !got.count(key); }));
  // At most the requests in flight to the endpoint at each kill (one per send lane) are resent,
  // and a request at most once per kill.
  EXPECT_LE(duplicates, kills * testing::kWebhookSendLanes);
  for (const auto& [key, count] : per_key) EXPECT_LE(count, 1 + kills) << key;
  Figure("notifier_sigkill",
         absl::StrCat(kills, " SIGKILLs (", kills_mid_burst, " mid-burst); ", expected.size(),
                      " deliveries expected, ", lost, " lost; ", received->size(),
                      " requests received, ", duplicates,
                      " duplicates, all under their original Idempotency-Key"));
}

TEST_F(NotifierFaultTest, ChecklistOutageBacksOffThenCatchesUp) {
  const absl::Duration outage =
      absl::Seconds(testing::EnvInt("PREFLIGHT_FAULT_OUTAGE_SECONDS", kDefaultOutageSeconds));
  // A cap a fifth of the outage, so the ceiling visibly doubles up to it.
  const absl::Duration cap = std::max(absl::Seconds(2), outage / 5);
  StartNotifier({"--reconnect_max_backoff=" + Ms(cap)});
  CreateWebhookRecipient("owner", "");
  const std::string first = CreateLaunch("owner", "outage-1");
  ASSERT_TRUE(Eventually(
      [&] { return Subscription().applied_sequence() >= LastChecklistSequence({first}); },
      absl::Seconds(60)));

  const std::string address = checklist_->address;
  const int reconnects_before = Subscription().reconnects();
  ASSERT_TRUE(checklist_->process.Stop(SIGKILL).ok());
  const absl::Time down = absl::Now();
  // The subscriber logs each planned delay ("...; retrying in 1.234s"); read them as they come.
  std::vector<absl::Duration> planned;
  std::vector<absl::Duration> seen_at;
  while (absl::Now() - down < outage) {
    absl::StatusOr<std::string> line =
        notifier_->process.WaitForLine("retrying in ", outage - (absl::Now() - down));
    if (!line.ok()) break;
    absl::Duration delay;
    const size_t at = line->find("retrying in ") + strlen("retrying in ");
    ASSERT_TRUE(absl::ParseDuration(line->substr(at, line->find(' ', at) - at), &delay)) << *line;
    planned.push_back(delay);
    seen_at.push_back(absl::Now() - down);
  }
  const int reconnects_during = Subscription().reconnects() - reconnects_before;

  // Each delay is under its doubling ceiling: initial * 2^k, capped.
  std::vector<std::string> planned_text;
  std::vector<std::string> gaps_text;
  for (size_t k = 0; k < planned.size(); ++k) {
    const absl::Duration ceiling = std::min(
        cap, kReconnectInitial * static_cast<double>(int64_t{1} << std::min<size_t>(k, 20)));
    EXPECT_LE(planned[k], ceiling) << "attempt " << k;
    planned_text.push_back(Ms(planned[k]));
    if (k > 0) gaps_text.push_back(Ms(seen_at[k] - seen_at[k - 1]));
  }
  // It keeps trying, but far less often than a fixed retry at the first delay would.
  const int fixed_rate_attempts = static_cast<int>(outage / kReconnectInitial);
  EXPECT_GE(planned.size(), 3u);
  EXPECT_LT(static_cast<int>(planned.size()), fixed_rate_attempts / 2);
  int first_half = 0;
  for (absl::Duration at : seen_at) first_half += at < outage / 2 ? 1 : 0;

  // Back on the same address with changes the notifier has not seen.
  StartChecklist(address);
  const absl::Time up = absl::Now();
  const std::string second = CreateLaunch("owner", "outage-2");
  v1::UpdateItemRequest start;
  start.mutable_item()->set_name(first + "/items/ICP_FILING");
  start.mutable_item()->set_status(v1::ITEM_STATUS_IN_PROGRESS);
  start.mutable_update_mask()->add_paths("status");
  Call(checklist_stub_.get(), &v1::ChecklistService::Stub::UpdateItem, start);
  const int64_t last = LastChecklistSequence({first, second});
  ASSERT_TRUE(Eventually([&] { return Subscription().applied_sequence() == last; },
                         cap + absl::Seconds(60)));
  const absl::Duration caught_up = absl::Now() - up;
  EXPECT_TRUE(Subscription().connected());
  ASSERT_TRUE(Eventually([&] { return !Deliveries(second).empty(); }, absl::Seconds(60)));

  Figure("checklist_outage",
         absl::StrCat(Ms(outage), " outage, reconnect cap ", Ms(cap), "; ", planned.size(),
                      " attempts (", first_half, " in the first half, ",
                      planned.size() - first_half, " in the second; a fixed ",
                      Ms(kReconnectInitial), " retry would make ", fixed_rate_attempts,
                      "); GetSubscriptionStatus.reconnects +", reconnects_during));
  Figure("checklist_outage", "planned delays: " + absl::StrJoin(planned_text, ", "));
  Figure("checklist_outage", "observed intervals: " + absl::StrJoin(gaps_text, ", "));
  Figure("checklist_outage", absl::StrCat("caught up to sequence ", last, " ", Ms(caught_up),
                                          " after the restart; nothing lost"));
}

TEST_F(NotifierFaultTest, EachChannelFailureIsRetriedThenDeadLetteredWithoutStallingOthers) {
  constexpr int kMaxAttempts = 3;
  constexpr absl::Duration kInitial = absl::Milliseconds(300);
  constexpr absl::Duration kMax = absl::Seconds(1);
  constexpr absl::Duration kTimeout = absl::Milliseconds(500);
  constexpr int kRetryAfterSeconds = 2;
  StartNotifier({absl::StrCat("--max_attempts=", kMaxAttempts),
                 "--retry_initial_backoff=" + Ms(kInitial), "--retry_max_backoff=" + Ms(kMax),
                 "--http_timeout=" + Ms(kTimeout)});

  ScriptedResponse error;
  error.status = 500;
  ScriptedResponse throttled;
  throttled.status = 429;
  throttled.headers = {{"Retry-After", absl::StrCat(kRetryAfterSeconds)}};
  ScriptedResponse slow;
  slow.hang = absl::Seconds(3);
  ASSERT_TRUE(receiver_->Script("/e500", std::vector<ScriptedResponse>(500, error)).ok());
  ASSERT_TRUE(receiver_->Script("/e429", std::vector<ScriptedResponse>(500, throttled)).ok());
  ASSERT_TRUE(receiver_->Script("/timeout", std::vector<ScriptedResponse>(500, slow)).ok());
  SilentListener silent;
  ASSERT_GT(silent.port(), 0);
  // An HTTPS receiver whose self-signed certificate the notifier was not told to trust.
  absl::StatusOr<testing::CertFiles> cert = testing::MakeSelfSignedCert(dir_.path());
  ASSERT_TRUE(cert.ok()) << cert.status();
  absl::StatusOr<std::unique_ptr<HttpReceiver>> tls_receiver = HttpReceiver::Start(*cert);
  ASSERT_TRUE(tls_receiver.ok()) << tls_receiver.status();

  const std::map<std::string, std::string> bad = {
      {"http-500", receiver_->Url("/e500")},
      {"http-429", receiver_->Url("/e429")},
      {"timeout", receiver_->Url("/timeout")},
      {"hanging", absl::StrCat("http://127.0.0.1:", silent.port(), "/hook")},
      {"tls-untrusted", (*tls_receiver)->Url("/hook")},
  };
  CreateWebhookRecipient("healthy", receiver_->Url("/fine"));
  for (const auto& [id, url] : bad) CreateWebhookRecipient(id, url, /*subscribe_tenant=*/true);
  const std::string launch = CreateLaunch("healthy", "channels-1");

  std::vector<v1::Delivery> deliveries;
  ASSERT_TRUE(Eventually(
      [&] {
        deliveries = Deliveries(launch);
        return AllFinal(deliveries);
      },
      absl::Seconds(150)));

  absl::Time healthy_done = absl::InfinitePast();
  std::map<std::string, absl::Time> last_attempt;
  std::map<std::string, std::vector<v1::Delivery>> per_recipient;
  for (const v1::Delivery& delivery : deliveries) {
    const std::string id = delivery.recipient().substr(delivery.recipient().find('/') + 1);
    per_recipient[id].push_back(delivery);
    for (const v1::DeliveryAttempt& attempt : delivery.attempts()) {
      absl::Time& latest = last_attempt[id];
      latest = std::max(latest, ToTime(attempt.time()));
    }
    if (id == "healthy") {
      EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DELIVERED);
      if (delivery.attempts_size() > 0) {
        healthy_done = std::max(healthy_done, ToTime(delivery.attempts().rbegin()->time()));
      }
    }
  }
  ASSERT_FALSE(per_recipient["healthy"].empty());

  for (const auto& [id, url] : bad) {
    const std::vector<v1::Delivery>& mine = per_recipient[id];
    ASSERT_FALSE(mine.empty()) << id;
    std::vector<std::string> gaps;
    std::set<int> statuses;
    for (const v1::Delivery& delivery : mine) {
      EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DEAD_LETTERED) << id;
      ASSERT_GE(delivery.attempts_size(), 1) << id;
      EXPECT_EQ(delivery.attempts().rbegin()->outcome(), "failed") << id;
      // An untrusted certificate may be final at once; every other failure is retried.
      if (id != "tls-untrusted") {
        EXPECT_EQ(delivery.attempts_size(), kMaxAttempts) << id << "\n" << delivery.DebugString();
      }
      EXPECT_LE(delivery.attempts_size(), kMaxAttempts) << id;
      for (int k = 0; k < delivery.attempts_size(); ++k) {
        statuses.insert(delivery.attempts(k).http_status());
        if (k == 0) continue;
        const absl::Duration gap =
            ToTime(delivery.attempts(k).time()) - ToTime(delivery.attempts(k - 1).time());
        if (gaps.size() < 4) gaps.push_back(Ms(gap));
        if (id == "http-429") {
          EXPECT_GE(gap, absl::Seconds(kRetryAfterSeconds)) << "Retry-After ignored";
        } else {
          // Full jitter below initial * 2^(k-1), capped; then the endpoint sends one message at
          // a time, so a slow one may first have to time out on each of its other deliveries.
          const absl::Duration ceiling =
              std::min(kMax, kInitial * static_cast<double>(1 << (k - 1)));
          const absl::Duration queue = (kTimeout + absl::Milliseconds(300)) * mine.size();
          // Slack for a loaded machine (two cores, sanitizers, tests in parallel).
          EXPECT_LE(gap, ceiling + queue + absl::Seconds(3)) << id << " attempt " << k;
        }
      }
    }
    // The healthy recipient was served while this one was still failing.
    if (id != "tls-untrusted" && id != "http-500") {
      EXPECT_LT(healthy_done, last_attempt[id]) << id << " stalled the healthy recipient";
    }
    Figure("channel_failures",
           absl::StrCat(id, ": ", mine.size(), " deliveries dead-lettered after ",
                        mine.front().attempts_size(), " attempts (http status ",
                        absl::StrJoin(statuses, "/"), "); gaps ", absl::StrJoin(gaps, ", "),
                        "; last attempt ", Ms(last_attempt[id] - healthy_done),
                        " after the healthy recipient's last delivery"));
  }
  Figure("channel_failures",
         absl::StrCat("healthy: ", per_recipient["healthy"].size(), " deliveries delivered"));
}

}  // namespace
}  // namespace preflight
