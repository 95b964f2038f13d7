// Fuzzes the checklist service's unary RPC handlers in-process: the real ChecklistGrpcService over
// LaunchService, the built-in templates and calendar and a SqliteChecklistStore in a scratch
// folder, all built once. The first byte picks the RPC, the rest is its serialized request; the
// handler is called directly, as gRPC would after decoding. GetLaunch is a raw callback method
// that parses its own request, so its bytes go, unparsed, through an in-process server with a
// generic stub. State accumulates across inputs, so later inputs meet launches earlier ones
// created. WatchEvents (a stream) is not fuzzed here.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/template_catalog.h"
#include "checklist-service/grpc/checklist_grpc_service.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "common/clock.h"
#include "common/page_token.h"
#include "common/working_calendar.h"
#include "fuzz/fuzz_support.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/byte_buffer.h"

namespace {

using namespace preflight::checklist;  // NOLINT: a fuzz target, not a header.
namespace v1 = preflight::v1;

// Everything the handlers need, built on the first input and kept for the process's life.
struct Environment {
  Environment() {
    const std::string data = preflight::fuzz::BuiltinDataDir();
    absl::StatusOr<TemplateCatalog> loaded_catalog =
        TemplateCatalog::LoadFromDirectories({data + "/templates"});
    absl::StatusOr<preflight::WorkingCalendar> loaded_calendar =
        preflight::WorkingCalendar::LoadFromDirectories({data + "/calendar"});
    SqliteChecklistStore::Options options;
    // Durability is not under test; fsync per write would slow fuzzing a hundredfold.
    options.synchronous = SqliteChecklistStore::Options::Synchronous::kOff;
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> opened =
        SqliteChecklistStore::Open(preflight::fuzz::ProcessTempDir() + "/checklist.db", options);
    if (!loaded_catalog.ok() || !loaded_calendar.ok() || !opened.ok()) std::abort();
    catalog = std::make_unique<TemplateCatalog>(*std::move(loaded_catalog));
    calendar = std::make_unique<preflight::WorkingCalendar>(*std::move(loaded_calendar));
    store = *std::move(opened);
    launches = std::make_unique<LaunchService>(store.get(), catalog.get(), calendar.get(), &clock);
    service = std::make_unique<ChecklistGrpcService>(launches.get(),
                                                     preflight::PageTokenCodec("fuzz-key"));
    grpc::ServerBuilder builder;
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
    if (server == nullptr) std::abort();
    generic_stub = std::make_unique<grpc::GenericStub>(server->InProcessChannel({}));
  }

  preflight::FakeClock clock{
      absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<TemplateCatalog> catalog;
  std::unique_ptr<preflight::WorkingCalendar> calendar;
  std::unique_ptr<SqliteChecklistStore> store;
  std::unique_ptr<LaunchService> launches;
  std::unique_ptr<ChecklistGrpcService> service;
  std::unique_ptr<grpc::Server> server;  // in-process only, for the raw callback methods
  std::unique_ptr<grpc::GenericStub> generic_stub;
};

// Aborts on a status a handler must never answer: outside gRPC's range, INTERNAL or UNKNOWN
// (the handler met something it did not expect: worth a crash report).
void CheckStatus(const grpc::Status& status) {
  if (status.error_code() < grpc::StatusCode::OK ||
      status.error_code() > grpc::StatusCode::UNAUTHENTICATED) {
    std::abort();
  }
  if (status.error_code() == grpc::StatusCode::INTERNAL ||
      status.error_code() == grpc::StatusCode::UNKNOWN) {
    std::abort();
  }
}

// Sends `payload` as is to the raw GetLaunch handler; an OK answer must parse as a Launch.
void CallGetLaunch(Environment* env, absl::string_view payload) {
  const grpc::Slice slice(payload.data(), payload.size());
  const grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  std::promise<grpc::Status> done;
  env->generic_stub->UnaryCall(&context, "/preflight.v1.ChecklistService/GetLaunch",
                               grpc::StubOptions(), &request, &response,
                               [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  CheckStatus(status);
  if (status.ok()) {
    v1::Launch launch;
    if (!grpc::SerializationTraits<v1::Launch>::Deserialize(&response, &launch).ok()) std::abort();
  }
}

// Parses the request and calls `method`; a status code outside gRPC's range is a bug.
template <typename Request, typename Response>
void Call(grpc::Status (ChecklistGrpcService::*method)(grpc::ServerContext*, const Request*,
                                                       Response*),
          ChecklistGrpcService* service, absl::string_view payload) {
  Request request;
  if (!request.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return;
  grpc::ServerContext context;
  Response response;
  const grpc::Status status = (service->*method)(&context, &request, &response);
  CheckStatus(status);
  // An answer must serialize: a handler must never fill in invalid UTF-8 in a string field.
  if (status.ok()) {
    std::string wire;
    if (!response.SerializeToString(&wire)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  preflight::fuzz::SilenceProtobufLogs();
  static Environment* const env = new Environment();
  ChecklistGrpcService* service = env->service.get();
  const preflight::fuzz::Selected selected = preflight::fuzz::Select(data, size, 9);
  // Time moves a little with every input, so schedules and "overdue" change over a run.
  env->clock.AdvanceTime(absl::Minutes(7));
  switch (selected.choice) {
    case 0:
      Call(&ChecklistGrpcService::CreateLaunch, service, selected.payload);
      break;
    case 1:
      CallGetLaunch(env, selected.payload);
      break;
    case 2:
      Call(&ChecklistGrpcService::ListLaunches, service, selected.payload);
      break;
    case 3:
      Call(&ChecklistGrpcService::UpdateLaunch, service, selected.payload);
      break;
    case 4:
      Call(&ChecklistGrpcService::UpdateItem, service, selected.payload);
      break;
    case 5:
      Call(&ChecklistGrpcService::AddItem, service, selected.payload);
      break;
    case 6:
      Call(&ChecklistGrpcService::GetReadiness, service, selected.payload);
      break;
    case 7:
      Call(&ChecklistGrpcService::ListEvents, service, selected.payload);
      break;
    default:
      Call(&ChecklistGrpcService::ListTemplates, service, selected.payload);
      break;
  }
  return 0;
}
