#pragma once

#include <exception>
#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/postgres/error_status.h"
#include "common/postgres/postgres_options.h"

namespace preflight {
namespace postgres_internal {

// absl::Status stays; absl::StatusOr<T> stays; any other T becomes absl::StatusOr<T>.
template <typename T>
struct Guarded {
  using type = absl::StatusOr<T>;
};
template <typename T>
struct Guarded<absl::StatusOr<T>> {
  using type = absl::StatusOr<T>;
};
template <>
struct Guarded<absl::Status> {
  using type = absl::Status;
};

}  // namespace postgres_internal

// What PostgresPool::Run returns for a body taking `Arg`.
template <typename Body, typename Arg>
using PostgresResult =
    typename postgres_internal::Guarded<std::decay_t<std::invoke_result_t<Body, Arg>>>::type;

// A fixed number of libpqxx connections to one database, each with search_path set to the
// service's schema. A caller borrows one for the length of a body; nothing libpqxx throws crosses
// the pool: it comes back as a status (PostgresExceptionToStatus). A connection that broke (the
// server restarted, the network dropped) is dropped and a new one made on the next borrow, so the
// service carries on once the database is back; until then calls fail UNAVAILABLE.
class PostgresPool {
 public:
  // Connects once to check the URL (UNAVAILABLE when the server cannot be reached,
  // INVALID_ARGUMENT for a malformed URL or schema name); more connections open on demand.
  static absl::StatusOr<std::unique_ptr<PostgresPool>> Open(const PostgresOptions& options);

  PostgresPool(const PostgresPool&) = delete;
  PostgresPool& operator=(const PostgresPool&) = delete;

  const PostgresOptions& options() const { return options_; }

  // Returns body(connection) (a status, a StatusOr or a plain value) on a borrowed connection,
  // in autocommit mode unless the body opens a transaction.
  template <typename Body>
  PostgresResult<Body, pqxx::connection&> Run(absl::string_view context, Body&& body) {
    absl::StatusOr<Lease> lease = Borrow(context);
    if (!lease.ok()) return lease.status();
    try {
      return std::forward<Body>(body)(*lease->connection);
    } catch (const std::exception& e) {
      absl::Status status = PostgresExceptionToStatus(e, context);
      // A session the server ended (a restart, an admin's kill) reports open until next used.
      if (absl::IsUnavailable(status) || !lease->connection->is_open()) lease->broken = true;
      return status;
    }
  }

  // Like Run, inside one transaction at `Isolation` (read committed unless asked): committed
  // when the body's result is OK, rolled back when it is not or the body throws.
  template <pqxx::isolation_level Isolation = pqxx::read_committed, typename Body>
  PostgresResult<Body, pqxx::transaction_base&> Transact(absl::string_view context, Body&& body) {
    using Result = PostgresResult<Body, pqxx::transaction_base&>;
    return Run(context, [&](pqxx::connection& connection) -> Result {
      pqxx::transaction<Isolation> tx(connection);
      Result result = body(static_cast<pqxx::transaction_base&>(tx));
      if (result.ok()) tx.commit();
      return result;
    });
  }

  // Like Transact, for a body whose statements need no common snapshot (one read, say): run in
  // autocommit, each statement its own transaction, so a read costs one round trip instead of
  // three (BEGIN, the read, COMMIT).
  template <typename Body>
  PostgresResult<Body, pqxx::transaction_base&> Autocommit(absl::string_view context, Body&& body) {
    using Result = PostgresResult<Body, pqxx::transaction_base&>;
    return Run(context, [&](pqxx::connection& connection) -> Result {
      pqxx::nontransaction tx(connection);
      return body(static_cast<pqxx::transaction_base&>(tx));
    });
  }

 private:
  // A borrowed connection, handed back (or dropped if broken) when destroyed.
  struct Lease {
    Lease(PostgresPool* pool, std::unique_ptr<pqxx::connection> connection)
        : pool(pool), connection(std::move(connection)) {}
    Lease(Lease&& other) noexcept
        : pool(std::exchange(other.pool, nullptr)),
          connection(std::move(other.connection)),
          broken(other.broken) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    PostgresPool* pool;
    std::unique_ptr<pqxx::connection> connection;
    bool broken = false;
  };

  explicit PostgresPool(PostgresOptions options) : options_(std::move(options)) {}
  absl::StatusOr<Lease> Borrow(absl::string_view context);
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect();
  void GiveBack(std::unique_ptr<pqxx::connection> connection, bool broken);

  const PostgresOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  // Connections open or being opened, idle or lent; at most options_.connections.
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

// OK when `name` can name a schema unquoted: [a-z_][a-z0-9_]*, at most 63 bytes.
absl::Status ValidatePostgresSchemaName(absl::string_view name);

// True when `database` (a --database flag) names PostgreSQL: a postgresql:// or postgres:// URL.
bool IsPostgresUrl(absl::string_view database);

}  // namespace preflight
