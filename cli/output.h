#pragma once

// The output formats of -o, and the machine ones for any protobuf answer: JSON as buf curl and
// grpcurl print it, the same content as YAML, and resource names one per line (kubectl's
// -o name).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace preflight::cli {

enum class OutputFormat { kTable, kWide, kJson, kYaml, kName };

// "table", "wide", "json", "yaml", "name": the spellings of -o, in OutputFormat's order.
const std::vector<absl::string_view>& OutputFormatNames();
absl::string_view OutputFormatName(OutputFormat format);

// One of OutputFormatNames(), in any case; otherwise INVALID_ARGUMENT
// "-o: unknown output format 'x' (table, wide, json, yaml, name)".
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text);

// The canonical proto3 JSON mapping: lowerCamelCase names, enums by name, 64-bit integers as
// strings, Timestamps in RFC 3339, fields at their default value left out; indented by two
// spaces, with a final newline.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

// ToJson's content as block-style YAML, keys in the same order. Strings stay strings for every
// YAML reader: those that would read as a number, a bool, null or a date ("0123", "true",
// "2026-05-01", the 64-bit integers) are quoted; multi-line ones are double-quoted with "\n".
absl::StatusOr<std::string> ToYaml(const google::protobuf::Message& message);

// -o name: one resource name per line, "" when there are none. The message's own string field
// `name` if it has one; else the names of the elements of its repeated message fields whose type
// has one (ListLaunchesResponse.launches); else those of its singular message fields that are set
// and whose type has one (CreateTokenResponse.token). Empty names are left out. An answer whose
// type has none of these is FAILED_PRECONDITION.
absl::StatusOr<std::string> ResourceNames(const google::protobuf::Message& message);

}  // namespace preflight::cli
