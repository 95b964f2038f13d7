#pragma once

#include <vector>

#include "absl/strings/string_view.h"
#include "common/sqlite/migration_runner.h"

namespace preflight::checklist {

// The date columns of migration 4 hold "YYYY-MM-DD" or this, for "no date" / "never": it sorts
// after every real date.
inline constexpr absl::string_view kNoDay = "9999-12-31";

// The checklist database schema, oldest step first. Append new steps; never edit a released one
// (databases in the field have already applied it).
const std::vector<SqliteMigration>& ChecklistMigrations();

}  // namespace preflight::checklist
