// notifier-service: follows the checklist's event stream and delivers deadline reminders.
// Flags -> config -> wiring -> serve -> shutdown; everything else lives in the libraries.

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/data_paths.h"
#include "common/service_setup.h"
#include "notifier-service/app/notifier_app.h"
#include "notifier-service/app/notifier_config.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50052", "Address to serve on, HOST:PORT (port 0: any)");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain; with --tls_key, serve over TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates; require client certificates issued by them (mutual TLS)");
ABSL_FLAG(bool, require_auth, false,
          "Require a bearer token on every call; tokens are issued by the checklist service, "
          "which must run with --require_auth too (docs/security.md)");
ABSL_FLAG(absl::Duration, auth_cache_ttl, absl::Seconds(30),
          "How long a token the checklist service vouched for is trusted without asking again "
          "(a revocation reaches the notifier within this time)");
ABSL_FLAG(std::string, checklist_token_ref, "",
          "The notifier's own token for the checklist service (role service): env:NAME or "
          "file:/path, never the token itself");
ABSL_FLAG(bool, insecure, false,
          "Allow a non-loopback --listen without TLS and authentication (logs a warning)");
ABSL_FLAG(std::string, data_dir, "preflight-data",
          "Folder for notifier.db; its notifier/reminder_policy.textproto and calendar/ override "
          "the built-in policy and calendar");
ABSL_FLAG(std::string, checklist_addr, "127.0.0.1:50051",
          "The checklist service whose event stream is followed, HOST:PORT");
ABSL_FLAG(std::string, checklist_tls_ca, "",
          "PEM CA certificates that verify the checklist service; any --checklist_tls_* flag "
          "turns on TLS (without this one: the system's roots)");
ABSL_FLAG(std::string, checklist_tls_cert, "",
          "PEM client certificate for a checklist service that requires mutual TLS");
ABSL_FLAG(std::string, checklist_tls_key, "", "PEM private key of --checklist_tls_cert");
ABSL_FLAG(std::string, checklist_tls_server_name, "",
          "Name the checklist's certificate must carry (default: the host of --checklist_addr)");
ABSL_FLAG(std::string, builtin_data_dir, preflight::DefaultBuiltinDataDir(),
          "Folder with the built-in notifier/ policy and calendar/ files (default: "
          "PREFIX/share/preflight of an installed binary, else the source tree's data/)");
ABSL_FLAG(std::string, recipients_file, "",
          "Optional text-format RecipientsFile whose recipients are created or updated at start");
ABSL_FLAG(std::string, smtp_url, "", "SMTP server for the email channel, e.g. smtp://host:587");
ABSL_FLAG(std::string, smtp_from, "preflight@localhost", "From address of reminder emails");
ABSL_FLAG(std::string, smtp_username, "", "SMTP AUTH user (empty: no AUTH)");
ABSL_FLAG(std::string, smtp_password_ref, "",
          "Where the SMTP password is read: env:NAME or file:/path");
ABSL_FLAG(std::string, smtp_ca_file, "", "CA bundle to verify the SMTP server (default: system)");
ABSL_FLAG(bool, smtp_require_tls, true, "Refuse to send email unless STARTTLS succeeds");
ABSL_FLAG(std::string, http_ca_file, "", "CA bundle for webhook and bot HTTPS (default: system)");
ABSL_FLAG(absl::Duration, http_timeout, absl::Seconds(10), "Per-request timeout of channels");
ABSL_FLAG(std::vector<std::string>, http_allow_hosts, {},
          "Hosts (a,b) recipients' webhook URLs may reach over plain http or at private "
          "addresses; loopback always may, everything else needs https to a public address");
ABSL_FLAG(absl::Duration, retry_initial_backoff, absl::Seconds(30),
          "First retry delay of a failed delivery (doubles per attempt, with jitter)");
ABSL_FLAG(absl::Duration, retry_max_backoff, absl::Hours(1), "Longest retry delay");
ABSL_FLAG(int, max_attempts, 6, "Send attempts before a delivery is dead-lettered");
ABSL_FLAG(absl::Duration, tick, absl::Seconds(1),
          "Longest wait between passes when nothing wakes the loop (applied events and freed "
          "send lanes wake it at once)");
ABSL_FLAG(absl::Duration, reconnect_max_backoff, absl::Seconds(30),
          "Longest wait between attempts to reach the checklist service");
