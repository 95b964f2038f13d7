#include "common/sqlite/guarded.h"

#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <type_traits>

#include "SQLiteCpp/Database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;

TEST(SqliteGuardedTest, PassesValuesAndStatusesThrough) {
  absl::StatusOr<int> value = SqliteGuarded("ctx", [] { return 7; });
  EXPECT_EQ(value.value_or(0), 7);

  absl::StatusOr<std::string> wrapped =
      SqliteGuarded("ctx", []() -> absl::StatusOr<std::string> { return std::string("x"); });
  EXPECT_EQ(wrapped.value_or(""), "x");

  absl::Status status = SqliteGuarded("ctx", [] { return absl::NotFoundError("gone"); });
  EXPECT_EQ(status, absl::NotFoundError("gone"));

  absl::StatusOr<int> failed =
      SqliteGuarded("ctx", []() -> absl::StatusOr<int> { return absl::AbortedError("raced"); });
  EXPECT_EQ(failed.status(), absl::AbortedError("raced"));
}

TEST(SqliteGuardedTest, ResultTypeFollowsTheBody) {
  auto plain = [] { return 1; };
  auto status = [] { return absl::OkStatus(); };
  auto status_or = []() -> absl::StatusOr<double> { return 1.0; };
  static_assert(std::is_same_v<SqliteGuardedResult<decltype(plain)>, absl::StatusOr<int>>);
  static_assert(std::is_same_v<SqliteGuardedResult<decltype(status)>, absl::Status>);
  static_assert(std::is_same_v<SqliteGuardedResult<decltype(status_or)>, absl::StatusOr<double>>);
}

TEST(SqliteGuardedTest, PassesArgumentsToTheBody) {
  int seen = 0;
  absl::Status status = SqliteGuarded(
      "ctx",
      [](int& out, int in) {
        out = in;
        return absl::OkStatus();
      },
      seen, 5);
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(seen, 5);
}

TEST(SqliteGuardedTest, SqliteExceptionsBecomeTheirStatus) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  absl::StatusOr<int> result = SqliteGuarded("reading notes", [&] {
    return db.execAndGet("SELECT COUNT(*) FROM no_such_table").getInt();
  });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(result.status().message(), HasSubstr("reading notes: no such table: no_such_table"));

  absl::Status busy = SqliteGuarded("saving", []() -> absl::Status {
    throw SQLite::Exception("database is locked", SQLITE_BUSY);
  });
  EXPECT_EQ(busy.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(busy.message(), "saving: database is locked");
}

TEST(SqliteGuardedTest, OtherExceptionsAreInternal) {
  absl::StatusOr<std::string> result =
      SqliteGuarded("decoding x", []() -> std::string { throw std::invalid_argument("not JSON"); });
  EXPECT_EQ(result.status(), absl::InternalError("decoding x: not JSON"));
}

}  // namespace
}  // namespace preflight
