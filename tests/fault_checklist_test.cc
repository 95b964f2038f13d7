// Faults of the checklist service as a process (docs/reliability.md): SIGKILL at random moments
// during concurrent writes, a full database (SQLite max_page_count) and a read-only one. Each
// test prints its measured figures as "figure:" lines.
//
// PREFLIGHT_FAULT_KILL_ROUNDS raises the number of kill rounds (default 20; 5 under ASan).
//
// The same faults with two replicas on PostgreSQL (docs/scaling.md): one replica SIGKILLed at
// random moments while writers use both, and the database restarted under load.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "tests/testing/fault_testing.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::preflight::testing::Eventually;
using ::preflight::testing::ServiceProcess;
using ::preflight::testing::StartProcess;
using testing::Figure;
using ::testing::HasSubstr;
using testing::SetDeadline;
using testing::TempDir;

// 20 rounds take about 45 s in the plain build and six minutes under ASan, where 5 must do.
constexpr int kDefaultKillRounds = testing::kSanitizedBuild ? 5 : 20;
constexpr int kWriterThreads = 4;
constexpr absl::Duration kRpcTimeout = absl::Seconds(10);

// An UpdateItem the service acknowledged: the notes it wrote are in the item's event log.
struct AckedUpdate {
  std::string launch;
  std::string code;
  std::string notes;
};

// What every writer thread saw acknowledged, across all rounds.
struct Ledger {
  absl::Mutex mu;
  std::set<std::string> launches ABSL_GUARDED_BY(mu);
  std::vector<AckedUpdate> updates ABSL_GUARDED_BY(mu);
  // Item codes per launch, from CreateLaunch's answer.
  std::map<std::string, std::vector<std::string>> codes ABSL_GUARDED_BY(mu);
  std::atomic<int> acked_this_round{0};
  std::atomic<int> failed{0};
};

// PRAGMA integrity_check on a database file another process may have left mid-write (the open
// recovers its WAL first, as the service's next start would).
std::string IntegrityCheck(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    return db.execAndGet("PRAGMA integrity_check").getString();
  } catch (const SQLite::Exception& e) {
    return absl::StrCat("cannot check: ", e.what());
  }
}

class ChecklistFaultTest : public ::testing::Test {
 protected:
  std::string DbPath() const { return dir_.Join("data/checklist.db"); }

  void Start(const std::vector<std::string>& extra = {}) {
    absl::StatusOr<ServiceProcess> running =
        StartProcess(testing::ChecklistArgv("127.0.0.1:0", dir_.Join("data"), extra));
    ASSERT_TRUE(running.ok()) << running.status();
    service_ = std::make_unique<ServiceProcess>(*std::move(running));
    stub_ = v1::ChecklistService::NewStub(
        grpc::CreateChannel(service_->address, grpc::InsecureChannelCredentials()));
  }

  void Stop(int signal) {
    // Close our connection first: the server's graceful shutdown otherwise waits out its grace
    // period for the idle client to go. Not for SIGKILL: writer threads may still be calling
    // through stub_ then (UBSan caught the null stub), and a killed server waits for nothing.
    if (signal != SIGKILL) stub_.reset();
    ASSERT_TRUE(service_->process.Stop(signal).ok());
    service_.reset();
  }

  // Through `stub`, or this fixture's service when null.
  grpc::Status CreateLaunch(const std::string& request_id, v1::Launch* launch,
                            v1::ChecklistService::Stub* stub = nullptr) {
    grpc::ClientContext context;
    SetDeadline(context, kRpcTimeout);
    return (stub != nullptr ? stub : stub_.get())
        ->CreateLaunch(&context, testing::LaunchRequest("owner@example.com", request_id), launch);
  }

