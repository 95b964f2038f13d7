// N due reminders -> N webhook deliveries at a local sink, by the real notifier-service (each in
// its durable ledger), against Prometheus Alertmanager delivering N one-alert groups to the same
// sink in the same run, and both processes' peak RSS (docs/performance.md). Rounds alternate
// A (notifier) B (Alertmanager); figures are medians.
//
// The notifier: a checklist-service holds L launches owned by one recipient whose only channel is
// a webhook at the sink; due in 20 days, each launch has items past their latest start, so all
// their reminders are due at once. A fresh notifier (new data folder, --tick=100ms) starts, reads
// the checklist's log, and sends them: timed from its start until the sink has N requests and
// ListDeliveries shows N webhook deliveries DELIVERED. L is ceil(N / per-launch deliveries), the
// latter counted by a first calibration run with one launch.
//
// Alertmanager: group_by [alertname], group_wait 0s, N distinct alertnames POSTed to
// /api/v2/alerts as soon as it is ready; timed from its start until the sink has N requests.
//
//   notifier_load [--n=2000] [--rounds=3] [--notifier_bin=PATH] [--checklist_bin=PATH]
//                 [--alertmanager_bin=/usr/bin/prometheus-alertmanager] [--work_dir=DIR]

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "grpcpp/grpcpp.h"
#include "httplib.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "preflight/v1/notifier.grpc.pb.h"

namespace preflight::bench {
namespace {

constexpr char kOwner[] = "bench-owner";
constexpr absl::Duration kPatience = absl::Seconds(180);

// A loopback HTTP server that answers 200 at once and counts requests by path (keep-alive).
class Sink {
 public:
  Sink() {
    // Enough threads for every connection Alertmanager opens at once: a keep-alive connection
    // holds one of the pool's threads while it is open.
    server_.new_task_queue = [] { return new httplib::ThreadPool(512); };
    // Without it a keep-alive client waits out Nagle + delayed ACK (~40 ms) on each answer.
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(1000000);
    server_.set_keep_alive_timeout(2);
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      {
        absl::MutexLock lock(&mu_);
        auto& [count, last] = counts_[request.path];
        ++count;
        last = absl::Now();
      }
      response.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) Die("sink", "cannot bind");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Sink() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", port_, path);
  }
  // Requests to `path` so far, and when the last one came.
  std::pair<int64_t, absl::Time> Count(const std::string& path) {
    absl::MutexLock lock(&mu_);
    return counts_[path];
  }
  // Waits until `path` has `n` requests; returns when the n-th came, or InfinitePast.
  absl::Time Await(const std::string& path, int64_t n, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto reached = [&] { return counts_[path].first >= n; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&reached), timeout)) return absl::InfinitePast();
    return counts_[path].second;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::map<std::string, std::pair<int64_t, absl::Time>> counts_;
};

constexpr char kAnyHourPolicy[] = R"pb(
  default_time_zone: "Asia/Shanghai"
  send_time: "09:30"
  before_start_working_days: [ 3, 0 ]
  before_due_working_days: [ 7, 3, 1 ]
  overdue { every_working_days: 1 escalate_after_working_days: 3 }
  post_launch_working_days: [ 10, 3, 1 ]
  renewal_calendar_days: [ 90, 60, 30, 7 ]
  late_after_minutes: 60
  catch_up_window_days: 30
)pb";

struct Run1 {
  double seconds = 0;
  // The notifier: when its first request reached the sink (its intake and first decisions).
  double first_seconds = 0;
  int64_t delivered = 0;
  int64_t peak_rss_kb = 0;
};

class Bench {
 public:
  Bench(int argc, char** argv) {
    notifier_bin_ = FlagString(argc, argv, "notifier_bin", NOTIFIER_SERVICE_BIN);
    checklist_bin_ = FlagString(argc, argv, "checklist_bin", CHECKLIST_SERVICE_BIN);
    alertmanager_bin_ =
        FlagString(argc, argv, "alertmanager_bin", "/usr/bin/prometheus-alertmanager");
    dir_ = absl::StrCat(
        FlagString(argc, argv, "work_dir", absl::StrCat(BENCH_BINARY_DIR, "/bench-data/tmp")),
        "/notifier-", getpid());
    Run("rm -rf '" + dir_ + "' && mkdir -p '" + dir_ + "'");
  }
  ~Bench() { Run("rm -rf '" + dir_ + "'"); }

