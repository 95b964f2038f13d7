// notifier-service: follows the checklist's event stream and delivers deadline reminders.
// Flags -> config -> wiring -> serve -> shutdown; everything else lives in the libraries.

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/call_authorizer.h"
#include "common/backup/admin_grpc_service.h"
#include "common/backup/backup_files.h"
#include "common/clock.h"
#include "common/data_dir_lock.h"
#include "common/data_paths.h"
#include "common/health_service.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/page_token.h"
#include "common/process_metrics.h"
#include "common/server_runner.h"
#include "common/service_setup.h"
#include "common/tls_options.h"
#include "common/working_calendar.h"
#include "grpcpp/create_channel.h"
#include "notifier-service/channels/channel_factory.h"
#include "notifier-service/engine/rate_budget.h"
#include "notifier-service/domain/reminder_policy.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/engine/secret_resolver.h"
#include "notifier-service/checklist_link/checklist_version_client.h"
#include "notifier-service/grpc/notifier_grpc_service.h"
#include "notifier-service/grpc/recipients_file.h"
#include "notifier-service/checklist_link/remote_authenticator.h"
#include "notifier-service/grpc/subscription_status.h"
#include "notifier-service/metrics/notifier_metrics.h"
#include "notifier-service/storage/notifier_backup.h"
#include "notifier-service/storage/sqlite_notifier_store.h"
#include "notifier-service/checklist_link/event_subscriber.h"
#include "notifier-service/checklist_link/stream_health.h"

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
ABSL_FLAG(absl::Duration, tick, absl::Seconds(1), "How often due reminders are looked for");
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

constexpr char kProgram[] = "notifier-service";

