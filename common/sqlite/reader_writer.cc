#include "common/sqlite/reader_writer.h"

#include "absl/strings/str_cat.h"
#include "common/sqlite/connection.h"

namespace preflight {

// PRAGMA synchronous levels: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
SqliteReaderWriter::RelaxedSync::RelaxedSync(SQLite::Database& db, int& configured)
    : db_(db),
      previous_(configured >= 0 ? configured
                                : (configured = db.execAndGet("PRAGMA synchronous").getInt())) {
  if (previous_ > 1) db_.exec("PRAGMA synchronous=NORMAL");
}

SqliteReaderWriter::RelaxedSync::~RelaxedSync() {
  if (previous_ <= 1) return;
  try {
    db_.exec(absl::StrCat("PRAGMA synchronous=", previous_));
  } catch (const SQLite::Exception&) {
    // Cannot happen outside a transaction on an open connection; if it did, the next commits
    // would be NORMAL: still crash-safe, as every WAL commit is.
  }
}

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
  auto db = std::make_unique<SqliteReaderWriter>(*std::move(writer), *std::move(reader));
  for (int i = 1; i < options.reader_connections; ++i) {
    absl::StatusOr<std::unique_ptr<SQLite::Database>> more = OpenSqliteReader(path, options);
    if (!more.ok()) return more.status();
    db->AddReader(*std::move(more));
  }
  return db;
}

void SqliteReaderWriter::AddReader(std::unique_ptr<SQLite::Database> reader) {
  absl::MutexLock lock(&pool_mu_);
  readers_.push_back(std::make_unique<GuardedConnection>(std::move(reader)));
  free_readers_.push_back(readers_.size() - 1);
}

size_t SqliteReaderWriter::AcquireReader() {
  absl::MutexLock lock(&pool_mu_);
  const auto any_free = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool_mu_) {
    return !free_readers_.empty();
  };
  pool_mu_.Await(absl::Condition(&any_free));
  const size_t index = free_readers_.back();
  free_readers_.pop_back();
  return index;
}

void SqliteReaderWriter::ReleaseReader(size_t index) {
  absl::MutexLock lock(&pool_mu_);
  free_readers_.push_back(index);
}

}  // namespace preflight
