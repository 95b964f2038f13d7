#pragma once

// Helpers the channels share to lay out a message and encode requests.

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace preflight::notifier {

// "subject\nbody", or whichever of the two is not empty.
std::string ComposePlainText(absl::string_view subject, absl::string_view body);

// The subject as a bold first line, then a blank line and the Markdown body. `bold` is the
// marker the dialect uses: "**" for CommonMark-like bots, "*" for Slack mrkdwn.
std::string ComposeMarkdown(absl::string_view subject, absl::string_view markdown,
                            absl::string_view bold = "**");

// Serializes compactly; invalid UTF-8 is replaced (U+FFFD) rather than throwing.
std::string DumpJson(const nlohmann::json& value);

// Percent-encodes everything except RFC 3986 unreserved characters.
std::string UrlEncode(absl::string_view text);

// `url` with "name=value" pairs appended to its query (values must be encoded already).
std::string AppendQuery(absl::string_view url, absl::string_view query);

// Drops CR, LF and other control characters, so a value cannot break out of a header line.
std::string SanitizeHeaderValue(absl::string_view value);

// Whole seconds and whole milliseconds since the Unix epoch, as decimal text.
std::string UnixSecondsText(absl::Time time);
std::string UnixMillisText(absl::Time time);

}  // namespace preflight::notifier
