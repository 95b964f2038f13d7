// checklist-service on PostgreSQL (--database), as processes: two replicas on one database share
// every write, refuse lost updates across replicas, keep one gap-free event log, and ride out a
// database restart. The database is Debian's PostgreSQL server, started by the test.

#include <signal.h>

#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/metadata_keys.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.grpc.pb.h"
#include "tests/testing/integration_testing.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::ElementsAreArray;
using testing::LaunchRequest;
using testing::PostgresServer;
using testing::ServiceProcess;
using testing::SetDeadline;
using testing::TempDir;

class PostgresChecklistTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    absl::StatusOr<std::string> url = server_->CreateDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  // A checklist replica on the test's database, with a data folder of its own.
  absl::StatusOr<ServiceProcess> StartReplica(TempDir& dir) {
    return testing::StartProcess(
        testing::ChecklistArgv("127.0.0.1:0", dir.path(), {"--database=" + url_}));
  }

  static std::unique_ptr<v1::ChecklistService::Stub> Stub(const ServiceProcess& replica) {
    return v1::ChecklistService::NewStub(
        grpc::CreateChannel(replica.address, grpc::InsecureChannelCredentials()));
  }

  static grpc::Status Create(v1::ChecklistService::Stub* stub, const std::string& request_id,
                             v1::Launch* created) {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(20));
    return stub->CreateLaunch(&context, LaunchRequest("owner@example.com", request_id), created);
  }

  static grpc::Status Get(v1::ChecklistService::Stub* stub, const std::string& name,
                          v1::Launch* launch) {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(20));
    v1::GetLaunchRequest request;
    request.set_name(name);
    return stub->GetLaunch(&context, request, launch);
  }

  static grpc::Status Rename(v1::ChecklistService::Stub* stub, const v1::Launch& from,
                             const std::string& display_name, v1::Launch* renamed) {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(20));
    v1::UpdateLaunchRequest request;
    request.mutable_launch()->set_name(from.name());
    request.set_etag(from.etag());
    request.mutable_launch()->set_display_name(display_name);
    request.mutable_update_mask()->add_paths("display_name");
    return stub->UpdateLaunch(&context, request, renamed);
  }

  // Every event the replica has, read through WatchEvents up to the head it announces.
  static std::vector<int64_t> AllSequences(v1::ChecklistService::Stub* stub) {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(30));
    v1::WatchEventsRequest request;
    std::unique_ptr<grpc::ClientReader<v1::Event>> stream = stub->WatchEvents(&context, request);
    stream->WaitForInitialMetadata();
    int64_t head = -1;
    const auto found = context.GetServerInitialMetadata().find(api::kLastSequenceMetadataKey);
    if (found != context.GetServerInitialMetadata().end()) {
      EXPECT_TRUE(absl::SimpleAtoi(std::string(found->second.data(), found->second.size()), &head));
    }
    std::vector<int64_t> sequences;
    v1::Event event;
    while (static_cast<int64_t>(sequences.size()) < head && stream->Read(&event)) {
      sequences.push_back(event.sequence());
    }
    context.TryCancel();
    return sequences;
  }

  static std::vector<int64_t> OneTo(int64_t n) {
    std::vector<int64_t> all;
    for (int64_t i = 1; i <= n; ++i) all.push_back(i);
    return all;
  }

  std::unique_ptr<PostgresServer> server_;
  std::string url_;
};

TEST_F(PostgresChecklistTest, TwoReplicasShareEveryWriteAndRefuseLostUpdates) {
  TempDir dir_a;
  TempDir dir_b;
  absl::StatusOr<ServiceProcess> a_started = StartReplica(dir_a);
  ASSERT_TRUE(a_started.ok()) << a_started.status();
  ServiceProcess& a = *a_started;
  absl::StatusOr<ServiceProcess> b_started = StartReplica(dir_b);
  ASSERT_TRUE(b_started.ok()) << b_started.status();
  ServiceProcess& b = *b_started;
  auto stub_a = Stub(a);
  auto stub_b = Stub(b);

  v1::Launch created;
  ASSERT_TRUE(Create(stub_a.get(), "shared-1", &created).ok());
  v1::Launch seen;
  ASSERT_TRUE(Get(stub_b.get(), created.name(), &seen).ok());
  EXPECT_EQ(seen.etag(), created.etag());
  EXPECT_EQ(seen.display_name(), created.display_name());

  // The same request id through the other replica is the same launch, not a second one.
  v1::Launch again;
  ASSERT_TRUE(Create(stub_b.get(), "shared-1", &again).ok());
  EXPECT_EQ(again.name(), created.name());

  // B renames; A, still holding the etag it read first, cannot overwrite that.
  v1::Launch renamed;
  ASSERT_TRUE(Rename(stub_b.get(), seen, "renamed through B", &renamed).ok());
  v1::Launch lost;
  const grpc::Status stale = Rename(stub_a.get(), created, "lost update through A", &lost);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED) << stale.error_message();
  v1::Launch now;
  ASSERT_TRUE(Get(stub_a.get(), created.name(), &now).ok());
  EXPECT_EQ(now.display_name(), "renamed through B");
  EXPECT_EQ(now.etag(), renamed.etag());
}

