#include "cli/yaml_scalar.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "yaml-cpp/yaml.h"

namespace preflight::cli {
namespace {

std::string Emitted(const std::string& text) {
  YAML::Emitter out;
  EmitYamlString(out, text);
  return out.c_str();
}

TEST(YamlScalarTest, WhatAReaderCouldTakeForAnotherTypeIsAmbiguous) {
  for (const char* text : {"",      "~",     "null",  "NULL",       "true",
                           "False", "yes",   "No",    "on",         "OFF",
                           "y",     "n",     "0",     "0123",       "-1",
                           "+1",    "1.5",   ".5",    "1e3",        "0x1F",
                           "0o17",  "1_000", "12:30", "2026-05-01", "2026-05-01T08:00:00Z",
                           ".inf",  "-.Inf", ".NaN",  "<<",         "="}) {
    EXPECT_TRUE(PlainYamlIsAmbiguous(text)) << "'" << text << "'";
  }
  for (const char* text : {"prod", "acme", "checklist.example.com:443", "~/x", "NaN", "Infinity",
                           "launches/l1", "李娜", "-", "yes please", "nullable"}) {
    EXPECT_FALSE(PlainYamlIsAmbiguous(text)) << "'" << text << "'";
  }
}

TEST(YamlScalarTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(Emitted("prod"), "prod");
  EXPECT_EQ(Emitted("0123"), "'0123'");
  EXPECT_EQ(Emitted("true"), "'true'");
  EXPECT_EQ(Emitted(""), "''");
  EXPECT_EQ(Emitted("it's 2026-05-01"), "it's 2026-05-01");
  EXPECT_EQ(Emitted("2026's"), "'2026''s'");
  EXPECT_EQ(Emitted("a\nb"), "\"a\\nb\"");
  EXPECT_EQ(Emitted("李娜"), "李娜");
}

TEST(YamlScalarTest, ReadsBackAsTheSameString) {
  for (const std::string text : {"", "0123", "true", "a\nb", "12\n", "- x", "#", "x: y", " lead",
                                 "trail ", "'", "\"", "\t", "null", "李娜\n第二行"}) {
    const YAML::Node node = YAML::Load(Emitted(text));
    ASSERT_TRUE(node.IsScalar()) << text;
    EXPECT_EQ(node.Scalar(), text);
    // Quoted (tag "!"), not plain ("?"), wherever a plain scalar would resolve to another type.
    if (PlainYamlIsAmbiguous(text)) {
      EXPECT_EQ(node.Tag(), "!") << text;
    }
  }
}

}  // namespace
}  // namespace preflight::cli
