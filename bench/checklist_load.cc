// Load on the real checklist-service binary, through its public gRPC API only, against a ceiling
// or peer measured in the same run (docs/performance.md). Each pair is interleaved A B A B, and
// the figures are medians over the rounds:
//   1. GetLaunch (FULL view) ÷ the same server's grpc.health.v1.Health/Check, K calls in flight;
//   2. UpdateItem, one client closed loop ÷ a raw SQLite durable transaction (WAL,
//      synchronous=FULL, 1 UPDATE + 1 INSERT) in a database on the same disk;
//   3. UpdateItem, 16 clients on 16 launches ÷ the same raw single-transaction rate;
//   4. commit -> arrival at 100 WatchEvents streams (p99), and UpdateItem p50 with 0 vs 100;
//   5. WatchEvents replay of the whole log from sequence 0, events/s;
//   6. GetLaunch p99 with many launches ÷ with 100, same load.
// The data set of 6 (and the log of 5) is made once through CreateLaunch and cached under
// --cache_dir keyed by a hash of the binary.
//
//   checklist_load [--checklist_bin=PATH] [--work_dir=DIR] [--cache_dir=DIR] [--rounds=3]
//                  [--round_seconds=2] [--in_flight=32] [--launches=3300] [--watchers=100]
//                  [--writes=200]

#include <sqlite3.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "preflight/v1/checklist.grpc.pb.h"

namespace preflight::bench {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
};

// A running checklist-service with its data in `data_dir`.
class Checklist {
 public:
  Checklist(const std::string& binary, const std::string& data_dir)
      : process_({binary, "--listen=127.0.0.1:0", "--data_dir=" + data_dir}, data_dir + ".log") {
    port_ = process_.WaitForListening();
    for (int i = 0; i < 4; ++i) {
      channels_.push_back(Connect(port_, i));
      stubs_.push_back(v1::ChecklistService::NewStub(channels_.back()));
      health_.push_back(Health::NewStub(channels_.back()));
    }
  }
  ~Checklist() { process_.Stop(); }

  // Spread over 4 connections, as several clients would be.
  v1::ChecklistService::Stub* stub(int slot) { return stubs_[slot % stubs_.size()].get(); }
  Health::Stub* health(int slot) { return health_[slot % health_.size()].get(); }

  v1::Launch CreateLaunch(int64_t index) {
    grpc::ClientContext context;
    PrepareContext(context);
    v1::CreateLaunchRequest request = LaunchRequest(index);
    v1::Launch launch;
    const grpc::Status status = stub(0)->CreateLaunch(&context, request, &launch);
    if (!status.ok()) Die("CreateLaunch", status.error_message());
    return launch;
  }

  v1::Launch GetFull(const std::string& name) {
    grpc::ClientContext context;
    PrepareContext(context);
    v1::GetLaunchRequest request;
    request.set_name(name);
    request.set_view(v1::LAUNCH_VIEW_FULL);
    v1::Launch launch;
    const grpc::Status status = stub(0)->GetLaunch(&context, request, &launch);
    if (!status.ok()) Die("GetLaunch", status.error_message());
    return launch;
  }

  // The sequence of the last event of `launch`.
  int64_t LastSequenceOf(const std::string& launch) {
    int64_t last = 0;
    std::string token;
    do {
      grpc::ClientContext context;
      PrepareContext(context);
      v1::ListEventsRequest request;
      request.set_parent(launch);
      request.set_page_size(200);
      request.set_page_token(token);
      v1::ListEventsResponse response;
      const grpc::Status status = stub(0)->ListEvents(&context, request, &response);
      if (!status.ok()) Die("ListEvents", status.error_message());
      for (const v1::Event& event : response.events()) last = std::max(last, event.sequence());
      token = response.next_page_token();
    } while (!token.empty());
    return last;
  }

