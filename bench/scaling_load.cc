// The checklist service on SQLite next to PostgreSQL with one and with two replicas, on the same
// machine, through the public gRPC API (docs/scaling.md). Three deployments run side by side and
// are measured in turn within each round (S P1 P2 S P1 P2 ...); the figures are medians over the
// rounds, as ratios to SQLite measured in the same run:
//   1. UpdateItem, 16 clients on 16 launches (every write durable: fsync on for both backends);
//   2. GetLaunch (FULL view), K calls in flight.
// With two replicas the clients alternate between them. PostgreSQL is Debian's server, started
// here on a free loopback port with fsync=on and default settings otherwise.
//
//   scaling_load [--checklist_bin=PATH] [--work_dir=DIR] [--rounds=3] [--round_seconds=2]
//                [--in_flight=32] [--writers=16]

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_support.h"
#include "grpcpp/grpcpp.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "tests/testing/postgres_server.h"

namespace preflight::bench {
namespace {

template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
};

// One deployment: `replicas` checklist processes on one store, with 4 connections to each.
class Deployment {
 public:
  Deployment(std::string label, const std::string& binary, const std::string& dir,
             const std::string& database, int replicas)
      : label_(std::move(label)) {
    for (int r = 0; r < replicas; ++r) {
      const std::string data_dir = absl::StrCat(dir, "/replica-", r);
      Run("mkdir -p '" + data_dir + "'");
      std::vector<std::string> argv = {binary, "--listen=127.0.0.1:0", "--data_dir=" + data_dir};
      if (!database.empty()) argv.push_back("--database=" + database);
      processes_.push_back(std::make_unique<ChildProcess>(argv, data_dir + ".log"));
      const int port = processes_.back()->WaitForListening();
      for (int c = 0; c < 4; ++c) {
        clients_.push_back(v1::ChecklistService::NewStub(Connect(port, r * 4 + c)));
      }
    }
  }
  ~Deployment() {
    for (auto& process : processes_) process->Stop();
  }

  const std::string& label() const { return label_; }
  int replicas() const { return static_cast<int>(processes_.size()); }
  // The client for slot s: replica s % replicas, over one of its connections.
  v1::ChecklistService::Stub* client(int slot) {
    const int replica = slot % replicas();
    const int connection = (slot / replicas()) % 4;
    return clients_[replica * 4 + connection].get();
  }

  // 16 launches made through the first replica; the first item of each.
  void Populate(int count) {
    for (int i = 0; i < count; ++i) {
      grpc::ClientContext context;
      PrepareContext(context);
      v1::CreateLaunchRequest request;
      v1::Launch* launch = request.mutable_launch();
      launch->set_tenant("bench");
      launch->set_display_name(absl::StrCat("Scaling shop ", i));
      launch->set_owner("owner@example.com");
      launch->set_target_launch_date(
          absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * 40), absl::UTCTimeZone()));
      launch->mutable_profile()->set_subject_type(v1::SUBJECT_TYPE_ENTERPRISE);
      launch->mutable_profile()->set_hosting(v1::HOSTING_OWN_MAINLAND_SERVER);
      launch->mutable_profile()->set_takes_payments(true);
      request.set_request_id(absl::StrCat("scaling-", i));
      v1::Launch created;
      const grpc::Status status = client(0)->CreateLaunch(&context, request, &created);
      if (!status.ok()) Die("CreateLaunch", status.error_message());
      names_.push_back(created.name());
      grpc::ClientContext get_context;
      PrepareContext(get_context);
      v1::GetLaunchRequest get;
      get.set_name(created.name());
      get.set_view(v1::LAUNCH_VIEW_FULL);
      v1::Launch full;
      if (!client(0)->GetLaunch(&get_context, get, &full).ok() || full.items().empty()) {
        Die("GetLaunch", "no items");
      }
      items_.push_back(full.items(0).name());
    }
  }

  Starter Updates(std::string tag) {
    return [this, tag = std::move(tag)](int slot, int64_t index, std::function<void(bool)> done) {
      auto* call = new Call<v1::UpdateItemRequest, v1::Item>;
      PrepareContext(call->context);
      call->request.mutable_item()->set_name(items_[slot % items_.size()]);
      call->request.mutable_item()->set_notes(absl::StrCat(tag, "-", index));
      call->request.mutable_update_mask()->add_paths("notes");
      client(slot)->async()->UpdateItem(
          &call->context, &call->request, &call->response, [call, done](grpc::Status status) {
            if (!status.ok()) {
              std::fprintf(stderr, "UpdateItem: %s\n", status.error_message().c_str());
            }
            delete call;
            done(status.ok());
          });
    };
  }

  Starter Reads() {
    return [this](int slot, int64_t index, std::function<void(bool)> done) {
      auto* call = new Call<v1::GetLaunchRequest, v1::Launch>;
      PrepareContext(call->context);
      call->request.set_name(names_[(index * 7919) % names_.size()]);
      call->request.set_view(v1::LAUNCH_VIEW_FULL);
      client(slot)->async()->GetLaunch(&call->context, &call->request, &call->response,
                                       [call, done](grpc::Status status) {
                                         delete call;
                                         done(status.ok());
                                       });
    };
  }

 private:
  std::string label_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
  std::vector<std::unique_ptr<v1::ChecklistService::Stub>> clients_;
  std::vector<std::string> names_;
  std::vector<std::string> items_;
};

