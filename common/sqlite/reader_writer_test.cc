#include "common/sqlite/reader_writer.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;
using testing::IsOkAndHolds;

const std::vector<SqliteMigration> kMigrations = {
    {1, {"CREATE TABLE notes (body TEXT NOT NULL UNIQUE) STRICT"}},
};

class SqliteReaderWriterTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Join("rw.db"); }

  std::unique_ptr<SqliteReaderWriter> Open(SqliteOptions options = SqliteOptions{}) {
    absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> db =
        SqliteReaderWriter::Open(Path(), options, kMigrations, "the test store");
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  static absl::StatusOr<int> Count(SqliteReaderWriter& db) {
    return db.Read("counting", [](SQLite::Database& reader) {
      return reader.execAndGet("SELECT COUNT(*) FROM notes").getInt();
    });
  }

  static absl::Status Insert(SqliteReaderWriter& db, const std::string& body) {
    return db.WriteTransaction("adding a note", [&](SQLite::Database& writer) {
      writer.exec("INSERT INTO notes (body) VALUES ('" + body + "')");
      return absl::OkStatus();
    });
  }

  testing::TempDir dir_;
};

TEST_F(SqliteReaderWriterTest, NeedsAFileBothConnectionsShare) {
  for (const std::string path : {"", ":memory:", "file::memory:?cache=shared"}) {
    absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> db =
        SqliteReaderWriter::Open(path, SqliteOptions{}, kMigrations, "the test store");
    EXPECT_EQ(db.status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(db.status().message(),
              "the test store needs a database file: its two connections must share it");
  }
}

TEST_F(SqliteReaderWriterTest, OpenMigratesAndFailsLikeTheConnections) {
  std::unique_ptr<SqliteReaderWriter> db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Count(*db).value_or(-1), 0);
  absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> missing = SqliteReaderWriter::Open(
      dir_.Join("no/dir/x.db"), SqliteOptions{}, kMigrations, "the test store");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteReaderWriterTest, ReadsSeeCommittedWrites) {
  std::unique_ptr<SqliteReaderWriter> db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Insert(*db, "a").ok());
  EXPECT_EQ(Count(*db).value_or(-1), 1);
  absl::StatusOr<std::vector<std::string>> bodies =
      db->ReadSnapshot("listing", [](SQLite::Database& reader) {
        std::vector<std::string> out;
        SQLite::Statement query(reader, "SELECT body FROM notes");
        while (query.executeStep()) out.push_back(query.getColumn(0).getString());
        return out;
      });
  ASSERT_TRUE(bodies.ok()) << bodies.status();
  EXPECT_THAT(*bodies, ::testing::ElementsAre("a"));
}

TEST_F(SqliteReaderWriterTest, AFailedWriteTransactionLeavesNothing) {
  std::unique_ptr<SqliteReaderWriter> db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Insert(*db, "a").ok());
  absl::Status dup = db->WriteTransaction("adding notes", [](SQLite::Database& writer) {
    writer.exec("INSERT INTO notes (body) VALUES ('b')");
    writer.exec("INSERT INTO notes (body) VALUES ('a')");
    return absl::OkStatus();
  });
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.message(), HasSubstr("adding notes: "));
  EXPECT_EQ(Count(*db).value_or(-1), 1);
}

