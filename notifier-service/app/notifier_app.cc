#include "notifier-service/app/notifier_app.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/metadata_keys.h"
#include "common/auth/call_authorizer.h"
#include "common/backup/admin_grpc_service.h"
#include "common/backup/backup_files.h"
#include "common/clock.h"
#include "common/data_dir_lock.h"
#include "common/health_service.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/page_token.h"
#include "common/process_metrics.h"
#include "common/server_runner.h"
#include "common/working_calendar.h"
#include "notifier-service/channels/channel_factory.h"
#include "notifier-service/checklist_link/checklist_channel.h"
#include "notifier-service/checklist_link/checklist_version_client.h"
#include "notifier-service/checklist_link/event_subscriber.h"
#include "notifier-service/checklist_link/remote_authenticator.h"
#include "notifier-service/checklist_link/stream_health.h"
#include "notifier-service/domain/reminder_policy.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/engine/rate_budget.h"
#include "notifier-service/engine/secret_resolver.h"
#include "notifier-service/grpc/notifier_grpc_service.h"
#include "notifier-service/grpc/recipients_file.h"
#include "notifier-service/grpc/subscription_status.h"
#include "notifier-service/metrics/notifier_metrics.h"
#include "notifier-service/storage/notifier_backup.h"
#include "notifier-service/storage/sqlite_notifier_store.h"

