#include "common/sqlite/time_columns.h"

#include <optional>

#include "SQLiteCpp/Database.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

TEST(TimeColumnsTest, OptionalTimesRoundTripAsMicrosOrNull) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER) STRICT");
  const absl::Time at = absl::FromUnixMicros(1'700'000'000'123'456);
  SQLite::Statement insert(db, "INSERT INTO t (id, at) VALUES (?, ?)");
  insert.bind(1, 1);
  BindOptionalTime(insert, 2, at);
  insert.exec();
  insert.reset();
  insert.bind(1, 2);
  BindOptionalTime(insert, 2, std::nullopt);
  insert.exec();

  EXPECT_EQ(db.execAndGet("SELECT at FROM t WHERE id = 1").getInt64(), 1'700'000'000'123'456);
  EXPECT_TRUE(db.execAndGet("SELECT at FROM t WHERE id = 2").isNull());
  SQLite::Statement query(db, "SELECT at FROM t ORDER BY id");
  ASSERT_TRUE(query.executeStep());
  EXPECT_EQ(OptionalTimeColumn(query.getColumn(0)), std::optional<absl::Time>(at));
  ASSERT_TRUE(query.executeStep());
  EXPECT_EQ(OptionalTimeColumn(query.getColumn(0)), std::nullopt);
}

}  // namespace
}  // namespace preflight
