#pragma once

// A private PostgreSQL server for tests: Debian's server binaries (postgresql-15), run on
// 127.0.0.1 with a free port and its data in a temporary folder, as `nobody` when the test runs
// as root (PostgreSQL refuses to run as root). It dies with the thread that started it (the
// parent-death signal), so a crashed test leaves no server behind: start it from the test's
// main thread.
//
//   auto server = PostgresServer::Start();               // StatusOr<unique_ptr<...>>
//   auto url = (*server)->CreateDatabase();             // a fresh, empty database per test
//   ... open a store on *url ("postgresql://preflight@127.0.0.1:PORT/test_3") ...
//   (*server)->Restart();                               // the database restarted under load
//
// Starting one costs about 0.2 s: the cluster is made once per build folder by initdb (under a
// lock, so parallel tests share the work) and copied for each server.

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/testing/temp_dir.h"

namespace preflight::testing {

struct PostgresServerOptions {
  // fsync=off makes tests fast; benchmarks turn it on to compare fairly with SQLite's
  // synchronous=FULL.
  bool fsync = false;
  int max_connections = 100;
};

class PostgresServer {
 public:
  // FAILED_PRECONDITION when Debian's PostgreSQL server is not installed
  // (deploy/install-deps.sh installs it).
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start(
      const PostgresServerOptions& options = {});

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // The URL of `database` on this server, as the services' --database flag takes it.
  std::string Url(const std::string& database) const;
  // Creates a new empty database and returns its URL.
  absl::StatusOr<std::string> CreateDatabase();

  // Stops the server abruptly (SIGKILL to the postmaster and its backends): what a crash of the
  // database machine does. Committed transactions survive (the WAL), when fsync is on.
  absl::Status Kill();
  // Stops it cleanly ("fast" shutdown: running sessions are ended) and starts it again on the
  // same port with the same data.
  absl::Status Restart();
  // Starts a server stopped by Kill.
  absl::Status StartAgain();
  // The server's log, for failure messages.
  std::string Log() const;

 private:
  PostgresServer(std::unique_ptr<TempDir> dir, PostgresServerOptions options, int port);
  absl::Status Launch();
  absl::Status WaitReady(absl::Duration timeout);
  absl::Status StopPostmaster(int signal);

  std::unique_ptr<TempDir> dir_;
  PostgresServerOptions options_;
  int port_ = 0;
  pid_t pid_ = -1;
  int next_database_ = 0;
};

}  // namespace preflight::testing