namespace preflight::notifier {
namespace {

constexpr const char* kProgram = kNotifierProgram;

// The data folder's policy file if it has one, else the built-in one.
absl::StatusOr<ReminderPolicy> LoadPolicy(const NotifierConfig& config) {
  std::string path = config.data_dir + "/notifier/reminder_policy.textproto";
  if (!std::filesystem::exists(path)) {
    path = config.builtin_data_dir + "/notifier/reminder_policy.textproto";
  }
  return LoadReminderPolicy(path);
}

// One channel per type. Without --smtp_url there is no email channel: email deliveries are
// dead-lettered with "channel email is not configured", visible in the ledger.
absl::StatusOr<ChannelSet> MakeChannels(const NotifierConfig& config, const Clock* clock) {
  ChannelSettings settings;
  settings.clock = clock;
  settings.timeout = config.http_timeout;
  settings.ca_file = config.http_ca_file;
  settings.http_allow_hosts = config.http_allow_hosts;
  settings.smtp.url = config.smtp_url;
  settings.smtp.from_address = config.smtp_from;
  settings.smtp.username = config.smtp_username;
  settings.smtp.ca_file = config.smtp_ca_file;
  settings.smtp.require_tls = config.smtp_require_tls;
  if (!config.smtp_password_ref.empty()) {
    absl::StatusOr<std::string> password = ResolveSecret(config.smtp_password_ref);
    if (!password.ok()) return password.status();
    settings.smtp.password = *password;
  }
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
  return channels;
}

std::map<ChannelType, RateLimit> RateLimits(const ReminderPolicy& policy) {
  std::map<ChannelType, RateLimit> limits;
  for (const auto& [type, limit] : policy.channel_limits) {
    limits[type] = RateLimit{limit.per_minute, limit.burst};
  }
  return limits;
}

// How the notifier reaches the checklist: TLS, its own token, one channel for unary calls.
struct ChecklistLink {
  ClientTls tls;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::shared_ptr<grpc::Channel> channel;
};

absl::StatusOr<ChecklistLink> ConnectChecklist(const NotifierConfig& config) {
  ChecklistLink link;
  absl::StatusOr<ClientTls> tls = LoadClientTls(config.checklist_tls, "checklist_tls_");
  if (!tls.ok()) return tls.status();
  link.tls = *std::move(tls);
  if (!config.checklist_token_ref.empty()) {
    absl::StatusOr<std::string> token = ResolveSecret(config.checklist_token_ref);
    if (!token.ok()) return token.status();
    link.metadata.emplace_back(api::kAuthorizationMetadataKey,
                               absl::StrCat("Bearer ", absl::StripAsciiWhitespace(*token)));
  }
  ChecklistChannelOptions channel;
  channel.address = config.checklist_address;
  channel.credentials = link.tls.credentials;
  channel.tls_server_name = link.tls.tls ? link.tls.server_name : "";
  link.channel = MakeChecklistChannel(channel);
  return link;
}

NotifierEngineOptions MakeEngineOptions(const NotifierConfig& config, DeliveryObserver* observer) {
  NotifierEngineOptions options;
  options.observer = observer;
  options.tick = config.tick;
  options.engine.retry_initial_backoff = config.retry_initial_backoff;
  options.engine.retry_max_backoff = config.retry_max_backoff;
  options.engine.max_attempts = config.max_attempts;
  options.engine.http_allow_hosts = config.http_allow_hosts;
  return options;
}

SubscriberOptions StreamOptions(const NotifierConfig& config, const ChecklistLink& link) {
  SubscriberOptions options;
  options.checklist_address = config.checklist_address;
  options.credentials = link.tls.credentials;
  options.tls_server_name = link.tls.tls ? link.tls.server_name : "";
  options.max_backoff = config.reconnect_max_backoff;
  options.metadata = link.metadata;
  return options;
}

backup::AdminGrpcService::Options AdminOptions(const NotifierConfig& config) {
  backup::AdminGrpcService::Options options;
  options.service_name = kProgram;
  options.sources = {{"notifier.db", config.data_dir + "/notifier.db"}};
  options.scratch_dir = config.data_dir;
  options.describe = &DescribeNotifierBackup;
  return options;
}

}  // namespace

absl::Status RunNotifier(const NotifierConfig& config) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      PrepareListener(kProgram, config.listen, config.tls, config.require_auth, config.insecure);
  if (!credentials.ok()) return credentials.status();
  // Before anything opens a database: a second process on this folder stops here.
  absl::StatusOr<DataDirLock> lock = DataDirLock::Acquire(config.data_dir, kProgram);
  if (!lock.ok()) return lock.status();
  if (!config.restore_from.empty()) {
    return backup::RestoreDataDir(config.restore_from, config.data_dir, kProgram, nullptr);
  }
  if (lock->read_only()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--data_dir=", config.data_dir,
        " is on a read-only file system; the notifier must record every delivery it makes"));
  }

  absl::StatusOr<ChecklistLink> link = ConnectChecklist(config);
  if (!link.ok()) return link.status();
  absl::StatusOr<ReminderPolicy> policy = LoadPolicy(config);
  if (!policy.ok()) return policy.status();
  absl::StatusOr<WorkingCalendar> calendar = WorkingCalendar::LoadFromDirectories(
      {config.builtin_data_dir + "/calendar", config.data_dir + "/calendar"});
  if (!calendar.ok()) return calendar.status();
  absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> store =
      SqliteNotifierStore::Open(config.data_dir + "/notifier.db", SqliteOptions{});
  if (!store.ok()) return store.status();
  if (config.resync_event_log) {
    if (absl::Status reset = (*store)->ResetStream(); !reset.ok()) return reset;
    logging::Warning(kProgram,
                     "--resync_event_log: reading the checklist's event log again from sequence 0");
  }
  absl::StatusOr<std::string> token_key = (*store)->GetOrCreateSecret("page_token_key");
  if (!token_key.ok()) return token_key.status();

  RealClock clock;
  metrics::Registry registry;
  RegisterProcessMetrics(registry, kProgram);
  absl::StatusOr<ChannelSet> channels = MakeChannels(config, &clock);
  if (!channels.ok()) return channels.status();
  RateBudget budget(RateLimits(*policy));

  ChecklistVersionClient::Options version_options;
  version_options.metadata = link->metadata;
  ChecklistVersionClient versions(link->channel, version_options);
  RemoteAuthenticator::Options authenticator_options;
  authenticator_options.ttl = config.auth_cache_ttl;
  authenticator_options.negative_ttl = std::min(authenticator_options.ttl, absl::Seconds(5));
  RemoteAuthenticator authenticator(link->channel, &clock, authenticator_options);
  auth::CallAuthorizer authorizer(config.require_auth ? &authenticator : nullptr);

  DeliveryMetrics delivery_metrics(registry);
  RegisterStoreMetrics(registry, store->get(), &clock);
  NotifierEngine engine(store->get(), &*policy, &*calendar, &*channels, &budget, &versions, &clock,
                        MakeEngineOptions(config, &delivery_metrics));
  if (absl::Status recovered = engine.Recover(); !recovered.ok()) return recovered;
  if (!config.recipients_file.empty()) {
    absl::Status loaded = ApplyRecipientsFile(config.recipients_file, engine);
    if (!loaded.ok()) return loaded;
  }

  EventSubscriber subscriber(engine.event_sink(), StreamOptions(config, *link));
  RegisterStreamMetrics(registry, &subscriber);
  // A weekly digest reads the whole tenant: only once the stream has brought it up to date.
  engine.SetDigestReadiness([&subscriber] {
    const SubscriberStatus status = subscriber.Status();
    return status.connected && !status.cursor_refused &&
           status.applied_sequence >= status.checklist_head;
  });
  if (absl::Status started = subscriber.Start(); !started.ok()) return started;
  engine.Start();

  // The named service tells the truth: NOT_SERVING while cut off from the event stream.
  HealthService health;
  StreamHealthMonitor::Options health_options;
  health_options.unhealthy_after = config.stream_unhealthy_after;
  StreamHealthMonitor health_monitor(&subscriber, &clock, health_options, [&health](bool ok) {
    health.SetServingStatus(v1::NotifierService::service_full_name(), ok);
  });
  health_monitor.Start();

  backup::AdminGrpcService admin_service(AdminOptions(config), &authorizer);
  NotifierGrpcService grpc_service(
      &engine, PageTokenCodec(*token_key),
      [&subscriber, address = config.checklist_address] {
        return SubscriptionStatusToProto(subscriber.Status(), address);
      },
      &authorizer);
  ServerOptions options;
  options.listen_address = config.listen;
  options.credentials = *credentials;
  options.process_name = kProgram;
  options.health = &health;
  options.metrics = &registry;
  options.metrics_listen = config.metrics_listen;
  const auto stop = [&] {
    health_monitor.Stop();
    subscriber.Stop();
    engine.Stop();
  };
  absl::Status served = ServeUntilSignal(options, {&grpc_service, &admin_service}, stop);
  stop();
  return served;
}

}  // namespace preflight::notifier