absl::Status Run() {
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const bool auth_enabled = absl::GetFlag(FLAGS_require_auth);
  ServerTlsOptions tls;
  tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  tls.key_file = absl::GetFlag(FLAGS_tls_key);
  tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      PrepareListener("notifier-service", listen, tls, auth_enabled, absl::GetFlag(FLAGS_insecure));
  if (!credentials.ok()) return credentials.status();
  ClientTlsOptions checklist_tls_options;
  checklist_tls_options.ca_file = absl::GetFlag(FLAGS_checklist_tls_ca);
  checklist_tls_options.cert_file = absl::GetFlag(FLAGS_checklist_tls_cert);
  checklist_tls_options.key_file = absl::GetFlag(FLAGS_checklist_tls_key);
  checklist_tls_options.server_name = absl::GetFlag(FLAGS_checklist_tls_server_name);
  absl::StatusOr<ClientTls> checklist_tls = LoadClientTls(checklist_tls_options, "checklist_tls_");
  if (!checklist_tls.ok()) return checklist_tls.status();

  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  const std::string builtin_dir = absl::GetFlag(FLAGS_builtin_data_dir);
  // Before anything opens a database: a second process on this folder stops here.
  absl::StatusOr<DataDirLock> lock = DataDirLock::Acquire(data_dir, kProgram);
  if (!lock.ok()) return lock.status();
  if (const std::string restore_from = absl::GetFlag(FLAGS_restore_from); !restore_from.empty()) {
    return backup::RestoreDataDir(restore_from, data_dir, kProgram, nullptr);
  }
  if (lock->read_only()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--data_dir=", data_dir,
        " is on a read-only file system; the notifier must record every delivery it makes"));
  }

  std::string policy_path = data_dir + "/notifier/reminder_policy.textproto";
  if (!std::filesystem::exists(policy_path)) {
    policy_path = builtin_dir + "/notifier/reminder_policy.textproto";
  }
  absl::StatusOr<ReminderPolicy> policy = LoadReminderPolicy(policy_path);
  if (!policy.ok()) return policy.status();
  absl::StatusOr<WorkingCalendar> calendar =
      WorkingCalendar::LoadFromDirectories({builtin_dir + "/calendar", data_dir + "/calendar"});
  if (!calendar.ok()) return calendar.status();

  absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> store =
      SqliteNotifierStore::Open(data_dir + "/notifier.db", SqliteOptions{});
  if (!store.ok()) return store.status();
  if (absl::GetFlag(FLAGS_resync_event_log)) {
    if (absl::Status reset = (*store)->ResetStream(); !reset.ok()) return reset;
    logging::Warning(kProgram,
                     "--resync_event_log: reading the checklist's event log again from sequence 0");
  }
  absl::StatusOr<std::string> token_key = (*store)->GetOrCreateSecret("page_token_key");
  if (!token_key.ok()) return token_key.status();

  RealClock clock;
  metrics::Registry registry;
  RegisterProcessMetrics(registry, kProgram);
  ChannelSettings settings;
  settings.clock = &clock;
  settings.timeout = absl::GetFlag(FLAGS_http_timeout);
  settings.ca_file = absl::GetFlag(FLAGS_http_ca_file);
  settings.http_allow_hosts = absl::GetFlag(FLAGS_http_allow_hosts);
  settings.smtp.url = absl::GetFlag(FLAGS_smtp_url);
  settings.smtp.from_address = absl::GetFlag(FLAGS_smtp_from);
  settings.smtp.username = absl::GetFlag(FLAGS_smtp_username);
  settings.smtp.ca_file = absl::GetFlag(FLAGS_smtp_ca_file);
  settings.smtp.require_tls = absl::GetFlag(FLAGS_smtp_require_tls);
  if (!absl::GetFlag(FLAGS_smtp_password_ref).empty()) {
    absl::StatusOr<std::string> password = ResolveSecret(absl::GetFlag(FLAGS_smtp_password_ref));
    if (!password.ok()) return password.status();
    settings.smtp.password = *password;
  }
  // Without --smtp_url there is no email channel: email deliveries are dead-lettered with
  // "channel email is not configured", visible in the ledger.
  std::vector<ChannelType> types = {ChannelType::kLog,    ChannelType::kWebhook,
                                    ChannelType::kWecom,  ChannelType::kDingtalk,
                                    ChannelType::kFeishu, ChannelType::kSlack};
  if (!settings.smtp.url.empty()) types.push_back(ChannelType::kEmail);
  ChannelSet channels;
  for (ChannelType type : types) {
    absl::StatusOr<std::unique_ptr<Channel>> channel = MakeChannel(type, settings);
    if (!channel.ok()) return channel.status();
    channels[type] = *std::move(channel);
  }
  std::map<ChannelType, RateLimit> limits;
  for (const auto& [type, limit] : policy->channel_limits) {
    limits[type] = RateLimit{limit.per_minute, limit.burst};
  }
  RateBudget budget(limits);

  const std::string checklist_addr = absl::GetFlag(FLAGS_checklist_addr);
  grpc::ChannelArguments channel_args;
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  channel_args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  checklist_tls->Apply(channel_args);
  std::shared_ptr<grpc::Channel> checklist =
      grpc::CreateCustomChannel(checklist_addr, checklist_tls->credentials, channel_args);
  // The notifier's own identity towards the checklist service, on every call it makes there.
  std::vector<std::pair<std::string, std::string>> checklist_metadata;
  if (!absl::GetFlag(FLAGS_checklist_token_ref).empty()) {
    absl::StatusOr<std::string> token = ResolveSecret(absl::GetFlag(FLAGS_checklist_token_ref));
    if (!token.ok()) return token.status();
    checklist_metadata.emplace_back(api::kAuthorizationMetadataKey,
                                    absl::StrCat("Bearer ", absl::StripAsciiWhitespace(*token)));
  }
  ChecklistVersionClient::Options version_options;
  version_options.metadata = checklist_metadata;
  ChecklistVersionClient versions(checklist, version_options);
  RemoteAuthenticator::Options authenticator_options;
  authenticator_options.ttl = absl::GetFlag(FLAGS_auth_cache_ttl);
  authenticator_options.negative_ttl = std::min(authenticator_options.ttl, absl::Seconds(5));
  RemoteAuthenticator authenticator(checklist, &clock, authenticator_options);
  auth::CallAuthorizer authorizer(auth_enabled ? &authenticator : nullptr);

  DeliveryMetrics delivery_metrics(registry);
  RegisterStoreMetrics(registry, store->get(), &clock);
  NotifierEngineOptions engine_options;
  engine_options.observer = &delivery_metrics;
  engine_options.tick = absl::GetFlag(FLAGS_tick);
  engine_options.engine.retry_initial_backoff = absl::GetFlag(FLAGS_retry_initial_backoff);
  engine_options.engine.retry_max_backoff = absl::GetFlag(FLAGS_retry_max_backoff);
  engine_options.engine.max_attempts = absl::GetFlag(FLAGS_max_attempts);
  engine_options.engine.http_allow_hosts = absl::GetFlag(FLAGS_http_allow_hosts);
  NotifierEngine engine(store->get(), &*policy, &*calendar, &channels, &budget, &versions, &clock,
                        engine_options);
  absl::Status recovered = engine.Recover();
  if (!recovered.ok()) return recovered;

  if (!absl::GetFlag(FLAGS_recipients_file).empty()) {
    absl::Status loaded = ApplyRecipientsFile(absl::GetFlag(FLAGS_recipients_file), engine);
    if (!loaded.ok()) return loaded;
  }

  SubscriberOptions subscriber_options;
  subscriber_options.checklist_address = checklist_addr;
  subscriber_options.credentials = checklist_tls->credentials;
  subscriber_options.tls_server_name = checklist_tls->tls ? checklist_tls->server_name : "";
  subscriber_options.max_backoff = absl::GetFlag(FLAGS_reconnect_max_backoff);
  subscriber_options.metadata = checklist_metadata;
  EventSubscriber subscriber(engine.event_sink(), subscriber_options);
  RegisterStreamMetrics(registry, &subscriber);
  absl::Status started = subscriber.Start();
  if (!started.ok()) return started;
  engine.Start();

  // The named service tells the truth: NOT_SERVING while cut off from the event stream.
  HealthService health;
  StreamHealthMonitor::Options health_options;
  health_options.unhealthy_after = absl::GetFlag(FLAGS_stream_unhealthy_after);
  StreamHealthMonitor health_monitor(&subscriber, &clock, health_options, [&health](bool ok) {
    health.SetServingStatus(v1::NotifierService::service_full_name(), ok);
  });
  health_monitor.Start();

  backup::AdminGrpcService::Options admin_options;
  admin_options.service_name = kProgram;
  admin_options.sources = {{"notifier.db", data_dir + "/notifier.db"}};
  admin_options.scratch_dir = data_dir;
  admin_options.describe = &DescribeNotifierBackup;
  backup::AdminGrpcService admin_service(std::move(admin_options), &authorizer);
  NotifierGrpcService grpc_service(
      &engine, PageTokenCodec(*token_key),
      [&subscriber, checklist_addr] {
        return SubscriptionStatusToProto(subscriber.Status(), checklist_addr);
      },
      &authorizer);
  ServerOptions options;
  options.listen_address = listen;
  options.credentials = *credentials;
  options.process_name = kProgram;
  options.health = &health;
  options.metrics = &registry;
  options.metrics_listen = MetricsListenFlag();
  absl::Status served = ServeUntilSignal(options, {&grpc_service, &admin_service}, [&] {
    health_monitor.Stop();
    subscriber.Stop();
    engine.Stop();
  });
  health_monitor.Stop();
  subscriber.Stop();
  engine.Stop();
  return served;
}

}  // namespace
}  // namespace preflight::notifier

int main(int argc, char** argv) {
  preflight::BlockTerminationSignals();
  preflight::SetUpService(
      argc, argv, preflight::notifier::kProgram,
      "Serves preflight.v1.NotifierService and delivers the checklist's deadline reminders.\n"
      "  notifier-service --listen=127.0.0.1:50052 --data_dir=DIR --checklist_addr=HOST:PORT\n"
      "Beyond loopback: --tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM] and authentication.");
  const absl::Status status = preflight::notifier::Run();
  if (!status.ok()) {
    preflight::logging::Error(preflight::notifier::kProgram, "cannot serve",
                              {{"error", status.ToString()}});
  }
  preflight::ShutDownLogging();
  return status.ok() ? 0 : 1;
}
