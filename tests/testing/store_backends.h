#pragma once

// Store contract tests run unchanged on every backend: a test suite parameterized on Backend
// opens its store through the backend under test.
//
//   class TokenStoreContractTest : public ::testing::TestWithParam<Backend> { ... };
//   INSTANTIATE_TEST_SUITE_P(Backends, TokenStoreContractTest, AllBackends(), BackendName);
//
// The PostgreSQL backend runs on a private server (PostgresServer) started once per test
// process, with a fresh database for each test.

#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "tests/testing/postgres_server.h"

namespace preflight::testing {

enum class Backend { kSqlite, kPostgres };

inline auto AllBackends() { return ::testing::Values(Backend::kSqlite, Backend::kPostgres); }

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// This process's PostgreSQL server, started on first use and stopped at exit.
absl::StatusOr<PostgresServer*> SharedPostgresServer();

// A new empty database on the shared server, as a URL.
absl::StatusOr<std::string> NewPostgresDatabase();

}  // namespace preflight::testing
