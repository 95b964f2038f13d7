#include "common/data_dir_lock.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(DataDirLockTest, OneHolderAtATimeAndTheSecondIsToldWho) {
  testing::TempDir dir;
  const std::string folder = dir.Join("data");
  absl::StatusOr<DataDirLock> first = DataDirLock::Acquire(folder, "checklist-service");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->read_only());
  std::ifstream file(absl::StrCat(folder, "/preflight.lock"));
  std::string pid, name;
  std::getline(file, pid);
  std::getline(file, name);
  EXPECT_EQ(pid, absl::StrCat(getpid()));
  EXPECT_EQ(name, "checklist-service");

  absl::StatusOr<DataDirLock> second = DataDirLock::Acquire(folder, "notifier-service");
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(),
              AllOf(HasSubstr(absl::StrCat("the data folder ", folder, " is in use by ",
                                           "checklist-service (pid ", getpid(), ")")),
                    HasSubstr("preflight.lock")));

  // Released with its holder; the file left behind blocks nobody.
  { DataDirLock released = *std::move(first); }
  absl::StatusOr<DataDirLock> third = DataDirLock::Acquire(folder, "notifier-service");
  EXPECT_TRUE(third.ok()) << third.status();
}

TEST(DataDirLockTest, CreatesTheFolder) {
  testing::TempDir dir;
  EXPECT_TRUE(DataDirLock::Acquire(dir.Join("a/b/c"), "x").ok());
}

}  // namespace
}  // namespace preflight
