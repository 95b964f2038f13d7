// checklist-service: owns launches, their qualification items, schedules and the event log.
// Flags -> config -> wiring -> serve -> shutdown; everything else lives in the libraries.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "checklist-service/domain/event_hub.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/template_catalog.h"
#include "checklist-service/grpc/checklist_grpc_service.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "common/server_runner.h"
#include "common/working_calendar.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "Address to serve on, HOST:PORT (port 0: any)");
ABSL_FLAG(std::string, data_dir, "preflight-data",
          "Folder for the database; its templates/ and calendar/ subfolders may hold staff's own "
          "template and calendar files");
ABSL_FLAG(std::string, builtin_data_dir, PREFLIGHT_BUILTIN_DATA_DIR,
          "Folder with the built-in templates/ and calendar/ files");

namespace preflight::checklist {
namespace {

absl::Status Run() {
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  const std::string builtin_dir = absl::GetFlag(FLAGS_builtin_data_dir);
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("--data_dir=", data_dir, ": cannot create: ", error.message()));
  }

  absl::StatusOr<TemplateCatalog> catalog = TemplateCatalog::LoadFromDirectories(
      {builtin_dir + "/templates", data_dir + "/templates"});
  if (!catalog.ok()) return catalog.status();
  if (catalog->Find(kDefaultTemplateId) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the built-in template '", kDefaultTemplateId, "' was not found under ", builtin_dir,
        "/templates (set --builtin_data_dir)"));
  }
  absl::StatusOr<WorkingCalendar> calendar = WorkingCalendar::LoadFromDirectories(
      {builtin_dir + "/calendar", data_dir + "/calendar"});
  if (!calendar.ok()) return calendar.status();

  absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
      SqliteChecklistStore::Open(data_dir + "/checklist.db", SqliteChecklistStore::Options{});
  if (!store.ok()) return store.status();
  absl::StatusOr<std::string> token_key = (*store)->GetOrCreateSecret("page_token_key");
  if (!token_key.ok()) return token_key.status();

  RealClock clock;
  EventHub event_hub;
  LaunchService service(store->get(), &*catalog, &*calendar, &clock, &event_hub);
  ChecklistGrpcService grpc_service(&service, PageTokenCodec(*token_key));
  ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.process_name = "checklist-service";
  options.health_services = {v1::ChecklistService::service_full_name()};
  // Closing the hub ends open WatchEvents streams (UNAVAILABLE, with where to resume), so the
  // server does not wait out its grace period for them.
  return ServeUntilSignal(options, {&grpc_service}, [&event_hub] { event_hub.Close(); });
}

}  // namespace
}  // namespace preflight::checklist

int main(int argc, char** argv) {
  preflight::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "Serves preflight.v1.ChecklistService.\n"
      "  checklist-service --listen=127.0.0.1:50051 --data_dir=DIR");
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = preflight::checklist::Run();
  if (!status.ok()) {
    std::fprintf(stderr, "checklist-service: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
