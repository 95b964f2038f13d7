#include "common/postgres/error_status.h"

#include <pqxx/except>
#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(PostgresErrorStatusTest, SqlStatesMapToTheCodesCallersActOn) {
  EXPECT_EQ(PostgresSqlStateToStatus("23505", "duplicate key", "ctx").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(PostgresSqlStateToStatus("23503", "foreign key", "ctx").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(PostgresSqlStateToStatus("40001", "could not serialize", "ctx").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(PostgresSqlStateToStatus("40P01", "deadlock detected", "ctx").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(PostgresSqlStateToStatus("57P01", "terminating connection", "ctx").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(PostgresSqlStateToStatus("57014", "canceling statement due to timeout", "ctx").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(PostgresSqlStateToStatus("08006", "connection failure", "ctx").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(PostgresSqlStateToStatus("53100", "disk full", "ctx").code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(PostgresSqlStateToStatus("XX001", "data corrupted", "ctx").code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(PostgresSqlStateToStatus("42P01", "relation does not exist", "ctx").code(),
            absl::StatusCode::kInternal);
}

TEST(PostgresErrorStatusTest, MessagesStartWithTheContextAndKeepOneShortLine) {
  const std::string huge(5000, 'x');
  absl::Status status =
      PostgresSqlStateToStatus("23505", "ERROR: duplicate " + huge + "\nDETAIL: more", "storing");
  EXPECT_THAT(std::string(status.message()), StartsWith("storing: ERROR: duplicate"));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("DETAIL")));
  EXPECT_LT(status.message().size(), 400u);
}

TEST(PostgresErrorStatusTest, LibpqxxExceptionsMapByKind) {
  EXPECT_EQ(PostgresExceptionToStatus(pqxx::unique_violation("dup", "INSERT", "23505"), "c").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(PostgresExceptionToStatus(pqxx::broken_connection("gone"), "c").code(),
            absl::StatusCode::kUnavailable);
  absl::Status doubt = PostgresExceptionToStatus(pqxx::in_doubt_error("lost"), "c");
  EXPECT_EQ(doubt.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(doubt.message()), HasSubstr("outcome is unknown"));
  EXPECT_EQ(PostgresExceptionToStatus(std::runtime_error("boom"), "c").code(),
            absl::StatusCode::kInternal);
}

TEST(PostgresErrorStatusTest, RedactionHidesOnlyThePassword) {
  EXPECT_EQ(RedactPostgresUrl("postgresql://app:s3cret@db:5432/preflight?sslmode=require"),
            "postgresql://app:***@db:5432/preflight?sslmode=require");
  EXPECT_EQ(RedactPostgresUrl("postgresql://app@db/preflight"), "postgresql://app@db/preflight");
  EXPECT_EQ(RedactPostgresUrl("postgresql://db:5432/x"), "postgresql://db:5432/x");
  EXPECT_EQ(RedactPostgresUrl("postgresql://db/a@b"), "postgresql://db/a@b");
}

}  // namespace
}  // namespace preflight