  grpc::Status UpdateNotes(const std::string& launch, const std::string& code,
                           const std::string& notes, v1::ChecklistService::Stub* stub = nullptr) {
    v1::UpdateItemRequest request;
    request.mutable_item()->set_name(launch + "/items/" + code);
    request.mutable_item()->set_notes(notes);
    request.mutable_update_mask()->add_paths("notes");
    grpc::ClientContext context;
    SetDeadline(context, kRpcTimeout);
    v1::Item item;
    return (stub != nullptr ? stub : stub_.get())->UpdateItem(&context, request, &item);
  }

  // All of a launch's events, through every page.
  grpc::Status ListEvents(const std::string& launch, std::vector<v1::Event>* events) {
    v1::ListEventsRequest request;
    request.set_parent(launch);
    request.set_page_size(200);
    while (true) {
      grpc::ClientContext context;
      SetDeadline(context, kRpcTimeout);
      v1::ListEventsResponse page;
      grpc::Status status = stub_->ListEvents(&context, request, &page);
      if (!status.ok()) return status;
      events->insert(events->end(), page.events().begin(), page.events().end());
      if (page.next_page_token().empty()) return grpc::Status::OK;
      request.set_page_token(page.next_page_token());
    }
  }

  // WatchEvents from 0 until the event with sequence `last` arrived.
  std::vector<v1::Event> WatchAll(int64_t last) {
    std::vector<v1::Event> events;
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(60));
    v1::WatchEventsRequest request;
    request.set_after_sequence(0);
    std::unique_ptr<grpc::ClientReader<v1::Event>> reader = stub_->WatchEvents(&context, request);
    v1::Event event;
    while ((events.empty() || events.back().sequence() < last) && reader->Read(&event)) {
      events.push_back(event);
    }
    context.TryCancel();
    reader->Finish();
    return events;
  }

  // Checks the restarted service against everything acknowledged so far; returns how many
  // acknowledged writes are missing.
  int VerifyAgainst(Ledger& ledger) {
    absl::MutexLock lock(&ledger.mu);
    int lost = 0;
    std::map<std::string, std::set<std::pair<std::string, std::string>>> notes_seen;
    std::set<int64_t> listed;
    for (const std::string& launch : ledger.launches) {
      std::vector<v1::Event> events;
      const grpc::Status status = ListEvents(launch, &events);
      if (!status.ok()) {
        ADD_FAILURE() << launch << ": " << status.error_message();
        ++lost;
        continue;
      }
      EXPECT_FALSE(events.empty()) << launch;
      for (size_t i = 0; i < events.size(); ++i) {
        if (i > 0) {
          EXPECT_GT(events[i].sequence(), events[i - 1].sequence()) << launch;
        }
        listed.insert(events[i].sequence());
        if (events[i].type() == v1::Event::TYPE_ITEM_UPDATED) {
          notes_seen[launch].insert({events[i].item_code(), events[i].item_snapshot().notes()});
        }
      }
    }
    for (const AckedUpdate& update : ledger.updates) {
      if (notes_seen[update.launch].count({update.code, update.notes}) == 0) {
        ADD_FAILURE() << "lost acknowledged update " << update.launch << "/" << update.code
                      << " notes=" << update.notes;
        ++lost;
      }
    }
    // The whole log, streamed from 0: sequences 1..N without a gap, and it holds every event
    // the per-launch listings returned.
    const int64_t last = listed.empty() ? 0 : *listed.rbegin();
    const std::vector<v1::Event> all = WatchAll(last);
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(all[i].sequence(), static_cast<int64_t>(i) + 1) << "gap in the event stream";
      if (all[i].sequence() != static_cast<int64_t>(i) + 1) break;
    }
    std::set<int64_t> streamed;
    for (const v1::Event& event : all) streamed.insert(event.sequence());
    for (int64_t sequence : listed) {
      EXPECT_EQ(streamed.count(sequence), 1u) << "event " << sequence << " listed, not streamed";
    }
    return lost;
  }

  TempDir dir_;
  std::unique_ptr<ServiceProcess> service_;
  std::unique_ptr<v1::ChecklistService::Stub> stub_;
};

