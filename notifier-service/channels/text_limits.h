#pragma once

// Fitting message text into a provider's size limit without breaking UTF-8 characters.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace preflight::notifier {

// Appended to a text that was cut.
inline constexpr absl::string_view kTruncationMarker = "…(truncated)";

// The length of the longest prefix of `text` that has at most `max_bytes` bytes and does not end
// inside a UTF-8 character.
size_t Utf8PrefixLength(absl::string_view text, size_t max_bytes);

// `text` itself when it fits in `max_bytes`; otherwise its longest prefix that fits together
// with kTruncationMarker, followed by the marker. When even the marker does not fit, the bare
// prefix. The result never exceeds `max_bytes` and never splits a character.
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

// A run of consecutive entries joined into one text.
struct TextChunk {
  std::string text;
  // The entries [first_entry, first_entry + entry_count) are in `text`.
  size_t first_entry = 0;
  size_t entry_count = 0;
};

// Packs `entries`, in order, into as few chunks as a greedy fill gives, each at most `max_bytes`
// long with `separator` between entries. An entry that does not fit alone is cut with
// TruncateUtf8 and gets a chunk of its own. No entries: no chunks.
std::vector<TextChunk> SplitIntoChunks(const std::vector<std::string>& entries, size_t max_bytes,
                                       absl::string_view separator = "\n");

}  // namespace preflight::notifier
