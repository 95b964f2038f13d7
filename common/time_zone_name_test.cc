#include "common/time_zone_name.h"

#include <sys/stat.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight {
namespace {

TEST(TimeZoneNameTest, AcceptsIanaNames) {
  for (const char* name :
       {"UTC", "Asia/Shanghai", "Etc/GMT+8", "Etc/GMT-14", "America/Argentina/ComodRivadavia",
        "America/Port-au-Prince", "EST5EDT", "GMT0", "Antarctica/DumontDUrville", "Factory"}) {
    EXPECT_TRUE(IsIanaTimeZoneName(name)) << name;
    absl::TimeZone zone;
    EXPECT_TRUE(LoadIanaTimeZone(name, &zone)) << name;
  }
}

TEST(TimeZoneNameTest, RefusesPathsAndJunk) {
  for (const std::string& name : std::vector<std::string>{"",
                                                          "/etc/localtime",
                                                          "../zoneinfo/UTC",
                                                          "Asia/../UTC",
                                                          "./UTC",
                                                          ".",
                                                          "..",
                                                          "Asia//Shanghai",
                                                          "/UTC",
                                                          "UTC/",
                                                          "Asia/Shanghai/..",
                                                          "/usr/share/zoneinfo/UTC",
                                                          "localtime",
                                                          "posixrules",
                                                          "-UTC",
                                                          "Asia/-x",
                                                          "Asia/Sh anghai",
                                                          "UTC\n",
                                                          std::string("UTC\0x", 5),
                                                          "Asia\\Shanghai",
                                                          "Fixed/UTC+08:00",
                                                          "libc:localtime",
                                                          "Asia/ThisIsFifteenChr",
                                                          std::string(65, 'A'),
                                                          "iso3166.tab",
                                                          "Asia/上海"}) {
    EXPECT_FALSE(IsIanaTimeZoneName(name)) << name;
    absl::TimeZone zone;
    EXPECT_FALSE(LoadIanaTimeZone(name, &zone)) << name;
  }
}

// A FIFO would block absl::LoadTimeZone until someone writes to it; its path never gets that far.
TEST(TimeZoneNameTest, NeverOpensAPathTheCallerChose) {
  testing::TempDir dir;
  const std::string fifo = dir.Join("zone");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  absl::TimeZone zone;
  EXPECT_FALSE(LoadIanaTimeZone(fifo, &zone));
}

TEST(TimeZoneNameTest, UnknownWellFormedNamesDoNotLoad) {
  absl::TimeZone zone;
  EXPECT_TRUE(IsIanaTimeZoneName("Mars/Olympus"));
  EXPECT_FALSE(LoadIanaTimeZone("Mars/Olympus", &zone));
}

}  // namespace
}  // namespace preflight