// One writer: creates launches and updates their items' notes until a call fails (the service
// was killed) or `stop` is set, recording each acknowledged write in `ledger`.
void Writer(Ledger* ledger, int round, int thread, std::vector<std::string>* own_launches,
            const std::atomic<bool>* stop,
            const std::function<grpc::Status(const std::string&, v1::Launch*)>& create,
            const std::function<grpc::Status(const std::string&, const std::string&,
                                             const std::string&)>& update) {
  absl::BitGen random;
  for (int i = 0; !stop->load(); ++i) {
    if (own_launches->empty() || i % 6 == 0) {
      v1::Launch launch;
      const std::string request_id = absl::StrCat("r", round, "-t", thread, "-", i);
      if (!create(request_id, &launch).ok()) {
        ++ledger->failed;
        return;
      }
      std::vector<std::string> codes;
      for (const v1::Item& item : launch.items()) codes.push_back(item.code());
      absl::MutexLock lock(&ledger->mu);
      ledger->launches.insert(launch.name());
      ledger->codes[launch.name()] = codes;
      own_launches->push_back(launch.name());
    } else {
      const std::string launch =
          (*own_launches)[absl::Uniform<size_t>(random, 0, own_launches->size())];
      std::string code;
      {
        absl::MutexLock lock(&ledger->mu);
        const std::vector<std::string>& codes = ledger->codes[launch];
        code = codes[absl::Uniform<size_t>(random, 0, codes.size())];
      }
      const std::string notes = absl::StrCat("round ", round, " thread ", thread, " write ", i);
      if (!update(launch, code, notes).ok()) {
        ++ledger->failed;
        return;
      }
      absl::MutexLock lock(&ledger->mu);
      ledger->updates.push_back({launch, code, notes});
    }
    ++ledger->acked_this_round;
  }
}

TEST_F(ChecklistFaultTest, SigkillDuringConcurrentWritesLosesNoAcknowledgedWrite) {
  const int rounds = testing::EnvInt("PREFLIGHT_FAULT_KILL_ROUNDS", kDefaultKillRounds);
  Ledger ledger;
  std::vector<std::vector<std::string>> own(kWriterThreads);
  absl::BitGen random;
  int total_lost = 0;
  int integrity_ok = 0;
  std::vector<int> kill_after;
  for (int round = 0; round < rounds; ++round) {
    Start();
    ledger.acked_this_round = 0;
    std::atomic<bool> stop{false};
    auto create = [this](const std::string& id, v1::Launch* launch) {
      return CreateLaunch(id, launch);
    };
    auto update = [this](const std::string& launch, const std::string& code,
                         const std::string& notes) { return UpdateNotes(launch, code, notes); };
    std::vector<std::thread> threads;
    for (int t = 0; t < kWriterThreads; ++t) {
      threads.emplace_back(Writer, &ledger, round, t, &own[t], &stop, create, update);
    }
    // The random moment: after a random number of acknowledged writes, so the kill lands
    // mid-commit for some of the threads.
    const int target = absl::Uniform<int>(random, 5, 80);
    kill_after.push_back(target);
    EXPECT_TRUE(Eventually([&] { return ledger.acked_this_round.load() >= target; },
                           absl::Seconds(60), absl::Milliseconds(1)));
    Stop(SIGKILL);
    stop = true;
    for (std::thread& thread : threads) thread.join();

    const std::string integrity = IntegrityCheck(DbPath());
    EXPECT_EQ(integrity, "ok") << "round " << round;
    if (integrity == "ok") ++integrity_ok;
    Start();
    total_lost += VerifyAgainst(ledger);
    Stop(SIGTERM);
    if (HasFailure()) break;
  }
  absl::MutexLock lock(&ledger.mu);
  const int acked = static_cast<int>(ledger.launches.size() + ledger.updates.size());
  Figure("checklist_sigkill",
         absl::StrCat(rounds, " rounds x ", kWriterThreads, " writer threads; ", acked,
                      " writes acknowledged (", ledger.launches.size(), " CreateLaunch, ",
                      ledger.updates.size(), " UpdateItem); ", ledger.failed.load(),
                      " calls cut off by the kill; ", total_lost, " acknowledged writes lost; ",
                      "integrity_check ok ", integrity_ok, "/", rounds));
  EXPECT_EQ(total_lost, 0);
}