TEST_F(SqliteReaderWriterTest, AReplayableWriteCommitsWithoutItsOwnFsyncThenRestoresFull) {
  std::unique_ptr<SqliteReaderWriter> db = Open();
  ASSERT_NE(db, nullptr);
  auto synchronous = [&] {
    return db->Write("reading synchronous", [](SQLite::Database& writer) {
      return writer.execAndGet("PRAGMA synchronous").getInt();
    });
  };
  ASSERT_THAT(synchronous(), IsOkAndHolds(2));  // FULL
  int inside = -1;
  ASSERT_TRUE(db->ReplayableWriteTransaction("replaying", [&](SQLite::Database& writer) {
                  inside = writer.execAndGet("PRAGMA synchronous").getInt();
                  writer.exec("INSERT INTO notes (body) VALUES ('replayed')");
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(inside, 1);  // NORMAL
  EXPECT_THAT(Count(*db), IsOkAndHolds(1));
  EXPECT_THAT(synchronous(), IsOkAndHolds(2));

  // A failed one leaves nothing and restores the setting as well.
  EXPECT_FALSE(db->ReplayableWriteTransaction("replaying", [&](SQLite::Database& writer) {
                   writer.exec("INSERT INTO notes (body) VALUES ('dropped')");
                   return absl::AbortedError("no");
                 }).ok());
  EXPECT_THAT(Count(*db), IsOkAndHolds(1));
  EXPECT_THAT(synchronous(), IsOkAndHolds(2));
}

TEST_F(SqliteReaderWriterTest, WriteRunsInAutocommit) {
  std::unique_ptr<SqliteReaderWriter> db = Open();
  ASSERT_NE(db, nullptr);
  absl::Status dup = db->Write("adding notes", [](SQLite::Database& writer) {
    writer.exec("INSERT INTO notes (body) VALUES ('a')");
    writer.exec("INSERT INTO notes (body) VALUES ('a')");
    return absl::OkStatus();
  });
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(*db).value_or(-1), 1);
}

TEST_F(SqliteReaderWriterTest, TheReaderNeverWrites) {
  std::unique_ptr<SqliteReaderWriter> db = Open();
  ASSERT_NE(db, nullptr);
  absl::Status write = db->Read("sneaking a write", [](SQLite::Database& reader) {
    reader.exec("INSERT INTO notes (body) VALUES ('a')");
    return absl::OkStatus();
  });
  EXPECT_EQ(write.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(write.message(), "sneaking a write: database is read-only");
}

TEST_F(SqliteReaderWriterTest, ReadOnlyOpenAnswersWritesWithFailedPrecondition) {
  {
    std::unique_ptr<SqliteReaderWriter> db = Open();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(Insert(*db, "a").ok());
  }
  SqliteOptions read_only;
  read_only.read_only = true;
  std::unique_ptr<SqliteReaderWriter> db = Open(read_only);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Count(*db).value_or(-1), 1);
  EXPECT_EQ(Insert(*db, "b").code(), absl::StatusCode::kFailedPrecondition);
}

// One slow read must not hold up the others: the pool lends each its own connection.
TEST_F(SqliteReaderWriterTest, ConcurrentReadsUseSeparateConnections) {
  SqliteOptions options;
  options.reader_connections = 2;
  std::unique_ptr<SqliteReaderWriter> db = Open(options);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->reader_count(), 2u);
  ASSERT_OK(Insert(*db, "a"));
  absl::Notification inside, release;
  std::thread slow([&] {
    EXPECT_OK(db->ReadSnapshot("a slow read", [&](SQLite::Database& reader) {
      reader.execAndGet("SELECT COUNT(*) FROM notes");
      inside.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    }));
  });
  inside.WaitForNotification();
  EXPECT_THAT(Count(*db), IsOkAndHolds(1));  // would deadlock on a single reader
  release.Notify();
  slow.join();
}

TEST_F(SqliteReaderWriterTest, ReadersGetTheWorkingSetPragmas) {
  SqliteOptions options;
  options.cache_size_kib = 8192;
  options.mmap_size_bytes = int64_t{64} << 20;
  std::unique_ptr<SqliteReaderWriter> db = Open(options);
  ASSERT_NE(db, nullptr);
  EXPECT_THAT(db->Read("cache_size",
                       [](SQLite::Database& reader) {
                         return reader.execAndGet("PRAGMA cache_size").getInt64();
                       }),
              IsOkAndHolds(-8192));
  EXPECT_THAT(db->Read("mmap_size",
                       [](SQLite::Database& reader) {
                         return reader.execAndGet("PRAGMA mmap_size").getInt64();
                       }),
              IsOkAndHolds(int64_t{64} << 20));
}

}  // namespace
}  // namespace preflight
