#pragma once

// Quoting what a client sent inside an error message. A message that echoes a whole value can
// be as large as the request (a 70,000-byte name made gRPC refuse the answer's metadata, or
// left clients waiting for their deadline), so every value a service quotes in an error goes
// through QuoteForError: short values whole, long ones as a short prefix and their size.

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace preflight {

// At most this many bytes of a value are quoted in an error message.
inline constexpr size_t kMaxQuotedBytes = 64;

// `value` in single quotes for an error message: 'li.na' when it has at most kMaxQuotedBytes
// bytes; otherwise its first bytes, cut on a UTF-8 boundary, then "…" and its size:
// 'xxxx…' (70000 bytes). Control characters and bytes that are not UTF-8 are shown as \xNN, so
// the quote is always one line of valid UTF-8.
std::string QuoteForError(absl::string_view value);

// The number of bytes of the UTF-8 sequence that starts `text`: 1 to 4, or 0 when `text` is empty
// or does not start with a valid sequence (overlong forms, surrogates and code points above
// U+10FFFF are not valid).
size_t Utf8SequenceLength(absl::string_view text);

bool IsValidUtf8(absl::string_view text);

}  // namespace preflight