TEST_F(ChecklistFaultTest, FullDatabaseRefusesWritesKeepsReadsAndRecovers) {
  Start();
  std::vector<std::string> committed;
  for (int i = 0; i < 2; ++i) {
    v1::Launch launch;
    ASSERT_TRUE(CreateLaunch(absl::StrCat("before-", i), &launch).ok());
    committed.push_back(launch.name());
  }
  Stop(SIGTERM);
  int64_t pages = 0;
  {
    SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
    pages = db.execAndGet("PRAGMA page_count").getInt64();
  }

  // Capped at its current size: the next write that needs a page fails.
  Start({absl::StrCat("--sqlite_max_page_count=", pages)});
  grpc::Status refused;
  int accepted_under_cap = 0;
  for (int i = 0; i < 50 && refused.ok(); ++i) {
    v1::Launch launch;
    refused = CreateLaunch(absl::StrCat("capped-", i), &launch);
    if (refused.ok()) {
      committed.push_back(launch.name());
      ++accepted_under_cap;
    }
  }
  ASSERT_FALSE(refused.ok()) << "the cap of " << pages << " pages was never reached";
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("full"));
  // Reads keep working.
  for (const std::string& name : committed) {
    v1::GetLaunchRequest get;
    get.set_name(name);
    grpc::ClientContext context;
    SetDeadline(context, kRpcTimeout);
    v1::Launch launch;
    EXPECT_TRUE(stub_->GetLaunch(&context, get, &launch).ok()) << name;
    std::vector<v1::Event> events;
    EXPECT_TRUE(ListEvents(name, &events).ok()) << name;
  }
  Figure("checklist_db_full",
         absl::StrCat(
             "cap ", pages, " pages; ", accepted_under_cap, " writes fit under the cap, then ",
             grpc::StatusCode::RESOURCE_EXHAUSTED == refused.error_code() ? "RESOURCE_EXHAUSTED"
                                                                          : "other",
             ": \"", refused.error_message(), "\"; reads ok"));
  Stop(SIGTERM);

  // Room again: writes succeed and nothing committed was lost.
  Start();
  v1::Launch after;
  ASSERT_TRUE(CreateLaunch("after-full", &after).ok());
  committed.push_back(after.name());
  Ledger ledger;
  {
    absl::MutexLock lock(&ledger.mu);
    ledger.launches.insert(committed.begin(), committed.end());
  }
  EXPECT_EQ(VerifyAgainst(ledger), 0);
  Stop(SIGTERM);
  EXPECT_EQ(IntegrityCheck(DbPath()), "ok");
}

TEST_F(ChecklistFaultTest, ReadOnlyDatabaseRefusesWritesKeepsReadsAndRecovers) {
  Start();
  v1::Launch before;
  ASSERT_TRUE(CreateLaunch("before-ro", &before).ok());
  Stop(SIGTERM);

  // The tests may run as root, whom chmod does not stop: the store's read-only open instead.
  Start({"--sqlite_read_only"});
  v1::Launch refused_launch;
  const grpc::Status refused = CreateLaunch("during-ro", &refused_launch);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("read-only"));
  const grpc::Status refused_update =
      UpdateNotes(before.name(), before.items(0).code(), "while read-only");
  EXPECT_EQ(refused_update.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::GetLaunchRequest get;
  get.set_name(before.name());
  grpc::ClientContext context;
  SetDeadline(context, kRpcTimeout);
  v1::Launch read;
  EXPECT_TRUE(stub_->GetLaunch(&context, get, &read).ok());
  EXPECT_EQ(read.items_size(), before.items_size());
  std::vector<v1::Event> events;
  EXPECT_TRUE(ListEvents(before.name(), &events).ok());
  Figure("checklist_db_read_only",
         absl::StrCat("CreateLaunch -> ", refused.error_code(), " \"", refused.error_message(),
                      "\"; UpdateItem -> ", refused_update.error_code(), "; GetLaunch and ",
                      events.size(), " events readable"));
  Stop(SIGTERM);

  Start();
  v1::Launch after;
  ASSERT_TRUE(CreateLaunch("after-ro", &after).ok());
  EXPECT_TRUE(UpdateNotes(before.name(), before.items(0).code(), "writable again").ok());
  Ledger ledger;
  {
    absl::MutexLock lock(&ledger.mu);
    ledger.launches = {before.name(), after.name()};
    ledger.updates.push_back({before.name(), before.items(0).code(), "writable again"});
  }
  EXPECT_EQ(VerifyAgainst(ledger), 0);
  Stop(SIGTERM);
}