  static v1::CreateLaunchRequest LaunchRequest(int64_t index) {
    v1::CreateLaunchRequest request;
    v1::Launch* launch = request.mutable_launch();
    // A tenant holds at most 1000 launches.
    launch->set_tenant(absl::StrCat("bench", index / 500));
    launch->set_display_name(absl::StrCat("Bench shop ", index));
    launch->set_owner(absl::StrCat("owner", index % 50));
    launch->set_target_launch_date(
        absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * 40), absl::UTCTimeZone()));
    launch->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_ENTERPRISE);
    launch->mutable_profile()->set_hosting(v1::HOSTING_OWN_MAINLAND_SERVER);
    launch->mutable_profile()->set_takes_payments(true);
    request.set_request_id(absl::StrCat("bench-", index));
    return request;
  }

 private:
  ChildProcess process_;
  int port_ = 0;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::ChecklistService::Stub>> stubs_;
  std::vector<std::unique_ptr<Health::Stub>> health_;
};

Starter GetLaunchStarter(Checklist* server, std::vector<std::string> names) {
  return
      [server, names = std::move(names)](int slot, int64_t index, std::function<void(bool)> done) {
        auto* call = new Call<v1::GetLaunchRequest, v1::Launch>;
        PrepareContext(call->context);
        call->request.set_name(names[(index * 7919) % names.size()]);
        call->request.set_view(v1::LAUNCH_VIEW_FULL);
        server->stub(slot)->async()->GetLaunch(&call->context, &call->request, &call->response,
                                               [call, done](grpc::Status status) {
                                                 delete call;
                                                 done(status.ok());
                                               });
      };
}

Starter HealthStarter(Checklist* server) {
  return [server](int slot, int64_t, std::function<void(bool)> done) {
    auto* call = new Call<HealthCheckRequest, HealthCheckResponse>;
    PrepareContext(call->context);
    server->health(slot)->async()->Check(&call->context, &call->request, &call->response,
                                         [call, done](grpc::Status status) {
                                           delete call;
                                           done(status.ok());
                                         });
  };
}

// UpdateItem of notes on `items[slot % size]`, notes "<tag>-<index>".
Starter UpdateStarter(Checklist* server, std::vector<std::string> items, std::string tag) {
  return [server, items = std::move(items), tag = std::move(tag)](int slot, int64_t index,
                                                                  std::function<void(bool)> done) {
    auto* call = new Call<v1::UpdateItemRequest, v1::Item>;
    PrepareContext(call->context);
    call->request.mutable_item()->set_name(items[slot % items.size()]);
    call->request.mutable_item()->set_notes(absl::StrCat(tag, "-", index));
    call->request.mutable_update_mask()->add_paths("notes");
    server->stub(slot)->async()->UpdateItem(
        &call->context, &call->request, &call->response, [call, done](grpc::Status status) {
          if (!status.ok()) {
            std::fprintf(stderr, "UpdateItem: %s\n", status.error_message().c_str());
          }
          delete call;
          done(status.ok());
        });
  };
}