TEST_F(PostgresChecklistTest, RacingUpdatesFromOneEtagThroughBothReplicasLetExactlyOneWin) {
  TempDir dir_a;
  TempDir dir_b;
  absl::StatusOr<ServiceProcess> a_started = StartReplica(dir_a);
  ASSERT_TRUE(a_started.ok()) << a_started.status();
  absl::StatusOr<ServiceProcess> b_started = StartReplica(dir_b);
  ASSERT_TRUE(b_started.ok()) << b_started.status();
  v1::Launch created;
  ASSERT_TRUE(Create(Stub(*a_started).get(), "race", &created).ok());

  constexpr int kRacers = 8;
  std::vector<grpc::Status> results(kRacers);
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      auto stub = Stub(i % 2 == 0 ? *a_started : *b_started);
      v1::Launch renamed;
      results[i] = Rename(stub.get(), created, absl::StrCat("racer ", i), &renamed);
    });
  }
  for (std::thread& racer : racers) racer.join();
  int won = 0;
  for (const grpc::Status& result : results) {
    if (result.ok()) {
      ++won;
    } else {
      EXPECT_EQ(result.error_code(), grpc::StatusCode::ABORTED) << result.error_message();
    }
  }
  EXPECT_EQ(won, 1);
  v1::Launch now;
  ASSERT_TRUE(Get(Stub(*b_started).get(), created.name(), &now).ok());
  EXPECT_EQ(now.version(), created.version() + 1);
}

TEST_F(PostgresChecklistTest, AWatcherOnOneReplicaSeesTheOtherReplicasWritesAsTheyCommit) {
  TempDir dir_a;
  TempDir dir_b;
  absl::StatusOr<ServiceProcess> a_started = StartReplica(dir_a);
  ASSERT_TRUE(a_started.ok()) << a_started.status();
  absl::StatusOr<ServiceProcess> b_started = StartReplica(dir_b);
  ASSERT_TRUE(b_started.ok()) << b_started.status();
  auto stub_a = Stub(*a_started);
  auto stub_b = Stub(*b_started);

  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(30));
  std::unique_ptr<grpc::ClientReader<v1::Event>> stream =
      stub_b->WatchEvents(&context, v1::WatchEventsRequest());
  stream->WaitForInitialMetadata();
  for (int i = 1; i <= 3; ++i) {
    v1::Launch created;
    ASSERT_TRUE(Create(stub_a.get(), absl::StrCat("live-", i), &created).ok());
    // Each launch's first event arrives through B before the next is written through A.
    v1::Event event;
    do {
      ASSERT_TRUE(stream->Read(&event)) << "the stream on B ended before A's write arrived";
    } while (event.type() != v1::Event::TYPE_LAUNCH_CREATED);
    EXPECT_EQ(event.launch(), created.name());
  }
  context.TryCancel();
}

