#pragma once

#include <vector>

#include "common/sqlite/migration_runner.h"

namespace preflight::notifier {

// The notifier database schema, oldest step first. Append new steps; never edit a released one
// (databases in the field have already applied it).
const std::vector<SqliteMigration>& NotifierMigrations();

}  // namespace preflight::notifier
