#include "tests/testing/postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "tests/testing/process.h"
#include "tests/testing/store_backends.h"
#include "tests/testing/subprocess.h"

namespace preflight::testing {
namespace {

namespace fs = std::filesystem;

// PostgreSQL refuses to run as root; as root the server runs as this user.
constexpr uid_t kServerUid = 65534;  // nobody
constexpr gid_t kServerGid = 65534;  // nogroup
constexpr char kSuperuser[] = "preflight";

// The newest of Debian's server versions installed (/usr/lib/postgresql/<major>/bin).
absl::StatusOr<std::string> ServerBinDir() {
  std::string best;
  int best_major = -1;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    const int major = std::atoi(entry.path().filename().c_str());
    if (major > best_major && fs::exists(entry.path() / "bin" / "postgres")) {
      best_major = major;
      best = (entry.path() / "bin").string();
    }
  }
  if (best.empty()) {
    return absl::FailedPreconditionError(
        "PostgreSQL server not installed (/usr/lib/postgresql/*/bin/postgres); run "
        "deploy/install-deps.sh");
  }
  return best;
}

bool RunningAsRoot() { return geteuid() == 0; }

// As root, the server runs as nobody, which must be able to pass through every folder on the way
// to its binaries and data. A folder that others cannot search is made searchable (search only,
// nothing readable): on an ordinary system every such folder already is, but a root made by
// `mktemp -d` and entered with chroot (a fresh-root check) is mode 0700, and nobody could not
// even load libpq.
void EnsureSearchableByServerUser(const std::string& path) {
  if (!RunningAsRoot()) return;
  std::string prefix;
  std::vector<std::string> folders = {"/"};
  for (const fs::path& part : fs::path(path).relative_path()) {
    prefix += "/" + part.string();
    folders.push_back(prefix);
  }
  for (const std::string& folder : folders) {
    struct stat info;
    if (stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) continue;
    if ((info.st_mode & S_IXOTH) != 0) continue;
    if (chmod(folder.c_str(), (info.st_mode & 07777) | S_IXOTH) == 0) {
      std::fprintf(stderr,
                   "postgres_server: made %s searchable by others (PostgreSQL runs as nobody)\n",
                   folder.c_str());
    }
  }
}

absl::Status ChownToServerUser(const std::string& path) {
  if (!RunningAsRoot()) return absl::OkStatus();
  absl::StatusOr<CommandResult> chown = RunCommand(
      {"/bin/chown", "-R", absl::StrCat(kServerUid, ":", kServerGid), path}, absl::Seconds(30));
  if (!chown.ok()) return chown.status();
  if (chown->exit_code != 0) return absl::InternalError("chown failed: " + chown->output);
  return absl::OkStatus();
}

// Runs `argv` as the server user, to completion.
absl::StatusOr<CommandResult> RunAsServerUser(std::vector<std::string> argv) {
  if (RunningAsRoot()) {
    argv.insert(argv.begin(), {"/usr/bin/setpriv", absl::StrCat("--reuid=", kServerUid),
                               absl::StrCat("--regid=", kServerGid), "--clear-groups", "--"});
  }
  return RunCommand(argv, absl::Seconds(120));
}

// The initdb'd cluster every server copies: made once per user and server version, under a
// lock, and renamed into place only when complete.
absl::StatusOr<std::string> TemplateCluster(const std::string& bin_dir) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string tmp_dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  EnsureSearchableByServerUser(bin_dir);
  EnsureSearchableByServerUser("/usr/lib/x86_64-linux-gnu");
  EnsureSearchableByServerUser(tmp_dir);
  const std::string base = absl::StrCat(tmp_dir, "/preflight-pg-template-", geteuid(), "-",
                                        fs::path(bin_dir).parent_path().filename().string());
  const std::string data = base + "/data";
  const std::string lock_path = base + ".lock";
  const int lock = open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (lock < 0) return absl::InternalError(absl::StrCat("open ", lock_path, ": ", strerror(errno)));
  flock(lock, LOCK_EX);
  absl::Status status = absl::OkStatus();
  if (!fs::exists(base + "/complete")) {
    std::error_code ignored;
    fs::remove_all(base, ignored);
    const std::string building = absl::StrCat(base, ".building.", getpid());
    fs::create_directories(building);
    status = ChownToServerUser(building);
    if (status.ok()) {
      absl::StatusOr<CommandResult> initdb = RunAsServerUser(
          {bin_dir + "/initdb", "-D", building + "/data", "-U", kSuperuser, "--auth=trust", "-E",
           "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"});
      if (!initdb.ok()) {
        status = initdb.status();
      } else if (initdb->exit_code != 0) {
        status = absl::InternalError("initdb failed:\n" + initdb->output);
      } else {
        std::ofstream(building + "/complete") << "ok\n";
        fs::rename(building, base);
      }
    }
    if (!status.ok()) fs::remove_all(building, ignored);
  }
  flock(lock, LOCK_UN);
  close(lock);
  if (!status.ok()) return status;
  return data;
}