// The ceiling of a durable write on this disk: one transaction of 1 UPDATE + 1 INSERT, WAL,
// synchronous=FULL, as the service's store does for one item update and its event.
class RawSqlite {
 public:
  explicit RawSqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) Die(path, "cannot open");
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA synchronous=FULL");
    Exec(
        "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, notes TEXT, version INTEGER);"
        "CREATE TABLE IF NOT EXISTS events (sequence INTEGER PRIMARY KEY, item INTEGER, "
        "body BLOB)");
    Exec("INSERT OR IGNORE INTO items VALUES (1, '', 0)");
    Prepare("UPDATE items SET notes = ?1, version = version + 1 WHERE id = 1", &update_);
    Prepare("INSERT INTO events (item, body) VALUES (1, ?1)", &insert_);
  }
  ~RawSqlite() {
    sqlite3_finalize(update_);
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }

  void Transaction(int64_t index) {
    const std::string notes = absl::StrCat("raw-", index);
    const std::string body(600, 'e');  // about an event's snapshot
    Exec("BEGIN IMMEDIATE");
    sqlite3_bind_text(update_, 1, notes.data(), notes.size(), SQLITE_TRANSIENT);
    Step(update_);
    sqlite3_bind_blob(insert_, 1, body.data(), body.size(), SQLITE_TRANSIENT);
    Step(insert_);
    Exec("COMMIT");
  }

  LoopResult Measure(absl::Duration duration) {
    LoopResult result;
    const absl::Time begin = absl::Now();
    while (absl::Now() - begin < duration) {
      const absl::Time t0 = absl::Now();
      Transaction(result.calls);
      result.ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
      ++result.calls;
    }
    result.seconds = absl::ToDoubleSeconds(absl::Now() - begin);
    return result;
  }

 private:
  void Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      Die(sql, error != nullptr ? error : "failed");
    }
  }
  void Prepare(const char* sql, sqlite3_stmt** statement) {
    if (sqlite3_prepare_v2(db_, sql, -1, statement, nullptr) != SQLITE_OK) {
      Die(sql, sqlite3_errmsg(db_));
    }
  }
  void Step(sqlite3_stmt* statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) Die("step", sqlite3_errmsg(db_));
    sqlite3_reset(statement);
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* update_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

// Arrival times of item events at the watchers, by the notes they carry.
class Arrivals {
 public:
  void Accepted() {
    absl::MutexLock lock(&mu_);
    ++accepted_;
  }
  void Done() {
    absl::MutexLock lock(&mu_);
    ++done_;
  }
  void Received(const std::string& notes) {
    const absl::Time now = absl::Now();
    absl::MutexLock lock(&mu_);
    times_[notes].push_back(now);
    ++events_;
  }
  bool Await(std::function<bool(int accepted, int done, int64_t events)> predicate,
             absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto ready = [&] { return predicate(accepted_, done_, events_); };
    return mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  }
  std::vector<absl::Time> TimesOf(const std::string& notes) {
    absl::MutexLock lock(&mu_);
    return times_[notes];
  }

 private:
  absl::Mutex mu_;
  int accepted_ = 0;
  int done_ = 0;
  int64_t events_ = 0;
  std::map<std::string, std::vector<absl::Time>> times_;
};

class Watcher final : public grpc::ClientReadReactor<v1::Event> {
 public:
  Watcher(v1::ChecklistService::Stub* stub, const std::string& launch, int64_t after,
          Arrivals* arrivals)
      : arrivals_(arrivals) {
    context_.AddMetadata("x-preflight-actor", "bench");
    request_.set_launch(launch);
    request_.set_after_sequence(after);
    stub->async()->WatchEvents(&context_, &request_, this);
    StartRead(&event_);
    StartCall();
  }
  void Cancel() { context_.TryCancel(); }
  void OnReadInitialMetadataDone(bool ok) override {
    if (ok) arrivals_->Accepted();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    arrivals_->Received(event_.item_snapshot().notes());
    StartRead(&event_);
  }
  void OnDone(const grpc::Status&) override { arrivals_->Done(); }

 private:
  grpc::ClientContext context_;
  v1::WatchEventsRequest request_;
  v1::Event event_;
  Arrivals* const arrivals_;
};

// Counts a replay from sequence 0 until it reaches `head`.
class Replay final : public grpc::ClientReadReactor<v1::Event> {
 public:
  Replay(v1::ChecklistService::Stub* stub, int64_t head) : head_(head) {
    context_.AddMetadata("x-preflight-actor", "bench");
    request_.set_after_sequence(0);
    start_ = absl::Now();
    stub->async()->WatchEvents(&context_, &request_, this);
    StartRead(&event_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    ++events_;
    if (event_.sequence() >= head_) {
      absl::MutexLock lock(&mu_);
      end_ = absl::Now();
      reached_ = true;
      context_.TryCancel();
      return;
    }
    StartRead(&event_);
  }
  void OnDone(const grpc::Status&) override {
    absl::MutexLock lock(&mu_);
    done_ = true;
  }
  // Events per second, or 0 when it did not reach the head in time.
  double AwaitRate(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&reached_), timeout);
    const bool reached = reached_;
    if (!reached) context_.TryCancel();
    mu_.Await(absl::Condition(&done_));
    return reached ? events_ / absl::ToDoubleSeconds(end_ - start_) : 0;
  }

 private:
  grpc::ClientContext context_;
  v1::WatchEventsRequest request_;
  v1::Event event_;
  const int64_t head_;
  int64_t events_ = 0;
  absl::Time start_, end_;
  absl::Mutex mu_;
  bool reached_ = false;
  bool done_ = false;
};

