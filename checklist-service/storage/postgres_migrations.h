#pragma once

#include <vector>

#include "common/postgres/migration_runner.h"

namespace preflight::checklist {

// The checklist schema on PostgreSQL (component "checklist"), oldest step first. Step 1 is the
// SQLite schema at its migration 5 in one go (PostgreSQL has no older databases to convert).
// Append new steps; never edit a released one.
const std::vector<PostgresMigration>& ChecklistPostgresMigrations();

}  // namespace preflight::checklist