// ---- Two replicas on PostgreSQL ----------------------------------------------------------------

constexpr int kReplicas = 2;

class ReplicatedChecklistFaultTest : public ChecklistFaultTest {
 protected:
  void SetUp() override {
    testing::PostgresServerOptions options;
    options.fsync = true;  // the database's own durability is part of what is checked
    absl::StatusOr<std::unique_ptr<testing::PostgresServer>> server =
        testing::PostgresServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    absl::StatusOr<std::string> url = server_->CreateDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  void StartReplica(int r) {
    absl::StatusOr<ServiceProcess> running = StartProcess(testing::ChecklistArgv(
        "127.0.0.1:0", dir_.Join(absl::StrCat("replica-", r)), {"--database=" + url_}));
    ASSERT_TRUE(running.ok()) << running.status();
    replicas_[r] = std::make_unique<ServiceProcess>(*std::move(running));
    stubs_[r] = v1::ChecklistService::NewStub(
        grpc::CreateChannel(replicas_[r]->address, grpc::InsecureChannelCredentials()));
  }

  // VerifyAgainst, through replica `r`.
  int VerifyThrough(int r, Ledger& ledger) {
    stub_ = v1::ChecklistService::NewStub(
        grpc::CreateChannel(replicas_[r]->address, grpc::InsecureChannelCredentials()));
    const int lost = VerifyAgainst(ledger);
    stub_.reset();
    return lost;
  }

  // Writer threads, alternating between the replicas, until `stop` or their first failure.
  std::vector<std::thread> StartWriters(Ledger& ledger, int round,
                                        std::vector<std::vector<std::string>>& own,
                                        std::atomic<bool>& stop) {
    std::vector<std::thread> threads;
    for (int t = 0; t < kWriterThreads; ++t) {
      v1::ChecklistService::Stub* stub = stubs_[t % kReplicas].get();
      auto create = [this, stub](const std::string& id, v1::Launch* launch) {
        return CreateLaunch(id, launch, stub);
      };
      auto update = [this, stub](const std::string& launch, const std::string& code,
                                 const std::string& notes) {
        return UpdateNotes(launch, code, notes, stub);
      };
      threads.emplace_back(Writer, &ledger, round, t, &own[t], &stop, create, update);
    }
    return threads;
  }

  std::unique_ptr<testing::PostgresServer> server_;
  std::string url_;
  std::unique_ptr<ServiceProcess> replicas_[kReplicas];
  std::unique_ptr<v1::ChecklistService::Stub> stubs_[kReplicas];
};

TEST_F(ReplicatedChecklistFaultTest, SigkillOfOneReplicaLosesNoAcknowledgedWriteOfEither) {
  const int rounds = testing::EnvInt("PREFLIGHT_FAULT_KILL_ROUNDS", kDefaultKillRounds);
  Ledger ledger;
  std::vector<std::vector<std::string>> own(kWriterThreads);
  absl::BitGen random;
  int total_lost = 0;
  for (int r = 0; r < kReplicas; ++r) StartReplica(r);
  for (int round = 0; round < rounds; ++round) {
    ledger.acked_this_round = 0;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads = StartWriters(ledger, round, own, stop);
    const int target = absl::Uniform<int>(random, 5, 80);
    EXPECT_TRUE(Eventually([&] { return ledger.acked_this_round.load() >= target; },
                           absl::Seconds(60), absl::Milliseconds(1)));
    const int victim = absl::Uniform<int>(random, 0, kReplicas);
    ASSERT_TRUE(replicas_[victim]->process.Stop(SIGKILL).ok());
    // The other replica's writers go on while the victim is down.
    const int survivor = 1 - victim;
    const int before = ledger.acked_this_round.load();
    EXPECT_TRUE(Eventually([&] { return ledger.acked_this_round.load() >= before + 5; },
                           absl::Seconds(60), absl::Milliseconds(1)))
        << "replica " << survivor << " stopped writing when replica " << victim << " died";
    stop = true;
    for (std::thread& thread : threads) thread.join();
    StartReplica(victim);
    // Every acknowledged write, through either replica, and one gap-free log seen by both.
    for (int r = 0; r < kReplicas; ++r) total_lost += VerifyThrough(r, ledger);
    if (HasFailure()) break;
    // Writers that lost their launches' replica keep them: the other replica serves them too.
  }
  absl::MutexLock lock(&ledger.mu);
  const int acked = static_cast<int>(ledger.launches.size() + ledger.updates.size());
  Figure(
      "checklist_replicas_sigkill",
      absl::StrCat(rounds, " rounds x ", kWriterThreads, " writer threads on ", kReplicas,
                   " replicas (PostgreSQL), one replica SIGKILLed per round; ", acked,
                   " writes acknowledged; ", ledger.failed.load(), " calls cut off by the kill; ",
                   total_lost, " acknowledged writes lost, counted through each replica"));
  EXPECT_EQ(total_lost, 0);
}

TEST_F(ReplicatedChecklistFaultTest, ADatabaseRestartUnderLoadLosesNothingAndBothCarryOn) {
  Ledger ledger;
  std::vector<std::vector<std::string>> own(kWriterThreads);
  for (int r = 0; r < kReplicas; ++r) StartReplica(r);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads = StartWriters(ledger, 0, own, stop);
  EXPECT_TRUE(Eventually([&] { return ledger.acked_this_round.load() >= 30; }, absl::Seconds(60),
                         absl::Milliseconds(1)));
  // A clean restart (fast shutdown ends every session) while the writers are busy.
  EXPECT_TRUE(server_->Restart().ok()) << server_->Log();
  stop = true;
  for (std::thread& thread : threads) thread.join();
  const int cut_off = ledger.failed.load();

  // Both replicas carry on without a restart of their own.
  ledger.acked_this_round = 0;
  std::atomic<bool> stop_after{false};
  threads = StartWriters(ledger, 1, own, stop_after);
  EXPECT_TRUE(Eventually([&] { return ledger.acked_this_round.load() >= 40; }, absl::Seconds(60),
                         absl::Milliseconds(1)))
      << "the replicas did not recover from the database restart";
  stop_after = true;
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ledger.failed.load(), cut_off) << "calls failed after the database was back";
  int lost = 0;
  for (int r = 0; r < kReplicas; ++r) lost += VerifyThrough(r, ledger);
  absl::MutexLock lock(&ledger.mu);
  Figure(
      "checklist_replicas_database_restart",
      absl::StrCat(kWriterThreads, " writer threads on ", kReplicas,
                   " replicas, PostgreSQL restarted under load: ",
                   ledger.launches.size() + ledger.updates.size(), " writes acknowledged; ",
                   cut_off, " calls cut off by the restart; ", lost, " acknowledged writes lost"));
  EXPECT_EQ(lost, 0);
}

}  // namespace
}  // namespace preflight
