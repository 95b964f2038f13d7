#include "common/sqlite/reader_writer.h"

#include "absl/strings/str_cat.h"
#include "common/sqlite/connection.h"

namespace preflight {

absl::StatusOr<std::unique_ptr<SqliteReaderWriter>> SqliteReaderWriter::Open(
    const std::string& path, const SqliteOptions& options,
    const std::vector<SqliteMigration>& migrations, absl::string_view owner) {
  if (path.empty() || path == ":memory:" || path.rfind("file::memory:", 0) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(owner, " needs a database file: its two connections must share it"));
  }
  absl::StatusOr<std::unique_ptr<SQLite::Database>> writer =
      OpenSqliteDatabase(path, options, migrations);
  if (!writer.ok()) return writer.status();
  absl::StatusOr<std::unique_ptr<SQLite::Database>> reader = OpenSqliteReader(path, options);
  if (!reader.ok()) return reader.status();
  return std::make_unique<SqliteReaderWriter>(*std::move(writer), *std::move(reader));
}

}  // namespace preflight
