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

enum class OutputFormat { kTable, kWide, kJson, kYaml, kName, kJsonPath, kCustomColumns };

// "table", "wide", "json", "yaml", "name", "jsonpath", "custom-columns": the spellings of -o, in
// OutputFormat's order. The last two take their template after "=".
const std::vector<absl::string_view>& OutputFormatNames();
absl::string_view OutputFormatName(OutputFormat format);

// One of OutputFormatNames(), in any case, with "=TEMPLATE" for jsonpath and custom-columns
// (returned in *argument); otherwise INVALID_ARGUMENT
// "-o: unknown output format 'x' (table, wide, json, yaml, name, jsonpath=...,
// custom-columns=...)".
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text,
                                               std::string* argument = nullptr);

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

// -o jsonpath=TEMPLATE on the answer's canonical JSON (json_path.h has the syntax), with a final
// newline when the template gives none.
absl::StatusOr<std::string> ToJsonPath(const google::protobuf::Message& message,
                                       absl::string_view template_text);

// -o custom-columns=SPEC: the header row and a row per element of the answer's list (its first
// repeated message field), or one row for an answer that is not a list.
absl::StatusOr<std::vector<std::vector<std::string>>> ToCustomColumns(
    const google::protobuf::Message& message, absl::string_view spec);

}  // namespace preflight::cli
