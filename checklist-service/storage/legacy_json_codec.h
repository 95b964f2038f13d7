#pragma once

// JSON snapshots of launches and items: the row payloads of the checklist database up to schema 2
// (and the "after" state its events carried). Kept only so migration 3 can read such databases
// and rewrite them in the binary encoding (snapshot_proto_codec.h); nothing writes JSON rows any
// more. Every model field is written; enums by name (day units and
// deadline anchors by fixed names of their own, not the API's), dates as "YYYY-MM-DD", times as
// unix microseconds (finer precision is dropped). Decoding ignores unknown keys and defaults
// missing ones, so fields can be added without rewriting old rows.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/model.h"
#include "nlohmann/json.hpp"

namespace preflight::checklist::legacy_json {

nlohmann::json LaunchToJson(const Launch& launch);
// DATA_LOSS when `json` is not a launch snapshot (wrong types, unknown enum names, bad dates).
absl::StatusOr<Launch> LaunchFromJson(const nlohmann::json& snapshot);

nlohmann::json ItemToJson(const Item& item);
// DATA_LOSS when `json` is not an item snapshot.
absl::StatusOr<Item> ItemFromJson(const nlohmann::json& snapshot);

// The same as compact JSON text.
std::string EncodeLaunch(const Launch& launch);
absl::StatusOr<Launch> DecodeLaunch(absl::string_view text);
std::string EncodeItem(const Item& item);
absl::StatusOr<Item> DecodeItem(absl::string_view text);

// An event's snapshots as {"launch": {...}, "item": {...}}, each key present only when set.
std::string EncodeEventPayload(const Event& event);
// Sets `event->launch` and `event->item` from an EncodeEventPayload text.
absl::Status DecodeEventPayload(absl::string_view text, Event* event);

}  // namespace preflight::checklist::legacy_json
