#include "checklist-service/app/checklist_app.h"

#include <algorithm>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/app/checklist_storage.h"
#include "checklist-service/calendar/feed_http.h"
#include "checklist-service/domain/calendar_entries.h"
#include "checklist-service/domain/calendar_feeds.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/template_catalog.h"
#include "checklist-service/grpc/calendar_feed_grpc_service.h"
#include "checklist-service/grpc/checklist_grpc_service.h"
#include "checklist-service/metrics/checklist_metrics.h"
#include "checklist-service/storage/checklist_backup.h"
#include "checklist-service/storage/postgres_event_follower.h"
#include "checklist-service/storage/sqlite_to_postgres.h"
#include "common/auth/local_auth.h"
#include "common/backup/admin_grpc_service.h"
#include "common/backup/backup_files.h"
#include "common/clock.h"
#include "common/data_dir_lock.h"
#include "common/data_paths.h"
#include "common/http/http_server.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/page_token.h"
#include "common/postgres/error_status.h"
#include "common/process_metrics.h"
#include "common/server_runner.h"
#include "common/tls_options.h"
#include "common/working_calendar.h"

namespace preflight::checklist {
namespace {

constexpr const char* kProgram = kChecklistProgram;

}  // namespace

absl::Status RunChecklist(const ChecklistConfig& flags) {
  absl::StatusOr<ChecklistConfig> resolved = ResolveDatabaseUrl(flags);
  if (!resolved.ok()) return resolved.status();
  const ChecklistConfig& config = *resolved;
  const bool auth_enabled = config.require_auth;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      PrepareListener(kProgram, config.listen, config.tls, auth_enabled, config.insecure);
  if (!credentials.ok()) return credentials.status();

  const std::string& data_dir = config.data_dir;
  const std::string& builtin_dir = config.builtin_data_dir;
  // Before anything opens a database: a second process on this folder stops here.
  absl::StatusOr<DataDirLock> lock = DataDirLock::Acquire(data_dir, kProgram);
  if (!lock.ok()) return lock.status();
  if (!config.restore_from.empty() && !config.database.empty()) {
    return absl::FailedPreconditionError(
        "--restore_from restores SQLite files; a PostgreSQL database is restored with its own "
        "tools (pg_restore; docs/scaling.md)");
  }
  if (const std::string& restore_from = config.restore_from; !restore_from.empty()) {
    const std::string database = data_dir + "/checklist.db";
    return backup::RestoreDataDir(restore_from, data_dir, kProgram, [&]() -> absl::Status {
      absl::StatusOr<LogEpoch> epoch = StartLogEpochAfterRestore(database);
      if (!epoch.ok()) return epoch.status();
      logging::Info(kProgram, "started a new event log epoch at the backup's last sequence",
                    {{"log_epoch", epoch->id}, {"base_sequence", epoch->base_sequence}});
      return absl::OkStatus();
    });
  }
  if (config.copy_sqlite_to_database) {
    if (config.database.empty()) {
      return absl::InvalidArgumentError(
          "--copy_sqlite_to_database copies into --database: give a postgresql:// URL");
    }
    absl::StatusOr<ChecklistStorage> target = OpenChecklistStorage(config, false);
    if (!target.ok()) return target.status();
    absl::StatusOr<CopyCounts> copied =
        CopySqliteToPostgres(data_dir + "/checklist.db", data_dir + "/auth.db", target->pool.get());
    if (!copied.ok()) return copied.status();
    logging::Info(kProgram, "copied the SQLite data into PostgreSQL",
                  {{"database", RedactPostgresUrl(config.database)},
                   {"launches", copied->launches},
                   {"items", copied->items},
                   {"events", copied->events},
                   {"calendar_feeds", copied->calendar_feeds},
                   {"tokens", copied->tokens}});
    return absl::OkStatus();
  }
  if (lock->read_only()) {
    logging::Warning(kProgram,
                     "the data folder is on a read-only file system: serving reads, "
                     "refusing writes",
                     {{"data_dir", data_dir}});
  }

  absl::StatusOr<TemplateCatalog> catalog =
      TemplateCatalog::LoadFromDirectories({builtin_dir + "/templates", data_dir + "/templates"});
  if (!catalog.ok()) return catalog.status();
  if (catalog->Find(kDefaultTemplateId) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("the built-in template '", kDefaultTemplateId,
                                                      "' was not found under ", builtin_dir,
                                                      "/templates (set --builtin_data_dir)"));
  }
  absl::StatusOr<WorkingCalendar> calendar =
      WorkingCalendar::LoadFromDirectories({builtin_dir + "/calendar", data_dir + "/calendar"});
  if (!calendar.ok()) return calendar.status();
  // The alarms of calendar feeds follow the notifier's reminder ladder: the same policy file.
  absl::StatusOr<ReminderLadder> ladder = LoadReminderLadder(data_dir, builtin_dir);
  if (!ladder.ok()) return ladder.status();
  logging::Info(kProgram, "built-in data loaded",
                {{"builtin_data_dir", builtin_dir},
                 {"templates", static_cast<int64_t>(catalog->templates().size())}});