std::string Fmt(double value, const char* unit) {
  return value >= 100 ? absl::StrFormat("%.0f %s", value, unit)
                      : absl::StrFormat("%.3g %s", value, unit);
}

// A data folder with `count` launches made through CreateLaunch (16 in flight), cached by the
// binary's hash; the launch names are in names.txt, the log's head in head.txt.
struct DataSet {
  std::string dir;
  std::vector<std::string> names;
  int64_t head = 0;
};

DataSet MakeDataSet(const std::string& binary, const std::string& cache_dir, int64_t count) {
  DataSet data;
  const std::string root = absl::StrCat(cache_dir, "/", FileHash(binary), "/launches-", count);
  data.dir = root + "/data";
  std::ifstream names_in(root + "/names.txt");
  std::ifstream head_in(root + "/head.txt");
  if (names_in && head_in && (head_in >> data.head)) {
    std::string name;
    while (std::getline(names_in, name)) {
      if (!name.empty()) data.names.push_back(name);
    }
    if (static_cast<int64_t>(data.names.size()) == count) {
      std::printf("data set: %lld launches cached in %s\n", static_cast<long long>(count),
                  root.c_str());
      return data;
    }
    data.names.clear();
  }
  // Data sets of other binaries are stale: only this binary's are kept.
  Run("find '" + cache_dir + "' -mindepth 1 -maxdepth 1 -type d -name '" + std::string(16, '?') +
      "' ! -name '" + FileHash(binary) + "' -exec rm -rf {} +");
  Run("rm -rf '" + root + "' && mkdir -p '" + data.dir + "'");
  std::printf("data set: creating %lld launches through CreateLaunch into %s ...\n",
              static_cast<long long>(count), root.c_str());
  std::fflush(stdout);
  const absl::Time begin = absl::Now();
  {
    Checklist server(binary, data.dir);
    std::vector<std::string> names(count);
    const LoopResult made = ClosedLoop(
        16, absl::Hours(1), count,
        [&server, &names](int slot, int64_t index, std::function<void(bool)> done) {
          auto* call = new Call<v1::CreateLaunchRequest, v1::Launch>;
          PrepareContext(call->context, absl::Seconds(120));
          call->request = Checklist::LaunchRequest(index);
          server.stub(slot)->async()->CreateLaunch(
              &call->context, &call->request, &call->response,
              [call, done, &names, index](grpc::Status status) {
                if (status.ok()) {
                  names[index] = call->response.name();
                } else {
                  std::fprintf(stderr, "CreateLaunch: %s\n", status.error_message().c_str());
                }
                delete call;
                done(status.ok());
              });
        });
    if (made.errors > 0) Die("data set", "CreateLaunch failed");
    data.names = names;
    // Nothing else writes: the newest launch's last event is the log's head.
    data.head = 0;
    for (int64_t i = std::max<int64_t>(0, count - 32); i < count; ++i) {
      data.head = std::max(data.head, server.LastSequenceOf(names[i]));
    }
  }
  std::ofstream names_out(root + "/names.txt");
  for (const std::string& name : data.names) names_out << name << "\n";
  std::ofstream(root + "/head.txt") << data.head << "\n";
  std::printf("data set: %lld launches, %lld events, made in %.1f s\n",
              static_cast<long long>(count), static_cast<long long>(data.head),
              absl::ToDoubleSeconds(absl::Now() - begin));
  return data;
}