ABSL_FLAG(std::string, restore_from, "",
          "Restore notifier.db in --data_dir from this backup folder (BACKUP/notifier, as "
          "`preflight admin backup BACKUP` wrote it), then exit; the service must be stopped "
          "(docs/operations.md)");
ABSL_FLAG(bool, resync_event_log, false,
          "Forget the checklist event stream's position and what it told the notifier about "
          "launches and items, and read the whole log again from sequence 0; deliveries, the "
          "ledger and recipients stay, so no reminder already in the ledger is sent again. For a "
          "checklist restored from a backup older than the notifier's (docs/operations.md)");
ABSL_FLAG(absl::Duration, stream_unhealthy_after, absl::Seconds(60),
          "How long the notifier may be cut off from (or behind) the checklist's event stream "
          "before its health reports preflight.v1.NotifierService NOT_SERVING");

namespace preflight::notifier {
namespace {

constexpr const char* kProgram = kNotifierProgram;

NotifierConfig ConfigFromFlags() {
  NotifierConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  config.tls.key_file = absl::GetFlag(FLAGS_tls_key);
  config.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  config.require_auth = absl::GetFlag(FLAGS_require_auth);
  config.insecure = absl::GetFlag(FLAGS_insecure);
  config.auth_cache_ttl = absl::GetFlag(FLAGS_auth_cache_ttl);
  config.metrics_listen = MetricsListenFlag();
  config.data_dir = absl::GetFlag(FLAGS_data_dir);
  config.builtin_data_dir = absl::GetFlag(FLAGS_builtin_data_dir);
  config.recipients_file = absl::GetFlag(FLAGS_recipients_file);
  config.restore_from = absl::GetFlag(FLAGS_restore_from);
  config.resync_event_log = absl::GetFlag(FLAGS_resync_event_log);
  config.checklist_address = absl::GetFlag(FLAGS_checklist_addr);
  config.checklist_tls.ca_file = absl::GetFlag(FLAGS_checklist_tls_ca);
  config.checklist_tls.cert_file = absl::GetFlag(FLAGS_checklist_tls_cert);
  config.checklist_tls.key_file = absl::GetFlag(FLAGS_checklist_tls_key);
  config.checklist_tls.server_name = absl::GetFlag(FLAGS_checklist_tls_server_name);
  config.checklist_token_ref = absl::GetFlag(FLAGS_checklist_token_ref);
  config.reconnect_max_backoff = absl::GetFlag(FLAGS_reconnect_max_backoff);
  config.stream_unhealthy_after = absl::GetFlag(FLAGS_stream_unhealthy_after);
  config.smtp_url = absl::GetFlag(FLAGS_smtp_url);
  config.smtp_from = absl::GetFlag(FLAGS_smtp_from);
  config.smtp_username = absl::GetFlag(FLAGS_smtp_username);
  config.smtp_password_ref = absl::GetFlag(FLAGS_smtp_password_ref);
  config.smtp_ca_file = absl::GetFlag(FLAGS_smtp_ca_file);
  config.smtp_require_tls = absl::GetFlag(FLAGS_smtp_require_tls);
  config.http_ca_file = absl::GetFlag(FLAGS_http_ca_file);
  config.http_timeout = absl::GetFlag(FLAGS_http_timeout);
  config.http_allow_hosts = absl::GetFlag(FLAGS_http_allow_hosts);
  config.retry_initial_backoff = absl::GetFlag(FLAGS_retry_initial_backoff);
  config.retry_max_backoff = absl::GetFlag(FLAGS_retry_max_backoff);
  config.max_attempts = absl::GetFlag(FLAGS_max_attempts);
  config.tick = absl::GetFlag(FLAGS_tick);
  return config;
}

}  // namespace
}  // namespace preflight::notifier

int main(int argc, char** argv) {
  return preflight::RunServiceMain(
      argc, argv, preflight::notifier::kProgram,
      "Serves preflight.v1.NotifierService and delivers the checklist's deadline reminders.\n"
      "  notifier-service --listen=127.0.0.1:50052 --data_dir=DIR --checklist_addr=HOST:PORT\n"
      "Beyond loopback: --tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM] and authentication.",
      [] { return preflight::notifier::RunNotifier(preflight::notifier::ConfigFromFlags()); });
}
