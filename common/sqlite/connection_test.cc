#include "common/sqlite/connection.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "common/sqlite/error_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;

const std::vector<SqliteMigration> kV1 = {
    {1, {"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE) STRICT"}},
};
const std::vector<SqliteMigration> kV2 = {
    kV1[0],
    {2, {"CREATE TABLE tags (name TEXT PRIMARY KEY) STRICT"}},
};

int Count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt(); }

class SqliteConnectionTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Join("test.db"); }

  std::unique_ptr<SQLite::Database> Open(const std::vector<SqliteMigration>& migrations,
                                         SqliteOptions options = SqliteOptions{}) {
    absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
        OpenSqliteDatabase(Path(), options, migrations);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  // The status of running `sql` on `db`.
  static absl::Status Run(SQLite::Database& db, const std::string& sql) {
    try {
      db.exec(sql);
      return absl::OkStatus();
    } catch (const SQLite::Exception& e) {
      return SqliteErrorToStatus(e, "running test SQL");
    }
  }

  testing::TempDir dir_;
};

TEST_F(SqliteConnectionTest, OpenSetsDurabilityPragmas) {
  std::unique_ptr<SQLite::Database> db = Open(kV1);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(Count(*db, "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(Count(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(Count(*db, "PRAGMA busy_timeout"), 5000);

  SqliteOptions normal;
  normal.synchronous = SqliteOptions::Synchronous::kNormal;
  normal.busy_timeout = absl::Milliseconds(250);
  std::unique_ptr<SQLite::Database> second = Open(kV1, normal);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(Count(*second, "PRAGMA synchronous"), 1);
  EXPECT_EQ(Count(*second, "PRAGMA busy_timeout"), 250);
}

TEST_F(SqliteConnectionTest, BusyTimeoutIsClampedToWhatSqliteTakes) {
  SqliteOptions negative;
  negative.busy_timeout = -absl::Seconds(1);
  std::unique_ptr<SQLite::Database> db = Open(kV1, negative);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Count(*db, "PRAGMA busy_timeout"), 0);
  SqliteOptions forever;
  forever.busy_timeout = absl::InfiniteDuration();
  db = Open(kV1, forever);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Count(*db, "PRAGMA busy_timeout"), INT32_MAX);
}

TEST_F(SqliteConnectionTest, OpenAppliesTheMigrations) {
  ASSERT_NE(Open(kV1), nullptr);
  std::unique_ptr<SQLite::Database> db = Open(kV2);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(SqliteSchemaVersion(*db).value_or(-1), 2);
  absl::StatusOr<std::unique_ptr<SQLite::Database>> old =
      OpenSqliteDatabase(Path(), SqliteOptions{}, kV1);
  EXPECT_EQ(old.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(old.status().message(), HasSubstr("version 2 is newer"));
}

TEST_F(SqliteConnectionTest, MisnumberedMigrationsFailTheOpen) {
  const std::vector<SqliteMigration> gap = {{1, {"SELECT 1"}}, {3, {"SELECT 1"}}};
  EXPECT_EQ(OpenSqliteDatabase(Path(), SqliteOptions{}, gap).status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(SqliteConnectionTest, MaxPageCountMakesTheDatabaseFull) {
  SqliteOptions tiny;
  tiny.max_page_count = 1;
  std::unique_ptr<SQLite::Database> db = Open(kV1, tiny);
  ASSERT_NE(db, nullptr);
  absl::Status full = Run(*db, "INSERT INTO notes (body) VALUES (printf('%.50000c', 'x'))");
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted) << full;
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM notes"), 0);
}

TEST_F(SqliteConnectionTest, ReadOnlyOpenReadsButNeverWrites) {
  {
    std::unique_ptr<SQLite::Database> db = Open(kV1);
    ASSERT_NE(db, nullptr);
    db->exec("INSERT INTO notes (body) VALUES ('a')");
  }
  SqliteOptions read_only;
  read_only.read_only = true;
  std::unique_ptr<SQLite::Database> db = Open(kV1, read_only);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM notes"), 1);
  absl::Status write = Run(*db, "INSERT INTO notes (body) VALUES ('b')");
  EXPECT_EQ(write.code(), absl::StatusCode::kFailedPrecondition) << write;
  EXPECT_THAT(write.message(), HasSubstr("database is read-only"));

  // A read-only open cannot bring an old schema up to date.
  absl::StatusOr<std::unique_ptr<SQLite::Database>> stale =
      OpenSqliteDatabase(Path(), read_only, kV2);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(stale.status().message(), HasSubstr("which a read-only open cannot do"));
}

TEST_F(SqliteConnectionTest, ReadOnlyOpenOfAMissingFileFails) {
  SqliteOptions read_only;
  read_only.read_only = true;
  absl::StatusOr<std::unique_ptr<SQLite::Database>> db = OpenSqliteDatabase(Path(), read_only, kV1);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition) << db.status();
  EXPECT_FALSE(std::filesystem::exists(Path()));
}

TEST_F(SqliteConnectionTest, ReadOnlyMediaOpensImmutable) {
  {
    std::unique_ptr<SQLite::Database> db = Open(kV1);
    ASSERT_NE(db, nullptr);
    db->exec("INSERT INTO notes (body) VALUES ('a')");
    // Closing the last connection checkpoints and removes the WAL.
  }
  ASSERT_FALSE(std::filesystem::exists(Path() + "-wal"));
  SqliteOptions media;
  media.read_only_media = true;
  std::unique_ptr<SQLite::Database> db = Open(kV1, media);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM notes"), 1);
  EXPECT_EQ(Run(*db, "DELETE FROM notes").code(), absl::StatusCode::kFailedPrecondition);
  // Immutable: no -shm beside the file (a read-only file system could not hold one).
  EXPECT_FALSE(std::filesystem::exists(Path() + "-shm"));
  absl::StatusOr<std::unique_ptr<SQLite::Database>> reader = OpenSqliteReader(Path(), media);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(Count(**reader, "SELECT COUNT(*) FROM notes"), 1);
}

TEST_F(SqliteConnectionTest, ReadOnlyMediaWithoutTheFileSaysSo) {
  SqliteOptions media;
  media.read_only_media = true;
  absl::StatusOr<std::unique_ptr<SQLite::Database>> db = OpenSqliteDatabase(Path(), media, kV1);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(db.status().message(), HasSubstr("does not exist on a read-only file system"));
}

TEST_F(SqliteConnectionTest, ReaderConnectionCannotWrite) {
  std::unique_ptr<SQLite::Database> writer = Open(kV1);
  ASSERT_NE(writer, nullptr);
  absl::StatusOr<std::unique_ptr<SQLite::Database>> reader =
      OpenSqliteReader(Path(), SqliteOptions{});
  ASSERT_TRUE(reader.ok()) << reader.status();
  writer->exec("INSERT INTO notes (body) VALUES ('visible')");
  EXPECT_EQ(Count(**reader, "SELECT COUNT(*) FROM notes"), 1);
  EXPECT_EQ(Run(**reader, "DELETE FROM notes").code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteConnectionTest, ReaderOfAMissingFileFails) {
  absl::StatusOr<std::unique_ptr<SQLite::Database>> reader =
      OpenSqliteReader(Path(), SqliteOptions{});
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reader.status().message(), HasSubstr("for reading"));
}

TEST_F(SqliteConnectionTest, MissingDirectoryFailsToOpen) {
  absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
      OpenSqliteDatabase(dir_.Join("no/such/dir/x.db"), SqliteOptions{}, kV1);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(db.status().message(), HasSubstr("opening database"));
}

}  // namespace
}  // namespace preflight