int Main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::string binary = FlagString(argc, argv, "checklist_bin", CHECKLIST_SERVICE_BIN);
  const std::string work =
      FlagString(argc, argv, "work_dir", absl::StrCat(BENCH_BINARY_DIR, "/bench-data/tmp"));
  const std::string cache =
      FlagString(argc, argv, "cache_dir", absl::StrCat(BENCH_BINARY_DIR, "/bench-data"));
  const int rounds = FlagInt(argc, argv, "rounds", 3);
  const absl::Duration round_time = absl::Seconds(FlagDouble(argc, argv, "round_seconds", 2.0));
  const int in_flight = FlagInt(argc, argv, "in_flight", 32);
  const int64_t launches = FlagInt(argc, argv, "launches", 3300);
  const int watchers = FlagInt(argc, argv, "watchers", 100);
  const int writes = FlagInt(argc, argv, "writes", 200);
  const std::string only = FlagString(argc, argv, "only", "");
  auto wanted = [&](const char* part) {
    return only.empty() || only.find(part) != std::string::npos;
  };

  std::printf("checklist_load: %s\nload average before: %s\n", binary.c_str(),
              LoadAverage().c_str());
  const std::string dir = absl::StrCat(work, "/checklist-", getpid());
  Run("rm -rf '" + dir + "' && mkdir -p '" + dir + "/data'");

  {
    Checklist server(binary, dir + "/data");
    // 16 launches, one item of each to write to.
    std::vector<std::string> names, items;
    for (int i = 0; i < 16; ++i) {
      const v1::Launch launch = server.CreateLaunch(1000000 + i);
      names.push_back(launch.name());
      const v1::Launch full = server.GetFull(launch.name());
      if (full.items().empty()) Die("GetLaunch", "no items");
      items.push_back(full.items(0).name());
      if (i == 0) std::printf("a launch has %d items (FULL view)\n", full.items_size());
    }

    if (wanted("get")) {  // 1. GetLaunch FULL vs Health/Check.
      std::vector<double> get, health;
      std::string trail;
      ClosedLoop(in_flight, absl::Milliseconds(500), 1 << 30, GetLaunchStarter(&server, names));
      for (int r = 0; r < rounds; ++r) {
        const LoopResult a =
            ClosedLoop(in_flight, round_time, 1 << 30, GetLaunchStarter(&server, names));
        const LoopResult b = ClosedLoop(in_flight, round_time, 1 << 30, HealthStarter(&server));
        if (a.errors + b.errors > 0) Die("GetLaunch/Health", "calls failed");
        get.push_back(a.rate());
        health.push_back(b.rate());
        absl::StrAppendFormat(&trail, " A %.0f B %.0f", a.rate(), b.rate());
      }
      std::printf("GetLaunch FULL vs Health/Check, %d in flight, calls/s by round:%s\n", in_flight,
                  trail.c_str());
      const double ratio = Median(get) / Median(health);
      PrintResult(absl::StrCat("GetLaunch FULL / Health.Check, ", in_flight, " in flight"),
                  Fmt(Median(get), "calls/s"), Fmt(Median(health), "calls/s"), ratio, ">= 0.80",
                  ratio >= 0.8);
    }

    if (wanted("update")) {  // 2 and 3. UpdateItem vs raw SQLite.
      RawSqlite raw(dir + "/raw.db");
      std::vector<double> raw_rate, one, sixteen;
      std::string trail;
      for (int r = 0; r < rounds; ++r) {
        const LoopResult a = raw.Measure(round_time);
        const LoopResult b =
            ClosedLoop(1, round_time, 1 << 30, UpdateStarter(&server, items, "one"));
        const LoopResult c =
            ClosedLoop(16, round_time, 1 << 30, UpdateStarter(&server, items, "sixteen"));
        if (b.errors + c.errors > 0) Die("UpdateItem", "calls failed");
        raw_rate.push_back(a.rate());
        one.push_back(b.rate());
        sixteen.push_back(c.rate());
        absl::StrAppendFormat(&trail, " raw %.0f 1c %.0f 16c %.0f", a.rate(), b.rate(), c.rate());
      }
      std::printf("UpdateItem vs raw SQLite txn (WAL, FULL), per second by round:%s\n",
                  trail.c_str());
      const double r1 = Median(one) / Median(raw_rate);
      const double r16 = Median(sixteen) / Median(raw_rate);
      PrintResult("UpdateItem 1 client / raw SQLite durable txn", Fmt(Median(one), "writes/s"),
                  Fmt(Median(raw_rate), "txn/s"), r1, ">= 0.80", r1 >= 0.8);
      PrintResult("UpdateItem 16 clients, 16 launches / raw txn", Fmt(Median(sixteen), "writes/s"),
                  Fmt(Median(raw_rate), "txn/s"), r16, ">= 3", r16 >= 3);
    }

    if (wanted("watch")) {  // 4. Fan-out to watchers, and what it costs the writer.
      const std::string launch = names[0];
      std::vector<double> p50_none, p50_with, p99_arrival;
      std::string trail;
      int serial = 0;
      for (int r = 0; r < rounds * 2; ++r) {
        const int n = r % 2 == 0 ? 0 : watchers;
        Arrivals arrivals;
        std::vector<std::unique_ptr<Watcher>> open;
        const int64_t head = server.LastSequenceOf(launch);
        for (int i = 0; i < n; ++i) {
          open.push_back(std::make_unique<Watcher>(server.stub(i), launch, head, &arrivals));
        }
        if (!arrivals.Await([n](int accepted, int, int64_t) { return accepted >= n; },
                            absl::Seconds(30))) {
          Die("WatchEvents", "streams not accepted");
        }
        const std::string tag = absl::StrCat("watch", serial++);
        std::vector<double> call_ms;
        std::vector<std::pair<std::string, absl::Time>> acked;
        for (int w = 0; w < writes; ++w) {
          grpc::ClientContext context;
          PrepareContext(context);
          v1::UpdateItemRequest request;
          request.mutable_item()->set_name(items[0]);
          request.mutable_item()->set_notes(absl::StrCat(tag, "-", w));
          request.mutable_update_mask()->add_paths("notes");
          v1::Item item;
          const absl::Time t0 = absl::Now();
          const grpc::Status status = server.stub(0)->UpdateItem(&context, request, &item);
          const absl::Time t1 = absl::Now();
          if (!status.ok()) Die("UpdateItem", status.error_message());
          call_ms.push_back(absl::ToDoubleMilliseconds(t1 - t0));
          acked.emplace_back(request.item().notes(), t1);
        }
        const int64_t expected = static_cast<int64_t>(n) * writes;
        if (!arrivals.Await([expected](int, int, int64_t events) { return events >= expected; },
                            absl::Seconds(60))) {
          Die("WatchEvents", "events did not all arrive");
        }
        std::vector<double> arrival_ms;
        for (const auto& [notes, time] : acked) {
          for (absl::Time seen : arrivals.TimesOf(notes)) {
            arrival_ms.push_back(std::max(0.0, absl::ToDoubleMilliseconds(seen - time)));
          }
        }
        for (auto& watcher : open) watcher->Cancel();
        arrivals.Await([n](int, int done, int64_t) { return done >= n; }, absl::Seconds(30));
        const double p50 = Median(call_ms);
        if (n == 0) {
          p50_none.push_back(p50);
          absl::StrAppendFormat(&trail, " A p50 %.2f", p50);
        } else {
          p50_with.push_back(p50);
          p99_arrival.push_back(Quantile(arrival_ms, 0.99));
          absl::StrAppendFormat(&trail, " B p50 %.2f arrival p99 %.2f", p50,
                                Quantile(arrival_ms, 0.99));
        }
      }
      std::printf("UpdateItem with 0 (A) vs %d (B) watchers, ms by round:%s\n", watchers,
                  trail.c_str());
      const double p99 = Median(p99_arrival);
      PrintResult(absl::StrCat("commit ack -> arrival at ", watchers, " watchers, p99"),
                  Fmt(p99, "ms"), "2 ms", p99 / 2.0, "<= 2 ms", p99 <= 2.0);
      const double ratio = Median(p50_with) / Median(p50_none);
      PrintResult(absl::StrCat("UpdateItem p50, ", watchers, " watchers / 0"),
                  Fmt(Median(p50_with), "ms"), Fmt(Median(p50_none), "ms"), ratio, "<= 1.10",
                  ratio <= 1.1);
    }
  }

  if (wanted("replay") || wanted("scale")) {
    const DataSet large = MakeDataSet(binary, cache, launches);
    const DataSet small = MakeDataSet(binary, cache, 100);
    Run("cp -a '" + large.dir + "' '" + dir + "/large' && cp -a '" + small.dir + "' '" + dir +
        "/small'");
    Checklist big(binary, dir + "/large");

    if (wanted("replay")) {  // 5. Replay of the whole log.
      std::vector<double> rates;
      std::string trail;
      for (int r = 0; r < rounds; ++r) {
        Replay replay(big.stub(r), large.head);
        const double rate = replay.AwaitRate(absl::Seconds(120));
        rates.push_back(rate);
        absl::StrAppendFormat(&trail, " %.0f", rate);
      }
      std::printf("WatchEvents replay of %lld events from 0, events/s by round:%s\n",
                  static_cast<long long>(large.head), trail.c_str());
      const double rate = Median(rates);
      PrintResult(absl::StrCat("WatchEvents replay from 0 (", large.head, " events)"),
                  Fmt(rate, "events/s"), "100000 events/s", rate / 100000, ">= 100000/s",
                  rate >= 100000);
    }

    if (wanted("scale")) {  // 6. GetLaunch p99 with many launches vs 100.
      Checklist few(binary, dir + "/small");
      std::vector<double> p99_large, p99_small;
      std::string trail;
      ClosedLoop(in_flight, absl::Milliseconds(500), 1 << 30, GetLaunchStarter(&big, large.names));
      ClosedLoop(in_flight, absl::Milliseconds(500), 1 << 30, GetLaunchStarter(&few, small.names));
      for (int r = 0; r < rounds; ++r) {
        const LoopResult a =
            ClosedLoop(in_flight, round_time, 1 << 30, GetLaunchStarter(&few, small.names));
        const LoopResult b =
            ClosedLoop(in_flight, round_time, 1 << 30, GetLaunchStarter(&big, large.names));
        if (a.errors + b.errors > 0) Die("GetLaunch", "calls failed");
        p99_small.push_back(Quantile(a.ms, 0.99));
        p99_large.push_back(Quantile(b.ms, 0.99));
        absl::StrAppendFormat(&trail, " 100: %.2f %lld: %.2f", p99_small.back(),
                              static_cast<long long>(launches), p99_large.back());
      }
      std::printf("GetLaunch FULL p99 ms, %d in flight, by round:%s\n", in_flight, trail.c_str());
      const double ratio = Median(p99_large) / Median(p99_small);
      PrintResult(absl::StrCat("GetLaunch p99, ", launches, " launches / 100"),
                  Fmt(Median(p99_large), "ms"), Fmt(Median(p99_small), "ms"), ratio, "<= 1.2",
                  ratio <= 1.2);
    }
  }

  Run("rm -rf '" + dir + "'");
  std::printf("load average after: %s\n", LoadAverage().c_str());
  return 0;
}

}  // namespace
}  // namespace preflight::bench

int main(int argc, char** argv) { return preflight::bench::Main(argc, argv); }
