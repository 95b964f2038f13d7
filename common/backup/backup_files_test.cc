#include "common/backup/backup_files.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/connection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::backup {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

const std::vector<SqliteMigration>& Migrations() {
  static const auto* migrations = new std::vector<SqliteMigration>{
      {1, {"CREATE TABLE rows (n INTEGER PRIMARY KEY, text TEXT NOT NULL)"}}};
  return *migrations;
}

class BackupFilesTest : public ::testing::Test {
 protected:
  std::unique_ptr<SQLite::Database> Open(const std::string& path) {
    absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
        OpenSqliteDatabase(path, SqliteOptions{}, Migrations());
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }
  static int64_t Rows(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT COUNT(*) FROM rows").getInt64();
  }

  // A backup folder of one database with `rows` rows, as the admin service makes it.
  v1::BackupManifest MakeBackup(const std::string& dir, int rows) {
    fs::create_directories(dir);
    const std::string live = dir_.Join(absl::StrCat("live-", rows, ".db"));
    std::unique_ptr<SQLite::Database> db = Open(live);
    for (int i = 0; i < rows; ++i) db->exec(absl::StrCat("INSERT INTO rows (text) VALUES ('r')"));
    EXPECT_TRUE(CopySqliteDatabase(live, dir + "/data.db").ok());
    v1::BackupManifest manifest;
    manifest.set_service("test-service");
    absl::StatusOr<v1::BackupFile> file = DescribeDatabaseFile(dir + "/data.db", "data.db");
    EXPECT_TRUE(file.ok()) << file.status();
    *manifest.add_files() = *file;
    EXPECT_TRUE(WriteManifest(dir, manifest).ok());
    return manifest;
  }

  testing::TempDir dir_;
};

TEST_F(BackupFilesTest, TheCopyIsOneConsistentSnapshotTakenWhileWritesGoOn) {
  const std::string live = dir_.Join("live.db");
  std::unique_ptr<SQLite::Database> db = Open(live);
  // Each transaction adds two rows: a torn copy would hold an odd number.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) {
      SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
      db->exec("INSERT INTO rows (text) VALUES ('a')");
      db->exec("INSERT INTO rows (text) VALUES ('b')");
      tx.commit();
    }
  });
  for (int i = 0; i < 20; ++i) {
    const std::string copy = dir_.Join(absl::StrCat("copy-", i, ".db"));
    ASSERT_TRUE(CopySqliteDatabase(live, copy).ok());
    EXPECT_EQ(Rows(copy) % 2, 0) << "copy " << i;
    // One file: nothing beside it.
    EXPECT_FALSE(fs::exists(copy + "-wal"));
  }
  stop = true;
  writer.join();
}

TEST_F(BackupFilesTest, ManifestDescribesEachFileAndVerifyChecksIt) {
  const std::string dir = dir_.Join("backup");
  const v1::BackupManifest manifest = MakeBackup(dir, 3);
  EXPECT_EQ(manifest.files(0).schema_version(), 1);
  EXPECT_EQ(manifest.files(0).sha256().size(), 64u);
  absl::StatusOr<v1::BackupManifest> verified = VerifyBackup(dir, "test-service");
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->files(0).sha256(), manifest.files(0).sha256());

  EXPECT_THAT(VerifyBackup(dir, "other-service").status().message(),
              HasSubstr("holds a backup of test-service, not of other-service"));
  EXPECT_EQ(VerifyBackup(dir_.Join("nowhere"), "test-service").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(BackupFilesTest, AChangedFileIsDataLoss) {
  const std::string dir = dir_.Join("backup");
  MakeBackup(dir, 3);
  {
    std::fstream file(dir + "/data.db", std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(5000);
    file.put('\x7f');
  }
  const absl::Status verified = VerifyBackup(dir, "test-service").status();
  EXPECT_EQ(verified.code(), absl::StatusCode::kDataLoss) << verified;
  EXPECT_THAT(verified.message(), HasSubstr("is not the file the backup recorded"));
}

TEST_F(BackupFilesTest, AManifestNamingAPathIsRefused) {
  const std::string dir = dir_.Join("backup");
  v1::BackupManifest manifest = MakeBackup(dir, 1);
  manifest.mutable_files(0)->set_name("../../etc/passwd");
  ASSERT_TRUE(WriteManifest(dir, manifest).ok());
  EXPECT_THAT(VerifyBackup(dir, "test-service").status().message(),
              HasSubstr("not a plain file name"));
}

TEST_F(BackupFilesTest, RestoreKeepsTheReplacedFilesAndPutsTheBackupInPlace) {
  const std::string dir = dir_.Join("backup");
  const v1::BackupManifest manifest = MakeBackup(dir, 3);
  const std::string data = dir_.Join("data");
  fs::create_directories(data);
  {
    std::unique_ptr<SQLite::Database> current = Open(data + "/data.db");
    for (int i = 0; i < 10; ++i) current->exec("INSERT INTO rows (text) VALUES ('newer')");
  }
  std::ofstream(data + "/unrelated.token") << "kept";
  absl::StatusOr<std::string> replaced = RestoreBackup(dir, data, manifest);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(Rows(data + "/data.db"), 3);
  ASSERT_FALSE(replaced->empty());
  EXPECT_EQ(Rows(*replaced + "/data.db"), 10);
  EXPECT_TRUE(fs::exists(data + "/unrelated.token"));
  EXPECT_FALSE(fs::exists(data + "/data.db.restoring"));

  // Into an empty folder nothing is replaced.
  absl::StatusOr<std::string> fresh = RestoreBackup(dir, dir_.Join("fresh"), manifest);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_TRUE(fresh->empty());
  EXPECT_EQ(Rows(dir_.Join("fresh/data.db")), 3);
}

}  // namespace
}  // namespace preflight::backup
