#pragma once

#include <string>

#include "absl/time/time.h"

namespace preflight {

// How a service reaches its PostgreSQL database (see postgres_pool.h).
struct PostgresOptions {
  // A libpq connection URL, "postgresql://user:password@host:port/database?sslmode=...".
  std::string url;
  // The PostgreSQL schema holding this service's tables, so that both services (and their token
  // tables) can share one database without their names meeting.
  std::string schema;
  // Connections the pool keeps open at most; callers beyond that wait for one.
  int connections = 8;
  // Shown in pg_stat_activity, to tell the replicas' sessions apart.
  std::string application_name = "preflight";
  // A statement running longer is cancelled (the call fails UNAVAILABLE) rather than holding a
  // connection and its locks forever. Zero: no limit.
  absl::Duration statement_timeout = absl::Seconds(30);
};

}  // namespace preflight
