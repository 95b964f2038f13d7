#pragma once

// Turns a parsed command line into the ChecklistService request it stands for. Errors are usage
// errors (INVALID_ARGUMENT). Only what the client must decide is checked here (enum spellings,
// numbers, a non-empty update); dates and everything else go to the server unchanged, so its
// validation and messages are the single source of truth.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/command_line.h"
#include "google/protobuf/descriptor.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::cli {

// "launches/ID" stays as it is; a bare "ID" becomes "launches/ID".
std::string LaunchName(absl::string_view argument);

// Item codes are upper snake case; the CLI takes them in any case ("wxpay_bind").
std::string ItemCode(absl::string_view text);
// "launches/l1/items/WXPAY_BIND" for "launches/l1/items/wxpay_bind"; other text unchanged.
std::string WithItemCodeUpperCase(absl::string_view item_name);

// Comma-separated values, trimmed, empty entries dropped.
std::vector<std::string> SplitList(absl::string_view text);

// Looks up the value of `descriptor` named `prefix` + upper(text), the CLI spelling of an enum
// value: the API name without its prefix, any case ("enterprise" for SUBJECT_TYPE_ENTERPRISE).
// UNSPECIFIED is refused; the error names --`flag` and lists the choices.
absl::StatusOr<int> ParseEnumFlag(const google::protobuf::EnumDescriptor* descriptor,
                                  absl::string_view prefix, absl::string_view flag,
                                  absl::string_view text);

// Reads --`flag` as a whole number into `out`; leaves `out` alone when the flag was not given.
absl::Status ReadInt32Flag(const Invocation& invocation, absl::string_view flag, int32_t* out);

// The enums of the checklist service, spelled as above.
absl::StatusOr<v1::SubjectType> ParseSubjectType(absl::string_view text);
absl::StatusOr<v1::Hosting> ParseHosting(absl::string_view text);
absl::StatusOr<v1::ItemStatus> ParseItemStatus(absl::string_view text);

absl::StatusOr<v1::CreateLaunchRequest> BuildCreateLaunchRequest(const Invocation& invocation);
absl::StatusOr<v1::ListLaunchesRequest> BuildListLaunchesRequest(const Invocation& invocation);
v1::GetLaunchRequest BuildGetLaunchRequest(const Invocation& invocation);
// The update mask holds exactly the fields whose flags were given.
absl::StatusOr<v1::UpdateLaunchRequest> BuildUpdateLaunchRequest(const Invocation& invocation);
// `launch what-if`: the update the flags describe, as a validate_only preview. --add_category and
// --remove_category change `current`'s categories (unless --categories sets them whole).
absl::StatusOr<v1::UpdateLaunchRequest> BuildWhatIfRequest(const Invocation& invocation,
                                                           const v1::Launch& current);
absl::StatusOr<v1::UpdateItemRequest> BuildUpdateItemRequest(const Invocation& invocation);
absl::StatusOr<v1::AddItemRequest> BuildAddItemRequest(const Invocation& invocation);
v1::GetReadinessRequest BuildGetReadinessRequest(const Invocation& invocation);
absl::StatusOr<v1::ListEventsRequest> BuildListEventsRequest(const Invocation& invocation);
absl::StatusOr<v1::ListTemplatesRequest> BuildListTemplatesRequest(const Invocation& invocation);

}  // namespace preflight::cli
