#include "common/sqlite/rows.h"

#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::ElementsAre;

class ReadSqliteRowsTest : public ::testing::Test {
 protected:
  ReadSqliteRowsTest() : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.exec("CREATE TABLE t (n INTEGER NOT NULL) STRICT");
    db_.exec("INSERT INTO t (n) VALUES (1), (2), (3)");
  }

  SQLite::Database db_;
};

TEST_F(ReadSqliteRowsTest, ReadsEveryRowInOrder) {
  SQLite::Statement query(db_, "SELECT n FROM t ORDER BY n");
  absl::StatusOr<std::vector<int>> rows =
      ReadSqliteRows(query, [](SQLite::Statement& row) { return row.getColumn(0).getInt(); });
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_THAT(*rows, ElementsAre(1, 2, 3));
}

TEST_F(ReadSqliteRowsTest, NoRowsIsAnEmptyList) {
  SQLite::Statement query(db_, "SELECT n FROM t WHERE n > 9");
  absl::StatusOr<std::vector<std::string>> rows = ReadSqliteRows(
      query, [](SQLite::Statement& row) -> absl::StatusOr<std::string> { return "x"; });
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST_F(ReadSqliteRowsTest, TheFirstRowThatFailsToDecodeIsTheResult) {
  SQLite::Statement query(db_, "SELECT n FROM t ORDER BY n");
  int decoded = 0;
  absl::StatusOr<std::vector<int>> rows =
      ReadSqliteRows(query, [&](SQLite::Statement& row) -> absl::StatusOr<int> {
        ++decoded;
        const int n = row.getColumn(0).getInt();
        if (n == 2) return absl::DataLossError("row 2 is unreadable");
        return n;
      });
  EXPECT_EQ(rows.status(), absl::DataLossError("row 2 is unreadable"));
  EXPECT_EQ(decoded, 2);
}

TEST_F(ReadSqliteRowsTest, SqliteErrorsThrowAsSqliteCppDoes) {
  SQLite::Statement query(db_, "SELECT n FROM t");
  EXPECT_THROW(
      ReadSqliteRows(query, [](SQLite::Statement& row) { return row.getColumn(5).getInt(); }),
      SQLite::Exception);
}

}  // namespace
}  // namespace preflight