TEST_F(PostgresChecklistTest, ConcurrentWritersThroughBothReplicasKeepOneGapFreeLog) {
  TempDir dir_a;
  TempDir dir_b;
  absl::StatusOr<ServiceProcess> a_started = StartReplica(dir_a);
  ASSERT_TRUE(a_started.ok()) << a_started.status();
  ServiceProcess& a = *a_started;
  absl::StatusOr<ServiceProcess> b_started = StartReplica(dir_b);
  ASSERT_TRUE(b_started.ok()) << b_started.status();
  ServiceProcess& b = *b_started;
  constexpr int kLaunchesPerWriter = 10;
  std::vector<std::thread> writers;
  std::vector<std::set<std::string>> names(4);
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      auto stub = Stub(w % 2 == 0 ? a : b);
      for (int i = 0; i < kLaunchesPerWriter; ++i) {
        v1::Launch created;
        const grpc::Status status = Create(stub.get(), absl::StrCat("w", w, "-", i), &created);
        EXPECT_TRUE(status.ok()) << status.error_message();
        names[w].insert(created.name());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();

  std::set<std::string> all;
  for (const auto& some : names) all.insert(some.begin(), some.end());
  EXPECT_EQ(all.size(), 4u * kLaunchesPerWriter);
  // Both replicas read the same log: 1, 2, 3, ... whichever replica wrote each event.
  const std::vector<int64_t> from_a = AllSequences(Stub(a).get());
  const std::vector<int64_t> from_b = AllSequences(Stub(b).get());
  ASSERT_GE(from_a.size(), 4u * kLaunchesPerWriter);
  EXPECT_THAT(from_a, ElementsAreArray(OneTo(static_cast<int64_t>(from_a.size()))));
  EXPECT_EQ(from_b, from_a);
}

TEST_F(PostgresChecklistTest, AReplicaRidesOutADatabaseRestartAndARestartOfItsOwn) {
  TempDir dir;
  absl::StatusOr<ServiceProcess> replica_started = StartReplica(dir);
  ASSERT_TRUE(replica_started.ok()) << replica_started.status();
  ServiceProcess& replica = *replica_started;
  v1::Launch created;
  ASSERT_TRUE(Create(Stub(replica).get(), "before-restart", &created).ok());

  ASSERT_TRUE(server_->Restart().ok());
  // The connections the server closed are replaced: the next calls just work.
  v1::Launch seen;
  const grpc::Status read = Get(Stub(replica).get(), created.name(), &seen);
  EXPECT_TRUE(read.ok()) << read.error_message();
  v1::Launch after;
  const grpc::Status written = Create(Stub(replica).get(), "after-restart", &after);
  EXPECT_TRUE(written.ok()) << written.error_message();

  // A killed replica loses nothing: the state is in the database, not its data folder.
  ASSERT_TRUE(replica.process.Stop(SIGKILL).ok());
  TempDir fresh;
  absl::StatusOr<ServiceProcess> other_started = StartReplica(fresh);
  ASSERT_TRUE(other_started.ok()) << other_started.status();
  ServiceProcess& other = *other_started;
  ASSERT_TRUE(Get(Stub(other).get(), after.name(), &seen).ok());
  const std::vector<int64_t> sequences = AllSequences(Stub(other).get());
  EXPECT_GE(sequences.size(), 2u);
  EXPECT_THAT(sequences, ElementsAreArray(OneTo(static_cast<int64_t>(sequences.size()))));
}

TEST_F(PostgresChecklistTest, TheDatabaseUrlCanComeFromAFileAndNotFromBoth) {
  TempDir dir;
  const std::string secret = dir.Join("database-url");
  // With a password (the test server trusts loopback and ignores it), which no log may show.
  std::string with_password = url_;
  with_password.replace(with_password.find("preflight@"), 10, "preflight:s3cret-in-file@");
  std::ofstream(secret) << with_password << "\n";
  absl::StatusOr<ServiceProcess> replica = testing::StartProcess(
      testing::ChecklistArgv("127.0.0.1:0", dir.Join("data"), {"--database_file=" + secret}));
  ASSERT_TRUE(replica.ok()) << replica.status();
  v1::Launch created;
  ASSERT_TRUE(Create(Stub(*replica).get(), "from-a-file", &created).ok());
  EXPECT_THAT(replica->process.output(), ::testing::HasSubstr("keeping state in PostgreSQL"));
  EXPECT_THAT(replica->process.output(), ::testing::Not(::testing::HasSubstr("s3cret")));
  ASSERT_TRUE(replica->process.Stop(SIGTERM).ok());

  absl::StatusOr<testing::CommandResult> both = testing::RunCommand(testing::ChecklistArgv(
      "127.0.0.1:0", dir.Join("data2"), {"--database_file=" + secret, "--database=" + url_}));
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_NE(both->exit_code, 0);
  EXPECT_THAT(both->output, ::testing::HasSubstr("--database or --database_file, not both"));
  absl::StatusOr<testing::CommandResult> missing = testing::RunCommand(testing::ChecklistArgv(
      "127.0.0.1:0", dir.Join("data3"), {"--database_file=" + dir.Join("nope")}));
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_NE(missing->exit_code, 0);
  EXPECT_THAT(missing->output, ::testing::HasSubstr("--database_file: cannot read"));
}

TEST_F(PostgresChecklistTest, ASingleNodeDeploymentMovesToPostgresqlWithOneCommand) {
  TempDir single;
  v1::Launch created;
  {
    absl::StatusOr<ServiceProcess> sqlite =
        testing::StartProcess(testing::ChecklistArgv("127.0.0.1:0", single.path()));
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    ASSERT_TRUE(Create(Stub(*sqlite).get(), "moved", &created).ok());
    ASSERT_TRUE(sqlite->process.Stop(SIGTERM).ok());
  }
  absl::StatusOr<testing::CommandResult> copy =
      testing::RunCommand({CHECKLIST_SERVICE_BIN, "--data_dir=" + single.path(),
                           "--database=" + url_, "--copy_sqlite_to_database"});
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->exit_code, 0) << copy->output;
  EXPECT_THAT(copy->output, ::testing::HasSubstr("copied the SQLite data into PostgreSQL"));
  EXPECT_THAT(copy->output, ::testing::Not(::testing::HasSubstr("password")));

  TempDir replica_dir;
  absl::StatusOr<ServiceProcess> replica = StartReplica(replica_dir);
  ASSERT_TRUE(replica.ok()) << replica.status();
  v1::Launch moved;
  ASSERT_TRUE(Get(Stub(*replica).get(), created.name(), &moved).ok());
  EXPECT_EQ(moved.etag(), created.etag());
  EXPECT_EQ(moved.items_size(), created.items_size());
  // A second copy into the now non-empty database is refused.
  absl::StatusOr<testing::CommandResult> again =
      testing::RunCommand({CHECKLIST_SERVICE_BIN, "--data_dir=" + single.path(),
                           "--database=" + url_, "--copy_sqlite_to_database"});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_NE(again->exit_code, 0);
  EXPECT_THAT(again->output, ::testing::HasSubstr("already holds"));
}

}  // namespace
}  // namespace preflight
