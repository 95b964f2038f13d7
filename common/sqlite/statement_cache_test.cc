#include "common/sqlite/statement_cache.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "common/sqlite/guarded_connection.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

std::unique_ptr<SQLite::Database> Memory() {
  auto db = std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE);
  db->exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  db->exec("INSERT INTO notes (body) VALUES ('a'), ('b'), ('c')");
  return db;
}

TEST(StatementCacheTest, ReusesOneStatementPerSqlAndResetsItBetweenUses) {
  std::unique_ptr<SQLite::Database> db = Memory();
  StatementCache cache(db.get());
  ScopedStatementCache use(&cache);
  const std::string sql = "SELECT body FROM notes WHERE id >= ? ORDER BY id";
  const SQLite::Statement* first = nullptr;
  for (int round = 0; round < 3; ++round) {
    CachedStatement query(*db, sql);
    if (first == nullptr) first = &query.get();
    EXPECT_EQ(&query.get(), first) << "prepared again in round " << round;
    query.bind(1, 2);
    // Stepped once only: the reset on scope exit starts the next use from the first row.
    ASSERT_TRUE(query.executeStep());
    EXPECT_EQ(query.getColumn(0).getString(), "b");
  }
  EXPECT_EQ(cache.size(), 1u);
}

TEST(StatementCacheTest, ManyStatementsStayUsableAsTheCacheGrowsAndStopsAtItsLimit) {
  std::unique_ptr<SQLite::Database> db = Memory();
  StatementCache cache(db.get());
  ScopedStatementCache use(&cache);
  const int distinct = static_cast<int>(StatementCache::kMaxStatements) + 10;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < distinct; ++i) {
      CachedStatement query(*db, "SELECT " + std::to_string(i));
      ASSERT_TRUE(query.executeStep());
      EXPECT_EQ(query.getColumn(0).getInt(), i);
    }
  }
  EXPECT_EQ(cache.size(), StatementCache::kMaxStatements);
}

TEST(StatementCacheTest, ANestedUseOfTheSameSqlGetsItsOwnStatement) {
  std::unique_ptr<SQLite::Database> db = Memory();
  StatementCache cache(db.get());
  ScopedStatementCache use(&cache);
  const std::string sql = "SELECT COUNT(*) FROM notes WHERE body <> ?";
  CachedStatement outer(*db, sql);
  CachedStatement inner(*db, sql);
  EXPECT_NE(&outer.get(), &inner.get());
  outer.bind(1, "a");
  inner.bind(1, "b");
  ASSERT_TRUE(outer.executeStep());
  ASSERT_TRUE(inner.executeStep());
  EXPECT_EQ(outer.getColumn(0).getInt(), 2);
  EXPECT_EQ(inner.getColumn(0).getInt(), 2);
}

TEST(StatementCacheTest, AnotherConnectionOrNoCurrentCacheIsNotCached) {
  std::unique_ptr<SQLite::Database> db = Memory();
  std::unique_ptr<SQLite::Database> other = Memory();
  StatementCache cache(db.get());
  {
    CachedStatement uncached(*db, "SELECT 1");  // no cache is current
    EXPECT_TRUE(uncached.executeStep());
  }
  ScopedStatementCache use(&cache);
  {
    CachedStatement elsewhere(*other, "SELECT 1");
    EXPECT_TRUE(elsewhere.executeStep());
  }
  EXPECT_EQ(cache.size(), 0u);
}

TEST(StatementCacheTest, ACachedReadDoesNotHoldItsSnapshotAfterItsScope) {
  // Two connections to one file: a cached SELECT left mid-result must not pin the reader's
  // snapshot, or it would never see the writer's later commits.
  const std::string path = ::testing::TempDir() + "/statement_cache_snapshot.db";
  std::remove(path.c_str());
  SQLite::Database writer(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  writer.exec("PRAGMA journal_mode=WAL");
  writer.exec("CREATE TABLE notes (body TEXT)");
  writer.exec("INSERT INTO notes VALUES ('a'), ('b')");
  GuardedConnection reader(std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY));
  auto count = [&] {
    absl::StatusOr<int> counted = reader.Run("counting", [](SQLite::Database& db) {
      CachedStatement query(db, "SELECT body FROM notes");
      int rows = 0;
      while (query.executeStep()) ++rows;
      CachedStatement first(db, "SELECT body FROM notes ORDER BY body");
      first.executeStep();  // one row of two: left mid-result
      return rows;
    });
    return counted.value_or(-1);
  };
  EXPECT_EQ(count(), 2);
  writer.exec("INSERT INTO notes VALUES ('c')");
  EXPECT_EQ(count(), 3);
}

TEST(StatementCacheTest, GuardedConnectionReusesStatementsAcrossRuns) {
  GuardedConnection connection(Memory());
  std::vector<const SQLite::Statement*> seen;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection
                    .Run("reading",
                         [&](SQLite::Database& db) {
                           CachedStatement query(db, "SELECT COUNT(*) FROM notes");
                           seen.push_back(&query.get());
                           return query.executeStep();
                         })
                    .ok());
  }
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[1], seen[2]);
}

}  // namespace
}  // namespace preflight