  // A checklist-service with `launches` launches of kOwner.
  void StartChecklist(int launches) {
    checklist_.reset();
    const std::string data = absl::StrCat(dir_, "/checklist-", ++serial_);
    Run("mkdir -p '" + data + "'");
    checklist_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{
            checklist_bin_,
            "--listen=127.0.0.1:0",
            "--data_dir=" + data,
        },
        data + ".log");
    checklist_port_ = checklist_->WaitForListening();
    auto stub = v1::ChecklistService::NewStub(Connect(checklist_port_));
    const LoopResult made = ClosedLoop(
        8, absl::Hours(1), launches, [&stub](int, int64_t index, std::function<void(bool)> done) {
          auto* call = new std::tuple<grpc::ClientContext, v1::CreateLaunchRequest, v1::Launch>;
          auto& [context, request, response] = *call;
          PrepareContext(context, absl::Seconds(120));
          v1::Launch* launch = request.mutable_launch();
          launch->set_tenant(absl::StrCat("bench", index / 500));  // at most 1000 a tenant
          launch->set_display_name(absl::StrCat("Reminder shop ", index));
          launch->set_owner(kOwner);
          launch->set_target_launch_date(absl::FormatTime(
              "%Y-%m-%d", absl::Now() + absl::Hours(24 * 20), absl::UTCTimeZone()));
          launch->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_ENTERPRISE);
          launch->mutable_profile()->set_hosting(v1::HOSTING_OWN_MAINLAND_SERVER);
          launch->mutable_profile()->set_takes_payments(true);
          request.set_request_id(absl::StrCat("reminders-", index));
          stub->async()->CreateLaunch(
              &context, &request, &response, [call, done](grpc::Status status) {
                if (!status.ok()) {
                  std::fprintf(stderr, "CreateLaunch: %s\n", status.error_message().c_str());
                }
                delete call;
                done(status.ok());
              });
        });
    if (made.errors > 0) Die("checklist", "CreateLaunch failed");
  }

  // Webhook deliveries DELIVERED in the notifier's ledger.
  static int64_t Delivered(v1::NotifierService::Stub* stub) {
    int64_t delivered = 0;
    std::string token;
    do {
      grpc::ClientContext context;
      PrepareContext(context);
      v1::ListDeliveriesRequest request;
      request.set_channel(v1::CHANNEL_TYPE_WEBHOOK);
      request.set_state(v1::DELIVERY_STATE_DELIVERED);
      request.set_page_size(500);
      request.set_page_token(token);
      v1::ListDeliveriesResponse response;
      if (!stub->ListDeliveries(&context, request, &response).ok()) return -1;
      delivered += response.deliveries_size();
      token = response.next_page_token();
    } while (!token.empty());
    return delivered;
  }

  // A fresh notifier on the running checklist, until `n` deliveries are at the sink and in the
  // ledger; n = 0: until the count at the sink has been still for 3 s (calibration).
  Run1 Notifier(Sink& sink, int64_t n) {
    const std::string data = absl::StrCat(dir_, "/notifier-", ++serial_);
    const std::string path = absl::StrCat("/notifier-", serial_);
    Run("mkdir -p '" + data + "/notifier'");
    std::ofstream(data + "/notifier/reminder_policy.textproto") << kAnyHourPolicy;
    std::ofstream(data + "/recipients.textproto")
        << "recipients {\n  name: \"recipients/" << kOwner
        << "\"\n  channels { type: CHANNEL_TYPE_WEBHOOK target: \"" << sink.Url(path)
        << "\" }\n}\n";
    ChildProcess notifier(
        {
            notifier_bin_,
            "--listen=127.0.0.1:0",
            "--data_dir=" + data,
            absl::StrCat("--checklist_addr=127.0.0.1:", checklist_port_),
            "--recipients_file=" + data + "/recipients.textproto",
            "--tick=100ms",
        },
        data + ".log");
    const int port = notifier.WaitForListening();
    auto stub = v1::NotifierService::NewStub(Connect(port));
    Run1 run;
    if (n == 0) {
      int64_t last = -1;
      absl::Time still_since = absl::Now();
      const absl::Time deadline = absl::Now() + kPatience;
      while (absl::Now() < deadline) {
        const int64_t count = sink.Count(path).first;
        if (count != last) {
          last = count;
          still_since = absl::Now();
        } else if (count > 0 && absl::Now() - still_since > absl::Seconds(3)) {
          break;
        }
        absl::SleepFor(absl::Milliseconds(100));
      }
      run.delivered = last;
    } else {
      // Await returns when the last request so far came: woken by the first, that is the first's
      // time to within the wake-up.
      const absl::Time first = sink.Await(path, 1, kPatience);
      const absl::Time nth = sink.Await(path, n, kPatience);
      if (first == absl::InfinitePast() || nth == absl::InfinitePast()) {
        Die("notifier", absl::StrCat("the sink got ", sink.Count(path).first, " of ", n,
                                     " requests; log:\n", notifier.Log()));
      }
      run.first_seconds = absl::ToDoubleSeconds(first - notifier.start_time());
      absl::Time ledger = absl::InfinitePast();
      const absl::Time deadline = absl::Now() + kPatience;
      while (absl::Now() < deadline) {
        run.delivered = Delivered(stub.get());
        if (run.delivered >= n) {
          ledger = absl::Now();
          break;
        }
        absl::SleepFor(absl::Milliseconds(20));
      }
      if (ledger == absl::InfinitePast()) Die("notifier", "the ledger did not show them delivered");
      run.seconds = absl::ToDoubleSeconds(std::max(nth, ledger) - notifier.start_time());
    }
    run.peak_rss_kb = notifier.PeakRssKb();
    notifier.Stop();
    return run;
  }

  Run1 Alertmanager(Sink& sink, int64_t n) {
    const std::string data = absl::StrCat(dir_, "/alertmanager-", ++serial_);
    const std::string path = absl::StrCat("/alertmanager-", serial_);
    Run("mkdir -p '" + data + "'");
    std::ofstream(data + "/alertmanager.yml")
        << "route:\n  receiver: sink\n  group_by: ['alertname']\n  group_wait: 0s\n"
           "  group_interval: 5m\n  repeat_interval: 4h\n"
           "receivers:\n  - name: sink\n    webhook_configs:\n      - url: '"
        << sink.Url(path) << "'\n        send_resolved: false\n";
    // A port of its own: Alertmanager has no port 0 that it reports.
    const int port = UnusedLoopbackPort();
    ChildProcess alertmanager(
        {alertmanager_bin_, "--config.file=" + data + "/alertmanager.yml", "--storage.path=" + data,
         absl::StrCat("--web.listen-address=127.0.0.1:", port),
         "--cluster.listen-address=", "--log.level=warn"},
        data + ".log");
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (true) {
      auto ready = client.Get("/-/ready");
      if (ready && ready->status == 200) break;
      if (!alertmanager.Running() || absl::Now() > deadline) {
        Die("alertmanager", "not ready; log:\n" + alertmanager.Log());
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    const std::string starts =
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() - absl::Minutes(1), absl::UTCTimeZone());
    const absl::Time posted = absl::Now();
    for (int64_t first = 0; first < n; first += 500) {
      std::string body = "[";
      for (int64_t i = first; i < std::min(n, first + 500); ++i) {
        absl::StrAppend(
            &body, i == first ? "" : ",", "{\"labels\":{\"alertname\":\"reminder", i,
            "\",\"launch\":\"launches/bench\",\"item\":\"ITEM", i, "\",\"recipient\":\"", kOwner,
            "\"},\"annotations\":{\"summary\":\"Item due soon\"},\"startsAt\":\"", starts, "\"}");
      }
      body += "]";
      auto response = client.Post("/api/v2/alerts", body, "application/json");
      if (!response || response->status != 200) {
        Die("alertmanager",
            absl::StrCat("POST /api/v2/alerts: ", response ? response->status : -1));
      }
    }
    const absl::Time nth = sink.Await(path, n, kPatience);
    if (nth == absl::InfinitePast()) {
      Die("alertmanager",
          absl::StrCat("the sink got ", sink.Count(path).first, " of ", n, " requests"));
    }
    Run1 run;
    run.delivered = n;
    run.seconds = absl::ToDoubleSeconds(nth - alertmanager.start_time());
    post_to_sink_.push_back(absl::ToDoubleSeconds(nth - posted));
    run.peak_rss_kb = alertmanager.PeakRssKb();
    alertmanager.Stop();
    return run;
  }

  std::vector<double> post_to_sink_;

 private:
  std::string notifier_bin_, checklist_bin_, alertmanager_bin_, dir_;
  std::unique_ptr<ChildProcess> checklist_;
  int checklist_port_ = 0;
  int serial_ = 0;
};

