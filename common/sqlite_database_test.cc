#include "common/sqlite_database.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
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
    {2,
     {"CREATE TABLE tags (name TEXT PRIMARY KEY) STRICT",
      "ALTER TABLE notes ADD COLUMN tag TEXT REFERENCES tags (name)"}},
};

int Count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt(); }

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Join("test.db"); }

  std::unique_ptr<SQLite::Database> Open(const std::vector<SqliteMigration>& migrations,
                                         SqliteOptions options = SqliteOptions{}) {
    absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
        OpenSqliteDatabase(Path(), options, migrations);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  // The status of running `sql` on `db`, through the error mapping under test.
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

TEST(SqliteErrorToStatusTest, MapsResultCodesToCanonicalCodes) {
  struct Case {
    int code;
    absl::StatusCode want;
  };
  for (const Case& c : {Case{SQLITE_BUSY, absl::StatusCode::kUnavailable},
                        Case{SQLITE_BUSY_SNAPSHOT, absl::StatusCode::kUnavailable},
                        Case{SQLITE_LOCKED, absl::StatusCode::kUnavailable},
                        Case{SQLITE_FULL, absl::StatusCode::kResourceExhausted},
                        Case{SQLITE_NOMEM, absl::StatusCode::kResourceExhausted},
                        Case{SQLITE_CONSTRAINT_UNIQUE, absl::StatusCode::kAlreadyExists},
                        Case{SQLITE_CONSTRAINT_PRIMARYKEY, absl::StatusCode::kAlreadyExists},
                        Case{SQLITE_CONSTRAINT_FOREIGNKEY, absl::StatusCode::kFailedPrecondition},
                        Case{SQLITE_CONSTRAINT_NOTNULL, absl::StatusCode::kInternal},
                        Case{SQLITE_READONLY, absl::StatusCode::kFailedPrecondition},
                        Case{SQLITE_READONLY_DBMOVED, absl::StatusCode::kFailedPrecondition},
                        Case{SQLITE_CORRUPT, absl::StatusCode::kDataLoss},
                        Case{SQLITE_NOTADB, absl::StatusCode::kDataLoss},
                        Case{SQLITE_ERROR, absl::StatusCode::kInternal},
                        Case{SQLITE_IOERR_FSYNC, absl::StatusCode::kInternal},
                        Case{-1, absl::StatusCode::kInternal}}) {
    EXPECT_EQ(SqliteErrorToStatus(c.code, "msg", "ctx").code(), c.want) << c.code;
  }
}

TEST(SqliteErrorToStatusTest, MessageCarriesContext) {
  EXPECT_EQ(SqliteErrorToStatus(SQLITE_FULL, "database or disk is full", "saving x").message(),
            "saving x: database or disk is full");
  EXPECT_EQ(SqliteErrorToStatus(SQLITE_READONLY, "attempt to write a readonly database", "saving x")
                .message(),
            "saving x: database is read-only");
}

TEST_F(SqliteDatabaseTest, OpenSetsDurabilityPragmas) {
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

TEST_F(SqliteDatabaseTest, MigrationsApplyOnceAndOnlyNewOnesOnReopen) {
  {
    std::unique_ptr<SQLite::Database> db = Open(kV1);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(SqliteSchemaVersion(*db).value_or(-1), 1);
    db->exec("INSERT INTO notes (body) VALUES ('kept')");
  }
  // Reopening with the same list runs nothing (CREATE TABLE again would fail).
  ASSERT_NE(Open(kV1), nullptr);
  std::unique_ptr<SQLite::Database> db = Open(kV2);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(SqliteSchemaVersion(*db).value_or(-1), 2);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM schema_migrations"), 2);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM schema_migrations WHERE applied_at LIKE '20%Z'"), 2);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM notes WHERE body = 'kept' AND tag IS NULL"), 1);
}

