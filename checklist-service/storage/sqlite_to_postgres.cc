#include "checklist-service/storage/sqlite_to_postgres.h"

#include <unistd.h>

#include <optional>
#include <pqxx/prepared_statement>
#include <pqxx/transaction>
#include <utility>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "checklist-service/storage/migrations.h"
#include "common/sqlite/error_status.h"
#include "common/sqlite/migration_runner.h"

namespace preflight::checklist {
namespace {

// How a column travels: text as is, integers as decimal text, blobs as hex (decoded by the
// INSERT), SQLite's 0/1 integers into PostgreSQL booleans.
enum class Kind { kText, kInteger, kBlob, kBoolean };

struct Column {
  const char* name;
  Kind kind;
};

struct Table {
  const char* name;
  std::vector<Column> columns;
  // Tokens' sequence is an identity column: the copy keeps SQLite's numbers.
  bool overriding_identity = false;
};

const std::vector<Table>& ChecklistTables() {
  using K = Kind;
  static const auto* const kTables = new std::vector<Table>{
      {"launches",
       {{"id", K::kText},
        {"tenant", K::kText},
        {"owner", K::kText},
        {"target_date", K::kText},
        {"request_id", K::kText},
        {"request_fingerprint", K::kText},
        {"version", K::kInteger},
        {"create_time", K::kInteger},
        {"update_time", K::kInteger},
        {"payload", K::kBlob},
        {"at_risk_from", K::kText}}},
      {"items",
       {{"launch_id", K::kText},
        {"code", K::kText},
        {"ordinal", K::kInteger},
        {"version", K::kInteger},
        {"status", K::kText},
        {"payload", K::kBlob},
        {"tenant", K::kText},
        {"assignee", K::kText},
        {"open", K::kBoolean},
        {"latest_start", K::kText},
        {"latest_finish", K::kText},
        {"at_risk_from", K::kText}}},
      {"events",
       {{"sequence", K::kInteger},
        {"type", K::kText},
        {"tenant", K::kText},
        {"launch_id", K::kText},
        {"item_code", K::kText},
        {"actor", K::kText},
        {"time_micros", K::kInteger},
        {"summary", K::kText},
        {"payload", K::kBlob}}},
      {"log_epochs",
       {{"ordinal", K::kInteger},
        {"id", K::kText},
        {"base_sequence", K::kInteger},
        {"create_time", K::kText}}},
      {"secrets", {{"name", K::kText}, {"value", K::kBlob}}},
      {"calendar_feeds",
       {{"id", K::kText},
        {"tenant", K::kText},
        {"launch_id", K::kText},
        {"assignee", K::kText},
        {"creator", K::kText},
        {"create_time", K::kInteger},
        {"revoke_time", K::kInteger},
        {"secret_hash", K::kText}}},
  };
  return *kTables;
}

const Table& TokensTable() {
  using K = Kind;
  static const auto* const kTable = new Table{"tokens",
                                              {{"sequence", K::kInteger},
                                               {"id", K::kText},
                                               {"secret_hash", K::kText},
                                               {"tenant", K::kText},
                                               {"role", K::kText},
                                               {"display_name", K::kText},
                                               {"creator", K::kText},
                                               {"create_time_us", K::kInteger},
                                               {"revoke_time_us", K::kInteger}},
                                              /*overriding_identity=*/true};
  return *kTable;
}

std::string Hex(const SQLite::Column& column) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto* bytes = static_cast<const unsigned char*>(column.getBlob());
  const int size = column.getBytes();
  std::string hex;
  hex.reserve(static_cast<size_t>(size) * 2);
  for (int i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0xf];
  }
  return hex;
}

std::string InsertSql(const Table& table) {
  std::vector<std::string> names;
  std::vector<std::string> values;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const Column& column = table.columns[i];
    names.push_back(column.name);
    const std::string param = absl::StrCat("$", i + 1);
    switch (column.kind) {
      case Kind::kBlob:
        values.push_back(absl::StrCat("decode(", param, "::text, 'hex')"));
        break;
      case Kind::kBoolean:
        values.push_back(absl::StrCat("(", param, "::bigint <> 0)"));
        break;
      default:
        values.push_back(param);
    }
  }
  return absl::StrCat("INSERT INTO ", table.name, " (", absl::StrJoin(names, ", "), ")",
                      table.overriding_identity ? " OVERRIDING SYSTEM VALUE" : "", " VALUES (",
                      absl::StrJoin(values, ", "), ")");
}

