// Fuzzes the notifier service's RPC handlers in-process: the real NotifierGrpcService over a
// NotifierEngine with the default reminder policy, the built-in calendar, a log channel and a
// SqliteNotifierStore in a scratch folder, all built once (sends inline, no threads). The first
// byte picks the RPC, the rest is its serialized request; the handler is called directly, as
// gRPC would after decoding. Every few inputs the engine runs one dispatch pass, so recipients
// and snoozes the inputs created meet the scheduler too.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "common/working_calendar.h"
#include "fuzz/fuzz_support.h"
#include "grpcpp/grpcpp.h"
#include "notifier-service/channels/log_channel.h"
#include "notifier-service/domain/reminder_policy.h"
#include "notifier-service/engine/item_version_source.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/engine/rate_budget.h"
#include "notifier-service/grpc/notifier_grpc_service.h"
#include "notifier-service/storage/sqlite_notifier_store.h"

namespace {

using namespace preflight::notifier;  // NOLINT: a fuzz target, not a header.
namespace v1 = preflight::v1;

// The checklist knows every launch and has not changed any item since the notifier heard of it.
class StillVersions final : public ItemVersionSource {
 public:
  absl::StatusOr<std::map<std::string, int64_t>> ItemVersions(absl::string_view) override {
    return std::map<std::string, int64_t>();
  }
};

struct Environment {
  Environment() {
    absl::StatusOr<preflight::WorkingCalendar> loaded_calendar =
        preflight::WorkingCalendar::LoadFromDirectories(
            {preflight::fuzz::BuiltinDataDir() + "/calendar"});
    SqliteNotifierStore::Options options;
    // Durability is not under test; fsync per write would slow fuzzing a hundredfold.
    options.synchronous = SqliteNotifierStore::Options::Synchronous::kOff;
    absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> opened = SqliteNotifierStore::Open(
        preflight::fuzz::ProcessTempDir() + "/notifier.db", options, &clock);
    if (!loaded_calendar.ok() || !opened.ok()) std::abort();
    calendar = std::make_unique<preflight::WorkingCalendar>(*std::move(loaded_calendar));
    store = *std::move(opened);
    channels[ChannelType::kLog] = std::make_unique<LogChannel>(&discard, &clock);
    NotifierEngineOptions engine_options;
    engine_options.send_threads = 0;
    engine = std::make_unique<NotifierEngine>(store.get(), &policy, calendar.get(), &channels,
                                              &budget, &versions, &clock, engine_options);
    if (!engine->Recover().ok()) std::abort();
    service = std::make_unique<NotifierGrpcService>(engine.get(),
                                                    preflight::PageTokenCodec("fuzz-key"), [] {
                                                      v1::SubscriptionStatus status;
                                                      status.set_connected(true);
                                                      return status;
                                                    });
  }

  preflight::FakeClock clock{
      absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone())};
  // A stream without a buffer: the log channel's lines go nowhere.
  std::ostream discard{nullptr};
  ReminderPolicy policy = DefaultReminderPolicy();
  std::unique_ptr<preflight::WorkingCalendar> calendar;
  std::unique_ptr<SqliteNotifierStore> store;
  ChannelSet channels;
  RateBudget budget;
  StillVersions versions;
  std::unique_ptr<NotifierEngine> engine;
  std::unique_ptr<NotifierGrpcService> service;
};

template <typename Request, typename Response>
void Call(grpc::Status (NotifierGrpcService::*method)(grpc::ServerContext*, const Request*,
                                                      Response*),
          NotifierGrpcService* service, absl::string_view payload) {
  Request request;
  if (!request.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return;
  grpc::ServerContext context;
  Response response;
  const grpc::Status status = (service->*method)(&context, &request, &response);
  // Internal errors mean the handler met something it did not expect: worth a crash report.
  if (status.error_code() == grpc::StatusCode::INTERNAL ||
      status.error_code() == grpc::StatusCode::UNKNOWN) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  preflight::fuzz::SilenceProtobufLogs();
  static Environment* const env = new Environment();
  static int inputs = 0;
  NotifierGrpcService* service = env->service.get();
  const preflight::fuzz::Selected selected = preflight::fuzz::Select(data, size, 12);
  env->clock.AdvanceTime(absl::Minutes(13));
  switch (selected.choice) {
    case 0:
      Call(&NotifierGrpcService::ListReminders, service, selected.payload);
      break;
    case 1:
      Call(&NotifierGrpcService::ListDeliveries, service, selected.payload);
      break;
    case 2:
      Call(&NotifierGrpcService::CreateRecipient, service, selected.payload);
      break;
    case 3:
      Call(&NotifierGrpcService::GetRecipient, service, selected.payload);
      break;
    case 4:
      Call(&NotifierGrpcService::ListRecipients, service, selected.payload);
      break;
    case 5:
      Call(&NotifierGrpcService::UpdateRecipient, service, selected.payload);
      break;
    case 6:
      Call(&NotifierGrpcService::DeleteRecipient, service, selected.payload);
      break;
    case 7:
      Call(&NotifierGrpcService::SnoozeReminder, service, selected.payload);
      break;
    case 8:
      Call(&NotifierGrpcService::AcknowledgeReminder, service, selected.payload);
      break;
    case 9:
      Call(&NotifierGrpcService::SendTestNotification, service, selected.payload);
      break;
    case 10:
      Call(&NotifierGrpcService::ListInboxMessages, service, selected.payload);
      break;
    default:
      Call(&NotifierGrpcService::GetSubscriptionStatus, service, selected.payload);
      break;
  }
  if (++inputs % 16 == 0) {
    // Failures of a pass (nothing due, a send refused) are the engine's to record, not ours.
    env->engine->RunOnce().IgnoreError();
  }
  return 0;
}
