#include "common/error_text.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight {
namespace {

using ::testing::EndsWith;
using ::testing::StartsWith;

TEST(QuoteForErrorTest, QuotesShortValuesWhole) {
  EXPECT_EQ(QuoteForError("li.na"), "'li.na'");
  EXPECT_EQ(QuoteForError(""), "''");
  EXPECT_EQ(QuoteForError(std::string(kMaxQuotedBytes, 'x')),
            "'" + std::string(kMaxQuotedBytes, 'x') + "'");
  EXPECT_EQ(QuoteForError("李娜"), "'李娜'");
}

TEST(QuoteForErrorTest, CutsLongValuesToAPrefixAndTheirSize) {
  const std::string quoted = QuoteForError(std::string(70'000, 'x'));
  EXPECT_EQ(quoted, "'" + std::string(kMaxQuotedBytes, 'x') + "…' (70000 bytes)");
  EXPECT_LT(quoted.size(), 100u);
}

TEST(QuoteForErrorTest, CutsOnAUtf8Boundary) {
  // 3-byte characters: 21 of them fit in 64 bytes, the 22nd would split.
  std::string text;
  for (int i = 0; i < 30; ++i) text += "备";
  const std::string quoted = QuoteForError(text);
  std::string expected = "'";
  for (int i = 0; i < 21; ++i) expected += "备";
  expected += "…' (90 bytes)";
  EXPECT_EQ(quoted, expected);
  EXPECT_TRUE(IsValidUtf8(quoted));
}

TEST(QuoteForErrorTest, EscapesControlCharactersAndBrokenUtf8) {
  EXPECT_EQ(QuoteForError(std::string("a\0b", 3)), "'a\\x00b'");
  EXPECT_EQ(QuoteForError("a\nb\x7f"), "'a\\x0ab\\x7f'");
  EXPECT_EQ(QuoteForError("\xc2\x9b["), "'\\xc2\\x9b['");
  EXPECT_EQ(QuoteForError("bad \xff\xfe end"), "'bad \\xff\\xfe end'");
  // A truncated sequence at the end.
  EXPECT_EQ(QuoteForError("ok \xe5\xa4"), "'ok \\xe5\\xa4'");
  const std::string long_bad(1000, '\xff');
  const std::string quoted = QuoteForError(long_bad);
  EXPECT_THAT(quoted, StartsWith("'\\xff\\xff"));
  EXPECT_THAT(quoted, EndsWith("…' (1000 bytes)"));
  EXPECT_TRUE(IsValidUtf8(quoted));
}

TEST(Utf8Test, ValidatesSequences) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("ICP 备案 \xf0\x9f\x9a\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xe5\xa4"));          // truncated
  EXPECT_EQ(Utf8SequenceLength("备x"), 3u);
  EXPECT_EQ(Utf8SequenceLength(""), 0u);
}

}  // namespace
}  // namespace preflight
