#include "common/logging/log.h"

#include <sstream>
#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace preflight::logging {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

class LogTest : public ::testing::Test {
 protected:
  void Use(Format format, Level level = Level::kInfo) {
    out_.str("");
    Options options;
    options.format = format;
    options.level = level;
    options.output = &out_;
    Configure(options);
  }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines = absl::StrSplit(out_.str(), '\n', absl::SkipEmpty());
    return lines;
  }
  void TearDown() override { Configure(Options{Format::kText, Level::kInfo, false, nullptr}); }

  std::ostringstream out_;
};

TEST_F(LogTest, TextLineHasTimeLevelComponentMessageAndFields) {
  Use(Format::kText);
  Info("rpc", "finished",
       {{"method", "/preflight.v1.ChecklistService/GetLaunch"},
        {"code", "OK"},
        Field::Millis("duration_ms", absl::Microseconds(1234)),
        {"actor", "Li Na"}});
  ASSERT_EQ(Lines().size(), 1u);
  EXPECT_THAT(Lines()[0],
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "
                           "INFO rpc: finished method=/preflight.v1.ChecklistService/GetLaunch "
                           "code=OK duration_ms=1.234 actor=\"Li Na\""));
}

TEST_F(LogTest, JsonLineIsOneObjectWithTypedFields) {
  Use(Format::kJson);
  Warning("subscriber", "stream ended",
          {{"sequence", int64_t{42}}, {"connected", false}, {"error", "line\nbreak \"quoted\""}});
  ASSERT_EQ(Lines().size(), 1u);
  const nlohmann::json line = nlohmann::json::parse(Lines()[0]);
  EXPECT_EQ(line["level"], "warning");
  EXPECT_EQ(line["component"], "subscriber");
  EXPECT_EQ(line["msg"], "stream ended");
  EXPECT_EQ(line["sequence"], 42);
  EXPECT_EQ(line["connected"], false);
  EXPECT_EQ(line["error"], "line\nbreak \"quoted\"");
  EXPECT_THAT(line["time"].get<std::string>(),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z"));
}

TEST_F(LogTest, HostileValuesCannotBreakTheLineOrTheJson) {
  constexpr char kHostile[] = "a\nb\r\x01\x7f\"=\\ \xff\xfe z";
  const std::string hostile(kHostile, sizeof(kHostile) - 1);
  Use(Format::kText);
  Error("grpc", hostile, {{"value", hostile}});
  ASSERT_EQ(Lines().size(), 1u);
  EXPECT_THAT(Lines()[0], Not(HasSubstr("\r")));
  EXPECT_THAT(Lines()[0], HasSubstr("a\\nb\\r\\x01\\x7f"));

  Use(Format::kJson);
  Error("grpc", hostile, {{"value", hostile}});
  ASSERT_EQ(Lines().size(), 1u);
  const nlohmann::json line = nlohmann::json::parse(Lines()[0]);  // valid UTF-8 JSON
  EXPECT_EQ(line["msg"], line["value"]);
  EXPECT_THAT(line["msg"].get<std::string>(), HasSubstr("\xEF\xBF\xBD"));  // U+FFFD
}

TEST_F(LogTest, LevelFiltersLines) {
  Use(Format::kText, Level::kWarning);
  Debug("c", "debug");
  Info("c", "info");
  Warning("c", "warning");
  Error("c", "error");
  ASSERT_EQ(Lines().size(), 2u);
  EXPECT_THAT(Lines()[0], HasSubstr("WARNING c: warning"));
  EXPECT_THAT(Lines()[1], HasSubstr("ERROR c: error"));
  EXPECT_FALSE(Enabled(Level::kInfo));
}

TEST(LogParseTest, LevelsAndFormats) {
  EXPECT_EQ(*ParseLevel("DEBUG"), Level::kDebug);
  EXPECT_EQ(*ParseLevel("warn"), Level::kWarning);
  EXPECT_FALSE(ParseLevel("verbose").ok());
  EXPECT_EQ(*ParseFormat("json"), Format::kJson);
  EXPECT_FALSE(ParseFormat("xml").ok());
}

TEST(LogAsyncTest, ShutdownWritesOutEveryQueuedLine) {
  // The async path writes to stderr; this only checks that logging and shutting down many lines
  // neither crashes nor deadlocks (the sanitizer build checks for leaks and races on exit).
  Options options;
  options.async = true;
  options.level = Level::kError;
  Configure(options);
  for (int i = 0; i < 100; ++i) Debug("c", "filtered");
  Shutdown();
  Info("c", "after shutdown, synchronous");
}

}  // namespace
}  // namespace preflight::logging