std::string ConnInfo(int port, const std::string& database) {
  return absl::StrCat("host=127.0.0.1 port=", port, " user=", kSuperuser, " dbname=", database,
                      " connect_timeout=2");
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start(
    const PostgresServerOptions& options) {
  absl::StatusOr<std::string> bin_dir = ServerBinDir();
  if (!bin_dir.ok()) return bin_dir.status();
  absl::StatusOr<std::string> cluster = TemplateCluster(*bin_dir);
  if (!cluster.ok()) return cluster.status();
  absl::Status last = absl::OkStatus();
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto dir = std::make_unique<TempDir>();
    absl::StatusOr<CommandResult> copy =
        RunCommand({"/bin/cp", "-a", *cluster, dir->Join("data")}, absl::Seconds(60));
    if (!copy.ok()) return copy.status();
    if (copy->exit_code != 0) return absl::InternalError("copying the cluster: " + copy->output);
    if (absl::Status owned = ChownToServerUser(dir->path()); !owned.ok()) return owned;
    // Free when asked; another process may take it before the server binds: then try again.
    const int port = UnusedLoopbackPort();
    std::unique_ptr<PostgresServer> server(new PostgresServer(std::move(dir), options, port));
    last = server->Launch();
    if (last.ok()) last = server->WaitReady(absl::Seconds(60));
    if (last.ok()) return server;
  }
  return last;
}

PostgresServer::PostgresServer(std::unique_ptr<TempDir> dir, PostgresServerOptions options,
                               int port)
    : dir_(std::move(dir)), options_(options), port_(port) {}

