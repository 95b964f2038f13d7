#pragma once

// One check, at the gRPC edge of both services, on every string field of every request: no NUL,
// no other control character and no broken UTF-8 ever reaches a validator, a store, a log line,
// a bot message or an error message. It walks the request with protobuf reflection, so a field
// added to a request later is covered without anyone remembering to.

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace preflight {

// The only string fields that may hold tabs and newlines: multi-line free text written by
// people (full protobuf names).
inline constexpr const char* kMultilineTextFields[] = {
    "preflight.v1.Item.notes",
    "preflight.v1.Item.waiver_reason",
};

// OK when every string field of `message`, at any depth (nested messages, repeated fields, map
// entries), is valid UTF-8 without control characters: C0 (U+0000 to U+001F), DEL (U+007F) and
// C1 (U+0080 to U+009F); tab and newline are allowed in kMultilineTextFields. Otherwise
// INVALID_ARGUMENT naming the field as a path from the request ("launch.display_name",
// "recipient.channels[1].target", "update_mask.paths[0]") and the byte offset, never the value.
// Bytes fields are not text and are not checked.
absl::Status CheckRequestText(const google::protobuf::Message& message);

// The same check for one value: the problem ("contains control character 0x0a at byte 4", "is
// not valid UTF-8 at byte 7"), or empty when the value is fine.
std::string TextProblem(absl::string_view value, bool multiline);

}  // namespace preflight
