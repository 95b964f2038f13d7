#include "common/sqlite/error_status.h"

#include <sqlite3.h>

#include <memory>
#include <string>

#include "SQLiteCpp/Database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;

// The status of running `sql` on `db`, through the error mapping under test.
absl::Status RunSql(SQLite::Database& db, const std::string& sql) {
  try {
    db.exec(sql);
    return absl::OkStatus();
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, "running test SQL");
  }
}

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
                        Case{SQLITE_CONSTRAINT_ROWID, absl::StatusCode::kAlreadyExists},
                        Case{SQLITE_CONSTRAINT_FOREIGNKEY, absl::StatusCode::kFailedPrecondition},
                        Case{SQLITE_CONSTRAINT_NOTNULL, absl::StatusCode::kInternal},
                        Case{SQLITE_CONSTRAINT_CHECK, absl::StatusCode::kInternal},
                        Case{SQLITE_READONLY, absl::StatusCode::kFailedPrecondition},
                        Case{SQLITE_READONLY_DBMOVED, absl::StatusCode::kFailedPrecondition},
                        Case{SQLITE_CANTOPEN, absl::StatusCode::kFailedPrecondition},
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

TEST(SqliteErrorToStatusTest, ExceptionsMapByTheirExtendedCodeOrElseTheirResultCode) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (x TEXT PRIMARY KEY) STRICT");
  db.exec("INSERT INTO t VALUES ('a')");
  try {
    db.exec("INSERT INTO t VALUES ('a')");
    ADD_FAILURE() << "no exception";
  } catch (const SQLite::Exception& e) {
    EXPECT_EQ(SqliteErrorToStatus(e, "ctx").code(), absl::StatusCode::kAlreadyExists);
  }
  // Built by hand from a result code: there is no connection to read an extended code from.
  const SQLite::Exception cant_open("x.db does not exist", SQLITE_CANTOPEN);
  EXPECT_EQ(SqliteErrorToStatus(cant_open, "opening"),
            absl::FailedPreconditionError("opening: x.db does not exist"));
  EXPECT_EQ(SqliteErrorToStatus(SQLite::Exception("no code"), "ctx").code(),
            absl::StatusCode::kInternal);
}

TEST(SqliteErrorToStatusTest, ConstraintViolationsMapToAlreadyExistsAndFailedPrecondition) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA foreign_keys=ON");
  db.exec("CREATE TABLE tags (name TEXT PRIMARY KEY) STRICT");
  db.exec("CREATE TABLE notes (body TEXT UNIQUE, tag TEXT REFERENCES tags (name)) STRICT");
  ASSERT_TRUE(RunSql(db, "INSERT INTO notes (body) VALUES ('a')").ok());
  absl::Status dup = RunSql(db, "INSERT INTO notes (body) VALUES ('a')");
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists) << dup;
  EXPECT_THAT(dup.message(), HasSubstr("running test SQL: UNIQUE constraint failed"));
  EXPECT_EQ(RunSql(db, "INSERT INTO notes (body, tag) VALUES ('b', 'missing')").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SqliteErrorToStatusTest, LockHeldElsewhereIsUnavailable) {
  testing::TempDir dir;
  SQLite::Database db(dir.Join("lock.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  SQLite::Database other(dir.Join("lock.db"), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  EXPECT_EQ(RunSql(db, "BEGIN IMMEDIATE").code(), absl::StatusCode::kUnavailable);
  other.exec("ROLLBACK");
  EXPECT_TRUE(RunSql(db, "BEGIN IMMEDIATE").ok());
}

}  // namespace
}  // namespace preflight