// Copies every row of `table` from `source` (inside its read transaction) into `tx`.
int64_t CopyTable(SQLite::Database& source, pqxx::transaction_base& tx, const Table& table) {
  std::vector<std::string> names;
  for (const Column& column : table.columns) names.push_back(column.name);
  SQLite::Statement rows(source, absl::StrCat("SELECT ", absl::StrJoin(names, ", "), " FROM ",
                                              table.name, " ORDER BY rowid"));
  const std::string statement = absl::StrCat("copy_", table.name);
  tx.conn().prepare(statement, InsertSql(table));
  int64_t copied = 0;
  std::vector<std::optional<std::string>> values(table.columns.size());
  while (rows.executeStep()) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const SQLite::Column column = rows.getColumn(static_cast<int>(i));
      if (column.isNull()) {
        values[i].reset();
      } else if (table.columns[i].kind == Kind::kBlob) {
        values[i] = Hex(column);
      } else {
        values[i] = column.getString();
      }
    }
    tx.exec_prepared(statement, pqxx::prepare::make_dynamic_params(values));
    ++copied;
  }
  tx.conn().unprepare(statement);
  return copied;
}

}  // namespace

absl::StatusOr<CopyCounts> CopySqliteToPostgres(const std::string& checklist_db,
                                                const std::string& auth_db, PostgresPool* pool) {
  std::unique_ptr<SQLite::Database> checklist;
  std::unique_ptr<SQLite::Database> auth;
  try {
    checklist = std::make_unique<SQLite::Database>(checklist_db, SQLite::OPEN_READONLY);
    if (absl::Status current =
            CheckSqliteSchemaCurrent(*checklist, ChecklistMigrations(),
                                     absl::StrCat(checklist_db,
                                                  " is not at the latest schema; "
                                                  "start the single-node service "
                                                  "of this release on it once"));
        !current.ok()) {
      return current;
    }
    // A read transaction each: the copy is of one moment of each file.
    checklist->exec("BEGIN");
    checklist->execAndGet("SELECT COUNT(*) FROM launches");
    if (access(auth_db.c_str(), F_OK) == 0) {
      auth = std::make_unique<SQLite::Database>(auth_db, SQLite::OPEN_READONLY);
      auth->exec("BEGIN");
      auth->execAndGet("SELECT COUNT(*) FROM tokens");
    }
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, absl::StrCat("reading ", checklist_db));
  }

  CopyCounts counts;
  absl::Status copied = pool->Transact(
      "copying the SQLite data into PostgreSQL", [&](pqxx::transaction_base& tx) -> absl::Status {
        const int64_t existing =
            tx.exec1(
                  "SELECT (SELECT COUNT(*) FROM launches) + (SELECT COUNT(*) FROM events) + "
                  "(SELECT COUNT(*) FROM calendar_feeds) + (SELECT COUNT(*) FROM tokens)")[0]
                .as<int64_t>();
        if (existing > 0) {
          return absl::FailedPreconditionError(absl::StrCat(
              "the PostgreSQL schema ", pool->options().schema,
              " already holds launches, events, feeds or tokens; the copy goes into an empty one"));
        }
        // What a first start made there (its own log epoch, its page-token key) gives way to
        // the SQLite deployment's.
        tx.exec("DELETE FROM log_epochs");
        tx.exec("DELETE FROM secrets");
        int64_t* const targets[] = {&counts.launches,   &counts.items,   &counts.events,
                                    &counts.log_epochs, &counts.secrets, &counts.calendar_feeds};
        for (size_t i = 0; i < ChecklistTables().size(); ++i) {
          *targets[i] = CopyTable(*checklist, tx, ChecklistTables()[i]);
        }
        if (auth != nullptr) counts.tokens = CopyTable(*auth, tx, TokensTable());
        tx.exec(
            "UPDATE log_head SET last_sequence = (SELECT COALESCE(MAX(sequence), 0) FROM events)");
        // New tokens are numbered after the copied ones.
        tx.exec(
            "SELECT setval(pg_get_serial_sequence('tokens', 'sequence'), "
            "GREATEST(COALESCE(MAX(sequence), 0), 1), MAX(sequence) IS NOT NULL) FROM tokens");
        return absl::OkStatus();
      });
  if (!copied.ok()) return copied;
  return counts;
}

}  // namespace preflight::checklist
