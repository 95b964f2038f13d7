#pragma once

// Translation between the preflight.v1 protos and the checklist's domain types. Requests are
// checked here for what only the wire can get wrong (malformed names and dates, unknown enum
// values, unknown mask paths); everything else is the domain's to judge.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/calendar_range.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/domain/model.h"
#include "google/protobuf/field_mask.pb.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::checklist {

// An empty string is "no date".
absl::StatusOr<std::optional<absl::CivilDay>> ParseOptionalDate(absl::string_view text,
                                                                absl::string_view field);

v1::Money ToMoney(Fen fen);
v1::ItemStatus ToProto(ItemStatus status);
v1::LaunchSchedule ToProto(const LaunchSchedule& schedule);
v1::Blocker ToProto(const Blocker& blocker, absl::string_view launch_id);
v1::Item ToProto(const Item& item);
// Items are included for LAUNCH_VIEW_FULL.
v1::Launch ToProto(const LaunchState& state, bool with_items);
v1::Launch ToProto(const Launch& launch);
v1::Event ToProto(const Event& event);
v1::Readiness ToProto(const Readiness& readiness, absl::string_view launch_id);

absl::StatusOr<NewLaunch> NewLaunchFromProto(const v1::Launch& launch);
absl::StatusOr<LaunchPatch> LaunchPatchFromProto(const v1::Launch& launch,
                                                 const google::protobuf::FieldMask& mask);
absl::StatusOr<ItemPatch> ItemPatchFromProto(const v1::Item& item,
                                             const google::protobuf::FieldMask& mask);
absl::StatusOr<NewItem> NewItemFromProto(const v1::Item& item);

// GetWorkingCalendar's range, [start_date, end_date]; INVALID_ARGUMENT naming a missing or
// malformed date.
struct CalendarDates {
  absl::CivilDay start;
  absl::CivilDay end;
};
absl::StatusOr<CalendarDates> CalendarDatesFromProto(const v1::GetWorkingCalendarRequest& request);
v1::WorkingCalendar ToProto(const CalendarRange& range);

}  // namespace preflight::checklist