TEST_F(SqliteDatabaseTest, DatabaseNewerThanTheCodeIsRefused) {
  ASSERT_NE(Open(kV2), nullptr);
  absl::StatusOr<std::unique_ptr<SQLite::Database>> old =
      OpenSqliteDatabase(Path(), SqliteOptions{}, kV1);
  EXPECT_EQ(old.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(old.status().message(), HasSubstr("version 2 is newer"));
}

TEST_F(SqliteDatabaseTest, FailedMigrationLeavesNoTrace) {
  ASSERT_NE(Open(kV1), nullptr);
  std::vector<SqliteMigration> broken = kV1;
  broken.push_back({2, {"CREATE TABLE half (x INTEGER) STRICT", "THIS IS NOT SQL"}});
  absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
      OpenSqliteDatabase(Path(), SqliteOptions{}, broken);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(db.status().message(), HasSubstr("applying schema migration 2"));

  std::unique_ptr<SQLite::Database> check = Open(kV1);
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(SqliteSchemaVersion(*check).value_or(-1), 1);
  EXPECT_FALSE(check->tableExists("half"));
}

TEST_F(SqliteDatabaseTest, MisnumberedMigrationsAreAProgrammingError) {
  const std::vector<SqliteMigration> gap = {{1, {"SELECT 1"}}, {3, {"SELECT 1"}}};
  EXPECT_EQ(OpenSqliteDatabase(Path(), SqliteOptions{}, gap).status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(SqliteDatabaseTest, ConstraintViolationsMapToAlreadyExistsAndFailedPrecondition) {
  std::unique_ptr<SQLite::Database> db = Open(kV2);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Run(*db, "INSERT INTO notes (body) VALUES ('a')").ok());
  absl::Status dup = Run(*db, "INSERT INTO notes (body) VALUES ('a')");
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists) << dup;
  EXPECT_THAT(dup.message(), HasSubstr("running test SQL: UNIQUE constraint failed"));
  EXPECT_EQ(Run(*db, "INSERT INTO notes (body, tag) VALUES ('b', 'missing')").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteDatabaseTest, LockHeldElsewhereIsUnavailable) {
  SqliteOptions impatient;
  impatient.busy_timeout = absl::ZeroDuration();
  std::unique_ptr<SQLite::Database> db = Open(kV1, impatient);
  ASSERT_NE(db, nullptr);
  SQLite::Database other(Path(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  EXPECT_EQ(Run(*db, "BEGIN IMMEDIATE").code(), absl::StatusCode::kUnavailable);
  other.exec("ROLLBACK");
  EXPECT_TRUE(Run(*db, "BEGIN IMMEDIATE").ok());
}

TEST_F(SqliteDatabaseTest, MaxPageCountMakesTheDatabaseFull) {
  SqliteOptions tiny;
  tiny.max_page_count = 1;
  std::unique_ptr<SQLite::Database> db = Open(kV1, tiny);
  ASSERT_NE(db, nullptr);
  absl::Status full = Run(*db, "INSERT INTO notes (body) VALUES (printf('%.50000c', 'x'))");
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted) << full;
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM notes"), 0);
}

TEST_F(SqliteDatabaseTest, ReadOnlyOpenReadsButNeverWrites) {
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
}

TEST_F(SqliteDatabaseTest, ReaderConnectionCannotWrite) {
  std::unique_ptr<SQLite::Database> writer = Open(kV1);
  ASSERT_NE(writer, nullptr);
  absl::StatusOr<std::unique_ptr<SQLite::Database>> reader =
      OpenSqliteReader(Path(), SqliteOptions{});
  ASSERT_TRUE(reader.ok()) << reader.status();
  writer->exec("INSERT INTO notes (body) VALUES ('visible')");
  EXPECT_EQ(Count(**reader, "SELECT COUNT(*) FROM notes"), 1);
  EXPECT_EQ(Run(**reader, "DELETE FROM notes").code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteDatabaseTest, MissingDirectoryFailsToOpen) {
  absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
      OpenSqliteDatabase(dir_.Join("no/such/dir/x.db"), SqliteOptions{}, kV1);
  EXPECT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("opening database"));
}

}  // namespace
}  // namespace preflight