  absl::StatusOr<ChecklistStorage> storage = OpenChecklistStorage(config, lock->read_only());
  if (!storage.ok()) return storage.status();
  ChecklistStore* const store = storage->store.get();
  if (storage->on_postgres()) {
    logging::Info(kProgram, "keeping state in PostgreSQL",
                  {{"database", RedactPostgresUrl(config.database)}, {"schema", kChecklistSchema}});
  }
  absl::StatusOr<std::string> token_key = store->GetOrCreateSecret("page_token_key");
  if (!token_key.ok()) return token_key.status();

  RealClock clock;
  EventHub event_hub;
  metrics::Registry registry;
  RegisterProcessMetrics(registry, kProgram);
  std::unique_ptr<ChecklistStore> timed_store = InstrumentStore(store, registry);
  LaunchServiceLimits limits;
  // On PostgreSQL the follower publishes every replica's events, this one's included.
  limits.publish_commits = !storage->on_postgres();
  LaunchService service(timed_store.get(), &*catalog, &*calendar, &clock, &event_hub, limits);
  std::unique_ptr<PostgresEventFollower> follower;
  if (storage->on_postgres()) {
    PostgresEventFollower::Options follow;
    follow.database = storage->pool->options();
    follower = std::make_unique<PostgresEventFollower>(follow, store, &event_hub);
    if (absl::Status started = follower->Start(); !started.ok()) return started;
  }
  RegisterChecklistMetrics(registry, &service, store, &event_hub, &clock);
  absl::StatusOr<auth::LocalAuth> auth =
      storage->on_postgres()
          ? auth::SetUpLocalAuth(std::move(storage->tokens), data_dir, auth_enabled, &clock,
                                 PageTokenCodec(*token_key))
          : auth::SetUpLocalAuth(data_dir, auth_enabled, &clock, PageTokenCodec(*token_key),
                                 ChecklistSqliteOptions(config, lock->read_only()));
  if (!auth.ok()) return auth.status();
  if (!auth->bootstrap_token_path.empty()) {
    logging::Info(kProgram, absl::StrCat("wrote the first admin token to ",
                                         auth->bootstrap_token_path, " (keep it secret)"));
  }
  backup::AdminGrpcService::Options admin_options;
  admin_options.service_name = kProgram;
  admin_options.sources = {{"checklist.db", data_dir + "/checklist.db"},
                           {"auth.db", data_dir + "/auth.db"}};
  admin_options.scratch_dir = data_dir;
  admin_options.describe = &DescribeChecklistBackup;
  if (storage->on_postgres()) {
    admin_options.not_here =
        "this service keeps its state in PostgreSQL: back it up with pg_dump (docs/scaling.md)";
  }
  backup::AdminGrpcService admin_service(std::move(admin_options), auth->authorizer.get());
  ChecklistGrpcService grpc_service(&service, PageTokenCodec(*token_key), WatchOptions{},
                                    absl::Milliseconds(500), auth->authorizer.get());
  IndexedAssigneeItemSource assignee_items(&service);
  CalendarFeeds feeds(storage->feeds.get(), &service, &assignee_items, &*calendar, *ladder, &clock);
  std::unique_ptr<http::HttpServer> feeds_server;
  // Without a listener there are no feed URLs to hand out, whatever --feeds_base_url says.
  std::string feeds_base_url = config.feeds_listen.empty() ? "" : config.feeds_base_url;
  if (!config.feeds_listen.empty()) {
    absl::StatusOr<std::unique_ptr<http::HttpServer>> served =
        http::HttpServer::Start(config.feeds_listen, {CalendarFeedRoute(&feeds)});
    if (!served.ok()) {
      return absl::Status(served.status().code(),
                          absl::StrCat("--feeds_listen: ", served.status().message()));
    }
    feeds_server = *std::move(served);
    if (feeds_base_url.empty()) feeds_base_url = absl::StrCat("http://", feeds_server->address());
    while (!feeds_base_url.empty() && feeds_base_url.back() == '/') feeds_base_url.pop_back();
    logging::Info(kProgram, "serving calendar feeds",
                  {{"feeds_listen", feeds_server->address()}, {"feeds_base_url", feeds_base_url}});
  }
  CalendarFeedGrpcService feed_grpc_service(&feeds, &service, PageTokenCodec(*token_key),
                                            feeds_base_url, auth->authorizer.get());
  ServerOptions options;
  options.listen_address = config.listen;
  options.credentials = *credentials;
  options.process_name = kProgram;
  options.metrics = &registry;
  options.metrics_listen = config.metrics_listen;
  options.health_services = {
      v1::ChecklistService::service_full_name(), v1::AuthService::service_full_name(),
      v1::AdminService::service_full_name(), v1::CalendarFeedService::service_full_name()};
  // Closing the hub ends open WatchEvents streams (UNAVAILABLE, with where to resume), so the
  // server does not wait out its grace period for them.
  return ServeUntilSignal(
      options, {&grpc_service, auth->grpc_service.get(), &admin_service, &feed_grpc_service},
      [&event_hub] { event_hub.Close(); });
}

}  // namespace preflight::checklist
