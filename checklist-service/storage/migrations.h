#pragma once

#include <vector>

#include "checklist-service/storage/day_columns.h"
#include "common/sqlite/migration_runner.h"

namespace preflight::checklist {

// The checklist database schema, oldest step first. Append new steps; never edit a released one
// (databases in the field have already applied it).
const std::vector<SqliteMigration>& ChecklistMigrations();

}  // namespace preflight::checklist
