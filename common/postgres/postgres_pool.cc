#include "common/postgres/postgres_pool.h"

#include <poll.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace preflight {
namespace {

bool SocketReadable(int fd) {
  if (fd < 0) return true;
  pollfd poll_fd{fd, POLLIN, 0};
  return poll(&poll_fd, 1, 0) != 0;
}

}  // namespace

absl::Status ValidatePostgresSchemaName(absl::string_view name) {
  const bool starts_well = !name.empty() && (absl::ascii_islower(name[0]) || name[0] == '_');
  bool rest_well = name.size() <= 63;
  for (char c : name) {
    rest_well = rest_well && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_');
  }
  if (!starts_well || !rest_well) {
    return absl::InvalidArgumentError(
        "a PostgreSQL schema name is [a-z_][a-z0-9_]*, at most 63 characters");
  }
  return absl::OkStatus();
}

bool IsPostgresUrl(absl::string_view database) {
  return absl::StartsWith(database, "postgresql://") || absl::StartsWith(database, "postgres://");
}

absl::StatusOr<std::unique_ptr<PostgresPool>> PostgresPool::Open(const PostgresOptions& options) {
  if (!IsPostgresUrl(options.url)) {
    return absl::InvalidArgumentError("database: a PostgreSQL URL starts with postgresql://");
  }
  if (absl::Status schema = ValidatePostgresSchemaName(options.schema); !schema.ok()) {
    return schema;
  }
  if (options.connections < 1) {
    return absl::InvalidArgumentError("database: the pool needs at least one connection");
  }
  std::unique_ptr<PostgresPool> pool(new PostgresPool(options));
  absl::StatusOr<std::unique_ptr<pqxx::connection>> first = pool->Connect();
  if (!first.ok()) return first.status();
  absl::MutexLock lock(&pool->mu_);
  pool->idle_.push_back(*std::move(first));
  pool->open_ = 1;
  return pool;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> PostgresPool::Connect() {
  const std::string context = absl::StrCat("connecting to ", RedactPostgresUrl(options_.url));
  try {
    auto connection = std::make_unique<pqxx::connection>(options_.url);
    pqxx::nontransaction setup(*connection);
    // The schema may not exist yet (the first migration makes it); search_path allows that.
    setup.exec(absl::StrCat("SET search_path TO ", options_.schema));
    setup.exec(absl::StrCat("SET application_name TO ", setup.quote(options_.application_name)));
    setup.exec(absl::StrCat("SET statement_timeout TO ",
                            absl::ToInt64Milliseconds(options_.statement_timeout)));
    setup.commit();
    return connection;
  } catch (const pqxx::broken_connection& e) {
    // libpq's reasons ("connection refused", "password authentication failed") are the useful
    // part; they name no secret.
    return absl::UnavailableError(absl::StrCat(context, ": ", e.what()));
  } catch (const std::exception& e) {
    return PostgresExceptionToStatus(e, context);
  }
}

absl::StatusOr<PostgresPool::Lease> PostgresPool::Borrow(absl::string_view context) {
  while (true) {
    std::unique_ptr<pqxx::connection> idle;
    {
      absl::MutexLock lock(&mu_);
      auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < options_.connections;
      };
      mu_.Await(absl::Condition(&available));
      if (idle_.empty()) {
        ++open_;
      } else {
        idle = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (idle == nullptr) break;
    // A session the server ended while the connection sat idle (a restart, an admin's
    // pg_terminate_backend) still looks open. An idle session is sent nothing (the pool never
    // LISTENs), so a readable socket means a goodbye or a close: drop it without a round trip,
    // and the caller gets a fresh connection instead of an error.
    if (idle->is_open() && !SocketReadable(idle->sock())) return Lease(this, std::move(idle));
    GiveBack(std::move(idle), /*broken=*/true);
  }
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection = Connect();
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    return absl::Status(connection.status().code(),
                        absl::StrCat(context, ": ", connection.status().message()));
  }
  return Lease(this, *std::move(connection));
}

void PostgresPool::GiveBack(std::unique_ptr<pqxx::connection> connection, bool broken) {
  if (broken || !connection->is_open()) connection.reset();
  absl::MutexLock lock(&mu_);
  if (connection == nullptr) {
    --open_;
  } else {
    idle_.push_back(std::move(connection));
  }
}

PostgresPool::Lease::~Lease() {
  if (pool != nullptr) pool->GiveBack(std::move(connection), broken);
}

}  // namespace preflight