PostgresServer::~PostgresServer() {
  if (pid_ > 0) {
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

absl::Status PostgresServer::Launch() {
  absl::StatusOr<std::string> bin_dir = ServerBinDir();
  if (!bin_dir.ok()) return bin_dir.status();
  std::vector<std::string> argv = {*bin_dir + "/postgres",
                                   "-D",
                                   dir_->Join("data"),
                                   "-p",
                                   absl::StrCat(port_),
                                   "-c",
                                   "listen_addresses=127.0.0.1",
                                   "-c",
                                   "unix_socket_directories=",
                                   "-c",
                                   absl::StrCat("fsync=", options_.fsync ? "on" : "off"),
                                   "-c",
                                   absl::StrCat("max_connections=", options_.max_connections),
                                   "-c",
                                   "shared_buffers=32MB"};
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  const std::string log_path = dir_->Join("server.log");
  const pid_t parent = getpid();
  const bool as_root = RunningAsRoot();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    setpgid(0, 0);
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int null = open("/dev/null", O_RDONLY);
    if (log < 0 || null < 0) _exit(126);
    dup2(null, STDIN_FILENO);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    if (as_root &&
        (setgroups(0, nullptr) != 0 || setgid(kServerGid) != 0 || setuid(kServerUid) != 0)) {
      _exit(126);
    }
    // After the credential change, which would clear it: the server goes when the test does.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    execv(args[0], args.data());
    _exit(127);
  }
  setpgid(pid, pid);
  pid_ = pid;
  return absl::OkStatus();
}

absl::Status PostgresServer::WaitReady(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const std::string conninfo = ConnInfo(port_, "postgres");
  while (true) {
    if (PQping(conninfo.c_str()) == PQPING_OK) return absl::OkStatus();
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError("PostgreSQL exited while starting:\n" + Log());
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError("PostgreSQL did not start in time:\n" + Log());
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

std::string PostgresServer::Url(const std::string& database) const {
  return absl::StrCat("postgresql://", kSuperuser, "@127.0.0.1:", port_, "/", database);
}

absl::StatusOr<std::string> PostgresServer::CreateDatabase() {
  // Unique across servers: a client that reaches another test's server on a reused port (this
  // one killed, that one started on the freed port) finds no such database instead of data.
  const std::string name = absl::StrCat("test_", getpid(), "_", port_, "_", ++next_database_);
  PGconn* connection = PQconnectdb(ConnInfo(port_, "postgres").c_str());
  absl::Status status = absl::OkStatus();
  if (PQstatus(connection) != CONNECTION_OK) {
    status = absl::UnavailableError(absl::StrCat("connecting: ", PQerrorMessage(connection)));
  } else {
    PGresult* result = PQexec(connection, absl::StrCat("CREATE DATABASE ", name).c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      status = absl::InternalError(absl::StrCat("CREATE DATABASE: ", PQerrorMessage(connection)));
    }
    PQclear(result);
  }
  PQfinish(connection);
  if (!status.ok()) return status;
  return Url(name);
}

absl::Status PostgresServer::StopPostmaster(int signal) {
  if (pid_ <= 0) return absl::FailedPreconditionError("PostgreSQL is not running");
  // SIGKILL reaches the backends too (one process group); a clean shutdown is the postmaster's.
  const pid_t group = pid_;
  kill(signal == SIGKILL ? -group : group, signal);
  waitpid(group, nullptr, 0);
  pid_ = -1;
  // The backends must be gone before a new postmaster may use the data folder.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (kill(-group, 0) == 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
  return absl::OkStatus();
}

absl::Status PostgresServer::Kill() { return StopPostmaster(SIGKILL); }

absl::Status PostgresServer::Restart() {
  if (absl::Status stopped = StopPostmaster(SIGINT); !stopped.ok()) return stopped;
  return StartAgain();
}

absl::Status PostgresServer::StartAgain() {
  if (pid_ > 0) return absl::FailedPreconditionError("PostgreSQL is already running");
  if (absl::Status launched = Launch(); !launched.ok()) return launched;
  return WaitReady(absl::Seconds(60));
}

std::string PostgresServer::Log() const {
  std::ifstream in(dir_->Join("server.log"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace preflight::testing

namespace preflight::testing {

absl::StatusOr<PostgresServer*> SharedPostgresServer() {
  // Stopped at exit, which also removes its folder; a process that dies instead leaves it to
  // the parent-death signal.
  static absl::StatusOr<std::unique_ptr<PostgresServer>>* const server =
      new absl::StatusOr<std::unique_ptr<PostgresServer>>(PostgresServer::Start());
  static const int registered = std::atexit([] {
    if (server->ok()) server->value().reset();
  });
  (void)registered;
  if (!server->ok()) return server->status();
  return server->value().get();
}

absl::StatusOr<std::string> NewPostgresDatabase() {
  absl::StatusOr<PostgresServer*> server = SharedPostgresServer();
  if (!server.ok()) return server.status();
  return (*server)->CreateDatabase();
}

}  // namespace preflight::testing