int Main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int64_t n_wanted = FlagInt(argc, argv, "n", 2000);
  const int rounds = FlagInt(argc, argv, "rounds", 3);
  std::printf("notifier_load: N = %lld\nload average before: %s\n",
              static_cast<long long>(n_wanted), LoadAverage().c_str());
  Sink sink;
  Bench bench(argc, argv);

  bench.StartChecklist(1);
  const Run1 calibration = bench.Notifier(sink, 0);
  if (calibration.delivered <= 0) Die("calibration", "no webhook deliveries for one launch");
  const int64_t launches = (n_wanted + calibration.delivered - 1) / calibration.delivered;
  const int64_t n = launches * calibration.delivered;
  std::printf("one launch: %lld webhook deliveries; %lld launches: N = %lld\n",
              static_cast<long long>(calibration.delivered), static_cast<long long>(launches),
              static_cast<long long>(n));
  bench.StartChecklist(launches);

  std::vector<double> notifier_rate, am_rate, notifier_rss, am_rss;
  std::string trail;
  for (int r = 0; r < rounds; ++r) {
    const Run1 a = bench.Notifier(sink, n);
    const Run1 b = bench.Alertmanager(sink, n);
    notifier_rate.push_back(n / a.seconds);
    am_rate.push_back(n / b.seconds);
    notifier_rss.push_back(a.peak_rss_kb / 1024.0);
    am_rss.push_back(b.peak_rss_kb / 1024.0);
    absl::StrAppendFormat(&trail,
                          "\n  A notifier %.2f s (%.0f/s, %.1f MiB; first request at %.2f s)"
                          "  B alertmanager %.2f s (%.0f/s, %.1f MiB; POST to last arrival %.2f s)",
                          a.seconds, n / a.seconds, a.peak_rss_kb / 1024.0, a.first_seconds,
                          b.seconds, n / b.seconds, b.peak_rss_kb / 1024.0,
                          bench.post_to_sink_.back());
  }
  std::printf("N = %lld deliveries at the sink, timed from process start, by round:%s\n",
              static_cast<long long>(n), trail.c_str());
  const double ratio = Median(notifier_rate) / Median(am_rate);
  PrintResult(absl::StrCat("notifier: ", n, " due reminders -> webhook / Alertmanager 0.25"),
              absl::StrFormat("%.0f deliveries/s", Median(notifier_rate)),
              absl::StrFormat("%.0f deliveries/s", Median(am_rate)), ratio, ">= 1.5", ratio >= 1.5);
  const double rss = Median(notifier_rss) / Median(am_rss);
  PrintResult("notifier peak RSS / Alertmanager peak RSS",
              absl::StrFormat("%.1f MiB", Median(notifier_rss)),
              absl::StrFormat("%.1f MiB", Median(am_rss)), rss, "<= 0.25", rss <= 0.25);
  std::printf("load average after: %s\n", LoadAverage().c_str());
  return 0;
}

}  // namespace
}  // namespace preflight::bench

int main(int argc, char** argv) { return preflight::bench::Main(argc, argv); }
