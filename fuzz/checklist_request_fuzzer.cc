// Fuzzes the checklist's request validation without storage: a request message parsed from the
// bytes (the first byte picks CreateLaunch, UpdateLaunch, UpdateItem or AddItem) goes through the
// same wire mapping (names, etags, dates, enums, update masks) and domain validation (lengths,
// counts, ranges) that the service applies before touching the store. Every rejection must be
// INVALID_ARGUMENT or ABORTED (etag), never a crash.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/validation.h"
#include "checklist-service/grpc/proto_mapping.h"
#include "common/api/etag.h"
#include "common/api/resource_names.h"
#include "fuzz/fuzz_support.h"
#include "preflight/v1/checklist.pb.h"

namespace {

using namespace preflight::checklist;  // NOLINT: a fuzz target, not a header.
namespace v1 = preflight::v1;
namespace api = preflight::api;

void Expect(const absl::Status& status) {
  if (status.ok() || status.code() == absl::StatusCode::kInvalidArgument ||
      status.code() == absl::StatusCode::kAborted) {
    return;
  }
  std::abort();
}

template <typename T>
bool Parse(absl::string_view payload, T* message) {
  return message->ParseFromArray(payload.data(), static_cast<int>(payload.size()));
}

void CreateLaunch(absl::string_view payload) {
  v1::CreateLaunchRequest request;
  if (!Parse(payload, &request)) return;
  absl::StatusOr<NewLaunch> launch = NewLaunchFromProto(request.launch());
  Expect(launch.status());
  if (launch.ok()) Expect(ValidateNewLaunch(*launch, request.request_id()));
}

void UpdateLaunch(absl::string_view payload) {
  v1::UpdateLaunchRequest request;
  if (!Parse(payload, &request)) return;
  absl::StatusOr<std::string> id = api::ParseLaunchName(request.launch().name(), "launch.name");
  Expect(id.status());
  if (id.ok() && !request.etag().empty()) {
    Expect(api::ParseEtag(request.etag(), api::LaunchName(*id)).status());
  }
  absl::StatusOr<LaunchPatch> patch = LaunchPatchFromProto(request.launch(), request.update_mask());
  Expect(patch.status());
  if (patch.ok()) Expect(ValidateLaunchPatch(*patch));
}

void UpdateItem(absl::string_view payload) {
  v1::UpdateItemRequest request;
  if (!Parse(payload, &request)) return;
  absl::StatusOr<api::ItemKey> name = api::ParseItemName(request.item().name(), "item.name");
  Expect(name.status());
  if (name.ok()) {
    // A name that parses must print back to itself: names are the API's keys.
    if (api::ItemName(name->launch_id, name->code) != request.item().name()) std::abort();
    if (!request.etag().empty()) {
      Expect(api::ParseEtag(request.etag(), api::ItemName(name->launch_id, name->code)).status());
    }
  }
  absl::StatusOr<ItemPatch> patch = ItemPatchFromProto(request.item(), request.update_mask());
  Expect(patch.status());
  if (patch.ok()) Expect(ValidateItemPatch(*patch));
}

void AddItem(absl::string_view payload) {
  v1::AddItemRequest request;
  if (!Parse(payload, &request)) return;
  absl::StatusOr<std::string> id = api::ParseLaunchName(request.parent(), "parent");
  Expect(id.status());
  if (id.ok() && api::LaunchName(*id) != request.parent()) std::abort();
  absl::StatusOr<NewItem> item = NewItemFromProto(request.item());
  Expect(item.status());
  if (item.ok()) Expect(ValidateNewItem(*item));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  preflight::fuzz::SilenceProtobufLogs();
  const preflight::fuzz::Selected selected = preflight::fuzz::Select(data, size, 4);
  switch (selected.choice) {
    case 0:
      CreateLaunch(selected.payload);
      break;
    case 1:
      UpdateLaunch(selected.payload);
      break;
    case 2:
      UpdateItem(selected.payload);
      break;
    default:
      AddItem(selected.payload);
      break;
  }
  return 0;
}
