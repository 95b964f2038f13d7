#pragma once

// Binary snapshots of launches and items (snapshot.proto): the row payloads of the checklist
// database from schema 3 on, and the "after" state carried by events. Every model field is
// written; enums through the storage proto's own numbers, dates as days since 1970-01-01, times
// as unix microseconds (finer precision is dropped). Unlike the JSON text it replaced
// (legacy_json_codec.h), decoding parses no text, which made it the bulk of a launch read's CPU.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

std::string EncodeLaunch(const Launch& launch);
// DATA_LOSS when `bytes` do not parse or hold a value the model cannot take (an unknown enum
// number, a missing required part, a version below 1).
absl::StatusOr<Launch> DecodeLaunch(absl::string_view bytes);

std::string EncodeItem(const Item& item);
// DATA_LOSS as DecodeLaunch.
absl::StatusOr<Item> DecodeItem(absl::string_view bytes);

// An event's launch and item snapshots, each present only when set.
std::string EncodeEventPayload(const Event& event);
// Sets `event->launch` and `event->item` from an EncodeEventPayload value; DATA_LOSS as
// DecodeLaunch.
absl::Status DecodeEventPayload(absl::string_view bytes, Event* event);

}  // namespace preflight::checklist
