// checklist-service: owns launches, their qualification items, schedules and the event log.
// Flags -> config -> wiring (app/checklist_app.h) -> serve -> shutdown.

#include <cstdint>
#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "checklist-service/app/checklist_app.h"
#include "checklist-service/app/checklist_config.h"
#include "common/data_paths.h"
#include "common/service_setup.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "Address to serve on, HOST:PORT (port 0: any)");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain; with --tls_key, serve over TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates; require client certificates issued by them (mutual TLS)");
ABSL_FLAG(bool, require_auth, false,
          "Require a bearer token on every call (roles and tenant scopes: docs/security.md); the "
          "first start writes an all-tenant admin token to DATA_DIR/admin.token");
ABSL_FLAG(bool, insecure, false,
          "Allow a non-loopback --listen without TLS and authentication (logs a warning)");
ABSL_FLAG(
    std::string, feeds_listen, "",
    "Serve calendar feeds (iCalendar, /feeds/ID/SECRET.ics) over HTTP on HOST:PORT, apart "
    "from --metrics_listen: calendar providers must reach it, the metrics should stay inside");
ABSL_FLAG(std::string, feeds_base_url, "",
          "The URL feeds are reached at from outside, e.g. https://calendar.example.com (behind a "
          "TLS proxy); default http://HOST:PORT of --feeds_listen");
ABSL_FLAG(std::string, data_dir, "preflight-data",
          "Folder for the database; its templates/ and calendar/ subfolders may hold staff's own "
          "template and calendar files");
ABSL_FLAG(
    std::string, builtin_data_dir, preflight::DefaultBuiltinDataDir(),
    "Folder with the built-in templates/ and calendar/ files (default: PREFIX/share/preflight "
    "of an installed binary, else the source tree's data/)");
ABSL_FLAG(std::string, restore_from, "",
          "Restore the databases of --data_dir from this backup folder (BACKUP/checklist, as "
          "`preflight admin backup BACKUP` wrote it), then exit; the service must be stopped "
          "(docs/operations.md)");
ABSL_FLAG(std::string, database, "",
          "Where the state lives: empty for SQLite files in --data_dir (the default), or a "
          "PostgreSQL URL, postgresql://USER:PASSWORD@HOST:PORT/DATABASE, shared by every replica "
          "(docs/scaling.md)");
ABSL_FLAG(std::string, database_file, "",
          "A file holding the --database URL (a mounted Secret), to keep its password out of the "
          "command line");
ABSL_FLAG(int32_t, database_connections, 8,
          "PostgreSQL connections this replica keeps at most (with --database)");
ABSL_FLAG(bool, copy_sqlite_to_database, false,
          "Copy the SQLite files of --data_dir (stopped single-node service) into the empty "
          "PostgreSQL --database, then exit (docs/scaling.md)");
ABSL_FLAG(int32_t, sqlite_reader_connections, 4,
          "Read-only connections to checklist.db serving reads concurrently (at least 1)");
ABSL_FLAG(int64_t, sqlite_cache_size_kib, 16 * 1024,
          "SQLite page cache per connection to checklist.db, in KiB (0: SQLite's default)");
ABSL_FLAG(int64_t, sqlite_mmap_size_bytes, int64_t{256} << 20,
          "Bytes of checklist.db read through a memory map (0: none)");
// Hidden fault-injection knobs for tests/fault_checklist_test.cc: a capped or read-only database.
ABSL_FLAG(int64_t, sqlite_max_page_count, 0, "Testing only: cap checklist.db at N pages");
ABSL_FLAG(bool, sqlite_read_only, false, "Testing only: open checklist.db read-only");

namespace preflight::checklist {
namespace {

ChecklistConfig ConfigFromFlags() {
  ChecklistConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  config.tls.key_file = absl::GetFlag(FLAGS_tls_key);
  config.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  config.require_auth = absl::GetFlag(FLAGS_require_auth);
  config.insecure = absl::GetFlag(FLAGS_insecure);
  config.metrics_listen = MetricsListenFlag();
  config.feeds_listen = absl::GetFlag(FLAGS_feeds_listen);
  config.feeds_base_url = absl::GetFlag(FLAGS_feeds_base_url);
  config.data_dir = absl::GetFlag(FLAGS_data_dir);
  config.builtin_data_dir = absl::GetFlag(FLAGS_builtin_data_dir);
  config.restore_from = absl::GetFlag(FLAGS_restore_from);
  config.database = absl::GetFlag(FLAGS_database);
  config.database_file = absl::GetFlag(FLAGS_database_file);
  config.database_connections = absl::GetFlag(FLAGS_database_connections);
  config.copy_sqlite_to_database = absl::GetFlag(FLAGS_copy_sqlite_to_database);
  config.sqlite_max_page_count = absl::GetFlag(FLAGS_sqlite_max_page_count);
  config.sqlite_read_only = absl::GetFlag(FLAGS_sqlite_read_only);
  config.sqlite_reader_connections = absl::GetFlag(FLAGS_sqlite_reader_connections);
  config.sqlite_cache_size_kib = absl::GetFlag(FLAGS_sqlite_cache_size_kib);
  config.sqlite_mmap_size_bytes = absl::GetFlag(FLAGS_sqlite_mmap_size_bytes);
  return config;
}

}  // namespace
}  // namespace preflight::checklist

int main(int argc, char** argv) {
  return preflight::RunServiceMain(
      argc, argv, preflight::checklist::kChecklistProgram,
      "Serves preflight.v1.ChecklistService.\n"
      "  checklist-service --listen=127.0.0.1:50051 --data_dir=DIR [--metrics_listen=HOST:PORT]\n"
      "Beyond loopback: --tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM] and authentication.",
      [] { return preflight::checklist::RunChecklist(preflight::checklist::ConfigFromFlags()); });
}
