#include "notifier-service/channels/text_limits.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;

// True when `text` is well-formed UTF-8 (enough for these tests: lead byte + continuations).
bool IsValidUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80           ? 1
                    : (lead >> 5) == 0x6  ? 2
                    : (lead >> 4) == 0xE  ? 3
                    : (lead >> 3) == 0x1E ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

TEST(Utf8PrefixLengthTest, BacksOffToACharacterBoundary) {
  const std::string text = "ab备案";  // 2 ASCII bytes, then two 3-byte characters
  ASSERT_EQ(text.size(), 8u);
  EXPECT_EQ(Utf8PrefixLength(text, 100), 8u);
  EXPECT_EQ(Utf8PrefixLength(text, 8), 8u);
  EXPECT_EQ(Utf8PrefixLength(text, 7), 5u);
  EXPECT_EQ(Utf8PrefixLength(text, 6), 5u);
  EXPECT_EQ(Utf8PrefixLength(text, 5), 5u);
  EXPECT_EQ(Utf8PrefixLength(text, 4), 2u);
  EXPECT_EQ(Utf8PrefixLength(text, 2), 2u);
  EXPECT_EQ(Utf8PrefixLength(text, 0), 0u);
}

TEST(Utf8PrefixLengthTest, HandlesFourByteCharacters) {
  const std::string text = "x😀y";  // 1 + 4 + 1 bytes
  EXPECT_EQ(Utf8PrefixLength(text, 1), 1u);
  EXPECT_EQ(Utf8PrefixLength(text, 2), 1u);
  EXPECT_EQ(Utf8PrefixLength(text, 4), 1u);
  EXPECT_EQ(Utf8PrefixLength(text, 5), 5u);
}

TEST(TruncateUtf8Test, LeavesShortTextAlone) {
  EXPECT_EQ(TruncateUtf8("ICP 备案", 100), "ICP 备案");
  EXPECT_EQ(TruncateUtf8("", 0), "");
}

TEST(TruncateUtf8Test, CutsAtABoundaryAndAppendsTheMarker) {
  const std::string text = "营业执照 business licence";
  const size_t marker = kTruncationMarker.size();
  // Room for "营" and 2 bytes of "业": only "营" stays.
  EXPECT_EQ(TruncateUtf8(text, marker + 5), "营" + std::string(kTruncationMarker));
  EXPECT_EQ(TruncateUtf8(text, marker + 6), "营业" + std::string(kTruncationMarker));
}

TEST(TruncateUtf8Test, EveryLimitGivesValidUtf8WithinTheLimit) {
  const std::string text = "【Preflight】小程序备案 mini-program filing 😀 due in 3 working days";
  for (size_t limit = 0; limit <= text.size() + 2; ++limit) {
    const std::string cut = TruncateUtf8(text, limit);
    EXPECT_LE(cut.size(), limit);
    EXPECT_TRUE(IsValidUtf8(cut)) << "limit " << limit;
    if (limit < text.size() && limit >= kTruncationMarker.size()) {
      EXPECT_TRUE(absl::EndsWith(cut, kTruncationMarker)) << "limit " << limit;
    }
  }
}

TEST(TruncateUtf8Test, BarePrefixWhenTheMarkerDoesNotFit) {
  EXPECT_EQ(TruncateUtf8("abcdefghijklmnopqrstuvwxyz", 4), "abcd");
  EXPECT_EQ(TruncateUtf8("备案备案备案备案", 7), "备案");
}

TEST(SplitIntoChunksTest, PacksGreedilyInOrder) {
  const std::vector<std::string> entries = {"aaaa", "bbbb", "cccc", "dd"};
  // "aaaa\nbbbb" is 9 bytes; adding "\ncccc" would make 14.
  const std::vector<TextChunk> chunks = SplitIntoChunks(entries, 10);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].text, "aaaa\nbbbb");
  EXPECT_EQ(chunks[0].first_entry, 0u);
  EXPECT_EQ(chunks[0].entry_count, 2u);
  EXPECT_EQ(chunks[1].text, "cccc\ndd");
  EXPECT_EQ(chunks[1].first_entry, 2u);
  EXPECT_EQ(chunks[1].entry_count, 2u);
}

TEST(SplitIntoChunksTest, ExactFitStaysInOneChunk) {
  const std::vector<TextChunk> chunks = SplitIntoChunks({"abc", "de"}, 6, "\n");
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].text, "abc\nde");
}

TEST(SplitIntoChunksTest, OversizedEntryIsCutAndKeptAlone) {
  const std::string long_entry(50, 'x');
  const std::vector<TextChunk> chunks = SplitIntoChunks({"a", long_entry, "b"}, 20);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].text, "a");
  EXPECT_EQ(chunks[1].text.size(), 20u);
  EXPECT_TRUE(absl::EndsWith(chunks[1].text, kTruncationMarker));
  EXPECT_EQ(chunks[1].first_entry, 1u);
  EXPECT_EQ(chunks[2].text, "b");
  EXPECT_EQ(chunks[2].first_entry, 2u);
}

TEST(SplitIntoChunksTest, EveryChunkFitsAndEveryEntryIsCoveredOnce) {
  std::vector<std::string> entries;
  for (int i = 0; i < 40; ++i) entries.push_back(std::string(i % 7 + 1, 'a' + i % 26) + "备案");
  for (size_t limit : {12u, 20u, 33u, 100u}) {
    const std::vector<TextChunk> chunks = SplitIntoChunks(entries, limit, " | ");
    size_t next = 0;
    for (const TextChunk& chunk : chunks) {
      EXPECT_LE(chunk.text.size(), limit);
      EXPECT_TRUE(IsValidUtf8(chunk.text));
      EXPECT_EQ(chunk.first_entry, next);
      EXPECT_GE(chunk.entry_count, 1u);
      next += chunk.entry_count;
    }
    EXPECT_EQ(next, entries.size()) << "limit " << limit;
  }
}

TEST(SplitIntoChunksTest, NoEntriesNoChunks) {
  EXPECT_THAT(SplitIntoChunks({}, 10), ElementsAre());
}

}  // namespace
}  // namespace preflight::notifier
