#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/postgres/postgres_pool.h"

namespace preflight::checklist {

// Rows copied by CopySqliteToPostgres, table by table.
struct CopyCounts {
  int64_t launches = 0;
  int64_t items = 0;
  int64_t events = 0;
  int64_t log_epochs = 0;
  int64_t secrets = 0;
  int64_t calendar_feeds = 0;
  int64_t tokens = 0;
};

// Moves a single-node checklist service to PostgreSQL: copies every row of `checklist_db` (and of
// `auth_db`, the tokens, when it exists) into the schema of `pool`, which PostgresChecklistStore
// and PostgresTokenStore have migrated, in one transaction. The rows keep their bytes (the two
// backends share columns and payload encoding), so launches, items, event sequences, log epochs,
// the page-token key (page tokens stay valid), calendar feed URLs and tokens all carry over; the
// log head continues at the last copied sequence.
//
// Both SQLite files are read as a snapshot: stop the single-node service first. The target must
// hold no launch, event, feed or token yet (FAILED_PRECONDITION otherwise, nothing written);
// FAILED_PRECONDITION too when the SQLite file is not at the latest schema (start the single-node
// service of this release once, which migrates it).
absl::StatusOr<CopyCounts> CopySqliteToPostgres(const std::string& checklist_db,
                                                const std::string& auth_db, PostgresPool* pool);

}  // namespace preflight::checklist
