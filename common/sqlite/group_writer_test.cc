#include "common/sqlite/group_writer.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;

const std::vector<SqliteMigration> kMigrations = {
    {1, {"CREATE TABLE notes (body TEXT NOT NULL UNIQUE) STRICT"}},
};

class SqliteGroupWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> db =
        SqliteReaderWriter::Open(dir_.Join("g.db"), SqliteOptions{}, kMigrations, "the test store");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    writer_ = std::make_unique<SqliteGroupWriter>(db_.get());
  }

  std::vector<std::string> Notes() {
    absl::StatusOr<std::vector<std::string>> notes =
        db_->Read("listing", [](SQLite::Database& reader) {
          SQLite::Statement query(reader, "SELECT body FROM notes ORDER BY body");
          std::vector<std::string> bodies;
          while (query.executeStep()) bodies.push_back(query.getColumn(0).getString());
          return bodies;
        });
    EXPECT_TRUE(notes.ok()) << notes.status();
    return notes.ok() ? *notes : std::vector<std::string>{};
  }

  static SqliteGroupWriter::Body Insert(const std::string& body) {
    return [body](SQLite::Database& db) {
      SQLite::Statement insert(db, "INSERT INTO notes (body) VALUES (?)");
      insert.bind(1, body);
      insert.exec();
      return absl::OkStatus();
    };
  }

  // Holds the leader inside its transaction until `release`, while `writes` queue behind it, and
  // returns each queued write's status: they all go in the one batch after the held one.
  std::vector<absl::Status> QueuedBehindALeader(
      const std::vector<SqliteGroupWriter::Body>& writes) {
    absl::Notification leading, release;
    std::thread leader([&] {
      EXPECT_TRUE(writer_
                      ->Write("the held write",
                              [&](SQLite::Database& db) {
                                leading.Notify();
                                release.WaitForNotification();
                                return Insert("held")(db);
                              })
                      .ok());
    });
    leading.WaitForNotification();
    std::vector<absl::Status> results(writes.size());
    std::vector<std::thread> followers;
    for (size_t i = 0; i < writes.size(); ++i) {
      followers.emplace_back([&, i] { results[i] = writer_->Write("a queued write", writes[i]); });
    }
    // Waits for a queue length, not for time to pass.
    while (writer_->queued() < writes.size()) std::this_thread::yield();
    release.Notify();
    leader.join();
    for (std::thread& follower : followers) follower.join();
    return results;
  }

  ::preflight::testing::TempDir dir_;
  std::unique_ptr<SqliteReaderWriter> db_;
  std::unique_ptr<SqliteGroupWriter> writer_;
};

TEST_F(SqliteGroupWriterTest, AWriteAloneCommitsAtOnce) {
  ASSERT_TRUE(writer_->Write("adding", Insert("a")).ok());
  EXPECT_EQ(Notes(), std::vector<std::string>{"a"});
  EXPECT_EQ(writer_->stats().batches, 1);
}

TEST_F(SqliteGroupWriterTest, WritesQueuedDuringACommitShareTheNextTransaction) {
  std::vector<SqliteGroupWriter::Body> writes;
  for (int i = 0; i < 10; ++i) writes.push_back(Insert("n" + std::to_string(i)));
  for (const absl::Status& status : QueuedBehindALeader(writes)) EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(Notes().size(), 11u);
  const SqliteGroupWriter::Stats stats = writer_->stats();
  EXPECT_EQ(stats.batches, 2);
  EXPECT_EQ(stats.writes, 11);
  EXPECT_EQ(stats.largest_batch, 10u);
}

TEST_F(SqliteGroupWriterTest, AFailedWriteFailsAloneAndLeavesNothingBehind) {
  ASSERT_TRUE(writer_->Write("adding", Insert("taken")).ok());
  const std::vector<absl::Status> results = QueuedBehindALeader({
      Insert("first"),
      // Writes a row, then fails: the row goes with it.
      [](SQLite::Database& db) {
        db.exec("INSERT INTO notes (body) VALUES ('half')");
        return absl::FailedPreconditionError("changed its mind");
      },
      Insert("taken"),  // a constraint violation, thrown by SQLiteCpp
      [](SQLite::Database&) -> absl::Status { throw std::runtime_error("boom"); },
      Insert("last"),
  });
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_EQ(results[1], absl::FailedPreconditionError("changed its mind"));
  EXPECT_FALSE(results[2].ok());
  EXPECT_THAT(results[2].message(), HasSubstr("a queued write"));
  EXPECT_EQ(results[3].code(), absl::StatusCode::kInternal);
  EXPECT_THAT(results[3].message(), HasSubstr("boom"));
  EXPECT_TRUE(results[4].ok()) << results[4];
  EXPECT_EQ(Notes(), (std::vector<std::string>{"first", "held", "last", "taken"}));
  EXPECT_EQ(writer_->stats().largest_batch, 5u);
}

TEST_F(SqliteGroupWriterTest, WriteEachSharesOneTransactionAndFailsOnlyTheFailedOnes) {
  const std::vector<absl::Status> results =
      writer_->WriteEach("a pass", {Insert("a"), Insert("a"), Insert("b")});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_FALSE(results[1].ok());
  EXPECT_THAT(results[1].message(), HasSubstr("a pass"));
  EXPECT_TRUE(results[2].ok()) << results[2];
  EXPECT_EQ(Notes(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(writer_->stats().batches, 1);
  EXPECT_TRUE(writer_->WriteEach("nothing", {}).empty());
}

}  // namespace
}  // namespace preflight
