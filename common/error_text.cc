#include "common/error_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace preflight {

size_t Utf8SequenceLength(absl::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char min_second = 0x80;
  unsigned char max_second = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) min_second = 0xa0;  // no overlong forms
    if (lead == 0xed) max_second = 0x9f;  // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) min_second = 0x90;  // no overlong forms
    if (lead == 0xf4) max_second = 0x8f;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < min_second || byte(1) > max_second) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return length;
}

bool IsValidUtf8(absl::string_view text) {
  while (!text.empty()) {
    const size_t length = Utf8SequenceLength(text);
    if (length == 0) return false;
    text.remove_prefix(length);
  }
  return true;
}

std::string QuoteForError(absl::string_view value) {
  std::string out = "'";
  size_t used = 0;
  while (used < value.size()) {
    const absl::string_view rest = value.substr(used);
    const size_t length = Utf8SequenceLength(rest);
    const size_t taken = length == 0 ? 1 : length;
    if (used + taken > kMaxQuotedBytes) break;
    const unsigned char lead = static_cast<unsigned char>(rest[0]);
    const bool control = length == 1 && (lead < 0x20 || lead == 0x7f);
    // C1 controls (U+0080..U+009F) are two bytes: 0xc2 0x80..0x9f.
    const bool c1 = length == 2 && lead == 0xc2 && static_cast<unsigned char>(rest[1]) < 0xa0;
    if (length == 0 || control || c1) {
      for (size_t i = 0; i < taken; ++i) {
        absl::StrAppend(&out, absl::StrFormat("\\x%02x", static_cast<unsigned char>(rest[i])));
      }
    } else {
      out.append(rest.data(), length);
    }
    used += taken;
  }
  if (used < value.size()) {
    absl::StrAppend(&out, "…' (", value.size(), " bytes)");
  } else {
    out += "'";
  }
  return out;
}

}  // namespace preflight