std::string Fmt(double value, const char* unit) { return absl::StrFormat("%.0f %s", value, unit); }

int Main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::string binary = FlagString(argc, argv, "checklist_bin", CHECKLIST_SERVICE_BIN);
  const std::string work =
      FlagString(argc, argv, "work_dir", absl::StrCat(BENCH_BINARY_DIR, "/bench-data/tmp"));
  const int rounds = FlagInt(argc, argv, "rounds", 3);
  const absl::Duration round_time = absl::Seconds(FlagDouble(argc, argv, "round_seconds", 2.0));
  const int in_flight = FlagInt(argc, argv, "in_flight", 32);
  const int writers = FlagInt(argc, argv, "writers", 16);

  std::printf("scaling_load: %s\nload average before: %s\n", binary.c_str(), LoadAverage().c_str());
  const std::string dir = absl::StrCat(work, "/scaling-", getpid());
  Run("rm -rf '" + dir + "' && mkdir -p '" + dir + "'");

  testing::PostgresServerOptions server_options;
  server_options.fsync = true;  // as durable as SQLite's synchronous=FULL
  absl::StatusOr<std::unique_ptr<testing::PostgresServer>> server =
      testing::PostgresServer::Start(server_options);
  if (!server.ok()) Die("PostgreSQL", std::string(server.status().message()));
  absl::StatusOr<std::string> one_db = (*server)->CreateDatabase();
  absl::StatusOr<std::string> two_db = (*server)->CreateDatabase();
  if (!one_db.ok() || !two_db.ok()) Die("PostgreSQL", "CREATE DATABASE failed");

  std::vector<std::unique_ptr<Deployment>> deployments;
  deployments.push_back(
      std::make_unique<Deployment>("SQLite, 1 replica", binary, dir + "/sqlite", "", 1));
  deployments.push_back(
      std::make_unique<Deployment>("PostgreSQL, 1 replica", binary, dir + "/pg1", *one_db, 1));
  deployments.push_back(
      std::make_unique<Deployment>("PostgreSQL, 2 replicas", binary, dir + "/pg2", *two_db, 2));
  for (auto& deployment : deployments) deployment->Populate(16);

  const size_t n = deployments.size();
  std::vector<std::vector<double>> writes(n), reads(n);
  std::string trail;
  for (auto& deployment : deployments) {  // warm-up
    ClosedLoop(writers, absl::Milliseconds(300), 1 << 30, deployment->Updates("warm"));
    ClosedLoop(in_flight, absl::Milliseconds(300), 1 << 30, deployment->Reads());
  }
  for (int r = 0; r < rounds; ++r) {
    absl::StrAppend(&trail, "\n  round ", r + 1, ":");
    for (size_t d = 0; d < n; ++d) {
      const LoopResult w =
          ClosedLoop(writers, round_time, 1 << 30, deployments[d]->Updates(absl::StrCat("r", r)));
      const LoopResult g = ClosedLoop(in_flight, round_time, 1 << 30, deployments[d]->Reads());
      if (w.errors + g.errors > 0) Die(deployments[d]->label(), "calls failed");
      writes[d].push_back(w.rate());
      reads[d].push_back(g.rate());
      absl::StrAppendFormat(&trail, " [%s] write %.0f read %.0f", deployments[d]->label(), w.rate(),
                            g.rate());
    }
  }
  std::printf("per second by round:%s\n", trail.c_str());
  const double sqlite_writes = Median(writes[0]);
  const double sqlite_reads = Median(reads[0]);
  for (size_t d = 0; d < n; ++d) {
    const double wr = Median(writes[d]) / sqlite_writes;
    const double rr = Median(reads[d]) / sqlite_reads;
    PrintResult(
        absl::StrCat("UpdateItem ", writers, " clients, ", deployments[d]->label(), " / SQLite"),
        Fmt(Median(writes[d]), "writes/s"), Fmt(sqlite_writes, "writes/s"), wr, "report", true);
    PrintResult(absl::StrCat("GetLaunch FULL ", in_flight, " in flight, ", deployments[d]->label(),
                             " / SQLite"),
                Fmt(Median(reads[d]), "calls/s"), Fmt(sqlite_reads, "calls/s"), rr, "report", true);
  }
  std::printf("load average after: %s\n", LoadAverage().c_str());
  deployments.clear();
  Run("rm -rf '" + dir + "'");
  return 0;
}

}  // namespace
}  // namespace preflight::bench

int main(int argc, char** argv) { return preflight::bench::Main(argc, argv); }
