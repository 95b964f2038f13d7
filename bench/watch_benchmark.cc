// What open WatchEvents streams cost the checklist server: threads, and the latency from a write
// to a watcher. An in-process server on loopback (real SQLite store in a temporary folder) with
// one probe watcher always open; each measurement makes 200 writes through the service
// (UpdateItem) and times each from the call to the probe receiving its event. A measurement runs
// either with the probe alone (A) or with N more watchers open (B) that each receive every event
// too (the next write waits until all have). A and B alternate, A B A B A B, and the table shows
// medians over the rounds and B's ratio to A, since absolute figures drift on a shared machine.
//
//   watch_benchmark [--rounds=3] [--commits=200] [--max_watchers=1000]

#include <dirent.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/template_catalog.h"
#include "checklist-service/grpc/checklist_grpc_service.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "common/api/resource_names.h"
#include "common/clock.h"
#include "common/logging/log.h"
#include "common/page_token.h"
#include "common/server_runner.h"
#include "common/working_calendar.h"
#include "grpcpp/grpcpp.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(60);
// Background watchers are spread over this many connections, as many clients would be.
constexpr int kConnections = 8;

[[noreturn]] void Die(absl::string_view what, absl::string_view why) {
  std::fprintf(stderr, "watch_benchmark: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(why.size()), why.data());
  std::exit(1);
}

int ThreadCount() {
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) Die("/proc/self/task", "cannot open");
  int count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return absl::StrCat(one, " ", five, " ", fifteen);
}

// What the watchers have received, for the writer to wait on.
class Tally {
 public:
  void Accepted() {
    absl::MutexLock lock(&mu_);
    ++accepted_;
  }
  void Done() {
    absl::MutexLock lock(&mu_);
    ++done_;
  }
  void Received(int64_t sequence, bool probe) {
    const absl::Time now = absl::Now();
    absl::MutexLock lock(&mu_);
    if (probe) {
      probe_sequence_ = sequence;
      probe_time_ = now;
    } else {
      ++background_events_;
    }
  }

  void AwaitAccepted(int count) {
    Await([&] { return accepted_ >= count; }, "streams accepted");
  }
  void AwaitDone(int count) {
    Await([&] { return done_ >= count; }, "streams ended");
  }
  // When the probe received `sequence`.
  absl::Time AwaitProbe(int64_t sequence) {
    Await([&] { return probe_sequence_ >= sequence; }, "probe event");
    absl::MutexLock lock(&mu_);
    return probe_time_;
  }
  void AwaitBackground(int64_t events) {
    Await([&] { return background_events_ >= events; }, "background events");
  }
  void ResetBackground() {
    absl::MutexLock lock(&mu_);
    accepted_ = done_ = 0;
    background_events_ = 0;
  }

 private:
  template <typename Predicate>
  void Await(Predicate predicate, absl::string_view what) {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(&predicate), kPatience)) Die(what, "timed out");
  }

  absl::Mutex mu_;
  int accepted_ ABSL_GUARDED_BY(mu_) = 0;
  int done_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t background_events_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t probe_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time probe_time_ ABSL_GUARDED_BY(mu_);
};

// One client-side WatchEvents stream on the callback API, so that the clients in this process
// hold no threads per stream either and the thread count is the server's.
class StreamClient final : public grpc::ClientReadReactor<v1::Event> {
 public:
  StreamClient(v1::ChecklistService::Stub* stub, int64_t after, Tally* tally, bool probe)
      : tally_(tally), probe_(probe) {
    request_.set_after_sequence(after);
    stub->async()->WatchEvents(&context_, &request_, this);
    StartRead(&event_);
    StartCall();
  }

  void Cancel() { context_.TryCancel(); }

  void OnReadInitialMetadataDone(bool ok) override {
    if (ok) tally_->Accepted();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    tally_->Received(event_.sequence(), probe_);
    StartRead(&event_);
  }
  void OnDone(const grpc::Status&) override { tally_->Done(); }

 private:
  grpc::ClientContext context_;
  v1::WatchEventsRequest request_;
  v1::Event event_;
  Tally* const tally_;
  const bool probe_;
};

struct Latencies {
  double p50_ms = 0;
  double p99_ms = 0;
};

Latencies Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const size_t p99 = static_cast<size_t>(std::ceil(0.99 * ms.size())) - 1;
  return Latencies{ms[ms.size() / 2], ms[std::min(p99, ms.size() - 1)]};
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

