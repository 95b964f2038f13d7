#include "notifier-service/channels/text_limits.h"

#include "absl/strings/str_cat.h"

namespace preflight::notifier {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

size_t Utf8PrefixLength(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  // A character is at most 4 bytes: look back at most 3 continuation bytes. Anything longer is
  // not UTF-8 anyway, and cutting at max_bytes is as good as any other place.
  size_t end = max_bytes;
  for (int i = 0; i < 4 && end > 0 && IsContinuationByte(text[end]); ++i) --end;
  return IsContinuationByte(text[end]) ? max_bytes : end;
}

std::string TruncateUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  if (max_bytes < kTruncationMarker.size()) {
    return std::string(text.substr(0, Utf8PrefixLength(text, max_bytes)));
  }
  const size_t keep = Utf8PrefixLength(text, max_bytes - kTruncationMarker.size());
  return absl::StrCat(text.substr(0, keep), kTruncationMarker);
}

std::vector<TextChunk> SplitIntoChunks(const std::vector<std::string>& entries, size_t max_bytes,
                                       absl::string_view separator) {
  std::vector<TextChunk> chunks;
  bool last_was_cut = false;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i];
    if (!chunks.empty() && !last_was_cut) {
      TextChunk& last = chunks.back();
      if (last.text.size() + separator.size() + entry.size() <= max_bytes) {
        absl::StrAppend(&last.text, separator, entry);
        ++last.entry_count;
        continue;
      }
    }
    last_was_cut = entry.size() > max_bytes;
    chunks.push_back(TextChunk{TruncateUtf8(entry, max_bytes), i, 1});
  }
  return chunks;
}

}  // namespace preflight::notifier
