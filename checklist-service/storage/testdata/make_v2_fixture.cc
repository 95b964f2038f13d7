// Writes testdata/checklist_v2.db: the fixture of the schema-2 (JSON payload) store. Built and
// run once at commit f42a26b's store, the last to write JSON; the store it links today writes the
// current schema, so rerunning it now would not make a schema-2 file.
//   make_v2_fixture OUT.db

#include <cstdio>
#include <memory>

#include "checklist-service/storage/sqlite_checklist_store.h"
#include "checklist-service/storage/testdata/v2_fixture.h"

int main(int argc, char** argv) {
  using preflight::checklist::SqliteChecklistStore;
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_v2_fixture OUT.db\n");
    return 2;
  }
  {
    absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
        SqliteChecklistStore::Open(argv[1], SqliteChecklistStore::Options{});
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 1;
    }
    for (const preflight::checklist::ChangeSet& commit :
         preflight::testing::MakeV2Fixture().commits) {
      absl::StatusOr<std::vector<preflight::checklist::Event>> committed = (*store)->Commit(commit);
      if (!committed.ok()) {
        std::fprintf(stderr, "%s\n", committed.status().ToString().c_str());
        return 1;
      }
    }
  }  // closing the last connection checkpoints the WAL into the file
  return 0;
}
