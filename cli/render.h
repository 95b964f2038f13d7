#pragma once

// Human-readable rendering of ChecklistService responses, the table and field helpers the
// notifier renderers share, and the JSON form of any response for scripts.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "preflight/v1/checklist.pb.h"

namespace preflight::cli {

// Terminal columns `text` (UTF-8) occupies, as utf8proc counts them: East Asian wide characters
// and emoji two, combining marks zero; a malformed byte takes one.
int DisplayWidth(absl::string_view text);

// `text` cut to at most `max_width` columns, ending in "…" when cut.
std::string TruncateToWidth(absl::string_view text, int max_width);

// A plain text table: columns padded to their widest cell (by display width), two spaces apart,
// no trailing spaces.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  // Short rows are padded with empty cells.
  void AddRow(std::vector<std::string> cells);
  std::string Render() const;

 private:
  std::vector<std::vector<std::string>> rows_;  // headers first
};

// Label/value lines with the values aligned: "label  value".
class Fields {
 public:
  void Add(absl::string_view label, std::string value);
  // Adds the line only when `value` is not empty.
  void AddIfSet(absl::string_view label, const std::string& value);
  std::string Render() const;

 private:
  std::vector<std::pair<std::string, std::string>> rows_;
};

// "2026-01-01 08:30:00Z" (UTC), or "-" for an unset timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);

// The CLI spelling of an enum value: its name without `prefix`, lower case ("in_progress");
// the number for a value the descriptor does not know.
std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value,
                      absl::string_view prefix);

// "¥1,234" or "¥600.50" for CNY; "USD 12.00" for other currencies.
std::string FormatMoney(const v1::Money& money);
// The CLI spelling of a status: "in_progress", "n/a" for NOT_APPLICABLE.
std::string StatusLabel(v1::ItemStatus status);

// `launch show`: a header, then one row per item (not-applicable items last, with their reason)
// and a legend.
std::string RenderLaunch(const v1::Launch& launch);
std::string RenderLaunchList(const v1::ListLaunchesResponse& response);
// One item, field by field (after `item update` and `item add`).
std::string RenderItem(const v1::Item& item);
std::string RenderReadiness(const v1::Readiness& readiness);
// One line per event; a hint for the next page when `response` has a token.
std::string RenderEvents(const v1::ListEventsResponse& response);
std::string RenderTemplates(const v1::ListTemplatesResponse& response);

// The message as indented JSON with proto field names and default values spelled out, plus a
// final newline.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

}  // namespace preflight::cli
