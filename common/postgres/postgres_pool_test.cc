#include "common/postgres/postgres_pool.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/postgres/migration_runner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/status_matchers.h"

namespace preflight {
namespace {

using ::preflight::testing::IsOkAndHolds;
using ::preflight::testing::PostgresServer;
using ::testing::HasSubstr;
using ::testing::Not;

class PostgresPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    absl::StatusOr<std::string> url = server_->CreateDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  std::unique_ptr<PostgresPool> OpenPool(const std::string& schema = "app", int connections = 4) {
    PostgresOptions options;
    options.url = url_;
    options.schema = schema;
    options.connections = connections;
    absl::StatusOr<std::unique_ptr<PostgresPool>> pool = PostgresPool::Open(options);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? *std::move(pool) : nullptr;
  }

  std::unique_ptr<PostgresServer> server_;
  std::string url_;
};

const std::vector<PostgresMigration>& NoteMigrations() {
  static const auto* const kMigrations = new std::vector<PostgresMigration>{
      {1, {"CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL)"}},
      {2, {"ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''"}},
  };
  return *kMigrations;
}

TEST_F(PostgresPoolTest, BadUrlsAndSchemasAreInvalidArgument) {
  PostgresOptions options;
  options.url = "sqlite:///tmp/x.db";
  options.schema = "app";
  EXPECT_EQ(PostgresPool::Open(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.url = url_;
  options.schema = "App; DROP TABLE x";
  EXPECT_EQ(PostgresPool::Open(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PostgresPoolTest, AnUnreachableServerIsUnavailableWithoutThePassword) {
  PostgresOptions options;
  options.url = "postgresql://app:hunter2@127.0.0.1:1/none?connect_timeout=2";
  options.schema = "app";
  absl::Status status = PostgresPool::Open(options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("hunter2")));
}

TEST_F(PostgresPoolTest, MigrationsCreateTheSchemaOnceAndRecordTheirVersions) {
  std::unique_ptr<PostgresPool> pool = OpenPool();
  ASSERT_NE(pool, nullptr);
  ASSERT_OK(ApplyPostgresMigrations(*pool, "notes", NoteMigrations()));
  ASSERT_OK(ApplyPostgresMigrations(*pool, "notes", NoteMigrations()));
  EXPECT_THAT(PostgresSchemaVersion(*pool, "notes"), IsOkAndHolds(2));
  EXPECT_THAT(PostgresSchemaVersion(*pool, "other"), IsOkAndHolds(0));
  // The tables are in the pool's schema: another schema in the same database does not see them.
  std::unique_ptr<PostgresPool> other = OpenPool("other_app");
  ASSERT_NE(other, nullptr);
  EXPECT_THAT(PostgresSchemaVersion(*other, "notes"), IsOkAndHolds(0));
  ASSERT_OK(ApplyPostgresMigrations(*other, "notes", NoteMigrations()));
  ASSERT_OK(pool->Run("insert", [](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("INSERT INTO notes (id, body) VALUES (1, 'in app')");
    return absl::OkStatus();
  }));
  EXPECT_THAT(other->Run("count",
                         [](pqxx::connection& c) {
                           pqxx::nontransaction tx(c);
                           return tx.exec1("SELECT COUNT(*) FROM notes")[0].as<int>();
                         }),
              IsOkAndHolds(0));
}

TEST_F(PostgresPoolTest, ADatabaseFromANewerBinaryIsRefused) {
  std::unique_ptr<PostgresPool> pool = OpenPool();
  ASSERT_NE(pool, nullptr);
  ASSERT_OK(ApplyPostgresMigrations(*pool, "notes", NoteMigrations()));
  std::vector<PostgresMigration> older(NoteMigrations().begin(), NoteMigrations().begin() + 1);
  absl::Status status = ApplyPostgresMigrations(*pool, "notes", older);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("newer"));
  std::vector<PostgresMigration> misnumbered = {{2, {"SELECT 1"}}};
  EXPECT_EQ(ApplyPostgresMigrations(*pool, "x", misnumbered).code(), absl::StatusCode::kInternal);
}

TEST_F(PostgresPoolTest, ReplicasStartingTogetherMigrateOnce) {
  constexpr int kReplicas = 4;
  std::vector<std::unique_ptr<PostgresPool>> pools;
  for (int i = 0; i < kReplicas; ++i) pools.push_back(OpenPool());
  std::vector<absl::Status> results(kReplicas);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = ApplyPostgresMigrations(*pools[i], "notes", NoteMigrations()); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& result : results) EXPECT_OK(result);
  EXPECT_THAT(
      pools[0]->Run(
          "count",
          [](pqxx::connection& c) {
            pqxx::nontransaction tx(c);
            return tx.exec1("SELECT COUNT(*) FROM schema_migrations WHERE component = 'notes'")[0]
                .as<int>();
          }),
      IsOkAndHolds(2));
}

TEST_F(PostgresPoolTest, AFailedBodyRollsItsTransactionBack) {
  std::unique_ptr<PostgresPool> pool = OpenPool();
  ASSERT_NE(pool, nullptr);
  ASSERT_OK(ApplyPostgresMigrations(*pool, "notes", NoteMigrations()));
  absl::Status refused = pool->Transact("write", [](pqxx::transaction_base& tx) {
    tx.exec("INSERT INTO notes (id, body) VALUES (1, 'kept?')");
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  absl::Status duplicate = pool->Transact("write", [](pqxx::transaction_base& tx) {
    tx.exec("INSERT INTO notes (id, body) VALUES (2, 'first')");
    tx.exec("INSERT INTO notes (id, body) VALUES (2, 'again')");
    return absl::OkStatus();
  });
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists) << duplicate;
  EXPECT_THAT(std::string(duplicate.message()), HasSubstr("write: "));
  EXPECT_THAT(pool->Run("count",
                        [](pqxx::connection& c) {
                          pqxx::nontransaction tx(c);
                          return tx.exec1("SELECT COUNT(*) FROM notes")[0].as<int>();
                        }),
              IsOkAndHolds(0));
}

TEST_F(PostgresPoolTest, NoMoreThanTheConfiguredConnectionsAreOpen) {
  constexpr int kConnections = 2;
  std::unique_ptr<PostgresPool> pool = OpenPool("app", kConnections);
  ASSERT_NE(pool, nullptr);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        EXPECT_OK(pool->Run("sleep", [&](pqxx::connection& c) {
          const int now = ++inside;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          pqxx::nontransaction tx(c);
          tx.exec("SELECT pg_sleep(0.01)");
          --inside;
          return absl::OkStatus();
        }));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(most.load(), kConnections);
  EXPECT_THAT(
      pool->Run(
          "sessions",
          [](pqxx::connection& c) {
            pqxx::nontransaction tx(c);
            return tx
                .exec1(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'preflight'")[0]
                .as<int>();
          }),
      IsOkAndHolds(::testing::Le(kConnections)));
}

TEST_F(PostgresPoolTest, CallsFailUnavailableWhileTheServerIsDownAndRecoverAfter) {
  std::unique_ptr<PostgresPool> pool = OpenPool("app", 2);
  ASSERT_NE(pool, nullptr);
  auto ping = [&] {
    return pool->Run("ping", [](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      return tx.exec1("SELECT 1")[0].as<int>();
    });
  };
  ASSERT_THAT(ping(), IsOkAndHolds(1));
  ASSERT_OK(server_->Kill());
  absl::StatusOr<int> down = ping();
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable) << down.status();
  EXPECT_EQ(ping().status().code(), absl::StatusCode::kUnavailable);
  ASSERT_OK(server_->StartAgain());
  // The connection that broke is dropped, not reused: the first call after the restart works.
  EXPECT_THAT(ping(), IsOkAndHolds(1));
  ASSERT_OK(server_->Restart());
  EXPECT_THAT(ping(), IsOkAndHolds(1));
}

}  // namespace
}  // namespace preflight