class Bench {
 public:
  Bench() {
    logging::Options log;
    log.level = logging::Level::kWarning;  // no line per stream
    logging::Configure(log);
    absl::StatusOr<TemplateCatalog> catalog =
        TemplateCatalog::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/templates"});
    if (!catalog.ok()) Die("templates", catalog.status().ToString());
    catalog_ = std::make_unique<TemplateCatalog>(*std::move(catalog));
    absl::StatusOr<WorkingCalendar> calendar =
        WorkingCalendar::LoadFromDirectories({PREFLIGHT_SOURCE_DIR "/data/calendar"});
    if (!calendar.ok()) Die("calendar", calendar.status().ToString());
    calendar_ = std::make_unique<WorkingCalendar>(*std::move(calendar));
    // WAL with synchronous=NORMAL: the commit's fsync is not what is measured here.
    SqliteChecklistStore::Options options;
    options.synchronous = SqliteChecklistStore::Options::Synchronous::kNormal;
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
        SqliteChecklistStore::Open(dir_.Join("checklist.db"), options);
    if (!store.ok()) Die("store", store.status().ToString());
    store_ = *std::move(store);
    service_ = std::make_unique<LaunchService>(store_.get(), catalog_.get(), calendar_.get(),
                                               &clock_, &hub_);
    grpc_service_ =
        std::make_unique<ChecklistGrpcService>(service_.get(), PageTokenCodec("bench-key"));
    ServerOptions server_options;
    server_options.listen_address = "127.0.0.1:0";
    server_options.process_name = "watch_benchmark";
    absl::StatusOr<StartedServer> started = StartServer(server_options, {grpc_service_.get()});
    if (!started.ok()) Die("server", started.status().ToString());
    server_ = std::move(started->server);
    port_ = started->port;
    for (int i = 0; i <= kConnections; ++i) {
      // A distinct argument per channel gives each its own connection.
      grpc::ChannelArguments args;
      args.SetInt("preflight.bench_connection", i);
      auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port_),
                                               grpc::InsecureChannelCredentials(), args);
      channel->WaitForConnected(absl::ToChronoTime(absl::Now() + kPatience));
      stubs_.push_back(v1::ChecklistService::NewStub(channel));
    }
    NewLaunch launch;
    launch.tenant = "acme";
    launch.display_name = "Shop";
    launch.owner = "zhang.wei";
    launch.target_launch_date = absl::CivilDay(2026, 12, 15);
    launch.profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
    launch.profile.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
    absl::StatusOr<LaunchState> created = service_->CreateLaunch(launch, "", Actor{"bench"});
    if (!created.ok()) Die("launch", created.status().ToString());
    item_name_ = api::ItemName(created->launch.id, "MP_ACCOUNT");
    absl::StatusOr<int64_t> head = store_->LastSequence();
    if (!head.ok()) Die("head", head.status().ToString());
    head_ = *head;
  }

  ~Bench() {
    hub_.Close();  // ends the probe's stream: a client reactor must outlive its call
    if (probe_ != nullptr) probe_tally_.AwaitDone(1);
    probe_.reset();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    server_->Wait();
  }

  // Opens the probe, after a few writes so that gRPC's threads have all started.
  void Warm() {
    for (int i = 0; i < 20; ++i) Write();
    no_stream_threads_ = ThreadCount();
    probe_ = std::make_unique<StreamClient>(stubs_[0].get(), head_, &probe_tally_, true);
    probe_tally_.AwaitAccepted(1);
    for (int i = 0; i < 20; ++i) probe_tally_.AwaitProbe(Write());
  }

  int no_stream_threads() const { return no_stream_threads_; }

  struct Measurement {
    int threads = 0;
    Latencies latency;
  };

  // `watchers` background streams besides the probe.
  Measurement Measure(int watchers, int commits) {
    std::vector<std::unique_ptr<StreamClient>> background;
    background_tally_.ResetBackground();
    for (int i = 0; i < watchers; ++i) {
      background.push_back(std::make_unique<StreamClient>(stubs_[1 + i % kConnections].get(), head_,
                                                          &background_tally_, false));
    }
    background_tally_.AwaitAccepted(watchers);
    Measurement measurement;
    measurement.threads = ThreadCount();
    std::vector<double> ms;
    for (int i = 1; i <= commits; ++i) {
      const absl::Time start = absl::Now();
      const int64_t sequence = Write();
      ms.push_back(absl::ToDoubleMilliseconds(probe_tally_.AwaitProbe(sequence) - start));
      background_tally_.AwaitBackground(static_cast<int64_t>(watchers) * i);
    }
    measurement.latency = Summarize(std::move(ms));
    measurement.threads = std::max(measurement.threads, ThreadCount());
    for (const std::unique_ptr<StreamClient>& stream : background) stream->Cancel();
    background_tally_.AwaitDone(watchers);
    // The server lets go of them a moment later; measure the next one without them.
    const absl::Time deadline = absl::Now() + kPatience;
    while (hub_.subscriber_count() > 1) {
      if (absl::Now() > deadline) Die("background streams", "not released");
      absl::SleepFor(absl::Milliseconds(1));
    }
    return measurement;
  }

 private:
  // One UpdateItem through the service: one event. Returns its sequence.
  int64_t Write() {
    grpc::ClientContext context;
    v1::UpdateItemRequest request;
    request.mutable_item()->set_name(item_name_);
    request.mutable_item()->set_notes(absl::StrCat("write ", head_ + 1));
    request.mutable_update_mask()->add_paths("notes");
    v1::Item item;
    const grpc::Status status = stubs_[0]->UpdateItem(&context, request, &item);
    if (!status.ok()) Die("UpdateItem", status.error_message());
    return ++head_;  // the only writer
  }

  testing::TempDir dir_;
  RealClock clock_;
  std::unique_ptr<TemplateCatalog> catalog_;
  std::unique_ptr<WorkingCalendar> calendar_;
  std::unique_ptr<SqliteChecklistStore> store_;
  EventHub hub_;
  std::unique_ptr<LaunchService> service_;
  std::unique_ptr<ChecklistGrpcService> grpc_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::vector<std::unique_ptr<v1::ChecklistService::Stub>> stubs_;
  std::string item_name_;
  // The last committed sequence.
  int64_t head_ = 0;
  int no_stream_threads_ = 0;
  Tally probe_tally_;
  Tally background_tally_;
  std::unique_ptr<StreamClient> probe_;
};

