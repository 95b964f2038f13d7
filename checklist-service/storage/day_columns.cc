#include "checklist-service/storage/day_columns.h"

#include "common/civil_date.h"

namespace preflight::checklist {

std::string DayColumn(const std::optional<absl::CivilDay>& day) {
  return day ? FormatCivilDay(*day) : std::string(kNoDay);
}

std::optional<absl::CivilDay> DayFromColumn(const std::string& text) {
  if (text == kNoDay) return std::nullopt;
  return ParseCivilDay(text);
}

}  // namespace preflight::checklist
