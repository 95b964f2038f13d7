#include "common/sqlite/secret.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;

const std::vector<SqliteMigration> kMigrations = {
    {1, {"CREATE TABLE secrets (name TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) STRICT"}},
};

class SqliteSecretTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteReaderWriter> Open(SqliteOptions options = SqliteOptions{}) {
    absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> db =
        SqliteReaderWriter::Open(dir_.Join("s.db"), options, kMigrations, "the test store");
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  testing::TempDir dir_;
};

TEST_F(SqliteSecretTest, MadeOnceThenKept) {
  std::unique_ptr<SqliteReaderWriter> db = Open();
  ASSERT_NE(db, nullptr);
  int made = 0;
  auto generate = [&]() -> absl::StatusOr<std::string> {
    ++made;
    return std::string("k\0ey", 4);  // bytes, not text
  };
  absl::StatusOr<std::string> first = GetOrCreateSqliteSecret(*db, "page_tokens", generate);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, std::string("k\0ey", 4));
  EXPECT_EQ(GetOrCreateSqliteSecret(*db, "page_tokens", generate).value_or(""), *first);
  EXPECT_EQ(made, 1);

  // It survives a reopen, and other names get their own.
  db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(GetOrCreateSqliteSecret(*db, "page_tokens", generate).value_or(""), *first);
  EXPECT_EQ(
      GetOrCreateSqliteSecret(*db, "other", [] { return absl::StatusOr<std::string>("second"); })
          .value_or(""),
      "second");
  EXPECT_EQ(made, 1);
}

TEST_F(SqliteSecretTest, TheFirstInsertWinsARace) {
  std::unique_ptr<SqliteReaderWriter> winner = Open();
  std::unique_ptr<SqliteReaderWriter> loser = Open();
  ASSERT_NE(winner, nullptr);
  ASSERT_NE(loser, nullptr);
  // The loser found no secret; while it makes one, the other process stores its own.
  absl::StatusOr<std::string> got =
      GetOrCreateSqliteSecret(*loser, "k", [&]() -> absl::StatusOr<std::string> {
        EXPECT_EQ(GetOrCreateSqliteSecret(*winner, "k",
                                          [] { return absl::StatusOr<std::string>("first"); })
                      .value_or(""),
                  "first");
        return std::string("second");
      });
  EXPECT_EQ(got.value_or(""), "first");
}

TEST_F(SqliteSecretTest, AFailingGeneratorIsInternal) {
  std::unique_ptr<SqliteReaderWriter> db = Open();
  ASSERT_NE(db, nullptr);
  absl::StatusOr<std::string> got = GetOrCreateSqliteSecret(
      *db, "k", [] { return absl::StatusOr<std::string>(absl::UnavailableError("no entropy")); });
  EXPECT_EQ(got.status(), absl::InternalError("secret 'k': no entropy"));
}

TEST_F(SqliteSecretTest, ReadOnlyDatabaseReadsButCannotCreate) {
  {
    std::unique_ptr<SqliteReaderWriter> db = Open();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(
        GetOrCreateSqliteSecret(*db, "kept", [] { return absl::StatusOr<std::string>("v"); }).ok());
  }
  SqliteOptions read_only;
  read_only.read_only = true;
  std::unique_ptr<SqliteReaderWriter> db = Open(read_only);
  ASSERT_NE(db, nullptr);
  auto generate = [] { return absl::StatusOr<std::string>("new"); };
  EXPECT_EQ(GetOrCreateSqliteSecret(*db, "kept", generate).value_or(""), "v");
  absl::StatusOr<std::string> missing = GetOrCreateSqliteSecret(*db, "missing", generate);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("secret 'missing': "));
}

TEST_F(SqliteSecretTest, ADatabaseWithoutTheTableFails) {
  absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> db = SqliteReaderWriter::Open(
      dir_.Join("bare.db"), SqliteOptions{}, {{1, {"CREATE TABLE x (y INTEGER) STRICT"}}}, "t");
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<std::string> got =
      GetOrCreateSqliteSecret(**db, "k", [] { return absl::StatusOr<std::string>("v"); });
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(got.status().message(), HasSubstr("secret 'k': no such table: secrets"));
}

}  // namespace
}  // namespace preflight
