#include "common/sqlite/guarded_connection.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "SQLiteCpp/Database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;

class GuardedConnectionTest : public ::testing::Test {
 protected:
  GuardedConnectionTest()
      : connection_(std::make_unique<SQLite::Database>(
            ":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)) {
    EXPECT_TRUE(connection_
                    .Run("creating",
                         [](SQLite::Database& db) {
                           db.exec("CREATE TABLE notes (body TEXT NOT NULL UNIQUE) STRICT");
                           return absl::OkStatus();
                         })
                    .ok());
  }

  int Count() {
    return connection_
        .Run("counting",
             [](SQLite::Database& db) {
               return db.execAndGet("SELECT COUNT(*) FROM notes").getInt();
             })
        .value_or(-1);
  }

  static void Insert(SQLite::Database& db, const std::string& body) {
    db.exec("INSERT INTO notes (body) VALUES ('" + body + "')");
  }

  GuardedConnection connection_;
};

TEST_F(GuardedConnectionTest, RunReturnsTheBodysResult) {
  absl::StatusOr<std::string> version = connection_.Run(
      "version", [](SQLite::Database& db) { return db.execAndGet("SELECT 'v'").getString(); });
  EXPECT_EQ(version.value_or(""), "v");
}

TEST_F(GuardedConnectionTest, RunTurnsExceptionsIntoStatuses) {
  absl::Status dup = connection_.Run("adding notes", [](SQLite::Database& db) {
    Insert(db, "a");
    Insert(db, "a");
    return absl::OkStatus();
  });
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.message(), HasSubstr("adding notes: UNIQUE constraint failed"));
  // Without a transaction the first insert stays.
  EXPECT_EQ(Count(), 1);
}

TEST_F(GuardedConnectionTest, TransactCommitsWhenTheBodySucceeds) {
  absl::StatusOr<int> inserted = connection_.Transact(
      "adding notes", SQLite::TransactionBehavior::IMMEDIATE, [](SQLite::Database& db) {
        Insert(db, "a");
        Insert(db, "b");
        return 2;
      });
  EXPECT_EQ(inserted.value_or(0), 2);
  EXPECT_EQ(Count(), 2);
}

TEST_F(GuardedConnectionTest, TransactRollsBackAFailedBody) {
  absl::Status refused = connection_.Transact(
      "adding notes", SQLite::TransactionBehavior::IMMEDIATE, [](SQLite::Database& db) {
        Insert(db, "a");
        return absl::AbortedError("changed concurrently");
      });
  EXPECT_EQ(refused, absl::AbortedError("changed concurrently"));
  EXPECT_EQ(Count(), 0);

  absl::StatusOr<int> failed =
      connection_.Transact("adding notes", SQLite::TransactionBehavior::DEFERRED,
                           [](SQLite::Database& db) -> absl::StatusOr<int> {
                             Insert(db, "a");
                             return absl::NotFoundError("no launch");
                           });
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Count(), 0);
}

TEST_F(GuardedConnectionTest, TransactRollsBackWhenTheBodyThrows) {
  absl::Status dup = connection_.Transact("adding notes", SQLite::TransactionBehavior::IMMEDIATE,
                                          [](SQLite::Database& db) {
                                            Insert(db, "a");
                                            Insert(db, "a");
                                            return absl::OkStatus();
                                          });
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 0);

  absl::Status internal =
      connection_.Transact("adding notes", SQLite::TransactionBehavior::IMMEDIATE,
                           [](SQLite::Database& db) -> absl::Status {
                             Insert(db, "a");
                             throw std::runtime_error("bad payload");
                           });
  EXPECT_EQ(internal, absl::InternalError("adding notes: bad payload"));
  EXPECT_EQ(Count(), 0);
}

}  // namespace
}  // namespace preflight