int FlagValue(int argc, char** argv, absl::string_view name, int fallback) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    int value = 0;
    if (absl::ConsumePrefix(&arg, prefix) && absl::SimpleAtoi(arg, &value) && value > 0) {
      return value;
    }
  }
  return fallback;
}

int Main(int argc, char** argv) {
  const int rounds = FlagValue(argc, argv, "rounds", 3);
  const int commits = FlagValue(argc, argv, "commits", 200);
  const int max_watchers = FlagValue(argc, argv, "max_watchers", 1000);
  Bench bench;
  bench.Warm();
  std::printf(
      "watch_benchmark: %d writes per measurement, rounds A B x %d (A: probe watcher only, "
      "B: probe + N watchers)\n",
      commits, rounds);
  std::printf("load average before: %s\n", LoadAverage().c_str());
  std::printf("threads with no stream open: %d\n\n", bench.no_stream_threads());
  std::printf("%6s | %9s %9s %6s | %8s %8s %6s | %8s %8s %6s\n", "N", "threads A", "threads B",
              "B-A", "p50 A ms", "p50 B ms", "B/A", "p99 A ms", "p99 B ms", "B/A");
  for (const int n : {0, 10, 100, 1000}) {
    if (n > max_watchers) break;
    std::vector<double> threads_a, threads_b, p50_a, p50_b, p99_a, p99_b;
    std::string trail;
    for (int round = 0; round < rounds; ++round) {
      const Bench::Measurement a = bench.Measure(0, commits);
      const Bench::Measurement b = bench.Measure(n, commits);
      threads_a.push_back(a.threads);
      threads_b.push_back(b.threads);
      p50_a.push_back(a.latency.p50_ms);
      p50_b.push_back(b.latency.p50_ms);
      p99_a.push_back(a.latency.p99_ms);
      p99_b.push_back(b.latency.p99_ms);
      absl::StrAppendFormat(&trail, " A %.2f B %.2f", a.latency.p50_ms, b.latency.p50_ms);
    }
    std::printf("%6d | %9.0f %9.0f %+6.0f | %8.2f %8.2f %6.2f | %8.2f %8.2f %6.2f\n", n,
                Median(threads_a), Median(threads_b), Median(threads_b) - Median(threads_a),
                Median(p50_a), Median(p50_b), Median(p50_b) / Median(p50_a), Median(p99_a),
                Median(p99_b), Median(p99_b) / Median(p99_a));
    std::printf("%6s   p50 ms by round:%s\n", "", trail.c_str());
    std::fflush(stdout);
  }
  std::printf("\nload average after: %s\n", LoadAverage().c_str());
  return 0;
}

}  // namespace
}  // namespace preflight::checklist

int main(int argc, char** argv) { return preflight::checklist::Main(argc, argv); }
